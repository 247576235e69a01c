// SPDX-License-Identifier: MIT
// The log browser: one service's multilog directory as a single searchable timeline.
#pragma once

#include "logindex.h"
#include "logmodel.h"

#include <QDateTime>
#include <QTimer>
#include <QWidget>

class QAction;
class QCheckBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;
class QToolButton;

namespace tz {

class LogBrowser : public QWidget {
    Q_OBJECT
public:
    explicit LogBrowser(const QString &service, QWidget *parent = nullptr);

    QString service() const { return m_service; }
    // The files to show, oldest archive first and current last; descriptors are adopted.
    void setSources(QList<LogIndex::Source> sources);
    void setError(const QString &message);
    // Ends of ./run not asked for (Unix ms), for "jump to last crash".
    void setCrashTimes(QList<qint64> times);

    LogModel *model() const { return m_model; }
    LogIndex *index() const { return m_index; }
    QTableView *view() const { return m_view; }
    QToolButton *reloadButton() const { return m_reloadButton; }
    // The status line: the error set, or the count of lines and files.
    QString statusText() const;

    void search(const QString &text, bool regularExpression);
    void setFilterMatching(bool on);
    void setFollow(bool on);
    void setUtc(bool on);
    bool jumpToTime(const QDateTime &time);
    bool jumpToLastCrash();
    // Goes to the last crash as soon as the lines and the crash times are both there.
    void showLastCrashWhenReady();
    QString selectedText() const;
    bool exportSelection(const QString &path) const;

signals:
    // The browser wants the directory listed and opened again: byUser when its user
    // pressed Reload (a password may be asked for), not when current was rotated.
    void reloadRequested(bool byUser);

private:
    void updateStatus();
    void findNext(bool forward);
    void copySelection();
    void exportToFile();
    void scrollToEndIfFollowing();
    void jumpIfPending();
    void showProgress();

    QString m_service;
    LogIndex *m_index;
    LogModel *m_model;
    QTableView *m_view;
    QLineEdit *m_searchEdit;
    QCheckBox *m_regexBox;
    QCheckBox *m_caseBox;
    QCheckBox *m_filterBox;
    QCheckBox *m_followBox;
    QCheckBox *m_utcBox;
    QDateTimeEdit *m_timeEdit;
    QToolButton *m_crashButton;
    QToolButton *m_reloadButton;
    QLabel *m_status;
    QLabel *m_matches;
    QProgressBar *m_progress;
    QTimer m_progressTimer; // coalesces the index's progress into a few updates a second
    QList<qint64> m_crashTimes;
    QString m_error;
    bool m_crashJumpPending = false;
};

} // namespace tz
