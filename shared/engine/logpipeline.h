// SPDX-License-Identifier: MIT
// multilog's line processing: stamping, selecting and routing each input line.
#pragma once

#include "diag.h"
#include "logdir.h"
#include "loghost.h"
#include "logscript.h"
#include "tai64n.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tz {

// Feeds input to the actions of a LogScript with 0.76's semantics, batch by batch.
//
// Timestamps: 0.76 reads the clock when the first byte of each line arrives. We
// read it once per read(2) and give every line that starts in that read the same
// stamp; the stamp of a line is never earlier than its first byte's arrival nor
// later than its last byte's, so ordering and precision hold at the granularity
// at which the input reached us.
//
// The status files (=) are written once per batch with the last selected line,
// so their final content is that of 0.76; alerts (e) go to the host per batch.
class LogPipeline {
public:
    // 0.76's start-up: all status files first, then every directory in order.
    static Result<std::unique_ptr<LogPipeline>> open(LogScript script, int startDirFd, LogHost &host);

    // One read(2) of input. Before each read the caller calls flushOutputs(),
    // as 0.76 flushes before each read.
    void consume(std::string_view input, const Tai64n &stamp);
    // After a killed logger: the start of the line that a replayed batch continues
    // (LogReplay::tail). A start short enough is held again as it was; the head of
    // a longer line, whose first bytes are written already, makes the batch's
    // bytes stream on to the directories that head chose.
    void resume(std::string_view head, const Tai64n &stamp, bool longLine);
    // Everything consumed so far goes to disk (status files, alerts, directories).
    void flushOutputs();
    // SIGALRM: rotate every directory whose current is not empty.
    void rotateAll();
    // True while the input ends inside a line: SIGTERM waits for its newline.
    bool midLine() const { return m_longLine || !m_carry.empty(); }
    // End of input (or SIGTERM at a line boundary): an unfinished line gets its
    // newline, and every current is synced and marked complete.
    void finish();

private:
    LogPipeline(LogScript script, LogHost &host);

    void flushIfReadBefore(std::size_t last);
    std::size_t appendPlainLines(std::string_view input, std::size_t pos, std::string_view stamp);
    void emitLine(std::string_view stamp, std::string_view content, bool newline);
    void runActions(bool outputs);
    void putToSelected(std::string_view bytes);
    void flushDirs();
    void writeStatus(std::size_t index);

    LogScript m_script;
    LogHost &m_host;
    std::vector<std::unique_ptr<LogDir>> m_dirs;
    std::vector<int> m_statusFds;
    std::vector<std::string> m_status; // the last selected line for each status file
    std::vector<bool> m_statusDirty;
    std::vector<bool> m_selected; // per directory, for the line being written
    std::string m_alerts;
    std::string m_line; // stamp + first bytes of the line, for matching

    bool m_plain = false;
    std::size_t m_maxContent = 0; // input bytes of a line that 0.76 holds (1000 minus the stamp)
    char m_stamp[tai64nTextSize + 1] = {};
    char m_carryStamp[tai64nTextSize + 1] = {};
    std::string m_carry;       // the start of a line that continues in the next read
    bool m_longLine = false;   // past the first 1000 bytes of a line: bytes stream through
    std::size_t m_nextFlush = 0;
};

} // namespace tz
