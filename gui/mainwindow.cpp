// SPDX-License-Identifier: MIT
// MainWindow: wiring of the table, the pane and the helper calls behind every action.
#include "mainwindow.h"

#include "detailspane.h"
#include "errors.h"
#include "errortext.h"
#include "logbrowser.h"
#include "logline.h"

#include <QDateTime>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <memory>

#include <unistd.h>

namespace tz {

namespace {

// When the service crashed, for the log browser's "Last crash".
QList<qint64> crashTimes(const ServiceDetails &d)
{
    QList<qint64> times;
    for (const ExitInfo &e : d.exits)
        if (e.crashed())
            times.append(e.when);
    return times;
}

} // namespace

MainWindow::MainWindow(HelperClient *client, ServiceModel *model, QWidget *parent)
    : QMainWindow(parent), m_client(client), m_model(model)
{
    setWindowTitle(tr("Tazuna — services"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("tazuna"), QIcon(QStringLiteral(":/icons/hicolor/scalable/apps/tazuna.svg"))));

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ServiceModel::SortRole);
    m_proxy->setFilterKeyColumn(ServiceModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ServiceModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter services by name"));
    m_filter->setClearButtonEnabled(true);

    m_offline = new QLabel;
    m_offline->setWordWrap(true);
    m_offline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_offline->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; border-radius: 3px; }"));
    m_retry = new QPushButton(tr("Try again"));
    m_offlineBox = new QWidget;
    auto *offlineLayout = new QHBoxLayout(m_offlineBox);
    offlineLayout->setContentsMargins(0, 0, 0, 0);
    offlineLayout->addWidget(m_offline, 1);
    offlineLayout->addWidget(m_retry, 0, Qt::AlignTop);
    connect(m_retry, &QPushButton::clicked, m_client, &HelperClient::refresh);

    // First run: an empty scan directory gets an explanation instead of an empty table.
    m_welcome = new QLabel;
    m_welcome->setWordWrap(true);
    m_welcome->setTextFormat(Qt::PlainText);
    m_welcome->setStyleSheet(QStringLiteral("QLabel { background: #e8f1fb; color: #0d3c61; padding: 8px; border-radius: 3px; }"));
    m_welcomeCreate = new QPushButton(actionIcon(QStringLiteral("document-new")), tr("Create a service…"));
    m_welcomeBox = new QWidget;
    auto *welcomeLayout = new QHBoxLayout(m_welcomeBox);
    welcomeLayout->setContentsMargins(0, 0, 0, 0);
    welcomeLayout->addWidget(m_welcome, 1);
    welcomeLayout->addWidget(m_welcomeCreate, 0, Qt::AlignTop);
    connect(m_welcomeCreate, &QPushButton::clicked, this, &MainWindow::newServiceRequested);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->hide();

    m_details = new DetailsPane;
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_table, 1);
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(left);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_offlineBox);
    layout->addWidget(m_welcomeBox);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    createActions();

    connect(m_filter, &QLineEdit::textChanged, this, &MainWindow::setFilterText);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        refreshDetails();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &from, const QModelIndex &to) {
        if (from.column() == ServiceModel::TimeColumn && to.column() == ServiceModel::TimeColumn)
            return;
        updateActions();
        const QString shown = m_details->serviceName();
        if (!shown.isEmpty()) {
            const int row = m_model->rowOf(shown);
            if (row >= from.row() && row <= to.row())
                refreshDetails();
        }
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateActions);
    connect(m_client, &HelperClient::connectedChanged, this, [this](bool connected) {
        Q_UNUSED(connected)
        updateBanners();
        updateActions();
    });
    connect(m_client, &HelperClient::presenceChanged, this, &MainWindow::updateBanners);
    connect(m_client, &HelperClient::scanDirectoryChanged, this, &MainWindow::updateBanners);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateBanners);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateBanners);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::updateBanners);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        std::unique_ptr<QMenu> menu(createContextMenu());
        menu->exec(m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_details, &DetailsPane::openLogRequested, this, &MainWindow::openLog);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &i) {
        openLog(i.data(ServiceModel::NameRole).toString());
    });
    statusBar();
    updateBanners();
    updateActions();
    resize(1000, 680);
}

