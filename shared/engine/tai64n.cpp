// SPDX-License-Identifier: MIT
// TAI64N conversions: external bytes, hex text, and Unix time.
#include "tai64n.h"

#include <algorithm>
#include <limits>

namespace tz {

Tai64n Tai64n::now()
{
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return fromUnix(ts);
}

Tai64n Tai64n::fromUnix(const timespec &ts)
{
    return Tai64n{tai64Epoch + static_cast<std::uint64_t>(ts.tv_sec), static_cast<std::uint32_t>(ts.tv_nsec)};
}

timespec Tai64n::toUnix() const
{
    // Labels are read from files others write (logs, status): one far in the future
    // would not fit time_t, or would overflow a caller's milliseconds. Clamping to
    // the last second whose millisecond count fits 64 bits keeps both defined.
    constexpr std::uint64_t latest = std::numeric_limits<std::int64_t>::max() / 1000 - 1;
    timespec ts{};
    if (seconds >= tai64Epoch) {
        ts.tv_sec = static_cast<time_t>(std::min(seconds - tai64Epoch, latest));
        ts.tv_nsec = static_cast<long>(std::min(nanoseconds, std::uint32_t{999999999}));
    }
    return ts;
}

void packTai64n(const Tai64n &t, unsigned char out[12])
{
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<unsigned char>(t.seconds >> (56 - 8 * i));
    for (int i = 0; i < 4; ++i)
        out[8 + i] = static_cast<unsigned char>(t.nanoseconds >> (24 - 8 * i));
}

Tai64n unpackTai64n(const unsigned char in[12])
{
    Tai64n t;
    for (int i = 0; i < 8; ++i)
        t.seconds = (t.seconds << 8) | in[i];
    for (int i = 0; i < 4; ++i)
        t.nanoseconds = (t.nanoseconds << 8) | in[8 + i];
    return t;
}

void formatTai64n(const Tai64n &t, char out[tai64nTextSize])
{
    static constexpr char hex[] = "0123456789abcdef";
    unsigned char packed[12];
    packTai64n(t, packed);
    out[0] = '@';
    for (int i = 0; i < 12; ++i) {
        out[1 + 2 * i] = hex[packed[i] >> 4];
        out[2 + 2 * i] = hex[packed[i] & 15];
    }
}

static int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<Tai64n> parseTai64n(std::string_view text)
{
    if (text.size() != tai64nTextSize || text[0] != '@')
        return std::nullopt;
    unsigned char packed[12];
    for (int i = 0; i < 12; ++i) {
        const int hi = hexValue(text[1 + 2 * i]);
        const int lo = hexValue(text[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        packed[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return unpackTai64n(packed);
}

} // namespace tz
