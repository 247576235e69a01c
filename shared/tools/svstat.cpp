// SPDX-License-Identifier: MIT
// svstat: prints one line per service directory on the state of its supervised process.
#include "control.h"
#include "diag.h"
#include "status.h"

#include <array>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// 0.76 reads the status into one buffer shared by all directories and, comparing
// read()'s -1 as unsigned, takes a failed read for a full one: the line then shows
// whatever the buffer last held (zeros at first). Kept, as scripts see that output.
std::array<unsigned char, tz::statusSize> lastStatus{};

// One line's text (without the newline) for the service directory we are in.
std::string describe()
{
    struct stat st {};
    bool normallyUp = false;
    if (::stat("down", &st) < 0) {
        if (errno != ENOENT)
            return std::string("unable to stat down: ") + tz::reasonText(errno);
        normallyUp = true;
    }

    const auto probe = tz::probeSupervise(AT_FDCWD);
    if (!probe)
        return std::string("unable to open supervise/ok: ") + tz::reasonText(probe.error().err);
    if (probe->state == tz::SuperviseState::NotRunning)
        return "supervise not running";
    if (probe->state == tz::SuperviseState::Broken)
        return std::string("unable to open supervise/ok: ") + tz::reasonText(probe->err);

    const auto read = tz::readStatusFile(AT_FDCWD);
    if (!read && !read.error().action.starts_with("read"))
        return "unable to " + read.error().describe();
    if (read && !read->status)
        return "unable to read supervise/status: bad format";
    if (read)
        lastStatus = tz::encodeStatus(*read->status);
    const tz::ServiceStatus s = *tz::decodeStatus(lastStatus);

    // Whole TAI64 seconds only, never negative, as 0.76 computes it.
    const std::uint64_t now = tz::Tai64n::now().seconds;
    const std::uint64_t age = now > s.since.seconds ? now - s.since.seconds : 0;

    std::string line;
    if (s.pid != 0)
        line = "up (pid " + std::to_string(s.pid) + ") ";
    else
        line = "down ";
    line += std::to_string(age) + " seconds";
    if (s.pid != 0 && !normallyUp)
        line += ", normally down";
    if (s.pid == 0 && normallyUp)
        line += ", normally up";
    if (s.pid != 0 && s.paused)
        line += ", paused";
    if (s.pid == 0 && s.want == tz::Want::Up)
        line += ", want up";
    if (s.pid != 0 && s.want == tz::Want::Down)
        line += ", want down";
    return line;
}

// svstat's report is its product, not a diagnostic: it goes to stdout in one piece.
void writeOut(std::string_view s)
{
    (void)tz::writeAll(1, s); // 0.76's svstat exits 0 whatever stdout does
}

} // namespace

int main(int argc, char **argv)
{
    const tz::Diag diag("svstat");
    const int origDir = ::open(".", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (origDir < 0)
        diag.die(tz::exitTemporary, "unable to open current directory: ", tz::sys());

    std::string report;
    for (int i = 1; i < argc; ++i) {
        const char *dir = argv[i];
        report.append(dir).append(": ");
        if (::chdir(dir) < 0)
            report.append("unable to chdir: ").append(tz::reasonText(errno));
        else
            report.append(describe());
        report.push_back('\n');
        if (::fchdir(origDir) < 0) {
            writeOut(report);
            diag.die(tz::exitTemporary, "unable to set directory: ", tz::sys());
        }
    }
    writeOut(report);
    return 0;
}
