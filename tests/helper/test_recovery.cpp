// SPDX-License-Identifier: MIT
// kill -9 of the helper at random moments of logging changes: the next helper finishes or undoes each, and nothing is lost.
#include "helpertestbase.h"
#include "treeprobe.h"

#include <QElapsedTimer>
#include <QMap>
#include <QRandomGenerator>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>

#include <sys/stat.h>

using namespace tz;
using namespace tz::test;

namespace {

bool sticky(const QString &dir)
{
    struct stat st {};
    return ::stat(QFile::encodeName(dir).constData(), &st) == 0 && (st.st_mode & S_ISVTX);
}

// The helper's dot-names anywhere in the tree (stages, records, marked down files).
QStringList helperLeftovers(const QString &scanDir)
{
    QStringList out;
    const QDir scan(scanDir);
    for (const QString &n : scan.entryList({QStringLiteral(".tazuna-*")}, QDir::AllEntries | QDir::Hidden | QDir::System))
        if (n != QLatin1String(".tazuna-svscan.pid") && n != QLatin1String(".tazuna-removed"))
            out << n;
    for (const QString &service : scan.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir d(scan.filePath(service));
        for (const QString &n : d.entryList({QStringLiteral(".tazuna-*")}, QDir::AllEntries | QDir::Hidden | QDir::System))
            out << service + QLatin1Char('/') + n;
        if (readFile(d.filePath(QStringLiteral("down"))).startsWith("tazuna-helper:"))
            out << service + QStringLiteral("/down (marked)");
    }
    return out;
}

// What a kill left of the change to name, in a few words.
QString leftBehind(const QString &scanDir, const QString &name, bool answered)
{
    const QString dir = scanDir + QLatin1Char('/') + name;
    const QByteArray record = readFile(dir + QStringLiteral("/.tazuna-logging"));
    QStringList parts;
    parts << (answered ? QStringLiteral("answered") : QStringLiteral("unanswered"));
    parts << (record.isEmpty() ? QStringLiteral("no record") : record.contains("logging=on") ? QStringLiteral("record on") : QStringLiteral("record off"));
    if (!QDir(scanDir).entryList({QStringLiteral(".tazuna-relog-*")}, QDir::Dirs | QDir::Hidden).isEmpty())
        parts << QStringLiteral("stage");
    if (readFile(dir + QStringLiteral("/down")).startsWith("tazuna-helper:"))
        parts << QStringLiteral("marked down");
    parts << (sticky(dir) ? QStringLiteral("sticky") : QStringLiteral("not sticky"));
    parts << QStringLiteral("%1 supervise").arg(supervisors(dir).size());
    return parts.join(QStringLiteral(", "));
}

struct Service {
    QString name;
    QString state; // what ListServices must say after every change
    QString want;
    bool normallyUp;
    int toggles = 0;
};

} // namespace

class TestRecovery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killsDuringLoggingChanges();
    void killDuringRemove();
    void cleanupTestCase();

private:
    bool logging(const QString &name);
    // What must hold after every restart; fails the test (QVERIFY) otherwise.
    void checkSettled(const Service &s);

    std::unique_ptr<HelperFixture> f;
    QTemporaryDir m_work;
    QList<Service> m_services;
};

