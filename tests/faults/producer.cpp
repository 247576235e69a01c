// SPDX-License-Identifier: MIT
// The fault suite's service: numbered fixed-width lines as fast as the pipe takes them.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

// Each line is 64 bytes: a 12-digit sequence number, the 10-digit pid of this run
// and a fixed filler, so a torn, repeated or foreign line is recognised at once.
// 64 lines go in one write(2) of 4096 bytes (PIPE_BUF): whole lines, atomically.
int main()
{
    static const char filler[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM";
    static_assert(sizeof filler - 1 == 39);
    char block[64 * 64];
    const int pid = static_cast<int>(::getpid());
    unsigned long long seq = 0;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            char *line = block + 64 * i;
            std::snprintf(line, 25, "%012llu %010d ", ++seq, pid);
            std::memcpy(line + 24, filler, 39);
            line[63] = '\n';
        }
        std::size_t done = 0;
        while (done < sizeof block) {
            const ssize_t w = ::write(1, block + done, sizeof block - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return 111;
            done += static_cast<std::size_t>(w);
        }
    }
}
