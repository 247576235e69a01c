// SPDX-License-Identifier: MIT
// Tests for tai64nlocal's conversion: 0.76's exact text, and malformed labels left alone.
#include "localstamp.h"

#include <QTest>

#include <cstdlib>
#include <ctime>

class TestLocalStamp : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }

    void convert_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("expected");
        // 2^62 + 10 + 0 is the Unix epoch.
        QTest::newRow("epoch") << QByteArray("@400000000000000a00000000 ") << QByteArray("1970-01-01 00:00:00.000000000");
        QTest::newRow("nanoseconds") << QByteArray("@400000000000000a3b9ac9ff\n")
                                     << QByteArray("1970-01-01 00:00:00.999999999");
        QTest::newRow("2026") << QByteArray("@400000006b08a83139a3af14 ") << QByteArray("2026-11-26 21:44:07.967028500");
        QTest::newRow("end of input") << QByteArray("@400000006b08a83139a3af14")
                                      << QByteArray("2026-11-26 21:44:07.967028500");
        // 0.76 does not range-check nanoseconds: ten digits print as they are.
        QTest::newRow("too many nanoseconds") << QByteArray("@400000000000000affffffff ")
                                              << QByteArray("1970-01-01 00:00:00.4294967295");
        QTest::newRow("before 1970") << QByteArray("@3fffffffffffffff00000000 ")
                                     << QByteArray("1969-12-31 23:59:49.000000000");
    }

    void convert()
    {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, expected);
        const auto local = tz::localStamp(std::string_view(head.constData(), head.size()));
        QVERIFY(local.has_value());
        QCOMPARE(QByteArray::fromStdString(*local), expected);
    }

    void untouched_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("no at") << QByteArray("400000006b08a83139a3af14 x");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("at only") << QByteArray("@");
        QTest::newRow("truncated") << QByteArray("@400000006b08a831");
        QTest::newRow("truncated by newline") << QByteArray("@400000006b08a831\n");
        QTest::newRow("truncated by space") << QByteArray("@400000006b08a83139a3af1 x");
        QTest::newRow("uppercase") << QByteArray("@400000006B08A83139A3AF14 ");
        QTest::newRow("not hex") << QByteArray("@400000006b08a83139a3afzz ");
        QTest::newRow("too long") << QByteArray("@400000006b08a83139a3af14a");
        // Far beyond what a calendar year fits in: 0.76 crashes here.
        QTest::newRow("year out of range") << QByteArray("@7fffffffffffffff00000000 ");
    }

    void untouched()
    {
        QFETCH(QByteArray, head);
        QVERIFY(!tz::localStamp(std::string_view(head.constData(), head.size())).has_value());
    }

    void followsTimeZone()
    {
        ::setenv("TZ", "JST-9", 1);
        ::tzset();
        const auto local = tz::localStamp("@400000000000000a00000000 ");
        ::setenv("TZ", "UTC", 1);
        ::tzset();
        QVERIFY(local.has_value());
        QCOMPARE(QByteArray::fromStdString(*local), QByteArray("1970-01-01 09:00:00.000000000"));
    }
};

QTEST_GUILESS_MAIN(TestLocalStamp)
#include "test_localstamp.moc"
