// SPDX-License-Identifier: MIT
// The supervise state machine: start-up, the event loop, and the state x event table.
#include "supervisor.h"

#include "servicedir.h"
#include "smallfile.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace tz {

namespace {

constexpr std::int64_t startPauseMs = 1000;    // 0.76: no new start within 1 s of the last
constexpr std::int64_t forkRetryMs = 60 * 1000; // 0.76: after a failed fork, wait a minute
constexpr char childMagic[4] = {'T', 'Z', 'C', 'H'};

std::int64_t monotonicMs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

Tai64n taiAfterMs(std::int64_t ms)
{
    Tai64n t = Tai64n::now();
    if (ms <= 0)
        return t;
    const std::uint64_t nanos = t.nanoseconds + std::uint64_t(ms % 1000) * 1000000;
    t.seconds += std::uint64_t(ms / 1000) + nanos / 1000000000;
    t.nanoseconds = static_cast<std::uint32_t>(nanos % 1000000000);
    return t;
}

// A small /proc file as text; nullopt when the process (or the file) is gone.
std::optional<std::string> readProcText(const char *path, std::size_t limit = 4096)
{
    auto bytes = readSmallFile(AT_FDCWD, path, limit);
    if (!bytes)
        return std::nullopt;
    return std::string(bytes->begin(), bytes->end());
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// The child side of fork: only async-signal-safe calls until execve.
[[noreturn]] void execRun(int dirFd, const std::string &failurePrefix)
{
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, SIGCHLD);
    ::sigprocmask(SIG_UNBLOCK, &all, nullptr);
    if (dirFd != AT_FDCWD && ::fchdir(dirFd) < 0)
        ::_exit(exitTemporary);
    char path[] = "./run";
    char *argv[] = {path, nullptr};
    ::execve(path, argv, environ);
    const int err = errno;
    const char *reason = reasonText(err);
    const ssize_t a = ::write(2, failurePrefix.data(), failurePrefix.size());
    const ssize_t b = ::write(2, reason, std::strlen(reason));
    const ssize_t c = ::write(2, "\n", 1);
    (void)a, (void)b, (void)c;
    ::_exit(exitTemporary);
}

} // namespace

std::array<unsigned char, childRecordSize> encodeChildRecord(const ChildRecord &r)
{
    std::array<unsigned char, childRecordSize> out{};
    std::memcpy(out.data(), childMagic, 4);
    out[4] = 1;
    for (int i = 0; i < 4; ++i)
        out[8 + i] = static_cast<unsigned char>(r.pid >> (24 - 8 * i));
    for (int i = 0; i < 8; ++i)
        out[12 + i] = static_cast<unsigned char>(r.startTicks >> (56 - 8 * i));
    std::copy(r.bootId.begin(), r.bootId.end(), out.begin() + 20);
    packTai64n(r.started, &out[36]);
    return out;
}

std::optional<ChildRecord> decodeChildRecord(std::span<const unsigned char> bytes)
{
    if (bytes.size() < childRecordSize || std::memcmp(bytes.data(), childMagic, 4) != 0 || bytes[4] != 1)
        return std::nullopt;
    ChildRecord r;
    for (int i = 0; i < 4; ++i)
        r.pid = (r.pid << 8) | bytes[8 + i];
    for (int i = 0; i < 8; ++i)
        r.startTicks = (r.startTicks << 8) | bytes[12 + i];
    std::copy(bytes.begin() + 20, bytes.begin() + 36, r.bootId.begin());
    r.started = unpackTai64n(&bytes[36]);
    return r;
}

std::optional<ProcessFacts> processFacts(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    const auto text = readProcText(path.c_str());
    if (!text)
        return std::nullopt;
    // The command name (field 2) may hold blanks and parentheses: fields are counted
    // after its last ')'.
    const auto close = text->rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    std::size_t pos = close + 1;
    std::string fields[21]; // fields 3..23
    for (std::string &f : fields) {
        while (pos < text->size() && (*text)[pos] == ' ')
            ++pos;
        const std::size_t end = text->find(' ', pos);
        f = text->substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (end == std::string::npos)
            break;
        pos = end;
    }
    const std::string &state = fields[0];  // field 3
    const std::string &start = fields[19]; // field 22
    if (state.empty() || state[0] == 'Z' || state[0] == 'X' || start.empty())
        return std::nullopt;
    ProcessFacts facts;
    facts.startTicks = std::strtoull(start.c_str(), nullptr, 10);
    facts.stopped = state[0] == 'T';
    return facts;
}

