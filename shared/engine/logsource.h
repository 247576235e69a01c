// SPDX-License-Identifier: MIT
// multilog's input, journalled so that a kill -9 of the logger neither loses nor repeats a line.
#pragma once

#include "diag.h"
#include "logscript.h"
#include "tai64n.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
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
// journal, not the pipe, is what a new logger resumes from. Before the splice,
// each log directory records where its current stood (inode and size); at start
// the next logger cuts each directory back to that mark and processes the batch
// again, with the same timestamps, so the output is the same bytes exactly once.
//
// The journal lives in the log directory's own `lock` file, which daemontools
// creates empty and never reads; it is emptied again at a clean exit, so a
// directory left by a clean run is byte for byte what 0.76 leaves. The first
// directory's lock holds the whole journal; every other directory's lock holds
// only its mark. Layout (integers little-endian):
//
//   0..7     "tzjrnl1\n"
//   8..15    batch number (the same in every directory's mark of one batch)
//   16..23   inode of current when the batch began
//   24..31   size of current when the batch began
//   -- first directory only:
//   32..43   TAI64N stamp of the batch (packTai64n)
//   44..55   TAI64N stamp of the carried line start
//   56..59   length T of the carried line start (at most journalTailLimit)
//   60..63   flags: bit 0 = the line is longer than T: its first bytes are written
//            already and the rest streams through (LogPipeline::resume)
//   64..71   offset P of the batch in the data area
//   72..72+T the carried line start: bytes taken before this batch after the last
//            newline, which the logger holds in memory and has not written yet; of
//            a longer line, its first journalTailLimit bytes (which decided where it
//            goes)
//   2048+P.. the batch, as taken from the pipe; everything after it up to the end
//            of the file. The batch is pending exactly when the file is longer
//            than 2048+P: the splice that takes it is the one step that commits it.
//
// Once a batch is written, commit() names its end as P, in one pwrite(2) of the
// header with the marks of that moment and the line start carried on, and only
// then empties the data area. A logger that dies with no batch pending is
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

// Where one directory's current stood when a batch began.
struct LogMark {
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
};

// A batch taken from the pipe by a logger that died before it was known written.
struct LogReplay {
    std::string tail; // carried line start, to consume first with tailStamp
    Tai64n tailStamp;
    bool longLine = false; // tail is only the head of a line that streams on
    std::string data;
    Tai64n stamp;
    std::uint64_t offset = 0; // P of the batch in the journal
    std::uint64_t batch = 0;
};

// Before the directories are opened (and recovered as 0.76 does): cut every
// directory back to its mark of the pending batch and return that batch; nullopt
// when nothing is pending or there is no journal. A directory whose lock another
// process holds is the Failure "lock directory PATH", as LogDir::open reports it.
Result<std::optional<LogReplay>> recoverJournal(int startDirFd, const std::vector<LogDirConfig> &dirs);

class LogSource {
public:
    // dirs: the opened directories in script order (may be empty). The journal is
    // used when the input is a pipe and there is a directory; otherwise input is
    // simply read.
    LogSource(int fd, std::vector<LogDir *> dirs, LogHost &host);
    ~LogSource();
    LogSource(const LogSource &) = delete;
    LogSource &operator=(const LogSource &) = delete;

    // Marks the directories for a batch recovered by recoverJournal(); the caller
    // then consumes replay.tail and replay.data exactly as a fresh batch.
    void replay(const LogReplay &replay);

    // Up to size bytes stamped with stamp, blocking until there are some: > 0
    // bytes, 0 at end of input, -1 on error (errno set). Every directory must be
    // flushed and committed (LogPipeline::flushOutputs) before each call.
    ssize_t fill(char *buf, std::size_t size, const Tai64n &stamp);

    // Everything taken so far is written (LogPipeline::flushOutputs): the journal
    // stops naming it as pending, and keeps only the line start carried over.
    void commit();

    // Clean end, after LogPipeline::finish(): the journal is emptied.
    void finish();

    bool journalled() const { return m_journal >= 0 && m_pipe; }

private:
    void writeMarks(const Tai64n &stamp);
    void keepTail(const char *buf, std::size_t n, const Tai64n &stamp);
    ssize_t plainRead(char *buf, std::size_t size);

    int m_fd;
    std::vector<LogDir *> m_dirs;
    LogHost &m_host;
    std::vector<int> m_markFds; // each directory's lock, opened for pwrite
    int m_journal = -1;         // m_markFds[0]
    bool m_pipe = false;
    bool m_stale = false;       // a replayed batch sits in a journal no longer used
    bool m_started = false;     // the data area was emptied or continues a replay
    std::uint64_t m_batch = 0;
    std::uint64_t m_offset = 0; // P of the next batch
    std::string m_tail;
    Tai64n m_tailStamp;
    bool m_tailLong = false;    // m_tail holds only the head of a longer line
};

} // namespace tz
