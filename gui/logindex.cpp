// SPDX-License-Identifier: MIT
// LogIndex: line offsets per file, found by a scanner thread reading the passed descriptors.
#include "logindex.h"

#include <QMetaObject>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tz {

LogFileHandle::~LogFileHandle()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

qint64 LogFileHandle::size() const
{
    struct stat st {};
    if (::fstat(m_fd, &st) != 0)
        return 0;
    return st.st_size;
}

QByteArray LogFileHandle::read(qint64 offset, qint64 length) const
{
    QByteArray buf;
    if (length <= 0)
        return buf;
    buf.resize(length);
    qint64 got = 0;
    while (got < length) {
        const ssize_t n = ::pread(m_fd, buf.data() + got, static_cast<size_t>(length - got), offset + got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    buf.truncate(got);
    return buf;
}

// Lives on the index's thread; reads a file from an offset to its end and reports line
// starts in batches, so rows appear while a large archive is still being read.
class LogScanner : public QObject {
public:
    using QObject::QObject;
};

namespace {
constexpr qint64 chunkSize = 1 << 20;
// About 30,000 lines per batch; at most 65,536 rows are inserted into the view at once.
constexpr qint64 batchSize = 2 << 20;
constexpr std::size_t maxInsertedRows = 65536;
} // namespace

LogIndex::LogIndex(QObject *parent) : QObject(parent)
{
    m_scanner = new LogScanner;
    m_scanner->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_scanner, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("log index"));
    // Batches are applied from a zero timer rather than as they arrive, so a scanner that
    // runs ahead never makes the UI thread insert more than one bounded batch between repaints.
    m_apply.setInterval(0);
    connect(&m_apply, &QTimer::timeout, this, &LogIndex::applyArrived);
    m_thread.start(QThread::LowPriority);
}

LogIndex::~LogIndex()
{
    ++m_generation;
    m_thread.quit();
    m_thread.wait();
    if (m_inotify >= 0)
        ::close(m_inotify);
}

QString LogIndex::fileName(int file) const
{
    return file >= 0 && file < fileCount() ? m_files[static_cast<size_t>(file)].name : QString();
}

int LogIndex::fileOfRow(int row) const
{
    const auto it = std::upper_bound(m_firstRow.begin(), m_firstRow.end(), row);
    return static_cast<int>(it - m_firstRow.begin()) - 1;
}

int LogIndex::firstRowOfFile(int file) const
{
    return file >= 0 && file < fileCount() ? m_firstRow[static_cast<size_t>(file)] : m_total;
}

int LogIndex::linesInFile(int file) const
{
    return file >= 0 && file < fileCount() ? static_cast<int>(m_files[static_cast<size_t>(file)].starts.size()) : 0;
}

qint64 LogIndex::lineEnd(const File &f, std::size_t line) const
{
    return line + 1 < f.starts.size() ? f.starts[line + 1] : f.end;
}

QByteArray LogIndex::rawLine(int row) const
{
    const int file = fileOfRow(row);
    if (file < 0 || row >= m_total)
        return {};
    const File &f = m_files[static_cast<size_t>(file)];
    const auto line = static_cast<std::size_t>(row - m_firstRow[static_cast<size_t>(file)]);
    const qint64 begin = f.starts[line];
    // A display never needs more than a screenful of one line.
    const qint64 length = std::min<qint64>(lineEnd(f, line) - begin, 16384);
    return f.handle->read(begin, length);
}

QList<LogIndex::FileSpan> LogIndex::spans() const
{
    QList<FileSpan> out;
    for (const File &f : m_files)
        out.append(FileSpan{f.handle, f.end, f.lastLineOpen});
    return out;
}

void LogIndex::recount()
{
    m_firstRow.resize(m_files.size());
    int row = 0;
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        m_firstRow[i] = row;
        row += static_cast<int>(m_files[i].starts.size());
    }
    m_total = row;
}

