// SPDX-License-Identifier: MIT
// tazuna-loggerfloor: only the system calls a logger must make, with no line
// handled at all, so that the logger figures can be read against what this
// machine's kernel and disk allow (tests/bench/README.md, "floors").
//
//   tazuna-loggerfloor plain DIR     read(2) each batch, write it out
//   tazuna-loggerfloor journal DIR   splice(2) each batch into DIR/lock first and
//                                    read it back, as multilog's journal does
//   tazuna-loggerfloor journal2 DIR  the same over two threads: one takes batches
//                                    into the journal while the other writes the
//                                    ones before out (a ring of eight), so that
//                                    both cores can work
//   tazuna-loggerfloor journal2n10 DIR  journal2, and the files rotate as with
//                                    `s16777215 n10` in multilog's way: a full
//                                    current becomes previous, is synced, archived
//                                    and the oldest archive removed on a thread of
//                                    its own, which the next rotation waits for
//   tazuna-loggerfloor journal2u10 DIR  journal2n10 as our multilog rotates now: a
//                                    full current is named @N.u at once, and up
//                                    to three sync at a time, each on a thread
//                                    that renames it @N.s and removes the oldest
//   tazuna-loggerfloor plain2n10 DIR   journal2n10 without the journal: batches are
//                                    read(2) on one thread and written on the
//                                    other. The least that any logger keeping
//                                    0.76's files (one previous at a time, synced
//                                    before it is archived) pays here
//
// Standard input must be a pipe. DIR/current receives every batch plus 26 bytes
// per 100 read: what `multilog t` adds to the benchmark's 100-byte lines, so the
// same bytes reach the file system as from a real logger. Except in the rotating modes it
// is one file, synced once at the end, with writeback started every 4 MiB as
// LogDir does: a real logger also rotates (a sync per file, and the removal of the
// oldest), so it does more than those three.
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <string_view>
#include <thread>
#include <unistd.h>

namespace {

// multilog's batch and pipe sizes (shared/tools/multilog.cpp).
constexpr std::size_t batchSize = 512 * 1024;
constexpr int pipeSize = 1024 * 1024;
// LogDir's writebackStep.
constexpr std::size_t writebackStep = 4 * 1024 * 1024;
// The journal's header (shared/engine/logsource.h): written before each batch is
// taken and again when it is committed, as LogSource does.
constexpr std::size_t journalHeaderSize = 2048;
constexpr char header[72] = "tzjrnl1\n";
// journal2: batches in flight, how much written journal is given back at once,
// and how long the journal grows before it is emptied.
constexpr std::size_t ringSlots = 8;
constexpr off64_t holeStep = 1024 * 1024;
constexpr off64_t journalWrap = 16 * 1024 * 1024;

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "tazuna-loggerfloor: %s: %s\n", what, std::strerror(errno));
    ::_exit(111);
}

void writeHeader(int lock)
{
    if (::pwrite(lock, header, sizeof header, 0) != static_cast<ssize_t>(sizeof header))
        fail("write lock");
}

