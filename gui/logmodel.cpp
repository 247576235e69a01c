// SPDX-License-Identifier: MIT
// LogModel: rows read on demand from the index; search and filter computed by a worker.
#include "logmodel.h"

#include <QDateTime>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>

namespace tz {

// Splits each slice into lines exactly as LogIndex does and returns the numbers of the
// lines whose text (stamp removed) matches.
LogModel::SliceMatches LogModel::searchSlices(const std::vector<SearchSlice> &slices, const QRegularExpression &re,
                                              const std::shared_ptr<std::atomic<bool>> &cancel)
{
    SliceMatches result(slices.size());
    constexpr qint64 chunkSize = 4 << 20;
    for (std::size_t f = 0; f < slices.size(); ++f) {
        const SearchSlice &slice = slices[f];
        int lineNo = slice.fromLine;
        QByteArray carry;
        for (qint64 offset = slice.from; offset < slice.end;) {
            if (cancel->load())
                return {};
            QByteArray chunk = slice.handle->read(offset, std::min(chunkSize, slice.end - offset));
            if (chunk.isEmpty())
                break;
            offset += chunk.size();
            qsizetype from = 0;
            for (;;) {
                const qsizetype nl = chunk.indexOf('\n', from);
                const bool last = nl < 0 && offset >= slice.end && slice.lastLineOpen;
                if (nl < 0 && !last)
                    break;
                const qsizetype to = nl < 0 ? chunk.size() : nl;
                QByteArrayView raw(chunk.constData() + from, to - from);
                QByteArray joined;
                if (!carry.isEmpty()) {
                    joined = carry + raw.toByteArray();
                    raw = joined;
                    carry.clear();
                }
                if (lineNo < slice.lines && re.match(decodeLogLine(raw).text).hasMatch())
                    result[f].push_back(lineNo);
                ++lineNo;
                if (nl < 0)
                    break;
                from = nl + 1;
            }
            if (from < chunk.size() && chunk.indexOf('\n', from) < 0)
                carry += chunk.mid(from);
        }
    }
    return result;
}

LogModel::LogModel(LogIndex *index, QObject *parent) : QAbstractTableModel(parent), m_index(index)
{
    connect(index, &LogIndex::aboutToReset, this, [this] {
        beginResetModel();
        m_cache.clear();
    });
    connect(index, &LogIndex::wasReset, this, [this] {
        stopSearch();
        m_fileMatches.clear();
        m_searched.clear();
        m_matches.clear();
        endResetModel();
        if (!m_search.pattern().isEmpty() && m_search.isValid())
            startSearch();
    });
    connect(index, &LogIndex::aboutToAppend, this, [this](int, int first, int last) {
        m_cache.clear(); // rows after an insertion point shift
        if (!m_filter || m_search.pattern().isEmpty())
            beginInsertRows({}, first, last);
    });
    connect(index, &LogIndex::appended, this, [this] {
        // Rows of later files moved down: the flattened matches follow before anyone looks.
        rebuildMatches();
        if (!m_filter || m_search.pattern().isEmpty())
            endInsertRows();
        if (!m_search.pattern().isEmpty() && m_search.isValid())
            continueSearch();
    });
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    if (m_filter && !m_search.pattern().isEmpty())
        return static_cast<int>(m_matches.size());
    return m_index->lineCount();
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int LogModel::sourceRow(int row) const
{
    if (m_filter && !m_search.pattern().isEmpty())
        return row >= 0 && row < static_cast<int>(m_matches.size()) ? m_matches[static_cast<size_t>(row)] : -1;
    return row;
}

int LogModel::rowForSource(int source) const
{
    if (!(m_filter && !m_search.pattern().isEmpty()))
        return std::clamp(source, 0, std::max(0, m_index->lineCount() - 1));
    const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), source);
    if (m_matches.empty())
        return -1;
    return it == m_matches.end() ? static_cast<int>(m_matches.size()) - 1 : static_cast<int>(it - m_matches.begin());
}

