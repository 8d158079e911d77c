#pragma once

#include "app/cli/tapoptions.h"
#include "net/restclient.h"
#include "net/tlsaccessmanager.h"
#include "net/tokenprovider.h"

#include <memory>

namespace rcrt::cli {

// The network objects one rcrt-tap command needs, built from the global options: a token
// provider in the mode the options ask for, and a REST client on it.
class TapConnection
{
public:
    // Returns null and sets *error when the options cannot work (unreadable token file, or a
    // mint that failed). In mint mode it waits for the first token before returning.
    static std::unique_ptr<TapConnection> open(const TapOptions &options, QString *error);

    QNetworkAccessManager &nam() { return m_nam; }
    TokenProvider &tokens() { return m_tokens; }
    RestClient &rest() { return m_rest; }
    const TapOptions &options() const { return m_options; }

    // Runs the event loop until the call finishes; returns its result.
    static RestResult wait(RestCall *call);

private:
    explicit TapConnection(const TapOptions &options);

    TapOptions m_options;
    TlsAccessManager m_nam; // applies --insecure / --ca-file to every request
    TokenProvider m_tokens;
    RestClient m_rest;
};

} // namespace rcrt::cli
