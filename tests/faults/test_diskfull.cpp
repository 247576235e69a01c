// SPDX-License-Identifier: MIT
// The log file system fills up under a flat-out producer: multilog says so, waits, and carries on with nothing lost.
#include "faultsupport.h"

#include <QFile>

#include <csignal>

#include <linux/magic.h>
#include <sys/vfs.h>

using namespace tz::test;

class TestDiskFull : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fullLogFileSystemLosesNothing();
};

void TestDiskFull::fullLogFileSystemLosesNothing()
{
    ProducerTree tree;
    // svscan and all it starts live in a mount namespace of their own where the
    // log directory is a 2 MiB tmpfs: nothing outside sees the mount, and it goes
    // when the last process in the namespace ends.
    const QString main = tree.scanDir() + QStringLiteral("/prod/log/main");
    QVERIFY(QDir().mkpath(main));
    const QStringList wrapper{QStringLiteral("unshare"), QStringLiteral("-m"), QStringLiteral("--propagation"), QStringLiteral("private"),
                              QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("mount -t tmpfs -o size=2m tazuna-faults '%1' && exec \"$0\" \"$1\"").arg(main)};
    QVERIFY(tree.startSvscan(wrapper));
    const qint64 svscan = tree.svscan()->processId();
    tree.setLogPrefix(QStringLiteral("/proc/%1/root").arg(svscan));
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.multilogPid(); }, 15000));
    const int producer = tree.producerPid();
    const int logger = tree.multilogPid();
    QVERIFY(tree.waitForFlow(5000));
    QVERIFY(!readFile(QStringLiteral("/proc/self/mountinfo")).contains("tazuna-faults")); // not in our namespace

    const int rounds = soakSeconds() ? std::max(2, soakSeconds() / 30) : 2;
    for (int round = 0; round < rounds; ++round) {
        // Fill what is left (multilog ignores names that are not its own).
        const QString filler = tree.logDir() + QStringLiteral("/filler");
        struct statfs fs{};
        QVERIFY(::statfs(QFile::encodeName(tree.logDir()).constData(), &fs) == 0);
        QCOMPARE(static_cast<long>(fs.f_type), static_cast<long>(TMPFS_MAGIC)); // never fill anything else
        QFile f(filler);
        QVERIFY(f.open(QIODevice::Append | QIODevice::Unbuffered));
        const qsizetype reportedBefore = tree.svscanOutput().count("pausing: out of disk space");
        const QByteArray block(4096, 'f');
        qint64 written = 0;
        // Rotation frees an archive for each new current, so one fill may be
        // absorbed: fill again until multilog finds no room.
        const auto fill = [&] {
            while (written < 4 * 1024 * 1024 && f.write(block) == block.size())
                written += block.size();
        };
        QVERIFY2(waitFor([&] {
                     fill();
                     return tree.svscanOutput().count("pausing: out of disk space") > reportedBefore;
                 }, 20000),
                 tree.svscanOutput().right(2000).constData());
        f.close();
        QVERIFY(written < 2 * 1024 * 1024);
        // Stuck, not killed: the producer blocks once the pipe (1 MiB) is full.
        QTest::qWait(1500);
        QCOMPARE(tree.producerPid(), producer);
        QCOMPARE(tree.multilogPid(), logger);
        QVERIFY(QFile::remove(filler));
        // multilog retries after its 5-second pause and carries on.
        QVERIFY(tree.waitForFlow(20000, 20000));
    }
    const LineAudit a = tree.quietAudit();
    qInfo().noquote() << rounds << "fills:" << a.describe();
    const QByteArray out = tree.svscanOutput();
    for (const QByteArray &line : out.split('\n'))
        if (line.contains("out of disk space"))
            qInfo().noquote() << "reported:" << line;
    QCOMPARE(a.runs, QSet<int>{producer});
    QVERIFY2(a.everyLineOnce(), qPrintable(a.describe()));
    QCOMPARE(tree.multilogPid(), logger); // never restarted: it waited
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "test_diskfull.moc"