const LogLine &LogModel::line(int source) const
{
    if (LogLine *cached = m_cache.object(source))
        return *cached;
    auto *decoded = new LogLine(decodeLogLine(m_index->rawLine(source)));
    m_cache.insert(source, decoded);
    return *decoded;
}

QString LogModel::timeText(qint64 unixMs) const
{
    const QDateTime t = m_utc ? QDateTime::fromMSecsSinceEpoch(unixMs, Qt::UTC)
                              : QDateTime::fromMSecsSinceEpoch(unixMs);
    const QLocale locale;
    const QString format = locale.dateFormat(QLocale::ShortFormat) + QStringLiteral(" HH:mm:ss.zzz");
    return locale.toString(t, format);
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int source = sourceRow(index.row());
    if (source < 0)
        return {};
    switch (role) {
    case Qt::DisplayRole: {
        const LogLine &l = line(source);
        if (index.column() == TextColumn)
            return l.text;
        return l.unixMs ? timeText(*l.unixMs) : QString();
    }
    case Qt::ToolTipRole: {
        const LogLine &l = line(source);
        const QString file = m_index->fileName(m_index->fileOfRow(source));
        if (index.column() == TimeColumn && l.unixMs)
            return tr("%1\nfile: %2").arg(timeText(*l.unixMs), file);
        return l.text.left(2000);
    }
    case Qt::FontRole:
        return {};
    case BoundaryRole: {
        const int file = m_index->fileOfRow(source);
        return file > 0 && m_index->firstRowOfFile(file) == source;
    }
    case FileNameRole:
        return m_index->fileName(m_index->fileOfRow(source));
    case UnixMsRole: {
        const LogLine &l = line(source);
        return l.unixMs ? QVariant::fromValue(*l.unixMs) : QVariant();
    }
    case MatchRole:
        return std::binary_search(m_matches.begin(), m_matches.end(), source);
    case SourceRowRole:
        return source;
    default:
        return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (section == TimeColumn)
        return m_utc ? tr("Time (UTC)") : tr("Time");
    if (section == TextColumn)
        return tr("Message");
    return {};
}

void LogModel::setUtc(bool utc)
{
    if (m_utc == utc)
        return;
    m_utc = utc;
    emit headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
    if (rowCount() > 0)
        emit dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn));
}

void LogModel::setSearch(const QString &pattern, bool regularExpression, bool caseSensitive)
{
    QRegularExpression re(regularExpression ? pattern : QRegularExpression::escape(pattern),
                          caseSensitive ? QRegularExpression::NoPatternOption
                                        : QRegularExpression::CaseInsensitiveOption);
    if (pattern.isEmpty())
        re = QRegularExpression();
    const bool filtered = m_filter && !m_search.pattern().isEmpty();
    if (filtered)
        beginResetModel();
    m_search = re;
    stopSearch();
    m_fileMatches.clear();
    m_searched.clear();
    m_matches.clear();
    if (filtered)
        endResetModel();
    if (!re.pattern().isEmpty() && re.isValid())
        startSearch();
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {MatchRole});
    if (re.pattern().isEmpty())
        emit searchFinished(0);
}

void LogModel::setFilter(bool on)
{
    if (m_filter == on)
        return;
    beginResetModel();
    m_filter = on;
    endResetModel();
}

void LogModel::stopSearch()
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_watcher) {
        m_watcher->disconnect(this);
        m_watcher->deleteLater();
        m_watcher = nullptr;
    }
}

void LogModel::startSearch()
{
    stopSearch();
    m_fileMatches.clear();
    m_searched.clear();
    m_matches.clear();
    continueSearch();
}

