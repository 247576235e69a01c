// SPDX-License-Identifier: MIT
// The log browser's table: one row per line across archives and current, with search and filter.
#pragma once

#include "logindex.h"
#include "logline.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QFutureWatcher>
#include <QRegularExpression>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace tz {

class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, TextColumn, ColumnCount };
    enum Role {
        BoundaryRole = Qt::UserRole + 1, // bool: first line of a file after a rotation
        FileNameRole,                    // QString: the archive or "current"
        UnixMsRole,                      // qint64, or invalid when the line has no stamp
        MatchRole,                       // bool: the line matches the search
        SourceRowRole,                   // int: the row in the unfiltered timeline
    };

    explicit LogModel(LogIndex *index, QObject *parent = nullptr);
    ~LogModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void setUtc(bool utc);
    bool utc() const { return m_utc; }

    // An empty pattern clears the search. Matching runs off the UI thread; searchFinished()
    // reports the number of matching lines.
    void setSearch(const QString &pattern, bool regularExpression, bool caseSensitive);
    QRegularExpression search() const { return m_search; }
    bool searchValid() const { return m_search.isValid(); }
    bool searching() const { return m_watcher != nullptr; }
    // The threads searches run on (for tests that hold a search back).
    QThreadPool *searchPool() { return &m_searchPool; }
    int matchCount() const { return static_cast<int>(m_matches.size()); }
    // Shows only matching lines while a search is set.
    void setFilter(bool on);
    bool filtering() const { return m_filter; }

    int sourceRow(int row) const;
    int rowForSource(int sourceRow) const; // nearest row at or after, in the current view
    // The next (or previous) matching row from `row`, wrapping; -1 when nothing matches.
    int nextMatch(int row, bool forward) const;
    // The first row stamped at or after unixMs (lines are chronological).
    int rowAtTime(qint64 unixMs) const;
    QString lineText(int row) const; // the line as multilog wrote it, for copy and export
    QString timeText(qint64 unixMs) const;

signals:
    void searchFinished(int matches);

private:
    // What one worker pass reads: per file, the lines from `fromLine` (at byte `from`) up to
    // what the index held when the pass started.
    struct SearchSlice {
        std::shared_ptr<const LogFileHandle> handle;
        qint64 from = 0;
        qint64 end = 0;
        bool lastLineOpen = false;
        int fromLine = 0;
        int lines = 0; // lines in the file at `end`, as the index counted them
    };
    using SliceMatches = std::vector<std::vector<int>>; // per slice, matching line numbers
    struct SearchPattern {
        QRegularExpression re;
        QByteArray needle; // the plain text as bytes (folded when foldCase), or empty
        bool foldCase = false;
    };
    static std::vector<int> searchSlice(const SearchSlice &slice, const SearchPattern &pattern,
                                        const std::shared_ptr<std::atomic<bool>> &cancel);

    const LogLine &line(int sourceRow) const;
    void startSearch();
    // Searches what the index gained since the last pass; a pass never blocks the UI thread,
    // and lines that arrive while one runs are picked up by the next.
    void continueSearch();
    void mergeSearch(const std::vector<int> &files, const std::vector<SearchSlice> &slices, const SliceMatches &found);
    void rebuildMatches();
    void stopSearch();

    LogIndex *m_index;
    mutable QCache<int, LogLine> m_cache{4096};
    bool m_utc = false;
    bool m_filter = false;
    QRegularExpression m_search;
    SearchPattern m_pattern;
    std::vector<std::vector<int>> m_fileMatches; // per file, matching line numbers
    std::vector<std::pair<qint64, int>> m_searched; // per file, bytes and lines searched
    std::vector<int> m_matches; // sorted source rows, flattened from m_fileMatches
    QFutureWatcher<std::vector<int>> *m_watcher = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    // Searches run here, not in QThreadPool::globalInstance(): Qt's raster engine splits
    // large fills over the global pool and waits for them while painting, so a search
    // holding all of its threads froze every repaint until a file was read (up to 380 ms).
    QThreadPool m_searchPool;
};

} // namespace tz