QIcon MainWindow::actionIcon(const QString &name)
{
    const QIcon embedded(QStringLiteral(":/actions/%1.svg").arg(name));
    // Our own names are not asked of the theme: its lookup would cut "tazuna-logging"
    // back to "tazuna" and show the app's icon on the button.
    if (name.startsWith(QLatin1String("tazuna-")))
        return embedded;
    return QIcon::fromTheme(name, embedded);
}

QAction *MainWindow::action(Act which) const
{
    return m_actions.value(which);
}

void MainWindow::createActions()
{
    auto add = [this](Act which, const QString &text, const QString &tip, const QKeySequence &key, const QString &icon = {}) {
        auto *a = new QAction(text, this);
        a->setToolTip(tip);
        a->setStatusTip(tip);
        if (!key.isEmpty()) {
            a->setShortcut(key);
            a->setShortcutContext(Qt::WindowShortcut);
        }
        if (!icon.isEmpty())
            a->setIcon(actionIcon(icon));
        addAction(a);
        m_actions.insert(which, a);
        return a;
    };
    auto *start = add(Act::Start, tr("&Start"), tr("Start the selected services and keep them running (svc -u)"), QKeySequence(Qt::CTRL | Qt::Key_U), QStringLiteral("media-playback-start"));
    auto *stop = add(Act::Stop, tr("S&top"), tr("Stop the selected services and keep them stopped (svc -d)"), QKeySequence(Qt::CTRL | Qt::Key_D), QStringLiteral("media-playback-stop"));
    auto *restart = add(Act::Restart, tr("&Restart"), tr("Send TERM; supervise starts the service again (svc -t)"), QKeySequence(Qt::CTRL | Qt::Key_R), QStringLiteral("view-refresh"));
    add(Act::Once, tr("Run &once"), tr("Start the selected services, but do not restart them when they exit (svc -o)"), QKeySequence(Qt::CTRL | Qt::Key_O), QStringLiteral("media-skip-forward"));
    add(Act::Pause, tr("&Pause"), tr("Send STOP to the selected services (svc -p)"), QKeySequence(Qt::CTRL | Qt::Key_P), QStringLiteral("media-playback-pause"));
    add(Act::Continue, tr("&Continue"), tr("Send CONT to paused services (svc -c)"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), QStringLiteral("media-seek-forward"));
    add(Act::Hangup, tr("HUP — reload"), tr("Send HUP, which many daemons take as \"reread your configuration\" (svc -h)"), {});
    add(Act::Alarm, tr("ALRM — alarm"), tr("Send ALRM (svc -a)"), {});
    add(Act::Interrupt, tr("INT — interrupt"), tr("Send INT (svc -i)"), {});
    add(Act::Kill, tr("KILL — kill now"), tr("Send KILL: the daemon dies at once; supervise starts it again unless it is stopped (svc -k)"), {});
    auto *logging = add(Act::Logging, tr("Logg&ing"), tr("On: the service's output goes through multilog into log/main, kept and rotated; the service restarts once to switch over."), QKeySequence(Qt::CTRL | Qt::Key_G), QStringLiteral("tazuna-logging"));
    logging->setCheckable(true);
    auto *remove = add(Act::Remove, tr("Re&move…"), tr("Stop the selected services and take them out of the service directory"), QKeySequence::Delete, QStringLiteral("edit-delete"));
    auto *create = add(Act::New, tr("&New service…"), tr("Create a service from a template"), QKeySequence::New, QStringLiteral("document-new"));
    auto *showLog = add(Act::ShowLog, tr("Show &log"), tr("Browse the selected service's log"), QKeySequence(Qt::CTRL | Qt::Key_L), QStringLiteral("text-x-generic"));

    const QMap<Act, QString> commands{{Act::Start, QStringLiteral("start")},     {Act::Stop, QStringLiteral("stop")},
                                      {Act::Restart, QStringLiteral("restart")}, {Act::Once, QStringLiteral("once")},
                                      {Act::Pause, QStringLiteral("pause")},     {Act::Continue, QStringLiteral("continue")},
                                      {Act::Hangup, QStringLiteral("hup")},      {Act::Alarm, QStringLiteral("alarm")},
                                      {Act::Interrupt, QStringLiteral("interrupt")}, {Act::Kill, QStringLiteral("kill")}};
    for (auto it = commands.cbegin(); it != commands.cend(); ++it) {
        const QString command = it.value();
        connect(m_actions.value(it.key()), &QAction::triggered, this, [this, command] { control(selectedNames(), command); });
    }
    connect(logging, &QAction::triggered, this, &MainWindow::setLogging);
    connect(remove, &QAction::triggered, this, &MainWindow::removeSelected);
    connect(create, &QAction::triggered, this, &MainWindow::newServiceRequested);
    connect(showLog, &QAction::triggered, this, [this] {
        const QStringList names = selectedNames();
        if (names.size() == 1)
            openLog(names.first());
    });

    auto *toolbar = addToolBar(tr("Actions"));
    toolbar->setObjectName(QStringLiteral("actions"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(create);
    toolbar->addSeparator();
    toolbar->addAction(start);
    toolbar->addAction(stop);
    toolbar->addAction(restart);
    toolbar->addSeparator();
    toolbar->addAction(showLog);
    toolbar->addAction(logging);

    QMenu *file = menuBar()->addMenu(tr("&Tazuna"));
    file->addAction(create);
    auto *settings = file->addAction(tr("&Settings…"));
    connect(settings, &QAction::triggered, this, &MainWindow::settingsRequested);
    file->addSeparator();
    auto *close = file->addAction(tr("&Close window"));
    close->setShortcut(QKeySequence::Close);
    connect(close, &QAction::triggered, this, &QWidget::close);
    auto *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &MainWindow::quitRequested);
    QMenu *service = menuBar()->addMenu(tr("&Service"));
    for (Act a : {Act::Start, Act::Stop, Act::Restart, Act::Once, Act::Pause, Act::Continue})
        service->addAction(action(a));
    QMenu *signalMenu = service->addMenu(tr("Send si&gnal"));
    for (Act a : {Act::Hangup, Act::Alarm, Act::Interrupt, Act::Kill})
        signalMenu->addAction(action(a));
    service->addSeparator();
    service->addAction(showLog);
    service->addAction(logging);
    service->addSeparator();
    service->addAction(remove);
}

QMenu *MainWindow::createContextMenu()
{
    auto *menu = new QMenu(this);
    for (Act a : {Act::Start, Act::Stop, Act::Restart, Act::Once, Act::Pause, Act::Continue})
        menu->addAction(action(a));
    QMenu *signalMenu = menu->addMenu(tr("Send si&gnal"));
    for (Act a : {Act::Hangup, Act::Alarm, Act::Interrupt, Act::Kill})
        signalMenu->addAction(action(a));
    menu->addSeparator();
    menu->addAction(action(Act::ShowLog));
    menu->addAction(action(Act::Logging));
    menu->addSeparator();
    menu->addAction(action(Act::Remove));
    return menu;
}

QStringList MainWindow::selectedNames() const
{
    QStringList names;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        names.append(i.data(ServiceModel::NameRole).toString());
    names.sort();
    return names;
}

void MainWindow::selectServices(const QStringList &names)
{
    QItemSelection selection;
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex i = m_proxy->index(r, 0);
        if (names.contains(i.data(ServiceModel::NameRole).toString()))
            selection.select(i, m_proxy->index(r, ServiceModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void MainWindow::setFilterText(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text);
    m_proxy->setFilterFixedString(text);
}

void MainWindow::updateActions()
{
    const QStringList names = selectedNames();
    const bool any = !names.isEmpty() && m_client->isConnected();
    for (Act a : {Act::Start, Act::Stop, Act::Restart, Act::Once, Act::Pause, Act::Continue, Act::Hangup, Act::Alarm,
                  Act::Interrupt, Act::Kill, Act::Logging, Act::Remove})
        action(a)->setEnabled(any);
    action(Act::ShowLog)->setEnabled(names.size() == 1 && m_client->isConnected());
    action(Act::New)->setEnabled(m_client->isConnected());
    bool allLogging = any;
    for (const QString &n : names) {
        const int row = m_model->rowOf(n);
        allLogging = allLogging && row >= 0 && m_model->service(row).logging;
    }
    action(Act::Logging)->setChecked(allLogging);
}

void MainWindow::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { background: #fff4e5; color: #663c00; padding: 6px; border-radius: 3px; }")
                                   : QStringLiteral("QLabel { background: #edf7ed; color: #1e4620; padding: 6px; border-radius: 3px; }"));
    m_message->setVisible(!text.isEmpty());
}

QString MainWindow::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

QString MainWindow::offlineText() const
{
    return m_offlineBox->isHidden() ? QString() : m_offline->text();
}

bool MainWindow::welcomeShown() const
{
    return !m_welcomeBox->isHidden();
}

QString MainWindow::welcomeText() const
{
    return m_welcome->text();
}

void MainWindow::updateBanners()
{
    using Presence = HelperClient::Presence;
    QString offline;
    switch (m_client->presence()) {
    case Presence::Connected:
        break;
    case Presence::NotInstalled:
        offline = tr("The Tazuna helper is not installed on this computer, so no service can be shown or changed. "
                     "Install the tazuna package, for example with: sudo apt install ./tazuna_*.deb. "
                     "This window connects by itself as soon as the helper runs.");
        break;
    case Presence::NotRunning:
        offline = tr("The Tazuna helper is installed but not running. Start it with: "
                     "sudo systemctl start tazuna-helper.service (journalctl -u tazuna-helper.service tells why it stopped). "
                     "This window connects by itself as soon as it runs.");
        break;
    case Presence::Unknown:
        offline = tr("Connecting to the Tazuna helper…");
        break;
    case Presence::Lost:
        offline = tr("The Tazuna helper is not reachable, so the list below may be out of date. "
                     "It reconnects by itself as soon as the helper is back.");
        break;
    }
    m_offline->setText(offline);
    m_offlineBox->setVisible(!offline.isEmpty());
    m_retry->setVisible(m_client->presence() == Presence::NotInstalled || m_client->presence() == Presence::NotRunning);

    const bool empty = m_client->isConnected() && m_model->rowCount() == 0;
    if (empty) {
        const QString dir = m_client->scanDirectory().isEmpty() ? QStringLiteral("/service") : m_client->scanDirectory();
        m_welcome->setText(tr("There are no services yet. Tazuna watches the scan directory %1: svscan starts one "
                              "supervise for each folder in it, and supervise keeps that folder's run script running, "
                              "restarting it when it exits. Create a service from a template to put the first folder there.")
                               .arg(dir));
    }
    m_welcomeBox->setVisible(empty);
}

bool MainWindow::offlineShown() const
{
    return !m_offlineBox->isHidden();
}

void MainWindow::control(const QStringList &names, const QString &command)
{
    if (names.isEmpty())
        return;
    showMessage({}, false);
    m_client->control(names, command, [this](const CallResult &r) {
        if (!r.ok())
            showMessage(ErrorText::describe(r.error), true);
    });
}

void MainWindow::setLogging(bool enabled)
{
    const QStringList names = selectedNames();
    showMessage({}, false);
    m_client->setLogging(names, enabled, [this, enabled, names](const CallResult &r) {
        if (!r.ok()) {
            showMessage(ErrorText::describe(r.error), true);
            updateActions();
            return;
        }
        showMessage(enabled ? tr("Logging is on for %1: output now goes to log/main.").arg(names.join(QStringLiteral(", ")))
                            : tr("Logging is off for %1: output is no longer kept.").arg(names.join(QStringLiteral(", "))),
                    false);
    });
}

QString MainWindow::removeExplanation() const
{
    const QString dir = m_client->scanDirectory().isEmpty() ? QStringLiteral("/service") : m_client->scanDirectory();
    return tr("Each service and its logger are stopped, then its directory is taken out of %1. Its log files are "
              "kept, with the rest of the directory, in %1/.tazuna-removed/, unless you tick the box below; "
              "then they are deleted for good.")
        .arg(dir);
}

std::pair<bool, bool> MainWindow::confirmRemove(const QStringList &names)
{
    if (m_confirmRemove)
        return m_confirmRemove(names);
    QMessageBox box(QMessageBox::Warning, tr("Remove services"),
                    tr("Remove %n service(s): %1?", nullptr, static_cast<int>(names.size())).arg(names.join(QStringLiteral(", "))),
                    QMessageBox::Cancel, this);
    box.setInformativeText(removeExplanation());
    auto *removeButton = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    auto *deleteLogs = new QCheckBox(tr("Also delete the log files"));
    box.setCheckBox(deleteLogs);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return {box.clickedButton() == static_cast<QAbstractButton *>(removeButton), deleteLogs->isChecked()};
}

void MainWindow::removeSelected()
{
    const QStringList names = selectedNames();
    if (names.isEmpty())
        return;
    const auto [confirmed, deleteLogs] = confirmRemove(names);
    if (!confirmed)
        return;
    showMessage(tr("Removing %1…").arg(names.join(QStringLiteral(", "))), false);
    m_client->remove(names, deleteLogs, [this, names, deleteLogs = deleteLogs](const CallResult &r) {
        if (!r.ok())
            showMessage(ErrorText::describe(r.error), true);
        else
            showMessage(deleteLogs ? tr("Removed %1 and its logs.").arg(names.join(QStringLiteral(", ")))
                                   : tr("Removed %1; its log files were kept in %2.")
                                         .arg(names.join(QStringLiteral(", ")),
                                              (m_client->scanDirectory().isEmpty() ? QStringLiteral("/service") : m_client->scanDirectory())
                                                  + QStringLiteral("/.tazuna-removed/")),
                        false);
    });
}

void MainWindow::refreshDetails()
{
    const QStringList names = selectedNames();
    if (names.size() != 1) {
        m_details->showNothing(static_cast<int>(names.size()));
        return;
    }
    const QString name = names.first();
    const quint64 request = ++m_detailsRequest;
    m_client->details(name, [this, name, request](const CallResult &r, const ServiceDetails &d) {
        if (request != m_detailsRequest)
            return;
        if (!r.ok()) {
            m_details->showNothing(0);
            showMessage(ErrorText::describe(r.error), true);
            return;
        }
        m_details->setDetails(d);
        if (d.info.logging)
            loadLogTail(name);
        else
            m_details->setLogTail({}, tr("Logging is off for this service: its output is not kept."));
        if (LogBrowser *b = m_logs.value(name)) {
            b->setCrashTimes(crashTimes(d));
        }
    });
}

void MainWindow::loadLogTail(const QString &name)
{
    const quint64 request = m_detailsRequest;
    m_client->openLog(name, QStringLiteral("current"), [this, request](const CallResult &r, int fd) {
        if (request != m_detailsRequest) {
            if (fd >= 0)
                ::close(fd);
            return;
        }
        if (!r.ok() || fd < 0) {
            // Selecting a row never brings up a password dialog: the log browser asks.
            if (r.error.name() == QLatin1String(errors::interactiveAuthorizationRequired))
                m_details->setLogTail({}, tr("Reading this service's log needs an administrator's password. "
                                             "Open the log browser to enter it."), true);
            else
                m_details->setLogTail({}, r.ok() ? QString() : ErrorText::describe(r.error));
            return;
        }
        // Only the end matters here; the log browser reads the rest.
        const off_t size = ::lseek(fd, 0, SEEK_END);
        const off_t from = size > 8192 ? size - 8192 : 0;
        QByteArray tail(static_cast<qsizetype>(size - from), '\0');
        const ssize_t got = ::pread(fd, tail.data(), static_cast<size_t>(tail.size()), from);
        ::close(fd);
        tail.truncate(got > 0 ? got : 0);
        QList<QByteArray> raw = tail.split('\n');
        if (from > 0 && !raw.isEmpty())
            raw.removeFirst();
        QStringList lines;
        const QLocale locale;
        for (const QByteArray &l : raw) {
            if (l.isEmpty())
                continue;
            const LogLine line = decodeLogLine(l);
            lines.append(line.unixMs ? locale.toString(QDateTime::fromMSecsSinceEpoch(*line.unixMs).time(), QStringLiteral("HH:mm:ss"))
                                           + QStringLiteral("  ") + line.text
                                     : line.text);
        }
        while (lines.size() > 12)
            lines.removeFirst();
        m_details->setLogTail(lines, tr("The log is empty so far."));
    });
}

LogBrowser *MainWindow::openLogAtLastCrash(const QString &name)
{
    LogBrowser *browser = openLog(name);
    browser->showLastCrashWhenReady();
    return browser;
}

void MainWindow::loadCrashTimes(LogBrowser *browser)
{
    m_client->details(browser->service(), [browser = QPointer<LogBrowser>(browser)](const CallResult &r, const ServiceDetails &d) {
        if (!browser || !r.ok())
            return;
        browser->setCrashTimes(crashTimes(d));
    });
}

LogBrowser *MainWindow::openLog(const QString &name)
{
    if (LogBrowser *existing = m_logs.value(name)) {
        existing->show();
        existing->raise();
        existing->activateWindow();
        loadCrashTimes(existing);
        return existing;
    }
    auto *browser = new LogBrowser(name);
    browser->setAttribute(Qt::WA_DeleteOnClose);
    browser->setWindowIcon(windowIcon());
    m_logs.insert(name, browser);
    auto reload = [this, name, browser = QPointer<LogBrowser>(browser)](bool byUser) {
        const auto ask = byUser ? HelperClient::Ask::Yes : HelperClient::Ask::No;
        m_client->openAllLogs(name, ask, [browser, byUser](const CallResult &r, QList<QPair<QString, int>> files) {
            if (!browser) {
                for (const auto &f : files)
                    ::close(f.second);
                return;
            }
            if (!r.ok()) {
                // Following a rotation by itself, the browser asks for no password: the
                // lines read so far stay, and Reload asks.
                if (!byUser && r.error.name() == QLatin1String(errors::interactiveAuthorizationRequired))
                    browser->setError(tr("The service has gone on to a new log file. Reading it needs an administrator's password: "
                                         "press Reload to enter it."));
                else
                    browser->setError(ErrorText::describe(r.error));
                return;
            }
            QList<LogIndex::Source> sources;
            for (const auto &f : files)
                sources.append({f.first, f.second});
            browser->setSources(std::move(sources));
        });
    };
    connect(browser, &LogBrowser::reloadRequested, this, reload);
    reload(true); // the user has just opened it
    loadCrashTimes(browser);
    browser->show();
    return browser;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The tray keeps running; quitting is an explicit menu choice.
    hide();
    event->ignore();
}

} // namespace tz
