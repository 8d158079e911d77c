#include "app/cli/tapoptions.h"

#include <QProcessEnvironment>

namespace rcrt::cli {

// Global options may stand anywhere on the line; they are taken out before the command parses
// its own options. Returns false with a message on a missing value.
bool extractGlobalOptions(QStringList &args, TapOptions &options, QString &error)
{
    static const QStringList withValue{QStringLiteral("--url"), QStringLiteral("--token"),
                                       QStringLiteral("--token-file"), QStringLiteral("--owner-id"),
                                       QStringLiteral("--agent-id"), QStringLiteral("--roles"),
                                       QStringLiteral("--ca-file")};
    QString url = QProcessEnvironment::systemEnvironment().value(QStringLiteral("RCRT_URL"));
    QStringList rest;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--")) {
            rest += args.mid(i);
            break;
        }
        if (arg == QLatin1String("--json")) {
            options.json = true;
            continue;
        }
        if (arg == QLatin1String("--insecure")) {
            options.tls.verifyPeer = false;
            continue;
        }
        QString name = arg;
        QString value;
        bool inlineValue = false;
        if (const qsizetype eq = arg.indexOf(QLatin1Char('=')); arg.startsWith(QLatin1String("--")) && eq > 0) {
            name = arg.left(eq);
            value = arg.mid(eq + 1);
            inlineValue = true;
        }
        if (!withValue.contains(name)) {
            rest += arg;
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= args.size()) {
                error = QStringLiteral("option %1 needs a value").arg(name);
                return false;
            }
            value = args.at(++i);
        }
        if (name == QLatin1String("--url"))
            url = value;
        else if (name == QLatin1String("--token"))
            options.token = value;
        else if (name == QLatin1String("--token-file"))
            options.tokenFile = value;
        else if (name == QLatin1String("--owner-id"))
            options.ownerId = value;
        else if (name == QLatin1String("--agent-id"))
            options.agentId = value;
        else if (name == QLatin1String("--ca-file"))
            options.tls.caFile = value;
        else if (name == QLatin1String("--roles"))
            options.roles = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
    }
    if (url.isEmpty())
        url = QStringLiteral("http://127.0.0.1:8081");
    options.url = QUrl(url);
    if (!options.url.isValid() || (options.url.scheme() != QLatin1String("http")
                                   && options.url.scheme() != QLatin1String("https"))) {
        error = QStringLiteral("invalid --url '%1': expected http://HOST:PORT or https://…").arg(url);
        return false;
    }
    const int tokenSources = int(!options.token.isEmpty()) + int(!options.tokenFile.isEmpty())
        + int(!options.ownerId.isEmpty() || !options.agentId.isEmpty());
    if (tokenSources > 1) {
        error = QStringLiteral("use only one of --token, --token-file, --owner-id/--agent-id");
        return false;
    }
    if (options.ownerId.isEmpty() != options.agentId.isEmpty()) {
        error = QStringLiteral("--owner-id and --agent-id go together");
        return false;
    }
    args = rest;
    return true;
}

} // namespace rcrt::cli
