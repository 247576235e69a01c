// SPDX-License-Identifier: MIT
// The app end to end on the real helper: wizard, live table, actions, crash notification,
// log browser, logging toggle, denial, reconnection.
#include "detailspane.h"
#include "guifixture.h"
#include "logbrowser.h"
#include "mainwindow.h"
#include "notifier.h"
#include "polkitagent.h"
#include "wizard.h"

#include <QAbstractItemModelTester>
#include <QAbstractButton>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTableView>
#include <QToolButton>

using namespace tz;
using namespace tz::test;

namespace {

// The app of another test user beside the one under test: its own connection to the
// helper, list and window.
struct UserApp {
    HelperClient client;
    ServiceModel model;
    MainWindow window;
    explicit UserApp(QDBusConnection bus) : client(std::move(bus)), window(&client, &model)
    {
        QObject::connect(&client, &HelperClient::servicesListed, &model, &ServiceModel::setServices);
    }
};

} // namespace

class TestApp : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void createsThroughTheWizard();
    void wizardRefusalLandsOnItsPage();
    void stopsAndStarts();
    void showsDetails();
    void crashNotifiesOnceAndActs();
    void browsesAndSearchesTheLog();
    void opensALongLogHistoryWhole();
    void togglesLogging();
    void denialAndCancelAreCalmMessages();
    void onePasswordForALogHistory();
    void reconnectsWhenTheHelperComesBack();
    void closingTheWindowKeepsRunning();
    void removeAsksAndKeepsTheLogs();
    void cleanupTestCase();

private:
    int row(const QString &name) const { return m_app->model()->rowOf(name); }
    std::optional<ServiceInfo> shown(const QString &name) const
    {
        const int r = row(name);
        return r < 0 ? std::nullopt : std::optional<ServiceInfo>(m_app->model()->service(r));
    }

    std::unique_ptr<HelperFixture> f;
    std::unique_ptr<SessionBus> m_session;
    std::unique_ptr<FakeNotifications> m_notifications;
    std::unique_ptr<App> m_app;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestApp::initTestCase()
{
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.path().toUtf8());
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start());
    m_session = std::make_unique<SessionBus>();
    QVERIFY(m_session->start());
    m_notifications = std::make_unique<FakeNotifications>();
    m_notifications->bus = QDBusConnection::connectToBus(m_session->address, QStringLiteral("notification-server"));
    QVERIFY(m_notifications->bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), m_notifications.get(),
                                                QDBusConnection::ExportAllSlots));
    QVERIFY(m_notifications->bus.registerService(QStringLiteral("org.freedesktop.Notifications")));
    // The app runs as alice, as a desktop user would; its services are alice's own.
    const QDBusConnection system = f->harness.connectAs(f->alice.uid, f->alice.gid, QStringLiteral("app"));
    const QDBusConnection session = QDBusConnection::connectToBus(m_session->address, QStringLiteral("app-session"));
    m_app = std::make_unique<App>(system, session);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_app->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_app->showWindow();
    QTRY_VERIFY_WITH_TIMEOUT(m_app->client()->isConnected(), 10000);
    QVERIFY(!m_app->window()->offlineShown());
    // First run: an empty scan directory, explained, with its real path.
    QVERIFY(m_app->window()->welcomeShown());
    QTRY_VERIFY2(m_app->window()->welcomeText().contains(f->scanDir), qPrintable(m_app->window()->welcomeText()));
}

void TestApp::cleanupTestCase()
{
    m_tester.reset();
    m_app.reset();
    m_notifications.reset();
    m_session.reset();
    f.reset();
}

