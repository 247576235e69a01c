// SPDX-License-Identifier: MIT
// Detaching svscan (setsid, double fork) and finding it again after a helper restart.
#include "scanlauncher.h"

#include "direntries.h"
#include "servicetree.h"

#include <QFile>
#include <QSocketNotifier>

#include <csignal>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tz {

unsigned long long processStartTime(pid_t pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    // The command name (field 2) is in parentheses and may hold blanks: count from
    // the last ')'.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // fields[0] is field 3 (state), so field 22 is fields[19].
    return fields.size() > 19 ? fields[19].toULongLong() : 0;
}

namespace {

bool isSvscan(pid_t pid)
{
    // An svscan whose program was replaced since it started (an upgrade) is still
    // ours: the link then ends in " (deleted)".
    QString exe = QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(pid));
    if (exe.endsWith(QLatin1String(" (deleted)")))
        exe.chop(10);
    return exe.endsWith(QLatin1String("/svscan"));
}

bool sameFile(const char *path, const struct stat &want)
{
    struct stat st {};
    return ::stat(path, &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino;
}

} // namespace

ScanLauncher::ScanLauncher(QString scanDir, QString toolsDir, QString logFile, QObject *parent)
    : QObject(parent), m_scanDir(std::move(scanDir)), m_toolsDir(std::move(toolsDir)), m_logFile(std::move(logFile))
{
}

ScanLauncher::~ScanLauncher()
{
    if (m_pidfd >= 0)
        ::close(m_pidfd);
}

pid_t ScanLauncher::findRunning() const
{
    const QByteArray dir = QFile::encodeName(m_scanDir);
    const Fd scan(::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!scan.valid())
        return 0;
    const auto text = readSmallFile(scan.get(), pidFileName, 128);
    if (!text)
        return 0;
    const QList<QByteArray> parts = text->trimmed().split(' ');
    if (parts.size() != 2)
        return 0;
    const auto pid = static_cast<pid_t>(parts[0].toInt());
    if (pid <= 1 || processStartTime(pid) != parts[1].toULongLong())
        return 0;
    // A zombie or a pid reused within the same clock tick would still pass: the
    // executable's name settles it.
    return isSvscan(pid) ? pid : 0;
}

