// SPDX-License-Identifier: MIT
// supervise with real children and signals, and interoperation with Debian's daemontools both ways.
#include "exitrecord.h"
#include "status.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace tz::test;

namespace {

// One supervise process in a session of its own, so that the test can end it and
// everything it started with one kill of the group.
struct Supervise {
    std::unique_ptr<QProcess> process;
    qint64 group = 0;
};

// Short commands run in our own session: nothing of theirs outlives them here.
ProcessResult quick(const QString &program, const QStringList &args)
{
    RunOptions options;
    options.newSession = false;
    options.timeoutMs = 10000;
    return run(program, args, options);
}

} // namespace

class TestSupervise : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_dir;
    std::vector<Supervise> m_started;

    int m_serial = 0;

    QString path(const QString &rel) const { return m_dir + QLatin1Char('/') + rel; }
    QString marker() const { return m_dir + QStringLiteral(".mark"); }

    // A fresh service directory; "@MARK@" in the script becomes marker(), a file
    // outside the directory that the test watches.
    void makeService(const QString &runScript, bool down = false)
    {
        m_dir = m_tmp.path() + QStringLiteral("/svc") + QString::number(++m_serial);
        QVERIFY(QDir().mkpath(m_dir));
        QString script = runScript;
        writeFile(path(QStringLiteral("run")), script.replace(QStringLiteral("@MARK@"), marker()).toUtf8(), 0755);
        if (down)
            writeFile(path(QStringLiteral("down")), {});
    }

    QProcess *startSupervise(const QString &program)
    {
        Supervise s;
        s.process = std::make_unique<QProcess>();
        s.process->setProgram(program);
        s.process->setArguments({m_dir});
        s.process->setProcessChannelMode(QProcess::ForwardedChannels);
        s.process->setChildProcessModifier([] { ::setsid(); });
        s.process->start();
        if (!s.process->waitForStarted(5000))
            return nullptr;
        s.group = s.process->processId();
        m_started.push_back(std::move(s));
        return m_started.back().process.get();
    }

    std::optional<tz::ServiceStatus> status() const
    {
        const QByteArray b = readFile(path(QStringLiteral("supervise/status")));
        return tz::decodeStatus(std::span(reinterpret_cast<const unsigned char *>(b.constData()), b.size()));
    }

    QByteArray statusBytes() const { return readFile(path(QStringLiteral("supervise/status"))); }

    QString svstat(const QString &program) const
    {
        return QString::fromUtf8(quick(program, {m_dir}).out).trimmed().remove(m_dir + QStringLiteral(": "));
    }

    bool isUp() const
    {
        const auto s = status();
        return s && s->pid != 0;
    }

    bool isDown() const
    {
        const auto s = status();
        return s && s->pid == 0;
    }

    static int svcExit(const QString &svcProgram, const QString &letters, const QString &dir)
    {
        return quick(svcProgram, {QStringLiteral("-") + letters, dir}).exitCode;
    }

    // Debian's tools driving our supervise, or ours driving Debian's: the same
    // script either way.
    void driveOneAnother(const QString &supervise, const QString &svc, const QString &svstatProgram,
                         const QString &svok)
    {
        makeService(QStringLiteral("#!/bin/sh\nexec sleep 1000\n"));
        QProcess *p = startSupervise(supervise);
        QVERIFY(p);
        QVERIFY(waitFor([&] { return quick(svok, {m_dir}).exitCode == 0; }));
        QVERIFY(waitFor([&] { return isUp(); }));
        const auto first = *status();
        QCOMPARE(statusBytes().size(), 18);
        QCOMPARE(svstat(svstatProgram).section(QLatin1Char(')'), 0, 0), QStringLiteral("up (pid %1").arg(first.pid));
        QCOMPARE(first.want, tz::Want::Up);

        QCOMPARE(svcExit(svc, QStringLiteral("p"), m_dir), 0);
        QVERIFY(waitFor([&] { return status() && status()->paused; }));
        QVERIFY(svstat(svstatProgram).endsWith(QStringLiteral(", paused")));
        QCOMPARE(status()->since, first.since); // the stamp moves only with the pid
        QCOMPARE(svcExit(svc, QStringLiteral("c"), m_dir), 0);
        QVERIFY(waitFor([&] { return status() && !status()->paused; }));

        QCOMPARE(svcExit(svc, QStringLiteral("o"), m_dir), 0);
        QVERIFY(waitFor([&] { return status() && status()->want == tz::Want::Once; }));
        QCOMPARE(status()->pid, first.pid);

        QCOMPARE(svcExit(svc, QStringLiteral("d"), m_dir), 0);
        QVERIFY(waitFor([&] { return isDown() && status()->want == tz::Want::Down; }));
        QVERIFY(svstat(svstatProgram).startsWith(QStringLiteral("down ")));
        QVERIFY(svstat(svstatProgram).endsWith(QStringLiteral(" seconds, normally up")));
        QCOMPARE(::kill(static_cast<pid_t>(first.pid), 0), -1);

        QCOMPARE(svcExit(svc, QStringLiteral("u"), m_dir), 0);
        QVERIFY(waitFor([&] { return isUp() && status()->pid != first.pid; }));
        QVERIFY(svstat(svstatProgram).startsWith(QStringLiteral("up (pid ")));

        QCOMPARE(svcExit(svc, QStringLiteral("x"), m_dir), 0);
        QVERIFY(!p->waitForFinished(300)); // -x waits for the service to go down
        QCOMPARE(quick(svok, {m_dir}).exitCode, 0);
        QCOMPARE(svcExit(svc, QStringLiteral("d"), m_dir), 0);
        QVERIFY(p->waitForFinished(5000));
        QCOMPARE(p->exitCode(), 0);
        QCOMPARE(quick(svok, {m_dir}).exitCode, 100);
        QCOMPARE(svstat(svstatProgram), QStringLiteral("supervise not running"));
        const auto last = *status();
        QCOMPARE(last.pid, 0u);
        QCOMPARE(last.want, tz::Want::Down);
    }

