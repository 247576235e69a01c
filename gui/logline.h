// SPDX-License-Identifier: MIT
// One multilog line split into its TAI64N stamp and its text.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace tz {

struct LogLine {
    std::optional<qint64> unixMs; // from the "@" + 24 hex prefix that multilog t writes
    QString text;                 // the rest, without the stamp and its space
};

// multilog t writes "@" + 8 bytes TAI64 seconds + 4 bytes nanoseconds, as 24 hex digits,
// then one space. The TAI64 label of Unix time t is 2^62 + 10 + t (daemontools ignores
// leap seconds), so the conversion back is a subtraction.
std::optional<qint64> decodeTai64nLabel(QByteArrayView hex);
LogLine decodeLogLine(QByteArrayView raw);

} // namespace tz
