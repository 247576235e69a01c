// SPDX-License-Identifier: MIT
// Every helper operation end to end: real bus, real polkitd, real svscan/supervise/multilog.
#include "helpertestbase.h"
#include "treeprobe.h"

#include <QElapsedTimer>
#include <QScopeGuard>

#include <csignal>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

using namespace tz;
using namespace tz::test;

class TestOperations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsTemplates();
    void createsARunningLoggedService();
    void showsDetails();
    void controlsAndSignals();
    void signalsSuperviseLeaving();
    void signalsCrashesWithExitCodeAndSignal();
    void crashCountGoesDownAfterAMinute();
    void togglesLoggingWithoutLosingLines();
    void listsAndPassesLogFiles();
    void removesKeepingOrDeletingLogs();
    void rendersWhatCreateWouldWithoutWriting();
    void givesTheWantBackAfterALoggingToggle();
    void resetBackoffForgetsTheCount();
    void removeKillsWhatIgnoresTerm();
    void finishesAChangeLeftByAStuckSupervise();
    void cleanupTestCase();

private:
    std::unique_ptr<HelperFixture> f;
};

void TestOperations::initTestCase()
{
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start());
}

void TestOperations::cleanupTestCase() { f.reset(); }

void TestOperations::listsTemplates()
{
    QDBusPendingReply<TemplateInfoList> r = f->asBob->ListTemplates();
    r.waitForFinished();
    QVERIFY2(!r.isError(), qPrintable(r.error().message()));
    QStringList ids;
    for (const TemplateInfo &t : r.value()) {
        ids << t.id;
        QVERIFY(!t.title.isEmpty());
        QStringList keys;
        for (const TemplateParameter &p : t.parameters) {
            keys << p.key;
            // Bounds come with the numbers only.
            if (p.type == QLatin1String("uint"))
                QVERIFY2(p.minimum <= p.maximum && p.maximum > 0, qPrintable(p.key));
            else
                QVERIFY2(p.minimum == 0 && p.maximum == 0, qPrintable(p.key));
            if (p.key == QLatin1String("log-count")) {
                QCOMPARE(p.minimum, 2u);
                QCOMPARE(p.maximum, 1000u);
            }
        }
        for (const char *common : {"user", "directory", "environment", "limit-memory", "log", "log-size", "log-count",
                                   "log-timestamps", "start", "backoff"})
            QVERIFY2(keys.contains(QLatin1String(common)), common);
    }
    for (const char *id : {"foreground", "script", "ssh-tunnel", "web-folder", "periodic"})
        QVERIFY2(ids.contains(QLatin1String(id)), id);
    // The bus policy lets anyone read properties; polkit is not asked for them.
    QCOMPARE(f->asBob->scanDirectory(), f->scanDir);
}

void TestOperations::createsARunningLoggedService()
{
    BusSpy added(f->root.get(), &HelperProxy::ServiceAdded);
    const QString code = QStringLiteral("i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done");
    QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("ticker"), foreground(code, QStringLiteral("tzalice")))),
             QString());
    QTRY_VERIFY_WITH_TIMEOUT(!added.isEmpty(), 5000);
    QCOMPARE(added.first().first().value<ServiceInfo>().name, QStringLiteral("ticker"));
    QVERIFY(f->waitState(QStringLiteral("ticker"), QStringLiteral("up")));
    const auto info = f->find(QStringLiteral("ticker"));
    QVERIFY(info->logging);
    QCOMPARE(info->runAs, QStringLiteral("tzalice"));
    QCOMPARE(info->ownerUid, f->alice.uid);
    QCOMPARE(info->templateId, QStringLiteral("foreground"));
    // It runs as alice, and its lines reach the log through multilog.
    QTRY_VERIFY_WITH_TIMEOUT(readFile(QStringLiteral("/proc/%1/status").arg(info->pid)).contains(
                                 QStringLiteral("\nUid:\t%1\t").arg(f->alice.uid).toUtf8()), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(readFile(f->path(QStringLiteral("ticker/log/main/current"))).contains(" tick 5\n"), 15000);
    // The scripts belong to root and nobody else may write them.
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(f->path(QStringLiteral("ticker/run"))).constData(), &st), 0);
    QCOMPARE(st.st_uid, 0u);
    QCOMPARE(st.st_mode & 07777, 0755u);
    QCOMPARE(::stat(QFile::encodeName(f->path(QStringLiteral("ticker"))).constData(), &st), 0);
    QVERIFY(st.st_mode & S_ISVTX);
}

