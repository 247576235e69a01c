// SPDX-License-Identifier: MIT
// pgrphack: runs a program in a new session, so that it leads its own process group.
#include "chainload.h"
#include "diag.h"

#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("pgrphack");
    if (argc < 2)
        diag.usage("pgrphack child");
    // Fails only for a process group leader, which then simply stays where it is, as in 0.76.
    ::setsid();
    const int err = tz::execProgram(argv + 1, environ);
    diag.die(tz::exitTemporary, "unable to run ", argv[1], ": ", tz::sys(err));
}