pid_t ScanLauncher::lockHolder() const
{
    const QByteArray dir = QFile::encodeName(m_scanDir);
    const Fd scan(::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    struct stat self {};
    if (!scan.valid() || ::fstat(scan.get(), &self) != 0)
        return 0;
    if (::flock(scan.get(), LOCK_EX | LOCK_NB) == 0)
        return 0; // free (and free again when scan closes)
    // The holder: an svscan that works in the scan directory and has a flock on a
    // descriptor of it (fdinfo lists the locks of each descriptor).
    const Fd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    pid_t holder = -1;
    forEachEntry(proc.get(), [&](const dirent &e) {
        const auto pid = static_cast<pid_t>(std::atoi(e.d_name));
        const QByteArray base = "/proc/" + QByteArray(e.d_name);
        if (pid <= 1 || !sameFile((base + "/cwd").constData(), self) || !isSvscan(pid))
            return true;
        const Fd fds(::open((base + "/fd").constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        forEachEntry(fds.get(), [&](const dirent &f) {
            if (f.d_name[0] == '.' || !sameFile((base + "/fd/" + f.d_name).constData(), self))
                return true;
            QFile info(QString::fromLatin1(base + "/fdinfo/" + f.d_name));
            if (info.open(QIODevice::ReadOnly) && info.readAll().contains("FLOCK"))
                holder = pid;
            return holder < 0;
        });
        return holder < 0;
    });
    return holder;
}

QString ScanLauncher::ensureRunning()
{
    // A few rounds: a started svscan may lose the lock to one that a killed helper
    // had forked (it then exits at once), and a holder may end while it is looked for.
    QString problem;
    for (int round = 0; round < 50; ++round) {
        pid_t pid = findRunning();
        m_adopted = pid != 0;
        if (!pid) {
            const pid_t holder = lockHolder();
            if (holder < 0) {
                problem = QStringLiteral("%1 is locked by a process that is not svscan").arg(m_scanDir);
                ::usleep(20000);
                continue;
            }
            if (holder > 0) {
                m_adopted = true;
                pid = holder;
                if (problem = writePidFile(pid); !problem.isEmpty())
                    return problem;
            } else if (problem = start(); !problem.isEmpty()) {
                return problem;
            } else {
                pid = m_pid;
            }
        }
        m_pid = pid;
        if (watch())
            return {};
        problem = QStringLiteral("svscan (pid %1) ended at once").arg(pid);
    }
    return problem;
}

QString ScanLauncher::writePidFile(pid_t pid) const
{
    // Staged and renamed so a reader never sees half a line.
    const QByteArray line = QByteArray::number(pid) + ' ' + QByteArray::number(processStartTime(pid)) + '\n';
    const Fd scan(::open(QFile::encodeName(m_scanDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    const char *tmp = ".tazuna-svscan.pid.new";
    const int fd = scan.valid() ? ::openat(scan.get(), tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644) : -1;
    if (fd < 0)
        return QStringLiteral("cannot write %1/%2").arg(m_scanDir, QLatin1String(pidFileName));
    const bool written = ::write(fd, line.constData(), static_cast<size_t>(line.size())) == line.size();
    ::close(fd);
    if (!written || ::renameat(scan.get(), tmp, scan.get(), pidFileName) != 0)
        return QStringLiteral("cannot write %1/%2").arg(m_scanDir, QLatin1String(pidFileName));
    return {};
}

QString ScanLauncher::start()
{
    // Everything the child needs is prepared before fork: between fork and exec only
    // async-signal-safe calls are made.
    const QByteArray svscan = QFile::encodeName(m_toolsDir + QStringLiteral("/svscan"));
    if (::access(svscan.constData(), X_OK) != 0)
        return QStringLiteral("cannot run %1").arg(QFile::decodeName(svscan));
    const QByteArray dir = QFile::encodeName(m_scanDir);
    const QByteArray log = m_logFile.isEmpty() ? QByteArray("/dev/null") : QFile::encodeName(m_logFile);
    const QByteArray pathVar = "PATH=" + QFile::encodeName(m_toolsDir) + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    std::vector<QByteArray> envStore{pathVar, "SVSCAN_LOCK=exclusive"};
    for (const char *keep : {"LANG", "LC_ALL", "TZ", "SVSCAN_LOGRULE"}) {
        if (const char *v = ::getenv(keep))
            envStore.push_back(QByteArray(keep) + '=' + v);
    }
    std::vector<char *> envp;
    for (QByteArray &e : envStore)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    QByteArray arg0 = "svscan";
    QByteArray arg1 = dir;
    char *argv[] = {arg0.data(), arg1.data(), nullptr};

    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        return QStringLiteral("cannot create a pipe");
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(report[0]);
        ::close(report[1]);
        return QStringLiteral("cannot fork");
    }
    if (child == 0) {
        ::setsid();
        const pid_t grandchild = ::fork();
        if (grandchild != 0) {
            // The middle process tells the helper the pid and leaves, so that svscan
            // is reparented to init and is nobody's child in the helper's session.
            const pid_t report_pid = grandchild;
            (void)!::write(report[1], &report_pid, sizeof report_pid);
            ::_exit(grandchild < 0 ? 111 : 0);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int s = 1; s < NSIG; ++s)
            ::signal(s, SIG_DFL);
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log.constData(), O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (in < 0 || out < 0)
            ::_exit(111);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::syscall(SYS_close_range, 3U, ~0U, 0U);
        if (::chdir("/") != 0)
            ::_exit(111);
        ::execve(svscan.constData(), argv, envp.data());
        ::_exit(111);
    }
    ::close(report[1]);
    pid_t grandchild = 0;
    const ssize_t got = ::read(report[0], &grandchild, sizeof grandchild);
    ::close(report[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (got != sizeof grandchild || grandchild <= 0)
        return QStringLiteral("cannot start svscan");
    m_pid = grandchild;
    return writePidFile(grandchild);
}

bool ScanLauncher::logRule076() const
{
    // Its own environment, not ours: an adopted svscan may have been started by
    // another helper with another one.
    QFile f(QStringLiteral("/proc/%1/environ").arg(m_pid));
    if (m_pid <= 0 || !f.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> vars = f.read(1 << 20).split('\0');
    return vars.contains(QByteArrayLiteral("SVSCAN_LOGRULE=0.76"));
}

bool ScanLauncher::watch()
{
    // Later, not now: this may run inside the old notifier's own signal.
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (m_pidfd >= 0)
        ::close(m_pidfd);
    // A pidfd becomes readable when the process ends, child of ours or not.
    m_pidfd = static_cast<int>(::syscall(SYS_pidfd_open, m_pid, 0));
    if (m_pidfd < 0)
        return false;
    m_notifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        m_notifier->setEnabled(false);
        qWarning("tazuna-helper: svscan (pid %d) ended; looking for the one that scans now, or starting one", m_pid);
        const QString problem = ensureRunning();
        if (!problem.isEmpty())
            qWarning("tazuna-helper: %s", qPrintable(problem));
    });
    return true;
}

} // namespace tz
