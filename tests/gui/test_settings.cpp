// SPDX-License-Identifier: MIT
// Settings: the XDG autostart file follows the option, silence and language are kept, and the
// chosen language (not the system's) decides the texts and the date formats.
#include "detailspane.h"
#include "i18n.h"
#include "notifier.h"
#include "settings.h"
#include "testsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace tz;

class TestSettings : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void autostartFileFollowsTheOption();
    void autostartUsesTheInstalledEntry();
    void dialogSavesEverything();
    void languageOverridesTheSystem();

private:
    QTemporaryDir m_config;
    QTemporaryDir m_data;
};

void TestSettings::initTestCase()
{
    QVERIFY(m_config.isValid() && m_data.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
    qputenv("XDG_DATA_DIRS", m_data.filePath(QStringLiteral("nothing")).toUtf8());
    qputenv("LANG", "en_US.UTF-8");
    QCoreApplication::setOrganizationName(QStringLiteral("tazuna"));
    QCoreApplication::setApplicationName(QStringLiteral("tazuna"));
}

void TestSettings::autostartFileFollowsTheOption()
{
    const QString path = m_config.filePath(QStringLiteral("autostart/tazuna.desktop"));
    QCOMPARE(Settings::autostartPath(), path);
    QVERIFY(!Settings::startsAtLogin());
    QVERIFY(Settings::setStartsAtLogin(true));
    QVERIFY(QFile::exists(path));
    QVERIFY(Settings::startsAtLogin());
    const QByteArray text = tz::test::readFile(path);
    QVERIFY(text.startsWith("[Desktop Entry]\n"));
    QVERIFY(text.contains("\nExec=tazuna --tray\n"));
    QVERIFY(text.contains("\nType=Application\n"));
    QVERIFY(Settings::setStartsAtLogin(false));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!Settings::startsAtLogin());
    // Off twice is still fine.
    QVERIFY(Settings::setStartsAtLogin(false));
}

void TestSettings::autostartUsesTheInstalledEntry()
{
    const QByteArray shipped = "[Desktop Entry]\nType=Application\nName=Tazuna\nName[ja]=手綱\nExec=tazuna --tray\n";
    QVERIFY(QDir().mkpath(m_data.filePath(QStringLiteral("tazuna/autostart"))));
    tz::test::writeFile(m_data.filePath(QStringLiteral("tazuna/autostart/tazuna.desktop")), shipped);
    QVERIFY(Settings::setStartsAtLogin(true));
    QCOMPARE(tz::test::readFile(Settings::autostartPath()), shipped);
    QVERIFY(Settings::setStartsAtLogin(false));
    QVERIFY(QFile::remove(m_data.filePath(QStringLiteral("tazuna/autostart/tazuna.desktop"))));
}

void TestSettings::dialogSavesEverything()
{
    SettingsDialog dialog;
    auto *language = dialog.findChild<QComboBox *>();
    QVERIFY(language);
    const QList<QCheckBox *> boxes = dialog.findChildren<QCheckBox *>();
    QCOMPARE(boxes.size(), 2);
    QCheckBox *autostart = boxes[0]->text().contains(QStringLiteral("log in")) ? boxes[0] : boxes[1];
    QCheckBox *silence = autostart == boxes[0] ? boxes[1] : boxes[0];
    QVERIFY(!autostart->isChecked() && !silence->isChecked());
    language->setCurrentIndex(language->findData(QStringLiteral("ja")));
    autostart->setChecked(true);
    silence->setChecked(true);
    QSignalSpy silenced(&dialog, &SettingsDialog::silencedChanged);
    dialog.accept();
    QCOMPARE(silenced.count(), 1);
    QCOMPARE(silenced.first().first().toBool(), true);
    QCOMPARE(Settings::language(), QStringLiteral("ja"));
    QVERIFY(Settings::notificationsSilenced());
    QVERIFY(QFile::exists(Settings::autostartPath()));

    // A second dialog shows what was saved, and switching back removes the file again.
    SettingsDialog again;
    const QList<QCheckBox *> boxes2 = again.findChildren<QCheckBox *>();
    QVERIFY(boxes2[0]->isChecked() && boxes2[1]->isChecked());
    QCOMPARE(again.findChild<QComboBox *>()->currentData().toString(), QStringLiteral("ja"));
    boxes2[0]->setChecked(false);
    boxes2[1]->setChecked(false);
    again.findChild<QComboBox *>()->setCurrentIndex(0);
    again.accept();
    QVERIFY(!QFile::exists(Settings::autostartPath()));
    QVERIFY(!Settings::notificationsSilenced());
    QCOMPARE(Settings::language(), QString());
}

