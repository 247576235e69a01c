// SPDX-License-Identifier: MIT
// The details pane: one service's settings, run script, exit history and latest log lines.
#pragma once

#include "types.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace tz {

class DetailsPane : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPane(QWidget *parent = nullptr);

    void showNothing(int selected);
    void setDetails(const ServiceDetails &details);
    // note stands in for lines when there are none; the log browser's button is
    // enabled with lines, or when opening the browser is the way on (browserHelps).
    void setLogTail(const QStringList &lines, const QString &note = {}, bool browserHelps = false);
    QString serviceName() const { return m_name; }

    // "exited 1 after 3 s", "killed by SIGSEGV after 2 min", "stopped on request after 1 h 3 min".
    static QString exitText(const ExitInfo &exit);
    static QString signalName(int signal);

    QPlainTextEdit *runView() const { return m_run; }
    QListWidget *exitList() const { return m_exits; }
    QPlainTextEdit *logView() const { return m_log; }
    bool canOpenLog() const;

signals:
    void openLogRequested(const QString &name);

private:
    QString m_name;
    QLabel *m_title;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_run;
    QPlainTextEdit *m_logRun;
    QListWidget *m_exits;
    QPlainTextEdit *m_log;
    QPushButton *m_openLog;
};

} // namespace tz