void LogIndex::setSources(QList<Source> sources)
{
    emit aboutToReset();
    ++m_generation;
    m_arrived.clear();
    m_apply.stop();
    std::vector<File> old = std::move(m_files);
    m_files.clear();
    m_pendingScans = 0;
    m_scannedBytes = 0;
    m_totalBytes = 0;
    for (Source &s : sources) {
        struct stat st {};
        if (s.fd < 0 || ::fstat(s.fd, &st) != 0) {
            if (s.fd >= 0)
                ::close(s.fd);
            continue;
        }
        const auto same = std::find_if(old.begin(), old.end(), [&](const File &f) {
            return f.device == st.st_dev && f.inode == st.st_ino;
        });
        File f;
        if (same != old.end()) {
            f = std::move(*same);
            old.erase(same);
            ::close(s.fd);
        } else {
            f.handle = std::make_shared<LogFileHandle>(s.fd);
            f.device = st.st_dev;
            f.inode = st.st_ino;
        }
        f.name = s.name;
        f.scanning = false;
        m_totalBytes += st.st_size;
        m_files.push_back(std::move(f));
    }
    recount();
    emit wasReset();
    for (int i = 0; i < fileCount(); ++i)
        scan(i);
    watchCurrent();
    if (m_pendingScans == 0)
        emit indexingFinished();
}

void LogIndex::scan(int file)
{
    File &f = m_files[static_cast<size_t>(file)];
    if (f.scanning)
        return;
    const qint64 from = f.end;
    if (f.lastLineOpen || f.handle->size() <= from)
        return;
    f.scanning = true;
    ++m_pendingScans;
    const bool isCurrent = f.name == QLatin1String("current");
    const quint64 generation = m_generation;
    auto handle = f.handle;
    // The destructor bumps the generation and joins the thread before `this` goes away.
    QMetaObject::invokeMethod(m_scanner, [this, handle, file, from, isCurrent, generation] {
        qint64 lineStart = from;
        qint64 offset = from;
        qint64 sinceBatch = 0;
        std::vector<quint32> starts;
        auto deliver = [&](bool done, bool open, qint64 end) {
            QMetaObject::invokeMethod(this, [this, generation, file, s = std::move(starts), end, open, done]() mutable {
                onScanned(generation, file, std::move(s), end, open, done);
            });
            starts.clear();
        };
        for (;;) {
            if (m_generation != generation)
                return;
            const QByteArray chunk = handle->read(offset, chunkSize);
            if (chunk.isEmpty())
                break;
            const char *data = chunk.constData();
            for (qsizetype i = 0; i < chunk.size(); ++i) {
                if (data[i] != '\n')
                    continue;
                starts.push_back(static_cast<quint32>(lineStart));
                lineStart = offset + i + 1;
            }
            offset += chunk.size();
            sinceBatch += chunk.size();
            if (sinceBatch >= batchSize) {
                sinceBatch = 0;
                deliver(false, false, lineStart);
            }
        }
        bool open = false;
        qint64 end = lineStart;
        if (!isCurrent && offset > lineStart) {
            starts.push_back(static_cast<quint32>(lineStart));
            end = offset;
            open = true;
        }
        deliver(true, open, end);
    });
}

void LogIndex::onScanned(quint64 generation, int file, std::vector<quint32> starts, qint64 end, bool open, bool done)
{
    if (generation != m_generation)
        return;
    m_arrived.push_back({file, std::move(starts), end, open, done});
    if (!m_apply.isActive())
        m_apply.start();
}

void LogIndex::applyArrived()
{
    // The view's cost of an insertion grows with the rows it already has as well as with the
    // rows inserted: batches of one file are joined up to a bound, one insertion per turn.
    if (!m_arrived.empty()) {
        Batch b = std::move(m_arrived.front());
        m_arrived.pop_front();
        while (!b.done && !m_arrived.empty() && m_arrived.front().file == b.file
               && b.starts.size() + m_arrived.front().starts.size() <= maxInsertedRows) {
            Batch &next = m_arrived.front();
            b.starts.insert(b.starts.end(), next.starts.begin(), next.starts.end());
            b.end = next.end;
            b.open = next.open;
            b.done = next.done;
            m_arrived.pop_front();
        }
        applyScanned(m_generation, b.file, std::move(b.starts), b.end, b.open, b.done);
    }
    if (m_arrived.empty())
        m_apply.stop();
}

