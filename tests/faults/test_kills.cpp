// SPDX-License-Identifier: MIT
// kill -9 of supervise (service and logger), svscan and multilog, alone and together, under a flat-out producer.
#include "faultsupport.h"

#include <QRandomGenerator>
#include <QRegularExpression>

#include <csignal>

using namespace tz::test;

namespace {

enum Target { ServiceSupervise = 1, LoggerSupervise = 2, Svscan = 4, Multilog = 8, Later = 16 };

QString svstat(const QString &dir)
{
    return QString::fromUtf8(run(toolPath(QStringLiteral("svstat")), {dir}).out.trimmed());
}

} // namespace

class TestKills : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyLineOnceServiceOnce_data();
    void everyLineOnceServiceOnce();
    void allTogether();
};

void TestKills::everyLineOnceServiceOnce_data()
{
    QTest::addColumn<int>("targets");
    QTest::addColumn<int>("rounds");
    const int soak = soakSeconds();
    const int rounds = soak ? std::max(2, soak / 4) : 1;
    QTest::newRow("service supervise") << int(ServiceSupervise) << rounds;
    QTest::newRow("logger supervise") << int(LoggerSupervise) << rounds;
    QTest::newRow("svscan") << int(Svscan) << rounds;
    QTest::newRow("multilog") << int(Multilog) << rounds;
    QTest::newRow("both supervise") << int(ServiceSupervise | LoggerSupervise) << rounds;
    QTest::newRow("svscan and both supervise") << int(Svscan | ServiceSupervise | LoggerSupervise) << rounds;
    // svscan comes back (the helper starts it again) before the logger dies.
    QTest::newRow("svscan, later multilog") << int(Svscan | Multilog | Later) << rounds;
    QTest::newRow("svscan, later logger supervise and multilog") << int(Svscan | LoggerSupervise | Multilog | Later) << rounds;
    // Every holder of the pipe but the service itself at once: see allTogether().

}

void TestKills::everyLineOnceServiceOnce()
{
    QFETCH(int, targets);
    QFETCH(int, rounds);
    ProducerTree tree;
    QVERIFY(tree.startSvscan());
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.multilogPid(); }, 15000));
    const int producer = tree.producerPid();
    const int idle = tree.supervisePid(tree.scanDir() + QStringLiteral("/idle"));
    QVERIFY(tree.waitForFlow(5000));

    QRandomGenerator rng(static_cast<quint32>(QDateTime::currentMSecsSinceEpoch()));
    for (int round = 0; round < rounds; ++round) {
        QTest::qWait(static_cast<int>(rng.bounded(20, 400)));
        const auto fail = [&](const QString &what) {
            QFAIL(qPrintable(QStringLiteral("round %1: %2").arg(round).arg(what) + tree.snapshot()));
        };
        // Waited for: after a round that restarted svscan, its retry of a supervise
        // that still holds the lock can be running for a moment beside it.
        QList<int> victims;
        const auto pickVictims = [&] {
            victims.clear();
            if (targets & ServiceSupervise)
                victims << tree.supervisePid(tree.prodDir());
            if (targets & LoggerSupervise)
                victims << tree.supervisePid(tree.prodDir() + QStringLiteral("/log"));
            if (targets & Multilog)
                victims << tree.multilogPid();
            return !victims.contains(0);
        };
        if (!waitFor(pickVictims, 5000))
            return fail(QStringLiteral("a process to kill is missing"));
        if (targets & Svscan) {
            tree.killSvscan(SIGKILL);
            QVERIFY(tree.startSvscan()); // as the helper does when its svscan ends
            if (targets & Later) // back means: it has scanned and holds the pipe again
                QVERIFY(waitFor([&] { return tree.svscanHoldsPipe(); }, 10000) && tree.waitForFlow(3000));
        }
        for (int pid : victims)
            ::kill(pid, SIGKILL);
        // Everything is back: one supervise each, the same single producer, one logger, lines flowing.
        if (!waitFor([&] {
                return tree.supervisePid(tree.prodDir()) && tree.supervisePid(tree.prodDir() + QStringLiteral("/log"))
                       && tree.multilogPid() && tree.producerPid() == producer;
            }, 20000))
            return fail(QStringLiteral("producer %1 (was %2), multilog %3").arg(tree.producerPid()).arg(producer).arg(tree.multilogPid()));
        if (!tree.waitForFlow(3000))
            return fail(QStringLiteral("no lines flow"));
        if (!waitFor([&] { return svstat(tree.prodDir()).contains(QStringLiteral("up (pid %1)").arg(producer)); }, 10000))
            return fail(QStringLiteral("svstat does not show the producer %1 up").arg(producer));
        // Nothing else disturbed: idle's supervise still runs. (A restarted svscan
        // also starts one for idle now and then, which ends at once on the lock.)
        if (!pidsIn(tree.scanDir() + QStringLiteral("/idle"), "supervise").contains(idle))
            return fail(QStringLiteral("idle's supervise %1 is gone").arg(idle));
    }
    const LineAudit a = tree.quietAudit();
    qInfo().noquote() << QTest::currentDataTag() << rounds << "rounds:" << a.describe();
    QVERIFY2(a.runs.size() == 1, qPrintable(a.describe()));
    QVERIFY2(a.everyLineOnce(), qPrintable(a.describe()));
    QVERIFY(a.lines > 1000);
}

// svscan, both supervise and multilog killed at once: only the service still
// holds the pipe, its next write gets EPIPE and it dies (SIGPIPE); what the pipe
// held is gone with it. Nothing can keep a pipe whose every other holder is
// killed; what must hold: never two copies of the service, the logger and the
// service start again, nothing repeated or torn, and the loss is at most the pipe.
void TestKills::allTogether()
{
    ProducerTree tree;
    QVERIFY(tree.startSvscan());
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.multilogPid(); }, 15000));
    QVERIFY(tree.waitForFlow(5000));
    const int rounds = soakSeconds() ? std::max(2, soakSeconds() / 6) : 2;
    int maxCopies = 0;
    QSet<int> producers{tree.producerPid()};
    for (int round = 0; round < rounds; ++round) {
        const QList<int> victims{tree.supervisePid(tree.prodDir()), tree.supervisePid(tree.prodDir() + QStringLiteral("/log")), tree.multilogPid()};
        QVERIFY(!victims.contains(0));
        tree.killSvscan(SIGKILL);
        for (int pid : victims)
            ::kill(pid, SIGKILL);
        QVERIFY(tree.startSvscan());
        QVERIFY(waitFor([&] {
            maxCopies = std::max<int>(maxCopies, static_cast<int>(pidsIn(tree.prodDir(), "tz-fault-produc").size()));
            return tree.producerPid() && tree.multilogPid();
        }, 20000));
        QVERIFY(tree.waitForFlow(3000));
        producers.insert(tree.producerPid());
    }
    const LineAudit a = tree.quietAudit();
    qInfo().noquote() << "all together" << rounds << "rounds, service started" << producers.size() - 1 << "more times:" << a.describe();
    QVERIFY(maxCopies <= 1); // never two copies of the service at once
    QCOMPARE(a.torn, 0);
    QCOMPARE(a.badFiles, 0);
    QCOMPARE(a.duplicated, 0);
    QCOMPARE(a.reordered, 0);
    // Each gap is at most what the pipe holds (1 MiB of 64-byte lines).
    for (const auto &g : a.gaps)
        QVERIFY(g.second - g.first + 1 <= 16384);
}

QTEST_GUILESS_MAIN(TestKills)
#include "test_kills.moc"
