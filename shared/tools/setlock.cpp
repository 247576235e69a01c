// SPDX-License-Identifier: MIT
// setlock: runs a program while holding an exclusive flock on a file.
#include "chainload.h"
#include "diag.h"
#include "shortopts.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("setlock");
    constexpr std::string_view usage = "setlock [ -nNxX ] file program [ arg ... ]";
    bool noDelay = false; // -n: give up at once instead of waiting for the lock
    bool quiet = false;   // -x: exit 0 without a word if the file cannot be opened or locked
    tz::ShortOptions options(argc, argv, "nNxX");
    for (auto e = options.next(); e.kind != tz::ShortOptions::Kind::End; e = options.next()) {
        switch (e.kind == tz::ShortOptions::Kind::Option ? e.letter : '?') {
        case 'n': noDelay = true; break;
        case 'N': noDelay = false; break;
        case 'x': quiet = true; break;
        case 'X': quiet = false; break;
        default:
            tz::Diag(tz::programName(argv[0])).say(tz::ShortOptions::problemText(e.kind), std::string(1, e.letter));
            diag.usage(usage);
        }
    }
    char **rest = argv + options.index();
    if (!rest[0] || !rest[1])
        diag.usage(usage);
    const char *file = rest[0];
    char **child = rest + 1;

    // Not close-on-exec: the program inherits the descriptor and with it the lock,
    // which is released only when the program and everything it started are gone.
    const int fd = ::open(file, O_WRONLY | O_NONBLOCK | O_APPEND | O_CREAT, 0600);
    if (fd == -1) {
        if (quiet)
            return 0;
        diag.die(tz::exitTemporary, "unable to open ", file, ": ", tz::sys());
    }
    int rc;
    do
        rc = ::flock(fd, noDelay ? LOCK_EX | LOCK_NB : LOCK_EX);
    while (rc == -1 && errno == EINTR);
    if (rc == -1) {
        if (quiet)
            return 0;
        diag.die(tz::exitTemporary, "unable to lock ", file, ": ", tz::sys());
    }
    const int err = tz::execProgram(child, environ);
    diag.die(tz::exitTemporary, "unable to run ", child[0], ": ", tz::sys(err));
}
