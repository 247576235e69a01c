// SPDX-License-Identifier: MIT
// multilog's input, journalled so that a kill -9 of the logger neither loses nor repeats a line.
#pragma once

#include "diag.h"
#include "logscript.h"
#include "tai64n.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <sys/types.h>
#include <vector>

namespace tz {

class LogDir;
class LogHost;

// Reading a pipe removes the bytes from it and leaves no trace of having done so:
// a logger killed between taking bytes and writing what they became either loses
// them (read first) or writes them twice (write first, as tee(2) + splice(2) did).
// No ordering of two steps closes that window, so the taking itself leaves the
// trace: one splice(2) moves each batch from the pipe into a journal, and the
// journal, not the pipe, is what a new logger resumes from. Each log directory
// records where its current stood (inode and size) when the oldest batch not yet
// written began; at start the next logger cuts each directory back to that mark
// and processes the pending batches again, with the same timestamps, so the
// output is the same bytes exactly once.
//
// Taking and writing can run on two threads (multilog.cpp does so when it can), so
// that both cores work on a busy log: while one batch is written, the next ones
// are taken. The journal therefore holds up to journalStamps batches pending at
// once, each with the stamp it was taken at.
//
// The journal lives in the log directory's own `lock` file, which daemontools
// creates empty and never reads; it is emptied again at a clean exit, so a
// directory left by a clean run is byte for byte what 0.76 leaves. The first
// directory's lock holds the whole journal; every other directory's lock holds
// only its mark. Layout (integers little-endian):
//
//   0..7     "tzjrnl2\n" ("tzjrnl1\n": one pending batch, stamped at 32..43)
//   8..15    commit number (the same in every directory's mark of one commit)
//   16..23   inode of current when the oldest pending batch began
//   24..31   size of current then
//   -- first directory only:
//   32..43   unused (tzjrnl1: the TAI64N stamp of the pending batch)
//   44..55   TAI64N stamp of the carried line start
//   56..59   length T of the carried line start (at most journalTailLimit)
//   60..63   flags: bit 0 = the line is longer than T: its first bytes are written
//            already and the rest streams through (LogPipeline::resume)
//   64..71   offset P of the oldest pending batch in the data area
//   72..72+T the carried line start: bytes taken before that batch after the last
//            newline, which the logger holds in memory and has not written yet; of
//            a longer line, its first journalTailLimit bytes (which decided where it
//            goes)
//   1072..   journalStamps entries of 20 bytes: offset of a batch in the data area
//            and the TAI64N stamp it was taken at, written before its splice
//   2048+P.. the pending batches, as taken from the pipe, up to the end of the
//            file. A batch is pending exactly when the file is longer than where
//            it begins: the splice that takes it is the one step that commits it.
//
// Once a batch is written, its end becomes P, in one pwrite(2) of the header
// with the marks of that moment and the line start carried on. The data area is
// emptied (with the header first naming nothing pending) whenever the writer has
// nothing left to do, and a busy logger's taker waits for that once the area has
// grown to 16 MiB; on tmpfs the data before P also goes back to memory batch by
// batch (FALLOC_FL_PUNCH_HOLE). A logger that dies with nothing pending is
// followed by one that cuts back to those marks (nothing, unless the clean end
// had begun) and holds the carried start again.
//
// Limits, all documented in tests/faults/README.md: a directory whose batch was
// archived through a processor (!) cannot be cut back, and one that rotated more
// than count-1 times in one batch neither: those repeat (never lose) the batch.
inline constexpr std::size_t journalHeaderSize = 2048;
// 0.76 holds at most 1000 bytes of a line (stamp included) before it writes them:
// the carried start of a line is never longer, and of a longer line these bytes
// are all that decide its directories.
inline constexpr std::size_t journalTailLimit = 1000;
// Batches the journal can hold pending: more than the taker may run ahead.
inline constexpr std::size_t journalStamps = 8;

// Where one directory's current stood when a batch began.
struct LogMark {
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
};

// One batch of a replay: its length in LogReplay::data and the stamp it was taken at.
struct LogReplayPart {
    std::size_t size = 0;
    Tai64n stamp;
};

// The batches taken from the pipe by a logger that died before they were known written.
struct LogReplay {
    std::string tail; // carried line start, to consume first with tailStamp
    Tai64n tailStamp;
    bool longLine = false; // tail is only the head of a line that streams on
    std::string data;      // the batches, one after the other
    std::vector<LogReplayPart> parts;
    std::uint64_t offset = 0; // P of the first batch in the journal
    std::uint64_t batch = 0;  // commit number of the marks
};

// Before the directories are opened (and recovered as 0.76 does): cut every
// directory back to its mark of the oldest pending batch and return the pending
// batches; nullopt when nothing is pending or there is no journal. A directory
// whose lock another process holds is the Failure "lock directory PATH", as
// LogDir::open reports it.
Result<std::optional<LogReplay>> recoverJournal(int startDirFd, const std::vector<LogDirConfig> &dirs);

// Two threads use a LogSource: one takes batches (take()), the other writes them
// and says so (written(), commit()), in the order they were taken. begin() or
// replay() comes first, before either starts; finish() after both are done.
class LogSource {
public:
    // dirs: the opened directories in script order (may be empty). The journal is
    // used when the input is a pipe and there is a directory; otherwise input is
    // simply read.
    LogSource(int fd, std::vector<LogDir *> dirs, LogHost &host);
    ~LogSource();
    LogSource(const LogSource &) = delete;
    LogSource &operator=(const LogSource &) = delete;

