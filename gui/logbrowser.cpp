// SPDX-License-Identifier: MIT
// LogBrowser: toolbar, table and the delegate that marks rotations and search matches.
#include "logbrowser.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QSaveFile>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace tz {

namespace {

// Paints a line above the first line of each rotated file and highlights search hits
// inside the message text, so the view needs no per-row widgets.
class LogDelegate : public QStyledItemDelegate {
public:
    LogDelegate(LogModel *model, QObject *parent) : QStyledItemDelegate(parent), m_model(model) {}

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString fullText = opt.text;
        opt.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        painter->save();
        const QRect r = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(2, 0, -2, 0);
        // Only what fits is drawn, and no glyph that shows is narrower than a pixel:
        // shaping a 16 KiB line for the first few hundred characters of it made each
        // repaint of a log with long lines take 30-40 ms.
        const QString text = fullText.left(std::max(0, r.width()) + 1);
        painter->setClipRect(option.rect);
        const bool selected = option.state & QStyle::State_Selected;
        painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        const QFontMetrics fm(opt.font);
        const int baseline = r.top() + (r.height() - fm.height()) / 2 + fm.ascent();
        const QRegularExpression re = m_model->search();
        if (index.column() == LogModel::TextColumn && !re.pattern().isEmpty() && re.isValid()
            && index.data(LogModel::MatchRole).toBool()) {
            int x = r.left();
            qsizetype done = 0;
            auto it = re.globalMatch(text);
            while (it.hasNext() && x < r.right()) {
                const auto m = it.next();
                if (m.capturedLength() == 0)
                    break;
                const QString before = text.mid(done, m.capturedStart() - done);
                painter->drawText(QPoint(x, baseline), before);
                x += fm.horizontalAdvance(before);
                const QString hit = m.captured();
                const int w = fm.horizontalAdvance(hit);
                painter->fillRect(QRect(x, r.top() + 1, w, r.height() - 2), QColor(255, 214, 0));
                painter->setPen(Qt::black);
                painter->drawText(QPoint(x, baseline), hit);
                painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
                x += w;
                done = m.capturedEnd();
            }
            painter->drawText(QPoint(x, baseline), text.mid(done));
        } else {
            painter->drawText(QPoint(r.left(), baseline), text);
        }
        if (index.data(LogModel::BoundaryRole).toBool()) {
            painter->setPen(QPen(QColor(0, 120, 215), 2));
            painter->drawLine(option.rect.topLeft() + QPoint(0, 1), option.rect.topRight() + QPoint(0, 1));
        }
        painter->restore();
    }

private:
    LogModel *m_model;
};

} // namespace

