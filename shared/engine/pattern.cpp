// SPDX-License-Identifier: MIT
// daemontools' '*' pattern matching for multilog's + and - actions.
#include "pattern.h"

namespace tz {

bool matchPattern(std::string_view pattern, std::string_view text)
{
    std::size_t p = 0;
    std::size_t t = 0;
    while (p < pattern.size()) {
        const char ch = pattern[p++];
        if (ch == '*') {
            if (p == pattern.size())
                return true;
            const std::size_t stop = text.find(pattern[p], t);
            if (stop == std::string_view::npos)
                return false;
            t = stop; // the byte after the star is matched in the next round
            continue;
        }
        if (t == text.size() || text[t] != ch)
            return false;
        ++t;
    }
    return t == text.size();
}

} // namespace tz
