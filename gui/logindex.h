// SPDX-License-Identifier: MIT
// A line index over a multilog directory's archives and current, built off the UI thread.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <deque>
#include <memory>
#include <vector>

class QSocketNotifier;

namespace tz {

// A read-only descriptor the index owns, shared with the thread that scans it so that
// closing a source never pulls the descriptor from under a running scan.
class LogFileHandle {
public:
    explicit LogFileHandle(int fd) : m_fd(fd) {}
    ~LogFileHandle();
    LogFileHandle(const LogFileHandle &) = delete;
    LogFileHandle &operator=(const LogFileHandle &) = delete;
    int fd() const { return m_fd; }
    qint64 size() const;
    QByteArray read(qint64 offset, qint64 length) const;

private:
    int m_fd;
};

class LogScanner;

class LogIndex : public QObject {
    Q_OBJECT
public:
    struct Source {
        QString name; // "current" or an archive name such as "@400000006553f1c2...s"
        int fd = -1;  // read-only; the index takes ownership
    };

    explicit LogIndex(QObject *parent = nullptr);
    ~LogIndex() override;

    // Replaces the timeline. Files already known (same device and inode, e.g. the old
    // current that multilog renamed into an archive) keep their index.
    void setSources(QList<Source> sources);

    int fileCount() const { return static_cast<int>(m_files.size()); }
    QString fileName(int file) const;
    int lineCount() const { return m_total; }
    int fileOfRow(int row) const;
    int firstRowOfFile(int file) const;
    int linesInFile(int file) const;
    QByteArray rawLine(int row) const;
    bool isIndexing() const { return m_pendingScans > 0; }
    // Bytes indexed so far and the bytes the files held when they were set (or more, once
    // current has grown past that): what progress() reports.
    qint64 indexedBytes() const { return m_scannedBytes; }
    qint64 knownBytes() const { return std::max(m_totalBytes, m_scannedBytes); }

    // Watches the last source when it is "current": new lines are indexed as multilog
    // writes them; a rotation emits currentRotated() so the caller can reopen the directory.
    void setFollow(bool follow);
    bool follows() const { return m_follow; }

    // Snapshot of what a search may read: one entry per file, in timeline order.
    struct FileSpan {
        std::shared_ptr<const LogFileHandle> handle;
        qint64 end = 0;      // indexed bytes; lines past this are not rows yet
        bool lastLineOpen = false; // the file's last indexed line lacks its newline
    };
    QList<FileSpan> spans() const;

signals:
    void aboutToReset();
    void wasReset();
    void aboutToAppend(int file, int firstRow, int lastRow);
    void appended();
    void progress(qint64 doneBytes, qint64 totalBytes);
    void indexingFinished();
    void currentRotated();

private:
    struct File {
        QString name;
        std::shared_ptr<LogFileHandle> handle;
        quint64 device = 0;
        quint64 inode = 0;
        std::vector<quint32> starts; // offset of each indexed line
        qint64 end = 0;              // just past the last indexed line
        bool lastLineOpen = false;
        bool scanning = false;
    };

    void scan(int file);
    struct Batch {
        int file = 0;
        std::vector<quint32> starts;
        qint64 end = 0;
        bool open = false;
        bool done = false;
    };
    void onScanned(quint64 generation, int file, std::vector<quint32> starts, qint64 end, bool open, bool done);
    void applyArrived();
    void applyScanned(quint64 generation, int file, std::vector<quint32> starts, qint64 end, bool open, bool done);
    void recount();
    void watchCurrent();
    void onInotify();
    // current has moved away: no more watching it, and the caller reopens the directory.
    void reportRotation();
    qint64 lineEnd(const File &f, std::size_t line) const;

    std::vector<File> m_files;
    std::vector<int> m_firstRow; // cumulative line counts, one per file
    int m_total = 0;
    int m_pendingScans = 0;
    qint64 m_scannedBytes = 0;
    qint64 m_totalBytes = 0;
    std::atomic<quint64> m_generation{0};
    bool m_follow = false;
    int m_inotify = -1;
    int m_watch = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::deque<Batch> m_arrived; // scanned batches not yet rows
    QTimer m_apply;
    QThread m_thread;
    LogScanner *m_scanner = nullptr;
};

} // namespace tz
