// SPDX-License-Identifier: MIT
// Resource limits for softlimit, with 0.76's number parsing and hard-limit clamp.
#include "resourcelimits.h"

#include <sys/resource.h>

#include <array>

namespace tz {

std::span<const int> limitResources(char letter)
{
    static constexpr std::array<int, 1> as{RLIMIT_AS};
    static constexpr std::array<int, 1> core{RLIMIT_CORE};
    static constexpr std::array<int, 1> data{RLIMIT_DATA};
    static constexpr std::array<int, 1> fsize{RLIMIT_FSIZE};
    static constexpr std::array<int, 1> memlock{RLIMIT_MEMLOCK};
    static constexpr std::array<int, 4> memory{RLIMIT_DATA, RLIMIT_STACK, RLIMIT_MEMLOCK, RLIMIT_AS};
    static constexpr std::array<int, 1> nofile{RLIMIT_NOFILE};
    static constexpr std::array<int, 1> nproc{RLIMIT_NPROC};
    static constexpr std::array<int, 1> rss{RLIMIT_RSS};
    static constexpr std::array<int, 1> stack{RLIMIT_STACK};
    static constexpr std::array<int, 1> cpu{RLIMIT_CPU};
    switch (letter) {
    case 'a': return as;
    case 'c': return core;
    case 'd': return data;
    case 'f': return fsize;
    case 'l': return memlock;
    case 'm': return memory;
    case 'o': return nofile;
    case 'p': return nproc;
    case 'r': return rss;
    case 's': return stack;
    case 't': return cpu;
    default: return {};
    }
}

std::optional<LimitValue> parseLimitValue(std::string_view text)
{
    if (text == "=")
        return LimitValue{true, 0};
    unsigned long amount = 0;
    size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
        amount = amount * 10 + static_cast<unsigned long>(text[i] - '0'); // wraps, as in 0.76
    if (i != text.size())
        return std::nullopt;
    return LimitValue{false, amount};
}

Done applySoftLimit(int resource, LimitValue value)
{
    // glibc's C++ prototypes take an enum rather than an int.
    const auto which = static_cast<__rlimit_resource_t>(resource);
    rlimit r{};
    if (::getrlimit(which, &r) == -1)
        return failure("getrlimit failed");
    if (value.hard)
        r.rlim_cur = r.rlim_max;
    else
        r.rlim_cur = value.amount < r.rlim_max ? value.amount : r.rlim_max;
    if (::setrlimit(which, &r) == -1)
        return failure("setrlimit failed");
    return Ok{};
}

} // namespace tz
