// SPDX-License-Identifier: MIT
// kill -9 of a helper just as it starts svscan, many times: never two scanners over a tree, never a duplicated supervise.
#include "helpertestbase.h"
#include "treeprobe.h"

#include <QElapsedTimer>
#include <QMap>
#include <QRandomGenerator>

#include <chrono>
#include <csignal>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace tz;
using namespace tz::test;

namespace {

// Processes that are still the helper's program and serve scanDir, but are not a
// helper this test started: forks of a helper that have not reached svscan's exec.
QList<int> halfBorn(const QString &scanDir)
{
    QList<int> out;
    for (const int p : allPids()) {
        if (parentOf(p) == ::getpid())
            continue;
        if (!QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(p)).endsWith(QLatin1String("/tazuna-helper")))
            continue;
        if (readFile(QStringLiteral("/proc/%1/cmdline").arg(p)).split('\0').contains(scanDir.toUtf8()))
            out << p;
    }
    return out;
}

// The first child of pid, polled as fast as /proc allows, or 0 after timeoutMs.
int firstChild(qint64 pid, int timeoutMs)
{
    const QString children = QStringLiteral("/proc/%1/task/%1/children").arg(pid);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const QByteArray list = readFile(children).trimmed();
        if (!list.isEmpty())
            return list.split(' ').first().toInt();
        if (!QFileInfo::exists(children))
            return 0;
    }
    return 0;
}

} // namespace

class TestScanLock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void svscanRunByHandTakesTheLock();
    void killsAroundTheStartOfSvscan();
    void cleanupTestCase();

private:
    // Kills the helper, every svscan over the tree and everything in it: a tree with
    // no scanner, as after a reboot.
    void stopAll();

    std::unique_ptr<HelperFixture> f;
};

void TestScanLock::initTestCase()
{
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start());
    // With a logger, so that a second scanner would show as a second supervise for
    // the service and for its log.
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("probe"),
                                     foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzalice")))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("probe"), QStringLiteral("up")));
}

void TestScanLock::cleanupTestCase() { f.reset(); }

void TestScanLock::stopAll()
{
    f->harness.killHelper(SIGKILL);
    for (const int p : svscans(f->scanDir))
        ::kill(p, SIGKILL);
    DbusHarness::stopTree(f->scanDir);
    // A killed svscan drops out of svscans() (its cmdline empties) before it lets go
    // of its lock: the lock itself says when it has gone.
    QVERIFY(waitFor([&] {
        const int dir = ::open(QFile::encodeName(f->scanDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        const bool free = dir >= 0 && ::flock(dir, LOCK_EX | LOCK_NB) == 0;
        if (dir >= 0)
            ::close(dir);
        return free && svscans(f->scanDir).isEmpty() && supervisors(f->path(QStringLiteral("probe"))).isEmpty()
            && supervisors(f->path(QStringLiteral("probe/log"))).isEmpty() && halfBorn(f->scanDir).isEmpty();
    }));
}

void TestScanLock::svscanRunByHandTakesTheLock()
{
    // Our svscan started by hand (no helper, no SVSCAN_LOCK) scans as 0.76 does and
    // holds the lock; a helper started then adopts it instead of starting another.
    stopAll();
    QProcess byHand;
    byHand.setProgram(toolPath(QStringLiteral("svscan")));
    byHand.setArguments({f->scanDir});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), toolDir() + QStringLiteral(":/usr/bin:/bin"));
    env.remove(QStringLiteral("SVSCAN_LOCK"));
    byHand.setProcessEnvironment(env);
    byHand.setStandardOutputFile(QProcess::nullDevice());
    byHand.setStandardErrorFile(f->harness.runDir() + QStringLiteral("/byhand.log"));
    byHand.start();
    QVERIFY(byHand.waitForStarted());
    QVERIFY(waitFor([&] { return runCopies(f->path(QStringLiteral("probe"))).size() == 1; }));
    QVERIFY(f->harness.startHelper(f->scanDir));
    f->root = f->proxyFor(0, 0, QStringLiteral("root-byhand"));
    QVERIFY(f->waitState(QStringLiteral("probe"), QStringLiteral("up")));
    QCOMPARE(svscans(f->scanDir), QList<int>{static_cast<int>(byHand.processId())});
    QCOMPARE(readFile(f->path(QStringLiteral(".tazuna-svscan.pid"))).split(' ').first().toLongLong(), byHand.processId());

    // A second one by hand goes on regardless, as 0.76's would; with
    // SVSCAN_LOCK=exclusive it refuses to run over a tree that is scanned already.
    env.insert(QStringLiteral("SVSCAN_LOCK"), QStringLiteral("exclusive"));
    RunOptions o;
    o.environment = env;
    o.timeoutMs = 5000;
    const ProcessResult second = run(toolPath(QStringLiteral("svscan")), {f->scanDir}, o);
    QCOMPARE(second.exitCode, 111);
    QCOMPARE(second.err, QByteArray("svscan: fatal: unable to lock ") + f->scanDir.toUtf8() + ": temporary failure\n");
    QCOMPARE(svscans(f->scanDir), QList<int>{static_cast<int>(byHand.processId())});
    stopAll();
    QVERIFY(waitFor([&] { return byHand.state() == QProcess::NotRunning; }));
}

