// SPDX-License-Identifier: MIT
// The 18-byte supervise/status record of daemontools 0.76.
#pragma once

#include "diag.h"
#include "tai64n.h"

#include <array>
#include <cstdint>
#include <span>
#include <sys/types.h>

namespace tz {

// supervise/status, as 0.76 writes it and every compatible reader expects:
//
//   bytes  0..7   TAI64 seconds of the last pid change, big-endian (2^62 + 10 + Unix time)
//   bytes  8..11  nanoseconds of that moment, big-endian
//   bytes 12..15  pid of ./run, little-endian; 0 when the service is down
//   byte  16      1 when paused (svc -p) and pid != 0, else 0
//   byte  17      what supervise wants: 'u' (up), 'd' (down), or 0 (svc -o: run once)
//
// Readers accept longer files (runit writes 20 bytes). Extensions never touch these
// 18 bytes: they live in files of their own.
inline constexpr std::size_t statusSize = 18;

enum class Want : char { Once = 0, Up = 'u', Down = 'd' };

struct ServiceStatus {
    Tai64n since;         // when pid last changed
    std::uint32_t pid = 0; // 0 = down
    bool paused = false;
    Want want = Want::Up;

    friend bool operator==(const ServiceStatus &, const ServiceStatus &) = default;
};

std::array<unsigned char, statusSize> encodeStatus(const ServiceStatus &s);
// nullopt when fewer than 18 bytes; extra bytes are ignored.
std::optional<ServiceStatus> decodeStatus(std::span<const unsigned char> bytes);

// Writes supervise/status.new under the service directory fd, then renames it over
// supervise/status, so a reader sees the old record or the new one, never half.
Done writeStatusFile(int serviceDirFd, const ServiceStatus &s);

// Reads supervise/status under the service directory fd. A file shorter than 18
// bytes is not a Failure: it reads as status == nullopt, daemontools' "bad format".
struct StatusRead {
    std::optional<ServiceStatus> status; // nullopt: fewer than 18 bytes ("bad format")
};
Result<StatusRead> readStatusFile(int serviceDirFd);

} // namespace tz
