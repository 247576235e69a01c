// SPDX-License-Identifier: MIT
// Fuzzes the 18-byte supervise/status decoder: re-encoding keeps every field the format keeps, and canonical records round-trip.
#include "fuzzcheck.h"
#include "status.h"

#include <cstring>
#include <vector>

using namespace tz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // An exact-size copy, so ASan catches any read past the record.
    const std::vector<unsigned char> bytes(data, data + size);
    const auto s = decodeStatus(bytes);
    FUZZ_CHECK(s.has_value() == (size >= statusSize));
    if (!s)
        return 0;
    const auto encoded = encodeStatus(*s);
    const auto again = decodeStatus(encoded);
    // The format keeps "paused" only while something runs: 0.76 writes byte 16 as
    // 0 for a down service, and svstat ignores it then.
    ServiceStatus expected = *s;
    expected.paused = s->paused && s->pid != 0;
    FUZZ_CHECK(again && *again == expected);
    // Bytes 0..15 are kept as they are; 16 and 17 are normalised to what 0.76 writes.
    FUZZ_CHECK(std::memcmp(encoded.data(), bytes.data(), 16) == 0);
    const bool canonical = bytes[16] <= (s->pid != 0 ? 1 : 0) && (bytes[17] == 0 || bytes[17] == 'u' || bytes[17] == 'd');
    if (canonical)
        FUZZ_CHECK(std::memcmp(encoded.data(), bytes.data(), statusSize) == 0);
    FUZZ_CHECK(s->paused == (bytes[16] != 0));
    return 0;
}
