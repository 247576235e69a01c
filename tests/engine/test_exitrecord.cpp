// SPDX-License-Identifier: MIT
// Exit records: byte layout, the bound of 64, and decoding of damaged files.
#include "exitrecord.h"

#include <QFile>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace tz;

namespace {

ExitRecord sample(std::uint32_t pid)
{
    ExitRecord r;
    r.started = Tai64n{tai64Epoch + 1000, 250000000};
    r.ended = Tai64n{tai64Epoch + 1002, 750000000};
    r.pid = pid;
    r.kind = ExitKind::Signalled;
    r.code = SIGTERM;
    r.stopRequested = true;
    r.lastSignal = SIGTERM;
    return r;
}

} // namespace

class TestExitRecord : public QObject {
    Q_OBJECT

private slots:
    void layout()
    {
        ExitLog log;
        log.add(sample(0x01020304));
        const auto b = encodeExitLog(log);
        QCOMPARE(b.size(), exitsHeaderSize + exitRecordSize);
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(b.data()), 8), QByteArray("TZEX\x01\x30\x00\x01", 8));
        QCOMPARE(int(b[15]), 1); // total, big-endian
        const unsigned char *r = b.data() + exitsHeaderSize;
        QCOMPARE(int(r[0]), 0x40);
        QCOMPARE(int(r[6]), 0x03); // 2^62 + 10 + 1000 = 0x40000000000003f2
        QCOMPARE(int(r[7]), 0xf2);
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(r + 8), 4), QByteArray("\x0e\xe6\xb2\x80", 4)); // 250000000 ns
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(r + 24), 4), QByteArray("\x01\x02\x03\x04", 4));
        QCOMPARE(int(r[28]), 1);
        QCOMPARE(int(r[29]), SIGTERM);
        QCOMPARE(int(r[30]), 1);
        QCOMPARE(int(r[31]), SIGTERM);
        for (std::size_t i = 32; i < exitRecordSize; ++i)
            QCOMPARE(int(r[i]), 0);
        QCOMPARE(log.records[0].ranMs(), 2500u);
        log.records[0].once = true;
        QCOMPARE(int(encodeExitLog(log)[exitsHeaderSize + 30]), 1 | 8);
    }

    void roundTripAndBound()
    {
        ExitLog log;
        for (std::uint32_t i = 1; i <= 70; ++i) {
            ExitRecord r = sample(i);
            r.once = i % 2 == 0;
            log.add(r);
        }
        QCOMPARE(log.records.size(), exitsKept);
        QCOMPARE(log.total, 70u);
        QCOMPARE(log.records.front().pid, 7u); // the oldest six went
        const auto b = encodeExitLog(log);
        const ExitLog back = decodeExitLog(b);
        QVERIFY(!back.damaged);
        QCOMPARE(back.total, 70u);
        QCOMPARE(back.records, log.records);
    }

    void truncatedKeepsWholeRecords()
    {
        ExitLog log;
        for (std::uint32_t i = 1; i <= 3; ++i)
            log.add(sample(i));
        auto b = encodeExitLog(log);
        b.resize(b.size() - 5);
        const ExitLog back = decodeExitLog(b);
        QVERIFY(back.damaged);
        QCOMPARE(back.records.size(), std::size_t(2));
        QCOMPARE(back.records[1].pid, 2u);
    }

    void corruptInputNeverCrashes()
    {
        QVERIFY(decodeExitLog({}).records.empty());
        QVERIFY(!decodeExitLog({}).damaged);
        const unsigned char junk[] = "this is not an exit log at all, not even close";
        QVERIFY(decodeExitLog(junk).damaged);
        QVERIFY(decodeExitLog(junk).records.empty());
        ExitLog log;
        log.add(sample(1));
        log.add(sample(2));
        auto b = encodeExitLog(log);
        b[exitsHeaderSize + 28] = 9; // an unknown kind: that record is skipped
        b[7] = 200;                  // claims more records than there are
        const ExitLog back = decodeExitLog(b);
        QVERIFY(back.damaged);
        QCOMPARE(back.records.size(), std::size_t(1));
        QCOMPARE(back.records[0].pid, 2u);
        // Every prefix decodes.
        for (std::size_t n = 0; n <= b.size(); ++n)
            decodeExitLog(std::span<const unsigned char>(b.data(), n));
    }

    void waitStatuses()
    {
        ExitRecord r;
        setWaitStatus(r, 3 << 8);
        QCOMPARE(r.kind, ExitKind::Exited);
        QCOMPARE(int(r.code), 3);
        setWaitStatus(r, SIGKILL);
        QCOMPARE(r.kind, ExitKind::Signalled);
        QCOMPARE(int(r.code), SIGKILL);
        QVERIFY(!r.coreDumped);
        setWaitStatus(r, SIGSEGV | 0x80);
        QVERIFY(r.coreDumped);
    }

    // What the helper reports as a crash (ServiceCrashed, the list's crash count).
    void crashIsAnEndNobodyAskedFor()
    {
        ExitRecord r;
        setWaitStatus(r, 1 << 8);
        QVERIFY(r.crashed());
        setWaitStatus(r, SIGSEGV);
        QVERIFY(r.crashed());
        r.stopRequested = true; // svc -d
        QVERIFY(!r.crashed());
        r.stopRequested = false;
        r.lastSignal = SIGTERM; // svc -t: its end is put down to that signal
        QVERIFY(!r.crashed());
        r.lastSignal = 0;
        r.once = true; // svc -o, and it failed: still a crash
        QVERIFY(r.crashed());
        setWaitStatus(r, 0); // svc -o, and it succeeded
        QVERIFY(!r.crashed());
        r.once = false;
        QVERIFY(r.crashed()); // a daemon that exits, even with 0, was not asked to
        r.kind = ExitKind::Unknown; // adopted: its status was never ours to see
        r.code = 0;
        QVERIFY(!r.crashed());
    }

    void fileIsReplacedWhole()
    {
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("supervise")));
        const int dir = ::open(QFile::encodeName(tmp.path()).constData(), O_PATH | O_DIRECTORY);
        auto empty = readExitLog(dir);
        QVERIFY(empty.ok());
        QVERIFY(empty->records.empty());
        ExitLog log;
        log.add(sample(42));
        QVERIFY(writeExitLog(dir, log).ok());
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("supervise/exits.new"))));
        auto back = readExitLog(dir);
        QVERIFY(back.ok());
        QCOMPARE(back->records, log.records);
        ::close(dir);
    }
};

QTEST_GUILESS_MAIN(TestExitRecord)
#include "test_exitrecord.moc"