void TestRecovery::initTestCase()
{
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start());
    ::chmod(QFile::encodeName(m_work.path()).constData(), 0777);
    // A producer of numbered lines (a restart may repeat the last one, never skip one),
    // a service kept down that must never run, and one running under svc -o.
    const QString code = numberedProducer(m_work.filePath(QStringLiteral("counter")));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("fast"), foreground(code, QStringLiteral("tzalice")))), QString());
    const QString ran = m_work.filePath(QStringLiteral("resting-ran"));
    ParameterMap resting = foreground(QStringLiteral("echo ran >> %1; exec sleep 100000").arg(ran), QStringLiteral("tzalice"));
    resting.insert(QStringLiteral("start"), QStringLiteral("false"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("resting"), resting)), QString());
    ParameterMap once = foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzalice"));
    once.insert(QStringLiteral("start"), QStringLiteral("false"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("once"), once)), QString());
    QVERIFY(f->waitState(QStringLiteral("once"), QStringLiteral("down")));
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("once"), QStringLiteral("once"))), QString());
    QVERIFY(f->waitState(QStringLiteral("fast"), QStringLiteral("up")));
    QVERIFY(f->waitState(QStringLiteral("resting"), QStringLiteral("down")));
    QVERIFY(f->waitState(QStringLiteral("once"), QStringLiteral("up")));
    m_services = {{QStringLiteral("fast"), QStringLiteral("up"), QStringLiteral("up"), true},
                  {QStringLiteral("resting"), QStringLiteral("down"), QStringLiteral("down"), false},
                  {QStringLiteral("once"), QStringLiteral("up"), QStringLiteral("once"), false}};
    QVERIFY(waitFor([&] { return numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size() > 500; }));
}

void TestRecovery::cleanupTestCase() { f.reset(); }

bool TestRecovery::logging(const QString &name)
{
    const auto s = f->find(name);
    return s && s->logging;
}

void TestRecovery::checkSettled(const Service &s)
{
    const QString dir = f->path(s.name);
    QVERIFY(f->waitState(s.name, s.state));
    const auto info = f->find(s.name);
    QVERIFY(info);
    QCOMPARE(info->want, s.want);
    QCOMPARE(info->normallyUp, s.normallyUp);
    // Sticky bit and log/ agree with what is reported, and a logger runs exactly
    // when logging is on.
    const bool hasLog = QFileInfo(dir + QStringLiteral("/log")).isDir();
    QCOMPARE(info->logging, sticky(dir) && hasLog);
    QVERIFY(waitFor([&] { return supervisors(dir).size() == 1; }));
    if (info->logging) {
        QVERIFY(waitFor([&] { return supervisors(dir + QStringLiteral("/log")).size() == 1 && runCopies(dir + QStringLiteral("/log")).size() == 1; }));
    } else if (hasLog) {
        QTest::qWait(50);
        QCOMPARE(supervisors(dir + QStringLiteral("/log")).size(), 0);
    }
    // One ./run while up, none while down; a running one writes into its logger's
    // pipe, or (logging off) not into a pipe. Read again should a process end while
    // /proc is read.
    QString problem;
    const bool fine = waitFor([&] {
        const QList<int> runs = runCopies(dir);
        if (runs.size() != (s.state == QLatin1String("up") ? 1 : 0)) {
            problem = QStringLiteral("%1 copies of %2").arg(runs.size()).arg(s.name);
            return false;
        }
        if (runs.isEmpty())
            return true;
        struct stat out {};
        if (::stat(QFile::encodeName(QStringLiteral("/proc/%1/fd/1").arg(runs.first())).constData(), &out) != 0) {
            problem = QStringLiteral("%1 ended while it was looked at").arg(s.name);
            return false;
        }
        if (!info->logging) {
            problem = s.name + QStringLiteral(" writes into a pipe with logging off");
            return !S_ISFIFO(out.st_mode);
        }
        const QList<int> logger = runCopies(dir + QStringLiteral("/log"));
        struct stat in {};
        problem = s.name + QStringLiteral(" does not write to its logger");
        return logger.size() == 1 && ::stat(QFile::encodeName(QStringLiteral("/proc/%1/fd/0").arg(logger.first())).constData(), &in) == 0
            && S_ISFIFO(out.st_mode) && out.st_ino == in.st_ino;
    }, 5000);
    QVERIFY2(fine, qPrintable(problem));
}