LogBrowser::LogBrowser(const QString &service, QWidget *parent)
    : QWidget(parent), m_service(service), m_index(new LogIndex(this)), m_model(new LogModel(m_index, this))
{
    setWindowTitle(tr("Log of %1").arg(service));

    m_searchEdit = new QLineEdit;
    m_searchEdit->setPlaceholderText(tr("Search the log"));
    m_searchEdit->setClearButtonEnabled(true);
    m_regexBox = new QCheckBox(tr("Regular expression"));
    m_caseBox = new QCheckBox(tr("Match case"));
    m_filterBox = new QCheckBox(tr("Only matching lines"));
    auto *prev = new QToolButton;
    prev->setArrowType(Qt::UpArrow);
    prev->setToolTip(tr("Previous match (Shift+F3)"));
    prev->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    auto *next = new QToolButton;
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (F3)"));
    next->setShortcut(QKeySequence(Qt::Key_F3));
    m_matches = new QLabel;

    m_followBox = new QCheckBox(tr("Follow"));
    m_followBox->setToolTip(tr("Show new lines as the service writes them"));
    m_utcBox = new QCheckBox(tr("UTC"));
    m_utcBox->setToolTip(tr("Show times in UTC instead of local time"));
    m_timeEdit = new QDateTimeEdit(QDateTime::currentDateTime());
    m_timeEdit->setCalendarPopup(true);
    m_timeEdit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat) + QStringLiteral(" HH:mm:ss"));
    auto *jump = new QToolButton;
    jump->setText(tr("Go to time"));
    m_crashButton = new QToolButton;
    m_crashButton->setText(tr("Last crash"));
    m_crashButton->setToolTip(tr("Go to the lines written just before the service last died"));
    m_crashButton->setEnabled(false);
    auto *copy = new QToolButton;
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the selected lines (Ctrl+C)"));
    auto *reload = new QToolButton;
    reload->setText(tr("Reload"));
    reload->setToolTip(tr("Read the log directory again, with the files written since (F5)"));
    reload->setShortcut(QKeySequence::Refresh);
    m_reloadButton = reload;
    auto *exportButton = new QToolButton;
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save the selected lines, or all shown lines, to a file"));

    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setItemDelegate(new LogDelegate(m_model, m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // Fixed row heights keep scrolling cheap however many lines the log holds.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(LogModel::TimeColumn, QHeaderView::Interactive);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    m_view->setFont(mono);
    // Measured in the view's own font, with room for the widest date the locale writes.
    m_view->setColumnWidth(LogModel::TimeColumn,
                           QFontMetrics(mono).horizontalAdvance(m_model->timeText(QDateTime(QDate(2000, 12, 28), QTime(23, 59, 59, 999)).toMSecsSinceEpoch()))
                               + 24);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(copyAction);
    auto *exportAction = new QAction(tr("Export…"), m_view);
    m_view->addAction(exportAction);

    m_status = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(200);
    m_progress->setRange(0, 1000);
    m_progress->hide();

    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_searchEdit, 1);
    searchRow->addWidget(prev);
    searchRow->addWidget(next);
    searchRow->addWidget(m_matches);
    searchRow->addWidget(m_regexBox);
    searchRow->addWidget(m_caseBox);
    searchRow->addWidget(m_filterBox);
    auto *navRow = new QHBoxLayout;
    navRow->addWidget(m_followBox);
    navRow->addWidget(m_utcBox);
    navRow->addSpacing(12);
    navRow->addWidget(m_timeEdit);
    navRow->addWidget(jump);
    navRow->addWidget(m_crashButton);
    navRow->addStretch(1);
    navRow->addWidget(reload);
    navRow->addWidget(copy);
    navRow->addWidget(exportButton);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(searchRow);
    layout->addLayout(navRow);
    layout->addWidget(m_view, 1);
    layout->addLayout(statusRow);

    auto runSearch = [this] { search(m_searchEdit->text(), m_regexBox->isChecked()); };
    connect(m_searchEdit, &QLineEdit::returnPressed, this, [this] { findNext(true); });
    connect(m_searchEdit, &QLineEdit::textChanged, this, runSearch);
    connect(m_regexBox, &QCheckBox::toggled, this, runSearch);
    connect(m_caseBox, &QCheckBox::toggled, this, runSearch);
    connect(m_filterBox, &QCheckBox::toggled, this, &LogBrowser::setFilterMatching);
    connect(prev, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(m_followBox, &QCheckBox::toggled, this, &LogBrowser::setFollow);
    connect(m_utcBox, &QCheckBox::toggled, this, &LogBrowser::setUtc);
    connect(jump, &QToolButton::clicked, this, [this] {
        if (!jumpToTime(m_timeEdit->dateTime()))
            m_status->setText(tr("No line at or after that time."));
    });
    connect(m_crashButton, &QToolButton::clicked, this, &LogBrowser::jumpToLastCrash);
    connect(copy, &QToolButton::clicked, this, &LogBrowser::copySelection);
    connect(copyAction, &QAction::triggered, this, &LogBrowser::copySelection);
    connect(exportButton, &QToolButton::clicked, this, &LogBrowser::exportToFile);
    connect(exportAction, &QAction::triggered, this, &LogBrowser::exportToFile);
    connect(m_model, &LogModel::searchFinished, this, [this](int) { updateStatus(); });
    // The index reports progress after every batch of lines it adds, dozens of times a
    // second. A progress bar repaints itself at once whenever its value moves by a pixel,
    // and the status line relays out the window: done for each batch, that took 4 of
    // every 6 ms the window spent on a batch. A few updates a second read the same.
    m_progressTimer.setSingleShot(true);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &LogBrowser::showProgress);
    connect(m_index, &LogIndex::progress, this, [this] {
        if (!m_progressTimer.isActive())
            m_progressTimer.start();
    });
    connect(m_index, &LogIndex::indexingFinished, this, [this] {
        m_progressTimer.stop();
        m_progress->hide();
        updateStatus();
        scrollToEndIfFollowing();
        jumpIfPending();
    });
    connect(m_index, &LogIndex::appended, this, &LogBrowser::scrollToEndIfFollowing);
    connect(m_index, &LogIndex::currentRotated, this, [this] { emit reloadRequested(false); });
    connect(reload, &QToolButton::clicked, this, [this] { emit reloadRequested(true); });
    m_followBox->setChecked(true);
    updateStatus();
    resize(1000, 600);
}

void LogBrowser::setSources(QList<LogIndex::Source> sources)
{
    m_error.clear();
    m_progress->setValue(0);
    m_index->setSources(std::move(sources));
    m_progress->setVisible(m_index->isIndexing());
    m_index->setFollow(m_followBox->isChecked());
    updateStatus();
}

void LogBrowser::setError(const QString &message)
{
    m_error = message;
    updateStatus();
}

void LogBrowser::setCrashTimes(QList<qint64> times)
{
    std::sort(times.begin(), times.end());
    m_crashTimes = std::move(times);
    m_crashButton->setEnabled(!m_crashTimes.isEmpty());
    jumpIfPending();
}

void LogBrowser::showLastCrashWhenReady()
{
    m_crashJumpPending = true;
    jumpIfPending();
}

void LogBrowser::jumpIfPending()
{
    if (!m_crashJumpPending || m_crashTimes.isEmpty() || m_index->isIndexing() || m_model->rowCount() == 0)
        return;
    m_crashJumpPending = false;
    jumpToLastCrash();
}

