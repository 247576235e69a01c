// SPDX-License-Identifier: MIT
// softlimit: runs a program with lower soft resource limits.
#include "chainload.h"
#include "diag.h"
#include "resourcelimits.h"
#include "shortopts.h"

#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("softlimit");
    constexpr std::string_view usage =
        "softlimit [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] "
        "[-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child";
    tz::ShortOptions options(argc, argv, tz::softlimitOptions);
    // Each limit is set as soon as its option is read, so a later bad option still
    // exits with a usage error, just as 0.76 does.
    for (auto e = options.next(); e.kind != tz::ShortOptions::Kind::End; e = options.next()) {
        if (e.kind != tz::ShortOptions::Kind::Option) {
            tz::Diag(tz::programName(argv[0])).say(tz::ShortOptions::problemText(e.kind), std::string(1, e.letter));
            diag.usage(usage);
        }
        const auto value = tz::parseLimitValue(e.arg);
        if (!value)
            diag.usage(usage);
        for (const int resource : tz::limitResources(e.letter)) {
            if (auto done = tz::applySoftLimit(resource, *value); !done)
                diag.die(tz::exitTemporary, done.error());
        }
    }
    char **child = argv + options.index();
    if (!*child)
        diag.usage(usage);
    const int err = tz::execProgram(child, environ);
    diag.die(tz::exitTemporary, "unable to run ", child[0], ": ", tz::sys(err));
}
