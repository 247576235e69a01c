// SPDX-License-Identifier: MIT
// Packing, unpacking and atomic replacement of supervise/status.
#include "status.h"

#include "servicedir.h"
#include "smallfile.h"

namespace tz {

std::array<unsigned char, statusSize> encodeStatus(const ServiceStatus &s)
{
    std::array<unsigned char, statusSize> out{};
    packTai64n(s.since, out.data());
    for (int i = 0; i < 4; ++i)
        out[12 + i] = static_cast<unsigned char>(s.pid >> (8 * i));
    out[16] = (s.pid != 0 && s.paused) ? 1 : 0;
    out[17] = static_cast<unsigned char>(s.want);
    return out;
}

std::optional<ServiceStatus> decodeStatus(std::span<const unsigned char> bytes)
{
    if (bytes.size() < statusSize)
        return std::nullopt;
    ServiceStatus s;
    s.since = unpackTai64n(bytes.data());
    s.pid = 0;
    for (int i = 3; i >= 0; --i)
        s.pid = (s.pid << 8) | bytes[12 + static_cast<std::size_t>(i)];
    s.paused = bytes[16] != 0;
    switch (bytes[17]) {
    case 'u': s.want = Want::Up; break;
    case 'd': s.want = Want::Down; break;
    default: s.want = Want::Once; break;
    }
    return s;
}

Done writeStatusFile(int serviceDirFd, const ServiceStatus &s)
{
    return replaceFile(serviceDirFd, paths::statusNew, paths::status, encodeStatus(s));
}

Result<StatusRead> readStatusFile(int serviceDirFd)
{
    // 64 bytes: longer records (runit's 20) are fine, only the first 18 count.
    auto bytes = readSmallFile(serviceDirFd, paths::status, 64);
    if (!bytes)
        return bytes.error();
    return StatusRead{decodeStatus(*bytes)};
}

} // namespace tz
