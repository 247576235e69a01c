// SPDX-License-Identifier: MIT
// kill -9 of the helper, alone and with svscan, supervise and multilog, under a flat-out producer it reports on.
#include "faultsupport.h"
#include "helpertestbase.h"

#include <QRandomGenerator>

#include <csignal>

using namespace tz;
using namespace tz::test;

namespace {

enum Target { Svscan = 1, Supervise = 2, Multilog = 4 };

int svscanOf(const QString &scanDir)
{
    return readFile(scanDir + QStringLiteral("/.tazuna-svscan.pid")).split(' ').value(0).toInt();
}

} // namespace

class TestHelperKill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void helperKilledWithOthers_data();
    void helperKilledWithOthers();
};

void TestHelperKill::helperKilledWithOthers_data()
{
    QTest::addColumn<int>("targets");
    QTest::newRow("helper") << 0;
    QTest::newRow("helper and svscan") << int(Svscan);
    QTest::newRow("helper, svscan and both supervise") << int(Svscan | Supervise);
    QTest::newRow("helper and multilog") << int(Multilog);
}

void TestHelperKill::helperKilledWithOthers()
{
    QFETCH(int, targets);
    HelperFixture f;
    QVERIFY(f.start());
    ProducerTree tree(QStringLiteral("t s100000 n5 ./main"), f.scanDir);
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.multilogPid(); }, 20000));
    const int producer = tree.producerPid();
    QVERIFY(tree.waitForFlow(5000));
    QVERIFY(f.waitState(QStringLiteral("prod"), QStringLiteral("up")));

    const int rounds = soakSeconds() ? std::max(2, soakSeconds() / 10) : 2;
    QRandomGenerator rng(static_cast<quint32>(QDateTime::currentMSecsSinceEpoch()));
    for (int round = 0; round < rounds; ++round) {
        QTest::qWait(static_cast<int>(rng.bounded(20, 300)));
        QList<int> victims;
        if (targets & Svscan)
            victims << svscanOf(f.scanDir);
        if (targets & Supervise)
            victims << tree.supervisePid(tree.prodDir()) << tree.supervisePid(tree.prodDir() + QStringLiteral("/log"));
        if (targets & Multilog)
            victims << tree.multilogPid();
        QVERIFY(!victims.contains(0));
        f.harness.killHelper(SIGKILL);
        for (int pid : victims)
            ::kill(pid, SIGKILL);
        QVERIFY(f.harness.startHelper(f.scanDir));
        f.root = f.proxyFor(0, 0, QStringLiteral("root-%1").arg(round));
        QVERIFY2(waitFor([&] {
                     return tree.producerPid() == producer && tree.multilogPid() && tree.supervisePid(tree.prodDir())
                            && tree.supervisePid(tree.prodDir() + QStringLiteral("/log"));
                 }, 20000),
                 qPrintable(QStringLiteral("round %1: producer %2 (was %3)").arg(round).arg(tree.producerPid()).arg(producer)));
        QVERIFY(tree.waitForFlow(3000));
        // What the helper reports is what runs.
        QVERIFY(waitFor([&] {
            const auto s = f.find(QStringLiteral("prod"));
            return s && s->state == QLatin1String("up") && s->pid == static_cast<quint32>(producer);
        }, 10000));
    }
    const LineAudit a = tree.quietAudit();
    qInfo().noquote() << QTest::currentDataTag() << rounds << "rounds:" << a.describe();
    QCOMPARE(a.runs, QSet<int>{producer});
    QVERIFY2(a.everyLineOnce(), qPrintable(a.describe()));
}

QTEST_GUILESS_MAIN(TestHelperKill)
#include "test_helperkill.moc"
