// SPDX-License-Identifier: MIT
// What the logger needs from the program hosting it: reporting, waiting, alerts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tz {

class LogDir;

// multilog never gives up on a log directory: a step that fails (a full disk, a
// failing processor) is reported and retried after a pause. The engine decides
// what to retry; the host says it and does the waiting, so tests can run without
// the five-second naps.
class LogHost {
public:
    virtual ~LogHost() = default;

    // Report "<message>: <reason of err>" (or "<message>" alone when err is empty)
    // as a warning, then wait before the engine retries.
    virtual void pause(const std::string &message, std::optional<int> err) = 0;

    // The text a processor child prints, followed by a reason text and a newline,
    // when it cannot be started ("multilog: fatal: unable to run X: ").
    virtual std::string processorFailurePrefix(std::string_view processor) const = 0;

    // Bytes for the e action, whole lines only.
    virtual void alert(std::string_view lines) = 0;

    // A log directory is open and recovered, in script order: multilog's input
    // journal (LogSource) marks each one at every commit.
    virtual void opened(LogDir &) {}

    // Called on a directory's syncing thread when the background part of a
    // rotation is over (LogDir::rotationReady() holds now), so that a logger
    // waiting for input can finish it at once instead of waiting on the disk
    // in finishRotation(). Must be safe to call from any thread.
    virtual void rotationSettled() {}
};

} // namespace tz
