// SPDX-License-Identifier: MIT
// The app's settings: language, start at login (XDG autostart), silenced notifications.
#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;

namespace tz {

class Settings {
public:
    // "" follows the system locale; otherwise "en" or "ja".
    static QString language();
    static void setLanguage(const QString &code);
    static bool notificationsSilenced();
    static void setNotificationsSilenced(bool silenced);
    // Whether $XDG_CONFIG_HOME/autostart/tazuna.desktop exists and is not hidden.
    static bool startsAtLogin();
    static bool setStartsAtLogin(bool on);
    static QString autostartPath();
};

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget *parent = nullptr);
    void accept() override;

signals:
    void silencedChanged(bool silenced);

private:
    QComboBox *m_language;
    QCheckBox *m_autostart;
    QCheckBox *m_silence;
};

} // namespace tz
