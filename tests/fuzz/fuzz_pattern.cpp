// SPDX-License-Identifier: MIT
// Fuzzes multilog's pattern matcher against daemontools 0.76's match.c, transcribed as the oracle.
#include "fuzzcheck.h"
#include "pattern.h"

using namespace tz;

namespace {

// match() of daemontools 0.76 (match.c), byte for byte: the pattern is a C string,
// the text a buffer with a length.
int match076(const char *pattern, const char *buf, unsigned int len)
{
    char ch;
    for (;;) {
        ch = *pattern++;
        if (!ch)
            return !len;
        if (ch == '*') {
            ch = *pattern;
            if (!ch)
                return 1;
            for (;;) {
                if (!len)
                    return 0;
                if (*buf == ch)
                    break;
                ++buf;
                --len;
            }
            continue;
        }
        if (!len)
            return 0;
        if (*buf != ch)
            return 0;
        ++buf;
        --len;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // pattern NUL text: a pattern comes from argv, so it never holds a NUL; a line can.
    const std::string_view in = fuzz::asText(data, size);
    const std::size_t cut = in.find('\0');
    if (cut == std::string_view::npos)
        return 0;
    const std::string pattern(in.substr(0, cut));
    const std::string text(in.substr(cut + 1));
    const bool ours = matchPattern(pattern, text);
    const bool theirs = match076(pattern.c_str(), text.data(), static_cast<unsigned int>(text.size())) != 0;
    FUZZ_CHECK(ours == theirs);
    if (pattern.find('*') == std::string::npos)
        FUZZ_CHECK(ours == (pattern == text));
    return 0;
}
