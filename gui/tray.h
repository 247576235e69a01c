// SPDX-License-Identifier: MIT
// The tray icon: overall health at a glance and a menu of services with quick actions.
#pragma once

#include "servicemodel.h"

#include <QObject>
#include <QSystemTrayIcon>

class QMenu;

namespace tz {

class Tray : public QObject {
    Q_OBJECT
public:
    enum class Summary { AllUp, SomethingDown, CrashLoop, Empty };

    explicit Tray(ServiceModel *model, QObject *parent = nullptr);

    QSystemTrayIcon *icon() const { return m_icon; }
    QMenu *menu() const { return m_menu; }
    Summary summary() const { return m_summary; }
    static Summary summarize(const ServiceModel *model);
    static QIcon iconFor(Summary s);
    void rebuildMenu();

signals:
    void showWindowRequested();
    void showLogRequested(const QString &name);
    void controlRequested(const QString &name, const QString &command);
    void settingsRequested();
    void quitRequested();

private:
    void update();

    ServiceModel *m_model;
    QSystemTrayIcon *m_icon;
    QMenu *m_menu;
    Summary m_summary = Summary::Empty;
};

} // namespace tz
