// SPDX-License-Identifier: MIT
// ErrorText: one translated sentence per D-Bus error name the helper or the bus can answer.
#include "errortext.h"

#include "errors.h"

#include <QRegularExpression>

namespace tz {

namespace {
bool is(const QDBusError &e, const char *name)
{
    return e.name() == QLatin1String(name);
}
} // namespace

bool ErrorText::isDenial(const QDBusError &error)
{
    return is(error, errors::notAuthorized) || error.type() == QDBusError::AccessDenied;
}

bool ErrorText::isUnreachable(const QDBusError &error)
{
    switch (error.type()) {
    case QDBusError::ServiceUnknown:
    case QDBusError::NoReply:
    case QDBusError::Disconnected:
    case QDBusError::NoServer:
    case QDBusError::Timeout:
    case QDBusError::UnknownObject:
        return true;
    default:
        return false;
    }
}

QString ErrorText::parameterOf(const QDBusError &error)
{
    static const QRegularExpression re(QStringLiteral("^([a-z][a-z0-9-]*): "));
    const auto m = re.match(error.message());
    return m.hasMatch() ? m.captured(1) : QString();
}

QString ErrorText::describeForField(const QDBusError &error)
{
    if (is(error, errors::invalidParameter))
        return tr("This value is not accepted. Correct it and try again.");
    if (is(error, errors::noSuchUser))
        return tr("There is no user with this name on this computer.");
    return describe(error);
}

QString ErrorText::describe(const QDBusError &error)
{
    if (!error.isValid())
        return {};
    if (is(error, errors::cancelled))
        return tr("Authentication was cancelled, so nothing was done. Try again to be asked once more.");
    if (is(error, errors::interactiveAuthorizationRequired))
        return tr("This needs an administrator's password, which Tazuna asks for only when you do it yourself.");
    if (isDenial(error))
        return tr("You are not allowed to do this. Nothing was changed; an administrator can do it for you.");
    if (isUnreachable(error))
        return tr("The Tazuna helper is not reachable. It may be restarting; the window reconnects by itself.");
    if (is(error, errors::noSuchService))
        return tr("This service no longer exists. It may have been removed a moment ago.");
    if (is(error, errors::invalidName))
        return tr("This name cannot be used. Use letters, digits, '.', '-', '_', '@' or '+', not starting with '.' or '-'.");
    if (is(error, errors::alreadyExists))
        return tr("A service with this name already exists. Choose another name.");
    if (is(error, errors::unknownTemplate))
        return tr("This template is no longer available. Choose another template.");
    if (is(error, errors::noSuchLogFile))
        return tr("This log file is gone, probably rotated away. Open the log again.");
    if (is(error, errors::noSuchUser))
        return tr("There is no user with this name on this computer. Check the \"Run as\" field.");
    if (is(error, errors::notExecutable))
        return tr("The program cannot be run by the chosen user. Check the path and that the file is executable.");
    if (is(error, errors::notSupervised))
        return tr("This service is not being watched by supervise yet. Wait a few seconds and try again.");
    if (is(error, errors::notSupported))
        return tr("Logging cannot be turned off here: svscan follows daemontools 0.76's rule and runs a logger "
                  "for every service that has a log directory. Nothing was changed.");
    if (is(error, errors::limitExceeded))
        return tr("The helper refused: you have reached the number of services you may create, or too many "
                  "requests are waiting. Remove a service you no longer need, or try again in a moment.");
    if (is(error, errors::busy))
        return tr("The service is busy with another change. Try again in a moment.");
    if (is(error, errors::invalidParameter)) {
        const QString key = parameterOf(error);
        if (!key.isEmpty())
            return tr("The value of \"%1\" is not accepted. Correct it and try again.").arg(key);
        return tr("One of the values is not accepted. Check the fields and try again.");
    }
    return tr("The operation failed. Details from the helper: %1").arg(error.message());
}

} // namespace tz
