#include "app/cli/restverbs.h"

#include "app/cli/tapconnection.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>
#include <functional>

namespace rcrt::cli {

namespace {

constexpr int kUsageError = 2;
constexpr int kServerError = 1;

QTextStream &errStream()
{
    static QTextStream err(stderr);
    return err;
}

// Parses a verb's options; prints the problem and returns false on bad usage.
bool parseVerb(QCommandLineParser &parser, const QString &verb, const QStringList &args,
               int positionals)
{
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("rcrt-tap ") + verb} + args)) {
        errStream() << "rcrt-tap " << verb << ": " << parser.errorText() << '\n';
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return false;
    }
    if (parser.positionalArguments().size() != positionals) {
        errStream() << "rcrt-tap " << verb << ": expected " << positionals
                    << (positionals == 1 ? " argument" : " arguments") << " (--help shows usage)\n";
        return false;
    }
    return true;
}

// Opens the connection, runs one call, prints its body. The exit code of every verb.
int runCall(const TapOptions &options, const QString &verb,
            const std::function<RestCall *(RestClient &)> &makeCall)
{
    QString error;
    auto connection = TapConnection::open(options, &error);
    if (!connection) {
        errStream() << "rcrt-tap " << verb << ": " << error << '\n';
        return kServerError;
    }
    const RestResult result = TapConnection::wait(makeCall(connection->rest()));
    if (!result.ok()) {
        errStream() << "rcrt-tap " << verb << ": " << result.error << '\n';
        return kServerError;
    }
    QByteArray body = result.body;
    if (!body.endsWith('\n'))
        body += '\n';
    std::fwrite(body.constData(), 1, size_t(body.size()), stdout);
    return 0;
}

// Reads --context (or --body) as JSON; an invalid document is a usage error.
bool parseJsonOption(const QCommandLineParser &parser, const QString &name, QJsonValue *value)
{
    const QByteArray text = parser.value(name).toUtf8();
    QJsonParseError parseError{};
    // Wrap so that scalars ("42", "null") are accepted as context values too.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]", &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        errStream() << "rcrt-tap: --" << name << " is not valid JSON: "
                    << (parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                     : QStringLiteral("one value expected"))
                    << '\n';
        return false;
    }
    *value = doc.array().first();
    return true;
}

// Builds a create/update body from --body or from the field options.
bool buildBody(const QCommandLineParser &parser, bool forCreate, QByteArray *body)
{
    if (parser.isSet(QStringLiteral("body"))) {
        QJsonValue whole;
        if (!parseJsonOption(parser, QStringLiteral("body"), &whole))
            return false;
        if (!whole.isObject()) {
            errStream() << "rcrt-tap: --body must be a JSON object\n";
            return false;
        }
        *body = QJsonDocument(whole.toObject()).toJson(QJsonDocument::Compact);
        return true;
    }
    QJsonObject object;
    if (parser.isSet(QStringLiteral("title")) || forCreate)
        object.insert(QStringLiteral("title"), parser.value(QStringLiteral("title")));
    if (parser.isSet(QStringLiteral("context"))) {
        QJsonValue context;
        if (!parseJsonOption(parser, QStringLiteral("context"), &context))
            return false;
        object.insert(QStringLiteral("context"), context);
    } else if (forCreate) {
        object.insert(QStringLiteral("context"), QJsonObject());
    }
    if (parser.isSet(QStringLiteral("tag")) || forCreate)
        object.insert(QStringLiteral("tags"), QJsonArray::fromStringList(parser.values(QStringLiteral("tag"))));
    for (const auto &[option, field] : {std::pair{"schema", "schema_name"}, std::pair{"description", "description"},
                                        std::pair{"ttl", "ttl"}}) {
        if (parser.isSet(QLatin1String(option)))
            object.insert(QLatin1String(field), parser.value(QLatin1String(option)));
    }
    *body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return true;
}

void addBodyOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("title"), QStringLiteral("Title."), QStringLiteral("TEXT")},
        {QStringLiteral("schema"), QStringLiteral("schema_name."), QStringLiteral("NAME")},
        {QStringLiteral("tag"), QStringLiteral("A tag (repeatable)."), QStringLiteral("TAG")},
        {QStringLiteral("context"), QStringLiteral("Context as JSON."), QStringLiteral("JSON")},
        {QStringLiteral("description"), QStringLiteral("Description."), QStringLiteral("TEXT")},
        {QStringLiteral("ttl"), QStringLiteral("Expiry, RFC 3339."), QStringLiteral("TIME")},
        {QStringLiteral("body"), QStringLiteral("The whole JSON body instead of the options above."),
         QStringLiteral("JSON")},
    });
}

