// SPDX-License-Identifier: MIT
// LogModel: rows read on demand from the index; search and filter computed by a worker.
#include "logmodel.h"

#include <QDateTime>
#include <QLocale>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>

namespace tz {

namespace {

bool isAscii(const char *p, qsizetype n)
{
    unsigned char any = 0;
    for (qsizetype i = 0; i < n; ++i)
        any |= static_cast<unsigned char>(p[i]);
    return any < 0x80;
}

void foldAscii(const char *p, qsizetype n, char *out)
{
    for (qsizetype i = 0; i < n; ++i) {
        const char c = p[i];
        out[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
    }
}

} // namespace

// Splits the slice into lines exactly as LogIndex does and returns the numbers of the lines
// whose text (stamp removed) matches. With a needle, only lines that hold its bytes go
// through the expression, which keeps a plain search near the speed of reading the file.
std::vector<int> LogModel::searchSlice(const SearchSlice &slice, const SearchPattern &pattern,
                                       const std::shared_ptr<std::atomic<bool>> &cancel)
{
    std::vector<int> result;
    constexpr qint64 chunkSize = 4 << 20;
    const QByteArray &needle = pattern.needle;
    const std::boyer_moore_horspool_searcher searcher(needle.cbegin(), needle.cend());
    int lineNo = slice.fromLine;
    auto test = [&](const char *p, qsizetype n) {
        if (lineNo < slice.lines && pattern.re.match(decodeLogLine(QByteArrayView(p, n)).text).hasMatch())
            result.push_back(lineNo);
        ++lineNo;
    };
    auto holdsNeedle = [&](const char *p, qsizetype n) {
        return std::search(p, p + n, searcher) != p + n;
    };
    QByteArray buffer; // the unfinished line of the last chunk, then the next chunk
    QByteArray folded;
    for (qint64 offset = slice.from; offset < slice.end;) {
        if (cancel->load())
            return {};
        const QByteArray chunk = slice.handle->read(offset, std::min(chunkSize, slice.end - offset));
        if (chunk.isEmpty())
            break;
        offset += chunk.size();
        buffer += chunk;
        const bool last = offset >= slice.end;
        // Lines end with a newline, except a last line the index holds as open.
        qsizetype complete = buffer.lastIndexOf('\n') + 1;
        const bool openTail = last && slice.lastLineOpen && complete < buffer.size();
        if (openTail) {
            buffer.append('\n');
            complete = buffer.size();
        }
        const char *data = buffer.constData();
        const char *end = data + complete;
        auto lineEnd = [end](const char *p) { return static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p))); };
        if (needle.isEmpty()) {
            for (const char *p = data; p < end;) {
                const char *nl = lineEnd(p);
                test(p, nl - p);
                p = nl + 1;
            }
        } else if (!pattern.foldCase || isAscii(data, complete)) {
            const char *hay = data;
            if (pattern.foldCase) {
                folded.resize(complete);
                foldAscii(data, complete, folded.data());
                hay = folded.constData();
            }
            const char *p = data;
            while (p < end) {
                const char *hit = std::search(hay + (p - data), hay + complete, searcher);
                if (hit == hay + complete) {
                    lineNo += static_cast<int>(std::count(p, end, '\n'));
                    break;
                }
                const char *at = data + (hit - hay);
                const char *start = at;
                while (start > p && start[-1] != '\n')
                    --start;
                lineNo += static_cast<int>(std::count(p, start, '\n'));
                const char *nl = lineEnd(at);
                test(start, nl - start);
                p = nl + 1;
            }
        } else {
            // Case folding maps letters outside ASCII onto ASCII ones (KELVIN SIGN onto k):
            // a line with such bytes goes through the expression whatever its bytes say.
            for (const char *p = data; p < end;) {
                const char *nl = lineEnd(p);
                const qsizetype n = nl - p;
                if (!isAscii(p, n)) {
                    test(p, n);
                } else {
                    folded.resize(n);
                    foldAscii(p, n, folded.data());
                    if (holdsNeedle(folded.constData(), n))
                        test(p, n);
                    else
                        ++lineNo;
                }
                p = nl + 1;
            }
        }
        buffer.remove(0, complete);
    }
    return result;
}

LogModel::LogModel(LogIndex *index, QObject *parent) : QAbstractTableModel(parent), m_index(index)
{
    m_searchPool.setObjectName(QStringLiteral("log search"));
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

LogModel::~LogModel()
{
    // The running pass stops at its next chunk; m_searchPool's destructor waits for it.
    stopSearch();
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
    // Plain printable ASCII can be looked for in the raw bytes first (see searchSlice).
    m_pattern = {re, {}, !caseSensitive};
    bool ascii = !regularExpression && !pattern.isEmpty();
    for (QChar c : pattern)
        ascii = ascii && c.unicode() >= 0x20 && c.unicode() < 0x7f;
    if (ascii) {
        m_pattern.needle = pattern.toLatin1();
        if (m_pattern.foldCase)
            foldAscii(m_pattern.needle.constData(), m_pattern.needle.size(), m_pattern.needle.data());
    }
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
    m_watcher = new QFutureWatcher<std::vector<int>>(this);
    auto *watcher = m_watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, files, slices] {
        if (watcher != m_watcher)
            return;
        const QList<std::vector<int>> results = watcher->future().results();
        m_watcher = nullptr;
        watcher->deleteLater();
        const SliceMatches found(results.begin(), results.end());
        mergeSearch(files, slices, found);
        continueSearch();
    });
    // One task per file, so the files are read on all cores at once.
    watcher->setFuture(QtConcurrent::mapped(&m_searchPool, slices, [pattern = m_pattern, cancel = m_cancel](const SearchSlice &slice) {
        return searchSlice(slice, pattern, cancel);
    }));
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