    // Nothing was recovered: the journal an earlier logger left goes, and each
    // directory is marked where it stands.
    void begin();
    // Marks the directories for batches recovered by recoverJournal(); the caller
    // then consumes replay.tail, and each part of replay.data as a fresh batch
    // followed by written().
    void replay(const LogReplay &replay);

    // Taker: up to size bytes stamped with stamp, blocking until there are some:
    // > 0 bytes in buf, 0 at end of input, -1 on error (errno set).
    ssize_t take(char *buf, std::size_t size, const Tai64n &stamp);

    // Writer: the next batch taken (of a replay, its next part) is written
    // (LogPipeline::flushOutputs): the journal stops naming it as pending and
    // keeps only the line start carried over.
    void written(std::string_view batch, const Tai64n &stamp);
    // Writer: the directories moved without input (a rotation): marks them anew.
    void commit();
    // Writer, with nothing more to write for now: when nothing is pending and
    // no batch is being taken, the journal's data area is emptied, so that an
    // idle logger keeps no journal.
    void giveBack();

    // Clean end, after LogPipeline::finish(): the journal is emptied.
    void finish();

    // take() failed because another process cut the journal short under it: the
    // batch it took is gone from the journal (the logger's end, exit 111).
    bool cutShort() const { return m_cutShort; }

    bool journalled() const { return m_journal >= 0 && m_pipe.load(std::memory_order_relaxed); }

private:
    void writeHeaderLocked();
    void emptyLocked();
    std::pair<off_t, off_t> punchRangeLocked();
    void commitLocked();
    void keepTail(const char *buf, std::size_t n, const Tai64n &stamp);
    ssize_t plainRead(char *buf, std::size_t size);
    void retry(const char *what, const std::string &path);

    int m_fd;
    std::vector<LogDir *> m_dirs;
    LogHost &m_host;
    std::vector<int> m_markFds; // each directory's lock, opened for pwrite
    int m_journal = -1;         // m_markFds[0]
    std::atomic<bool> m_pipe{false};
    bool m_punch = false; // the written journal is given back batch by batch
    bool m_stale = false; // a replayed batch sits in a journal no longer used (taker)
    bool m_cutShort = false; // see cutShort() (taker)

    // Shared by the taker and the writer.
    std::mutex m_mutex;
    std::condition_variable m_writtenChanged;
    unsigned char m_header[journalHeaderSize] = {};
    std::uint64_t m_offset = 0;    // P: where the oldest batch not yet written begins
    std::uint64_t m_givenBack = 0; // the data area before this is punched out (tmpfs)
    std::uint64_t m_batch = 0;
    std::uint64_t m_takeOffset = 0; // where the next batch goes
    bool m_taking = false;          // a splice into the data area is under way

    // The taker's.
    std::size_t m_nextStamp = 0; // the next batch's entry in the stamp table

    // The writer's.
    std::string m_tail;
    Tai64n m_tailStamp;
    bool m_tailLong = false; // m_tail holds only the head of a longer line
};

} // namespace tz
