// SPDX-License-Identifier: MIT
// Settings in QSettings, plus the autostart desktop file the XDG spec defines.
#include "settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace tz {

QString Settings::language()
{
    return QSettings().value(QStringLiteral("language")).toString();
}

void Settings::setLanguage(const QString &code)
{
    QSettings().setValue(QStringLiteral("language"), code);
}

bool Settings::notificationsSilenced()
{
    return QSettings().value(QStringLiteral("notificationsSilenced"), false).toBool();
}

void Settings::setNotificationsSilenced(bool silenced)
{
    QSettings().setValue(QStringLiteral("notificationsSilenced"), silenced);
}

QString Settings::autostartPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/autostart/tazuna.desktop");
}

bool Settings::startsAtLogin()
{
    return QFileInfo::exists(autostartPath());
}

bool Settings::setStartsAtLogin(bool on)
{
    const QString path = autostartPath();
    if (!on)
        return !QFileInfo::exists(path) || QFile::remove(path);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    // The package's copy when installed, so its translations come along; else the same text.
    const QString installed = QStandardPaths::locate(QStandardPaths::GenericDataLocation, QStringLiteral("tazuna/autostart/tazuna.desktop"));
    QFile shipped(installed);
    if (!installed.isEmpty() && shipped.open(QIODevice::ReadOnly)) {
        const QByteArray text = shipped.read(64 * 1024);
        if (text.startsWith("[Desktop Entry]")) {
            f.write(text);
            return f.commit();
        }
    }
    // --tray: at login only the tray icon appears, not the window.
    f.write("[Desktop Entry]\n"
            "Type=Application\n"
            "Name=Tazuna\n"
            "Comment=Watch your daemons from the tray\n"
            "Comment[ja]=トレイからデーモンを監視します\n"
            "Exec=tazuna --tray\n"
            "Icon=tazuna\n"
            "X-GNOME-Autostart-enabled=true\n");
    return f.commit();
}

SettingsDialog::SettingsDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Tazuna settings"));
    m_language = new QComboBox;
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("日本語"), QStringLiteral("ja"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(Settings::language())));
    m_autostart = new QCheckBox(tr("Start Tazuna in the tray when I log in"));
    m_autostart->setChecked(Settings::startsAtLogin());
    m_silence = new QCheckBox(tr("Do not show crash notifications"));
    m_silence->setChecked(Settings::notificationsSilenced());
    auto *note = new QLabel(tr("A new language applies the next time Tazuna starts."));
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Language"), m_language);
    form->addRow(QString(), note);
    form->addRow(QString(), m_autostart);
    form->addRow(QString(), m_silence);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
}

void SettingsDialog::accept()
{
    Settings::setLanguage(m_language->currentData().toString());
    Settings::setStartsAtLogin(m_autostart->isChecked());
    if (Settings::notificationsSilenced() != m_silence->isChecked()) {
        Settings::setNotificationsSilenced(m_silence->isChecked());
        emit silencedChanged(m_silence->isChecked());
    }
    QDialog::accept();
}

} // namespace tz
