// SPDX-License-Identifier: MIT
// The app as a whole: one helper client and model feeding the window, the tray and notifications.
#pragma once

#include "helperclient.h"
#include "servicemodel.h"

#include <QObject>
#include <QPointer>

namespace tz {

class MainWindow;
class Notifier;
class ServiceWizard;
class Tray;

class App : public QObject {
    Q_OBJECT
public:
    App(const QDBusConnection &systemBus, const QDBusConnection &sessionBus, QObject *parent = nullptr);
    ~App() override;

    HelperClient *client() const { return m_client; }
    ServiceModel *model() const { return m_model; }
    MainWindow *window() const { return m_window; }
    Tray *tray() const { return m_tray; }
    Notifier *notifier() const { return m_notifier; }
    ServiceWizard *openWizard();
    void showWindow();

private:
    HelperClient *m_client;
    ServiceModel *m_model;
    MainWindow *m_window;
    Tray *m_tray;
    Notifier *m_notifier;
    QPointer<ServiceWizard> m_wizard;
};

} // namespace tz
