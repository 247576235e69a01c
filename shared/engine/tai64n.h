// SPDX-License-Identifier: MIT
// TAI64 and TAI64N timestamps as daemontools writes them.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string_view>

namespace tz {

// daemontools labels Unix time t as TAI64 2^62 + 10 + t: it assumes the 10-second
// TAI-UTC offset of 1972 and ignores later leap seconds. We do the same so that our
// stamps and theirs compare equal.
inline constexpr std::uint64_t tai64Epoch = (std::uint64_t{1} << 62) + 10;

struct Tai64n {
    std::uint64_t seconds = 0;    // TAI64 label
    std::uint32_t nanoseconds = 0; // 0..999999999

    static Tai64n now();
    static Tai64n fromUnix(const timespec &ts);
    // Seconds before tai64Epoch clamp to 0, those past the year 292 million to
    // INT64_MAX / 1000 - 1 (so seconds * 1000 + ms never overflows), nanoseconds to 999999999.
    timespec toUnix() const;

    friend bool operator==(const Tai64n &, const Tai64n &) = default;
    friend auto operator<=>(const Tai64n &, const Tai64n &) = default;
};

// The 12-byte external form: 8 bytes seconds then 4 bytes nanoseconds, big-endian.
void packTai64n(const Tai64n &t, unsigned char out[12]);
Tai64n unpackTai64n(const unsigned char in[12]);

// "@" followed by 24 lowercase hex digits: the form multilog and tai64n print.
inline constexpr std::size_t tai64nTextSize = 25;
void formatTai64n(const Tai64n &t, char out[tai64nTextSize]);
// Accepts exactly "@" + 24 hex digits (either case); anything else is nullopt.
std::optional<Tai64n> parseTai64n(std::string_view text);

} // namespace tz
