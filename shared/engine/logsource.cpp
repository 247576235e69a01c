// SPDX-License-Identifier: MIT
// multilog's input: each batch is spliced from the pipe into a journal before anything is written.
#include "logsource.h"

#include "logdir.h"
#include "loghost.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tz {

namespace {

constexpr char journalMagic[8] = {'t', 'z', 'j', 'r', 'n', 'l', '1', '\n'};
constexpr std::size_t markSize = 32;
constexpr std::size_t fixedHeader = 72;
// More than any batch a logger takes at once; a longer pending area is not ours.
constexpr std::uint64_t journalMaxBatch = 16 * 1024 * 1024;

void put64(unsigned char *p, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}

void put32(unsigned char *p, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint64_t get64(const unsigned char *p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

std::uint32_t get32(const unsigned char *p)
{
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

bool preadAll(int fd, void *buf, std::size_t len, off_t at)
{
    auto *p = static_cast<char *>(buf);
    while (len > 0) {
        const ssize_t r = ::pread(fd, p, len, at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        len -= static_cast<std::size_t>(r);
        at += r;
    }
    return true;
}

// A directory's lock, opened for the journal and locked like LogDir does.
struct LockedDir {
    enum State { Absent, Locked, Busy };
    int dirFd = -1;
    int lockFd = -1;
    LockedDir() = default;
    LockedDir(const LockedDir &) = delete;
    LockedDir &operator=(const LockedDir &) = delete;
    ~LockedDir()
    {
        if (lockFd >= 0)
            ::close(lockFd);
        if (dirFd >= 0)
            ::close(dirFd);
    }
    // Absent: no directory or no lock file, so no journal (LogDir::open reports
    // what is wrong with a directory that cannot be opened). Busy: another
    // process holds the lock, errno set.
    State open(int startDirFd, const std::string &path)
    {
        dirFd = ::openat(startDirFd, path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0)
            return Absent;
        lockFd = ::openat(dirFd, "lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (lockFd < 0)
            return Absent;
        return ::flock(lockFd, LOCK_EX | LOCK_NB) == 0 ? Locked : Busy;
    }
};

} // namespace

Result<std::optional<LogReplay>> recoverJournal(int startDirFd, const std::vector<LogDirConfig> &dirs)
{
    // Every directory is locked before anything is read or cut, and stays locked
    // until all are done. A directory locked by someone else (a logger still
    // running, or the processor child of a killed one, which holds the lock
    // until its exec) is an error as in LogDir::open, not "nothing pending": a
    // logger that carried on could find the lock free a moment later and empty
    // a journal whose batch was never replayed.
    // A directory whose lock is held here has a journal (lockFd >= 0); one
    // without a lock file has none.
    std::vector<LockedDir> locked(dirs.size());
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        if (locked[i].open(startDirFd, dirs[i].path) == LockedDir::Busy)
            return failure("lock directory " + dirs[i].path);
    }
    const std::optional<LogReplay> nothing;
    if (dirs.empty() || locked.front().lockFd < 0)
        return nothing;
    const LockedDir &first = locked.front();
    struct stat st{};
    unsigned char h[fixedHeader];
    if (::fstat(first.lockFd, &st) < 0 || !S_ISREG(st.st_mode) || !preadAll(first.lockFd, h, sizeof h, 0)
        || std::memcmp(h, journalMagic, sizeof journalMagic) != 0)
        return nothing;
    const std::uint64_t offset = get64(h + 64);
    const std::uint32_t tailSize = get32(h + 56);
    const auto fileSize = static_cast<std::uint64_t>(st.st_size);
    if (tailSize > journalTailLimit || offset > journalMaxBatch || fileSize < journalHeaderSize)
        return nothing;
    const bool pending = fileSize > journalHeaderSize + offset;
    if ((!pending && tailSize == 0) || (pending && fileSize - journalHeaderSize - offset > journalMaxBatch))
        return nothing;

    LogReplay r;
    r.longLine = (get32(h + 60) & 1u) != 0;
    r.batch = get64(h + 8);
    r.offset = offset;
    r.stamp = unpackTai64n(h + 32);
    r.tailStamp = unpackTai64n(h + 44);
    r.tail.resize(tailSize);
    r.data.resize(pending ? static_cast<std::size_t>(fileSize - journalHeaderSize - offset) : 0);
    if (!preadAll(first.lockFd, r.tail.data(), r.tail.size(), fixedHeader)
        || !preadAll(first.lockFd, r.data.data(), r.data.size(), static_cast<off_t>(journalHeaderSize + offset)))
        return nothing;

    LogDir::rollBack(first.dirFd, LogMark{get64(h + 16), get64(h + 24)});
    for (std::size_t i = 1; i < dirs.size(); ++i) {
        unsigned char m[markSize];
        if (locked[i].lockFd >= 0 && preadAll(locked[i].lockFd, m, sizeof m, 0)
            && std::memcmp(m, journalMagic, sizeof journalMagic) == 0 && get64(m + 8) == r.batch)
            LogDir::rollBack(locked[i].dirFd, LogMark{get64(m + 16), get64(m + 24)});
    }
    return std::optional<LogReplay>{std::move(r)};
}

LogSource::LogSource(int fd, std::vector<LogDir *> dirs, LogHost &host) : m_fd(fd), m_dirs(std::move(dirs)), m_host(host)
{
    for (LogDir *dir : m_dirs)
        m_markFds.push_back(::openat(dir->dirFd(), "lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!m_markFds.empty())
        m_journal = m_markFds.front();
#ifdef __linux__
    m_pipe = ::fcntl(fd, F_GETPIPE_SZ) > 0;
#endif
    // A batch number no earlier logger on these directories used.
    const Tai64n now = Tai64n::now();
    m_batch = now.seconds * 1000000000u + now.nanoseconds;
}

LogSource::~LogSource()
{
    for (const int fd : m_markFds)
        if (fd >= 0)
            ::close(fd);
}

void LogSource::writeMarks(const Tai64n &stamp)
{
    unsigned char h[fixedHeader + journalTailLimit] = {};
    std::memcpy(h, journalMagic, sizeof journalMagic);
    put64(h + 8, m_batch);
    for (std::size_t i = 0; i < m_dirs.size(); ++i) {
        if (m_markFds[i] < 0)
            continue;
        put64(h + 16, m_dirs[i]->currentInode());
        put64(h + 24, m_dirs[i]->bytes());
        std::size_t len = markSize;
        if (i == 0) {
            packTai64n(stamp, h + 32);
            packTai64n(m_tailStamp, h + 44);
            put32(h + 56, static_cast<std::uint32_t>(m_tail.size()));
            put32(h + 60, m_tailLong ? 1u : 0u);
            put64(h + 64, m_offset);
            std::memcpy(h + fixedHeader, m_tail.data(), m_tail.size());
            len = fixedHeader + m_tail.size();
        }
        // The first directory's header goes first: until it names this batch's
        // offset, nothing is pending and the other marks are not looked at.
        while (::pwrite(m_markFds[i], h, len, 0) != static_cast<ssize_t>(len))
            m_host.pause("unable to write to " + m_dirs[i]->path() + "/lock, pausing", errno);
    }
}

void LogSource::keepTail(const char *buf, std::size_t n, const Tai64n &stamp)
{
    if (const void *nl = ::memrchr(buf, '\n', n)) {
        const char *after = static_cast<const char *>(nl) + 1;
        n = static_cast<std::size_t>(buf + n - after);
        buf = after;
        m_tail.clear();
        m_tailLong = false;
    }
    if (n == 0)
        return;
    if (m_tail.empty())
        m_tailStamp = stamp;
    const std::size_t room = journalTailLimit - m_tail.size();
    m_tail.append(buf, std::min(n, room));
    if (n > room)
        m_tailLong = true;
}

void LogSource::replay(const LogReplay &replay)
{
    m_offset = replay.offset;
    m_tail = replay.tail;
    m_tailStamp = replay.tailStamp;
    m_tailLong = replay.longLine;
    if (m_journal >= 0) {
        m_batch = replay.batch + 1;
        writeMarks(replay.stamp);
    }
    m_offset += replay.data.size();
    keepTail(replay.data.data(), replay.data.size(), replay.stamp);
    m_stale = !journalled();
    m_started = true;
}

ssize_t LogSource::plainRead(char *buf, std::size_t size)
{
    if (m_stale) {
        for (const int fd : m_markFds)
            if (fd >= 0)
                (void)::ftruncate(fd, 0);
        m_stale = false;
    }
    return ::read(m_fd, buf, size);
}

ssize_t LogSource::fill(char *buf, std::size_t size, const Tai64n &stamp)
{
    if (!journalled())
        return plainRead(buf, size);
    const std::string &path = m_dirs.front()->path();
    // The earlier batch is written: the data area is emptied so that the journal
    // never holds more than one batch (on a full disk, every byte it keeps is one
    // that current cannot have), and so that nothing an earlier logger left there
    // looks pending once the header names the offset.
    if (!m_started || m_offset > 0)
        commit();
    ++m_batch;
    writeMarks(stamp);

    loff_t at = static_cast<loff_t>(journalHeaderSize + m_offset);
    ssize_t n;
    for (;;) {
        n = ::splice(m_fd, nullptr, m_journal, &at, size, 0);
        if (n >= 0)
            break;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) {
            pollfd p{m_fd, POLLIN, 0};
            ::poll(&p, 1, -1);
            continue;
        }
        if (errno == EINVAL) {
            m_pipe = false; // no splice into this file system: read, unjournalled
            return plainRead(buf, size);
        }
        if (errno == EBADF || errno == ESPIPE)
            return -1;
        m_host.pause("unable to write to " + path + "/lock, pausing", errno);
    }
    if (n == 0)
        return 0;
    while (!preadAll(m_journal, buf, static_cast<std::size_t>(n), static_cast<off_t>(journalHeaderSize + m_offset)))
        m_host.pause("unable to read " + path + "/lock, pausing", errno);
    m_offset += static_cast<std::uint64_t>(n);
    keepTail(buf, static_cast<std::size_t>(n), stamp);
    return n;
}

void LogSource::commit()
{
    if (!journalled())
        return;
    // First the header says that nothing is pending, then the data goes: between
    // the two, the data area is no longer than P. Before our first batch the
    // header is an earlier logger's, whose marks mean nothing now: it goes too.
    if (m_started) {
        ++m_batch;
        writeMarks(m_tailStamp);
    }
    while (::ftruncate(m_journal, m_started ? journalHeaderSize : 0) < 0)
        m_host.pause("unable to write to " + m_dirs.front()->path() + "/lock, pausing", errno);
    m_offset = 0;
    m_started = true;
}

void LogSource::finish()
{
    for (const int fd : m_markFds)
        if (fd >= 0)
            (void)::ftruncate(fd, 0);
}

} // namespace tz
