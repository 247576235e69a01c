// SPDX-License-Identifier: MIT
// svscan's scan loop: one supervise per service directory, and a logger pipe that outlives restarts.
#include "scanner.h"

#include "servicedir.h"
#include "smallfile.h"
#include "supervisor.h"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace tz {

namespace {

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// A pipe end that landed on 0, 1 or 2 (because the process started with one of them
// closed) would be clobbered by the dup2 that hands the other end to a child.
int aboveStdio(int fd)
{
    if (fd > 2)
        return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (moved < 0)
        return fd;
    ::close(fd);
    return moved;
}

// posix_spawn state for a supervise child: the working directory comes from a
// descriptor, one pipe end may become stdin or stdout, and the child starts with
// no blocked signals and default dispositions whatever the host did to its own.
class Spawn {
public:
    Spawn()
    {
        posix_spawn_file_actions_init(&m_actions);
        posix_spawnattr_init(&m_attr);
        sigset_t none;
        sigemptyset(&none);
        sigset_t all;
        sigfillset(&all);
        posix_spawnattr_setsigmask(&m_attr, &none);
        posix_spawnattr_setsigdefault(&m_attr, &all);
        posix_spawnattr_setflags(&m_attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    ~Spawn()
    {
        posix_spawn_file_actions_destroy(&m_actions);
        posix_spawnattr_destroy(&m_attr);
    }
    Spawn(const Spawn &) = delete;
    Spawn &operator=(const Spawn &) = delete;

    void chdirTo(int dirFd) { posix_spawn_file_actions_addfchdir_np(&m_actions, dirFd); }
    void moveTo(int fd, int target) { posix_spawn_file_actions_adddup2(&m_actions, fd, target); }

    // 0 or the errno of the failed fork or exec.
    int start(pid_t *pid, const std::string &program, const std::string &arg)
    {
        std::string argv0 = program;
        std::string argv1 = arg;
        std::array<char *, 3> argv{argv0.data(), argv1.data(), nullptr};
        return posix_spawnp(pid, program.c_str(), &m_actions, &m_attr, argv.data(), environ);
    }

private:
    posix_spawn_file_actions_t m_actions;
    posix_spawnattr_t m_attr;
};

} // namespace

std::optional<LogRule> parseLogRule(std::string_view value)
{
    if (value.empty() || value == "sticky")
        return LogRule::Sticky;
    if (value == "0.76")
        return LogRule::Always;
    return std::nullopt;
}

Scanner::Scanner(ScannerOptions options, ScannerCallbacks callbacks)
    : m_opt(std::move(options)), m_cb(std::move(callbacks)), m_nextScan(Clock::now())
{
}

Scanner::~Scanner()
{
    for (auto &[key, e] : m_entries) {
        closeFd(e.pipeRead);
        closeFd(e.pipeWrite);
    }
    closeFd(m_inotify);
    closeFd(m_signals);
    closeFd(m_dir);
}

Done Scanner::open(const std::string &directory)
{
    const int dir = ::open(directory.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return failure("open " + directory);
    closeFd(m_dir);
    m_dir = dir;

    if (m_signals < 0) {
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        pthread_sigmask(SIG_BLOCK, &chld, nullptr);
        m_signals = ::signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
        if (m_signals < 0)
            return failure("create signalfd");
    }

    closeFd(m_inotify);
    if (m_opt.watch) {
        m_inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        // Without inotify (no instances left, a file system that has none) the
        // periodic rescan still does the job: it is the only trigger 0.76 had.
        if (m_inotify >= 0
            && ::inotify_add_watch(m_inotify, directory.c_str(),
                                   IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR)
                < 0)
            closeFd(m_inotify);
    }
    m_nextScan = Clock::now();
    return Ok{};
}

void Scanner::warn(std::string action, int err)
{
    if (m_cb.warning)
        m_cb.warning(failure(std::move(action), err));
}

bool Scanner::wantsLog(int dirFd, const std::string &name, mode_t mode, bool *failed)
{
    if (m_opt.logRule == LogRule::Sticky && !(mode & S_ISVTX))
        return false;
    // 0.76 looks for log/ only when NAME/log fits its 260-byte buffer.
    if (name.size() > 255)
        return false;
    struct stat st;
    const std::string log = name + "/log";
    if (::fstatat(dirFd, log.c_str(), &st, 0) == 0)
        return S_ISDIR(st.st_mode);
    if (errno != ENOENT) {
        warn("stat " + log, errno);
        *failed = true;
    }
    return false;
}

namespace {

// A svscan started again after a kill -9 finds the service and its logger still
// running, joined by the pipe the dead svscan held. Handing the next logger (or
// service) a new pipe would cut the two apart: the service would die of SIGPIPE
// and what the old pipe held would be lost. So the pipe is taken back through
// /proc from the side that still runs: the logger's ./run reads it on fd 0, the
// service's ./run writes it on fd 1 (each known from its supervise/child record,
// checked against its start time so that a reused pid is not taken for it).
bool reopenPipe(int scanDirFd, const std::string &name, int fds[2])
{
    const std::pair<std::string, int> sides[] = {{name + "/log/" + paths::child, 0}, {name + "/" + paths::child, 1}};
    for (const auto &[record, fdNumber] : sides) {
        const auto bytes = readSmallFile(scanDirFd, record.c_str(), childRecordSize);
        if (!bytes)
            continue;
        const auto child = decodeChildRecord(*bytes);
        if (!child)
            continue;
        const auto facts = processFacts(static_cast<pid_t>(child->pid));
        if (!facts || facts->startTicks != child->startTicks)
            continue;
        const std::string end = "/proc/" + std::to_string(child->pid) + "/fd/" + std::to_string(fdNumber);
        struct stat st{};
        if (::stat(end.c_str(), &st) < 0 || !S_ISFIFO(st.st_mode))
            continue;
        // Non-blocking opens: a FIFO open waits for the other side otherwise.
        const int r = ::open(end.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (r < 0)
            continue;
        const int w = ::open(end.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (w < 0) {
            ::close(r);
            continue;
        }
        for (const int fd : {r, w})
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        fds[0] = r;
        fds[1] = w;
        return true;
    }
    return false;
}

} // namespace

bool Scanner::makePipe(Entry &e)
{
    int fds[2];
    if (!reopenPipe(m_dir, e.view.name, fds) && ::pipe2(fds, O_CLOEXEC) < 0) {
        warn("create pipe for " + e.view.name, errno);
        return false;
    }
    e.pipeRead = aboveStdio(fds[0]);
    e.pipeWrite = aboveStdio(fds[1]);
    e.view.hasLog = true;
    return true;
}

bool Scanner::startService(Entry &e)
{
    Spawn spawn;
    spawn.chdirTo(m_dir);
    if (e.view.hasLog)
        spawn.moveTo(e.pipeWrite, 1);
    pid_t pid = 0;
    if (const int err = spawn.start(&pid, m_opt.supervise, e.view.name)) {
        // posix_spawn reports a failed fork and a failed exec alike; EAGAIN is what
        // fork fails with when the process limit is reached.
        warn((err == EAGAIN ? "fork for " : "start supervise ") + e.view.name, err);
        return err != EAGAIN;
    }
    e.view.supervisePid = pid;
    m_byPid.emplace(pid, Key{e.view.dev, e.view.ino});
    if (m_cb.started)
        m_cb.started(e.view, false, pid);
    return true;
}

void Scanner::startLogger(Entry &e)
{
    // The logger runs as "supervise log" from inside the service directory, as in
    // 0.76, so that ps and svstat show the same names.
    const int serviceDir = ::openat(m_dir, e.view.name.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (serviceDir < 0) {
        warn("switch to " + e.view.name, errno);
        return;
    }
    Spawn spawn;
    spawn.chdirTo(serviceDir);
    spawn.moveTo(e.pipeRead, 0);
    pid_t pid = 0;
    const int err = spawn.start(&pid, m_opt.supervise, paths::log);
    ::close(serviceDir);
    if (err) {
        warn((err == EAGAIN ? "fork for " : "start supervise ") + e.view.name + "/log", err);
        return;
    }
    e.view.loggerPid = pid;
    m_byPid.emplace(pid, Key{e.view.dev, e.view.ino});
    if (m_cb.started)
        m_cb.started(e.view, true, pid);
}

void Scanner::forget(std::map<Key, Entry>::iterator it)
{
    closeFd(it->second.pipeRead);
    closeFd(it->second.pipeWrite);
    m_entries.erase(it);
}

void Scanner::childExited(pid_t pid, int status)
{
    const auto p = m_byPid.find(pid);
    if (p == m_byPid.end())
        return;
    const auto it = m_entries.find(p->second);
    m_byPid.erase(p);
    if (it == m_entries.end())
        return;
    Entry &e = it->second;
    const bool logger = e.view.loggerPid == pid;
    (logger ? e.view.loggerPid : e.view.supervisePid) = 0;
    if (m_cb.exited)
        m_cb.exited(e.view, logger, pid, status);
    // A directory that is gone is forgotten once nothing of it runs any more; while
    // one side still runs, the pipe stays so that the other side loses nothing.
    if (!e.view.present && !e.view.supervisePid && !e.view.loggerPid)
        forget(it);
}

void Scanner::reap()
{
    int status = 0;
    if (m_opt.reapAll) {
        for (;;) {
            const pid_t pid = ::waitpid(-1, &status, WNOHANG);
            if (pid > 0) {
                childExited(pid, status);
                continue;
            }
            if (pid < 0 && errno == EINTR)
                continue;
            break;
        }
        return;
    }
    std::vector<pid_t> pids;
    pids.reserve(m_byPid.size());
    for (const auto &[pid, key] : m_byPid)
        pids.push_back(pid);
    for (const pid_t pid : pids) {
        pid_t r;
        do {
            r = ::waitpid(pid, &status, WNOHANG);
        } while (r < 0 && errno == EINTR);
        if (r == pid)
            childExited(pid, status);
    }
}

void Scanner::scan()
{
    m_nextScan = Clock::now() + m_opt.rescanInterval;
    m_settling = false;
    reap();
    if (m_dir < 0)
        return;

    const int fd = ::openat(m_dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = fd < 0 ? nullptr : ::fdopendir(fd);
    if (!dir) {
        const int err = errno;
        if (fd >= 0)
            ::close(fd);
        warn("read directory", err);
        return;
    }
    for (auto &[key, e] : m_entries)
        e.seen = false;

    for (;;) {
        errno = 0;
        const dirent *d = ::readdir(dir);
        if (!d)
            break;
        if (d->d_name[0] == '.')
            continue;
        const std::string name = d->d_name;
        struct stat st;
        // Follows symlinks: /service/x -> /etc/x is the usual way to add a service.
        if (::fstatat(fd, name.c_str(), &st, 0) < 0) {
            warn("stat " + name, errno);
            continue;
        }
        if (!S_ISDIR(st.st_mode))
            continue;

        const Key key{st.st_dev, st.st_ino};
        auto it = m_entries.find(key);
        if (it == m_entries.end()) {
            bool failed = false;
            const bool log = wantsLog(fd, name, st.st_mode, &failed);
            if (failed)
                continue;
            Entry fresh;
            fresh.view.name = name;
            fresh.view.dev = st.st_dev;
            fresh.view.ino = st.st_ino;
            if (log && !makePipe(fresh))
                continue;
            it = m_entries.emplace(key, std::move(fresh)).first;
        } else if (it->second.seen) {
            continue; // a second symlink to a directory already handled in this pass
        }
        Entry &e = it->second;
        if (e.view.name != name) {
            std::string old = std::exchange(e.view.name, name);
            if (e.view.present && m_cb.renamed)
                m_cb.renamed(e.view, old);
        }
        if (!e.view.hasLog) {
            bool failed = false;
            if (wantsLog(fd, name, st.st_mode, &failed))
                makePipe(e);
        }
        e.seen = true;
        if (!e.view.present) {
            e.view.present = true;
            if (m_cb.appeared)
                m_cb.appeared(e.view);
        }
        // As in 0.76, when fork itself fails the logger waits for the next scan too.
        if (!e.view.supervisePid && !startService(e))
            continue;
        if (e.view.hasLog && !e.view.loggerPid)
            startLogger(e);
    }
    if (errno) {
        // 0.76 forgets nothing after a failed read: it cannot tell what is gone.
        warn("read directory", errno);
        ::closedir(dir);
        return;
    }
    ::closedir(dir);

    for (auto it = m_entries.begin(); it != m_entries.end();) {
        Entry &e = it->second;
        const auto next = std::next(it);
        if (!e.seen && e.view.present) {
            e.view.present = false;
            if (m_cb.disappeared)
                m_cb.disappeared(e.view);
        }
        if (!e.seen && !e.view.supervisePid && !e.view.loggerPid)
            forget(it);
        it = next;
    }
}

void Scanner::readInotify()
{
    if (m_inotify < 0)
        return;
    alignas(inotify_event) char buf[8192];
    const auto now = Clock::now();
    for (;;) {
        const ssize_t n = ::read(m_inotify, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        for (ssize_t off = 0; off < n;) {
            const auto *ev = reinterpret_cast<const inotify_event *>(buf + off);
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
            // Scans skip dotted names, so their events change nothing; above all a
            // directory staged under one must not arm the settle timer that would
            // then delay its rename into place (40 ms measured by tests/bench).
            if (ev->len > 0 && ev->name[0] == '.')
                continue;
            if ((ev->mask & IN_CREATE) && !(ev->mask & IN_Q_OVERFLOW)) {
                if (!m_settling) {
                    m_settling = true;
                    m_nextScan = std::min(m_nextScan, now + m_opt.settle);
                }
            } else if (!m_settling) {
                // A rename into place, a mode change, a removal: the directory is
                // already complete, or gone.
                m_nextScan = std::min(m_nextScan, now);
            }
        }
    }
}

void Scanner::readSignals()
{
    if (m_signals < 0)
        return;
    signalfd_siginfo info;
    bool any = false;
    for (;;) {
        const ssize_t n = ::read(m_signals, &info, sizeof info);
        if (n == static_cast<ssize_t>(sizeof info)) {
            any = true;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break;
    }
    if (any)
        reap();
}

std::vector<int> Scanner::pollFds() const
{
    std::vector<int> fds;
    if (m_signals >= 0)
        fds.push_back(m_signals);
    if (m_inotify >= 0)
        fds.push_back(m_inotify);
    return fds;
}

int Scanner::timeoutMs() const
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(m_nextScan - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 24LL * 3600 * 1000));
}

void Scanner::processEvents()
{
    readSignals();
    readInotify();
    if (Clock::now() >= m_nextScan)
        scan();
}

Done Scanner::run(const std::function<bool()> &keepGoing)
{
    for (;;) {
        std::vector<pollfd> fds;
        for (const int fd : pollFds())
            fds.push_back(pollfd{fd, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), timeoutMs()) < 0 && errno != EINTR)
            return failure("poll");
        processEvents();
        if (keepGoing && !keepGoing())
            return Ok{};
    }
}

std::vector<ServiceView> Scanner::services() const
{
    std::vector<ServiceView> out;
    for (const auto &[key, e] : m_entries)
        if (e.view.present)
            out.push_back(e.view);
    std::sort(out.begin(), out.end(), [](const ServiceView &a, const ServiceView &b) { return a.name < b.name; });
    return out;
}

} // namespace tz
