// SPDX-License-Identifier: MIT
// App: the signal wiring between helper, model, window, tray and notifier.
#include "app.h"

#include "mainwindow.h"
#include "notifier.h"
#include "settings.h"
#include "tray.h"
#include "wizard.h"

#include <QApplication>

namespace tz {

App::App(const QDBusConnection &systemBus, const QDBusConnection &sessionBus, QObject *parent)
    : QObject(parent), m_client(new HelperClient(systemBus, this)), m_model(new ServiceModel(this))
{
    connect(m_client, &HelperClient::servicesListed, m_model, &ServiceModel::setServices);
    connect(m_client, &HelperClient::serviceAdded, m_model, &ServiceModel::upsert);
    connect(m_client, &HelperClient::serviceChanged, m_model, &ServiceModel::upsert);
    connect(m_client, &HelperClient::serviceRemoved, m_model, &ServiceModel::removeService);

    m_window = new MainWindow(m_client, m_model);
    m_tray = new Tray(m_model, this);
    m_notifier = new Notifier(sessionBus, this);
    m_notifier->setTray(m_tray->icon());
    m_notifier->setSilenced(Settings::notificationsSilenced());
    connect(m_client, &HelperClient::serviceCrashed, m_notifier, &Notifier::crashed);

    auto showSettings = [this] {
        auto *dialog = new SettingsDialog(m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &SettingsDialog::silencedChanged, m_notifier, &Notifier::setSilenced);
        dialog->show();
    };
    connect(m_window, &MainWindow::newServiceRequested, this, &App::openWizard);
    connect(m_window, &MainWindow::settingsRequested, this, showSettings);
    connect(m_window, &MainWindow::quitRequested, qApp, &QCoreApplication::quit);
    connect(m_tray, &Tray::showWindowRequested, this, &App::showWindow);
    connect(m_tray, &Tray::settingsRequested, this, showSettings);
    connect(m_tray, &Tray::quitRequested, qApp, &QCoreApplication::quit);
    connect(m_tray, &Tray::showLogRequested, m_window, &MainWindow::openLog);
    connect(m_tray, &Tray::controlRequested, m_window, [this](const QString &name, const QString &command) {
        m_window->control({name}, command);
    });
    connect(m_notifier, &Notifier::showLogRequested, m_window, &MainWindow::openLogAtLastCrash);
    // After a crash loop the backoff may hold the service down for minutes: Restart means now.
    connect(m_notifier, &Notifier::restartRequested, m_window, [this](const QString &name) {
        m_window->control({name}, QStringLiteral("reset-backoff"));
    });
    connect(m_notifier, &Notifier::keepStoppedRequested, m_window, [this](const QString &name) {
        m_window->control({name}, QStringLiteral("stop"));
    });
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->icon()->show();
    // Without a tray the window is the only way back, so closing it must end the app.
    QApplication::setQuitOnLastWindowClosed(false);
}

App::~App()
{
    delete m_window;
}

void App::showWindow()
{
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

ServiceWizard *App::openWizard()
{
    if (m_wizard) {
        m_wizard->raise();
        return m_wizard;
    }
    m_wizard = new ServiceWizard(m_client, m_window);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_wizard, &ServiceWizard::created, m_window, [this](const QString &name) {
        m_window->showMessage(tr("Created %1. svscan picks it up within a moment.").arg(name), false);
        m_window->selectServices({name});
    });
    m_wizard->show();
    return m_wizard;
}

} // namespace tz
