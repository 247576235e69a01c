// SPDX-License-Identifier: MIT
// Decoding multilog lines: "@" + 24 hex digits (TAI64N), a blank, the text.
#include "logline.h"

namespace tz {

namespace {

int hexValue(char c)
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

LogLine decodeLogLine(const QByteArray &raw)
{
    QByteArray line = raw;
    if (line.endsWith('\n'))
        line.chop(1);
    LogLine out;
    if (line.size() >= 26 && line[0] == '@' && line[25] == ' ') {
        quint64 seconds = 0;
        quint32 nanos = 0;
        bool ok = true;
        for (int i = 1; i <= 24 && ok; ++i) {
            const int v = hexValue(line[i]);
            ok = v >= 0;
            if (i <= 16)
                seconds = (seconds << 4) | static_cast<quint64>(v);
            else
                nanos = (nanos << 4) | static_cast<quint32>(v);
        }
        // daemontools' label of Unix time t is 2^62 + 10 + t.
        constexpr quint64 epoch = (quint64{1} << 62) + 10;
        if (ok && seconds >= epoch && nanos < 1000000000u) {
            out.unixMs = static_cast<qint64>(seconds - epoch) * 1000 + nanos / 1000000;
            out.text = QString::fromUtf8(line.mid(26));
            return out;
        }
    }
    out.text = QString::fromUtf8(line);
    return out;
}

} // namespace tz
