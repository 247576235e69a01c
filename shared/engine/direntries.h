// SPDX-License-Identifier: MIT
// One directory walk for the engine and the helper: readdir over a descriptor, without a path.
#pragma once

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace tz {

// Calls visit(entry) for each entry of dirFd until it returns false. false with
// errno set when the directory cannot be opened or read, or when the visit that
// stopped left errno set (a failed unlink, say).
template <class Visit>
bool forEachEntry(int dirFd, Visit &&visit)
{
    const int fd = ::openat(dirFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    DIR *d = ::fdopendir(fd);
    if (!d) {
        ::close(fd);
        return false;
    }
    int err = 0;
    for (;;) {
        errno = 0;
        const dirent *e = ::readdir(d);
        if (!e) {
            err = errno;
            break;
        }
        if (!visit(*e)) {
            err = errno; // what stopped the visit, if it failed
            break;
        }
    }
    ::closedir(d);
    errno = err;
    return err == 0;
}

} // namespace tz
