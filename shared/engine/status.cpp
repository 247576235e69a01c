// SPDX-License-Identifier: MIT
// Packing, unpacking and atomic replacement of supervise/status.
#include "status.h"

#include "servicedir.h"

#include <fcntl.h>
#include <unistd.h>

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
    const auto bytes = encodeStatus(s);
    const int fd = ::openat(serviceDirFd, paths::statusNew, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0)
        return failure(std::string("open ") + paths::statusNew);
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    const int writeErr = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size()))
        return failure(std::string("write ") + paths::statusNew, n < 0 ? writeErr : ENOSPC);
    if (::renameat(serviceDirFd, paths::statusNew, serviceDirFd, paths::status) < 0)
        return failure(std::string("rename ") + paths::statusNew + " to " + paths::status);
    return Ok{};
}

Result<StatusRead> readStatusFile(int serviceDirFd)
{
    const int fd = ::openat(serviceDirFd, paths::status, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return failure(std::string("open ") + paths::status);
    unsigned char buf[64];
    std::size_t got = 0;
    while (got < sizeof buf) {
        const ssize_t n = ::read(fd, buf + got, sizeof buf - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            return failure(std::string("read ") + paths::status, err);
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return StatusRead{decodeStatus(std::span<const unsigned char>(buf, got))};
}

} // namespace tz
