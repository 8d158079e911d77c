#pragma once

#include "net/tlsaccessmanager.h"

#include <QString>
#include <QStringList>
#include <QMetaType>
#include <QUrl>

namespace rcrt {

// How to reach one RCRT server and authenticate: the runtime half of a connection profile.
struct ConnectionSettings
{
    enum class Auth { DevMode, Token, Mint };

    QUrl url;
    Auth auth = Auth::DevMode;
    QString token; // Auth::Token; never written to QSettings (see SecretStore)
    QString ownerId; // Auth::Mint
    QString agentId;
    QStringList roles; // empty: the server's defaults
    int initialHistory = 1000; // breadcrumbs loaded on the first connect
    TlsOptions tls; // https only: verification (on by default) and an extra CA file
    // Silence on the stream (no byte, not even a ping) for this long means reconnect; 0 keeps
    // the client's default (15 s). The doctor raises it to measure proxies that buffer longer.
    int watchdogMs = 0;
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::ConnectionSettings)