void TestOperations::showsDetails()
{
    QDBusPendingReply<ServiceDetails> r = f->asBob->GetService(QStringLiteral("ticker"));
    r.waitForFinished();
    QVERIFY2(!r.isError(), qPrintable(r.error().message()));
    const ServiceDetails d = r.value();
    QCOMPARE(d.info.name, QStringLiteral("ticker"));
    QVERIFY(d.runScript.startsWith(QStringLiteral("#!/bin/sh\n")));
    QVERIFY(d.runScript.contains(QStringLiteral("exec setuidgid 'tzalice' '/bin/sh' '-c'")));
    QVERIFY(d.logRunScript.contains(QStringLiteral("exec setuidgid 'tzalice' multilog t s99999 n10 ./main")));
    QCOMPARE(errorOf(f->asBob->GetService(QStringLiteral("nothere"))), QLatin1String(errors::noSuchService));
}

void TestOperations::controlsAndSignals()
{
    const QString name = QStringLiteral("ticker");
    BusSpy changed(f->root.get(), &HelperProxy::ServiceChanged);
    auto lastState = [&] {
        return changed.isEmpty() ? QString() : changed.last().first().value<ServiceInfo>().state;
    };

    // A change made behind the helper's back (the fifo, as svc does) is signalled.
    // How soon is printed, not judged here (the helper benchmark measures it): the
    // tests that run beside this one load the same two cores and disk.
    const QString control = f->path(QStringLiteral("ticker/supervise/control"));
    const QString status = f->path(QStringLiteral("ticker/supervise/status"));
    changed.clear();
    {
        const int fd = ::open(QFile::encodeName(control).constData(), O_WRONLY | O_NONBLOCK);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, "d", 1), ssize_t(1));
        ::close(fd);
    }
    QVERIFY2(waitFor([&] { return lastState() == QLatin1String("down"); }, 20000),
             qPrintable(QStringLiteral("last signalled \"%1\" (%2 signals); %3").arg(lastState()).arg(changed.size()).arg(f->describe(name))));
    const qint64 received = QDateTime::currentMSecsSinceEpoch();
    const qint64 written = QFileInfo(status).lastModified().toMSecsSinceEpoch();
    qInfo("signalled %lld ms after supervise renamed status into place", received - written);

    QCOMPARE(errorOf(f->asAlice->Control(name, QStringLiteral("start"))), QString());
    QTRY_COMPARE_WITH_TIMEOUT(lastState(), QStringLiteral("up"), 15000);
    QCOMPARE(errorOf(f->asAlice->Control(name, QStringLiteral("pause"))), QString());
    QTRY_COMPARE_WITH_TIMEOUT(lastState(), QStringLiteral("paused"), 15000);
    QCOMPARE(errorOf(f->asAlice->Control(name, QStringLiteral("continue"))), QString());
    QTRY_COMPARE_WITH_TIMEOUT(lastState(), QStringLiteral("up"), 15000);

    for (const char *command : {"restart", "kill", "interrupt", "alarm", "hup"}) {
        const quint32 before = f->find(name)->pid;
        QCOMPARE(errorOf(f->asAlice->Control(name, QLatin1String(command))), QString());
        // The shell loop dies of each of these signals; supervise starts it again.
        QVERIFY2(waitFor([&] {
                     const auto s = f->find(name);
                     return s && s->pid != 0 && s->pid != before;
                 }, 10000), command);
    }
    QCOMPARE(errorOf(f->asAlice->Control(name, QStringLiteral("once"))), QString());
    QVERIFY(waitFor([&] { return f->find(name)->want == QLatin1String("once"); }));
    QCOMPARE(errorOf(f->asAlice->Control(name, QStringLiteral("start"))), QString());
    QVERIFY(waitFor([&] { return f->find(name)->want == QLatin1String("up"); }));
    QCOMPARE(errorOf(f->asAlice->Control(name, QStringLiteral("explode"))), QLatin1String(errors::invalidParameter));
}

void TestOperations::signalsSuperviseLeaving()
{
    // supervise leaving (svc -x) changes no file; its lock closing tells. svscan
    // starts a new one at its next scan, up to 5 s later.
    ParameterMap p = foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzalice"), false);
    p.insert(QStringLiteral("start"), QStringLiteral("false"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("leaver"), p)), QString());
    QVERIFY(f->waitState(QStringLiteral("leaver"), QStringLiteral("down")));
    BusSpy changed(f->root.get(), &HelperProxy::ServiceChanged);
    const int fd = ::open(QFile::encodeName(f->path(QStringLiteral("leaver/supervise/control"))).constData(), O_WRONLY | O_NONBLOCK);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, "x", 1), ssize_t(1));
    ::close(fd);
    auto sawState = [&](const QString &state) {
        for (const QList<QVariant> &c : changed) {
            const ServiceInfo info = c.first().value<ServiceInfo>();
            if (info.name == QLatin1String("leaver") && info.state == state)
                return true;
        }
        return false;
    };
    // Seen before svscan's next periodic scan starts a new supervise (5 s); on a
    // loaded machine the helper's wake-up can lag well past a second.
    QTRY_VERIFY_WITH_TIMEOUT(sawState(QString()), 4000);
    QTRY_VERIFY_WITH_TIMEOUT(sawState(QStringLiteral("down")), 10000);
    QCOMPARE(errorOf(f->root->Remove(QStringLiteral("leaver"), true)), QString());
}

