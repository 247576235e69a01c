// SPDX-License-Identifier: MIT
// Reading an envdir without changing directory, entry by entry as daemontools 0.76 does.
#include "envdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace tz {

namespace {

struct FdCloser {
    int fd;
    ~FdCloser()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

struct DirCloser {
    void operator()(DIR *d) const { ::closedir(d); }
};

// Reads the whole file; 0.76 reads it all before looking for the first newline,
// so a read error anywhere in the file is fatal.
Result<std::string> readAll(int fd, const std::string &action)
{
    std::string data;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failure(action);
        }
        if (n == 0)
            return data;
        data.append(buf, static_cast<size_t>(n));
    }
}

} // namespace

Result<std::vector<EnvDirEntry>> readEnvDir(const std::string &dir)
{
    // 0.76 does chdir(dir) then opendir("."): the first needs search permission on
    // dir, the second read permission, and each failure has its own message. Opening
    // with O_PATH and then "." inside it checks the same two things in that order.
    const int pathFd = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (pathFd < 0)
        return failure("switch to directory " + dir);
    FdCloser pathGuard{pathFd};
    const int searchFd = ::openat(pathFd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (searchFd < 0)
        return failure("switch to directory " + dir);
    ::close(searchFd);
    const int listFd = ::openat(pathFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (listFd < 0)
        return failure("read directory " + dir);
    std::unique_ptr<DIR, DirCloser> listing(::fdopendir(listFd));
    if (!listing) {
        const int err = errno;
        ::close(listFd);
        return failure("read directory " + dir, err);
    }

    std::vector<EnvDirEntry> entries;
    // The buffer outlives each entry on purpose: a name that does not exist reuses
    // what the previous entry left in it, as 0.76's static buffer does.
    std::string buffer;
    for (;;) {
        errno = 0;
        const dirent *d = ::readdir(listing.get());
        if (!d) {
            if (errno)
                return failure("read directory " + dir);
            break;
        }
        const std::string name = d->d_name;
        if (name.empty() || name[0] == '.')
            continue;
        const std::string readAction = "read " + dir + "/" + name;
        EnvDirEntry entry;
        entry.change.name = name;
        // O_NONBLOCK as in 0.76: a FIFO without a writer reads as empty instead of hanging.
        const int fd = ::openat(pathFd, name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            if (errno != ENOENT)
                return failure(readAction);
            entry.vanished = true;
        } else {
            FdCloser guard{fd};
            auto content = readAll(fd, readAction);
            if (!content)
                return content.error();
            buffer = std::move(*content);
        }
        if (!buffer.empty()) {
            buffer.resize(std::min(buffer.size(), buffer.find('\n')));
            while (!buffer.empty() && (buffer.back() == ' ' || buffer.back() == '\t'))
                buffer.pop_back();
            std::replace(buffer.begin(), buffer.end(), '\0', '\n');
            entry.change.value = buffer;
            // 0.76 terminates its buffer with a NUL that stays there for the next
            // entry to find when that one vanishes.
            buffer.push_back('\0');
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::vector<EnvChange> envChanges(const std::vector<EnvDirEntry> &entries)
{
    std::vector<EnvChange> changes;
    changes.reserve(entries.size());
    for (const EnvDirEntry &e : entries)
        changes.push_back(e.change);
    return changes;
}

} // namespace tz