void TestApp::createsThroughTheWizard()
{
    ServiceWizard *wizard = m_app->openWizard();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->currentTemplate().id.isEmpty(), 5000);
    wizard->selectTemplate(QStringLiteral("foreground"));
    QCOMPARE(wizard->currentTemplate().id, QStringLiteral("foreground"));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(ServiceWizard::ProgramPageId));
    // Inline validation before anything reaches the helper.
    QVERIFY(wizard->setValue(QStringLiteral("name"), QStringLiteral(".hidden")));
    QVERIFY(!wizard->errorOf(QStringLiteral("name")).isEmpty());
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
    // The helper's rule for new names: '@' and '+' may lead, '-' may not.
    QVERIFY(wizard->setValue(QStringLiteral("name"), QStringLiteral("-x")));
    QVERIFY(!wizard->errorOf(QStringLiteral("name")).isEmpty());
    QVERIFY(wizard->setValue(QStringLiteral("name"), QStringLiteral("@home")));
    QVERIFY(wizard->errorOf(QStringLiteral("name")).isEmpty());
    QVERIFY(wizard->setValue(QStringLiteral("name"), QStringLiteral("ticker")));
    QVERIFY(wizard->setValue(QStringLiteral("command"), QStringLiteral("/nonexistent/prog")));
    QCOMPARE(wizard->errorOf(QStringLiteral("command")), QStringLiteral("There is no such file."));
    QVERIFY(wizard->setValue(QStringLiteral("command"), QStringLiteral("/bin/sh")));
    QVERIFY(wizard->setValue(QStringLiteral("arguments"), QStringLiteral("-c 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done'")));
    QVERIFY(wizard->setValue(QStringLiteral("user"), QStringLiteral("tzalice")));
    // Shell-style words: the single-quoted script stays one argument.
    QCOMPARE(wizard->parameters().value(QStringLiteral("arguments")),
             QStringLiteral("[\"-c\",\"i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done\"]"));
    QVERIFY(wizard->errorOf(QStringLiteral("name")).isEmpty());
    QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    wizard->next();
    QVERIFY(wizard->setValue(QStringLiteral("environment"), QStringLiteral("{\"GREETING\":\"hello world\"}")));
    wizard->next();
    QVERIFY(wizard->setValue(QStringLiteral("log-size"), QStringLiteral("100")));
    QVERIFY(!wizard->errorOf(QStringLiteral("log-size")).isEmpty());
    QVERIFY(wizard->setValue(QStringLiteral("log-size"), QStringLiteral("8192")));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(ServiceWizard::ReviewPageId));
    QVERIFY(wizard->summary().contains(QStringLiteral("ticker")));
    // In words, as entered: not the true/false and JSON the helper is sent.
    const QString summary = wizard->summary();
    QVERIFY2(summary.contains(QStringLiteral("GREETING=hello world")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("-c 'i=0; while :;")), qPrintable(summary));
    QVERIFY2(!summary.contains(QStringLiteral(": true")) && !summary.contains(QStringLiteral(": false")) && !summary.contains(QLatin1Char('{')),
             qPrintable(summary));
    // The exact scripts, from the helper, before anything is written.
    QTRY_VERIFY2_WITH_TIMEOUT(wizard->scriptsReady(), qPrintable(wizard->createError()), 10000);
    const QString run = wizard->renderedRun();
    const QString logRun = wizard->renderedLogRun();
    QVERIFY2(run.contains(QStringLiteral("tzalice")) && run.contains(QStringLiteral("GREETING")), qPrintable(run));
    QVERIFY2(logRun.contains(QStringLiteral("multilog")) && logRun.contains(QStringLiteral("s8192")), qPrintable(logRun));
    QVERIFY(!QFile::exists(f->path(QStringLiteral("ticker"))));
    QSignalSpy created(wizard, &ServiceWizard::created);
    wizard->button(QWizard::FinishButton)->click();
    QTRY_VERIFY2_WITH_TIMEOUT(created.count() == 1, qPrintable(wizard->createError()), 15000);
    QCOMPARE(QString::fromUtf8(readFile(f->path(QStringLiteral("ticker/run")))), run);
    QCOMPARE(QString::fromUtf8(readFile(f->path(QStringLiteral("ticker/log/run")))), logRun);
    // The table shows it without any refresh, and it comes up.
    QTRY_VERIFY_WITH_TIMEOUT(row(QStringLiteral("ticker")) >= 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("up") && shown(QStringLiteral("ticker"))->pid != 0, 15000);
    QCOMPARE(shown(QStringLiteral("ticker"))->runAs, QStringLiteral("tzalice"));
    QVERIFY(shown(QStringLiteral("ticker"))->logging);
    QVERIFY(readFile(f->path(QStringLiteral("ticker/log/run"))).contains("s8192"));
}

