// SPDX-License-Identifier: MIT
// tazuna-helper: the root D-Bus service that hosts the engine over the scan directory.
#include "config.h"
#include "helper.h"
#include "helper1adaptor.h"
#include "names.h"
#include "types.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusError>
#include <QFileInfo>

#include <csignal>
#include <cstdio>

int main(int argc, char **argv)
{
    // A client that disappears must not kill us with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tazuna-helper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TAZUNA_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The root D-Bus helper of Tazuna (org.tazuna.Helper1)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOpt(QStringLiteral("config"), QStringLiteral("Read settings from <file> (default /etc/tazuna/helper.conf when present)."), QStringLiteral("file"));
    const QCommandLineOption scanOpt(QStringLiteral("scan-dir"), QStringLiteral("Serve the scan directory <dir> (default /service)."), QStringLiteral("dir"));
    const QCommandLineOption toolsOpt(QStringLiteral("tools-dir"), QStringLiteral("Find svscan, supervise, multilog … in <dir>."), QStringLiteral("dir"));
    const QCommandLineOption templatesOpt(QStringLiteral("templates-dir"), QStringLiteral("Load *.template files from <dir>."), QStringLiteral("dir"));
    const QCommandLineOption logOpt(QStringLiteral("svscan-log"), QStringLiteral("Append svscan's output to <file> instead of discarding it."), QStringLiteral("file"));
    const QCommandLineOption replaceOpt(QStringLiteral("replace"), QStringLiteral("Take over the bus name from a running helper."));
    parser.addOptions({configOpt, scanOpt, toolsOpt, templatesOpt, logOpt, replaceOpt});
    parser.process(app);

    tz::HelperConfig config;
    const QString configPath = parser.isSet(configOpt) ? parser.value(configOpt) : QStringLiteral("/etc/tazuna/helper.conf");
    if (parser.isSet(configOpt) || QFileInfo::exists(configPath)) {
        const QString problem = tz::loadConfigFile(configPath, config);
        if (!problem.isEmpty()) {
            std::fprintf(stderr, "tazuna-helper: fatal: %s\n", qPrintable(problem));
            return 100;
        }
    }
    if (parser.isSet(scanOpt))
        config.scanDir = parser.value(scanOpt);
    if (parser.isSet(toolsOpt))
        config.toolsDir = parser.value(toolsOpt);
    if (parser.isSet(templatesOpt))
        config.templatesDir = parser.value(templatesOpt);
    if (parser.isSet(logOpt))
        config.svscanLog = parser.value(logOpt);
    config.replaceName = parser.isSet(replaceOpt);
    if (config.toolsDir.isEmpty())
        config.toolsDir = tz::defaultToolsDir();
    if (config.templatesDir.isEmpty())
        config.templatesDir = tz::defaultTemplatesDir();
    if (!config.scanDir.startsWith(QLatin1Char('/'))) {
        std::fprintf(stderr, "tazuna-helper: fatal: the scan directory must be an absolute path\n");
        return 100;
    }

    tz::registerIpcTypes();
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected()) {
        std::fprintf(stderr, "tazuna-helper: fatal: unable to connect to the system bus: %s\n", qPrintable(bus.lastError().message()));
        return 111;
    }

    tz::Helper helper(config);
    new Helper1Adaptor(&helper);
    if (!bus.registerObject(QLatin1String(tz::bus::path), &helper)) {
        std::fprintf(stderr, "tazuna-helper: fatal: unable to register %s\n", tz::bus::path);
        return 111;
    }
    // The tree and svscan first, the name last: a client that sees the name gets
    // answers about a tree that is being watched.
    const QString problem = helper.start();
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "tazuna-helper: fatal: %s\n", qPrintable(problem));
        return 111;
    }
    const auto reply = bus.interface()->registerService(
        QLatin1String(tz::bus::service),
        config.replaceName ? QDBusConnectionInterface::ReplaceExistingService : QDBusConnectionInterface::DontQueueService,
        QDBusConnectionInterface::DontAllowReplacement);
    if (!reply.isValid() || reply.value() != QDBusConnectionInterface::ServiceRegistered) {
        std::fprintf(stderr, "tazuna-helper: fatal: unable to own %s: %s\n", tz::bus::service,
                     qPrintable(reply.error().message()));
        return 111;
    }
    return app.exec();
}
