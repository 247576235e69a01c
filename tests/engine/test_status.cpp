// SPDX-License-Identifier: MIT
// The 18-byte status record and TAI64N: bytes exactly as daemontools 0.76 has them.
#include "servicedir.h"
#include "status.h"
#include "tai64n.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz;

class TestStatus : public QObject {
    Q_OBJECT

private slots:
    void encodesEveryField()
    {
        ServiceStatus s;
        s.since = Tai64n{0x400000005f5e1000ULL, 0x01020304};
        s.pid = 0x00a1b2c3;
        s.paused = true;
        s.want = Want::Down;
        const auto b = encodeStatus(s);
        const unsigned char expected[18] = {0x40, 0, 0, 0, 0x5f, 0x5e, 0x10, 0x00, 1, 2, 3, 4,
                                            0xc3, 0xb2, 0xa1, 0x00, 1, 'd'};
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(b.data()), 18),
                 QByteArray(reinterpret_cast<const char *>(expected), 18));
    }

    void pausedOnlyWithPid()
    {
        ServiceStatus s;
        s.paused = true;
        s.pid = 0;
        QCOMPARE(encodeStatus(s)[16], 0);
    }

    void wantOnceIsZero()
    {
        ServiceStatus s;
        s.want = Want::Once;
        QCOMPARE(encodeStatus(s)[17], 0);
        s.want = Want::Up;
        QCOMPARE(encodeStatus(s)[17], 'u');
    }

    void roundTrip()
    {
        ServiceStatus s;
        s.since = Tai64n::now();
        s.pid = 4194303;
        s.paused = false;
        s.want = Want::Up;
        const auto b = encodeStatus(s);
        const auto d = decodeStatus(b);
        QVERIFY(d.has_value());
        QCOMPARE(*d, s);
    }

    void acceptsLongerRecords()
    {
        // runit writes 20 bytes; 0.76's svstat reads the first 18.
        ServiceStatus s;
        s.pid = 77;
        auto b = encodeStatus(s);
        std::vector<unsigned char> longer(b.begin(), b.end());
        longer.push_back(9);
        longer.push_back(9);
        QVERIFY(decodeStatus(longer).has_value());
        QCOMPARE(decodeStatus(longer)->pid, 77u);
    }

    void rejectsShortRecords()
    {
        ServiceStatus s;
        const auto b = encodeStatus(s);
        QVERIFY(!decodeStatus(std::span<const unsigned char>(b.data(), 17)).has_value());
        QVERIFY(!decodeStatus({}).has_value());
    }

    void writesAtomicallyAndReadsBack()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("supervise")));
        const int fd = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY);
        QVERIFY(fd >= 0);
        ServiceStatus s;
        s.since = Tai64n::now();
        s.pid = 1234;
        QVERIFY(writeStatusFile(fd, s).ok());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("supervise/status.new"))));
        QCOMPARE(QFileInfo(dir.filePath(QStringLiteral("supervise/status"))).size(), 18);
        auto r = readStatusFile(fd);
        QVERIFY(r.ok());
        QVERIFY(r->status.has_value());
        QCOMPARE(*r->status, s);
        ::close(fd);
    }

    void missingStatusIsAFailureWithErrno()
    {
        QTemporaryDir dir;
        const int fd = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY);
        auto r = readStatusFile(fd);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().err, ENOENT);
        QCOMPARE(QString::fromStdString(r.error().describe()),
                 QStringLiteral("open supervise/status: file does not exist"));
        ::close(fd);
    }

    void tai64nText()
    {
        const Tai64n t{0x4000000012345678ULL, 0x0abcdef0};
        char text[tai64nTextSize];
        formatTai64n(t, text);
        QCOMPARE(QByteArray(text, tai64nTextSize), QByteArray("@40000000123456780abcdef0"));
        QCOMPARE(parseTai64n(std::string_view(text, tai64nTextSize)), std::optional<Tai64n>(t));
        QVERIFY(!parseTai64n("@4000000012345678").has_value());
        QVERIFY(!parseTai64n("@40000000123456780abcdefg").has_value());
        QVERIFY(!parseTai64n("x40000000123456780abcdef0").has_value());
    }

    void tai64nUnixEpochOffset()
    {
        const Tai64n t = Tai64n::fromUnix(timespec{1000000000, 5});
        QCOMPARE(t.seconds, (std::uint64_t{1} << 62) + 10 + 1000000000);
        QCOMPARE(t.toUnix().tv_sec, time_t{1000000000});
        QCOMPARE(t.toUnix().tv_nsec, 5L);
    }

    void serviceNames()
    {
        QVERIFY(isServiceName("qmail"));
        QVERIFY(isServiceName("web-server_2"));
        QVERIFY(!isServiceName(""));
        QVERIFY(!isServiceName(".hidden"));
        QVERIFY(!isServiceName("a/b"));
        QVERIFY(!isServiceName(".."));
        QVERIFY(!isServiceName("tab\there"));
        QVERIFY(!isServiceName(std::string(256, 'a')));
        QVERIFY(isServiceName(std::string(255, 'a')));
    }
};

QTEST_GUILESS_MAIN(TestStatus)
#include "test_status.moc"