void TestApp::wizardRefusalLandsOnItsPage()
{
    ServiceWizard *wizard = m_app->openWizard();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->currentTemplate().id.isEmpty(), 5000);
    wizard->selectTemplate(QStringLiteral("foreground"));
    wizard->next();
    wizard->setValue(QStringLiteral("name"), QStringLiteral("ticker")); // taken
    wizard->setValue(QStringLiteral("command"), QStringLiteral("/bin/true"));
    wizard->setValue(QStringLiteral("user"), QStringLiteral("tzalice"));
    wizard->next();
    wizard->next();
    wizard->next();
    // The review page asks the helper for the scripts; its refusal sends the user back.
    QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(ServiceWizard::ProgramPageId), 10000);
    QVERIFY(!wizard->scriptsReady());
    QCOMPARE(wizard->errorOf(QStringLiteral("name")), QStringLiteral("A service with this name already exists. Choose another name."));
    const QPointer<ServiceWizard> first = wizard;
    wizard->close();
    QTRY_VERIFY(first.isNull()); // deleted on close, so that the next one is new

    // A program the service's user may not run: the helper names the field
    // (the script template's "interpreter"), and the sentence lands under it.
    QTemporaryDir dir;
    const QString rootsOnly = dir.filePath(QStringLiteral("interpreter"));
    writeFile(rootsOnly, "#!/bin/sh\n");
    QVERIFY(QFile::setPermissions(rootsOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    ::chmod(QFile::encodeName(dir.path()).constData(), 0755);
    wizard = m_app->openWizard();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->currentTemplate().id.isEmpty(), 5000);
    wizard->selectTemplate(QStringLiteral("script"));
    wizard->next();
    QVERIFY(wizard->setValue(QStringLiteral("name"), QStringLiteral("scripted")));
    QVERIFY(wizard->setValue(QStringLiteral("interpreter"), rootsOnly));
    QVERIFY(wizard->setValue(QStringLiteral("script"), QStringLiteral("/etc/hostname")));
    QVERIFY(wizard->setValue(QStringLiteral("user"), QStringLiteral("tzalice")));
    wizard->next();
    wizard->next();
    wizard->next();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->errorOf(QStringLiteral("interpreter")).isEmpty(), 10000);
    QCOMPARE(wizard->currentId(), int(ServiceWizard::ProgramPageId));
    wizard->close();
}

void TestApp::stopsAndStarts()
{
    MainWindow *w = m_app->window();
    w->selectServices({QStringLiteral("ticker")});
    QCOMPARE(w->selectedNames(), QStringList{QStringLiteral("ticker")});
    QVERIFY(w->action(MainWindow::Act::Stop)->isEnabled());
    w->action(MainWindow::Act::Stop)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("down"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->want, QStringLiteral("down"), 5000);
    QCOMPARE(w->table()->model()->index(w->table()->selectionModel()->selectedRows().first().row(), ServiceModel::StateColumn).data().toString(),
             QStringLiteral("down"));
    w->action(MainWindow::Act::Start)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("up"), 5000);
    const quint32 before = shown(QStringLiteral("ticker"))->pid;
    w->action(MainWindow::Act::Restart)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->pid != before && shown(QStringLiteral("ticker"))->pid != 0, 10000);
    QVERIFY(w->messageText().isEmpty());
}

