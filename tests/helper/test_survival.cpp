// SPDX-License-Identifier: MIT
// kill -9 of the helper under load: services, their pids and their logs go on; a new helper adopts svscan.
#include "helpertestbase.h"
#include "treeprobe.h"

#include <QTimer>

#include <algorithm>
#include <csignal>

using namespace tz;
using namespace tz::test;

namespace {

// ListServices without what changes by itself as time goes by.
QStringList stateOf(HelperProxy &p)
{
    QDBusPendingReply<ServiceInfoList> r = p.ListServices();
    r.waitForFinished();
    QStringList out;
    for (const ServiceInfo &s : r.value())
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9").arg(s.name, s.state).arg(s.pid).arg(s.want).arg(s.normallyUp)
                   .arg(s.logging).arg(s.runAs).arg(s.ownerUid).arg(s.templateId);
    return out;
}

} // namespace

class TestSurvival : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killNineUnderLoadStopsNothing();
    void restartedHelperAdoptsAndReportsTheSame();
    void helperStartsSvscanAgainIfItDies();
    void loggingToggledThenKillNineKeepsPids();
    void cleanupTestCase();

private:
    std::unique_ptr<HelperFixture> f;
    QTemporaryDir m_work;
    QStringList m_before;
    int m_svscan = 0;
};

void TestSurvival::initTestCase()
{
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start());
    ::chmod(QFile::encodeName(m_work.path()).constData(), 0777);
    const QString code = numberedProducer(m_work.filePath(QStringLiteral("counter")));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("fast"), foreground(code, QStringLiteral("tzalice")))), QString());
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("slow"),
                                     foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzbob"), false))),
             QString());
    ParameterMap down = foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzalice"));
    down.insert(QStringLiteral("start"), QStringLiteral("false"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("resting"), down)), QString());
    QVERIFY(f->waitState(QStringLiteral("fast"), QStringLiteral("up")));
    QVERIFY(f->waitState(QStringLiteral("slow"), QStringLiteral("up")));
    QVERIFY(f->waitState(QStringLiteral("resting"), QStringLiteral("down")));
    QVERIFY(waitFor([&] { return numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size() > 1000; }));
}

void TestSurvival::cleanupTestCase() { f.reset(); }

void TestSurvival::killNineUnderLoadStopsNothing()
{
    m_before = stateOf(*f->root);
    QCOMPARE(m_before.size(), 3);
    const QList<int> scanners = svscans(f->scanDir);
    QCOMPARE(scanners.size(), 1);
    m_svscan = scanners.first();

    // Load: a stream of reads and control calls in flight when the helper dies.
    int sent = 0;
    QTimer load;
    QObject::connect(&load, &QTimer::timeout, [&] {
        for (int i = 0; i < 5; ++i) {
            f->asAlice->ListServices();
            f->asAlice->GetService(QStringLiteral("fast"));
            f->asAlice->Control(QStringLiteral("resting"), QStringLiteral("stop"));
            sent += 3;
        }
    });
    load.start(1);
    QTest::qWait(300);
    f->harness.killHelper(SIGKILL);
    load.stop();
    QVERIFY(sent > 30);

    // Nothing noticed: the same svscan, the same pids, lines still flowing.
    QCOMPARE(svscans(f->scanDir), QList<int>{m_svscan});
    const qsizetype logged = numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size();
    QVERIFY(waitFor([&] { return numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size() > logged + 500; }));
}

void TestSurvival::restartedHelperAdoptsAndReportsTheSame()
{
    // A create the dead helper had half done: staged under a dot-name with its pid.
    QProcess gone;
    gone.start(QStringLiteral("/bin/sleep"), {QStringLiteral("0.1")});
    QVERIFY(gone.waitForStarted());
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished());
    const QString stale = f->path(QStringLiteral(".tazuna-new-ghost-%1-1").arg(deadPid));
    QVERIFY(QDir().mkpath(stale + QStringLiteral("/log")));
    QVERIFY(f->harness.startHelper(f->scanDir));
    QVERIFY(!QFileInfo::exists(stale));
    f->root = f->proxyFor(0, 0, QStringLiteral("root-again"));
    QCOMPARE(stateOf(*f->root), m_before);
    QCOMPARE(svscans(f->scanDir), QList<int>{m_svscan});

    // A clean stop of the helper (what systemd does with KillMode=process) and a
    // start again: still nothing changes.
    f->harness.killHelper(SIGTERM);
    QVERIFY(f->harness.startHelper(f->scanDir));
    f->root = f->proxyFor(0, 0, QStringLiteral("root-third"));
    QCOMPARE(stateOf(*f->root), m_before);
    QCOMPARE(svscans(f->scanDir), QList<int>{m_svscan});

    // And the adopted tree is watched like a started one.
    BusSpy changed(f->root.get(), &HelperProxy::ServiceChanged);
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("resting"), QStringLiteral("start"))), QString());
    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 5000);

    // Not a line lost in all of it (a restart may repeat one, never skip one).
    QList<int> all = numberedLines(allLogs(f->path(QStringLiteral("fast/log/main"))));
    QVERIFY(all.size() > 1500);
    for (int i = 1; i < all.size(); ++i)
        QVERIFY2(all[i] == all[i - 1] + 1, qPrintable(QStringLiteral("after %1 came %2").arg(all[i - 1]).arg(all[i])));
}

