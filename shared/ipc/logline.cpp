// SPDX-License-Identifier: MIT
// Decoding multilog lines: "@" + 24 hex digits (TAI64N), a blank, the text.
#include "logline.h"

#include "tai64n.h"

#include <string_view>

namespace tz {

std::optional<qint64> decodeTai64nLabel(QByteArrayView label)
{
    const auto stamp = parseTai64n(std::string_view(label.data(), static_cast<std::size_t>(label.size())));
    if (!stamp || stamp->seconds < tai64Epoch || stamp->nanoseconds > 999999999u)
        return std::nullopt;
    const std::uint64_t unixSeconds = stamp->seconds - tai64Epoch;
    if (unixSeconds > std::uint64_t{1} << 40)
        return std::nullopt;
    return static_cast<qint64>(unixSeconds) * 1000 + stamp->nanoseconds / 1000000;
}

LogLine decodeLogLine(QByteArrayView raw)
{
    while (!raw.isEmpty() && (raw.back() == '\n' || raw.back() == '\r'))
        raw.chop(1);
    LogLine line;
    if (raw.size() >= qsizetype(tai64nTextSize)) {
        line.unixMs = decodeTai64nLabel(raw.first(qsizetype(tai64nTextSize)));
        if (line.unixMs) {
            raw = raw.sliced(qsizetype(tai64nTextSize));
            if (!raw.isEmpty() && raw.front() == ' ')
                raw = raw.sliced(1);
        }
    }
    line.text = QString::fromUtf8(raw);
    return line;
}

} // namespace tz
