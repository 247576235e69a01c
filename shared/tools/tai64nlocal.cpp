// SPDX-License-Identifier: MIT
// tai64nlocal: turns a leading TAI64N label of each line into local date and time, as daemontools 0.76.
#include "diag.h"
#include "localstamp.h"

#include <cstring>
#include <string>
#include <unistd.h>

namespace {

constexpr std::size_t readSize = 64 * 1024;

char input[readSize];
std::string output;

// 0.76 exits 111 without a word when it cannot read or write.
void flushOutput()
{
    if (!tz::writeAll(1, output))
        ::_exit(tz::exitTemporary);
    output.clear();
}

// The first bytes of the current line, held until they decide whether it
// starts with a label.
std::string head;
bool inHead = true;

void settleHead()
{
    if (auto local = tz::localStamp(head)) {
        output.append(*local);
        output.append(head, tz::localStampLookahead - 1);
    } else {
        output.append(head);
    }
    head.clear();
}

} // namespace

int main()
{
    output.reserve(2 * readSize);
    for (;;) {
        const long r = tz::readSome(0, input, sizeof input);
        if (r < 0)
            ::_exit(tz::exitTemporary);
        if (r == 0)
            break;
        const char *p = input;
        const char *const end = input + r;
        while (p < end) {
            if (inHead) {
                while (p < end && head.size() < tz::localStampLookahead) {
                    head.push_back(*p++);
                    if (head.back() == '\n' || head.front() != '@')
                        break;
                }
                const bool lineEnded = head.back() == '\n';
                if (lineEnded || head.front() != '@' || head.size() == tz::localStampLookahead) {
                    settleHead();
                    inHead = lineEnded;
                }
                continue;
            }
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
            const char *stop = nl ? nl + 1 : end;
            output.append(p, static_cast<std::size_t>(stop - p));
            p = stop;
            inHead = nl != nullptr;
        }
        flushOutput();
    }
    if (inHead && !head.empty())
        settleHead();
    flushOutput();
    return 0;
}