void TestApp::showsDetails()
{
    DetailsPane *d = m_app->window()->details();
    QTRY_COMPARE_WITH_TIMEOUT(d->serviceName(), QStringLiteral("ticker"), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(d->runView()->toPlainText().contains(QStringLiteral("setuidgid 'tzalice'")), 5000);
    // The restart above is in the exit history, as asked for.
    QTRY_VERIFY_WITH_TIMEOUT(d->exitList()->count() >= 2, 5000);
    QStringList exits;
    for (int i = 0; i < d->exitList()->count(); ++i)
        exits << d->exitList()->item(i)->text();
    QVERIFY2(exits.first().contains(QStringLiteral("stopped on request")),
             qPrintable(exits.mid(0, 2).join(QLatin1Char('|')) + QLatin1Char('\n') + d->runView()->toPlainText()
                        + QLatin1Char('\n') + QString::fromUtf8(readFile(f->path(QStringLiteral("ticker/log/main/current"))).right(600))));
    QTRY_VERIFY_WITH_TIMEOUT(d->logView()->toPlainText().contains(QStringLiteral("tick")), 10000);
}

void TestApp::crashNotifiesOnceAndActs()
{
    // Created through the client, as the wizard would: a daemon that dies after 0.3 s with 3.
    QSignalSpy done(this, &QObject::destroyed);
    bool created = false;
    ParameterMap p = foreground(QStringLiteral("echo starting; sleep 0.3; exit 3"), QStringLiteral("tzalice"));
    m_app->client()->create(QStringLiteral("foreground"), QStringLiteral("crasher"), p, [&](const CallResult &r) {
        QVERIFY2(r.ok(), qPrintable(r.error.message()));
        created = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(created, 10000);
    auto forCrasher = [&] {
        QList<FakeNotifications::Request> out;
        for (const auto &r : m_notifications->requests)
            if (r.summary.contains(QStringLiteral("crasher")))
                out.append(r);
        return out;
    };
    QTRY_VERIFY_WITH_TIMEOUT(forCrasher().size() >= 2, 20000);
    for (const auto &r : m_notifications->requests)
        QVERIFY2(r.summary.contains(QStringLiteral("crasher")), qPrintable(r.summary + QLatin1Char(' ') + r.body));
    const auto first = forCrasher().first();
    QCOMPARE(first.replaces, 0u);
    QVERIFY2(first.summary.contains(QStringLiteral("crasher")), qPrintable(first.summary));
    QVERIFY2(first.body.contains(QStringLiteral("exited 3 after")), qPrintable(first.body));
    QCOMPARE(first.actions, (QStringList{QStringLiteral("show-log"), QStringLiteral("Show log"), QStringLiteral("restart"),
                                         QStringLiteral("Restart"), QStringLiteral("keep-stopped"), QStringLiteral("Keep stopped")}));
    // A crash loop updates the one notification instead of stacking new ones.
    for (int i = 1; i < forCrasher().size(); ++i)
        QCOMPARE(forCrasher()[i].replaces, first.id);
    // "Keep stopped" from the notification stops the service.
    m_notifications->invoke(first.id, QStringLiteral("keep-stopped"));
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("crasher"))->want == QLatin1String("down"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("crasher"))->state == QLatin1String("down"), 10000);
    // "Show log" opens the log browser on it.
    m_notifications->invoke(first.id, QStringLiteral("show-log"));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->findChildren<LogBrowser *>().isEmpty() == false
                                 || !QApplication::topLevelWidgets().isEmpty(), 5000);
    LogBrowser *browser = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *b = qobject_cast<LogBrowser *>(w); b && b->service() == QLatin1String("crasher") && b->isVisible())
                browser = b;
        return browser != nullptr;
    }(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(browser->model()->rowCount() >= 2, 10000);
    // It opens at the last crash: the line selected is the last one written before it.
    QTRY_VERIFY_WITH_TIMEOUT(browser->view()->currentIndex().isValid(), 10000);
    const QModelIndex at = browser->view()->currentIndex();
    QCOMPARE(at.data().toString(), QStringLiteral("starting"));
    QVERIFY(at.row() < browser->model()->rowCount());
    browser->close();
    // "Restart" starts it at once, whatever the crash backoff had counted.
    m_notifications->invoke(first.id, QStringLiteral("restart"));
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("crasher"))->want == QLatin1String("up"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(forCrasher().size() > 2 || shown(QStringLiteral("crasher"))->pid != 0, 10000);
    m_notifications->invoke(first.id, QStringLiteral("keep-stopped"));
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("crasher"))->want == QLatin1String("down"), 10000);
}

