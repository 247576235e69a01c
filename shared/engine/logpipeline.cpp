// SPDX-License-Identifier: MIT
// multilog's per-line work: stamps, + and - selection, e, =, and routing to directories.
#include "logpipeline.h"

#include "pattern.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace tz {

namespace {

// 0.76 holds at most this many bytes of a line (stamp included) for matching, e
// and =; the rest of a longer line streams straight to the directories.
constexpr std::size_t heldLine = 1000;
// The status file (=file), rewritten in place from offset 0 for each selected line:
//   bytes 0..n-1     the line as held, n <= 1000: the 26-byte "@<24 hex> " stamp
//                    when t is on, then the line's first bytes, without its newline
//   bytes n..1000    '\n' padding (so byte 1000 is always a newline)
constexpr std::size_t statusSize = heldLine + 1;
// e shows at most this many bytes of a line, then "...".
constexpr std::size_t alertWidth = 200;
// 0.76 reads its input 1024 bytes at a time and flushes its directory buffers
// before each read; we replay those flush points inside our larger reads so
// that files end where 0.76's would.
constexpr std::size_t emulatedRead = 1024;
// The most output that can come between two of those flushes: the line that
// brings one (its newline at or past a multiple of emulatedRead, so it began at
// most heldLine bytes before) and the lines up to the next multiple, at most 2024
// bytes of input, which as lines of a newline alone take 27 bytes each with t.
constexpr std::size_t outputBetweenFlushes = 64 * 1024;
// Alerts are handed on before they grow beyond this.
constexpr std::size_t alertBatch = 64 * 1024;

} // namespace

LogPipeline::LogPipeline(LogScript script, LogHost &host) : m_script(std::move(script)), m_host(host)
{
    m_plain = m_script.plain();
    m_maxContent = heldLine - (m_script.timestamp ? tai64nTextSize + 1 : 0);
    m_selected.assign(m_script.dirs.size(), true);
    m_status.resize(m_script.statusFiles.size());
    m_statusDirty.assign(m_script.statusFiles.size(), false);
    m_line.reserve(heldLine);
    m_carry.reserve(heldLine);
    m_stamp[tai64nTextSize] = ' ';
    m_carryStamp[tai64nTextSize] = ' ';
}

