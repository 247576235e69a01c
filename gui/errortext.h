// SPDX-License-Identifier: MIT
// The helper's named refusals as translated sentences that say what to do.
#pragma once

#include <QCoreApplication>
#include <QDBusError>
#include <QString>

namespace tz {

class ErrorText {
    Q_DECLARE_TR_FUNCTIONS(ErrorText)
public:
    // A whole sentence for a message bar or dialog; never the helper's English text alone.
    static QString describe(const QDBusError &error);
    // The same, for under the one field it is about, so it need not name the field.
    static QString describeForField(const QDBusError &error);
    // The template parameter a refusal is about (its message starts "KEY: "), or "" when none.
    static QString parameterOf(const QDBusError &error);
    // True when polkit said no (a dismissed password dialog is errors::cancelled, not this).
    static bool isDenial(const QDBusError &error);
    // True when the helper is not on the bus (not installed, not running, restarting).
    static bool isUnreachable(const QDBusError &error);
};

} // namespace tz
