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

constexpr char journalMagic[8] = {'t', 'z', 'j', 'r', 'n', 'l', '2', '\n'};
// The format of one pending batch, which a logger before the stamp table left.
constexpr char journalMagicV1[8] = {'t', 'z', 'j', 'r', 'n', 'l', '1', '\n'};
constexpr std::size_t markSize = 32;
constexpr std::size_t fixedHeader = 72;
constexpr std::size_t stampTable = fixedHeader + journalTailLimit;
constexpr std::size_t stampEntry = 8 + 12;
constexpr std::size_t headerUsed = stampTable + journalStamps * stampEntry;
static_assert(headerUsed <= journalHeaderSize);
// A busy logger's data area grows to this before the taker waits for everything
// pending to be written and empties it; an idle one is emptied at once (giveBack).
constexpr std::uint64_t journalWrap = 16 * 1024 * 1024;
// Far more than a logger's journal ever holds; a larger offset or pending area is not ours.
constexpr std::uint64_t journalLimit = 64 * 1024 * 1024;

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

std::uint64_t pageSize()
{
    static const auto size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    return size;
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

// No batch begins at an unused entry of the stamp table.
constexpr std::uint64_t noStamp = ~std::uint64_t{0};

void clearStamps(unsigned char *header)
{
    for (std::size_t i = 0; i < journalStamps; ++i)
        put64(header + stampTable + i * stampEntry, noStamp);
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
    unsigned char h[headerUsed];
    if (::fstat(first.lockFd, &st) < 0 || !S_ISREG(st.st_mode)
        || static_cast<std::uint64_t>(st.st_size) < journalHeaderSize || !preadAll(first.lockFd, h, sizeof h, 0))
        return nothing;
    const bool v1 = std::memcmp(h, journalMagicV1, sizeof journalMagicV1) == 0;
    if (!v1 && std::memcmp(h, journalMagic, sizeof journalMagic) != 0)
        return nothing;
    const std::uint64_t offset = get64(h + 64);
    const std::uint32_t tailSize = get32(h + 56);
    const std::uint64_t dataSize = static_cast<std::uint64_t>(st.st_size) - journalHeaderSize;
    if (tailSize > journalTailLimit || offset > journalLimit)
        return nothing;
    const bool pending = dataSize > offset;
    if ((!pending && tailSize == 0) || (pending && dataSize - offset > journalLimit))
        return nothing;

    LogReplay r;
    r.longLine = (get32(h + 60) & 1u) != 0;
    r.batch = get64(h + 8);
    r.offset = offset;
    r.tailStamp = unpackTai64n(h + 44);
    r.tail.resize(tailSize);
    r.data.resize(pending ? static_cast<std::size_t>(dataSize - offset) : 0);
    if (!preadAll(first.lockFd, r.tail.data(), r.tail.size(), fixedHeader)
        || !preadAll(first.lockFd, r.data.data(), r.data.size(), static_cast<off_t>(journalHeaderSize + offset)))
        return nothing;
    if (pending) {
        // Each pending batch begins at an entry of the stamp table (entries of
        // batches written already lie before P; the table is cleared whenever
        // the data area is emptied).
        std::vector<std::pair<std::uint64_t, Tai64n>> starts;
        if (v1) {
            starts.emplace_back(offset, unpackTai64n(h + 32));
        } else {
            for (std::size_t i = 0; i < journalStamps; ++i) {
                const unsigned char *e = h + stampTable + i * stampEntry;
                const std::uint64_t at = get64(e);
                if (at >= offset && at < dataSize)
                    starts.emplace_back(at, unpackTai64n(e + 8));
            }
            std::sort(starts.begin(), starts.end(),
                      [](const auto &a, const auto &b) { return a.first < b.first; });
            if (starts.empty())
                return nothing;
            starts.front().first = offset; // there is one at P unless the file was damaged
        }
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const std::uint64_t end = i + 1 < starts.size() ? starts[i + 1].first : dataSize;
            if (end > starts[i].first)
                r.parts.push_back({static_cast<std::size_t>(end - starts[i].first), starts[i].second});
        }
    }

    LogDir::rollBack(first.dirFd, LogMark{get64(h + 16), get64(h + 24)});
    for (std::size_t i = 1; i < dirs.size(); ++i) {
        unsigned char m[markSize];
        if (locked[i].lockFd >= 0 && preadAll(locked[i].lockFd, m, sizeof m, 0)
            && (std::memcmp(m, journalMagic, sizeof journalMagic) == 0
                || std::memcmp(m, journalMagicV1, sizeof journalMagicV1) == 0)
            && get64(m + 8) == r.batch)
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
    // A commit number no earlier logger on these directories used.
    const Tai64n now = Tai64n::now();
    m_batch = now.seconds * 1000000000u + now.nanoseconds;
    std::memcpy(m_header, journalMagic, sizeof journalMagic);
    clearStamps(m_header);
    m_punch = m_journal >= 0 && m_dirs.front()->inMemory(); // the journal is its lock file
}

LogSource::~LogSource()
{
    for (const int fd : m_markFds)
        if (fd >= 0)
            ::close(fd);
}

void LogSource::retry(const char *what, const std::string &path)
{
    m_host.pause(std::string("unable to ") + what + " " + path + "/lock, pausing", errno);
}

void LogSource::writeHeaderLocked()
{
    put64(m_header + 64, m_offset);
    while (::pwrite(m_journal, m_header, headerUsed, 0) != static_cast<ssize_t>(headerUsed))
        retry("write to", m_dirs.front()->path());
}

// A commit: the first directory's header names the new P with the marks of this
// moment, then every other directory's lock takes its mark with the same number.
// Until the first header changes, the other marks are those of its commit.
void LogSource::commitLocked()
{
    ++m_batch;
    put64(m_header + 8, m_batch);
    put64(m_header + 16, m_dirs.front()->currentInode());
    put64(m_header + 24, m_dirs.front()->bytes());
    packTai64n(m_tailStamp, m_header + 44);
    put32(m_header + 56, static_cast<std::uint32_t>(m_tail.size()));
    put32(m_header + 60, m_tailLong ? 1u : 0u);
    std::memcpy(m_header + fixedHeader, m_tail.data(), m_tail.size());
    writeHeaderLocked();
    unsigned char mark[markSize];
    std::memcpy(mark, journalMagic, sizeof journalMagic);
    put64(mark + 8, m_batch);
    for (std::size_t i = 1; i < m_dirs.size(); ++i) {
        if (m_markFds[i] < 0)
            continue;
        put64(mark + 16, m_dirs[i]->currentInode());
        put64(mark + 24, m_dirs[i]->bytes());
        while (::pwrite(m_markFds[i], mark, markSize, 0) != static_cast<ssize_t>(markSize))
            retry("write to", m_dirs[i]->path());
    }
}

void LogSource::begin()
{
    if (!journalled())
        return;
    // The header an earlier logger left names nothing pending (or this one would
    // replay), and its marks mean nothing now.
    const std::lock_guard lock(m_mutex);
    while (::ftruncate(m_journal, 0) < 0)
        retry("write to", m_dirs.front()->path());
    commitLocked();
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
    m_tail = replay.tail;
    m_tailStamp = replay.tailStamp;
    m_tailLong = replay.longLine;
    m_stale = !journalled();
    if (m_journal < 0)
        return;
    // The same pending batches at the same places with the same stamps, and the
    // directories marked where the recovery left them: a logger killed during
    // the replay is followed by one that does it again.
    const std::lock_guard lock(m_mutex);
    m_batch = replay.batch;
    m_offset = replay.offset;
    m_givenBack = replay.offset;
    m_takeOffset = replay.offset;
    m_nextStamp = 0;
    clearStamps(m_header);
    for (const LogReplayPart &part : replay.parts) {
        unsigned char *e = m_header + stampTable + (m_nextStamp++ % journalStamps) * stampEntry;
        put64(e, m_takeOffset);
        packTai64n(part.stamp, e + 8);
        m_takeOffset += part.size;
    }
    commitLocked();
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

ssize_t LogSource::take(char *buf, std::size_t size, const Tai64n &stamp)
{
    if (!journalled())
        return plainRead(buf, size);
    const std::string &path = m_dirs.front()->path();
    std::pair<off_t, off_t> punch{0, 0};
    {
        std::unique_lock lock(m_mutex);
        if (m_takeOffset >= journalWrap) {
            m_writtenChanged.wait(lock, [&] { return m_offset == m_takeOffset; });
            emptyLocked();
        }
        unsigned char *e = m_header + stampTable + (m_nextStamp++ % journalStamps) * stampEntry;
        put64(e, m_takeOffset);
        packTai64n(stamp, e + 8);
        writeHeaderLocked();
        m_taking = true; // from here until the splice is done, nothing empties the data area
        punch = punchRangeLocked();
    }
    // On tmpfs what is written goes back to memory before the next batch is
    // taken. Elsewhere it waits for the data area to be emptied: ext4 and xfs
    // write dirty pages out before they punch them, which would write the
    // journal to disk. It is done here rather than by the writer, the busier of
    // the two threads (perf: the punch was 7 % of all samples, all on the writer).
    if (punch.second > punch.first)
        (void)::fallocate(m_journal, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(punch.first),
                          static_cast<off_t>(punch.second - punch.first));

    loff_t at = static_cast<loff_t>(journalHeaderSize + m_takeOffset);
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
            // No splice into this file system: read, unjournalled, once what
            // was taken before is written.
            std::unique_lock lock(m_mutex);
            m_taking = false;
            m_writtenChanged.wait(lock, [&] { return m_offset == m_takeOffset; });
            m_pipe = false;
            return plainRead(buf, size);
        }
        if (errno == EBADF || errno == ESPIPE)
            break;
        retry("write to", path);
    }
    // Each batch is copied out. It was also read through a mapping of the
    // journal where the logger writes in line: 983 against 969 MB/s on ext4,
    // but a writer thread reading the mapping cost both CPUs a TLB shootdown
    // per batch (tmpfs 1160 against 1275), and since the thread writes on every
    // file system the mapping served only a logger held to one thread.
    const std::uint64_t start = journalHeaderSize + m_takeOffset;
    if (n > 0) {
        for (std::size_t got = 0; got < static_cast<std::size_t>(n);) {
            const ssize_t r = ::pread(m_journal, buf + got, static_cast<std::size_t>(n) - got, static_cast<off_t>(start + got));
            if (r > 0) {
                got += static_cast<std::size_t>(r);
            } else if (r == 0) {
                // The batch is gone from the journal: someone cut it short.
                // Retrying cannot bring it back, so the caller is told.
                const std::lock_guard lock(m_mutex);
                m_taking = false;
                m_cutShort = true;
                errno = EIO;
                return -1;
            } else if (errno != EINTR) {
                retry("read", path);
            }
        }
    }
    const int err = errno;
    {
        const std::lock_guard lock(m_mutex);
        if (n > 0)
            m_takeOffset += static_cast<std::uint64_t>(n);
        m_taking = false;
    }
    errno = err;
    return n;
}

