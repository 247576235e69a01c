// SPDX-License-Identifier: MIT
// One multilog line split into its TAI64N stamp and its text, for the app's log views.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace tz {

struct LogLine {
    std::optional<qint64> unixMs; // from the "@" + 24 hex prefix that multilog t writes
    QString text;                 // the rest, without the stamp, its blank and the newline
};

// The "@" + 24 hex digits label as Unix milliseconds; nullopt when it is not a
// valid stamp or lies outside any plausible time (before 1970, past year 36812).
std::optional<qint64> decodeTai64nLabel(QByteArrayView label);
// Lines come from the descriptor OpenLog passes: bytes as the service wrote them,
// decoded as UTF-8 with invalid sequences replaced.
LogLine decodeLogLine(QByteArrayView raw);

} // namespace tz
