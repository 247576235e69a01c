// SPDX-License-Identifier: MIT
// Decoding one line of a multilog file: the optional TAI64N label and the text.
#pragma once

#include <QByteArray>
#include <QString>

namespace tz {

struct LogLine {
    qint64 unixMs = 0; // 0 when the line has no "@…" label (multilog without t)
    QString text;      // the rest, without the label, its blank and the newline
};

// Lines come from the descriptor OpenLog passes: bytes as the service wrote them,
// decoded as UTF-8 with invalid sequences replaced.
LogLine decodeLogLine(const QByteArray &line);

} // namespace tz
