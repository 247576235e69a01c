// SPDX-License-Identifier: MIT
// A call of the helper that allows polkit's password dialog (the D-Bus header flag ALLOW_INTERACTIVE_AUTHORIZATION).
#pragma once

#include <QDBusAbstractInterface>
#include <QDBusPendingCall>
#include <QVariantList>

namespace tz {

// The call an app makes for what its user has just asked for: the helper lets
// polkit ask for a password only when the header allows it, and the generated
// proxy's own calls do not set the flag.
QDBusPendingCall askingCall(const QDBusAbstractInterface &proxy, const QString &method, const QVariantList &arguments);

} // namespace tz
