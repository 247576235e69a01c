// SPDX-License-Identifier: MIT
// multilog's line patterns: literal bytes and '*', exactly as daemontools 0.76 matches them.
#pragma once

#include <string_view>

namespace tz {

// True when the whole of text matches pattern. Every byte of the pattern matches
// itself, except '*': a trailing '*' matches the rest of the text, and any other
// '*' skips text up to (not past) the next occurrence of the byte that follows it
// in the pattern. There is no backtracking, so "*a" does not match "aab" and
// "a*b*" matches "axbybz" only up to the first 'b' after "a". Users' existing
// multilog scripts rely on these rules; keep them.
bool matchPattern(std::string_view pattern, std::string_view text);

} // namespace tz
