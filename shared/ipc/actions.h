// SPDX-License-Identifier: MIT
// The polkit action ids the helper checks, one per kind of operation.
#pragma once

namespace tz::actions {

// The *-own variants are for a service the caller created and that runs as the
// caller (see the helper's README): the shipped policy grants them to the active
// session without a password. The plain ones cover root's and other users' services.
inline constexpr const char *readLogs = "org.tazuna.read-logs";
inline constexpr const char *readLogsOwn = "org.tazuna.read-logs-own";
inline constexpr const char *control = "org.tazuna.control";
inline constexpr const char *controlOwn = "org.tazuna.control-own";
inline constexpr const char *create = "org.tazuna.create";
inline constexpr const char *createOwn = "org.tazuna.create-own";
inline constexpr const char *remove = "org.tazuna.remove";
inline constexpr const char *removeOwn = "org.tazuna.remove-own";
inline constexpr const char *setLogging = "org.tazuna.set-logging";
inline constexpr const char *setLoggingOwn = "org.tazuna.set-logging-own";

} // namespace tz::actions