void TestSettings::languageOverridesTheSystem()
{
    // The system says English (LANG above); the setting says Japanese.
    Settings::setLanguage(QStringLiteral("ja"));
    const QLocale locale = installTranslations(Settings::language());
    QCOMPARE(locale.language(), QLocale::Japanese);
    QCOMPARE(QLocale().language(), QLocale::Japanese);
    DetailsPane pane;
    ServiceDetails d;
    d.info.name = QStringLiteral("web");
    d.info.state = QStringLiteral("up");
    d.info.want = QStringLiteral("up");
    d.runScript = QStringLiteral("#!/bin/sh\nexec httpd -f\n");
    const QDateTime when(QDate(2026, 3, 9), QTime(14, 5, 0));
    ExitInfo crashed;
    crashed.when = when.toMSecsSinceEpoch();
    crashed.exitCode = 1;
    crashed.ranMs = 3000;
    ExitInfo killed = crashed;
    killed.exitCode = -1;
    killed.signal = SIGSEGV;
    killed.when += 60000;
    d.exits = {crashed, killed};
    pane.setDetails(d);
    QCOMPARE(pane.runView()->toPlainText(), d.runScript);
    QCOMPARE(pane.exitList()->count(), 2);
    // Newest first, dated the Japanese way.
    const QString newest = pane.exitList()->item(0)->text();
    QVERIFY2(newest.startsWith(QLocale(QLocale::Japanese).toString(when.addSecs(60), QLocale::ShortFormat)), qPrintable(newest));
    QVERIFY2(newest.contains(QStringLiteral("2026/03/09")), qPrintable(newest));
    QVERIFY2(newest.contains(QStringLiteral("SIGSEGV")), qPrintable(newest));
    // A crash notification's body: whole Japanese sentences, with their own stops.
    QCOMPARE(Notifier::bodyText(killed, 3), DetailsPane::exitText(killed) + QStringLiteral("。この 1 分間に 3 回再起動しました。"));
    QCOMPARE(Notifier::bodyText(killed, 1), DetailsPane::exitText(killed) + QStringLiteral("。"));

    Settings::setLanguage(QStringLiteral("en"));
    installTranslations(Settings::language());
    pane.setDetails(d);
    QVERIFY2(pane.exitList()->item(0)->text().endsWith(QStringLiteral("killed by SIGSEGV after 3 s")), qPrintable(pane.exitList()->item(0)->text()));
    QVERIFY2(pane.exitList()->item(1)->text().endsWith(QStringLiteral("exited 1 after 3 s")), qPrintable(pane.exitList()->item(1)->text()));
    QVERIFY(pane.exitList()->item(1)->text().startsWith(QLocale(QLocale::English).toString(when, QLocale::ShortFormat)));
    const QColor crashRed(0xd0, 0x31, 0x2d);
    QCOMPARE(pane.exitList()->item(1)->foreground().color(), crashRed);

    // The end of a process adopted after a supervise restart: no status, no crash.
    ExitInfo adopted = crashed;
    adopted.exitCode = -1;
    d.exits = {adopted};
    pane.setDetails(d);
    QCOMPARE(pane.exitList()->item(0)->text().section(QStringLiteral("  "), 1),
             QStringLiteral("ended after 3 s (status unknown: it was running before supervise restarted)"));
    QVERIFY(pane.exitList()->item(0)->foreground().color() != crashRed);
    Settings::setLanguage(QString());
}

QTEST_MAIN(TestSettings)
#include "test_settings.moc"
