#include "app/cli/tapconnection.h"

#include <QEventLoop>
#include <QTextStream>
#include <QTimer>

namespace rcrt::cli {

TapConnection::TapConnection(const TapOptions &options)
    : m_options(options)
    , m_tokens(&m_nam)
    , m_rest(&m_nam, options.url, &m_tokens)
{
}

std::unique_ptr<TapConnection> TapConnection::open(const TapOptions &options, QString *error)
{
    std::unique_ptr<TapConnection> c(new TapConnection(options));
    if (!c->m_nam.setTlsOptions(options.tls, error))
        return nullptr;
    if (const QString warning = insecureTlsWarning(&c->m_nam, options.url); !warning.isEmpty())
        QTextStream(stderr) << "# " << warning << '\n';
    if (!options.token.isEmpty()) {
        c->m_tokens.setStaticToken(options.token);
    } else if (!options.tokenFile.isEmpty()) {
        if (!c->m_tokens.setStaticTokenFromFile(options.tokenFile, error))
            return nullptr;
    } else if (!options.ownerId.isEmpty()) {
        TokenMintRequest request;
        request.ownerId = options.ownerId;
        request.agentId = options.agentId;
        request.roles = options.roles;
        QEventLoop loop;
        QString failure;
        QObject::connect(&c->m_tokens, &TokenProvider::tokenChanged, &loop, &QEventLoop::quit);
        QObject::connect(&c->m_tokens, &TokenProvider::refreshFailed, &loop,
                         [&](const QString &message) {
                             failure = message;
                             loop.quit();
                         });
        c->m_tokens.setMint(options.url, request);
        if (!c->m_tokens.hasToken() && failure.isEmpty())
            loop.exec();
        if (!c->m_tokens.hasToken()) {
            if (error)
                *error = QStringLiteral("could not mint a token at %1/auth/token: %2")
                             .arg(options.url.toString(), failure);
            return nullptr;
        }
    } else {
        c->m_tokens.setNone();
    }
    return c;
}

RestResult TapConnection::wait(RestCall *call)
{
    RestResult result;
    QEventLoop loop;
    QObject::connect(call, &RestCall::finished, &loop, [&](const RestResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    return result;
}

} // namespace rcrt::cli
