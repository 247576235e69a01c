// SPDX-License-Identifier: MIT
// Local-time rendering of TAI64N labels, byte for byte as daemontools 0.76's tai64nlocal.
#include "localstamp.h"

#include "tai64n.h"

#include <cstdint>
#include <cstdio>
#include <ctime>

namespace tz {

namespace {

int lowerHex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

} // namespace

std::optional<std::string> localStamp(std::string_view head)
{
    constexpr std::size_t digits = tai64nTextSize - 1;
    if (head.size() < tai64nTextSize || head[0] != '@')
        return std::nullopt;
    std::uint64_t seconds = 0;
    std::uint32_t nanoseconds = 0;
    for (std::size_t i = 1; i <= digits; ++i) {
        const int v = lowerHex(head[i]);
        if (v < 0)
            return std::nullopt;
        if (i <= 16)
            seconds = (seconds << 4) | static_cast<std::uint64_t>(v);
        else
            nanoseconds = (nanoseconds << 4) | static_cast<std::uint32_t>(v);
    }
    if (head.size() > tai64nTextSize && lowerHex(head[tai64nTextSize]) >= 0)
        return std::nullopt;

    // 0.76 subtracts 2^62 + 10 in 64-bit arithmetic and hands the result to
    // localtime() as a signed time_t.
    const time_t unixSeconds = static_cast<time_t>(seconds - tai64Epoch);
    std::tm tm{};
    if (!::localtime_r(&unixSeconds, &tm))
        return std::nullopt;
    // The year goes through an unsigned long and the nanoseconds are not range
    // checked: more than 9 digits print as they are, as in 0.76.
    char text[96];
    const int n = std::snprintf(text, sizeof text, "%lu-%02u-%02u %02u:%02u:%02u.%09u",
                                static_cast<unsigned long>(1900L + tm.tm_year), static_cast<unsigned>(1 + tm.tm_mon),
                                static_cast<unsigned>(tm.tm_mday), static_cast<unsigned>(tm.tm_hour),
                                static_cast<unsigned>(tm.tm_min), static_cast<unsigned>(tm.tm_sec), nanoseconds);
    if (n <= 0)
        return std::nullopt;
    return std::string(text, static_cast<std::size_t>(n));
}

} // namespace tz
