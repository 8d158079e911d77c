#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace rcrt {

// The session file format this build writes and the newest it reads (docs/session-format.md).
inline constexpr int kSessionFormatVersion = 1;

// What a session file says about itself (the `meta` table).
struct SessionHeader
{
    int formatVersion = kSessionFormatVersion;
    QString appVersion;              // RCRT_VERSION of the recording program
    QString serverUrl;               // without userinfo or token query items (sanitizeServerUrl)
    qint64 startNs = 0;              // wall clock, console clock, when recording started
    std::optional<qint64> clockOffsetNs; // server clock − console clock, when estimated
    QString note;
};

enum class SessionLogKind { Connect, Disconnect, Error, Backfill, Info, Probe };

QString sessionLogKindName(SessionLogKind kind);
// Unknown names read back as Info, so a newer writer's kinds never make a row unreadable.
SessionLogKind sessionLogKindFromName(QStringView name);

// One line of the connection log.
struct SessionLogEntry
{
    qint64 atNs = 0;
    SessionLogKind kind = SessionLogKind::Info;
    QString text;
};

// A breadcrumb's `/full` answer as the console fetched it.
struct SessionDetail
{
    qint64 atNs = 0;
    QByteArray breadcrumbId;
    qint32 version = 0;
    QByteArray fullJson;
};

// The server URL as it may be stored: no user name or password, no `token` / `access_token`
// query item (a session file is handed around; it must never carry a credential).
QString sanitizeServerUrl(const QUrl &url);
// A log line as it may be stored: user info in URLs removed, `token=…` values and
// `Bearer …` credentials masked.
QString scrubCredentials(QString text);

} // namespace rcrt