std::optional<std::array<unsigned char, 16>> bootId()
{
    const auto text = readProcText("/proc/sys/kernel/random/boot_id", 64);
    if (!text)
        return std::nullopt;
    std::array<unsigned char, 16> id{};
    std::size_t n = 0;
    int half = -1;
    for (const char c : *text) {
        const int d = hexDigit(c);
        if (d < 0)
            continue;
        if (half < 0) {
            half = d;
        } else {
            if (n == id.size())
                return std::nullopt;
            id[n++] = static_cast<unsigned char>(half * 16 + d);
            half = -1;
        }
    }
    if (n != id.size())
        return std::nullopt;
    return id;
}

// The state x event table: one row per State, one column per EventKind, in the
// order they are declared. An event a state does not expect is ignored, as 0.76
// ignores a signal command while the service is down.
using S = Supervisor;
const S::Handler S::s_table[4][static_cast<int>(EventKind::Count)] = {
    { // Down
        &S::call<&S::wantUp>, // Up
        &S::call<&S::wantDown>, // Down
        &S::call<&S::wantOnce>, // Once
        &S::call<&S::requestExit>, // Exit
        &S::call<&S::pause>, // Pause
        &S::call<&S::resume>, // Continue
        &S::call<&S::ignore>, // Signal
        &S::call<&S::ignore>, // ChildDied
        &S::call<&S::ignore>, // AdoptedGone
        &S::call<&S::ignore>, // Timer
    },
    { // Waiting
        &S::call<&S::wantUp>, // Up
        &S::call<&S::wantDown>, // Down
        &S::call<&S::wantOnce>, // Once
        &S::call<&S::requestExit>, // Exit
        &S::call<&S::pause>, // Pause
        &S::call<&S::resume>, // Continue
        &S::call<&S::ignore>, // Signal
        &S::call<&S::ignore>, // ChildDied
        &S::call<&S::ignore>, // AdoptedGone
        &S::call<&S::timerFired>, // Timer
    },
    { // Up
        &S::call<&S::wantUp>, // Up
        &S::call<&S::wantDown>, // Down
        &S::call<&S::wantOnce>, // Once
        &S::call<&S::requestExit>, // Exit
        &S::call<&S::pause>, // Pause
        &S::call<&S::resume>, // Continue
        &S::call<&S::passSignal>, // Signal
        &S::call<&S::childDied>, // ChildDied
        &S::call<&S::ignore>, // AdoptedGone
        &S::call<&S::ignore>, // Timer
    },
    { // Adopted
        &S::call<&S::wantUp>, // Up
        &S::call<&S::wantDown>, // Down
        &S::call<&S::wantOnce>, // Once
        &S::call<&S::requestExit>, // Exit
        &S::call<&S::pause>, // Pause
        &S::call<&S::resume>, // Continue
        &S::call<&S::passSignal>, // Signal
        &S::call<&S::ignore>, // ChildDied
        &S::call<&S::adoptedGone>, // AdoptedGone
        &S::call<&S::ignore>, // Timer
    },
};

Supervisor::Supervisor(Options options) : m_o(std::move(options)) {}

Supervisor::~Supervisor()
{
    for (const int fd : {m_lockFd, m_controlRead, m_controlWrite, m_okRead, m_signalFd, m_pidFd})
        if (fd >= 0)
            ::close(fd);
}

ServiceStatus Supervisor::status() const
{
    ServiceStatus s;
    s.since = m_since;
    s.pid = m_pid;
    s.paused = m_paused;
    s.want = m_want;
    return s;
}

Failure Supervisor::located(std::string verb, const char *path, int err) const
{
    return Failure{err, verb + " " + m_o.name + "/" + path};
}

void Supervisor::report(Failure f) const
{
    if (m_o.warn)
        m_o.warn(f);
}

