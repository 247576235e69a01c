// SPDX-License-Identifier: MIT
// Decoding of multilog lines: TAI64N prefix to Unix milliseconds.
#include "logline.h"

namespace tz {

namespace {
constexpr quint64 tai64Epoch = (quint64{1} << 62) + 10;
constexpr qsizetype stampSize = 25; // "@" + 24 hex digits

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
} // namespace

std::optional<qint64> decodeTai64nLabel(QByteArrayView hex)
{
    if (hex.size() != stampSize || hex[0] != '@')
        return std::nullopt;
    quint64 seconds = 0;
    quint32 nanoseconds = 0;
    for (qsizetype i = 1; i < stampSize; ++i) {
        const int d = hexDigit(hex[i]);
        if (d < 0)
            return std::nullopt;
        if (i <= 16)
            seconds = (seconds << 4) | static_cast<quint64>(d);
        else
            nanoseconds = (nanoseconds << 4) | static_cast<quint32>(d);
    }
    if (seconds < tai64Epoch || nanoseconds > 999999999u)
        return std::nullopt;
    const quint64 unixSeconds = seconds - tai64Epoch;
    if (unixSeconds > quint64{1} << 40)
        return std::nullopt;
    return static_cast<qint64>(unixSeconds) * 1000 + nanoseconds / 1000000;
}

LogLine decodeLogLine(QByteArrayView raw)
{
    while (!raw.isEmpty() && (raw.back() == '\n' || raw.back() == '\r'))
        raw.chop(1);
    LogLine line;
    if (raw.size() >= stampSize) {
        line.unixMs = decodeTai64nLabel(raw.first(stampSize));
        if (line.unixMs) {
            raw = raw.sliced(stampSize);
            if (!raw.isEmpty() && raw.front() == ' ')
                raw = raw.sliced(1);
        }
    }
    line.text = QString::fromUtf8(raw);
    return line;
}

} // namespace tz