void TestRecovery::killsDuringLoggingChanges()
{
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("seed %u", seed);
    QRandomGenerator random(seed);
    const QString runDir = f->harness.runDir();
    const QString ran = m_work.filePath(QStringLiteral("resting-ran"));

    // How long a change takes here, unkilled, so that the kills spread over it.
    QElapsedTimer clock;
    qint64 longest = 0;
    for (const bool on : {false, true}) {
        clock.start();
        QCOMPARE(errorOf(f->root->SetLogging(QStringLiteral("fast"), on)), QString());
        longest = std::max(longest, clock.elapsed());
        checkSettled(m_services[0]);
    }
    m_services[0].toggles += 2;
    qInfo("an unkilled change takes up to %lld ms", longest);

    QMap<QString, int> left;
    QMap<QString, int> outcome;
    int kills = 0;
    int recoveryKills = 0;
    constexpr int rounds = 36;
    for (int round = 0; round < rounds; ++round) {
        Service &s = m_services[round % 2 == 0 ? 0 : (round % 4 == 1 ? 1 : 2)];
        const bool before = logging(s.name);
        // The services not being changed keep their ./run through the kill and the
        // recovery: the same process, never restarted.
        QMap<QString, QList<int>> untouched;
        for (const Service &each : std::as_const(m_services))
            if (each.name != s.name)
                untouched.insert(each.name, runCopies(f->path(each.name)));
        QDBusPendingReply<> call = f->root->SetLogging(s.name, !before);
        const auto delay = std::chrono::microseconds(random.bounded(static_cast<int>(longest * 1300) + 1));
        std::this_thread::sleep_for(delay);
        const bool answered = call.isFinished();
        f->harness.killHelper(SIGKILL);
        ++kills;
        ++s.toggles;
        left[QStringLiteral("%1 %2: %3").arg(s.name, before ? QStringLiteral("off") : QStringLiteral("on"),
                                             leftBehind(f->scanDir, s.name, answered))]++;
        // Now and then the next helper dies too, while it finishes what was left.
        if (random.bounded(3) == 0) {
            auto early = spawnHelper(f->harness, f->scanDir);
            QVERIFY(early->waitForStarted());
            std::this_thread::sleep_for(std::chrono::milliseconds(random.bounded(400)));
            ::kill(static_cast<pid_t>(early->processId()), SIGKILL);
            QVERIFY(early->waitForFinished());
            ++recoveryKills;
        }
        // The helper owns its name only once it has finished or undone the change.
        QVERIFY(f->harness.startHelper(f->scanDir));
        const QStringList leftovers = helperLeftovers(f->scanDir);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));
        for (const Service &each : std::as_const(m_services))
            checkSettled(each);
        for (auto it = untouched.cbegin(); it != untouched.cend(); ++it)
            QCOMPARE(runCopies(f->path(it.key())), it.value());
        if (QTest::currentTestFailed()) {
            qWarning("round %d (%s, %lld us): %s; the directory holds %s", round, qPrintable(s.name),
                     static_cast<long long>(delay.count()), qPrintable(f->describe(s.name)),
                     qPrintable(QDir(f->path(s.name)).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).join(QLatin1Char(' '))));
            return;
        }
        QCOMPARE(svscans(f->scanDir).size(), 1);
        outcome[logging(s.name) == before ? QStringLiteral("undone or not begun") : QStringLiteral("finished")]++;
    }
    // The service kept down never ran.
    QVERIFY(!QFileInfo::exists(ran));

    // Every number once, in order within each output (a restart of the producer may
    // repeat its last line), none skipped: the logs and svscan's output together.
    const bool on = logging(QStringLiteral("fast"));
    const qsizetype had = numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size();
    const qsizetype hadOff = numberedLines(readFile(runDir + QStringLiteral("/svscan.log"))).size();
    QVERIFY(waitFor([&] {
        return on ? numberedLines(allLogs(f->path(QStringLiteral("fast/log/main")))).size() > had + 100
                  : numberedLines(readFile(runDir + QStringLiteral("/svscan.log"))).size() > hadOff + 100;
    }));
    const QList<int> logged = numberedLines(allLogs(f->path(QStringLiteral("fast/log/main"))));
    const QList<int> unlogged = numberedLines(readFile(runDir + QStringLiteral("/svscan.log")));
    for (const QList<int> *stream : {&logged, &unlogged}) {
        for (qsizetype i = 1; i < stream->size(); ++i) {
            QVERIFY2(stream->at(i) >= stream->at(i - 1),
                     qPrintable(QStringLiteral("%1 after %2").arg(stream->at(i)).arg(stream->at(i - 1))));
        }
    }
    QList<int> all = logged + unlogged;
    std::sort(all.begin(), all.end());
    const qsizetype lines = all.size();
    all.erase(std::unique(all.begin(), all.end()), all.end());
    QCOMPARE(all.first(), 1);
    QCOMPARE(all.last(), all.size());
    QVERIFY(lines - all.size() <= m_services[0].toggles);

    qInfo("%d kills during a change, %d more while the next helper finished it; %lld numbered lines, %lld repeated by a restarted producer, 0 missing",
          kills, recoveryKills, static_cast<long long>(lines), static_cast<long long>(lines - all.size()));
    for (auto it = outcome.cbegin(); it != outcome.cend(); ++it)
        qInfo("  change %s: %d", qPrintable(it.key()), it.value());
    for (auto it = left.cbegin(); it != left.cend(); ++it)
        qInfo("  %3d x %s", it.value(), qPrintable(it.key()));
}

