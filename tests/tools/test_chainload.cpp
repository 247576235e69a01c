// SPDX-License-Identifier: MIT
// Behaviour of the chain-loading tools that golden output cannot show: lock waits, lock
// inheritance, fghack's pipe, sessions, groups, and a whole chain against Debian's.
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz::test;

namespace {

// True when /proc/locks shows pid waiting for a lock (the "->" lines list waiters).
bool waitingForLock(qint64 pid)
{
    const QList<QByteArray> lines = readFile(QStringLiteral("/proc/locks")).split('\n');
    const QByteArray needle = " " + QByteArray::number(pid) + " ";
    for (const QByteArray &line : lines) {
        if (line.contains("->") && line.contains(needle))
            return true;
    }
    return false;
}

RunOptions noSession()
{
    RunOptions options;
    options.newSession = false;
    return options;
}

bool processExists(qint64 pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0; }

void startHolder(QProcess &p, const QString &setlock, const QString &lockFile)
{
    p.setProgram(setlock);
    p.setArguments({lockFile, QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo held; read x")});
    p.start();
    QVERIFY(p.waitForStarted());
    QVERIFY(waitFor([&] { return p.readAllStandardOutput().contains("held") || p.state() != QProcess::Running; }));
    QCOMPARE(p.state(), QProcess::Running);
}

void release(QProcess &holder)
{
    holder.closeWriteChannel();
    QVERIFY(holder.waitForFinished(5000));
}

void ensureGoldenUser()
{
    const ProcessResult r = runShell(QStringLiteral(
        "id tzgolden >/dev/null 2>&1 || useradd -M -N -g nogroup tzgolden; "
        "id -Gn tzgolden | grep -qw users || usermod -a -G users tzgolden; id -G tzgolden"));
    QCOMPARE(r.exitCode, 0);
    // The account must have a supplementary group for the checks to mean anything.
    QVERIFY(r.out.trimmed().split(' ').size() > 1);
}

// The same script with our tools first on PATH, and with Debian's alone.
struct OursAndDebian {
    RunOptions ours;
    RunOptions debian;
};
OursAndDebian oursAndDebian(const QString &workingDirectory = QString())
{
    OursAndDebian o;
    o.ours.workingDirectory = o.debian.workingDirectory = workingDirectory;
    o.ours.environment.insert(QStringLiteral("PATH"), toolDir() + QStringLiteral(":/usr/bin:/bin"));
    o.debian.environment.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
    return o;
}

} // namespace

class TestChainloadTools : public QObject {
    Q_OBJECT

private slots:
    void setlockWaitsForTheHolder()
    {
        QTemporaryDir dir;
        const QString lk = dir.filePath(QStringLiteral("lk"));
        QProcess holder;
        startHolder(holder, toolPath(QStringLiteral("setlock")), lk);
        QProcess waiter;
        waiter.start(toolPath(QStringLiteral("setlock")), {lk, QStringLiteral("echo"), QStringLiteral("second")});
        QVERIFY(waiter.waitForStarted());
        QVERIFY2(waitFor([&] { return waitingForLock(waiter.processId()); }), "the second setlock never blocked");
        QCOMPARE(waiter.state(), QProcess::Running);
        release(holder);
        QVERIFY(waiter.waitForFinished(5000));
        QCOMPARE(waiter.exitCode(), 0);
        QCOMPARE(waiter.readAllStandardOutput(), QByteArray("second\n"));
    }

    void setlockExcludesDebiansAndBack()
    {
        QTemporaryDir dir;
        const QString lk = dir.filePath(QStringLiteral("lk"));
        for (const bool debianHolds : {true, false}) {
            QProcess holder;
            startHolder(holder, debianHolds ? referencePath(QStringLiteral("setlock")) : toolPath(QStringLiteral("setlock")), lk);
            const QString other = debianHolds ? toolPath(QStringLiteral("setlock")) : referencePath(QStringLiteral("setlock"));
            const ProcessResult r = run(other, {QStringLiteral("-n"), lk, QStringLiteral("true")});
            QCOMPARE(r.exitCode, 111);
            QCOMPARE(r.err, QByteArray("setlock: fatal: unable to lock " + QFile::encodeName(lk) + ": temporary failure\n"));
            release(holder);
        }
    }

    void lockLivesAsLongAsTheProgramsChildren()
    {
        QTemporaryDir dir;
        const QString lk = dir.filePath(QStringLiteral("lk"));
        // setlock's program leaves a background child behind and exits: the child
        // still holds the descriptor, so the lock stays taken.
        const ProcessResult started = run(toolPath(QStringLiteral("setlock")),
                                          {lk, QStringLiteral("sh"), QStringLiteral("-c"),
                                           QStringLiteral("sleep 60 >/dev/null 2>&1 & echo $!")},
                                          noSession());
        QCOMPARE(started.exitCode, 0);
        const qint64 child = started.out.trimmed().toLongLong();
        QVERIFY(child > 0);
        const ProcessResult busy = run(toolPath(QStringLiteral("setlock")), {QStringLiteral("-n"), lk, QStringLiteral("true")});
        QCOMPARE(busy.exitCode, 111);
        ::kill(static_cast<pid_t>(child), SIGKILL);
        QVERIFY(waitFor([&] {
            return run(toolPath(QStringLiteral("setlock")), {QStringLiteral("-n"), lk, QStringLiteral("true")}).exitCode == 0;
        }));
    }

    void setlockCreatesTheFilePrivate()
    {
        QTemporaryDir dir;
        const QString lk = dir.filePath(QStringLiteral("lk"));
        QCOMPARE(run(toolPath(QStringLiteral("setlock")), {lk, QStringLiteral("true")}).exitCode, 0);
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(lk).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0600));
    }

