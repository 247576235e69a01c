// SPDX-License-Identifier: MIT
// The private-bus, real-polkitd and helper harness the helper and app tests share.
#include "dbusharness.h"

#include "testsupport.h"

#include <QDBusConnectionInterface>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <csignal>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tz::test {

namespace {

QString sourceFile(const char *relative)
{
    return QStringLiteral(TAZUNA_SOURCE_DIR "/") + QLatin1String(relative);
}

// The daemons die with the test even when it aborts before its destructors run.
void dieWithParent(QProcess &p)
{
    p.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

void killAndReap(std::unique_ptr<QProcess> &p)
{
    if (!p)
        return;
    if (p->state() != QProcess::NotRunning) {
        p->kill();
        p->waitForFinished(5000);
    }
    p.reset();
}

} // namespace

DbusHarness::DbusHarness()
{
    // Test users must reach the bus socket inside.
    ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
}

DbusHarness::~DbusHarness()
{
    for (const QString &c : m_connections)
        QDBusConnection::disconnectFromBus(c);
    killAndReap(m_helper);
    stopPolkit();
    killAndReap(m_bus);
}

bool DbusHarness::startBus(bool allowRootPolkitName)
{
    toolDir(); // stops here, before any daemon runs, when TAZUNA_BIN is missing
    const QString socket = m_dir.filePath(QStringLiteral("system_bus_socket"));
    QByteArray conf =
        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
        " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
        "<busconfig>\n"
        "  <type>system</type>\n"
        "  <auth>EXTERNAL</auth>\n"
        "  <listen>unix:path=" + QFile::encodeName(socket) + "</listen>\n"
        "  <policy context=\"default\">\n"
        "    <allow user=\"*\"/>\n"
        "    <deny own=\"*\"/>\n"
        "    <deny send_type=\"method_call\"/>\n"
        "    <allow send_type=\"signal\"/>\n"
        "    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
        "    <allow send_requested_reply=\"true\" send_type=\"error\"/>\n"
        "    <allow receive_type=\"method_call\"/>\n"
        "    <allow receive_type=\"method_return\"/>\n"
        "    <allow receive_type=\"error\"/>\n"
        "    <allow receive_type=\"signal\"/>\n"
        "    <allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus\"/>\n"
        "    <allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus.Introspectable\"/>\n"
        "    <allow send_destination=\"org.freedesktop.DBus\" send_interface=\"org.freedesktop.DBus.Properties\"/>\n"
        "  </policy>\n";
    if (allowRootPolkitName)
        conf += "  <policy user=\"root\"><allow own=\"org.freedesktop.PolicyKit1\"/></policy>\n";
    conf += "  <include ignore_missing=\"yes\">/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf</include>\n";
    const QDir dbusDir(sourceFile("dbus"));
    for (const QString &f : dbusDir.entryList({QStringLiteral("*.conf")}, QDir::Files))
        conf += "  <include>" + QFile::encodeName(dbusDir.filePath(f)) + "</include>\n";
    conf += "</busconfig>\n";
    const QString confPath = m_dir.filePath(QStringLiteral("bus.conf"));
    writeFile(confPath, conf);

    m_bus = std::make_unique<QProcess>();
    dieWithParent(*m_bus);
    m_bus->setProgram(QStringLiteral("dbus-daemon"));
    m_bus->setArguments({QStringLiteral("--config-file=") + confPath, QStringLiteral("--nofork"), QStringLiteral("--print-address")});
    // Daemons write to files, never to pipes that nobody reads while the test runs:
    // a full pipe blocks the writer, and a bus that blocks logging a flood of limit
    // warnings answers nobody.
    m_bus->setStandardErrorFile(m_dir.filePath(QStringLiteral("bus.log")), QIODevice::Append);
    m_bus->start();
    if (!m_bus->waitForStarted(5000))
        return false;
    QByteArray out;
    if (!waitFor([&] {
            out += m_bus->readAllStandardOutput();
            return out.contains('\n') || m_bus->state() == QProcess::NotRunning;
        }, 10000) || !out.contains('\n')) {
        qWarning("dbus-daemon: %s", readFile(m_dir.filePath(QStringLiteral("bus.log"))).constData());
        return false;
    }
    m_address = QString::fromUtf8(out.left(out.indexOf('\n')).trimmed());
    return true;
}

bool DbusHarness::startPolkit(const QString &rulesJs)
{
    // polkitd reads its actions and rules from fixed system folders. Rather than
    // writing there (and racing every other test on the machine that does the
    // same), it runs in a mount namespace of its own where both folders are this
    // run's: the stock actions plus ours, and only our rules.
    const QString rules = m_dir.filePath(QStringLiteral("polkit-rules"));
    const QString actions = m_dir.filePath(QStringLiteral("polkit-actions"));
    if (!QDir().mkpath(rules) || !QDir().mkpath(actions))
        return false;
    ::chmod(QFile::encodeName(rules).constData(), 0755);
    ::chmod(QFile::encodeName(actions).constData(), 0755);
    const QDir stock(QStringLiteral("/usr/share/polkit-1/actions"));
    for (const QString &f : stock.entryList({QStringLiteral("*.policy")}, QDir::Files)) {
        if (f != QLatin1String("org.tazuna.policy"))
            QFile::copy(stock.filePath(f), actions + QLatin1Char('/') + f);
    }
    if (!QFile::copy(sourceFile("dbus/org.tazuna.policy"), actions + QStringLiteral("/org.tazuna.policy")))
        return false;
    for (const QString &f : QDir(actions).entryList(QDir::Files))
        ::chmod(QFile::encodeName(actions + QLatin1Char('/') + f).constData(), 0644);
    writeFile(rules + QStringLiteral("/49-tazuna-test.rules"), rulesJs.toUtf8(), 0644);

    // polkitd takes about 40 ms to load its rules and take its name here, but under
    // a loaded CI run it once stalled for over 15 s between "Loading rules" and
    // "Finished loading", before this project's helper was even started (cause
    // not found; 200 starts in a row here took at most 40 ms). A stalled
    // polkitd is stopped, what its threads were waiting in is logged, and a fresh
    // one is started: a test needs a working authority, not that particular one.
    for (int attempt = 1; attempt <= 3; ++attempt) {
        if (launchPolkit(rules, actions))
            return true;
        qWarning("polkitd (attempt %d) did not finish loading within 10 s; its threads waited in: %s\nits log: %s",
                 attempt, polkitWaitChannels().constData(), m_polkitLog.constData());
        stopPolkit();
    }
    return false;
}

bool DbusHarness::launchPolkit(const QString &rules, const QString &actions)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), m_address);
    m_polkit = std::make_unique<QProcess>();
    dieWithParent(*m_polkit);
    m_polkit->setProcessEnvironment(env);
    m_polkit->setProcessChannelMode(QProcess::MergedChannels);
    const QString polkitLog = m_dir.filePath(QStringLiteral("polkitd.log"));
    ::unlink(QFile::encodeName(polkitLog).constData());
    m_polkit->setStandardOutputFile(polkitLog);
    m_polkit->setProgram(QStringLiteral("unshare"));
    m_polkit->setArguments({QStringLiteral("--mount"), QStringLiteral("--propagation"), QStringLiteral("private"),
                            QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                            QStringLiteral("mount --bind \"$1\" /etc/polkit-1/rules.d && mount --bind \"$2\" /usr/share/polkit-1/actions "
                                           "&& exec /usr/lib/polkit-1/polkitd"),
                            QStringLiteral("sh"), rules, actions});
    m_polkit->start();
    if (!m_polkit->waitForStarted(5000))
        return false;
    return waitFor([&] {
        m_polkitLog = readFile(polkitLog);
        return m_polkitLog.contains("Finished loading") && m_polkitLog.contains("Acquired the name");
    }, 10000);
}

