// SPDX-License-Identifier: MIT
// Crash-loop backoff: the config text, the doubling pause and its reset, the state file.
#include "backoff.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace tz;

class TestBackoff : public QObject {
    Q_OBJECT

private slots:
    void parsesConfig()
    {
        QCOMPARE(*parseBackoffConfig(""), (BackoffConfig{60, 10}));
        QCOMPARE(*parseBackoffConfig("\n"), (BackoffConfig{60, 10}));
        QCOMPARE(*parseBackoffConfig("30\n"), (BackoffConfig{30, 10}));
        QCOMPARE(*parseBackoffConfig("max=5 stable=2"), (BackoffConfig{5, 2}));
        QCOMPARE(*parseBackoffConfig("  stable=3\tmax=120 \r\n"), (BackoffConfig{120, 3}));
    }

    void rejectsBadConfig()
    {
        for (const char *bad : {"0", "-1", "max=", "max=0", "max=86401", "stable=x", "fast", "10s", "max=5\nstable=2",
                                "max=99999999999999999999"}) {
            const auto r = parseBackoffConfig(bad);
            QVERIFY2(!r.ok(), bad);
            QCOMPARE(r.error().err, EINVAL);
        }
    }

    void doublesUpToTheCap()
    {
        Backoff b;
        const BackoffConfig config{10, 5};
        QCOMPARE(b.onDeath(100, config), 1000u);
        QCOMPARE(b.onDeath(100, config), 2000u);
        QCOMPARE(b.onDeath(100, config), 4000u);
        QCOMPARE(b.onDeath(4999, config), 8000u);
        QCOMPARE(b.onDeath(0, config), 10000u);
        QCOMPARE(b.onDeath(0, config), 10000u);
        QCOMPARE(b.quickDeaths(), 6u);
        for (int i = 0; i < 100000; ++i)
            b.onDeath(0, config); // no overflow in a long crash loop
        QCOMPARE(b.pauseMs(), 10000u);
    }

    void stableRunResets()
    {
        Backoff b;
        const BackoffConfig config{60, 5};
        b.onDeath(0, config);
        b.onDeath(0, config);
        QCOMPARE(b.onDeath(5000, config), 0u);
        QCOMPARE(b.quickDeaths(), 0u);
        QCOMPARE(b.onDeath(0, config), 1000u);
    }

    void stateLayoutAndFile()
    {
        BackoffState s;
        s.pending = true;
        s.quickDeaths = 3;
        s.pauseMs = 4000;
        s.maxSeconds = 60;
        s.nextStart = Tai64n{tai64Epoch + 5, 6};
        const auto b = encodeBackoffState(s);
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(b.data()), 16),
                 QByteArray("TZBO\x01\x01\x00\x03\x00\x00\x0f\xa0\x00\x00\x00\x3c", 16));
        QCOMPARE(*decodeBackoffState(b), s);
        QVERIFY(!decodeBackoffState(std::span<const unsigned char>(b.data(), 31)).has_value());

        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("supervise")));
        const int dir = ::open(QFile::encodeName(tmp.path()).constData(), O_PATH | O_DIRECTORY);
        QVERIFY(!readBackoffState(dir).has_value());
        QVERIFY(writeBackoffState(dir, s).ok());
        QCOMPARE(*readBackoffState(dir), s);
        QVERIFY(clearBackoffState(dir).ok());
        QVERIFY(clearBackoffState(dir).ok());
        QVERIFY(!readBackoffState(dir).has_value());

        auto none = readBackoffConfig(dir);
        QVERIFY(none.ok());
        QVERIFY(!none->has_value());
        QFile f(tmp.filePath(QStringLiteral("backoff")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("max=7\n");
        f.close();
        auto some = readBackoffConfig(dir);
        QVERIFY(some.ok());
        QCOMPARE(some->value().maxSeconds, 7u);
        ::close(dir);
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "test_backoff.moc"
