// SPDX-License-Identifier: MIT
// Opt-in crash-loop backoff: its config file, the growing pause, and the state readers see.
#pragma once

#include "diag.h"
#include "servicedir.h"
#include "tai64n.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tz {

// The file `backoff` in a service directory turns the backoff on. Its text is one
// line of words separated by blanks (an empty file takes every default):
//
//   N           same as max=N
//   max=N       the longest pause in seconds, 1..86400 (default 60)
//   stable=N    a run that lasts at least N seconds, 1..86400, is stable and resets
//               the pause (default 10)
//
// Anything else makes the file invalid; supervise then warns and keeps 0.76's
// fixed pause.
struct BackoffConfig {
    std::uint32_t maxSeconds = 60;
    std::uint32_t stableSeconds = 10;

    friend bool operator==(const BackoffConfig &, const BackoffConfig &) = default;
};

// Failure (EINVAL, "parse backoff") on invalid text.
Result<BackoffConfig> parseBackoffConfig(std::string_view text);
// nullopt when the service has no backoff file.
Result<std::optional<BackoffConfig>> readBackoffConfig(int serviceDirFd);

// The pause policy. Without backoff 0.76 only forbids starting again within 1 s of
// the previous start. With it, each death of a run shorter than stableSeconds in a
// row lengthens the pause counted from the death: 1 s, 2 s, 4 s, ... up to
// maxSeconds; a stable run resets it. svc -u during the pause starts at once (still
// at least 1 s after the previous start) but keeps the count, so a service that
// keeps crashing keeps backing off.
class Backoff {
public:
    // A death after ranMs milliseconds; returns the pause before the next start.
    std::uint64_t onDeath(std::uint64_t ranMs, const BackoffConfig &config);
    void reset() { m_quickDeaths = 0; m_pauseMs = 0; }
    std::uint32_t quickDeaths() const { return m_quickDeaths; }
    std::uint64_t pauseMs() const { return m_pauseMs; }

private:
    std::uint32_t m_quickDeaths = 0;
    std::uint64_t m_pauseMs = 0;
};

// What supervise/backoff-state tells readers ("backing off, next start in N s").
// Written to supervise/backoff-state.new and renamed; absent when the service has
// no backoff file.
//
//   bytes  0..3   "TZBO"
//   byte   4      format version, 1
//   byte   5      flags: bit 0 a start is pending (supervise waits for nextStart)
//   bytes  6..7   quick deaths in a row, big-endian
//   bytes  8..11  the current pause in milliseconds, big-endian
//   bytes 12..15  max= in seconds, big-endian
//   bytes 16..27  TAI64N of the pending start; zero when none is pending
//   bytes 28..31  reserved, 0
inline constexpr std::size_t backoffStateSize = 32;

struct BackoffState {
    bool pending = false;
    std::uint16_t quickDeaths = 0;
    std::uint32_t pauseMs = 0;
    std::uint32_t maxSeconds = 0;
    Tai64n nextStart;

    friend bool operator==(const BackoffState &, const BackoffState &) = default;
};

std::array<unsigned char, backoffStateSize> encodeBackoffState(const BackoffState &s);
std::optional<BackoffState> decodeBackoffState(std::span<const unsigned char> bytes);
Done writeBackoffState(int serviceDirFd, const BackoffState &s);
// Removes the file; a missing file is fine.
Done clearBackoffState(int serviceDirFd);
// nullopt when absent or damaged.
std::optional<BackoffState> readBackoffState(int serviceDirFd);

} // namespace tz