void TestOperations::signalsCrashesWithExitCodeAndSignal()
{
    BusSpy crashed(f->root.get(), &HelperProxy::ServiceCrashed);
    // With the crash backoff on (its longest pause 5 s).
    ParameterMap crasher = foreground(QStringLiteral("sleep 0.3; exit 3"), QStringLiteral("tzalice"), false);
    crasher.insert(QStringLiteral("backoff"), QStringLiteral("5"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("crasher"), crasher)), QString());
    QCOMPARE(readFile(f->path(QStringLiteral("crasher/backoff"))), QByteArray("max=5\n"));
    QTRY_VERIFY_WITH_TIMEOUT(crashed.size() >= 2, 15000);
    const QList<QVariant> first = crashed.at(0);
    QCOMPARE(first.at(0).toString(), QStringLiteral("crasher"));
    const ExitInfo e = first.at(1).value<ExitInfo>();
    QCOMPARE(e.exitCode, 3);
    QCOMPARE(e.signal, 0);
    QVERIFY2(e.ranMs >= 250 && e.ranMs < 3000, qPrintable(QString::number(e.ranMs)));
    QVERIFY(!e.asked);
    QVERIFY(crashed.at(1).at(2).toUInt() >= 2);
    QVERIFY(f->find(QStringLiteral("crasher"))->crashes >= 2);
    const QString backoff = f->find(QStringLiteral("crasher"))->backoff;
    QVERIFY2(backoff == QLatin1String("armed") || backoff == QLatin1String("waiting"), qPrintable(backoff));
    QVERIFY(waitFor([&] { return f->find(QStringLiteral("crasher"))->backoff == QLatin1String("waiting"); }));
    // While it runs between pauses the backoff is armed (types.h's value, the app's too).
    QVERIFY(waitFor([&] { return f->find(QStringLiteral("crasher"))->backoff == QLatin1String("armed"); }));

    // Killed by a signal: the signal, no exit code.
    crashed.clear();
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("segv"),
                                     foreground(QStringLiteral("sleep 0.2; kill -SEGV $$"), QStringLiteral("tzalice"), false))),
             QString());
    QTRY_VERIFY_WITH_TIMEOUT(!crashed.isEmpty() && crashed.last().at(0).toString() == QLatin1String("segv"), 15000);
    const ExitInfo s = crashed.last().at(1).value<ExitInfo>();
    QCOMPARE(s.signal, int(SIGSEGV));
    QCOMPARE(s.exitCode, -1);

    // An asked-for stop is no crash.
    QVERIFY(f->waitState(QStringLiteral("ticker"), QStringLiteral("up")));
    crashed.clear();
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("ticker"), QStringLiteral("stop"))), QString());
    QVERIFY(f->waitState(QStringLiteral("ticker"), QStringLiteral("down")));
    QTest::qWait(300);
    for (const QList<QVariant> &c : crashed)
        QVERIFY(c.at(0).toString() != QLatin1String("ticker"));
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("ticker"), QStringLiteral("start"))), QString());

    // Run once (svc -o): an exit with 0 is what was asked for; a failure is a crash.
    const QString oneshot = QStringLiteral("oneshot");
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), oneshot,
                                     foreground(QStringLiteral("[ -f code ] && exit $(cat code); exec sleep 1000"), QStringLiteral("tzalice"), false))),
             QString());
    QVERIFY(f->waitState(oneshot, QStringLiteral("up")));
    QCOMPARE(errorOf(f->root->Control(oneshot, QStringLiteral("stop"))), QString());
    QVERIFY(f->waitState(oneshot, QStringLiteral("down")));
    const auto lastExit = [&]() -> std::optional<ExitInfo> {
        QDBusPendingReply<ServiceDetails> d = f->root->GetService(oneshot);
        d.waitForFinished();
        if (d.isError() || d.value().exits.isEmpty())
            return std::nullopt;
        return d.value().exits.last();
    };
    writeFile(f->path(oneshot + QStringLiteral("/code")), "0\n");
    crashed.clear();
    QCOMPARE(errorOf(f->root->Control(oneshot, QStringLiteral("once"))), QString());
    QTRY_VERIFY_WITH_TIMEOUT(lastExit() && lastExit()->exitCode == 0, 10000);
    QVERIFY(lastExit()->asked);
    QTest::qWait(300);
    for (const QList<QVariant> &c : crashed)
        QVERIFY(c.at(0).toString() != oneshot);
    QCOMPARE(f->find(oneshot)->crashes, 0u);
    writeFile(f->path(oneshot + QStringLiteral("/code")), "4\n");
    QCOMPARE(errorOf(f->root->Control(oneshot, QStringLiteral("once"))), QString());
    QTRY_VERIFY_WITH_TIMEOUT(!crashed.isEmpty() && crashed.last().at(0).toString() == oneshot, 10000);
    QCOMPARE(crashed.last().at(1).value<ExitInfo>().exitCode, 4);
    QVERIFY(!lastExit()->asked);

    for (const char *n : {"crasher", "segv", "oneshot"})
        QCOMPARE(errorOf(f->root->Remove(QLatin1String(n), true)), QString());
}