void TestSurvival::helperStartsSvscanAgainIfItDies()
{
    // Started just before: wait until it runs, so that the state compared is a settled one.
    QVERIFY(f->waitState(QStringLiteral("resting"), QStringLiteral("up")));
    const QStringList before = stateOf(*f->root);
    ::kill(m_svscan, SIGKILL);
    // The helper notices through a pidfd, with no polling, and starts one svscan.
    QVERIFY(waitFor([&] {
        const QList<int> now = svscans(f->scanDir);
        return now.size() == 1 && now.first() != m_svscan;
    }));
    const int fresh = svscans(f->scanDir).first();
    // The helper records it once svscan runs.
    QVERIFY(waitFor([&] { return readFile(f->path(QStringLiteral(".tazuna-svscan.pid"))).split(' ').first().toInt() == fresh; }));
    // The supervise processes and their services were never svscan's to stop.
    QCOMPARE(stateOf(*f->root), before);
    m_svscan = fresh;
}


void TestSurvival::loggingToggledThenKillNineKeepsPids()
{
    // The load below stops it, which must change nothing.
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("resting"), QStringLiteral("stop"))), QString());
    QVERIFY(f->waitState(QStringLiteral("resting"), QStringLiteral("down")));
    // Off and on again for the busy service and the resting one; what the service
    // wrote while its logger was off went to svscan's output.
    for (const QString &name : {QStringLiteral("fast"), QStringLiteral("resting")}) {
        QCOMPARE(errorOf(f->root->SetLogging(name, false)), QString());
        QCOMPARE(errorOf(f->root->SetLogging(name, true)), QString());
    }
    // And on for the first time for one made without a log.
    QCOMPARE(errorOf(f->root->SetLogging(QStringLiteral("slow"), true)), QString());
    if (!f->waitState(QStringLiteral("fast"), QStringLiteral("up"))) {
        const auto fast = f->find(QStringLiteral("fast"));
        QFAIL(qPrintable(QStringLiteral("fast is %1, wants %2; helper: %3; svscan: %4")
                             .arg(fast ? fast->state : QString(), fast ? fast->want : QString(),
                                  QString::fromUtf8(f->harness.helperOutput().right(1500)),
                                  QString::fromUtf8(readFile(f->harness.runDir() + QStringLiteral("/svscan.log")).right(1500)))));
    }
    QVERIFY(f->waitState(QStringLiteral("slow"), QStringLiteral("up")));
    const QString slowDir = f->path(QStringLiteral("slow"));
    QVERIFY(waitFor([&] { return runCopies(slowDir).size() == 1; }));
    const QList<int> slowRuns = runCopies(slowDir);
    const QString fastDir = f->path(QStringLiteral("fast"));
    QVERIFY(waitFor([&] { return runCopies(fastDir).size() == 1; }));
    const qsizetype logged = numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size();
    QVERIFY(waitFor([&] { return numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size() > logged + 200; }));
    const QStringList before = stateOf(*f->root);
    const QList<int> runs = runCopies(fastDir);

    for (int round = 0; round < 3; ++round) {
        QTimer load;
        QObject::connect(&load, &QTimer::timeout, [&] {
            f->asAlice->ListServices();
            f->asAlice->GetService(QStringLiteral("fast"));
            f->asAlice->Control(QStringLiteral("resting"), QStringLiteral("stop"));
        });
        load.start(1);
        QTest::qWait(200);
        f->harness.killHelper(SIGKILL);
        load.stop();
        QVERIFY(f->harness.startHelper(f->scanDir));
        f->root = f->proxyFor(0, 0, QStringLiteral("root-round-%1").arg(round));
        f->asAlice = f->proxyFor(f->alice.uid, f->alice.gid, QStringLiteral("alice-round-%1").arg(round));
        // Long enough for anything a restart might start to have started.
        QTest::qWait(1500);
        QCOMPARE(stateOf(*f->root), before);
        QCOMPARE(runCopies(fastDir), runs);
        QCOMPARE(runCopies(slowDir), slowRuns);
        QCOMPARE(svscans(f->scanDir), QList<int>{m_svscan});
    }

    // Every number once at least, none skipped: the logs and svscan's output together.
    const qsizetype now = numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size();
    QVERIFY(waitFor([&] { return numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size() > std::max<qsizetype>(now + 200, 2100); }, 20000));
    QList<int> all = numberedLines(allLogs(f->path(QStringLiteral("fast/log/main"))) + '\n'
                             + readFile(f->harness.runDir() + QStringLiteral("/svscan.log")));
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    QVERIFY(all.size() > 2000);
    QCOMPARE(all.last() - all.first() + 1, all.size());
}

QTEST_GUILESS_MAIN(TestSurvival)
#include "test_survival.moc"
