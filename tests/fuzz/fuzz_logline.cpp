// SPDX-License-Identifier: MIT
// Fuzzes the app's log-line decoder (bytes from OpenLog's descriptor): a stamp is taken only from a valid label, the text is the rest.
#include "fuzzcheck.h"
#include "logline.h"
#include "tai64n.h"

using namespace tz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray raw(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const LogLine line = decodeLogLine(raw);
    if (line.unixMs) {
        FUZZ_CHECK(size >= tai64nTextSize && raw.front() == '@');
        FUZZ_CHECK(parseTai64n(std::string_view(raw.constData(), tai64nTextSize)).has_value());
        FUZZ_CHECK(*line.unixMs >= 0);
        FUZZ_CHECK(decodeTai64nLabel(QByteArrayView(raw.constData(), tai64nTextSize)) == line.unixMs);
    }
    // The text never grows beyond what was read (U+FFFD stands for each bad byte at most).
    FUZZ_CHECK(line.text.size() <= static_cast<qsizetype>(size));
    const auto label = decodeTai64nLabel(raw.left(tai64nTextSize));
    if (label)
        FUZZ_CHECK(*label >= 0);
    return 0;
}
