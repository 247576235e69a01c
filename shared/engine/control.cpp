// SPDX-License-Identifier: MIT
// Probing supervise and writing commands to its control fifo.
#include "control.h"

#include "servicedir.h"

#include <optional>

#include <fcntl.h>
#include <unistd.h>

namespace tz {

namespace {

// ENXIO is the fifo's "no reader"; ENOENT/ENOTDIR mean there is no fifo to open.
std::optional<SuperviseState> classifyOpenError(int err)
{
    switch (err) {
    case ENXIO: return SuperviseState::NotRunning;
    case ENOENT:
    case ENOTDIR: return SuperviseState::Broken;
    default: return std::nullopt;
    }
}

} // namespace

Result<Reach> probeSupervise(int dirFd)
{
    const int fd = ::openat(dirFd, paths::ok, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (const auto state = classifyOpenError(err))
            return Reach{*state, err};
        return failure(std::string("open ") + paths::ok, err);
    }
    ::close(fd);
    return Reach{SuperviseState::Running, 0};
}

bool isControlLetter(char c) { return c != 0 && controlLetters.find(c) != std::string_view::npos; }

std::string dropRepeats(std::string_view letters)
{
    std::string out;
    for (const char c : letters)
        if (out.find(c) == std::string::npos)
            out.push_back(c);
    return out;
}

Result<Reach> sendCommands(int dirFd, std::string_view commands)
{
    const int fd = ::openat(dirFd, paths::control, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (const auto state = classifyOpenError(err))
            return Reach{*state, err};
        return failure(std::string("open ") + paths::control, err);
    }
    // Non-blocking only to not hang on a fifo without reader; once open, a full
    // fifo should make us wait for supervise rather than drop commands.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    while (!commands.empty()) {
        const ssize_t n = ::write(fd, commands.data(), commands.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            return failure(controlWriteAction, err);
        }
        commands.remove_prefix(static_cast<std::size_t>(n));
    }
    ::close(fd);
    return Reach{SuperviseState::Running, 0};
}

} // namespace tz
