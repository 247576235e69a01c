// SPDX-License-Identifier: MIT
// Input for multilog that leaves bytes in the pipe until their output is written.
#include "logsource.h"

#include <cerrno>
#include <initializer_list>
#include <fcntl.h>
#include <unistd.h>

namespace tz {

LogSource::LogSource(int fd) : m_fd(fd)
{
#ifdef __linux__
    if (::fcntl(fd, F_GETPIPE_SZ) <= 0)
        return;
    if (::pipe2(m_copy, O_CLOEXEC) < 0)
        return;
    m_sink = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    m_tee = m_sink >= 0;
#endif
}

LogSource::~LogSource()
{
    for (const int fd : {m_copy[0], m_copy[1], m_sink})
        if (fd >= 0)
            ::close(fd);
}

ssize_t LogSource::fill(char *buf, std::size_t size)
{
    release();
#ifdef __linux__
    if (m_tee) {
        const ssize_t n = ::tee(m_fd, m_copy[1], size, 0);
        if (n < 0 && errno == EINVAL) {
            m_tee = false; // not a pipe after all, or no tee here: fall back to read
            return fill(buf, size);
        }
        if (n <= 0)
            return n;
        std::size_t got = 0;
        while (got < static_cast<std::size_t>(n)) {
            const ssize_t r = ::read(m_copy[0], buf + got, static_cast<std::size_t>(n) - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return -1;
            got += static_cast<std::size_t>(r);
        }
        m_held = got;
        return n;
    }
#endif
    return ::read(m_fd, buf, size);
}

void LogSource::release()
{
#ifdef __linux__
    while (m_held > 0) {
        const ssize_t n = ::splice(m_fd, nullptr, m_sink, nullptr, m_held, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // splice refused: read the bytes away instead, they are written already.
            char scratch[4096];
            const ssize_t r = ::read(m_fd, scratch, m_held < sizeof scratch ? m_held : sizeof scratch);
            if (r <= 0)
                break;
            m_held -= static_cast<std::size_t>(r);
            continue;
        }
        m_held -= static_cast<std::size_t>(n);
    }
#endif
    m_held = 0;
}

} // namespace tz