int runById(const TapOptions &options, const QStringList &args, const QString &verb,
            RestCall *(RestClient::*method)(const QString &))
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("Breadcrumb id."));
    if (!parseVerb(parser, verb, args, 1))
        return kUsageError;
    const QString id = parser.positionalArguments().first();
    return runCall(options, verb, [&](RestClient &rest) { return (rest.*method)(id); });
}

} // namespace

int runList(const TapOptions &options, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("tag"), QStringLiteral("Only breadcrumbs with this tag."), QStringLiteral("TAG")},
        {QStringLiteral("schema"), QStringLiteral("Only this schema_name."), QStringLiteral("NAME")},
        {QStringLiteral("limit"), QStringLiteral("At most N items."), QStringLiteral("N")},
        {QStringLiteral("offset"), QStringLiteral("Skip N items."), QStringLiteral("N")},
        {QStringLiteral("include-context"), QStringLiteral("The long item shape, with context.")},
    });
    if (!parseVerb(parser, QStringLiteral("list"), args, 0))
        return kUsageError;
    BreadcrumbListQuery query;
    query.tag = parser.value(QStringLiteral("tag"));
    query.schemaName = parser.value(QStringLiteral("schema"));
    query.includeContext = parser.isSet(QStringLiteral("include-context"));
    for (const auto &[name, target] : {std::pair{"limit", &query.limit}, std::pair{"offset", &query.offset}}) {
        if (!parser.isSet(QLatin1String(name)))
            continue;
        bool ok = false;
        const int value = parser.value(QLatin1String(name)).toInt(&ok);
        if (!ok || value < 0) {
            errStream() << "rcrt-tap list: --" << name << " needs a non-negative number\n";
            return kUsageError;
        }
        *target = value;
    }
    return runCall(options, QStringLiteral("list"),
                   [&](RestClient &rest) { return rest.listBreadcrumbs(query); });
}

int runGet(const TapOptions &options, const QStringList &args)
{
    return runById(options, args, QStringLiteral("get"), &RestClient::getBreadcrumb);
}

int runFull(const TapOptions &options, const QStringList &args)
{
    return runById(options, args, QStringLiteral("full"), &RestClient::getBreadcrumbFull);
}

int runHistory(const TapOptions &options, const QStringList &args)
{
    return runById(options, args, QStringLiteral("history"), &RestClient::getHistory);
}

int runDelete(const TapOptions &options, const QStringList &args)
{
    return runById(options, args, QStringLiteral("delete"), &RestClient::deleteBreadcrumb);
}

int runCreate(const TapOptions &options, const QStringList &args)
{
    QCommandLineParser parser;
    addBodyOptions(parser);
    parser.addOption({QStringLiteral("idempotency-key"), QStringLiteral("Idempotency-Key header."),
                      QStringLiteral("KEY")});
    if (!parseVerb(parser, QStringLiteral("create"), args, 0))
        return kUsageError;
    QByteArray body;
    if (!buildBody(parser, true, &body))
        return kUsageError;
    const QString key = parser.value(QStringLiteral("idempotency-key"));
    return runCall(options, QStringLiteral("create"),
                   [&](RestClient &rest) { return rest.createBreadcrumb(body, key); });
}

int runUpdate(const TapOptions &options, const QStringList &args)
{
    QCommandLineParser parser;
    addBodyOptions(parser);
    parser.addOption({QStringLiteral("if-match"), QStringLiteral("Only if the stored version is V."),
                      QStringLiteral("V")});
    parser.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("Breadcrumb id."));
    if (!parseVerb(parser, QStringLiteral("update"), args, 1))
        return kUsageError;
    QByteArray body;
    if (!buildBody(parser, false, &body))
        return kUsageError;
    std::optional<int> ifMatch;
    if (parser.isSet(QStringLiteral("if-match"))) {
        bool ok = false;
        ifMatch = parser.value(QStringLiteral("if-match")).toInt(&ok);
        if (!ok) {
            errStream() << "rcrt-tap update: --if-match needs a version number\n";
            return kUsageError;
        }
    }
    const QString id = parser.positionalArguments().first();
    return runCall(options, QStringLiteral("update"),
                   [&](RestClient &rest) { return rest.updateBreadcrumb(id, body, ifMatch); });
}

int runHealth(const TapOptions &options, const QStringList &args)
{
    QCommandLineParser parser;
    if (!parseVerb(parser, QStringLiteral("health"), args, 0))
        return kUsageError;
    return runCall(options, QStringLiteral("health"), [](RestClient &rest) { return rest.health(); });
}

} // namespace rcrt::cli
