// SPDX-License-Identifier: MIT
// A multilog log directory: start-up recovery, 0.76's rotation points, archives, processors.
#include "logdir.h"

#include "direntries.h"
#include "tai64n.h"

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <mutex>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <utility>

extern char **environ;

namespace tz {

namespace {

// 0.76 buffers each directory's output in 512 bytes and writes longer pieces
// directly, in slices of at most 8192 (BUFFER_OUTSIZE).
constexpr std::size_t emulatedBuffer = 512;
constexpr std::size_t emulatedSlice = 8192;
// Files end at a newline once they are within this many bytes of the limit.
constexpr std::uint64_t newlineSlack = 2000;
// How much written data may wait in the page cache before we ask for writeback.
constexpr std::size_t writebackStep = 4 * 1024 * 1024;

// The mode of a full current while it syncs under its .u name. 0.76 never sets a
// group or other execute bit (current is 644, a complete file 744), so a .u with
// this mode is one of ours in flight, never one that recovery made (rollBack).
constexpr mode_t flightMode = 0755;

constexpr int appendFlags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC;
constexpr int truncFlags = O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC;

int openAppend(int dirFd, const char *name) { return ::openat(dirFd, name, appendFlags | O_NONBLOCK, 0600); }

} // namespace

std::string archiveName(const Tai64n &when, char code)
{
    char text[tai64nTextSize];
    formatTai64n(when, text);
    std::string name(text, tai64nTextSize);
    name.push_back('.');
    name.push_back(code);
    return name;
}

std::size_t rotationCut(std::uint64_t bytes, std::uint64_t maxSize, std::string_view offered)
{
    std::size_t n = offered.size();
    if (n >= maxSize - bytes)
        n = static_cast<std::size_t>(maxSize - bytes);
    if (bytes + n >= maxSize - newlineSlack) {
        const void *nl = ::memrchr(offered.data(), '\n', n);
        if (nl)
            n = static_cast<std::size_t>(static_cast<const char *>(nl) - offered.data()) + 1;
    }
    return n;
}

bool rotatesAfter(std::uint64_t bytesAfter, std::uint64_t maxSize, std::string_view chunk)
{
    return bytesAfter >= maxSize - newlineSlack && !chunk.empty() && chunk.back() == '\n';
}

LogDir::LogDir(const LogDirConfig &config, LogHost &host)
    : m_config(config), m_host(host), m_buf(new char[bufferSize])
{
}

LogDir::~LogDir()
{
    m_writeback.reset();
    for (Flight &f : m_flights) {
        if (f.thread.joinable())
            f.thread.join();
        if (f.fd >= 0)
            ::close(f.fd);
    }
    for (const int fd : {m_currentFd, m_lockFd, m_dirFd})
        if (fd >= 0)
            ::close(fd);
}

Result<std::unique_ptr<LogDir>> LogDir::open(int startDirFd, const LogDirConfig &config, LogHost &host)
{
    std::unique_ptr<LogDir> dir(new LogDir(config, host));
    const std::string &path = config.path;
    ::mkdirat(startDirFd, path.c_str(), 0700);
    dir->m_dirFd = ::openat(startDirFd, path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir->m_dirFd < 0)
        return failure("open directory " + path);
    struct statfs fs{};
    dir->m_inMemory = ::fstatfs(dir->m_dirFd, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
    dir->m_lockFd = ::openat(dir->m_dirFd, "lock", appendFlags | O_NONBLOCK, 0600);
    if (dir->m_lockFd < 0 || ::flock(dir->m_lockFd, LOCK_EX | LOCK_NB) < 0)
        return failure("lock directory " + path);
    if (Done d = dir->recover(); !d)
        return d.error();
    host.opened(*dir);
    return dir;
}

// 0.76's restart(): a current with the execute bit was closed cleanly and is
// appended to; anything else means a crash, and what it left is archived as .u
// (or, for a complete processed, as .s) before a fresh current is started.
Done LogDir::recover()
{
    const std::string &path = m_config.path;
    struct stat st{};
    if (::fstatat(m_dirFd, "current", &st, 0) < 0) {
        if (errno != ENOENT)
            return failure("stat " + path + "/current");
    } else if (st.st_mode & S_IXUSR) {
        m_currentFd = openAppend(m_dirFd, "current");
        if (m_currentFd < 0)
            return failure("append to " + path + "/current");
        if (::fchmod(m_currentFd, 0644) < 0)
            return failure("set mode of " + path + "/current");
        m_bytes = static_cast<std::uint64_t>(st.st_size);
        noteCurrent();
        return Ok{};
    }

    ::unlinkat(m_dirFd, "state", 0);
    ::unlinkat(m_dirFd, "newstate", 0);

    bool processedComplete = false;
    if (::fstatat(m_dirFd, "processed", &st, 0) < 0) {
        if (errno != ENOENT)
            return failure("stat " + path + "/processed");
    } else if (st.st_mode & S_IXUSR) {
        processedComplete = true;
    }
    if (processedComplete) {
        ::unlinkat(m_dirFd, "previous", 0);
        finish("processed", 's');
    } else {
        ::unlinkat(m_dirFd, "processed", 0);
        finish("previous", 'u');
    }
    finish("current", 'u');

    const int stateFd = ::openat(m_dirFd, "state", truncFlags | O_NONBLOCK, 0644);
    if (stateFd < 0)
        return failure("write to " + path + "/state");
    ::close(stateFd);
    m_currentFd = openAppend(m_dirFd, "current");
    if (m_currentFd < 0)
        return failure("write to " + path + "/current");
    if (::fchmod(m_currentFd, 0644) < 0)
        return failure("set mode of " + path + "/current");
    m_bytes = 0;
    noteCurrent();
    return Ok{};
}

void LogDir::pause(const std::string &message, std::optional<int> err) { m_host.pause(message, err); }

void LogDir::reserve(std::size_t len)
{
    if (m_end + len > bufferSize)
        commit();
}

bool LogDir::farFromLimit(std::size_t reach) const
{
    return m_bytes + (m_end - m_flushed) + reach + newlineSlack < m_config.maxSize;
}

// Far from the limit everything held may be counted at once (see appendLine).
void LogDir::makeRoom()
{
    flush();
    commit();
}

void LogDir::append(std::string_view s)
{
    if (s.empty())
        return; // an empty view may carry a null pointer, which memcpy must not see
    std::memcpy(m_buf.get() + m_end, s.data(), s.size());
    m_end += s.size();
}

void LogDir::put(std::string_view first, std::string_view second)
{
    const std::size_t len = first.size() + second.size();
    reserve(len);
    append(first);
    append(second);
    // Mirror buffer_put: what does not fit flushes the buffer, and a piece larger
    // than the buffer is written directly.
    const std::size_t held = m_end - len - m_flushed;
    if (len <= emulatedBuffer - held)
        return;
    if (held > 0)
        chunk(held);
    std::size_t rest = len;
    while (rest > emulatedBuffer) {
        const std::size_t n = std::min(rest, emulatedSlice);
        chunk(n);
        rest -= n;
    }
}

void LogDir::putBytes(std::string_view bytes)
{
    while (!bytes.empty()) {
        if (m_end - m_flushed == emulatedBuffer)
            chunk(emulatedBuffer);
        const std::size_t n = std::min(bytes.size(), emulatedBuffer - (m_end - m_flushed));
        reserve(n);
        append(bytes.substr(0, n));
        bytes.remove_prefix(n);
    }
}

void LogDir::flush()
{
    if (m_end > m_flushed)
        chunk(m_end - m_flushed);
}

// One buffer_flush or direct write of 0.76, passed through its c_write().
void LogDir::chunk(std::size_t len)
{
    while (len > 0) {
        if (m_bytes >= m_config.maxSize)
            rotateAt(m_flushed);
        const std::string_view offered(m_buf.get() + m_flushed, len);
        const std::size_t n = rotationCut(m_bytes, m_config.maxSize, offered);
        m_bytes += n;
        m_flushed += n;
        len -= n;
        if (rotatesAfter(m_bytes, m_config.maxSize, offered.substr(0, n)))
            rotateAt(m_flushed);
    }
}

void LogDir::writeOut(std::size_t len)
{
    std::size_t done = 0;
    while (done < len) {
        const ssize_t w = ::write(m_currentFd, m_buf.get() + done, len - done);
        if (w > 0) {
            done += static_cast<std::size_t>(w);
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        pause("unable to write to " + m_config.path + "/current, pausing", errno);
    }
    std::memmove(m_buf.get(), m_buf.get() + len, m_end - len);
    m_end -= len;
    m_flushed -= len;
    // Start writing back what is written so far, without waiting: the fsync at
    // rotation then has little left to do, and a busy log does not stall on it.
    m_unsynced += len;
    if (m_unsynced >= writebackStep) {
        startWriteback();
        m_unsynced = 0;
    }
}

// Starts the writeback of a file on a thread of its own. sync_file_range(2)
// returns without waiting for the disk, but the file system's part of starting
// it (ext4 allocates the delayed blocks and builds the requests) is done in the
// caller's time: 4.9 % of a busy log's CPU on the logger's thread (perf).
class LogDir::Writeback {
public:
    Writeback() : m_thread([this] { run(); }) {} // std::system_error when no thread can be had
    ~Writeback()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    Writeback(const Writeback &) = delete;
    Writeback &operator=(const Writeback &) = delete;

    // fd's file is written back soon (through a copy of fd: the logger may close
    // its own meanwhile). A request still waiting gives way to this one; its
    // file is a full current, which the rotation's fsync writes back anyway.
    void start(int fd)
    {
        const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (copy < 0) {
            ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
            return;
        }
        {
            const std::lock_guard lock(m_mutex);
            if (m_fd >= 0)
                ::close(m_fd);
            m_fd = copy;
        }
        m_wake.notify_one();
    }

private:
    void run()
    {
        for (;;) {
            int fd;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stop || m_fd >= 0; });
                if (m_fd < 0)
                    return;
                fd = std::exchange(m_fd, -1);
            }
            ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
            ::close(fd);
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    int m_fd = -1;
    bool m_stop = false;
    std::thread m_thread; // last: it starts at once and uses the members above
};

void LogDir::startWriteback()
{
    if (!m_writeback && !m_writebackInline) {
        try {
            m_writeback = std::make_unique<Writeback>();
        } catch (const std::system_error &) {
            m_writebackInline = true; // a process limit (softlimit -p counts threads too)
        }
    }
    if (m_writeback)
        m_writeback->start(m_currentFd);
    else
        ::sync_file_range(m_currentFd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void LogDir::commit()
{
    if (m_flushed > 0)
        writeOut(m_flushed);
    settleFlights(false);
}

void LogDir::rotateAt(std::size_t pos)
{
    writeOut(pos);
    fullCurrent();
}

void LogDir::rotateNow()
{
    flush();
    commit();
    if (m_bytes > 0)
        fullCurrent();
}

void LogDir::close()
{
    flush();
    commit();
    finishRotation();
    const std::string &path = m_config.path;
    while (::fsync(m_currentFd) < 0)
        pause("unable to write " + path + "/current to disk, pausing", errno);
    while (::fchmod(m_currentFd, 0744) < 0)
        pause("unable to set mode of " + path + "/current, pausing", errno);
}

int LogDir::openCurrent() { return openAppend(m_dirFd, "current"); }

void LogDir::noteCurrent()
{
    struct stat st{};
    m_currentInode = ::fstat(m_currentFd, &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

void LogDir::rollBack(int dirFd, const LogMark &mark)
{
    const auto inodeOf = [&](const char *name) -> std::optional<std::uint64_t> {
        struct stat st{};
        if (::fstatat(dirFd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
            return std::nullopt;
        return static_cast<std::uint64_t>(st.st_ino);
    };
    const auto cut = [&](const char *name) {
        const int fd = ::openat(dirFd, name, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            return;
        struct stat st{};
        if (::fstat(fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) > mark.size)
            (void)::ftruncate(fd, static_cast<off_t>(mark.size));
        ::close(fd);
    };
    if (inodeOf("current") == mark.inode) {
        cut("current");
        return;
    }
    // current was rotated during the batch: find what it became. A .u is ours only
    // while it syncs (flightMode); any other was made by a logger that recovered
    // the directory since, and what it wrote after is not ours to undo.
    const auto oursInFlight = [&](const char *name) {
        struct stat st{};
        return ::fstatat(dirFd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & 07777) == flightMode;
    };
    std::string found;
    if (inodeOf("previous") == mark.inode) {
        found = "previous";
    } else {
        forEachEntry(dirFd, [&](const dirent &e) {
            const std::string_view name(e.d_name);
            if (name.size() == tai64nTextSize + 2 && name.front() == '@'
                && static_cast<std::uint64_t>(e.d_ino) == mark.inode && inodeOf(e.d_name) == mark.inode
                && (name.ends_with(".s") || (name.ends_with(".u") && oursInFlight(e.d_name)))) {
                found = name;
                return false;
            }
            return true;
        });
    }
    if (found.empty())
        return;
    cut(found.c_str());
    // Everything named after it was made from the batch's later output: current
    // was that file when the batch began, so no older logger made them.
    if (inodeOf("current"))
        ::unlinkat(dirFd, "current", 0);
    if (found == "previous")
        return;
    if (inodeOf("previous"))
        ::unlinkat(dirFd, "previous", 0);
    std::vector<std::string> newer;
    forEachEntry(dirFd, [&](const dirent &e) {
        const std::string_view name(e.d_name);
        if (name.size() == tai64nTextSize + 2 && name.front() == '@'
            && name.substr(0, tai64nTextSize) > std::string_view(found).substr(0, tai64nTextSize))
            newer.emplace_back(name);
        return true;
    });
    for (const std::string &name : newer)
        ::unlinkat(dirFd, name.c_str(), 0);
}

// 0.76's fullcurrent(): current is synced and archived, directly or through the
// processor, and a new current starts.
//
// With a processor, current is synced and becomes previous, which waits for the
// processor until the logger has committed the batch it is in
// (LogSource::written): a processor's archive cannot be cut back, so if it were
// made from a batch that a next logger replays, that batch would be written
// twice. (Two rotations in one batch run the first processor then.)
//
// Without one, the full current takes its archive name at once, as @<stamp>.u,
// and a thread of its own syncs it, renames it to @<stamp>.s, gives it mode 744
// and removes the oldest archives, while the new current fills (fly). An archive
// named .s is still never shorter on disk than what was written to it, and a
// logger killed meanwhile leaves a .u: an archive that may be incomplete, as 0.76
// leaves one after a crash. Up to maxFlights files sync at once. The fsync is
// most of a rotation's cost on a real disk, and 0.76 makes the service wait for
// all of it. Through 0.76's single previous, each rotation waited for the sync
// before it: a busy log on ext4 went at the disk's pace of one 16 MB sync after
// another: 1090 MB/s against 1147 with up to three at once (medians of 10 runs
// taking turns; the oldest archive's removal, on this thread too, waits for the
// device to discard it on a disk mounted with `discard`).
void LogDir::fullCurrent()
{
    const std::string &path = m_config.path;
    if (m_config.processor) {
        finishRotation();
        while (::fsync(m_currentFd) < 0)
            pause("unable to write " + path + "/current to disk, pausing", errno);
        ::close(m_currentFd);
        m_currentFd = -1;
        while (::renameat(m_dirFd, "current", m_dirFd, "previous") < 0)
            pause("unable to rename current to previous in directory " + path + ", pausing", errno);
        startCurrent();
        m_processorPending = true;
        return;
    }

    settleFlights(false);
    if (m_flightCount == maxFlights)
        settleOldest();
    Flight &f = m_flights[(m_firstFlight + m_flightCount) % maxFlights];
    // The mode first: a logger killed between the two finds a current with the
    // execute bit, which it appends to, having lost nothing.
    while (::fchmod(m_currentFd, flightMode) < 0)
        pause("unable to set mode of " + path + "/current, pausing", errno);
    f.name = archiveName(Tai64n::now(), 'u');
    while (::renameat(m_dirFd, "current", m_dirFd, f.name.c_str()) < 0)
        pause("unable to rename current to " + f.name + " in directory " + path + ", pausing", errno);
    f.fd = std::exchange(m_currentFd, -1);
    f.next = Settle::Sync;
    f.done.store(false, std::memory_order_relaxed);
    ++m_flightCount;
    startCurrent();
    try {
        f.thread = std::thread([this, &f] { fly(f); });
    } catch (const std::system_error &) {
        // No thread to be had (a process limit such as softlimit -p counts
        // threads too): it is all done here, as 0.76 does it.
        fly(f);
    }
}

void LogDir::startCurrent()
{
    const std::string &path = m_config.path;
    while ((m_currentFd = openCurrent()) < 0)
        pause("unable to create " + path + "/current, pausing", errno);
    noteCurrent();
    m_bytes = 0;
    m_unsynced = 0;
    while (::fchmod(m_currentFd, 0644) < 0)
        pause("unable to set mode of " + path + "/current, pausing", errno);
}

namespace {

std::string syncedName(const std::string &inFlight)
{
    std::string name = inFlight;
    name.back() = 's';
    return name;
}

} // namespace

// A flight's thread: its file synced, archived as .s, given mode 744, and old
// archives removed, each step tried once. The first to fail leaves next at
// itself, for settleOldest() to retry with the logger's pauses: only that thread
// reports.
void LogDir::fly(Flight &f)
{
    const auto step = [&] {
        switch (f.next) {
        case Settle::Sync:
            if (::fsync(f.fd) < 0) {
                f.syncErrno = errno;
                return false;
            }
            f.next = Settle::Archive;
            return true;
        case Settle::Archive:
            if (::renameat(m_dirFd, f.name.c_str(), m_dirFd, syncedName(f.name).c_str()) == 0)
                f.next = Settle::Mode;
            else if (errno == ENOENT)
                f.next = Settle::Finished; // removed as the oldest already (a small n)
            else
                return false;
            return true;
        case Settle::Mode:
            if (::fchmod(f.fd, 0744) < 0)
                return false;
            f.next = Settle::Fit;
            return true;
        case Settle::Fit: {
            const std::lock_guard lock(m_fitMutex);
            const int fit = archivesFit();
            if (fit < 0)
                return false;
            if (fit == 1)
                f.next = Settle::Finished;
            return true;
        }
        case Settle::Finished:
            break;
        }
        return false;
    };
    while (step()) {
    }
    f.done.store(true, std::memory_order_release);
    m_host.rotationSettled();
}

// The oldest flight, once its thread is done (waiting for it): the steps it could
// not do are done here, retried after a pause until they succeed, as 0.76 does
// them.
void LogDir::settleOldest()
{
    Flight &f = m_flights[m_firstFlight];
    if (f.thread.joinable())
        f.thread.join();
    const std::string &path = m_config.path;
    const std::string archived = syncedName(f.name);
    if (f.next == Settle::Sync) {
        const std::string message = "unable to write " + path + "/" + f.name + " to disk, pausing";
        pause(message, f.syncErrno);
        while (::fsync(f.fd) < 0)
            pause(message, errno);
        f.next = Settle::Archive;
    }
    if (f.next == Settle::Archive) {
        f.next = Settle::Mode;
        while (::renameat(m_dirFd, f.name.c_str(), m_dirFd, archived.c_str()) < 0) {
            if (errno == ENOENT) {
                f.next = Settle::Finished;
                break;
            }
            pause("unable to rename " + f.name + " to " + archived + " in directory " + path + ", pausing", errno);
        }
    }
    if (f.next == Settle::Mode) {
        while (::fchmod(f.fd, 0744) < 0)
            pause("unable to set mode of " + path + "/" + archived + ", pausing", errno);
        f.next = Settle::Fit;
    }
    if (f.next == Settle::Fit) {
        const std::lock_guard lock(m_fitMutex);
        fitArchives();
    }
    f.next = Settle::Finished;
    ::close(f.fd);
    f.fd = -1;
    m_firstFlight = (m_firstFlight + 1) % maxFlights;
    --m_flightCount;
}

void LogDir::settleFlights(bool wait)
{
    while (m_flightCount > 0 && (wait || m_flights[m_firstFlight].done.load(std::memory_order_acquire)))
        settleOldest();
}

void LogDir::finishRotation()
{
    settleFlights(true);
    runPendingProcessor();
}

void LogDir::finishSettled()
{
    settleFlights(false);
    runPendingProcessor();
}

void LogDir::runPendingProcessor()
{
    if (!m_processorPending)
        return;
    m_processorPending = false;
    const std::string &path = m_config.path;
    while (::fchmodat(m_dirFd, "previous", 0744, 0) < 0)
        pause("unable to set mode of " + path + "/previous, pausing", errno);
    runProcessor();

    int fd;
    while ((fd = openAppend(m_dirFd, "processed")) < 0)
        pause("unable to create " + path + "/processed, pausing", errno);
    while (::fsync(fd) < 0)
        pause("unable to write " + path + "/processed to disk, pausing", errno);
    while (::fchmod(fd, 0744) < 0)
        pause("unable to set mode of " + path + "/processed, pausing", errno);
    ::close(fd);

    while ((fd = openAppend(m_dirFd, "newstate")) < 0)
        pause("unable to create " + path + "/newstate, pausing", errno);
    while (::fsync(fd) < 0)
        pause("unable to write " + path + "/newstate to disk, pausing", errno);
    ::close(fd);

    while (::unlinkat(m_dirFd, "previous", 0) < 0)
        pause("unable to remove " + path + "/previous, pausing", errno);
    while (::renameat(m_dirFd, "newstate", m_dirFd, "state") < 0)
        pause("unable to rename newstate to state in directory " + path + ", pausing", errno);
    finish("processed", 's');
}

namespace {

// fd_move() of daemontools, for the processor child: async-signal-safe only.
bool moveFd(int to, int from)
{
    if (from < 0)
        return false;
    if (to == from)
        return true;
    if (::dup2(from, to) < 0)
        return false;
    ::close(from);
    return true;
}

} // namespace

// Runs "/bin/sh -c processor" in the directory with previous on fd 0, processed
// on fd 1, state on fd 4 and newstate on fd 5, until it exits 0.
void LogDir::runProcessor()
{
    const std::string &path = m_config.path;
    const std::string prefix = m_host.processorFailurePrefix(*m_config.processor);
    char sh[] = "/bin/sh";
    char dashC[] = "-c";
    std::vector<char> command(m_config.processor->begin(), m_config.processor->end());
    command.push_back('\0');
    char *argv[] = {sh, dashC, command.data(), nullptr};
    const int dirFd = m_dirFd;

    for (;;) {
        pid_t pid;
        while ((pid = ::fork()) < 0)
            pause("unable to fork for processor in " + path + ", pausing", errno);
        if (pid == 0) {
            sigset_t none;
            ::sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            if (::fchdir(dirFd) == 0 && moveFd(0, ::open("previous", O_RDONLY | O_NONBLOCK))
                && moveFd(1, ::open("processed", O_WRONLY | O_NONBLOCK | O_TRUNC | O_CREAT, 0644))
                && moveFd(4, ::open("state", O_RDONLY | O_NONBLOCK))
                && moveFd(5, ::open("newstate", O_WRONLY | O_NONBLOCK | O_TRUNC | O_CREAT, 0644)))
                ::execve(sh, argv, environ);
            const char *reason = reasonText(errno);
            iovec parts[3] = {{const_cast<char *>(prefix.data()), prefix.size()},
                              {const_cast<char *>(reason), std::strlen(reason)},
                              {const_cast<char *>("\n"), 1}};
            [[maybe_unused]] const ssize_t ignored = ::writev(2, parts, 3);
            ::_exit(exitTemporary);
        }
        int status = 0;
        pid_t r;
        while ((r = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
        }
        if (r < 0)
            pause("wait failed for processor in " + path + ", pausing", errno);
        else if (WIFSIGNALED(status))
            pause("processor crashed in " + path + ", pausing", errno);
        else if (WEXITSTATUS(status) == 0)
            return;
        pause("processor failed in " + path + ", pausing", std::nullopt);
    }
}

// 0.76's finish(): file becomes an archive named after now, then old archives go.
void LogDir::finish(const char *file, char code)
{
    bool gone = false;
    while (const std::optional<std::string> failed = tryArchive(file, code, gone))
        pause(*failed, errno);
    if (!gone)
        fitArchives();
}

// One try at finish() up to the old archives: nullopt once file is an archive, or
// is gone (gone set: 0.76 then leaves the archives alone); otherwise what failed,
// with errno set. A try after a failed one does only what is left: a link count
// above one means file is archived already (as after a crash before the unlink).
std::optional<std::string> LogDir::tryArchive(const char *file, char code, bool &gone)
{
    const auto failed = [&](const char *action, std::string_view name) {
        const int err = errno; // the message's allocation must not change it
        std::string message = std::string(action) + m_config.path + "/" + std::string(name) + ", pausing";
        errno = err;
        return std::optional<std::string>(std::move(message));
    };
    struct stat st{};
    if (::fstatat(m_dirFd, file, &st, 0) < 0) {
        if (errno != ENOENT)
            return failed("unable to stat ", file);
        gone = true;
        return std::nullopt;
    }
    if (st.st_nlink == 1) {
        const std::string name = archiveName(Tai64n::now(), code);
        if (::linkat(m_dirFd, file, m_dirFd, name.c_str(), 0) < 0)
            return failed("unable to link to ", name);
    }
    if (::unlinkat(m_dirFd, file, 0) < 0)
        return failed("unable to remove ", file);
    return std::nullopt;
}

void LogDir::fitArchives()
{
    for (;;) {
        const int fit = archivesFit();
        if (fit == 1)
            return;
        if (fit < 0)
            pause("unable to read " + m_config.path + ", pausing", errno);
    }
}

// 0.76's filesfit(): 1 when fewer than count archives exist; otherwise removes the
// oldest one (smallest name; only its first 25 bytes count) and returns 0; -1 when
// the directory cannot be read.
int LogDir::archivesFit()
{
    const auto isArchive = [](const char *name) { return name[0] == '@' && std::strlen(name) >= tai64nTextSize; };
    const auto scan = [&](auto &&visit) -> bool {
        return forEachEntry(m_dirFd, [&](const dirent &e) { return !isArchive(e.d_name) || visit(e.d_name); });
    };

    std::string oldest = "@z";
    std::uint64_t count = 0;
    if (!scan([&](const char *name) {
            ++count;
            if (std::string_view(name) < oldest)
                oldest.assign(name, tai64nTextSize);
            return true;
        }))
        return -1;
    if (count < m_config.count)
        return 1;
    if (!scan([&](const char *name) {
            if (std::string_view(name).starts_with(oldest)) {
                ::unlinkat(m_dirFd, name, 0);
                return false;
            }
            return true;
        }))
        return -1;
    return 0;
}

} // namespace tz
