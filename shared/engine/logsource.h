// SPDX-License-Identifier: MIT
// multilog's input: bytes taken from the pipe only once what they became is written.
#pragma once

#include <cstddef>
#include <sys/types.h>

namespace tz {

// Reading a pipe removes the bytes from it, so a logger killed between read(2)
// and write(2) would lose them. When the input is a pipe, LogSource copies the
// bytes out with tee(2), which leaves them in the pipe, and removes them only
// when the caller says they are safely written (release()). A logger killed in
// between leaves them to the next logger on the same pipe (svscan keeps it
// open), which then writes them a second time: duplication in a window of one
// splice(2) call instead of loss in the window of processing and writing.
// Input that is not a pipe is simply read.
class LogSource {
public:
    explicit LogSource(int fd);
    ~LogSource();
    LogSource(const LogSource &) = delete;
    LogSource &operator=(const LogSource &) = delete;

    // Up to size bytes, blocking until there are some: > 0 bytes, 0 at end of
    // input, -1 on error (errno set). Until release(), the bytes stay in the pipe.
    ssize_t fill(char *buf, std::size_t size);
    // The bytes of the last fill() are written: take them out of the pipe.
    void release();

    int fd() const { return m_fd; }

private:
    int m_fd;
    int m_copy[2] = {-1, -1}; // private pipe that tee(2) copies into
    int m_sink = -1;          // /dev/null, where released bytes are spliced
    bool m_tee = false;
    std::size_t m_held = 0;   // bytes filled but not yet released
};

} // namespace tz
