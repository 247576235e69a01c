// SPDX-License-Identifier: MIT
// The named D-Bus errors of org.tazuna.Helper1: every refusal the helper can answer with.
#pragma once

#include <QString>

namespace tz::errors {

// Each refusal has one name; clients map the name (not the English message) to
// what they show the user.
inline constexpr const char *notAuthorized = "org.tazuna.Helper1.Error.NotAuthorized";
// The caller was asked to authenticate and dismissed polkit's dialog: not a refusal
// by policy, and asking again may succeed.
inline constexpr const char *cancelled = "org.tazuna.Helper1.Error.Cancelled";
// The D-Bus specification's own name: polkit would ask for a password, and the call
// did not allow that (its header lacks ALLOW_INTERACTIVE_AUTHORIZATION).
inline constexpr const char *interactiveAuthorizationRequired = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";
inline constexpr const char *noSuchService = "org.tazuna.Helper1.Error.NoSuchService";
inline constexpr const char *invalidName = "org.tazuna.Helper1.Error.InvalidName";
inline constexpr const char *invalidParameter = "org.tazuna.Helper1.Error.InvalidParameter";
inline constexpr const char *alreadyExists = "org.tazuna.Helper1.Error.AlreadyExists";
inline constexpr const char *unknownTemplate = "org.tazuna.Helper1.Error.UnknownTemplate";
inline constexpr const char *noSuchLogFile = "org.tazuna.Helper1.Error.NoSuchLogFile";
inline constexpr const char *noSuchUser = "org.tazuna.Helper1.Error.NoSuchUser";
inline constexpr const char *notExecutable = "org.tazuna.Helper1.Error.NotExecutable";
inline constexpr const char *notSupervised = "org.tazuna.Helper1.Error.NotSupervised";
// Too many calls or pending authorizations from one caller, or too many services for one user.
inline constexpr const char *limitExceeded = "org.tazuna.Helper1.Error.LimitExceeded";
// The operation cannot work in this setup (e.g. logging off under svscan's 0.76 rule).
inline constexpr const char *notSupported = "org.tazuna.Helper1.Error.NotSupported";
inline constexpr const char *busy = "org.tazuna.Helper1.Error.Busy";
inline constexpr const char *failed = "org.tazuna.Helper1.Error.Failed";

} // namespace tz::errors