// "tid:wchan" for each thread of polkitd (unshare and sh exec into it, so it has
// the QProcess's pid).
QByteArray DbusHarness::polkitWaitChannels() const
{
    QByteArray out;
    if (!m_polkit || m_polkit->processId() <= 0)
        return "(not running)";
    const QString task = QStringLiteral("/proc/%1/task").arg(m_polkit->processId());
    for (const QString &tid : QDir(task).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        out += tid.toUtf8() + ':' + readFile(task + QLatin1Char('/') + tid + QStringLiteral("/wchan"))
             + '/' + readFile(task + QLatin1Char('/') + tid + QStringLiteral("/comm")).trimmed() + ' ';
    }
    return out;
}

void DbusHarness::stopPolkit() { killAndReap(m_polkit); }

bool DbusHarness::startHelper(const QString &scanDir, const QStringList &extraArgs)
{
    if (m_helper)
        killAndReap(m_helper);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), m_address);
    m_helper = std::make_unique<QProcess>();
    dieWithParent(*m_helper);
    m_helper->setProcessEnvironment(env);
    m_helper->setProcessChannelMode(QProcess::MergedChannels);
    m_helper->setStandardOutputFile(m_dir.filePath(QStringLiteral("helper.log")), QIODevice::Append);
    m_helper->setProgram(toolPath(QStringLiteral("tazuna-helper")));
    m_helper->setArguments(QStringList{QStringLiteral("--scan-dir"), scanDir, QStringLiteral("--tools-dir"), toolDir(),
                                       QStringLiteral("--templates-dir"), toolPath(QStringLiteral("templates")),
                                       QStringLiteral("--svscan-log"), m_dir.filePath(QStringLiteral("svscan.log"))}
                           + extraArgs);
    m_helper->start();
    if (!m_helper->waitForStarted(5000))
        return false;
    const bool up = waitForName(QStringLiteral("org.tazuna.Helper1"), 10000);
    if (!up)
        qWarning("tazuna-helper: %s", helperOutput().constData());
    return up;
}