void TestScanLock::killsAroundTheStartOfSvscan()
{
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u", seed);
    QRandomGenerator random(seed);
    const QString svscanLog = f->harness.runDir() + QStringLiteral("/svscan.log");
    QMap<QString, int> left;
    int kills = 0;
    constexpr int rounds = 30;
    for (int round = 0; round < rounds; ++round) {
        stopAll();
        if (QTest::currentTestFailed())
            return;
        // One to three helpers killed one after the other, each just after it forks
        // (when its first child shows in /proc) or up to 3 ms later; the next one
        // starts while what the last one forked may still be on its way to exec. A
        // helper that finds a svscan adopts it and never forks: it is killed 400 ms
        // after its start.
        const int helpers = 1 + static_cast<int>(random.bounded(3));
        for (int h = 0; h < helpers; ++h) {
            auto p = spawnHelper(f->harness, f->scanDir);
            QVERIFY(p->waitForStarted());
            const int child = firstChild(p->processId(), 400);
            std::this_thread::sleep_for(std::chrono::microseconds(random.bounded(3000)));
            ::kill(static_cast<pid_t>(p->processId()), SIGKILL);
            QVERIFY(p->waitForFinished());
            ++kills;
            const QList<int> scanners = svscans(f->scanDir);
            const QList<int> forks = halfBorn(f->scanDir);
            const int recorded = readFile(f->path(QStringLiteral(".tazuna-svscan.pid"))).split(' ').first().toInt();
            QString what = child == 0 ? QStringLiteral("no fork (adopted, or killed before)")
                : !forks.isEmpty()     ? QStringLiteral("a fork not yet svscan")
                : scanners.contains(recorded) ? QStringLiteral("svscan running and recorded")
                : !scanners.isEmpty() ? QStringLiteral("svscan running, not recorded")
                                      : QStringLiteral("fork gone, no svscan");
            left[what]++;
        }
        QVERIFY(f->harness.startHelper(f->scanDir));
        // Whatever was forked has exec'd or gone by now; a svscan that lost the lock
        // exits at once.
        QVERIFY2(waitFor([&] { return halfBorn(f->scanDir).isEmpty() && svscans(f->scanDir).size() == 1; }),
                 qPrintable(QStringLiteral("round %1: %2 forks, %3 svscans").arg(round).arg(halfBorn(f->scanDir).size()).arg(svscans(f->scanDir).size())));
        QTest::qWait(200);
        const QList<int> scanners = svscans(f->scanDir);
        QCOMPARE(scanners.size(), 1);
        QCOMPARE(readFile(f->path(QStringLiteral(".tazuna-svscan.pid"))).split(' ').first().toInt(), scanners.first());
        QVERIFY(waitFor([&] { return runCopies(f->path(QStringLiteral("probe"))).size() == 1; }));
        QCOMPARE(supervisors(f->path(QStringLiteral("probe"))).size(), 1);
        QCOMPARE(supervisors(f->path(QStringLiteral("probe/log"))).size(), 1);
    }
    // A second scanner would have started a second supervise for probe, which says
    // so before it exits.
    const QByteArray log = readFile(svscanLog);
    QVERIFY2(!log.contains("unable to acquire"), log.constData());
    qInfo("%d rounds, %d helpers killed, %lld svscans that lost the lock and left", rounds, kills,
          static_cast<long long>(log.count("svscan: fatal: unable to lock")));
    for (auto it = left.cbegin(); it != left.cend(); ++it)
        qInfo("  %3d x %s", it.value(), qPrintable(it.key()));
}

QTEST_GUILESS_MAIN(TestScanLock)
#include "test_scanlock.moc"