Result<std::unique_ptr<LogPipeline>> LogPipeline::open(LogScript script, int startDirFd, LogHost &host)
{
    std::unique_ptr<LogPipeline> p(new LogPipeline(std::move(script), host));
    for (const std::string &name : p->m_script.statusFiles) {
        const int created = ::openat(startDirFd, name.c_str(), O_WRONLY | O_NONBLOCK | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (created < 0)
            return failure("create " + name);
        ::close(created);
        const int fd = ::openat(startDirFd, name.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            return failure("write " + name);
        p->m_statusFds.push_back(fd);
    }
    for (const LogDirConfig &config : p->m_script.dirs) {
        Result<std::unique_ptr<LogDir>> dir = LogDir::open(startDirFd, config, host);
        if (!dir)
            return dir.error();
        p->m_dirs.push_back(std::move(*dir));
    }
    return p;
}

void LogPipeline::consume(std::string_view input, const Tai64n &stamp)
{
    if (m_script.timestamp)
        formatTai64n(stamp, m_stamp);
    const std::string_view stampText = m_script.timestamp ? std::string_view(m_stamp, tai64nTextSize + 1) : std::string_view();
    const char *const data = input.data();
    const std::size_t n = input.size();
    // The flush before this read happened already (flushOutputs); the next one
    // 0.76 would do is before the byte at offset 1024.
    m_nextFlush = emulatedRead;

    std::size_t pos = 0;
    while (pos < n) {
        if (m_plain && !m_longLine && m_carry.empty()) {
            pos = appendPlainLines(input, pos, stampText);
            if (pos == n)
                break;
        }
        if (m_longLine) {
            const char *nl = static_cast<const char *>(std::memchr(data + pos, '\n', n - pos));
            const std::size_t segmentEnd = nl ? static_cast<std::size_t>(nl - data) : n;
            while (pos < segmentEnd) {
                flushIfReadBefore(pos);
                const std::size_t stop = std::min(segmentEnd, m_nextFlush);
                putToSelected(std::string_view(data + pos, stop - pos));
                pos = stop;
            }
            if (!nl)
                break;
            flushIfReadBefore(pos);
            putToSelected("\n");
            ++pos;
            m_longLine = false;
            continue;
        }

        const std::size_t limit = m_maxContent - m_carry.size();
        const std::size_t avail = n - pos;
        const char *nl = static_cast<const char *>(std::memchr(data + pos, '\n', std::min(limit, avail)));
        if (!nl && avail < limit) {
            if (m_carry.empty())
                std::memcpy(m_carryStamp, m_stamp, tai64nTextSize);
            m_carry.append(data + pos, avail);
            break;
        }
        // A whole line, or the first 1000 bytes of a longer one (whose newline,
        // even when it comes next, is read only after those bytes are written).
        const std::size_t take = nl ? static_cast<std::size_t>(nl - data) - pos : limit;
        flushIfReadBefore(nl ? pos + take : pos + take - 1);
        std::string_view content(data + pos, take);
        std::string_view lineStamp = stampText;
        if (!m_carry.empty()) {
            m_carry.append(content);
            content = m_carry;
            if (m_script.timestamp)
                lineStamp = std::string_view(m_carryStamp, tai64nTextSize + 1);
        }
        emitLine(lineStamp, content, nl != nullptr);
        m_carry.clear();
        pos += take;
        if (nl)
            ++pos;
        else
            m_longLine = true;
    }
}

// 0.76 flushes its buffers before each read of 1024 bytes: before the byte at
// offset last of this read is taken, the ones before it have gone out.
void LogPipeline::flushIfReadBefore(std::size_t last)
{
    if (m_nextFlush <= last) {
        flushDirs();
        m_nextFlush = (last / emulatedRead + 1) * emulatedRead;
    }
}

// The common case, fast: whole lines of a plain script (directories only), each
// appended to every directory with its stamp and newline in two copies, while
// every directory is far from its size limit. Where 0.76's 512-byte buffer would
// have written matters only near the limit (LogDir::farFromLimit); at each of its
// read flushes the emulation and this path hold nothing back alike, and from one
// to the next at most outputBetweenFlushes bytes come out, so checking the
// distance at each of them keeps every file exactly as the emulation makes it.
// Returns where the general path takes over: a line without its newline in this
// read or longer than 0.76 holds, or a directory nearing its limit.
std::size_t LogPipeline::appendPlainLines(std::string_view input, std::size_t pos, std::string_view stamp)
{
    const auto farFromLimits = [&] {
        for (const auto &dir : m_dirs)
            if (!dir->farFromLimit(outputBetweenFlushes))
                return false;
        return true;
    };
    if (!farFromLimits())
        return pos;
    const char *const data = input.data();
    const std::size_t n = input.size();
    while (pos < n) {
        const char *nl = static_cast<const char *>(std::memchr(data + pos, '\n', std::min(m_maxContent, n - pos)));
        if (!nl)
            break;
        const auto end = static_cast<std::size_t>(nl - data);
        if (m_nextFlush <= end) {
            flushIfReadBefore(end);
            if (!farFromLimits())
                break;
        }
        const std::string_view line(data + pos, end + 1 - pos);
        for (const auto &dir : m_dirs)
            dir->appendLine(stamp, line);
        pos = end + 1;
    }
    return pos;
}

void LogPipeline::emitLine(std::string_view stamp, std::string_view content, bool newline)
{
    if (m_plain) {
        for (auto &dir : m_dirs) {
            dir->put(stamp, content);
            if (newline)
                dir->putBytes("\n");
        }
        return;
    }

    m_line.assign(stamp);
    m_line.append(content);
    runActions(true);
    for (std::size_t i = 0; i < m_dirs.size(); ++i) {
        if (!m_selected[i])
            continue;
        m_dirs[i]->put(m_line);
        if (newline)
            m_dirs[i]->putBytes("\n");
    }
    if (m_alerts.size() > alertBatch) {
        m_host.alert(m_alerts);
        m_alerts.clear();
    }
}

// The script's actions in order on m_line: which directories take it and, when
// outputs is set, its alert and status lines.
void LogPipeline::runActions(bool outputs)
{
    bool selected = true;
    for (const LogAction &action : m_script.actions) {
        switch (action.kind) {
        case LogActionKind::Select:
            if (!selected && matchPattern(action.pattern, m_line))
                selected = true;
            break;
        case LogActionKind::Deselect:
            if (selected && matchPattern(action.pattern, m_line))
                selected = false;
            break;
        case LogActionKind::Alert:
            if (selected && outputs) {
                if (m_line.size() > alertWidth) {
                    m_alerts.append(m_line, 0, alertWidth);
                    m_alerts.append("...\n");
                } else {
                    m_alerts.append(m_line);
                    m_alerts.push_back('\n');
                }
            }
            break;
        case LogActionKind::Status:
            if (selected && outputs) {
                m_status[action.index] = m_line;
                m_statusDirty[action.index] = true;
            }
            break;
        case LogActionKind::Directory:
            m_selected[action.index] = selected;
            break;
        }
    }
}

void LogPipeline::resume(std::string_view head, const Tai64n &stamp, bool longLine)
{
    if (!longLine && head.size() < m_maxContent) {
        consume(head, stamp); // held again, exactly as before: nothing of it was written
        return;
    }
    // Its first bytes went out before the batch: only the choice of directories
    // is made again (alerts and status were given then), and the rest streams on.
    if (!m_plain) {
        char stampText[tai64nTextSize + 1];
        formatTai64n(stamp, stampText);
        stampText[tai64nTextSize] = ' ';
        m_line.assign(m_script.timestamp ? std::string_view(stampText, sizeof stampText) : std::string_view());
        m_line.append(head.substr(0, m_maxContent));
        runActions(false);
    }
    m_longLine = true;
}

void LogPipeline::putToSelected(std::string_view bytes)
{
    for (std::size_t i = 0; i < m_dirs.size(); ++i)
        if (m_selected[i])
            m_dirs[i]->putBytes(bytes);
}

void LogPipeline::flushDirs()
{
    for (auto &dir : m_dirs)
        dir->flush();
}

void LogPipeline::writeStatus(std::size_t index)
{
    char record[statusSize];
    const std::string &line = m_status[index];
    std::memcpy(record, line.data(), line.size());
    std::memset(record + line.size(), '\n', statusSize - line.size());
    while (::pwrite(m_statusFds[index], record, statusSize, 0) != static_cast<ssize_t>(statusSize))
        m_host.pause("unable to write " + m_script.statusFiles[index] + ", pausing", errno);
    m_statusDirty[index] = false;
}

void LogPipeline::flushOutputs()
{
    if (!m_alerts.empty()) {
        m_host.alert(m_alerts);
        m_alerts.clear();
    }
    for (std::size_t i = 0; i < m_status.size(); ++i)
        if (m_statusDirty[i])
            writeStatus(i);
    for (auto &dir : m_dirs) {
        dir->flush();
        dir->commit();
    }
}

void LogPipeline::rotateAll()
{
    flushOutputs();
    for (auto &dir : m_dirs)
        dir->rotateNow();
}

void LogPipeline::finish()
{
    flushDirs();
    if (!m_carry.empty()) {
        emitLine(m_script.timestamp ? std::string_view(m_carryStamp, tai64nTextSize + 1) : std::string_view(), m_carry,
                 true);
        m_carry.clear();
    } else if (m_longLine) {
        putToSelected("\n");
        m_longLine = false;
    }
    flushOutputs();
    for (auto &dir : m_dirs)
        dir->close();
}

} // namespace tz
