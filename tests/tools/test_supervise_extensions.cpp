// SPDX-License-Identifier: MIT
// supervise's extensions with real processes: exit records, crash-loop backoff, no duplicate after kill -9.
#include "backoff.h"
#include "exitrecord.h"
#include "status.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace tz::test;

namespace {

ProcessResult quick(const QString &program, const QStringList &args)
{
    RunOptions options;
    options.newSession = false; // nothing to clean up after svc/svstat
    options.timeoutMs = 10000;
    return run(program, args, options);
}

double seconds(const tz::Tai64n &t) { return double(t.seconds - tz::tai64Epoch) + t.nanoseconds / 1e9; }

// Processes whose working directory is dir and whose command is comm.
int countProcesses(const QString &dir, const QByteArray &comm)
{
    int n = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool isPid = false;
        e.toInt(&isPid);
        if (!isPid)
            continue;
        const QString base = QStringLiteral("/proc/") + e;
        if (QFile::symLinkTarget(base + QStringLiteral("/cwd")) != dir)
            continue;
        const QByteArray stat = readFile(base + QStringLiteral("/stat"));
        const qsizetype close = stat.lastIndexOf(')');
        if (close < 0 || stat.size() < close + 3 || stat[close + 2] == 'Z')
            continue;
        if (readFile(base + QStringLiteral("/comm")).trimmed() == comm)
            ++n;
    }
    return n;
}

} // namespace

class TestSuperviseExtensions : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_dir;
    int m_serial = 0;
    std::vector<std::unique_ptr<QProcess>> m_started;
    std::vector<pid_t> m_groups;

    QString path(const QString &rel) const { return m_dir + QLatin1Char('/') + rel; }
    QString svc() const { return toolPath(QStringLiteral("svc")); }

    void makeService(const QString &runScript)
    {
        m_dir = QDir(m_tmp.path()).canonicalPath() + QStringLiteral("/svc") + QString::number(++m_serial);
        QVERIFY(QDir().mkpath(m_dir));
        writeFile(path(QStringLiteral("run")), runScript.toUtf8(), 0755);
    }

    QProcess *startSupervise()
    {
        auto p = std::make_unique<QProcess>();
        p->setProgram(toolPath(QStringLiteral("supervise")));
        p->setArguments({m_dir});
        p->setProcessChannelMode(QProcess::ForwardedChannels);
        p->setChildProcessModifier([] { ::setsid(); });
        p->start();
        if (!p->waitForStarted(5000))
            return nullptr;
        m_groups.push_back(static_cast<pid_t>(p->processId()));
        m_started.push_back(std::move(p));
        return m_started.back().get();
    }

    std::optional<tz::ServiceStatus> status() const
    {
        const QByteArray b = readFile(path(QStringLiteral("supervise/status")));
        return tz::decodeStatus(std::span(reinterpret_cast<const unsigned char *>(b.constData()), b.size()));
    }

    tz::ExitLog exits() const
    {
        const QByteArray b = readFile(path(QStringLiteral("supervise/exits")));
        return tz::decodeExitLog(std::span(reinterpret_cast<const unsigned char *>(b.constData()), b.size()));
    }

    std::optional<tz::BackoffState> backoffState() const
    {
        const QByteArray b = readFile(path(QStringLiteral("supervise/backoff-state")));
        return tz::decodeBackoffState(std::span(reinterpret_cast<const unsigned char *>(b.constData()), b.size()));
    }

    bool upWithNewPid(std::uint32_t old) const
    {
        const auto s = status();
        return s && s->pid != 0 && s->pid != old;
    }

    void stop()
    {
        QCOMPARE(quick(svc(), {QStringLiteral("-dx"), m_dir}).exitCode, 0);
        QVERIFY(m_started.back()->waitForFinished(10000));
    }

