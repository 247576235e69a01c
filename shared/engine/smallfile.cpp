// SPDX-License-Identifier: MIT
// Reading a small file whole and replacing one atomically, relative to a directory fd.
#include "smallfile.h"

#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace tz {

Result<std::vector<unsigned char>> readSmallFile(int dirFd, const char *path, std::size_t limit)
{
    // O_NONBLOCK: a fifo planted where a file should be must not hang the reader.
    const int fd = ::openat(dirFd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return failure(std::string("open ") + path);
    std::vector<unsigned char> buf(limit);
    std::size_t got = 0;
    while (got < limit) {
        const ssize_t n = ::read(fd, buf.data() + got, limit - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            return failure(std::string("read ") + path, err);
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    buf.resize(got);
    return buf;
}

Done replaceFile(int dirFd, const char *tmpPath, const char *path, std::span<const unsigned char> bytes)
{
    const int fd = ::openat(dirFd, tmpPath, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0)
        return failure(std::string("open ") + tmpPath);
    if (!writeAll(fd, std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()))) {
        const int err = errno;
        ::close(fd);
        return failure(std::string("write ") + tmpPath, err);
    }
    ::close(fd);
    if (::renameat(dirFd, tmpPath, dirFd, path) < 0)
        return failure(std::string("rename ") + tmpPath + " to " + path);
    return Ok{};
}

} // namespace tz