Done Supervisor::open()
{
    // SIGCHLD arrives through a signalfd; it must be blocked before the first fork.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    m_signalFd = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_signalFd < 0)
        return failure("create signalfd for " + m_o.name);

    struct stat st {};
    if (::fstatat(m_o.dirFd, paths::down, &st, 0) == 0)
        m_want = Want::Down;
    else if (errno != ENOENT)
        return located("stat", paths::down, errno);

    ::mkdirat(m_o.dirFd, paths::superviseDir, 0700);
    m_lockFd = ::openat(m_o.dirFd, paths::lock, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0600);
    if (m_lockFd < 0 || ::flock(m_lockFd, LOCK_EX | LOCK_NB) < 0)
        return located("acquire", paths::lock, errno);

    ::mkfifoat(m_o.dirFd, paths::control, 0600);
    m_controlRead = ::openat(m_o.dirFd, paths::control, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_controlRead < 0)
        return located("read", paths::control, errno);
    // Holding a writer keeps reads from seeing end-of-file between two svc runs.
    m_controlWrite = ::openat(m_o.dirFd, paths::control, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_controlWrite < 0)
        return located("write", paths::control, errno);

    if (auto log = readExitLog(m_o.dirFd))
        m_exits = std::move(*log);
    else
        report(located("read", paths::exits, log.error().err));

    if (!tryAdopt())
        m_since = Tai64n::now();
    announce();

    ::mkfifoat(m_o.dirFd, paths::ok, 0600);
    m_okRead = ::openat(m_o.dirFd, paths::ok, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_okRead < 0)
        return located("read", paths::ok, errno);
    return Ok{};
}

bool Supervisor::tryAdopt()
{
    const auto bytes = readSmallFile(m_o.dirFd, paths::child, childRecordSize + 1);
    if (!bytes)
        return false;
    const auto record = decodeChildRecord(*bytes);
    const auto boot = bootId();
    if (!record || !boot || record->bootId != *boot || record->pid == 0 || record->pid == std::uint32_t(::getpid())) {
        ::unlinkat(m_o.dirFd, paths::child, 0);
        return false;
    }
    // glibc 2.36 declares pidfd_open without C linkage for C++, hence the raw syscall.
    // The pidfd first, then the check: if the pid was reused in between, the pidfd
    // names the old (gone) process and the start times differ.
    const int pidFd = static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(record->pid), 0));
    if (pidFd < 0) {
        ::unlinkat(m_o.dirFd, paths::child, 0);
        return false;
    }
    const auto facts = processFacts(static_cast<pid_t>(record->pid));
    if (!facts || facts->startTicks != record->startTicks) {
        ::close(pidFd);
        ::unlinkat(m_o.dirFd, paths::child, 0);
        return false;
    }
    ::fcntl(pidFd, F_SETFD, FD_CLOEXEC);
    m_pidFd = pidFd;
    m_pid = record->pid;
    m_since = record->started;
    m_paused = facts->stopped;
    m_startedMs = monotonicMs();
    m_notBefore = m_startedMs + startPauseMs;
    m_state = State::Adopted;
    return true;
}