private slots:
    void cleanup()
    {
        for (const pid_t g : m_groups)
            ::kill(-g, SIGKILL);
        for (auto &p : m_started)
            p->waitForFinished(2000);
        m_started.clear();
        m_groups.clear();
    }

    void exitRecordsForCodesAndSignals()
    {
        makeService(QStringLiteral("#!/bin/sh\n[ -f code ] && exit $(cat code)\nexec sleep 1000\n"));
        QVERIFY(startSupervise());
        QVERIFY(waitFor([&] { return status() && status()->pid != 0; }));
        const std::uint32_t first = status()->pid;

        QCOMPARE(quick(svc(), {QStringLiteral("-k"), m_dir}).exitCode, 0);
        QVERIFY(waitFor([&] { return exits().records.size() == 1; }));
        tz::ExitRecord r = exits().records.back();
        QCOMPARE(r.pid, first);
        QCOMPARE(r.kind, tz::ExitKind::Signalled);
        QCOMPARE(int(r.code), SIGKILL);
        QCOMPARE(int(r.lastSignal), SIGKILL);
        QVERIFY(!r.stopRequested);
        QVERIFY(!r.adopted);
        QVERIFY(!r.once);
        QVERIFY(r.ended >= r.started);

        QVERIFY(waitFor([&] { return upWithNewPid(first); }));
        const std::uint32_t second = status()->pid;
        QCOMPARE(quick(svc(), {QStringLiteral("-d"), m_dir}).exitCode, 0);
        QVERIFY(waitFor([&] { return exits().records.size() == 2; }));
        r = exits().records.back();
        QCOMPARE(r.pid, second);
        QCOMPARE(r.kind, tz::ExitKind::Signalled);
        QCOMPARE(int(r.code), SIGTERM);
        QVERIFY(r.stopRequested);

        writeFile(path(QStringLiteral("code")), "3\n");
        QCOMPARE(quick(svc(), {QStringLiteral("-o"), m_dir}).exitCode, 0);
        QVERIFY(waitFor([&] { return exits().records.size() == 3; }));
        r = exits().records.back();
        QCOMPARE(r.kind, tz::ExitKind::Exited);
        QCOMPARE(int(r.code), 3);
        QVERIFY(!r.stopRequested);
        QVERIFY(r.once);
        QVERIFY(r.crashed()); // run once, and it failed
        QCOMPARE(int(r.lastSignal), 0);
        QVERIFY(r.ranMs() < 5000);
        QCOMPARE(exits().total, 3u);
        QVERIFY(!exits().damaged);
        stop();

        // History survives a supervise restart and keeps counting.
        QVERIFY(startSupervise());
        QVERIFY(waitFor([&] { return exits().records.size() == 4; }));
        QCOMPARE(exits().total, 4u);
        QCOMPARE(exits().records.back().code, 3);
        QVERIFY(!exits().records.back().once); // started up, as the service is not down
        stop();
    }

    void backoffGrowsAndResets()
    {
        makeService(QStringLiteral("#!/bin/sh\n[ -f stable ] && exec sleep 1.5\nexit 1\n"));
        writeFile(path(QStringLiteral("backoff")), "max=4 stable=1\n");
        QVERIFY(startSupervise());
        // Starts at 0, 1, 3, 7 s: pauses of 1, 2, 4 s after each quick death.
        QVERIFY(waitFor([&] {
            const auto s = backoffState();
            return s && s->pending && s->quickDeaths == 3;
        }, 10000));
        const auto waiting = *backoffState();
        QCOMPARE(waiting.pauseMs, 4000u);
        QCOMPARE(waiting.maxSeconds, 4u);
        QVERIFY(seconds(waiting.nextStart) > seconds(tz::Tai64n::now()) + 2.5);
        QVERIFY(waitFor([&] { return exits().records.size() >= 4; }, 10000));
        // The service is now stable: its next death resets the pause.
        writeFile(path(QStringLiteral("stable")), {});
        QVERIFY(waitFor([&] { return exits().records.size() >= 6; }, 15000));
        const auto log = exits();
        const auto &rec = log.records;
        QVERIFY(rec.size() >= 6);
        const double gap1 = seconds(rec[1].started) - seconds(rec[0].ended);
        const double gap2 = seconds(rec[2].started) - seconds(rec[1].ended);
        const double gap3 = seconds(rec[3].started) - seconds(rec[2].ended);
        QVERIFY2(gap1 > 0.9 && gap1 < 1.6, qPrintable(QString::number(gap1)));
        QVERIFY2(gap2 > 1.9 && gap2 < 2.6, qPrintable(QString::number(gap2)));
        QVERIFY2(gap3 > 3.9 && gap3 < 4.6, qPrintable(QString::number(gap3)));
        // rec[4] ran 1.5 s (stable): the start after it follows at once.
        QVERIFY(rec[4].ranMs() >= 1000);
        const double afterStable = seconds(rec[5].started) - seconds(rec[4].ended);
        QVERIFY2(afterStable < 0.5, qPrintable(QString::number(afterStable)));
        QCOMPARE(backoffState()->quickDeaths, 0);
        stop();
    }

    void svcUpCutsBackoffShort()
    {
        makeService(QStringLiteral("#!/bin/sh\nexit 1\n"));
        writeFile(path(QStringLiteral("backoff")), "30\n");
        QVERIFY(startSupervise());
        // Third quick death: the next start is 4 s away.
        QVERIFY(waitFor([&] {
            const auto s = backoffState();
            return s && s->pending && s->pauseMs == 4000;
        }, 10000));
        const tz::BackoffState waiting = *backoffState();
        const std::size_t before = exits().records.size();
        QCOMPARE(quick(svc(), {QStringLiteral("-u"), m_dir}).exitCode, 0);
        QVERIFY(waitFor([&] { return exits().records.size() > before; }, 3000));
        QVERIFY(seconds(exits().records.back().started) < seconds(waiting.nextStart) - 2);
        // The count is kept: that death is the fourth quick one in a row.
        QVERIFY(waitFor([&] { return backoffState() && backoffState()->quickDeaths >= 4; }));
        stop();
        QVERIFY(!backoffState()->pending);
    }

    void withoutBackoffFileNoStateFile()
    {
        makeService(QStringLiteral("#!/bin/sh\nexit 1\n"));
        QVERIFY(startSupervise());
        QVERIFY(waitFor([&] { return exits().records.size() >= 2; }, 5000));
        QVERIFY(!QFile::exists(path(QStringLiteral("supervise/backoff-state"))));
        const auto rec = exits().records;
        QVERIFY(seconds(rec[1].started) - seconds(rec[0].started) >= 0.95);
        stop();
    }

    void noDuplicateAfterKill9()
    {
        makeService(QStringLiteral("#!/bin/sh\nexec sleep 1000\n"));
        QProcess *first = startSupervise();
        QVERIFY(first);
        QVERIFY(waitFor([&] { return status() && status()->pid != 0; }));
        const tz::ServiceStatus before = *status();
        QVERIFY(waitFor([&] { return countProcesses(m_dir, "sleep") == 1; })); // ./run has exec'd sleep

        ::kill(static_cast<pid_t>(first->processId()), SIGKILL);
        QVERIFY(first->waitForFinished(5000));
        QCOMPARE(quick(toolPath(QStringLiteral("svok")), {m_dir}).exitCode, 100);

        QVERIFY(startSupervise());
        QVERIFY(waitFor([&] { return quick(toolPath(QStringLiteral("svok")), {m_dir}).exitCode == 0; }));
        // Adopted: same pid, same stamp, and still one process; Debian's svstat agrees.
        QCOMPARE(status()->pid, before.pid);
        QCOMPARE(status()->since, before.since);
        QVERIFY(!waitFor([&] { return countProcesses(m_dir, "sleep") != 1; }, 1500));
        QVERIFY(QString::fromUtf8(quick(referencePath(QStringLiteral("svstat")), {m_dir}).out)
                    .contains(QStringLiteral("up (pid %1)").arg(before.pid)));

        // svc reaches the adopted process; its end is recorded with no status.
        QCOMPARE(quick(svc(), {QStringLiteral("-p"), m_dir}).exitCode, 0);
        QVERIFY(waitFor([&] { return readFile(QStringLiteral("/proc/%1/stat").arg(before.pid)).contains(") T"); }));
        QCOMPARE(quick(svc(), {QStringLiteral("-c"), m_dir}).exitCode, 0);
        QCOMPARE(quick(svc(), {QStringLiteral("-t"), m_dir}).exitCode, 0);
        QVERIFY(waitFor([&] { return exits().records.size() == 1; }));
        const tz::ExitRecord r = exits().records.back();
        QCOMPARE(r.kind, tz::ExitKind::Unknown);
        QVERIFY(r.adopted);
        QCOMPARE(r.pid, before.pid);
        QCOMPARE(r.started, before.since);
        QCOMPARE(int(r.lastSignal), SIGTERM);

        // Wanted up: a fresh ./run replaces it, exactly one again.
        QVERIFY(waitFor([&] { return upWithNewPid(before.pid); }));
        QVERIFY(waitFor([&] { return countProcesses(m_dir, "sleep") == 1; }));
        stop();
        QCOMPARE(countProcesses(m_dir, "sleep"), 0);
    }

    void staleChildRecordIsNotAdopted()
    {
        makeService(QStringLiteral("#!/bin/sh\nexec sleep 1000\n"));
        QProcess *first = startSupervise();
        QVERIFY(waitFor([&] { return status() && status()->pid != 0; }));
        const std::uint32_t old = status()->pid;
        // Killed only once ./run has exec'd: until then the child still holds
        // supervise's lock (close-on-exec), and one killed before its exec can
        // hold it a moment after kill returns, long enough to refuse the next one.
        QVERIFY(waitFor([&] { return countProcesses(m_dir, "sleep") == 1; }));
        ::kill(static_cast<pid_t>(first->processId()), SIGKILL);
        QVERIFY(first->waitForFinished(5000));
        ::kill(static_cast<pid_t>(old), SIGKILL);
        QVERIFY(waitFor([&] { return countProcesses(m_dir, "sleep") == 0; }));
        QVERIFY(startSupervise());
        QVERIFY(waitFor([&] { return upWithNewPid(old); }));
        QVERIFY(waitFor([&] { return countProcesses(m_dir, "sleep") == 1; }));
        QVERIFY(exits().records.empty()); // nothing is invented about the one that vanished
        stop();
    }
};

QTEST_GUILESS_MAIN(TestSuperviseExtensions)
#include "test_supervise_extensions.moc"