private slots:
    void cleanup()
    {
        for (Supervise &s : m_started) {
            if (s.group > 0)
                ::kill(-static_cast<pid_t>(s.group), SIGKILL);
            s.process->waitForFinished(2000);
        }
        m_started.clear();
    }

    void debianToolsDriveOurSupervise()
    {
        driveOneAnother(toolPath(QStringLiteral("supervise")), referencePath(QStringLiteral("svc")),
                        referencePath(QStringLiteral("svstat")), referencePath(QStringLiteral("svok")));
    }

    void ourToolsDriveDebianSupervise()
    {
        driveOneAnother(referencePath(QStringLiteral("supervise")), toolPath(QStringLiteral("svc")),
                        toolPath(QStringLiteral("svstat")), toolPath(QStringLiteral("svok")));
    }

    void restartsAfterDeathWithOneSecondPause()
    {
        makeService(QStringLiteral("#!/bin/sh\ndate +%s.%N >> '@MARK@'\nexit 1\n"));
        const QString marker = this->marker();
        QVERIFY(startSupervise(toolPath(QStringLiteral("supervise"))));
        QVERIFY(waitFor([&] { return readFile(marker).count('\n') >= 4; }, 15000));
        QCOMPARE(svcExit(toolPath(QStringLiteral("svc")), QStringLiteral("dx"), m_dir), 0);
        const QList<QByteArray> lines = readFile(marker).trimmed().split('\n');
        for (int i = 1; i < lines.size(); ++i) {
            const double gap = lines[i].toDouble() - lines[i - 1].toDouble();
            QVERIFY2(gap >= 0.95, qPrintable(QStringLiteral("restart %1 came %2 s after the previous").arg(i).arg(gap)));
            QVERIFY2(gap < 2.0, qPrintable(QStringLiteral("restart %1 took %2 s").arg(i).arg(gap)));
        }
    }

    void downFileKeepsItDownUntilAsked()
    {
        makeService(QStringLiteral("#!/bin/sh\ntouch '@MARK@'\nexec sleep 1000\n"), true);
        const QString marker = this->marker();
        QVERIFY(startSupervise(toolPath(QStringLiteral("supervise"))));
        QVERIFY(waitFor([&] { return quick(toolPath(QStringLiteral("svok")), {m_dir}).exitCode == 0; }));
        QVERIFY(!waitFor([&] { return QFile::exists(marker); }, 1500));
        QCOMPARE(status()->want, tz::Want::Down);
        QCOMPARE(svstat(referencePath(QStringLiteral("svstat"))).section(QLatin1Char(' '), 0, 0), QStringLiteral("down"));
        // Removing down while supervise runs changes nothing: it is read at start-up only.
        QVERIFY(QFile::remove(path(QStringLiteral("down"))));
        QVERIFY(!waitFor([&] { return QFile::exists(marker); }, 1200));
        QCOMPARE(svcExit(toolPath(QStringLiteral("svc")), QStringLiteral("u"), m_dir), 0);
        QVERIFY(waitFor([&] { return QFile::exists(marker) && isUp(); }));
        QCOMPARE(svcExit(toolPath(QStringLiteral("svc")), QStringLiteral("dx"), m_dir), 0);
        QVERIFY(m_started.back().process->waitForFinished(5000));
    }

    void secondSuperviseIsRefused()
    {
        makeService(QStringLiteral("#!/bin/sh\nexec sleep 1000\n"));
        QVERIFY(startSupervise(toolPath(QStringLiteral("supervise"))));
        QVERIFY(waitFor([&] { return isUp(); }));
        for (const QString &program : {toolPath(QStringLiteral("supervise")), referencePath(QStringLiteral("supervise"))}) {
            const ProcessResult r = quick(program, {m_dir});
            QCOMPARE(r.exitCode, 111);
            QCOMPARE(QString::fromUtf8(r.err),
                     QStringLiteral("supervise: fatal: unable to acquire %1/supervise/lock: temporary failure\n").arg(m_dir));
        }
        // And ours is refused while Debian's holds the lock.
        QCOMPARE(svcExit(toolPath(QStringLiteral("svc")), QStringLiteral("dx"), m_dir), 0);
        QVERIFY(m_started.back().process->waitForFinished(5000));
        QVERIFY(startSupervise(referencePath(QStringLiteral("supervise"))));
        QVERIFY(waitFor([&] { return quick(toolPath(QStringLiteral("svok")), {m_dir}).exitCode == 0; }));
        QCOMPARE(quick(toolPath(QStringLiteral("supervise")), {m_dir}).exitCode, 111);
        QCOMPARE(svcExit(toolPath(QStringLiteral("svc")), QStringLiteral("dx"), m_dir), 0);
        QVERIFY(m_started.back().process->waitForFinished(5000));
    }

    void statusBytesAfterEachCommand()
    {
        makeService(QStringLiteral("#!/bin/sh\nexec sleep 1000\n"));
        QVERIFY(startSupervise(toolPath(QStringLiteral("supervise"))));
        QVERIFY(waitFor([&] { return isUp(); }));
        const QString svc = toolPath(QStringLiteral("svc"));
        QByteArray b = statusBytes();
        const tz::ServiceStatus up = *status();
        QCOMPARE(b.size(), 18);
        QCOMPARE(quint8(b[16]), quint8(0));
        QCOMPARE(b[17], 'u');
        QCOMPARE(quint8(b[0]), quint8(0x40)); // TAI64 label of a present-day time
        const quint32 pidLe = quint8(b[12]) | quint8(b[13]) << 8 | quint8(b[14]) << 16 | quint32(quint8(b[15])) << 24;
        QCOMPARE(pidLe, up.pid);

        QCOMPARE(svcExit(svc, QStringLiteral("p"), m_dir), 0);
        QVERIFY(waitFor([&] { return statusBytes().at(16) == 1; }));
        QCOMPARE(statusBytes().left(16), b.left(16));
        QCOMPARE(svcExit(svc, QStringLiteral("c"), m_dir), 0);
        QVERIFY(waitFor([&] { return statusBytes().at(16) == 0; }));
        QCOMPARE(svcExit(svc, QStringLiteral("o"), m_dir), 0);
        QVERIFY(waitFor([&] { return statusBytes().at(17) == 0; }));
        QCOMPARE(statusBytes().left(17), b.left(17));
        QCOMPARE(svcExit(svc, QStringLiteral("u"), m_dir), 0);
        QVERIFY(waitFor([&] { return statusBytes().at(17) == 'u'; }));
        QCOMPARE(svcExit(svc, QStringLiteral("d"), m_dir), 0);
        QVERIFY(waitFor([&] { return isDown(); }));
        b = statusBytes();
        QCOMPARE(b.mid(12, 6), QByteArray("\0\0\0\0\0d", 6));
        QVERIFY(status()->since > up.since);
        QCOMPARE(svcExit(svc, QStringLiteral("x"), m_dir), 0);
        QVERIFY(m_started.back().process->waitForFinished(5000));
        QCOMPARE(statusBytes(), b);
    }

    void termIsNotCaught()
    {
        makeService(QStringLiteral("#!/bin/sh\nexec sleep 1000\n"));
        QProcess *p = startSupervise(toolPath(QStringLiteral("supervise")));
        QVERIFY(waitFor([&] { return isUp(); }));
        const quint32 child = status()->pid;
        ::kill(static_cast<pid_t>(p->processId()), SIGTERM);
        QVERIFY(p->waitForFinished(5000));
        QCOMPARE(p->exitStatus(), QProcess::CrashExit);
        // The child is left running, as with 0.76.
        QCOMPARE(::kill(static_cast<pid_t>(child), 0), 0);
    }
};

QTEST_GUILESS_MAIN(TestSupervise)
#include "test_supervise.moc"
