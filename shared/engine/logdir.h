// SPDX-License-Identifier: MIT
// One multilog log directory: current, archives, processor hand-off, rotation.
#pragma once

#include "diag.h"
#include "loghost.h"
#include "logscript.h"
#include "logsource.h"
#include "tai64n.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace tz {

// The on-disk contract, as daemontools 0.76 leaves it and expects it:
//
//   lock       flock()ed exclusively while a multilog owns the directory (mode 600)
//   current    the file being written: mode 644 while written, 744 once multilog
//              exited cleanly (the execute bit means "complete, append to me")
//   @<24 hex>.s  an archive that is complete (mode 744); the name is the TAI64N
//              label of the moment it was archived (ours: the moment it filled)
//   @<24 hex>.u  an archive that may be incomplete: current or previous found
//              without the execute bit at start-up, after a crash. Ours also
//              names a full current so while it syncs (mode 755, which 0.76
//              never gives a file: see LogDir::fullCurrent)
//   previous   a full current handed to the processor (mode 744)
//   processed  the processor's output; mode 744 once it is complete
//   state, newstate  the processor's state in (fd 4) and out (fd 5)
//
// At most count-1 archives are kept: the oldest name goes first.
std::string archiveName(const Tai64n &when, char code); // "@4000...s"

// The 0.76 rotation rule, one write(2) worth: given how many bytes current holds,
// the size limit and the bytes offered, how many to write before a possible
// rotation. (0.76 ends a file at the last newline of a write that reaches
// size-2000, or exactly at size.)
std::size_t rotationCut(std::uint64_t bytes, std::uint64_t maxSize, std::string_view offered);
// Whether current must rotate after writing chunk (the bytes that rotationCut allowed).
bool rotatesAfter(std::uint64_t bytesAfter, std::uint64_t maxSize, std::string_view chunk);

class LogDir {
public:
    // Opens (creating) the directory relative to startDirFd, locks it and recovers
    // from whatever a crashed multilog left, exactly as 0.76 does at start-up. A
    // Failure is fatal ("unable to <action>: <reason>", exit 111).
    static Result<std::unique_ptr<LogDir>> open(int startDirFd, const LogDirConfig &config, LogHost &host);
    ~LogDir();
    LogDir(const LogDir &) = delete;
    LogDir &operator=(const LogDir &) = delete;

    // Output goes through an emulation of 0.76's 512-byte buffer: where 0.76 would
    // have called write(2), the rotation rule is applied to exactly the bytes it
    // would have written, so files end where 0.76's would. The bytes themselves
    // are written in large batches by commit().
    void put(std::string_view first, std::string_view second = {}); // buffer_put
    void putBytes(std::string_view bytes);                           // buffer_PUTC, byte by byte
    void flush();                                                    // buffer_flush
    // Whether the next reach bytes of output, and what is held now, stay clear of
    // the size limit's last newlineSlack bytes, where 0.76's rotation rule looks at
    // what each of its write(2) calls carries (rotationCut).
    bool farFromLimit(std::size_t reach) const;
    // LogPipeline's fast path: a whole line with its newline, appended as it is,
    // with no emulation of 0.76's buffer. Only while farFromLimit(): there no
    // rotation can come, so where 0.76 would have written decides nothing, and
    // the next flush() counts it all.
    void appendLine(std::string_view stamp, std::string_view line)
    {
        if (m_end + stamp.size() + line.size() > bufferSize) [[unlikely]]
            makeRoom();
        if (!stamp.empty())
            std::memcpy(m_buf.get() + m_end, stamp.data(), stamp.size());
        std::memcpy(m_buf.get() + m_end + stamp.size(), line.data(), line.size());
        m_end += stamp.size() + line.size();
    }
    // Writes everything flush()ed so far to current, retrying until it is written.
    void commit();
    // SIGALRM: flush, commit and rotate if current is not empty (finishRotation()
    // completes it).
    void rotateNow();
    // Clean exit: flush, commit, fsync current and mark it complete (mode 744).
    void close();
    // A rotation is half done (see fullCurrent): a full file is still syncing in
    // the background, or previous waits for the processor. finishRotation()
    // completes every one, as a logger does before it exits, so that the log
    // looks as 0.76 leaves it.
    bool rotationPending() const { return m_flightCount > 0 || m_processorPending; }
    // A pending rotation that finishSettled() can complete without waiting for
    // the disk: the oldest full file has synced (or its sync failed, to be retried
    // with the logger's pauses), or the processor waits. LogHost::rotationSettled()
    // says when a sync is over.
    bool rotationReady() const
    {
        return m_processorPending
            || (m_flightCount > 0 && m_flights[m_firstFlight].done.load(std::memory_order_acquire));
    }
    bool processorPending() const { return m_processorPending; }
    void finishRotation();
    // What is ready of finishRotation(), without waiting for a sync: what a logger
    // does once a batch is committed and before it waits for more input.
    void finishSettled();