void TestOperations::crashCountGoesDownAfterAMinute()
{
    // A crash that ended 59.5 s ago counts for half a second more; then the helper
    // announces the lower count by itself, with no file event to prompt it.
    const QString name = QStringLiteral("ager");
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), name,
                                     foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzalice"), false))),
             QString());
    QVERIFY(f->waitState(name, QStringLiteral("up")));
    BusSpy changed(f->root.get(), &HelperProxy::ServiceChanged);
    const auto big = [](QByteArray &out, quint64 v, int bytes) {
        for (int i = bytes - 1; i >= 0; --i)
            out.append(char((v >> (8 * i)) & 0xff));
    };
    const auto tai64n = [&](QByteArray &out, qint64 unixMs) {
        big(out, (quint64(1) << 62) + 10 + quint64(unixMs / 1000), 8);
        big(out, quint64(unixMs % 1000) * 1000000, 4);
    };
    const qint64 endedMs = QDateTime::currentMSecsSinceEpoch() - 59500;
    QByteArray exits("TZEX\x01\x30", 6); // the layout of shared/engine/exitrecord.h
    big(exits, 1, 2);    // one record
    big(exits, 1000, 8); // deaths so far: more than the helper has seen
    tai64n(exits, endedMs - 1000);
    tai64n(exits, endedMs);
    big(exits, 4242, 4);
    exits.append(QByteArray("\x00\x03\x00\x00", 4)); // exited 3, nobody asked
    exits.append(QByteArray(16, '\0'));
    const QString supervise = f->path(name + QStringLiteral("/supervise/"));
    writeFile(supervise + QStringLiteral("exits.new"), exits);
    // Renamed into place as supervise does, which is what the helper watches for.
    QCOMPARE(::rename(QFile::encodeName(supervise + QStringLiteral("exits.new")).constData(),
                      QFile::encodeName(supervise + QStringLiteral("exits")).constData()),
             0);
    const auto announced = [&](quint32 crashes) {
        for (const QList<QVariant> &c : changed) {
            const ServiceInfo info = c.first().value<ServiceInfo>();
            if (info.name == name && info.crashes == crashes)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(announced(1), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(announced(0), 5000);
    QCOMPARE(f->find(name)->crashes, 0u);
    QCOMPARE(errorOf(f->root->Remove(name, true)), QString());
}

void TestOperations::togglesLoggingWithoutLosingLines()
{
    // The counter lives in a file so that it goes on across restarts; a line is
    // printed before the counter moves on, so a restart may repeat a number but
    // a lost line leaves a gap.
    QTemporaryDir work;
    ::chmod(QFile::encodeName(work.path()).constData(), 0777);
    const QString counter = work.filePath(QStringLiteral("counter"));
    const QString code = QStringLiteral("n=$(cat %1 2>/dev/null || echo 0); while :; do n=$((n+1)); echo n $n; echo $n > %1; sleep 0.01; done")
                             .arg(counter);
    QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), QStringLiteral("numbers"), foreground(code, QStringLiteral("tzalice"), false))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("numbers"), QStringLiteral("up")));
    QVERIFY(waitFor([&] { return readFile(counter).trimmed().toInt() > 20; }));
    QVERIFY(!f->find(QStringLiteral("numbers"))->logging);

    QCOMPARE(errorOf(f->asAlice->SetLogging(QStringLiteral("numbers"), true)), QString());
    QVERIFY(f->find(QStringLiteral("numbers"))->logging);
    QVERIFY(f->waitState(QStringLiteral("numbers"), QStringLiteral("up")));
    const QString current = f->path(QStringLiteral("numbers/log/main/current"));
    QVERIFY(waitFor([&] { return numberedLines(readFile(current)).size() > 30; }));

    QCOMPARE(errorOf(f->asAlice->SetLogging(QStringLiteral("numbers"), false)), QString());
    QVERIFY(!f->find(QStringLiteral("numbers"))->logging);
    QVERIFY(f->waitState(QStringLiteral("numbers"), QStringLiteral("up")));
    const int atOff = readFile(counter).trimmed().toInt();
    QVERIFY(waitFor([&] { return readFile(counter).trimmed().toInt() > atOff + 20; }));

    // Before, after: svscan's own output (the harness sends it to a file); between:
    // the log. Together they hold every number.
    const QList<int> logged = numberedLines(readFile(current));
    QList<int> all = numberedLines(readFile(f->harness.runDir() + QStringLiteral("/svscan.log"))) + logged;
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    QVERIFY(!logged.isEmpty());
    QVERIFY2(all.first() == 1, qPrintable(QString::number(all.first())));
    for (int i = 1; i < all.size(); ++i)
        QVERIFY2(all[i] == all[i - 1] + 1, qPrintable(QStringLiteral("line %1 lost").arg(all[i - 1] + 1)));
    QVERIFY(all.last() > atOff);
    // The file stays with the service, and no run of it died of SIGPIPE.
    QVERIFY(QFileInfo::exists(current));
    QDBusPendingReply<ServiceDetails> d = f->root->GetService(QStringLiteral("numbers"));
    d.waitForFinished();
    for (const ExitInfo &e : d.value().exits)
        QVERIFY(e.signal != SIGPIPE);
    // Down before `work` goes: a service still writing its counter there could
    // make the folder again between the removal of its files and of itself.
    QCOMPARE(errorOf(f->asAlice->Control(QStringLiteral("numbers"), QStringLiteral("stop"))), QString());
    QVERIFY(f->waitState(QStringLiteral("numbers"), QStringLiteral("down")));
}