void LogModel::continueSearch()
{
    if (m_watcher)
        return; // the running pass calls again when it ends
    const QList<LogIndex::FileSpan> spans = m_index->spans();
    m_fileMatches.resize(static_cast<size_t>(spans.size()));
    m_searched.resize(static_cast<size_t>(spans.size()), {0, 0});
    std::vector<int> files;
    std::vector<SearchSlice> slices;
    for (qsizetype f = 0; f < spans.size(); ++f) {
        const auto &done = m_searched[static_cast<size_t>(f)];
        const int lines = m_index->linesInFile(static_cast<int>(f));
        if (lines <= done.second)
            continue;
        const auto &span = spans[f];
        files.push_back(static_cast<int>(f));
        slices.push_back({span.handle, done.first, span.end, span.lastLineOpen, done.second, lines});
    }
    if (slices.empty()) {
        emit searchFinished(matchCount());
        return;
    }
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_watcher = new QFutureWatcher<SliceMatches>(this);
    auto *watcher = m_watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, files, slices] {
        if (watcher != m_watcher)
            return;
        const SliceMatches found = watcher->result();
        m_watcher = nullptr;
        watcher->deleteLater();
        mergeSearch(files, slices, found);
        continueSearch();
    });
    watcher->setFuture(QtConcurrent::run(&LogModel::searchSlices, slices, m_search, m_cancel));
}

void LogModel::mergeSearch(const std::vector<int> &files, const std::vector<SearchSlice> &slices, const SliceMatches &found)
{
    if (found.size() != slices.size())
        return;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto f = static_cast<std::size_t>(files[i]);
        if (f >= m_fileMatches.size())
            continue;
        m_searched[f] = {slices[i].end, slices[i].lines};
        const std::vector<int> &lines = found[i];
        if (lines.empty())
            continue;
        const bool filtered = m_filter;
        // New lines of a file come after its earlier ones, so their matches do too.
        int at = 0;
        for (std::size_t g = 0; g <= f; ++g)
            at += static_cast<int>(m_fileMatches[g].size());
        if (filtered)
            beginInsertRows({}, at, at + static_cast<int>(lines.size()) - 1);
        m_fileMatches[f].insert(m_fileMatches[f].end(), lines.begin(), lines.end());
        rebuildMatches();
        if (filtered) {
            endInsertRows();
        } else {
            const int base = m_index->firstRowOfFile(static_cast<int>(f));
            emit dataChanged(index(base + lines.front(), 0), index(base + lines.back(), ColumnCount - 1), {MatchRole});
        }
    }
}

void LogModel::rebuildMatches()
{
    m_matches.clear();
    for (std::size_t f = 0; f < m_fileMatches.size() && static_cast<int>(f) < m_index->fileCount(); ++f) {
        const int base = m_index->firstRowOfFile(static_cast<int>(f));
        for (int line : m_fileMatches[f])
            m_matches.push_back(base + line);
    }
}

int LogModel::nextMatch(int row, bool forward) const
{
    if (m_matches.empty())
        return -1;
    const int source = row < 0 ? (forward ? -1 : m_index->lineCount()) : sourceRow(row);
    int target;
    if (forward) {
        const auto it = std::upper_bound(m_matches.begin(), m_matches.end(), source);
        target = it == m_matches.end() ? m_matches.front() : *it;
    } else {
        const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), source);
        target = it == m_matches.begin() ? m_matches.back() : *(it - 1);
    }
    return rowForSource(target);
}

int LogModel::rowAtTime(qint64 unixMs) const
{
    // Unstamped lines take the stamp of the nearest stamped line above them.
    int lo = 0;
    int hi = m_index->lineCount();
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        int probe = mid;
        for (int steps = 0; probe >= lo && steps < 256 && !line(probe).unixMs; ++steps)
            --probe;
        if (probe < lo || !line(probe).unixMs || *line(probe).unixMs < unixMs)
            lo = mid + 1;
        else
            hi = mid;
    }
    return rowForSource(std::min(lo, m_index->lineCount() - 1));
}

QString LogModel::lineText(int row) const
{
    const int source = sourceRow(row);
    if (source < 0)
        return {};
    QByteArray raw = m_index->rawLine(source);
    while (raw.endsWith('\n'))
        raw.chop(1);
    return QString::fromUtf8(raw);
}

} // namespace tz
