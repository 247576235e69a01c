// SPDX-License-Identifier: MIT
// The service window: live table, filter, details pane, actions on the selection.
#pragma once

#include "helperclient.h"
#include "servicemodel.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace tz {

class DetailsPane;
class LogBrowser;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(HelperClient *client, ServiceModel *model, QWidget *parent = nullptr);

    enum class Act { Start, Stop, Restart, Once, Pause, Continue, Hangup, Alarm, Interrupt, Kill, Logging, Remove, New, ShowLog };
    QAction *action(Act which) const;
    // The theme's icon, or the one embedded under :/actions when the desktop has no theme.
    static QIcon actionIcon(const QString &name);
    QTableView *table() const { return m_table; }
    DetailsPane *details() const { return m_details; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QString messageText() const;
    bool offlineShown() const;
    QString offlineText() const;
    // The first-run explanation shown while the scan directory holds no service.
    bool welcomeShown() const;
    QString welcomeText() const;

    QStringList selectedNames() const;
    void selectServices(const QStringList &names);
    void setFilterText(const QString &text);
    // Opens (or raises) the log browser of one service; the last crash is marked in it.
    LogBrowser *openLog(const QString &name);
    // The same, scrolled to what the service wrote just before it last died.
    LogBrowser *openLogAtLastCrash(const QString &name);
    void control(const QStringList &names, const QString &command);
    void showMessage(const QString &text, bool error);
    // The table's context menu, built fresh for each right click; the caller owns it.
    QMenu *createContextMenu();

    // Remove asks first; tests answer for the user. Returns {confirmed, delete logs}.
    using RemoveConfirmer = std::function<std::pair<bool, bool>(const QStringList &names)>;
    void setRemoveConfirmer(RemoveConfirmer confirmer) { m_confirmRemove = std::move(confirmer); }
    // What the confirmation says happens to the services and their logs.
    QString removeExplanation() const;

signals:
    void newServiceRequested();
    void settingsRequested();
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void updateActions();
    void updateBanners();
    void refreshDetails();
    void loadLogTail(const QString &name);
    void loadCrashTimes(LogBrowser *browser);
    void setLogging(bool enabled);
    void removeSelected();
    std::pair<bool, bool> confirmRemove(const QStringList &names);

    HelperClient *m_client;
    ServiceModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    DetailsPane *m_details;
    QLineEdit *m_filter;
    QLabel *m_offline;
    QWidget *m_offlineBox;
    QPushButton *m_retry;
    QLabel *m_welcome;
    QWidget *m_welcomeBox;
    QPushButton *m_welcomeCreate;
    QLabel *m_message;
    QMap<Act, QAction *> m_actions;
    QMap<QString, QPointer<LogBrowser>> m_logs;
    RemoveConfirmer m_confirmRemove;
    quint64 m_detailsRequest = 0;
};

} // namespace tz
