// SPDX-License-Identifier: MIT
// tai64n: puts a TAI64N label ("@" + 24 hex digits and a space) before each line, as daemontools 0.76.
#include "diag.h"
#include "tai64n.h"

#include <cstring>
#include <unistd.h>

namespace {

constexpr std::size_t readSize = 64 * 1024;
constexpr std::size_t labelSize = tz::tai64nTextSize + 1;
// Worst case: every input byte is a newline and starts a labelled line.
constexpr std::size_t outSize = readSize * (labelSize + 1);

char input[readSize];
char output[outSize];

// 0.76 exits 111 without a word when it cannot read or write.
void writeAll(const char *p, std::size_t n)
{
    if (!tz::writeAll(1, std::string_view(p, n)))
        ::_exit(tz::exitTemporary);
}

} // namespace

int main()
{
    // A line is labelled with the time of the read(2) that brought its first
    // byte; 0.76 reads the clock per line, which within one read is the same.
    bool atLineStart = true;
    for (;;) {
        const long r = tz::readSome(0, input, sizeof input);
        if (r < 0)
            ::_exit(tz::exitTemporary);
        if (r == 0)
            ::_exit(0);
        char label[labelSize];
        tz::formatTai64n(tz::Tai64n::now(), label);
        label[tz::tai64nTextSize] = ' ';
        const char *p = input;
        const char *const end = input + r;
        std::size_t out = 0;
        while (p < end) {
            if (atLineStart) {
                std::memcpy(output + out, label, labelSize);
                out += labelSize;
            }
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
            const char *stop = nl ? nl + 1 : end;
            std::memcpy(output + out, p, static_cast<std::size_t>(stop - p));
            out += static_cast<std::size_t>(stop - p);
            atLineStart = nl != nullptr;
            p = stop;
        }
        writeAll(output, out);
    }
}
