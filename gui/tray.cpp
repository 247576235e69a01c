// SPDX-License-Identifier: MIT
// Tray: the icon follows the worst state among the services; the menu is rebuilt on change.
#include "tray.h"

#include <QMenu>

namespace tz {

Tray::Tray(ServiceModel *model, QObject *parent) : QObject(parent), m_model(model)
{
    m_icon = new QSystemTrayIcon(this);
    m_menu = new QMenu;
    connect(this, &QObject::destroyed, m_menu, &QObject::deleteLater);
    m_icon->setContextMenu(m_menu);
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit showWindowRequested();
    });
    connect(m_model, &ServiceModel::healthChanged, this, &Tray::update);
    update();
}

Tray::Summary Tray::summarize(const ServiceModel *model)
{
    if (model->rowCount() == 0)
        return Summary::Empty;
    Summary s = Summary::AllUp;
    for (int r = 0; r < model->rowCount(); ++r) {
        const auto h = ServiceModel::health(model->service(r));
        if (h == ServiceModel::Health::Crashing)
            return Summary::CrashLoop;
        if (h == ServiceModel::Health::Down || h == ServiceModel::Health::Unsupervised)
            s = Summary::SomethingDown;
    }
    return s;
}

QIcon Tray::iconFor(Summary s)
{
    switch (s) {
    case Summary::AllUp:
        return QIcon(QStringLiteral(":/icons/hicolor/scalable/status/tazuna-ok.svg"));
    case Summary::SomethingDown:
        return QIcon(QStringLiteral(":/icons/hicolor/scalable/status/tazuna-down.svg"));
    case Summary::CrashLoop:
        return QIcon(QStringLiteral(":/icons/hicolor/scalable/status/tazuna-crashloop.svg"));
    case Summary::Empty:
        break;
    }
    return QIcon(QStringLiteral(":/icons/hicolor/symbolic/apps/tazuna-symbolic.svg"));
}

void Tray::update()
{
    m_summary = summarize(m_model);
    m_icon->setIcon(iconFor(m_summary));
    int up = 0;
    for (int r = 0; r < m_model->rowCount(); ++r)
        up += ServiceModel::health(m_model->service(r)) == ServiceModel::Health::Up;
    QString tip;
    switch (m_summary) {
    case Summary::AllUp:
        // Nothing failing; some may be down or paused on purpose.
        tip = up == m_model->rowCount()
                  ? tr("Tazuna: all %n service(s) up", nullptr, up)
                  : tr("Tazuna: %1 of %2 services up, the others stopped or paused on purpose").arg(up).arg(m_model->rowCount());
        break;
    case Summary::SomethingDown:
        tip = tr("Tazuna: %1 of %2 services up").arg(up).arg(m_model->rowCount());
        break;
    case Summary::CrashLoop:
        tip = tr("Tazuna: a service keeps crashing");
        break;
    case Summary::Empty:
        tip = tr("Tazuna: no services");
        break;
    }
    m_icon->setToolTip(tip);
    rebuildMenu();
}

void Tray::rebuildMenu()
{
    m_menu->clear();
    m_menu->addAction(tr("Show Tazuna"), this, &Tray::showWindowRequested);
    m_menu->addSeparator();
    QStringList names = m_model->names();
    names.sort();
    if (names.isEmpty())
        m_menu->addAction(tr("No services"))->setEnabled(false);
    for (const QString &name : names) {
        const ServiceInfo &s = m_model->service(m_model->rowOf(name));
        QMenu *sub = m_menu->addMenu(m_model->data(m_model->index(m_model->rowOf(name), ServiceModel::StateColumn), Qt::DecorationRole).value<QIcon>(),
                                     QStringLiteral("%1 — %2").arg(name, ServiceModel::stateText(s)));
        auto add = [&](const QString &text, const QString &command) {
            sub->addAction(text, this, [this, name, command] { emit controlRequested(name, command); });
        };
        add(tr("Start"), QStringLiteral("start"));
        add(tr("Stop"), QStringLiteral("stop"));
        add(tr("Restart"), QStringLiteral("restart"));
        sub->addSeparator();
        sub->addAction(tr("Show log"), this, [this, name] { emit showLogRequested(name); });
    }
    m_menu->addSeparator();
    m_menu->addAction(tr("Settings…"), this, &Tray::settingsRequested);
    m_menu->addAction(tr("Quit Tazuna"), this, &Tray::quitRequested);
}

} // namespace tz
