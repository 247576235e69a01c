// SPDX-License-Identifier: MIT
// Fuzzes the TAI64N label parser: exactly "@" + 24 hex digits is accepted, and it prints back as it was read.
#include "fuzzcheck.h"
#include "tai64n.h"

#include <cctype>
#include <cstring>

using namespace tz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string copy(reinterpret_cast<const char *>(data), size);
    const auto t = parseTai64n(copy);
    bool wellFormed = size == tai64nTextSize && copy[0] == '@';
    for (std::size_t i = 1; wellFormed && i < size; ++i)
        wellFormed = std::isxdigit(static_cast<unsigned char>(copy[i])) != 0;
    FUZZ_CHECK(t.has_value() == wellFormed);
    if (!t)
        return 0;

    char text[tai64nTextSize];
    formatTai64n(*t, text);
    for (std::size_t i = 0; i < tai64nTextSize; ++i)
        FUZZ_CHECK(text[i] == static_cast<char>(std::tolower(static_cast<unsigned char>(copy[i]))));

    unsigned char packed[12];
    packTai64n(*t, packed);
    FUZZ_CHECK(unpackTai64n(packed) == *t);
    const auto again = parseTai64n(std::string_view(text, tai64nTextSize));
    FUZZ_CHECK(again && *again == *t);
    // Whatever the label, toUnix is a valid timespec whose milliseconds fit 64 bits
    // (the helper and the app compute them), and it keeps every time Unix can hold.
    const timespec ts = t->toUnix();
    FUZZ_CHECK(ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
    std::int64_t ms = 0;
    FUZZ_CHECK(!__builtin_mul_overflow(std::int64_t{ts.tv_sec}, 1000, &ms));
    FUZZ_CHECK(!__builtin_add_overflow(ms, ts.tv_nsec / 1000000, &ms));
    if (t->seconds >= tai64Epoch && t->seconds - tai64Epoch < (std::uint64_t{1} << 53) && t->nanoseconds < 1000000000u)
        FUZZ_CHECK(Tai64n::fromUnix(ts) == *t);
    return 0;
}