// The written part of the data area not yet given back, in whole pages (a partly
// punched page stays allocated), never the header's; empty off tmpfs.
std::pair<off_t, off_t> LogSource::punchRangeLocked()
{
    if (!m_punch)
        return {0, 0};
    const std::uint64_t page = pageSize();
    const std::uint64_t from = std::max(page, (journalHeaderSize + m_givenBack) / page * page);
    const std::uint64_t to = (journalHeaderSize + m_offset) / page * page;
    if (to <= from)
        return {0, 0};
    m_givenBack = to - journalHeaderSize;
    return {static_cast<off_t>(from), static_cast<off_t>(to)};
}

// Nothing is pending: the header names P at the end and no stamp, then the data
// area goes.
void LogSource::emptyLocked()
{
    clearStamps(m_header);
    writeHeaderLocked();
    while (::ftruncate(m_journal, journalHeaderSize) < 0)
        retry("write to", m_dirs.front()->path());
    m_offset = m_givenBack = m_takeOffset = 0;
}

void LogSource::giveBack()
{
    if (!journalled())
        return;
    const std::lock_guard lock(m_mutex);
    if (!m_taking && m_takeOffset > 0 && m_offset == m_takeOffset)
        emptyLocked();
}

void LogSource::written(std::string_view batch, const Tai64n &stamp)
{
    keepTail(batch.data(), batch.size(), stamp);
    if (!journalled())
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_offset += batch.size();
        commitLocked();
    }
    m_writtenChanged.notify_all();
}

void LogSource::commit()
{
    if (!journalled())
        return;
    const std::lock_guard lock(m_mutex);
    commitLocked();
}

void LogSource::finish()
{
    for (const int fd : m_markFds)
        if (fd >= 0)
            (void)::ftruncate(fd, 0);
}

} // namespace tz