    void fghackWaitsForTheDaemon()
    {
        QTemporaryDir dir;
        const QString marker = dir.filePath(QStringLiteral("done"));
        // The program backgrounds a "daemon" and exits at once; fghack must return
        // only after the daemon is gone.
        const ProcessResult r = run(toolPath(QStringLiteral("fghack")),
                                    {QStringLiteral("sh"), QStringLiteral("-c"),
                                     QStringLiteral("(sleep 0.3; touch '%1') >/dev/null 2>&1 </dev/null &").arg(marker)});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFile::exists(marker));
    }

    void fghackReturnsWhenThePipeIsClosed()
    {
        QTemporaryDir dir;
        const QString pidFile = dir.filePath(QStringLiteral("pid"));
        // A daemon that closes every inherited descriptor is no longer seen: that is
        // the mechanism, and the documented limit, of fghack.
        const QString script = QStringLiteral(
            "( for fd in $(seq 3 64); do eval \"exec $fd>&-\"; done; echo $BASHPID > '%1'; exec sleep 60 ) "
            ">/dev/null 2>&1 </dev/null &").arg(pidFile);
        RunOptions options;
        options.newSession = false;
        options.timeoutMs = 20000;
        const ProcessResult r = run(toolPath(QStringLiteral("fghack")), {QStringLiteral("bash"), QStringLiteral("-c"), script}, options);
        QVERIFY(!r.timedOut);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(waitFor([&] { return !readFile(pidFile).trimmed().isEmpty(); }));
        const qint64 daemon = readFile(pidFile).trimmed().toLongLong();
        QVERIFY(processExists(daemon));
        ::kill(static_cast<pid_t>(daemon), SIGKILL);
    }

    void pgrphackStartsANewSession()
    {
        RunOptions options;
        options.newSession = false;
        const ProcessResult r = run(toolPath(QStringLiteral("pgrphack")),
                                    {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("cat /proc/$$/stat")}, options);
        QCOMPARE(r.exitCode, 0);
        // pid (comm) state ppid pgrp session ...
        const QList<QByteArray> f = r.out.split(' ');
        QVERIFY(f.size() > 6);
        QCOMPARE(f[4], f[0]);
        QCOMPARE(f[5], f[0]);
        QVERIFY(f[5].toLongLong() != ::getsid(0));
    }

    void setuidgidKeepsOnlyThePrimaryGroup()
    {
        ensureGoldenUser();
        const QString script = QStringLiteral("setuidgid tzgolden sh -c 'grep -E \"^(Uid|Gid|Groups):\" /proc/self/status'");
        const OursAndDebian run = oursAndDebian();
        const ProcessResult r = runShell(script, run.ours);
        QCOMPARE(r.exitCode, 0);
        const QByteArray gid = runShell(QStringLiteral("id -g tzgolden")).out.trimmed();
        QVERIFY(r.out.contains("Groups:\t" + gid + " \n"));
        QCOMPARE(r.out, runShell(script, run.debian).out);
    }

    void wholeChainMatchesDebian()
    {
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("env")));
        writeFile(dir.filePath(QStringLiteral("env/GREETING")), "hello there  \nignored\n");
        writeFile(dir.filePath(QStringLiteral("env/HOME")), "");
        const QString script = QStringLiteral(
            "envdir env envuidgid nobody setuidgid nobody softlimit -o 40 -c 0 setlock -n /tmp/tz-chain-$$.lock "
            "fghack pgrphack sh -c 'echo \"$GREETING|${HOME-nohome}|$UID|$GID\"; id -u; ulimit -n; ulimit -c; "
            "set -- $(cut -d\" \" -f1,6 /proc/$$/stat); [ \"$1\" = \"$2\" ] && echo leader'; echo \"exit=$?\"; "
            "rm -f /tmp/tz-chain-$$.lock");
        const OursAndDebian run = oursAndDebian(dir.path());
        const ProcessResult a = runShell(script, run.ours);
        const ProcessResult b = runShell(script, run.debian);
        QCOMPARE(a.err, b.err);
        QCOMPARE(a.out, b.out);
        QCOMPARE(a.out, QByteArray("hello there|nohome|65534|65534\n65534\n40\n0\nleader\nexit=0\n"));
    }

    void envdirLongLineMatchesDebian()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("env")));
        writeFile(dir.filePath(QStringLiteral("env/LONG")), QByteArray(70000, 'x') + " \t\n" + QByteArray(3000, 'y'));
        const QString script = QStringLiteral("envdir env sh -c 'printf %s \"$LONG\" | wc -c'");
        const OursAndDebian run = oursAndDebian(dir.path());
        const ProcessResult a = runShell(script, run.ours);
        QCOMPARE(a.out.trimmed(), QByteArray("70000"));
        QCOMPARE(a.out, runShell(script, run.debian).out);
    }
};

QTEST_GUILESS_MAIN(TestChainloadTools)
#include "test_chainload.moc"
