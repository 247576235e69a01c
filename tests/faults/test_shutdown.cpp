// SPDX-License-Identifier: MIT
// SIGTERM to svscan, and the shutdown order that stops services and flushes every logged line.
#include "faultsupport.h"

#include <QFileInfo>

#include <csignal>

using namespace tz::test;

namespace {

bool svc(const QStringList &args) { return run(toolPath(QStringLiteral("svc")), args).exitCode == 0; }

} // namespace

class TestShutdown : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void termToSvscanStopsNothing();
    void shutdownOrderFlushesEveryLine();
};

// As in 0.76, svscan does not catch SIGTERM: it ends, and the supervise
// processes, the services and their pipe go on (the helper starts svscan again).
void TestShutdown::termToSvscanStopsNothing()
{
    ProducerTree tree;
    QVERIFY(tree.startSvscan());
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.multilogPid(); }, 15000));
    const int producer = tree.producerPid();
    const int logger = tree.multilogPid();
    ::kill(static_cast<pid_t>(tree.svscan()->processId()), SIGTERM);
    QVERIFY(tree.svscan()->waitForFinished(5000));
    QCOMPARE(tree.svscan()->exitStatus(), QProcess::CrashExit);
    QVERIFY(tree.waitForFlow(5000));
    QCOMPARE(tree.producerPid(), producer);
    QCOMPARE(tree.multilogPid(), logger);
    const LineAudit a = tree.quietAudit();
    QCOMPARE(a.missing, 0);
    QCOMPARE(a.duplicated, 0);
}

// The order: svscan first (so it restarts nothing and lets go of the pipe), then
// the service down and its supervise out (svc -dx), then the logger's supervise
// told to leave once its logger is down (svc -x, no -d): with no writer left the
// logger reads the pipe to its end, writes it all, and exits by itself.
void TestShutdown::shutdownOrderFlushesEveryLine()
{
    ProducerTree tree;
    QVERIFY(tree.startSvscan());
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.multilogPid(); }, 15000));
    QVERIFY(tree.waitForFlow(20000));
    const int producer = tree.producerPid();
    const QString log = tree.prodDir() + QStringLiteral("/log");
    tree.killSvscan(SIGTERM);
    QVERIFY(svc({QStringLiteral("-dx"), tree.prodDir(), tree.scanDir() + QStringLiteral("/idle")}));
    QVERIFY(svc({QStringLiteral("-x"), log}));
    QVERIFY(waitFor([&] { return processesUnder(tree.scanDir()).isEmpty(); }, 20000));
    // Every line the producer wrote: its writes are 64 whole lines, so the last
    // logged number ends a write, and nothing is missing before it.
    const LineAudit a = auditLog(tree.logDir());
    qInfo().noquote() << "after the shutdown order:" << a.describe();
    QCOMPARE(a.runs, QSet<int>{producer});
    QCOMPARE(a.missing, 0);
    QCOMPARE(a.duplicated, 0);
    QCOMPARE(a.torn, 0);
    QCOMPARE(a.last % 64, quint64{0});
    // The logger ended cleanly: current is marked complete and the lock is empty.
    QVERIFY(QFileInfo(tree.logDir() + QStringLiteral("/current")).permissions() & QFileDevice::ExeOwner);
    QCOMPARE(QFileInfo(tree.logDir() + QStringLiteral("/lock")).size(), qint64{0});
}

QTEST_GUILESS_MAIN(TestShutdown)
#include "test_shutdown.moc"