// Remove moves the service out of the scan directory, then stops it; a helper killed
// in between left it running where no one lists it. The next helper stops it (here
// a ./run that ignores TERM, so the kill falls in Remove's 5-second wait for it) and
// keeps its logs.
void TestRecovery::killDuringRemove()
{
    const QString name = QStringLiteral("stubborn");
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), name,
                                     foreground(QStringLiteral("trap '' TERM; echo n 1; while :; do sleep 1; done"), QStringLiteral("tzalice")))),
             QString());
    QVERIFY(f->waitState(name, QStringLiteral("up")));
    QVERIFY(waitFor([&] { return allLogs(f->path(name + QStringLiteral("/log/main"))).contains(" n 1\n"); }));
    QDBusPendingReply<> call = f->root->Remove(name, false);
    const QDir removed(f->scanDir + QStringLiteral("/.tazuna-removed"));
    QString kept;
    QVERIFY(waitFor([&] {
        const QStringList moved = removed.entryList({name + QStringLiteral(".*")}, QDir::Dirs);
        kept = moved.value(0);
        return !kept.isEmpty();
    }));
    const QString dir = removed.filePath(kept);
    QVERIFY(waitFor([&] { return supervisors(dir).isEmpty(); }, 1000) == false); // still at it when killed
    f->harness.killHelper(SIGKILL);
    QVERIFY(!call.isFinished() || call.isError());
    QVERIFY(!runCopies(dir).isEmpty());
    QVERIFY(!supervisors(dir + QStringLiteral("/log")).isEmpty());

    QVERIFY(f->harness.startHelper(f->scanDir));
    QVERIFY(waitFor([&] { return supervisors(dir).isEmpty() && runCopies(dir).isEmpty(); }, 20000));
    QVERIFY(waitFor([&] { return supervisors(dir + QStringLiteral("/log")).isEmpty() && runCopies(dir + QStringLiteral("/log")).isEmpty(); }, 20000));
    QVERIFY(allLogs(dir + QStringLiteral("/log/main")).contains(" n 1\n"));
    QVERIFY(!f->find(name));
    QVERIFY(!QFileInfo::exists(f->path(name)));
    QVERIFY(f->harness.helperOutput().contains("stopping what a stopped helper was removing"));
    QCOMPARE(svscans(f->scanDir).size(), 1);
}

QTEST_GUILESS_MAIN(TestRecovery)
#include "test_recovery.moc"