void TestOperations::listsAndPassesLogFiles()
{
    QDBusPendingReply<LogFileInfoList> r = f->asAlice->ListLogs(QStringLiteral("ticker"));
    r.waitForFinished();
    QVERIFY2(!r.isError(), qPrintable(r.error().message()));
    const LogFileInfoList files = r.value();
    QVERIFY(!files.isEmpty());
    QCOMPARE(files.last().name, QStringLiteral("current"));
    QVERIFY(files.last().size > 0);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(files.last().firstMs > now - 600000 && files.last().firstMs <= files.last().lastMs && files.last().lastMs <= now + 1000);

    QDBusPendingReply<QDBusUnixFileDescriptor> fdReply = f->asAlice->OpenLog(QStringLiteral("ticker"), QStringLiteral("current"));
    fdReply.waitForFinished();
    QVERIFY2(!fdReply.isError(), qPrintable(fdReply.error().message()));
    const int fd = fdReply.value().fileDescriptor();
    QVERIFY(fd >= 0);
    // Read-only: writing through it fails.
    QCOMPARE(::write(fd, "x", 1), ssize_t(-1));
    char buf[256];
    const ssize_t n = ::pread(fd, buf, sizeof buf, 0);
    QVERIFY(n > 26);
    QCOMPARE(QByteArray(buf, int(n)), readFile(f->path(QStringLiteral("ticker/log/main/current"))).left(int(n)));
}

void TestOperations::removesKeepingOrDeletingLogs()
{
    BusSpy removed(f->root.get(), &HelperProxy::ServiceRemoved);
    const quint32 pid = f->find(QStringLiteral("ticker"))->pid;
    QVERIFY(pid != 0);
    QCOMPARE(errorOf(f->asAlice->Remove(QStringLiteral("ticker"), false)), QString());
    QVERIFY(!QFileInfo::exists(f->path(QStringLiteral("ticker"))));
    QVERIFY(!f->find(QStringLiteral("ticker")));
    QTRY_VERIFY_WITH_TIMEOUT(!removed.isEmpty(), 5000);
    QCOMPARE(removed.first().first().toString(), QStringLiteral("ticker"));
    QTRY_VERIFY_WITH_TIMEOUT(::kill(static_cast<pid_t>(pid), 0) != 0, 5000);
    // The logs are kept under .tazuna-removed.
    const QStringList kept = QDir(f->path(QStringLiteral(".tazuna-removed"))).entryList({QStringLiteral("ticker.*")}, QDir::Dirs);
    QCOMPARE(kept.size(), 1);
    QVERIFY(readFile(f->path(QStringLiteral(".tazuna-removed/") + kept.first() + QStringLiteral("/log/main/current"))).contains(" tick "));

    QCOMPARE(errorOf(f->asAlice->Remove(QStringLiteral("numbers"), true)), QString());
    QVERIFY(!QFileInfo::exists(f->path(QStringLiteral("numbers"))));
    QVERIFY(QDir(f->path(QStringLiteral(".tazuna-removed"))).entryList({QStringLiteral("numbers.*")}, QDir::Dirs).isEmpty());
    QCOMPARE(errorOf(f->asAlice->Remove(QStringLiteral("numbers"), true)), QLatin1String(errors::noSuchService));
}