void LogBrowser::search(const QString &text, bool regularExpression)
{
    if (m_searchEdit->text() != text)
        m_searchEdit->setText(text);
    if (m_regexBox->isChecked() != regularExpression)
        m_regexBox->setChecked(regularExpression);
    m_model->setSearch(text, regularExpression, m_caseBox->isChecked());
    updateStatus();
}

void LogBrowser::setFilterMatching(bool on)
{
    if (m_filterBox->isChecked() != on)
        m_filterBox->setChecked(on);
    m_model->setFilter(on);
    updateStatus();
}

void LogBrowser::setFollow(bool on)
{
    if (m_followBox->isChecked() != on)
        m_followBox->setChecked(on);
    m_index->setFollow(on);
    scrollToEndIfFollowing();
}

void LogBrowser::setUtc(bool on)
{
    if (m_utcBox->isChecked() != on)
        m_utcBox->setChecked(on);
    m_model->setUtc(on);
    m_timeEdit->setTimeSpec(on ? Qt::UTC : Qt::LocalTime);
}

void LogBrowser::scrollToEndIfFollowing()
{
    if (m_followBox->isChecked() && m_model->rowCount() > 0)
        m_view->scrollToBottom();
}

bool LogBrowser::jumpToTime(const QDateTime &time)
{
    if (m_model->rowCount() == 0)
        return false;
    setFollow(false);
    const int row = m_model->rowAtTime(time.toMSecsSinceEpoch());
    if (row < 0)
        return false;
    const QModelIndex target = m_model->index(row, LogModel::TextColumn);
    m_view->setCurrentIndex(target);
    m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
    return true;
}

bool LogBrowser::jumpToLastCrash()
{
    if (m_crashTimes.isEmpty() || m_model->rowCount() == 0)
        return false;
    setFollow(false);
    // The last line stamped before the death is what the service said as it went down.
    int row = m_model->rowAtTime(m_crashTimes.last() + 1);
    const QVariant stamp = m_model->index(row, 0).data(LogModel::UnixMsRole);
    if (row > 0 && stamp.isValid() && stamp.toLongLong() > m_crashTimes.last())
        --row;
    const QModelIndex target = m_model->index(row, LogModel::TextColumn);
    m_view->setCurrentIndex(target);
    m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
    return true;
}

void LogBrowser::findNext(bool forward)
{
    const int row = m_model->nextMatch(m_view->currentIndex().isValid() ? m_view->currentIndex().row() : -1, forward);
    if (row < 0)
        return;
    setFollow(false);
    const QModelIndex target = m_model->index(row, LogModel::TextColumn);
    m_view->setCurrentIndex(target);
    m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
}

QString LogBrowser::selectedText() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows.append(i.row());
    std::sort(rows.begin(), rows.end());
    QString out;
    for (int r : rows)
        out += m_model->lineText(r) + QLatin1Char('\n');
    return out;
}

void LogBrowser::copySelection()
{
    QApplication::clipboard()->setText(selectedText());
}

bool LogBrowser::exportSelection(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const bool all = !m_view->selectionModel()->hasSelection();
    if (all) {
        for (int r = 0; r < m_model->rowCount(); ++r)
            file.write(m_model->lineText(r).toUtf8() + '\n');
    } else {
        file.write(selectedText().toUtf8());
    }
    return file.commit();
}

void LogBrowser::exportToFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export log lines"), m_service + QStringLiteral(".log"),
                                                      tr("Log files (*.log *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    if (!exportSelection(path))
        QMessageBox::warning(this, tr("Export failed"), tr("The lines could not be saved to %1.").arg(path));
}

void LogBrowser::showProgress()
{
    m_progress->setVisible(m_index->isIndexing());
    if (m_index->knownBytes() > 0)
        m_progress->setValue(static_cast<int>(m_index->indexedBytes() * 1000 / m_index->knownBytes()));
    updateStatus();
}

QString LogBrowser::statusText() const
{
    return m_status->text();
}

void LogBrowser::updateStatus()
{
    if (!m_error.isEmpty()) {
        m_status->setText(m_error);
        return;
    }
    const int files = m_index->fileCount();
    QString text;
    if (files == 0)
        text = tr("This service has not logged anything yet.");
    else
        text = tr("%n line(s)", nullptr, m_index->lineCount()) + QStringLiteral(" · ")
             + tr("%n file(s)", nullptr, files);
    if (m_index->isIndexing())
        text += QStringLiteral(" · ") + tr("reading…");
    m_status->setText(text);
    const QRegularExpression re = m_model->search();
    if (re.pattern().isEmpty())
        m_matches->clear();
    else if (!re.isValid())
        m_matches->setText(tr("invalid expression"));
    else if (m_model->searching())
        m_matches->setText(tr("searching…"));
    else
        m_matches->setText(tr("%n match(es)", nullptr, m_model->matchCount()));
}

} // namespace tz
