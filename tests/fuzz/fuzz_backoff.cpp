// SPDX-License-Identifier: MIT
// Fuzzes the backoff file parser and the backoff-state decoder: bounds hold, and state records round-trip.
#include "backoff.h"
#include "fuzzcheck.h"

#include <charconv>
#include <vector>

using namespace tz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    const auto config = parseBackoffConfig(text);
    if (config) {
        FUZZ_CHECK(config->maxSeconds >= 1 && config->maxSeconds <= 86400);
        FUZZ_CHECK(config->stableSeconds >= 1 && config->stableSeconds <= 86400);
        // One line only: nothing but blanks after the first newline.
        const std::size_t nl = text.find('\n');
        if (nl != std::string::npos)
            FUZZ_CHECK(text.find_first_not_of(" \t\r\n", nl) == std::string::npos);
        // The pause grows to max and never beyond it, whatever happens.
        Backoff b;
        std::uint64_t last = 0;
        for (int i = 0; i < 40; ++i) {
            const std::uint64_t pause = b.onDeath(0, *config);
            FUZZ_CHECK(pause >= last && pause <= std::uint64_t{config->maxSeconds} * 1000 && pause >= 1);
            last = pause;
        }
        FUZZ_CHECK(b.onDeath(std::uint64_t{config->stableSeconds} * 1000, *config) == 0);
    } else {
        FUZZ_CHECK(config.error().err == EINVAL);
    }

    const std::vector<unsigned char> bytes(data, data + size);
    if (const auto state = decodeBackoffState(bytes)) {
        const auto encoded = encodeBackoffState(*state);
        const auto again = decodeBackoffState(encoded);
        FUZZ_CHECK(again && *again == *state);
    }
    return 0;
}
