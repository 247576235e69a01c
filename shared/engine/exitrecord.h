// SPDX-License-Identifier: MIT
// Exit records: how each run of ./run ended, kept in the bounded file supervise/exits.
#pragma once

#include "diag.h"
#include "tai64n.h"

#include <cstdint>
#include <span>
#include <vector>

namespace tz {

enum class ExitKind : std::uint8_t {
    Exited = 0,   // code is the exit status
    Signalled = 1, // code is the terminating signal
    Unknown = 2,  // a process adopted after a supervise restart: not our child, no status
};

struct ExitRecord {
    Tai64n started;           // when supervise started it
    Tai64n ended;             // when supervise saw it end
    std::uint32_t pid = 0;
    ExitKind kind = ExitKind::Exited;
    std::uint8_t code = 0;     // exit status or signal number
    bool stopRequested = false; // svc -d was given while it ran
    bool coreDumped = false;
    bool adopted = false;       // it was adopted after supervise restarted
    std::uint8_t lastSignal = 0; // the last signal svc made supervise send it, 0 if none
    bool once = false;           // it ended under svc -o: it was not to be restarted

    // How long it ran, in milliseconds (0 if the clock went backwards).
    std::uint64_t ranMs() const;
    // A run under svc -o that exited 0: it did what it was started once to do.
    bool finishedOnce() const { return once && kind == ExitKind::Exited && code == 0; }
    // An end nobody asked for: neither svc -d nor a signal from svc came first, it
    // was not a run once that succeeded, and the status is known (an adopted
    // process's end is not ours to judge). A run once that failed is a crash.
    bool crashed() const { return !stopRequested && lastSignal == 0 && !finishedOnce() && kind != ExitKind::Unknown; }

    friend bool operator==(const ExitRecord &, const ExitRecord &) = default;
};

// supervise/exits keeps the newest records, oldest first. The whole file is
// rewritten to supervise/exits.new and renamed, so readers never see half of it.
//
// Header, 16 bytes:
//   bytes  0..3   "TZEX"
//   byte   4      format version, 1
//   byte   5      record size in bytes, 48
//   bytes  6..7   number of records that follow, big-endian
//   bytes  8..15  deaths recorded since the file was created, big-endian; the
//                 newest record is number (this - count + index + 1)
// Each record, 48 bytes:
//   bytes  0..11  TAI64N when ./run was started (8 bytes seconds, 4 nanoseconds, big-endian)
//   bytes 12..23  TAI64N when its end was seen
//   bytes 24..27  pid, big-endian
//   byte  28      kind: 0 exited, 1 killed by a signal, 2 unknown (adopted process)
//   byte  29      exit status (kind 0) or signal number (kind 1); 0 for kind 2
//   byte  30      flags: bit 0 svc -d was given while it ran, bit 1 core dumped,
//                 bit 2 adopted after a supervise restart, bit 3 it ended under svc -o;
//                 other bits 0
//   byte  31      the last signal svc made supervise send to it, 0 if none
//   bytes 32..47  reserved, 0
inline constexpr std::size_t exitsHeaderSize = 16;
inline constexpr std::size_t exitRecordSize = 48;
inline constexpr std::uint8_t exitsVersion = 1;
inline constexpr char exitsMagic[4] = {'T', 'Z', 'E', 'X'};
inline constexpr std::size_t exitsKept = 64;

struct ExitLog {
    std::vector<ExitRecord> records; // oldest first, at most exitsKept
    std::uint64_t total = 0;          // deaths ever recorded in this file
    bool damaged = false;             // something in the file did not decode and was skipped

    // Appends and drops the oldest beyond exitsKept.
    void add(const ExitRecord &r);
};

std::vector<unsigned char> encodeExitLog(const ExitLog &log);
// Never fails: decodes every valid record of a damaged or truncated file and sets
// damaged; an empty input is an empty log.
ExitLog decodeExitLog(std::span<const unsigned char> bytes);

// A missing file reads as an empty log; other errors are a Failure.
Result<ExitLog> readExitLog(int serviceDirFd);
Done writeExitLog(int serviceDirFd, const ExitLog &log);

// The raw wait status turned into a record's kind, code and core flag.
void setWaitStatus(ExitRecord &r, int waitStatus);

} // namespace tz
