// SPDX-License-Identifier: MIT
// svok: exits 0 when a supervise is running in the service directory, 100 when not.
#include "control.h"
#include "diag.h"

#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("svok");
    if (argc < 2)
        diag.usage("svok dir");
    const char *dir = argv[1];

    if (::chdir(dir) < 0)
        diag.die(tz::exitTemporary, "unable to chdir to ", dir, ": ", tz::sys());

    const auto probe = tz::probeSupervise(AT_FDCWD);
    if (!probe)
        diag.die(tz::exitTemporary, "unable to open ", dir, "/supervise/ok: ", tz::sys(probe.error().err));
    switch (probe->state) {
    case tz::SuperviseState::Running: return 0;
    case tz::SuperviseState::NotRunning: return tz::exitUsage;
    case tz::SuperviseState::Broken:
        // 0.76 counts a missing fifo as "not running" but any other error as fatal.
        if (probe->err == ENOENT)
            return tz::exitUsage;
        diag.die(tz::exitTemporary, "unable to open ", dir, "/supervise/ok: ", tz::sys(probe->err));
    }
    return tz::exitUsage;
}
