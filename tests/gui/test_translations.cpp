// SPDX-License-Identifier: MIT
// The translations load from the resources, are complete, and Qt's own strings follow.
#include "errors.h"
#include "errortext.h"
#include "i18n.h"
#include "servicemodel.h"

#include <QApplication>
#include <QDBusMessage>
#include <QFile>
#include <QLibraryInfo>
#include <QRegularExpression>
#include <QtTest>

using namespace tz;

class TestTranslations : public QObject {
    Q_OBJECT
private slots:
    void filesAreComplete_data();
    void filesAreComplete();
    void japaneseLoads();
    void englishLoads();
};

void TestTranslations::filesAreComplete_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("ja") << QStringLiteral(TAZUNA_SOURCE_DIR "/translations/tazuna_ja.ts");
    QTest::newRow("en") << QStringLiteral(TAZUNA_SOURCE_DIR "/translations/tazuna_en.ts");
}

void TestTranslations::filesAreComplete()
{
    QFETCH(QString, file);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString ts = QString::fromUtf8(f.readAll());
    QVERIFY(ts.count(QStringLiteral("<message")) > 100);
    QCOMPARE(ts.count(QRegularExpression(QStringLiteral("type=\"(unfinished|vanished|obsolete)\""))), 0);
    QCOMPARE(ts.count(QStringLiteral("<translation></translation>")), 0);
    QCOMPARE(ts.count(QStringLiteral("<translation/>")), 0);
}

void TestTranslations::japaneseLoads()
{
    const QLocale locale = installTranslations(QStringLiteral("ja"));
    QCOMPARE(locale.language(), QLocale::Japanese);
    ServiceInfo up;
    up.state = QStringLiteral("up");
    up.want = QStringLiteral("up");
    QCOMPARE(ServiceModel::stateText(up), QStringLiteral("稼働中"));
    QCOMPARE(ServiceModel::durationText(125), QStringLiteral("2 分"));
    QCOMPARE(QCoreApplication::translate("tz::MainWindow", "&Restart"), QStringLiteral("再起動(&R)"));
    // Every refusal has its sentence, the newest too.
    const QDBusError notSupported(QDBusMessage::createError(QLatin1String(errors::notSupported), QStringLiteral("logging: 0.76 rule")));
    QVERIFY2(ErrorText::describe(notSupported).contains(QStringLiteral("daemontools 0.76 の規則")), qPrintable(ErrorText::describe(notSupported)));
    // The helper's rule for a new name, in the app's words.
    const QDBusError invalidName(QDBusMessage::createError(QLatin1String(errors::invalidName), QStringLiteral("name: …")));
    QCOMPARE(ErrorText::describe(invalidName), QStringLiteral("この名前は使えません。英数字と「.」「-」「_」「@」「+」を使い、「.」や「-」で始めないでください。"));
    // Qt's own dialogs: qtbase_ja.qm is installed and loaded.
    QVERIFY(QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_ja.qm")));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("キャンセル"));
}

void TestTranslations::englishLoads()
{
    installTranslations(QStringLiteral("en"));
    QCOMPARE(ServiceModel::durationText(86400), QStringLiteral("1 day"));
    QCOMPARE(ServiceModel::durationText(2 * 86400), QStringLiteral("2 days"));
    QCOMPARE(QCoreApplication::translate("tz::MainWindow", "&Restart"), QStringLiteral("&Restart"));
}

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
