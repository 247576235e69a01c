// SPDX-License-Identifier: MIT
// readproctitle io-name ....: shows the tail of its standard input in its own argv, for ps to display.
//
// The last argument is the display buffer: it is overwritten with dots at once, and
// every byte read (NUL bytes excepted) is appended at its end, pushing the oldest one
// out. The first three bytes stay dots so that the tail is always marked as one.
// Like 0.76 it prints nothing: fewer than one argument or a buffer shorter than five
// bytes exits 100, end of input exits 0, a read error 111.
#include "diag.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return tz::exitUsage;
    char *title = argv[argc - 1];
    const std::size_t len = std::strlen(title);
    std::memset(title, '.', len);
    if (len < 5)
        return tz::exitUsage;

    char buf[256];
    for (;;) {
        const ssize_t n = ::read(0, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return tz::exitTemporary;
        }
        for (ssize_t i = 0; i < n; ++i) {
            if (!buf[i])
                continue;
            std::memmove(title + 3, title + 4, len - 4);
            title[len - 1] = buf[i];
        }
    }
}
