// SPDX-License-Identifier: MIT
// Menus in both languages: no two items of one menu share an accelerator, no two actions a
// shortcut, and every toolbar and tray icon is drawn even without an icon theme.
#include "helperclient.h"
#include "i18n.h"
#include "mainwindow.h"
#include "servicemodel.h"
#include "tray.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>
#include <QtTest>

#include <memory>

using namespace tz;

namespace {

// "Menu title: item, item" for every pair of items of `menu` that share an accelerator,
// walking into submenus.
QStringList clashes(const QString &where, const QList<QAction *> &actions)
{
    QStringList out;
    QMap<QString, QString> seen;
    for (QAction *a : actions) {
        if (a->isSeparator() || a->text().isEmpty())
            continue;
        const QString key = QKeySequence::mnemonic(a->text()).toString();
        if (!key.isEmpty()) {
            if (seen.contains(key))
                out << QStringLiteral("%1: \"%2\" and \"%3\" both use %4").arg(where, seen[key], a->text(), key);
            seen.insert(key, a->text());
        }
        if (a->menu())
            out << clashes(where + QStringLiteral(" > ") + a->text(), a->menu()->actions());
    }
    return out;
}

} // namespace

class TestMenus : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void acceleratorsAreUnique_data();
    void acceleratorsAreUnique();
    void shortcutsAreUnique();
    void iconsWithoutATheme();

private:
    std::unique_ptr<MainWindow> window(std::unique_ptr<HelperClient> &client, ServiceModel &model);
};

void TestMenus::initTestCase()
{
    // No theme at all, as on a bare window manager: every icon must come from the resources.
    QIcon::setThemeSearchPaths({});
    QIcon::setThemeName(QString());
    QIcon::setFallbackSearchPaths({});
}

std::unique_ptr<MainWindow> TestMenus::window(std::unique_ptr<HelperClient> &client, ServiceModel &model)
{
    // A connection to nowhere: the menus do not depend on the helper.
    client = std::make_unique<HelperClient>(QDBusConnection(QStringLiteral("nowhere")));
    return std::make_unique<MainWindow>(client.get(), &model);
}

void TestMenus::acceleratorsAreUnique_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << QStringLiteral("en");
    QTest::newRow("ja") << QStringLiteral("ja");
}

void TestMenus::acceleratorsAreUnique()
{
    QFETCH(QString, language);
    installTranslations(language);
    std::unique_ptr<HelperClient> client;
    ServiceModel model;
    ServiceInfo s;
    s.name = QStringLiteral("demo");
    s.state = QStringLiteral("up");
    s.want = QStringLiteral("up");
    model.setServices({s});
    auto w = window(client, model);
    if (language == QLatin1String("ja"))
        QCOMPARE(w->action(MainWindow::Act::Restart)->text(), QStringLiteral("再起動(&R)"));

    QStringList found = clashes(QStringLiteral("menu bar"), w->menuBar()->actions());
    QVERIFY(w->menuBar()->actions().size() >= 2);
    std::unique_ptr<QMenu> context(w->createContextMenu());
    QVERIFY(context->actions().size() >= 8);
    found << clashes(QStringLiteral("context menu"), context->actions());
    Tray tray(&model);
    found << clashes(QStringLiteral("tray menu"), tray.menu()->actions());
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
}

void TestMenus::shortcutsAreUnique()
{
    installTranslations(QStringLiteral("en"));
    std::unique_ptr<HelperClient> client;
    ServiceModel model;
    auto w = window(client, model);
    QMap<QString, QString> seen;
    QStringList found;
    QList<QAction *> all = w->actions();
    for (QMenu *m : w->menuBar()->findChildren<QMenu *>())
        all << m->actions();
    QSet<QAction *> unique(all.begin(), all.end());
    for (QAction *a : unique) {
        for (const QKeySequence &k : a->shortcuts()) {
            const QString key = k.toString();
            if (seen.contains(key) && seen[key] != a->text())
                found << QStringLiteral("%1: \"%2\" and \"%3\"").arg(key, seen[key], a->text());
            seen.insert(key, a->text());
        }
    }
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    // The everyday actions have their keys.
    for (MainWindow::Act act : {MainWindow::Act::Start, MainWindow::Act::Stop, MainWindow::Act::Restart, MainWindow::Act::Remove,
                                MainWindow::Act::New, MainWindow::Act::ShowLog, MainWindow::Act::Logging})
        QVERIFY2(!w->action(act)->shortcut().isEmpty(), qPrintable(w->action(act)->text()));
}

void TestMenus::iconsWithoutATheme()
{
    installTranslations(QStringLiteral("en"));
    std::unique_ptr<HelperClient> client;
    ServiceModel model;
    auto w = window(client, model);
    const QList<QToolBar *> bars = w->findChildren<QToolBar *>();
    QCOMPARE(bars.size(), 1);
    int buttons = 0;
    for (QAction *a : bars.first()->actions()) {
        if (a->isSeparator())
            continue;
        ++buttons;
        QVERIFY2(!a->icon().isNull(), qPrintable(a->text()));
        const QImage image = a->icon().pixmap(22, 22).toImage();
        QVERIFY2(!image.isNull(), qPrintable(a->text()));
        // Drawn, not just allocated: some pixel is not transparent.
        bool drawn = false;
        for (int y = 0; y < image.height() && !drawn; ++y)
            for (int x = 0; x < image.width() && !drawn; ++x)
                drawn = qAlpha(image.pixel(x, y)) > 0;
        QVERIFY2(drawn, qPrintable(a->text()));
    }
    QVERIFY(buttons >= 6);
    // Our own icon names must not fall back to the app's icon (the theme lookup cuts
    // "tazuna-logging" down to "tazuna", which the resources hold under :/icons).
    QIcon::setThemeSearchPaths({QStringLiteral(":/icons")});
    QIcon::setThemeName(QStringLiteral("hicolor"));
    const QImage app = QIcon(QStringLiteral(":/icons/hicolor/scalable/apps/tazuna.svg")).pixmap(22, 22).toImage();
    QVERIFY(MainWindow::actionIcon(QStringLiteral("tazuna-logging")).pixmap(22, 22).toImage() != app);
    QIcon::setThemeSearchPaths({});
    QIcon::setThemeName(QString());
    for (Tray::Summary s : {Tray::Summary::AllUp, Tray::Summary::SomethingDown, Tray::Summary::CrashLoop, Tray::Summary::Empty})
        QVERIFY(!Tray::iconFor(s).pixmap(22, 22).isNull());
}

QTEST_MAIN(TestMenus)
#include "test_menus.moc"
