// SPDX-License-Identifier: MIT
// The service table model under QAbstractItemModelTester: in-place updates, health, durations.
#include "servicemodel.h"
#include "tray.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace tz;

namespace {
ServiceInfo info(const QString &name, const QString &state, quint32 pid = 0, const QString &want = QStringLiteral("up"))
{
    ServiceInfo s;
    s.name = name;
    s.state = state;
    s.pid = pid;
    s.want = want;
    s.seconds = 5;
    return s;
}
} // namespace

class TestServiceModel : public QObject {
    Q_OBJECT
private slots:
    void updatesInPlace();
    void healthAndSummary();
    void durations();
};

void TestServiceModel::updatesInPlace()
{
    ServiceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    model.setServices({info(QStringLiteral("web"), QStringLiteral("up"), 42), info(QStringLiteral("db"), QStringLiteral("down"))});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.index(0, ServiceModel::PidColumn).data().toUInt(), 42u);
    // Who runs it: what the helper knows, and nothing guessed where it knows nothing.
    QCOMPARE(model.index(1, ServiceModel::UserColumn).data().toString(), QString());
    ServiceInfo asBob = info(QStringLiteral("db"), QStringLiteral("down"));
    asBob.runAs = QStringLiteral("bob");
    model.upsert(asBob);
    QCOMPARE(model.index(1, ServiceModel::UserColumn).data().toString(), QStringLiteral("bob"));
    changed.clear();

    model.upsert(info(QStringLiteral("web"), QStringLiteral("up"), 43));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(0, ServiceModel::PidColumn).data().toUInt(), 43u);

    // A new listing keeps known rows, removes gone ones, adds new ones: no reset.
    model.setServices({info(QStringLiteral("db"), QStringLiteral("up"), 7), info(QStringLiteral("cache"), QStringLiteral("up"), 8)});
    QCOMPARE(model.names(), (QStringList{QStringLiteral("db"), QStringLiteral("cache")}));
    QCOMPARE(removed.count(), 1);
    model.removeService(QStringLiteral("db"));
    model.removeService(QStringLiteral("nope"));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(resets.count(), 0);
}

void TestServiceModel::healthAndSummary()
{
    ServiceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(Tray::summarize(&model), Tray::Summary::Empty);
    model.upsert(info(QStringLiteral("a"), QStringLiteral("up"), 1));
    model.upsert(info(QStringLiteral("b"), QStringLiteral("down"), 0, QStringLiteral("down")));
    QCOMPARE(Tray::summarize(&model), Tray::Summary::AllUp); // b is down on purpose
    model.upsert(info(QStringLiteral("c"), QStringLiteral("down"), 0, QStringLiteral("up")));
    QCOMPARE(ServiceModel::health(model.service(2)), ServiceModel::Health::Down);
    QCOMPARE(Tray::summarize(&model), Tray::Summary::SomethingDown);
    ServiceInfo crashing = info(QStringLiteral("c"), QStringLiteral("down"));
    crashing.crashes = 5;
    crashing.backoff = QStringLiteral("waiting");
    model.upsert(crashing);
    QCOMPARE(Tray::summarize(&model), Tray::Summary::CrashLoop);
    QCOMPARE(model.index(2, ServiceModel::BackoffColumn).data().toString(), QStringLiteral("waiting"));
    QCOMPARE(model.index(0, ServiceModel::StateColumn).data().toString(), QStringLiteral("up"));
    QVERIFY(model.index(0, ServiceModel::StateColumn).data(Qt::DecorationRole).canConvert<QIcon>());
    model.upsert(info(QStringLiteral("d"), QString()));
    QCOMPARE(model.index(3, ServiceModel::StateColumn).data().toString(), QStringLiteral("not supervised"));
    model.upsert(info(QStringLiteral("e"), QStringLiteral("paused"), 9));
    QCOMPARE(ServiceModel::health(model.service(4)), ServiceModel::Health::Paused);
}

void TestServiceModel::durations()
{
    QCOMPARE(ServiceModel::durationText(3), QStringLiteral("3 s"));
    QCOMPARE(ServiceModel::durationText(125), QStringLiteral("2 min"));
    QCOMPARE(ServiceModel::durationText(7800), QStringLiteral("2 h 10 min"));
    QCOMPARE(ServiceModel::durationText(3 * 86400), QStringLiteral("3 day(s)"));
    ServiceModel model;
    model.upsert(info(QStringLiteral("a"), QStringLiteral("up"), 1));
    QSignalSpy ticks(&model, &QAbstractItemModel::dataChanged);
    // The time column counts up on its own, between two signals from the helper.
    // Wait for both: the clock may pass a whole second just before the ticker fires
    // (a coarse timer may also fire a little early), so neither implies the other.
    QTRY_VERIFY_WITH_TIMEOUT(!ticks.isEmpty() && model.secondsInState(0) >= 6, 3500);
    QCOMPARE(ticks.last().at(0).toModelIndex().column(), int(ServiceModel::TimeColumn));
}

QTEST_MAIN(TestServiceModel)
#include "test_servicemodel.moc"
