// SPDX-License-Identifier: MIT
// Loading the helper's config file and finding the tools and templates beside the executable.
#include "config.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tz {

QString loadConfigFile(const QString &path, HelperConfig &config)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot open %1: %2").arg(path, f.errorString());
    int lineNo = 0;
    while (!f.atEnd()) {
        ++lineNo;
        const QString line = QString::fromUtf8(f.readLine(4096)).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return QStringLiteral("%1:%2: expected key = value").arg(path).arg(lineNo);
        const QString key = line.left(eq).trimmed();
        const QString value = line.mid(eq + 1).trimmed();
        if (key == QLatin1String("scan-dir"))
            config.scanDir = value;
        else if (key == QLatin1String("tools-dir"))
            config.toolsDir = value;
        else if (key == QLatin1String("templates-dir"))
            config.templatesDir = value;
        else if (key == QLatin1String("svscan-log"))
            config.svscanLog = value;
        else if (key == QLatin1String("max-services-per-user") || key == QLatin1String("max-open-log-per-second")
                 || key == QLatin1String("max-pending-authorizations") || key == QLatin1String("log-grant-seconds")) {
            bool ok = false;
            const uint n = value.toUInt(&ok);
            if (!ok || n > 1000000)
                return QStringLiteral("%1:%2: %3 expects a whole number from 0 to 1000000").arg(path).arg(lineNo).arg(key);
            (key == QLatin1String("max-services-per-user")        ? config.maxServicesPerUser
             : key == QLatin1String("max-open-log-per-second")    ? config.maxOpenLogPerSecond
             : key == QLatin1String("max-pending-authorizations") ? config.maxPendingAuthorizations
                                                                  : config.logGrantSeconds) = n;
        } else
            return QStringLiteral("%1:%2: unknown key %3").arg(path).arg(lineNo).arg(key);
    }
    return {};
}

QString defaultToolsDir()
{
    // Build tree: helper and tools share <build>/bin. Installed: the helper is
    // libexec/tazuna/tazuna-helper and the tools are libexec/tazuna/bin.
    const QDir here(QCoreApplication::applicationDirPath());
    if (QFileInfo(here.filePath(QStringLiteral("bin/svscan"))).isExecutable())
        return here.filePath(QStringLiteral("bin"));
    return here.path();
}

QString defaultTemplatesDir()
{
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate : {QStringLiteral("templates"), QStringLiteral("../share/tazuna/templates"),
                                     QStringLiteral("../../share/tazuna/templates")}) {
        if (QFileInfo(here.filePath(candidate)).isDir())
            return QDir::cleanPath(here.filePath(candidate));
    }
    return here.filePath(QStringLiteral("templates"));
}

} // namespace tz