// Takes up to batchSize bytes from standard input into the journal at offset at,
// and reads them back into buf: > 0 bytes, 0 at end of input.
std::size_t takeIntoJournal(int lock, off64_t at, char *buf)
{
    for (;;) {
        off64_t to = at;
        const ssize_t n = ::splice(0, nullptr, lock, &to, batchSize, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("splice input");
        if (n > 0 && ::pread(lock, buf, static_cast<std::size_t>(n), at) != n)
            fail("read lock");
        return static_cast<std::size_t>(n);
    }
}

// multilog's s16777215 and n10: a file's size limit, and the archives kept.
constexpr std::size_t rotateSize = 16777215;
constexpr unsigned archivesKept = 9;

// current: each batch as `multilog t` would grow it, writeback started as LogDir does.
class Output {
public:
    // dir >= 0: the files rotate (the n10 and u10 modes); flights: as journal2u10.
    Output(int fd, int dir, bool flights) : m_fd(fd), m_dir(dir), m_flights(flights) {}

    void put(const char *taken, std::size_t n)
    {
        // One copy into the output buffer, as stamping makes one.
        const std::size_t length = n + n * 26 / 100;
        std::memcpy(m_out, taken, n);
        std::memset(m_out + n, '.', length - n);
        for (std::size_t done = 0; done < length;) {
            const ssize_t w = ::write(m_fd, m_out + done, length - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                fail("write current");
            done += static_cast<std::size_t>(w);
        }
        m_unsynced += length;
        if (m_unsynced >= writebackStep) {
            ::sync_file_range(m_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
            m_unsynced = 0;
        }
        m_fileBytes += length;
        if (m_dir >= 0 && m_fileBytes >= rotateSize)
            rotate();
    }

    void finish()
    {
        if (m_syncer.joinable())
            m_syncer.join();
        for (std::thread &t : m_inFlight)
            t.join();
        if (::fsync(m_fd) < 0)
            fail("sync current");
    }

private:
    // As LogDir::fullCurrent and settleInBackground do it (no line rule: a floor
    // handles no line, so a file ends at the batch that fills it).
    void rotate()
    {
        if (m_flights) {
            rotateInFlight();
            return;
        }
        if (m_syncer.joinable())
            m_syncer.join();
        const int full = renameCurrent("previous");
        const unsigned archive = m_archives++;
        m_syncer = std::thread([this, full, archive] {
            if (::fsync(full) < 0)
                fail("sync previous");
            ::close(full);
            char name[32];
            std::snprintf(name, sizeof name, "@%024u.s", archive);
            if (::renameat(m_dir, "previous", m_dir, name) < 0)
                fail("archive previous");
            if (archive >= archivesKept) {
                std::snprintf(name, sizeof name, "@%024u.s", archive - archivesKept);
                if (::unlinkat(m_dir, name, 0) < 0)
                    fail("remove the oldest archive");
            }
        });
    }

    // current becomes name and a new current starts; the full file's descriptor.
    int renameCurrent(const char *name)
    {
        if (::renameat(m_dir, "current", m_dir, name) < 0)
            fail("rename current");
        const int full = m_fd;
        m_fd = ::openat(m_dir, "current", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
        if (m_fd < 0)
            fail("open current");
        m_fileBytes = 0;
        m_unsynced = 0;
        return full;
    }

    // As LogDir::fullCurrent and fly do it.
    void rotateInFlight()
    {
        if (m_inFlight.size() == maxFlights) {
            m_inFlight.front().join();
            m_inFlight.pop_front();
        }
        const unsigned archive = m_archives++;
        char flying[32];
        std::snprintf(flying, sizeof flying, "@%024u.u", archive);
        const int full = renameCurrent(flying);
        m_inFlight.emplace_back([this, full, archive] {
            if (::fsync(full) < 0)
                fail("sync a full file");
            ::close(full);
            char from[32], to[32];
            std::snprintf(from, sizeof from, "@%024u.u", archive);
            std::snprintf(to, sizeof to, "@%024u.s", archive);
            if (::renameat(m_dir, from, m_dir, to) < 0)
                fail("archive a full file");
            if (archive >= archivesKept) {
                const std::lock_guard lock(m_removing);
                std::snprintf(to, sizeof to, "@%024u.s", archive - archivesKept);
                if (::unlinkat(m_dir, to, 0) < 0)
                    fail("remove the oldest archive");
            }
        });
    }

    int m_fd;
    int m_dir;
    bool m_flights;
    static constexpr std::size_t maxFlights = 3; // LogDir's
    std::deque<std::thread> m_inFlight;
    std::mutex m_removing;
    std::size_t m_unsynced = 0;
    std::size_t m_fileBytes = 0;
    unsigned m_archives = 0;
    std::thread m_syncer;
    // Page-aligned, as the kernel copies fastest out of it.
    alignas(4096) char m_out[batchSize + batchSize * 26 / 100];
};

alignas(4096) char input[batchSize];

void journal(Output &out, int lock)
{
    writeHeader(lock);
    while (const std::size_t n = takeIntoJournal(lock, journalHeaderSize, input)) {
        out.put(input, n);
        // The commit, then the next batch's marks (LogSource::commit, fill).
        writeHeader(lock);
        if (::ftruncate(lock, journalHeaderSize) < 0)
            fail("empty lock");
        writeHeader(lock);
    }
}

// Two threads: batch i sits in ring slot i % ringSlots (and, with the journal, in
// the journal at its offset) until the writer has written it.
class Ring {
public:
    struct Slot {
        alignas(4096) char data[batchSize];
        std::size_t size = 0;
        off64_t at = 0;
    };

    Slot &slot(std::size_t batch) { return m_slots[batch % ringSlots]; }

    void waitTaken(std::size_t batches) { wait(m_taken, batches); }
    void waitWritten(std::size_t batches) { wait(m_written, batches); }
    void taken() { bump(m_taken); }
    void written() { bump(m_written); }

private:
    void wait(const std::size_t &count, std::size_t want)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return count >= want; });
    }
    void bump(std::size_t &count)
    {
        {
            const std::lock_guard lock(m_mutex);
            ++count;
        }
        m_changed.notify_all();
    }

    Slot m_slots[ringSlots];
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::size_t m_taken = 0;
    std::size_t m_written = 0;
};

std::size_t readInput(char *buf)
{
    for (;;) {
        const ssize_t n = ::read(0, buf, batchSize);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("read input");
        return static_cast<std::size_t>(n);
    }
}

void plain(Output &out)
{
    while (const std::size_t n = readInput(input))
        out.put(input, n);
}

// lock < 0: no journal, each batch is read(2) straight into its slot.
void twoThreads(Output &out, int lock)
{
    static Ring ring;
    std::thread writer([&] {
        off64_t givenBack = journalHeaderSize;
        for (std::size_t i = 0;; ++i) {
            ring.waitTaken(i + 1);
            Ring::Slot &s = ring.slot(i);
            if (s.size == 0)
                return;
            out.put(s.data, s.size);
            if (lock < 0) {
                ring.written();
                continue;
            }
            writeHeader(lock);
            // The written part of the journal goes back to the file system.
            if (s.at < givenBack)
                givenBack = journalHeaderSize; // the taker emptied the journal
            const off64_t end = s.at + static_cast<off64_t>(s.size);
            if (end - givenBack >= holeStep) {
                ::fallocate(lock, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, givenBack, end - givenBack);
                givenBack = end;
            }
            ring.written();
        }
    });
    if (lock >= 0)
        writeHeader(lock);
    off64_t at = journalHeaderSize;
    for (std::size_t i = 0;; ++i) {
        if (i >= ringSlots)
            ring.waitWritten(i - ringSlots + 1);
        Ring::Slot &s = ring.slot(i);
        if (lock < 0) {
            s.size = readInput(s.data);
            ring.taken();
            if (s.size == 0)
                break;
            continue;
        }
        if (at >= journalWrap) {
            ring.waitWritten(i); // nothing pending may be cut away
            if (::ftruncate(lock, journalHeaderSize) < 0)
                fail("empty lock");
            at = journalHeaderSize;
        }
        writeHeader(lock);
        s.at = at;
        s.size = takeIntoJournal(lock, at, s.data);
        at += static_cast<off64_t>(s.size);
        ring.taken();
        if (s.size == 0)
            break;
    }
    writer.join();
}

} // namespace

int main(int argc, char **argv)
{
    const std::string_view mode = argc == 3 ? argv[1] : "";
    if (mode != "plain" && mode != "journal" && mode != "journal2" && mode != "journal2n10" && mode != "journal2u10"
        && mode != "plain2n10") {
        std::fprintf(stderr, "usage: tazuna-loggerfloor plain|journal|journal2|journal2n10|journal2u10|plain2n10 DIR\n");
        return 100;
    }
    const int dir = ::open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        fail("open directory");
    const int current = ::openat(dir, "current", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (current < 0)
        fail("open current");
    if (::fcntl(0, F_GETPIPE_SZ) < pipeSize)
        ::fcntl(0, F_SETPIPE_SZ, pipeSize);
    static Output out(current, mode.ends_with("10") ? dir : -1, mode == "journal2u10");
    if (mode == "plain") {
        plain(out);
    } else if (mode == "plain2n10") {
        twoThreads(out, -1);
    } else {
        const int lock = ::openat(dir, "lock", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (lock < 0)
            fail("open lock");
        if (mode == "journal")
            journal(out, lock);
        else
            twoThreads(out, lock);
    }
    out.finish();
    return 0;
}
