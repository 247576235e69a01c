// SPDX-License-Identifier: MIT
// Fuzzes tai64nlocal's label conversion: only "@" + 24 lowercase hex not followed by hex is replaced, in 0.76's shape.
#include "fuzzcheck.h"
#include "localstamp.h"
#include "tai64n.h"

#include <cstdlib>
#include <ctime>

using namespace tz;

namespace {

bool lowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // A fixed zone with daylight saving, so findings reproduce on any machine.
    ::setenv("TZ", "Europe/Berlin", 1);
    ::tzset();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > localStampLookahead)
        return 0;
    const std::string head(reinterpret_cast<const char *>(data), size);
    const auto out = localStamp(head);
    bool label = size >= tai64nTextSize && head[0] == '@';
    for (std::size_t i = 1; label && i < tai64nTextSize; ++i)
        label = lowerHex(head[i]);
    if (size > tai64nTextSize && lowerHex(head[tai64nTextSize]))
        label = false;
    if (!label) {
        FUZZ_CHECK(!out);
        return 0;
    }
    if (!out)
        return 0; // outside the C library's calendar: left as it is
    // "YYYY-MM-DD HH:MM:SS.NNNNNNNNN" with a year of one or more digits.
    const std::string &s = *out;
    const std::size_t dash = s.find('-');
    FUZZ_CHECK(dash != std::string::npos && dash >= 1);
    for (std::size_t i = 0; i < dash; ++i)
        FUZZ_CHECK(digit(s[i]));
    const std::string_view rest = std::string_view(s).substr(dash);
    FUZZ_CHECK(rest.size() >= 25);
    const char *shape = "-dd-dd dd:dd:dd.ddddddddd";
    for (std::size_t i = 0; i < 25; ++i)
        FUZZ_CHECK(shape[i] == 'd' ? digit(rest[i]) : rest[i] == shape[i]);
    for (std::size_t i = 25; i < rest.size(); ++i)
        FUZZ_CHECK(digit(rest[i]));
    return 0;
}
