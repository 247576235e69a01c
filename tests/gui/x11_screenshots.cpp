// SPDX-License-Identifier: MIT
// Screenshots of the main window, the wizard, the log browser and the tray menu, in English
// and Japanese, against the real helper on a real X server; written to $TAZUNA_SCREENSHOTS.
#include "app.h"
#include "detailspane.h"
#include "guifixture.h"
#include "i18n.h"
#include "logbrowser.h"
#include "mainwindow.h"
#include "tray.h"
#include "wizard.h"

#include <QMenu>
#include <QPlainTextEdit>
#include <QScreen>
#include <QTableView>

using namespace tz;
using namespace tz::test;

class Screenshots : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void shoot_data();
    void shoot();
    void cleanupTestCase() { f.reset(); }

private:
    void save(QWidget *w, const QString &name);
    std::unique_ptr<HelperFixture> f;
    QString m_out;
};

void Screenshots::initTestCase()
{
    m_out = qEnvironmentVariable("TAZUNA_SCREENSHOTS");
    QVERIFY2(!m_out.isEmpty(), "set TAZUNA_SCREENSHOTS");
    QVERIFY(tz::test::waitFor([] { return QSystemTrayIcon::isSystemTrayAvailable(); }, 15000));
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start());
    // A small realistic tree: a busy logger, a crash loop and a service that is down on purpose.
    auto make = [&](const QString &name, const QString &code, bool start) {
        ParameterMap p = foreground(code, QStringLiteral("tzalice"));
        p.insert(QStringLiteral("start"), start ? QStringLiteral("true") : QStringLiteral("false"));
        if (name == QLatin1String("flaky"))
            p.insert(QStringLiteral("backoff"), QStringLiteral("30"));
        QCOMPARE(errorOf(f->asAlice->Create(QStringLiteral("foreground"), name, p)), QString());
    };
    make(QStringLiteral("web"), QStringLiteral("i=0; while :; do i=$((i+1)); echo \"GET /index.html 200 $i\"; [ $((i % 7)) = 0 ] && echo \"warning: slow client $i\"; sleep 0.2; done"), true);
    make(QStringLiteral("flaky"), QStringLiteral("echo connecting to database; sleep 0.5; echo fatal: connection refused; exit 2"), true);
    make(QStringLiteral("backup"), QStringLiteral("exec sleep 100000"), false);
    QVERIFY(f->waitState(QStringLiteral("web"), QStringLiteral("up")));
    QVERIFY(waitFor([&] { return readFile(f->path(QStringLiteral("web/log/main/current"))).count('\n') > 40; }, 20000));
    QVERIFY(waitFor([&] { const auto s = f->find(QStringLiteral("flaky")); return s && s->crashes >= 2; }, 20000));
}

void Screenshots::save(QWidget *w, const QString &name)
{
    QVERIFY(w->grab().save(m_out + QLatin1Char('/') + name + QStringLiteral(".png")));
}

void Screenshots::shoot_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("ja") << QStringLiteral("ja");
}

void Screenshots::shoot()
{
    QFETCH(QString, lang);
    installTranslations(lang);
    const QDBusConnection system = f->harness.connectAs(f->alice.uid, f->alice.gid, QStringLiteral("shots-") + lang);
    App app(system, QDBusConnection::sessionBus());
    app.showWindow();
    MainWindow *w = app.window();
    w->move(20, 40);
    QTRY_VERIFY_WITH_TIMEOUT(app.model()->rowCount() == 3, 10000);
    w->selectServices({QStringLiteral("web")});
    QTRY_VERIFY_WITH_TIMEOUT(w->findChild<QPlainTextEdit *>() != nullptr, 5000);
    QVERIFY(QTest::qWaitForWindowExposed(w));
    QTRY_VERIFY_WITH_TIMEOUT(!app.window()->details()->serviceName().isEmpty(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(app.window()->details()->logView()->toPlainText().contains(QStringLiteral("GET")), 10000);
    save(w, QStringLiteral("main-window-") + lang);

    ServiceWizard *wizard = app.openWizard();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->currentTemplate().id.isEmpty(), 5000);
    save(wizard, QStringLiteral("wizard-template-") + lang);
    wizard->selectTemplate(QStringLiteral("web-folder"));
    wizard->next();
    wizard->setValue(QStringLiteral("name"), QStringLiteral("photos"));
    wizard->setValue(QStringLiteral("folder"), QStringLiteral("/nonexistent/photos"));
    QVERIFY(QTest::qWaitForWindowExposed(wizard));
    save(wizard, QStringLiteral("wizard-program-") + lang);
    wizard->setValue(QStringLiteral("folder"), QStringLiteral("/tmp"));
    wizard->next();
    wizard->next();
    wizard->next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->scriptsReady(), 10000);
    save(wizard, QStringLiteral("wizard-review-") + lang);
    wizard->close();

    LogBrowser *log = w->openLog(QStringLiteral("web"));
    log->move(60, 80);
    QTRY_VERIFY_WITH_TIMEOUT(log->model()->rowCount() > 40, 10000);
    log->setFollow(false);
    log->search(QStringLiteral("warning"), false);
    QTRY_VERIFY_WITH_TIMEOUT(!log->model()->searching() && log->model()->matchCount() > 0, 10000);
    log->view()->scrollToTop();
    QVERIFY(QTest::qWaitForWindowExposed(log));
    save(log, QStringLiteral("log-browser-") + lang);
    log->close();

    // First run: the same helper, seen through a table that has no service yet.
    {
        ServiceModel empty;
        MainWindow first(app.client(), &empty);
        first.resize(900, 420);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        QTRY_VERIFY_WITH_TIMEOUT(first.welcomeShown() && first.welcomeText().contains(f->scanDir), 5000);
        save(&first, QStringLiteral("first-run-") + lang);
    }

    QMenu *menu = app.tray()->menu();
    menu->popup(QPoint(900, 40));
    QTRY_VERIFY(menu->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    save(menu, QStringLiteral("tray-menu-") + lang);
    // The whole screen, for the tray icon in trayer's panel at the top right.
    QVERIFY(QGuiApplication::primaryScreen()->grabWindow(0).save(m_out + QStringLiteral("/screen-") + lang + QStringLiteral(".png")));
    menu->hide();
}

QTEST_MAIN(Screenshots)
#include "x11_screenshots.moc"