void TestOperations::rendersWhatCreateWouldWithoutWriting()
{
    ParameterMap resting = foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzalice"), false);
    resting.insert(QStringLiteral("start"), QStringLiteral("false"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("taken"), resting)), QString());
    const QStringList before = QDir(f->scanDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    const ParameterMap params = foreground(QStringLiteral("echo 'hi'; exit 0"), QStringLiteral("tzbob"));
    QDBusPendingReply<QString, QString> r = f->asBob->Render(QStringLiteral("foreground"), QStringLiteral("preview"), params);
    r.waitForFinished();
    QVERIFY2(!r.isError(), qPrintable(r.error().message()));
    QVERIFY(r.argumentAt<0>().startsWith(QStringLiteral("#!/bin/sh\n")));
    QVERIFY(r.argumentAt<0>().contains(QStringLiteral("exec setuidgid 'tzbob' '/bin/sh' '-c' 'echo '\\''hi'\\''; exit 0'")));
    QVERIFY(r.argumentAt<1>().contains(QStringLiteral("multilog t s99999 n10 ./main")));
    ParameterMap quiet = params;
    quiet.insert(QStringLiteral("log"), QStringLiteral("false"));
    QDBusPendingReply<QString, QString> q = f->asBob->Render(QStringLiteral("foreground"), QStringLiteral("preview"), quiet);
    q.waitForFinished();
    QVERIFY(!q.isError());
    QCOMPARE(q.argumentAt<1>(), QString());
    QCOMPARE(QDir(f->scanDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);

    // Exactly Create's refusals, and those about one field start with its key.
    struct Case {
        QString templateId, name;
        ParameterMap params;
        const char *error;
        QString prefix;
    };
    ParameterMap badCount = params;
    badCount.insert(QStringLiteral("log-count"), QStringLiteral("1"));
    ParameterMap noUser = params;
    noUser.insert(QStringLiteral("user"), QStringLiteral("tznosuchuser"));
    ParameterMap notExec = params;
    notExec.insert(QStringLiteral("command"), QStringLiteral("/etc/passwd"));
    // Executable itself, but in a folder only root may enter.
    QTemporaryDir locked;
    ::chmod(QFile::encodeName(locked.path()).constData(), 0700);
    const QString hidden = locked.filePath(QStringLiteral("prog"));
    QVERIFY(QFile::copy(QStringLiteral("/bin/true"), hidden));
    ::chmod(QFile::encodeName(hidden).constData(), 0755);
    ParameterMap unreachable = params;
    unreachable.insert(QStringLiteral("command"), hidden);
    const QList<Case> cases = {
        {QStringLiteral("foreground"), QStringLiteral("preview"), unreachable, errors::notExecutable, QStringLiteral("command: ")},
        {QStringLiteral("foreground"), QStringLiteral("a/b"), params, errors::invalidName, QStringLiteral("name: ")},
        {QStringLiteral("foreground"), QStringLiteral("taken"), params, errors::alreadyExists, QStringLiteral("name: ")},
        {QStringLiteral("nosuch"), QStringLiteral("preview"), params, errors::unknownTemplate, QString()},
        {QStringLiteral("foreground"), QStringLiteral("preview"), badCount, errors::invalidParameter, QStringLiteral("log-count: ")},
        {QStringLiteral("foreground"), QStringLiteral("preview"), noUser, errors::noSuchUser, QStringLiteral("user: ")},
        {QStringLiteral("foreground"), QStringLiteral("preview"), notExec, errors::notExecutable, QStringLiteral("command: ")},
    };
    for (const Case &c : cases) {
        QDBusPendingReply<QString, QString> rendered = f->asAlice->Render(c.templateId, c.name, c.params);
        rendered.waitForFinished();
        QDBusPendingReply<> created = f->asAlice->Create(c.templateId, c.name, c.params);
        created.waitForFinished();
        QCOMPARE(rendered.error().name(), QLatin1String(c.error));
        QCOMPARE(created.error().name(), QLatin1String(c.error));
        QCOMPARE(rendered.error().message(), created.error().message());
        QVERIFY2(rendered.error().message().startsWith(c.prefix), qPrintable(rendered.error().message()));
    }
    QCOMPARE(QDir(f->scanDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
    QCOMPARE(errorOf(f->root->Remove(QStringLiteral("taken"), true)), QString());
}

void TestOperations::givesTheWantBackAfterALoggingToggle()
{
    // Up, down although normally up, and once (running under svc -o).
    const QString sleeper = QStringLiteral("exec sleep 100000");
    for (const char *n : {"wup", "wdown", "wonce"})
        QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QLatin1String(n), foreground(sleeper, QStringLiteral("tzalice")))),
                 QString());
    for (const char *n : {"wup", "wdown", "wonce"})
        QVERIFY(f->waitState(QLatin1String(n), QStringLiteral("up")));
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("wdown"), QStringLiteral("stop"))), QString());
    QCOMPARE(errorOf(f->root->Control(QStringLiteral("wonce"), QStringLiteral("once"))), QString());
    QVERIFY(f->waitState(QStringLiteral("wdown"), QStringLiteral("down")));
    QVERIFY(waitFor([&] { return f->find(QStringLiteral("wonce"))->want == QLatin1String("once"); }));
    const auto wantsAndStates = [&] {
        QStringList out;
        for (const char *n : {"wup", "wdown", "wonce"}) {
            const auto s = f->find(QLatin1String(n));
            out << QStringLiteral("%1 %2 %3 %4").arg(s->name, s->want, s->state).arg(s->normallyUp);
        }
        return out;
    };
    const QStringList expected = {QStringLiteral("wup up up 1"), QStringLiteral("wdown down down 1"), QStringLiteral("wonce once up 1")};
    QCOMPARE(wantsAndStates(), expected);
    for (const bool on : {false, true}) {
        for (const char *n : {"wup", "wdown", "wonce"})
            QCOMPARE(errorOf(f->root->SetLogging(QLatin1String(n), on)), QString());
        QVERIFY(f->waitState(QStringLiteral("wup"), QStringLiteral("up")));
        QVERIFY(f->waitState(QStringLiteral("wonce"), QStringLiteral("up")));
        QCOMPARE(wantsAndStates(), expected);
        QCOMPARE(f->find(QStringLiteral("wup"))->logging, on);
    }
    // A down service never ran in between.
    QDBusPendingReply<ServiceDetails> d = f->root->GetService(QStringLiteral("wdown"));
    d.waitForFinished();
    QCOMPARE(d.value().exits.size(), 1);
    for (const char *n : {"wup", "wdown", "wonce"})
        QCOMPARE(errorOf(f->root->Remove(QLatin1String(n), true)), QString());
}

