// SPDX-License-Identifier: MIT
// Tests for multilog's pattern matching: daemontools 0.76's '*' rules, no backtracking.
#include "pattern.h"

#include <QTest>

class TestPattern : public QObject {
    Q_OBJECT

private slots:
    void match_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("expected");

        QTest::newRow("literal equal") << "abc" << "abc" << true;
        QTest::newRow("literal prefix only") << "abc" << "abcd" << false;
        QTest::newRow("literal too long") << "abcd" << "abc" << false;
        QTest::newRow("empty matches empty") << "" << "" << true;
        QTest::newRow("empty rejects text") << "" << "x" << false;
        QTest::newRow("star alone matches all") << "*" << "anything at all" << true;
        QTest::newRow("star alone matches empty") << "*" << "" << true;
        QTest::newRow("prefix star") << "fatal: *" << "fatal: disk on fire" << true;
        QTest::newRow("prefix star mismatch") << "fatal: *" << "warning: fatal: x" << false;
        QTest::newRow("star suffix") << "*.c" << "main.c" << true;
        QTest::newRow("contains") << "*error*" << "an error here" << true;
        QTest::newRow("contains missing") << "*error*" << "all is well" << false;
        // '*' stops at the first occurrence of the next byte: no backtracking.
        QTest::newRow("no backtracking") << "*a" << "aab" << false;
        QTest::newRow("first occurrence wins") << "*.c" << "a.c.c" << false;
        QTest::newRow("first occurrence exact") << "*x" << "abx" << true;
        QTest::newRow("two stars") << "a*b*" << "axxbyy" << true;
        QTest::newRow("two stars fail") << "a*b*c" << "axbycz" << false;
        QTest::newRow("star before star") << "**x" << "a*bx" << true;
        QTest::newRow("star before star needs star") << "**x" << "abx" << false;
        QTest::newRow("star needs the byte") << "*:" << "no colon" << false;
        QTest::newRow("stamp prefix") << "@*" << "@400000006b08a83139a3af14 hi" << true;
        QTest::newRow("after stamp") << "* hi" << "@400000006b08a83139a3af14 hi" << true;
        QTest::newRow("case sensitive") << "ABC" << "abc" << false;
    }

    void match()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, expected);
        const QByteArray p = pattern.toUtf8();
        const QByteArray t = text.toUtf8();
        QCOMPARE(tz::matchPattern(std::string_view(p.constData(), p.size()), std::string_view(t.constData(), t.size())),
                 expected);
    }

    void binaryBytes()
    {
        const std::string text("a\0b\xff", 4);
        QVERIFY(tz::matchPattern(std::string_view("a\0*", 3), text));
        QVERIFY(tz::matchPattern("*\xff", text));
        QVERIFY(!tz::matchPattern("a", text));
    }
};

QTEST_GUILESS_MAIN(TestPattern)
#include "test_pattern.moc"
