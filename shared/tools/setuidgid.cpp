// SPDX-License-Identifier: MIT
// setuidgid: runs a program as another account, with only that account's primary group.
#include "account.h"
#include "chainload.h"
#include "diag.h"

#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("setuidgid");
    if (argc < 3)
        diag.usage("setuidgid account child");
    const auto account = tz::findAccount(argv[1]);
    if (!account)
        diag.die(tz::exitTemporary, "unknown account ", argv[1]);
    if (auto done = tz::becomeAccount(*account); !done)
        diag.die(tz::exitTemporary, "unable to ", done.error());
    const int err = tz::execProgram(argv + 2, environ);
    diag.die(tz::exitTemporary, "unable to run ", argv[2], ": ", tz::sys(err));
}
