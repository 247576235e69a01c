// SPDX-License-Identifier: MIT
// The helper's log grants alone: what one allowed ListLogs lets its caller open, and for how long.
#include "loggrants.h"

#include <QTest>

using namespace tz;

namespace {

const DirectoryId logs{1, 100, 1700000000, 5};
const QSet<QString> listed{QStringLiteral("current"), QStringLiteral("@400000006570a1b2c3d4e5f6.s")};

} // namespace

class TestLogGrants : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensOnlyWhatWasListedForThatCaller()
    {
        LogGrants grants(60);
        grants.grant(QStringLiteral(":1.7"), QStringLiteral("web"), logs, 1001, listed);
        QCOMPARE(grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("current")), std::optional<uint>(1001));
        QCOMPARE(grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("@400000006570a1b2c3d4e5f6.s")),
                 std::optional<uint>(1001));
        // Not another file, caller, service or directory.
        QVERIFY(!grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("@400000006570a1b2c3d4e5f7.s")));
        QVERIFY(!grants.find(QStringLiteral(":1.8"), QStringLiteral("web"), logs, QStringLiteral("current")));
        QVERIFY(!grants.find(QStringLiteral(":1.7"), QStringLiteral("db"), logs, QStringLiteral("current")));
        for (const DirectoryId &other : {DirectoryId{2, 100, 1700000000, 5}, DirectoryId{1, 101, 1700000000, 5},
                                         DirectoryId{1, 100, 1700000001, 5}, DirectoryId{1, 100, 1700000000, 6}})
            QVERIFY(!grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), other, QStringLiteral("current")));
    }

    void aNewListReplacesTheOld()
    {
        LogGrants grants(60);
        grants.grant(QStringLiteral(":1.7"), QStringLiteral("web"), logs, 1001, listed);
        grants.grant(QStringLiteral(":1.7"), QStringLiteral("web"), logs, 1001, {QStringLiteral("current")});
        QVERIFY(grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("current")));
        QVERIFY(!grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("@400000006570a1b2c3d4e5f6.s")));
    }

    void endsAfterItsLife()
    {
        LogGrants grants(1);
        grants.grant(QStringLiteral(":1.7"), QStringLiteral("web"), logs, 1001, listed);
        QVERIFY(grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("current")));
        QTest::qWait(1100);
        QVERIFY(!grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("current")));
        // A life of 0 grants nothing: every open asks polkit.
        LogGrants none(0);
        none.grant(QStringLiteral(":1.7"), QStringLiteral("web"), logs, 1001, listed);
        QVERIFY(!none.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("current")));
    }

    void oneUserHoldsABoundedNumber()
    {
        // A user's grants beyond the bound push out that user's oldest, and no one else's.
        LogGrants grants(60);
        const auto caller = [](int i) { return QStringLiteral(":1.%1").arg(100 + i); };
        grants.grant(QStringLiteral(":1.7"), QStringLiteral("web"), logs, 1002, listed);
        for (int i = 0; i <= LogGrants::perUserMax; ++i)
            grants.grant(caller(i), QStringLiteral("web"), logs, 1001, listed);
        QVERIFY(!grants.find(caller(0), QStringLiteral("web"), logs, QStringLiteral("current")));
        for (int i = 1; i <= LogGrants::perUserMax; ++i)
            QVERIFY(grants.find(caller(i), QStringLiteral("web"), logs, QStringLiteral("current")));
        QCOMPARE(grants.find(QStringLiteral(":1.7"), QStringLiteral("web"), logs, QStringLiteral("current")), std::optional<uint>(1002));
    }
};

QTEST_GUILESS_MAIN(TestLogGrants)
#include "test_loggrants.moc"