    std::uint64_t bytes() const { return m_bytes; }
    const std::string &path() const { return m_config.path; }
    int dirFd() const { return m_dirFd; }
    // The directory is on tmpfs: nothing is written back to a disk, so the
    // input journal in its lock can give its pages back batch by batch (LogSource).
    bool inMemory() const { return m_inMemory; }
    std::uint64_t currentInode() const { return m_currentInode; }

    // Undoes what was written after mark (see LogSource): the file that was
    // current then, under whatever name it has now (previous, a .s archive, or a
    // .u archive that was still syncing), is cut back to mark.size, and the files
    // made from later output (a newer current, previous or archives) are removed.
    // Runs before open() recovers the directory. A mark that no file carries any
    // more, or that only a .u archive of recovery carries (another logger
    // recovered the directory since), is left alone.
    static void rollBack(int dirFd, const LogMark &mark);

private:
    LogDir(const LogDirConfig &config, LogHost &host);

    // Our real buffer: large, so that a busy log costs few write(2) calls, one per
    // batch of multilog's (512 KiB of input, 26 bytes more per line with t).
    static constexpr std::size_t bufferSize = 768 * 1024;

    Done recover();
    void makeRoom();
    void chunk(std::size_t len);
    void reserve(std::size_t len);
    void append(std::string_view s);
    void writeOut(std::size_t len);
    void startWriteback();
    void rotateAt(std::size_t pos);
    void fullCurrent();
    void startCurrent();
    struct Flight;
    void fly(Flight &flight);
    void settleOldest();
    void settleFlights(bool wait);
    void runPendingProcessor();
    void runProcessor();
    void finish(const char *file, char code);
    std::optional<std::string> tryArchive(const char *file, char code, bool &gone);
    void fitArchives();
    int archivesFit();
    int openCurrent();
    void noteCurrent();
    void pause(const std::string &message, std::optional<int> err);

    LogDirConfig m_config;
    LogHost &m_host;
    int m_dirFd = -1;
    int m_lockFd = -1;
    int m_currentFd = -1;
    std::uint64_t m_currentInode = 0;
    bool m_inMemory = false;
    std::uint64_t m_bytes = 0; // what 0.76 would count as written to current

    // Bytes not yet written to current: [0, m_flushed) went through the rotation
    // rule already; [m_flushed, m_end) is what 0.76 would still hold in its buffer.
    std::unique_ptr<char[]> m_buf;
    std::size_t m_flushed = 0;
    std::size_t m_end = 0;
    std::size_t m_unsynced = 0; // written since writeback was last started
    class Writeback;
    std::unique_ptr<Writeback> m_writeback; // started at the first writeback
    bool m_writebackInline = false;          // no thread could be had for it

    // A full current being synced to disk and archived in the background while the
    // new current fills (see fullCurrent), named @<stamp>.u until it has synced.
    // Its thread does each step that succeeds at the first try and leaves the
    // rest, with its retries and pauses, to the logger's thread.
    enum class Settle { Sync, Archive, Mode, Fit, Finished };
    struct Flight {
        int fd = -1;
        std::string name; // @<stamp>.u
        std::thread thread;
        std::atomic<bool> done{false};
        Settle next = Settle::Finished; // written by the thread before done
        int syncErrno = 0;              // why the sync failed, likewise
    };
    // Full files syncing at once: a rotation waits for the oldest beyond these.
    // One at a time (0.76's single previous) held a busy log on ext4 to the
    // disk's pace of one sync after another; see fullCurrent.
    static constexpr std::size_t maxFlights = 3;
    Flight m_flights[maxFlights]; // a ring, m_firstFlight the oldest
    std::size_t m_firstFlight = 0;
    std::size_t m_flightCount = 0;
    std::mutex m_fitMutex; // archivesFit() runs on the flights' threads and the logger's
    bool m_processorPending = false; // previous waits for the processor
};

} // namespace tz