void TestApp::browsesAndSearchesTheLog()
{
    LogBrowser *browser = m_app->window()->openLog(QStringLiteral("ticker"));
    QTRY_VERIFY2_WITH_TIMEOUT(browser->model()->rowCount() >= 20, qPrintable(browser->findChildren<QLabel *>().last()->text()), 15000);
    const int before = browser->model()->rowCount();
    // Following current: new lines arrive while the window is open.
    QTRY_VERIFY_WITH_TIMEOUT(browser->model()->rowCount() > before + 5, 10000);
    browser->search(QStringLiteral("^tick [0-9]*7$"), true);
    QTRY_VERIFY_WITH_TIMEOUT(!browser->model()->searching() && browser->model()->matchCount() >= 1, 10000);
    browser->setFilterMatching(true);
    for (int r = 0; r < browser->model()->rowCount(); ++r)
        QVERIFY(browser->model()->index(r, LogModel::TextColumn).data().toString().endsWith(QLatin1Char('7')));
    QVERIFY(browser->model()->index(0, LogModel::TimeColumn).data(LogModel::UnixMsRole).isValid());
    browser->close();
}

void TestApp::opensALongLogHistoryWhole()
{
    // 40 archives and current: more than the helper opens for one caller in a
    // second (32), so the client has to come back for the rest.
    const QString logDir = f->path(QStringLiteral("ticker/log/main"));
    QStringList made;
    for (int i = 0; i < 40; ++i) {
        const QString name = QStringLiteral("@40000000500000000000%1.s").arg(i, 4, 16, QLatin1Char('0'));
        const QString path = logDir + QLatin1Char('/') + name;
        writeFile(path, QStringLiteral("@400000005000000000000000 archived %1\n").arg(i).toUtf8());
        // As multilog would have left it: owned by the log directory's owner.
        QCOMPARE(::chown(QFile::encodeName(path).constData(), QFileInfo(logDir).ownerId(), QFileInfo(logDir).groupId()), 0);
        made << name;
    }
    const int files = int(QDir(logDir).entryList({QStringLiteral("@*"), QStringLiteral("current")}, QDir::Files).size());
    QVERIFY(files >= 41);
    bool answered = false;
    CallResult result;
    QList<QPair<QString, int>> opened;
    m_app->client()->openAllLogs(QStringLiteral("ticker"), HelperClient::Ask::Yes, [&](const CallResult &r, QList<QPair<QString, int>> o) {
        answered = true;
        result = r;
        opened = o;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    for (const auto &p : opened)
        ::close(p.second);
    for (const QString &name : made)
        QFile::remove(logDir + QLatin1Char('/') + name);
    QVERIFY2(result.ok(), qPrintable(result.error.message()));
    QCOMPARE(int(opened.size()), files);
    QCOMPARE(opened.first().first, made.first());
    QCOMPARE(opened.last().first, QStringLiteral("current"));
}

void TestApp::togglesLogging()
{
    MainWindow *w = m_app->window();
    w->selectServices({QStringLiteral("ticker")});
    QTRY_VERIFY(w->action(MainWindow::Act::Logging)->isChecked());
    w->action(MainWindow::Act::Logging)->trigger(); // now unchecked: off
    QTRY_VERIFY_WITH_TIMEOUT(!shown(QStringLiteral("ticker"))->logging, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(w->messageText().contains(QStringLiteral("Logging is off")), 5000);
    w->action(MainWindow::Act::Logging)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->logging, 30000);
    QTRY_VERIFY2_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("up"),
                              qPrintable(shown(QStringLiteral("ticker"))->state + QLatin1Char('/') + shown(QStringLiteral("ticker"))->want), 30000);
}

void TestApp::denialAndCancelAreCalmMessages()
{
    // bob may manage only his own services: alice's are refused by polkit.
    UserApp bob(f->harness.connectAs(f->bob.uid, f->bob.gid, QStringLiteral("bob-app")));
    ServiceModel &model = bob.model;
    MainWindow &w = bob.window;
    QTRY_VERIFY_WITH_TIMEOUT(model.rowOf(QStringLiteral("ticker")) >= 0, 5000);
    // Settled after the logging toggle, so the helper answers about polkit and not "busy".
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("up")
                                 && m_app->model()->secondsInState(row(QStringLiteral("ticker"))) >= 3, 20000);
    w.selectServices({QStringLiteral("ticker")});
    w.action(MainWindow::Act::Stop)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(w.messageText(), QStringLiteral("You are not allowed to do this. Nothing was changed; an administrator can do it for you."), 5000);
    QCOMPARE(shown(QStringLiteral("ticker"))->state, QStringLiteral("up"));

    // carol's rule asks for an administrator's password, and her authentication
    // agent closes every dialog. Selecting alice's service asks nothing: its log
    // needs the password, and the pane says where to give it.
    TestAgent agent;
    QString why;
    QVERIFY2(agent.registerFor(f->harness.connectAs(0, 0, QStringLiteral("carol-agent")), &why), qPrintable(why));
    UserApp carol(f->harness.connectAs(f->carol.uid, f->carol.gid, QStringLiteral("carol-app")));
    ServiceModel &carolModel = carol.model;
    MainWindow &cw = carol.window;
    QTRY_VERIFY_WITH_TIMEOUT(carolModel.rowOf(QStringLiteral("ticker")) >= 0 && carolModel.rowOf(QStringLiteral("crasher")) >= 0, 5000);
    cw.selectServices({QStringLiteral("ticker")});
    QTRY_COMPARE_WITH_TIMEOUT(cw.details()->logView()->toPlainText(),
                              QStringLiteral("Reading this service's log needs an administrator's password. Open the log browser to enter it."), 5000);
    QVERIFY(cw.details()->canOpenLog());
    QVERIFY(agent.askedActions().isEmpty());
    // Stop on two services: the dialog comes once, and closing it is said as such.
    cw.selectServices({QStringLiteral("ticker"), QStringLiteral("crasher")});
    cw.action(MainWindow::Act::Stop)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cw.messageText(), QStringLiteral("Authentication was cancelled, so nothing was done. Try again to be asked once more."), 10000);
    QCOMPARE(agent.askedActions(), QStringList{QStringLiteral("org.tazuna.control")});
    agent.unregister();
    QCOMPARE(shown(QStringLiteral("ticker"))->state, QStringLiteral("up"));
}