// Quick deaths in a row, from supervise/backoff-state (bytes 6 and 7, big-endian).
static int quickDeaths(const QString &serviceDir)
{
    const QByteArray s = readFile(serviceDir + QStringLiteral("/supervise/backoff-state"));
    return s.size() == 32 ? (static_cast<unsigned char>(s[6]) << 8 | static_cast<unsigned char>(s[7])) : -1;
}

void TestOperations::resetBackoffForgetsTheCount()
{
    ParameterMap crasher = foreground(QStringLiteral("exit 1"), QStringLiteral("tzalice"), false);
    crasher.insert(QStringLiteral("backoff"), QStringLiteral("60"));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("looper"), crasher)), QString());
    const QString dir = f->path(QStringLiteral("looper"));
    // Pauses of 1 s and 2 s: the third quick death comes after about 3 s.
    QVERIFY(waitFor([&] { return quickDeaths(dir) >= 3; }, 15000));
    const int before = quickDeaths(dir);
    QCOMPARE(errorOf(f->asAlice->Control(QStringLiteral("looper"), QStringLiteral("reset-backoff"))), QString());
    // It starts at once and dies at once: the count starts again from one.
    QVERIFY2(waitFor([&] { const int n = quickDeaths(dir); return n >= 0 && n <= 1; }, 3000),
             qPrintable(QStringLiteral("%1 quick deaths, %2 before").arg(quickDeaths(dir)).arg(before)));
    QCOMPARE(errorOf(f->root->Remove(QStringLiteral("looper"), true)), QString());
}

