// SPDX-License-Identifier: MIT
// A call of the helper that allows polkit's password dialog.
#include "askingcall.h"

#include <QDBusConnection>
#include <QDBusMessage>

namespace tz {

QDBusPendingCall askingCall(const QDBusAbstractInterface &proxy, const QString &method, const QVariantList &arguments)
{
    QDBusMessage call = QDBusMessage::createMethodCall(proxy.service(), proxy.path(), proxy.interface(), method);
    call.setArguments(arguments);
    call.setInteractiveAuthorizationAllowed(true);
    return proxy.connection().asyncCall(call, proxy.timeout());
}

} // namespace tz
