// SPDX-License-Identifier: MIT
// The fault suite's service: numbered fixed-width lines as fast as the pipe takes them.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

// Each line is 64 bytes (or argv[1], up to 4096): a 12-digit sequence number, the
// 10-digit pid of this run and a filler (the alphabet again and again), so a torn,
// repeated or foreign line is recognised at once. As many whole lines as fit go in
// one write(2) of at most 4096 bytes (PIPE_BUF): whole lines, atomically.
int main(int argc, char **argv)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM";
    constexpr int alphabetSize = sizeof alphabet - 1;
    const int length = argc > 1 ? std::atoi(argv[1]) : 64;
    if (length < 64 || length > 4096)
        return 100;
    const int perWrite = 4096 / length;
    static char block[4096];
    for (int i = 0; i < perWrite; ++i)
        for (int k = 24; k < length - 1; ++k)
            block[length * i + k] = alphabet[(k - 24) % alphabetSize];
    const int pid = static_cast<int>(::getpid());
    unsigned long long seq = 0;
    const std::size_t size = static_cast<std::size_t>(perWrite * length);
    for (;;) {
        for (int i = 0; i < perWrite; ++i) {
            char *line = block + length * i;
            char head[25];
            std::snprintf(head, sizeof head, "%012llu %010d ", ++seq, pid);
            std::memcpy(line, head, 24);
            line[length - 1] = '\n';
        }
        std::size_t done = 0;
        while (done < size) {
            const ssize_t w = ::write(1, block + done, size - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return 111;
            done += static_cast<std::size_t>(w);
        }
    }
}