void TestApp::onePasswordForALogHistory()
{
    // dave's session asks for an administrator's password at every call (auth_admin),
    // and his agent gives it. The log browser asks once for the whole history; when
    // the logger goes on to a new file, following it asks nothing, and Reload asks.
    const QString logDir = f->path(QStringLiteral("ticker/log/main"));
    const auto files = [&] { return QDir(logDir).entryList({QStringLiteral("@*"), QStringLiteral("current")}, QDir::Files).size(); };
    const auto rotate = [&] { return QProcess::execute(toolPath(QStringLiteral("svc")), {QStringLiteral("-a"), f->path(QStringLiteral("ticker/log"))}); };
    const qsizetype before = files();
    QCOMPARE(rotate(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(files() > before, 10000); // an archive beside current at least

    TestAgent agent(TestAgent::Answer::Authenticate);
    QString why;
    QVERIFY2(agent.registerFor(f->harness.connectAs(0, 0, QStringLiteral("dave-agent")), &why), qPrintable(why));
    UserApp dave(f->harness.connectAs(f->dave.uid, f->dave.gid, QStringLiteral("dave-app")));
    QTRY_VERIFY_WITH_TIMEOUT(dave.model.rowOf(QStringLiteral("ticker")) >= 0, 5000);
    LogBrowser *browser = dave.window.openLog(QStringLiteral("ticker"));
    QTRY_VERIFY2_WITH_TIMEOUT(browser->index()->fileCount() >= 2 && browser->model()->rowCount() > 0,
                              qPrintable(browser->statusText() + QLatin1Char(' ') + agent.failure()), 30000);
    QCOMPARE(agent.askedActions(), QStringList{QStringLiteral("org.tazuna.read-logs")});

    QElapsedTimer sinceRotation;
    sinceRotation.start();
    QCOMPARE(rotate(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(browser->statusText(),
                              QStringLiteral("The service has gone on to a new log file. Reading it needs an administrator's password: "
                                             "press Reload to enter it."),
                              30000); // polkitd has stalled for over 15 s on a loaded machine
    qInfo("the rotation was followed to its refusal in %lld ms", sinceRotation.elapsed());
    QCOMPARE(agent.askedActions().size(), 1);
    QVERIFY(browser->model()->rowCount() > 0); // what was read stays
    const int filesShown = browser->index()->fileCount();
    browser->reloadButton()->click();
    QTRY_VERIFY2_WITH_TIMEOUT(agent.askedActions().size() == 2 && browser->index()->fileCount() > filesShown,
                              qPrintable(browser->statusText()), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!browser->statusText().contains(QLatin1String("Reload")), 10000);
    QCOMPARE(agent.askedActions(), QStringList(2, QStringLiteral("org.tazuna.read-logs")));
    QVERIFY2(agent.failure().isEmpty(), qPrintable(agent.failure()));
    browser->close();
    agent.unregister();
}

void TestApp::reconnectsWhenTheHelperComesBack()
{
    // Settled after the logging toggle: up for a while under one pid.
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("up")
                                 && m_app->model()->secondsInState(row(QStringLiteral("ticker"))) >= 3, 20000);
    const quint32 pid = shown(QStringLiteral("ticker"))->pid;
    f->harness.killHelper(SIGKILL);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->offlineShown(), 5000);
    QVERIFY(!m_app->window()->action(MainWindow::Act::Start)->isEnabled());
    QVERIFY(f->harness.startHelper(f->scanDir));
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->window()->offlineShown(), 10000);
    // The list is live again: the helper's signals reach the table after the reconnection.
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("up") && shown(QStringLiteral("ticker"))->pid != 0, 10000);
    if (shown(QStringLiteral("ticker"))->pid != pid)
        qWarning("ticker was restarted across the helper's restart (pid %u -> %u)", pid, shown(QStringLiteral("ticker"))->pid);
    m_app->window()->selectServices({QStringLiteral("ticker")});
    m_app->window()->action(MainWindow::Act::Stop)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shown(QStringLiteral("ticker"))->state == QLatin1String("down"), 10000);
}