void TestOperations::removeKillsWhatIgnoresTerm()
{
    const QString code = QStringLiteral("trap '' TERM; echo stubborn; while :; do sleep 0.2; done");
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("stubborn"), foreground(code, QStringLiteral("tzalice")))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("stubborn"), QStringLiteral("up")));
    QTRY_VERIFY_WITH_TIMEOUT(readFile(f->path(QStringLiteral("stubborn/log/main/current"))).contains(" stubborn\n"), 15000);
    const auto pid = static_cast<pid_t>(f->find(QStringLiteral("stubborn"))->pid);
    QElapsedTimer took;
    took.start();
    QDBusPendingReply<> r = f->root->Remove(QStringLiteral("stubborn"), false);
    r.waitForFinished();
    QVERIFY2(!r.isError(), qPrintable(r.error().message()));
    // TERM first, KILL after 5 s.
    QVERIFY2(took.elapsed() >= 4500 && took.elapsed() < 12000, qPrintable(QString::number(took.elapsed())));
    QVERIFY(::kill(pid, 0) != 0);
    QVERIFY(!QFileInfo::exists(f->path(QStringLiteral("stubborn"))));
    const QStringList kept = QDir(f->path(QStringLiteral(".tazuna-removed"))).entryList({QStringLiteral("stubborn.*")}, QDir::Dirs);
    QCOMPARE(kept.size(), 1);
    QVERIFY(readFile(f->path(QStringLiteral(".tazuna-removed/") + kept.first() + QStringLiteral("/log/main/current"))).contains(" stubborn\n"));
}

void TestOperations::finishesAChangeLeftByAStuckSupervise()
{
    // A supervise that does not act on svc (stopped here; in life, one stuck on a
    // hung file system) keeps the old directory of a logging change from stopping.
    const QString code = QStringLiteral("echo started; exec sleep 100000");
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("stuck"), foreground(code, QStringLiteral("tzalice")))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("stuck"), QStringLiteral("up")));
    const QString dir = f->path(QStringLiteral("stuck"));
    QTRY_VERIFY_WITH_TIMEOUT(readFile(dir + QStringLiteral("/log/main/current")).contains(" started\n"), 15000);
    const QList<int> supervise = supervisors(dir);
    QCOMPARE(supervise.size(), 1);
    QVERIFY(::kill(supervise.first(), SIGSTOP) == 0);
    const auto resume = qScopeGuard([&] { ::kill(supervise.first(), SIGCONT); });

    QDBusPendingReply<> off = f->root->SetLogging(QStringLiteral("stuck"), false);
    off.waitForFinished();
    QCOMPARE(off.error().name(), QLatin1String(errors::failed));
    QVERIFY2(off.error().message().contains(QLatin1String("did not stop")), qPrintable(off.error().message()));
    // The change waits, recorded, with the old directory staged beside the new one.
    QVERIFY(QFileInfo::exists(dir + QStringLiteral("/.tazuna-logging")));
    const QStringList stages = QDir(f->scanDir).entryList({QStringLiteral(".tazuna-relog-*")}, QDir::Dirs | QDir::Hidden);
    QCOMPARE(stages.size(), 1);

    // Once supervise moves again, the next call finishes that change, then does its own.
    QVERIFY(::kill(supervise.first(), SIGCONT) == 0);
    // The new directory's supervise is made slow to read its control fifo (as on a busy
    // machine): the up that the first change gives back waits there, unread, while the
    // second change starts. Its status still says down; the want kept must be up.
    QTRY_COMPARE_WITH_TIMEOUT(supervisors(dir).size(), 1, 15000);
    const int fresh = supervisors(dir).first();
    QVERIFY(::kill(fresh, SIGSTOP) == 0);
    const auto resumeFresh = qScopeGuard([&] { ::kill(fresh, SIGCONT); });
    QDBusPendingReply<> on = f->root->SetLogging(QStringLiteral("stuck"), true);
    // Well within the 15 s the helper waits for this supervise to leave.
    QTest::qWait(2000);
    QVERIFY(::kill(fresh, SIGCONT) == 0);
    QCOMPARE(errorOf(on), QString());
    QVERIFY(f->find(QStringLiteral("stuck"))->logging);
    QVERIFY(f->waitState(QStringLiteral("stuck"), QStringLiteral("up")));
    QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/.tazuna-logging")));
    QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/down")));
    QVERIFY(QDir(f->scanDir).entryList({QStringLiteral(".tazuna-relog-*")}, QDir::Dirs | QDir::Hidden).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(runCopies(dir).size(), 1, 15000);
    // The logs came along, and the new run writes into them.
    QTRY_COMPARE_WITH_TIMEOUT(readFile(dir + QStringLiteral("/log/main/current")).count(" started\n"), 2, 15000);
    QCOMPARE(errorOf(f->root->Remove(QStringLiteral("stuck"), true)), QString());
}

QTEST_GUILESS_MAIN(TestOperations)
#include "test_operations.moc"