void LogIndex::applyScanned(quint64 generation, int file, std::vector<quint32> starts, qint64 end, bool open, bool done)
{
    if (generation != m_generation || file >= fileCount())
        return;
    File &f = m_files[static_cast<size_t>(file)];
    const qint64 before = f.end;
    if (!starts.empty()) {
        const int first = m_firstRow[static_cast<size_t>(file)] + static_cast<int>(f.starts.size());
        const int last = first + static_cast<int>(starts.size()) - 1;
        emit aboutToAppend(file, first, last);
        f.starts.insert(f.starts.end(), starts.begin(), starts.end());
        f.end = end;
        f.lastLineOpen = open;
        recount();
        emit appended();
    } else {
        f.end = std::max(f.end, end);
    }
    m_scannedBytes += std::max<qint64>(0, f.end - before);
    emit progress(indexedBytes(), knownBytes());
    if (!done)
        return;
    f.scanning = false;
    if (--m_pendingScans == 0)
        emit indexingFinished();
    if (m_follow && file == fileCount() - 1 && f.handle->size() > f.end)
        scan(file);
}

void LogIndex::setFollow(bool follow)
{
    m_follow = follow;
    watchCurrent();
    if (m_follow && fileCount() > 0)
        scan(fileCount() - 1);
}

void LogIndex::watchCurrent()
{
    if (m_inotify >= 0 && m_watch >= 0) {
        ::inotify_rm_watch(m_inotify, m_watch);
        m_watch = -1;
    }
    if (!m_follow || m_files.empty() || m_files.back().name != QLatin1String("current"))
        return;
    if (m_inotify < 0) {
        m_inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (m_inotify < 0)
            return;
        m_notifier = new QSocketNotifier(m_inotify, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &LogIndex::onInotify);
    }
    // The descriptor's /proc link reaches the file even where its directory is closed to us.
    const QByteArray link = "/proc/self/fd/" + QByteArray::number(m_files.back().handle->fd());
    m_watch = ::inotify_add_watch(m_inotify, link.constData(), IN_MODIFY | IN_MOVE_SELF | IN_DELETE_SELF);
    // The file may have been renamed into an archive between its opening and this
    // watch (the helper opens current first and the older files after it): that
    // move would never be reported. The link names where the file is now, and a
    // move after the watch was added is reported by it.
    char target[4096];
    const ssize_t length = ::readlink(link.constData(), target, sizeof target);
    if (m_watch >= 0 && length > 0 && !QByteArray(target, length).endsWith("/current")) {
        const int watch = m_watch;
        QMetaObject::invokeMethod(this, [this, watch] {
            if (m_watch == watch) // not other sources since, nor their move reported already
                reportRotation();
        }, Qt::QueuedConnection);
    }
}

void LogIndex::onInotify()
{
    alignas(inotify_event) char buf[4096];
    bool modified = false;
    bool moved = false;
    for (;;) {
        const ssize_t n = ::read(m_inotify, buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n;) {
            const auto *ev = reinterpret_cast<const inotify_event *>(buf + off);
            if (ev->wd == m_watch) {
                modified = modified || (ev->mask & IN_MODIFY);
                moved = moved || (ev->mask & (IN_MOVE_SELF | IN_DELETE_SELF));
            }
            off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        }
    }
    if (modified && !m_files.empty())
        scan(fileCount() - 1);
    if (moved)
        reportRotation();
}

void LogIndex::reportRotation()
{
    ::inotify_rm_watch(m_inotify, m_watch);
    m_watch = -1;
    emit currentRotated();
}

} // namespace tz