void TestApp::closingTheWindowKeepsRunning()
{
    MainWindow *w = m_app->window();
    QVERIFY(w->isVisible());
    w->close();
    QVERIFY(!w->isVisible());
    QVERIFY(!QApplication::quitOnLastWindowClosed());
    m_app->showWindow();
    QVERIFY(w->isVisible());
}

void TestApp::removeAsksAndKeepsTheLogs()
{
    MainWindow *w = m_app->window();
    QVERIFY2(w->removeExplanation().contains(f->scanDir + QStringLiteral("/.tazuna-removed/")), qPrintable(w->removeExplanation()));
    QStringList asked;
    // Cancelled: nothing happens.
    w->setRemoveConfirmer([&](const QStringList &names) {
        asked = names;
        return std::make_pair(false, false);
    });
    w->selectServices({QStringLiteral("crasher"), QStringLiteral("ticker")});
    QVERIFY(w->action(MainWindow::Act::Remove)->isEnabled());
    w->action(MainWindow::Act::Remove)->trigger();
    QCOMPARE(asked, (QStringList{QStringLiteral("crasher"), QStringLiteral("ticker")}));
    QVERIFY(row(QStringLiteral("crasher")) >= 0);
    // Confirmed, keeping the logs: the service goes, its log stays where the box said.
    w->setRemoveConfirmer([&](const QStringList &names) {
        asked = names;
        return std::make_pair(true, false);
    });
    w->selectServices({QStringLiteral("crasher")});
    w->action(MainWindow::Act::Remove)->trigger();
    QCOMPARE(asked, QStringList{QStringLiteral("crasher")});
    QTRY_VERIFY_WITH_TIMEOUT(row(QStringLiteral("crasher")) < 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(w->messageText().contains(QStringLiteral(".tazuna-removed")), 20000);
    const QStringList kept = QDir(f->path(QStringLiteral(".tazuna-removed"))).entryList({QStringLiteral("crasher.*")}, QDir::Dirs);
    QCOMPARE(kept.size(), 1);
    QVERIFY(readFile(f->path(QStringLiteral(".tazuna-removed/") + kept.first() + QStringLiteral("/log/main/current"))).contains("starting"));
    QVERIFY(row(QStringLiteral("ticker")) >= 0);
}

QTEST_MAIN(TestApp)
#include "test_app.moc"