Done Supervisor::run()
{
    if (m_state == State::Down && m_want == Want::Up)
        spawn();

    while (!finished()) {
        pollfd fds[3] = {{m_signalFd, POLLIN, 0}, {m_controlRead, POLLIN, 0}, {m_pidFd, POLLIN, 0}};
        const nfds_t count = m_pidFd >= 0 ? 3 : 2;
        int timeout = -1; // idle means asleep: no timer unless a start is due
        if (m_state == State::Waiting)
            timeout = static_cast<int>(std::clamp<std::int64_t>(m_notBefore - monotonicMs(), 0, 3600 * 1000));
        if (::poll(fds, count, timeout) < 0 && errno != EINTR)
            return failure("poll for " + m_o.name);

        if (fds[0].revents & POLLIN)
            reap();
        if (count == 3 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
            dispatch({EventKind::AdoptedGone});
        if (finished())
            break;
        if (fds[1].revents & POLLIN)
            readControl();
        if (m_state == State::Waiting && monotonicMs() >= m_notBefore)
            dispatch({EventKind::Timer});
    }
    announce();
    return Ok{};
}

void Supervisor::reap()
{
    signalfd_siginfo info;
    while (::read(m_signalFd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    }
    for (;;) {
        int ws = 0;
        const pid_t r = ::waitpid(-1, &ws, WNOHANG);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (m_state == State::Up && std::uint32_t(r) == m_pid)
            dispatch({EventKind::ChildDied, ws});
    }
}

void Supervisor::readControl()
{
    char buf[64];
    const ssize_t n = ::read(m_controlRead, buf, sizeof buf);
    for (ssize_t i = 0; i < n && !finished(); ++i) {
        switch (buf[i]) {
        case 'u': dispatch({EventKind::Up}); break;
        case 'd': dispatch({EventKind::Down}); break;
        case 'o': dispatch({EventKind::Once}); break;
        case 'x': dispatch({EventKind::Exit}); break;
        case 'p': dispatch({EventKind::Pause}); break;
        case 'c': dispatch({EventKind::Continue}); break;
        case 'h': dispatch({EventKind::Signal, SIGHUP}); break;
        case 'a': dispatch({EventKind::Signal, SIGALRM}); break;
        case 'i': dispatch({EventKind::Signal, SIGINT}); break;
        case 't': dispatch({EventKind::Signal, SIGTERM}); break;
        case 'k': dispatch({EventKind::Signal, SIGKILL}); break;
        case 'B':
            // Tazuna's own (0.76 ignores it): svc -u that also forgets the backoff's
            // count, for a user who has fixed what made the service crash.
            m_backoff.reset();
            dispatch({EventKind::Up});
            if (m_backoffConfig)
                writeBackoff();
            break;
        default: break; // 0.76 ignores unknown bytes
        }
    }
}

void Supervisor::dispatch(const Event &e)
{
    s_table[static_cast<int>(m_state)][static_cast<int>(e.kind)](*this, e);
}

void Supervisor::announce()
{
    if (auto done = writeStatusFile(m_o.dirFd, status()); !done) {
        Failure f = done.error();
        // 0.76's wording names the directory and says "to status".
        if (f.action.starts_with("rename"))
            f.action = "rename " + m_o.name + "/" + paths::statusNew + " to status";
        else
            f.action = f.action.substr(0, f.action.find(' ')) + " " + m_o.name + "/" + paths::statusNew;
        report(f);
    }
}

void Supervisor::sendSignal(int sig)
{
    if (m_state == State::Adopted)
        ::syscall(SYS_pidfd_send_signal, m_pidFd, sig, nullptr, 0);
    else if (m_state == State::Up)
        ::kill(static_cast<pid_t>(m_pid), sig);
    if (sig != SIGSTOP && sig != SIGCONT)
        m_lastSignal = static_cast<std::uint8_t>(sig);
}

void Supervisor::spawn()
{
    const pid_t child = ::fork();
    if (child < 0) {
        report(Failure{errno, "fork for " + m_o.name + ", sleeping 60 seconds"});
        scheduleStart(monotonicMs() + forkRetryMs);
        return;
    }
    if (child == 0)
        execRun(m_o.dirFd, m_o.execFailurePrefix);

    m_state = State::Up;
    m_pid = static_cast<std::uint32_t>(child);
    m_paused = false;
    m_since = Tai64n::now();
    m_startedMs = monotonicMs();
    m_stopRequested = false;
    m_lastSignal = 0;

    // The child record goes to disk before status names the pid: whoever sees the
    // pid in status (and may kill -9 this supervise) must find the record that lets
    // the next supervise adopt the process instead of starting a second copy.
    // The child is ours and not yet reaped, so its /proc entry is there even if it
    // already died.
    ChildRecord record;
    record.pid = m_pid;
    record.started = m_since;
    const auto facts = processFacts(child);
    const auto boot = bootId();
    if (facts && boot) {
        record.startTicks = facts->startTicks;
        record.bootId = *boot;
        if (const auto written = replaceFile(m_o.dirFd, paths::childNew, paths::child, encodeChildRecord(record)); !written)
            report(located("write", paths::childNew, written.error().err));
    }
    announce();
    if (m_backoffConfig)
        writeBackoff();
}

void Supervisor::scheduleStart(std::int64_t at)
{
    m_notBefore = at;
    m_state = State::Waiting;
}

void Supervisor::writeBackoff()
{
    if (!m_backoffConfig) {
        if (m_backoffFileShown && !clearBackoffState(m_o.dirFd))
            report(located("unlink", paths::backoffState, errno));
        m_backoffFileShown = false;
        return;
    }
    BackoffState s;
    s.pending = m_state == State::Waiting;
    s.quickDeaths = static_cast<std::uint16_t>(std::min<std::uint32_t>(m_backoff.quickDeaths(), 0xffff));
    s.pauseMs = static_cast<std::uint32_t>(m_backoff.pauseMs());
    s.maxSeconds = m_backoffConfig->maxSeconds;
    if (s.pending)
        s.nextStart = taiAfterMs(m_notBefore - monotonicMs());
    if (auto done = writeBackoffState(m_o.dirFd, s); !done)
        report(located("write", paths::backoffStateNew, done.error().err));
    m_backoffFileShown = true;
}

void Supervisor::ended(ExitRecord record)
{
    record.pid = m_pid;
    record.started = m_since;
    record.ended = Tai64n::now();
    record.stopRequested = m_stopRequested;
    record.lastSignal = m_lastSignal;
    record.once = m_want == Want::Once;
    m_exits.add(record);
    if (auto done = writeExitLog(m_o.dirFd, m_exits); !done)
        report(located("write", paths::exitsNew, done.error().err));
    ::unlinkat(m_o.dirFd, paths::child, 0);

    if (m_pidFd >= 0) {
        ::close(m_pidFd);
        m_pidFd = -1;
    }
    m_pid = 0;
    m_since = Tai64n::now();
    announce();
    m_state = State::Down;
    if (m_exitRequested || m_want != Want::Up) {
        if (m_backoffConfig)
            writeBackoff();
        return;
    }

    // The backoff file is read at every death, so it can be added or removed while
    // supervise runs; down, as in 0.76, is read only at start-up.
    auto config = readBackoffConfig(m_o.dirFd);
    if (!config) {
        if (!m_backoffWarned)
            report(located(config.error().action == "parse backoff" ? "parse" : "read", paths::backoff,
                           config.error().err));
        m_backoffWarned = true;
        m_backoffConfig.reset();
    } else {
        m_backoffWarned = false;
        m_backoffConfig = *config;
    }

    const std::int64_t now = monotonicMs();
    std::int64_t at = m_startedMs + startPauseMs;
    if (m_backoffConfig) {
        const auto pause = static_cast<std::int64_t>(m_backoff.onDeath(record.ranMs(), *m_backoffConfig));
        if (pause > 0)
            at = std::max(at, now + pause);
    } else {
        m_backoff.reset();
    }
    scheduleStart(at);
    writeBackoff();
}

void Supervisor::wantUp(const Event &)
{
    m_want = Want::Up;
    announce();
    if (m_state == State::Down)
        scheduleStart(m_startedMs == 0 ? 0 : m_startedMs + startPauseMs);
    else if (m_state == State::Waiting)
        // An explicit svc -u cuts a backoff pause short, never 0.76's 1 second.
        m_notBefore = std::min(m_notBefore, std::max(monotonicMs(), m_startedMs + startPauseMs));
}

void Supervisor::wantOnce(const Event &)
{
    m_want = Want::Once;
    announce();
    if (m_state == State::Down)
        scheduleStart(m_startedMs == 0 ? 0 : m_startedMs + startPauseMs);
}

void Supervisor::wantDown(const Event &)
{
    m_want = Want::Down;
    if (m_state == State::Up || m_state == State::Adopted) {
        m_stopRequested = true;
        sendSignal(SIGTERM);
        sendSignal(SIGCONT);
        m_paused = false;
    } else if (m_state == State::Waiting) {
        m_state = State::Down;
        if (m_backoffConfig)
            writeBackoff();
    }
    announce();
}

void Supervisor::requestExit(const Event &)
{
    m_exitRequested = true;
    // 0.76 never drops a start it has decided on (svc -ux runs the service once, then
    // exits); only our longer waits, a backoff or a failed fork, are given up.
    if (m_state == State::Waiting && m_notBefore > m_startedMs + startPauseMs)
        m_state = State::Down;
    announce();
}

void Supervisor::pause(const Event &)
{
    m_paused = true;
    announce();
    if (m_state == State::Up || m_state == State::Adopted)
        sendSignal(SIGSTOP);
}

void Supervisor::resume(const Event &)
{
    m_paused = false;
    announce();
    if (m_state == State::Up || m_state == State::Adopted)
        sendSignal(SIGCONT);
}

void Supervisor::passSignal(const Event &e) { sendSignal(e.value); }

void Supervisor::childDied(const Event &e)
{
    ExitRecord record;
    setWaitStatus(record, e.value);
    ended(record);
}

void Supervisor::adoptedGone(const Event &)
{
    ExitRecord record;
    record.kind = ExitKind::Unknown;
    record.adopted = true;
    ended(record);
}

void Supervisor::timerFired(const Event &) { spawn(); }

} // namespace tz