void DbusHarness::killHelper(int sig)
{
    // A helper that never started has pid 0, and kill(0, …) would hit this
    // whole process group, the test runner included.
    const auto pid = static_cast<pid_t>(m_helper ? m_helper->processId() : 0);
    if (pid <= 0)
        return;
    ::kill(pid, sig);
    m_helper->waitForFinished(10000);
}

qint64 DbusHarness::helperPid() const { return m_helper ? m_helper->processId() : 0; }

QByteArray DbusHarness::helperOutput()
{
    return readFile(m_dir.filePath(QStringLiteral("helper.log")));
}

void DbusHarness::stopTree(const QString &scanDir)
{
    const QByteArray pidFile = readFile(scanDir + QStringLiteral("/.tazuna-svscan.pid"));
    const auto svscan = static_cast<pid_t>(pidFile.split(' ').value(0).toInt());
    if (svscan > 1)
        ::kill(svscan, SIGKILL);
    // Ask every supervise to stop its service and leave, as svc -dx would …
    QDir scan(scanDir);
    QSet<QString> dirs; // a set: "name/log" is both the log and one of name's inner folders
    for (const QString &name : scan.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        dirs << scan.filePath(name) << scan.filePath(name + QStringLiteral("/log"));
        for (const QString &inner : QDir(scan.filePath(name)).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            dirs << scan.filePath(name + QLatin1Char('/') + inner) << scan.filePath(name + QLatin1Char('/') + inner + QStringLiteral("/log"));
    }
    // A supervise can leave between our open and our write (told to by an earlier
    // "x", or by the test); the write must then fail with EPIPE, not kill the test.
    struct sigaction ignore {}, pipeWas {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &pipeWas);
    for (const QString &d : std::as_const(dirs)) {
        const int fd = ::open(QFile::encodeName(d + QStringLiteral("/supervise/control")).constData(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0) {
            (void)!::write(fd, "dx", 2);
            ::close(fd);
        }
    }
    ::sigaction(SIGPIPE, &pipeWas, nullptr);
    // … then kill whatever still works inside the tree.
    const QString root = QFileInfo(scanDir).canonicalFilePath();
    // No tree, nothing to kill: an empty root would match every process's cwd.
    if (root.isEmpty() || root == QLatin1String("/"))
        return;
    waitFor([&] {
        bool any = false;
        for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            bool isPid = false;
            pid.toInt(&isPid);
            if (!isPid)
                continue;
            const QString cwd = QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(pid));
            if (cwd == root || cwd.startsWith(root + QLatin1Char('/')))
                any = true;
        }
        return !any;
    }, 3000);
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const int p = pid.toInt(&isPid);
        if (!isPid)
            continue;
        const QString cwd = QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(pid));
        if (cwd == root || cwd.startsWith(root + QLatin1Char('/')))
            ::kill(p, SIGKILL);
    }
    // A process is not gone when kill() returns: one that is still finishing a call
    // can create a file while the caller removes the tree, and the removal fails.
    waitFor([&] {
        for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            const QString cwd = QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(pid));
            if (!cwd.isEmpty() && (cwd == root || cwd.startsWith(root + QLatin1Char('/'))))
                return false;
        }
        return true;
    }, 3000);
}

QDBusConnection DbusHarness::connectAs(uid_t uid, gid_t gid, const QString &connectionName)
{
    if (gid != 0 && ::setegid(gid) != 0)
        qFatal("setegid failed");
    if (uid != 0 && ::seteuid(uid) != 0)
        qFatal("seteuid failed");
    QDBusConnection c = QDBusConnection::connectToBus(m_address, connectionName);
    if (::seteuid(0) != 0 || ::setegid(0) != 0)
        qFatal("cannot return to root");
    m_connections << connectionName;
    return c;
}

bool DbusHarness::waitForName(const QString &name, int timeoutMs)
{
    QDBusConnection c = connectAs(0, 0, QStringLiteral("harness-probe"));
    return waitFor([&] { return c.interface()->isServiceRegistered(name).value(); }, timeoutMs);
}

QByteArray DbusHarness::runAs(const QString &user, const QStringList &command, int *exitCode)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), m_address);
    RunOptions o;
    o.environment = env;
    const ProcessResult r = run(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), user, QStringLiteral("--")} + command, o);
    if (exitCode)
        *exitCode = r.exitCode;
    return r.out + r.err;
}

} // namespace tz::test
