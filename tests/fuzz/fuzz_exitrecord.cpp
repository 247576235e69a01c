// SPDX-License-Identifier: MIT
// Fuzzes the supervise/exits decoder: never reads past the input, bounded output, and a stable re-encoding.
#include "exitrecord.h"
#include "fuzzcheck.h"

#include <vector>

using namespace tz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::vector<unsigned char> bytes(data, data + size);
    const ExitLog log = decodeExitLog(bytes);
    FUZZ_CHECK(log.records.size() <= exitsKept);
    FUZZ_CHECK(log.total >= log.records.size());
    for (const ExitRecord &r : log.records) {
        FUZZ_CHECK(static_cast<unsigned>(r.kind) <= static_cast<unsigned>(ExitKind::Unknown));
        FUZZ_CHECK(r.started.nanoseconds < 1000000000u && r.ended.nanoseconds < 1000000000u);
        // How long it ran is defined for any stamps (saturating), and exact when small.
        const std::uint64_t ran = r.ranMs();
        if (r.ended < r.started)
            FUZZ_CHECK(ran == 0);
        else if (r.ended.seconds - r.started.seconds < (std::uint64_t{1} << 32)) {
            const auto nanos = static_cast<std::int64_t>(r.ended.seconds - r.started.seconds) * 1000000000
                + (std::int64_t(r.ended.nanoseconds) - std::int64_t(r.started.nanoseconds));
            FUZZ_CHECK(ran == static_cast<std::uint64_t>(nanos / 1000000) || ran + 1 == static_cast<std::uint64_t>(nanos / 1000000) || ran == static_cast<std::uint64_t>(nanos / 1000000) + 1);
        }
    }
    if (size == 0)
        FUZZ_CHECK(!log.damaged && log.records.empty());

    // What we write we read back whole and undamaged, and writing it again is the same bytes.
    const std::vector<unsigned char> encoded = encodeExitLog(log);
    FUZZ_CHECK(encoded.size() == exitsHeaderSize + log.records.size() * exitRecordSize);
    const ExitLog again = decodeExitLog(encoded);
    FUZZ_CHECK(!again.damaged);
    FUZZ_CHECK(again.records == log.records);
    FUZZ_CHECK(again.total == log.total);
    FUZZ_CHECK(encodeExitLog(again) == encoded);

    // A well-formed file of our own version and size round-trips byte for byte.
    if (!log.damaged && size >= exitsHeaderSize && bytes[5] == exitRecordSize) {
        std::uint64_t total = 0;
        for (std::size_t i = 8; i < 16; ++i)
            total = (total << 8) | bytes[i];
        const std::size_t count = std::size_t{bytes[6]} << 8 | bytes[7];
        bool canonical = count <= exitsKept && total >= count && size == exitsHeaderSize + count * exitRecordSize;
        for (std::size_t i = 0; canonical && i < count; ++i) {
            const unsigned char *p = bytes.data() + exitsHeaderSize + i * exitRecordSize;
            canonical = (p[30] & ~7u) == 0;
            for (std::size_t k = 32; k < exitRecordSize; ++k)
                canonical = canonical && p[k] == 0;
        }
        if (canonical)
            FUZZ_CHECK(encoded == bytes);
    }
    return 0;
}
