// SPDX-License-Identifier: MIT
// tazuna: the desktop app's entry point (options, translations, then the App object).
#include "app.h"
#include "i18n.h"
#include "mainwindow.h"
#include "settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSystemTrayIcon>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tazuna"));
    QApplication::setOrganizationName(QStringLiteral("tazuna"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tazuna"));
    QApplication::setDesktopFileName(QStringLiteral("tazuna"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/hicolor/scalable/apps/tazuna.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tazuna: run and watch your daemons, daemontools style"));
    parser.addHelpOption();
    const QCommandLineOption trayOnly(QStringLiteral("tray"), QStringLiteral("Start in the tray, without opening the window."));
    const QCommandLineOption language(QStringLiteral("language"), QStringLiteral("Use this language (en, ja) instead of the setting."),
                                      QStringLiteral("code"));
    parser.addOption(trayOnly);
    parser.addOption(language);
    parser.process(app);

    tz::installTranslations(parser.isSet(language) ? parser.value(language) : tz::Settings::language());
    tz::App tazuna(QDBusConnection::systemBus(), QDBusConnection::sessionBus());
    if (!parser.isSet(trayOnly) || !QSystemTrayIcon::isSystemTrayAvailable())
        tazuna.showWindow();
    return QApplication::exec();
}
