#pragma once

#include "net/tlsaccessmanager.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace rcrt::cli {

// Options every rcrt-tap command understands (issue: "global options").
struct TapOptions
{
    QUrl url; // --url, default $RCRT_URL, else http://127.0.0.1:8081
    QString token; // --token
    QString tokenFile; // --token-file
    QString ownerId; // --owner-id (mint a token with --agent-id)
    QString agentId; // --agent-id
    QStringList roles; // --roles r,r
    bool json = false; // --json
    TlsOptions tls; // --insecure (no certificate check, warned on stderr), --ca-file F
};

// Takes the global options out of `args` (they may stand anywhere on the line), leaving the
// command and its own options. Returns false with a message on a bad or missing value.
bool extractGlobalOptions(QStringList &args, TapOptions &options, QString &error);

} // namespace rcrt::cli
