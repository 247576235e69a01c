// SPDX-License-Identifier: MIT
// softlimit's resource options: which limits each letter sets and how a value is read.
#pragma once

#include "diag.h"

#include <optional>
#include <span>
#include <string_view>

namespace tz {

// A requested soft limit: a number (clamped to the hard limit) or the hard limit itself ("=").
struct LimitValue {
    bool hard = false;
    unsigned long amount = 0;
};

// The option letters softlimit accepts, in getopt form.
inline constexpr std::string_view softlimitOptions = "a:c:d:f:l:m:o:p:r:s:t:";

// The RLIMIT_* resources an option letter sets, in the order 0.76 sets them
// (-m sets data, stack, locked memory and address space).
std::span<const int> limitResources(char letter);

// "=" or a decimal number. Like 0.76, an empty string is 0, digits wrap around on
// overflow, and anything else after the digits is refused.
std::optional<LimitValue> parseLimitValue(std::string_view text);

// Lowers (or raises, up to the hard limit) the soft limit of resource. Failures
// are "getrlimit failed" or "setrlimit failed", the words softlimit prints.
Done applySoftLimit(int resource, LimitValue value);

} // namespace tz
