#include "app/consolelaunch.h"

#include "app/cli/tapoptions.h"
#include "app/profiles.h"

#include <QFile>

namespace rcrt {

namespace {

// rcrt-tap's options mean the same here.
ConnectionSettings fromTapOptions(const cli::TapOptions &options, QString *error)
{
    ConnectionSettings s;
    s.url = options.url;
    if (!options.token.isEmpty()) {
        s.auth = ConnectionSettings::Auth::Token;
        s.token = options.token;
    } else if (!options.tokenFile.isEmpty()) {
        QFile file(options.tokenFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the token file %1: %2").arg(options.tokenFile, file.errorString());
            return s;
        }
        s.auth = ConnectionSettings::Auth::Token;
        s.token = QString::fromUtf8(file.readAll()).trimmed();
    } else if (!options.ownerId.isEmpty()) {
        s.auth = ConnectionSettings::Auth::Mint;
        s.ownerId = options.ownerId;
        s.agentId = options.agentId;
        s.roles = options.roles;
    }
    return s;
}

bool hasConnectionOption(const QStringList &args)
{
    for (const QString &a : args) {
        for (const char *name : {"--url", "--token", "--token-file", "--owner-id", "--agent-id"}) {
            if (a == QLatin1String(name) || a.startsWith(QLatin1String(name) + QLatin1Char('=')))
                return true;
        }
    }
    return false;
}

} // namespace

ConsoleLaunch planConsoleLaunch(QStringList args, const ProfileStore &profiles, const SecretStore &secrets)
{
    ConsoleLaunch launch;
    QString profile;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--profile") && i + 1 < args.size()) {
            profile = args.at(i + 1);
            args.remove(i, 2);
            break;
        }
        if (args.at(i).startsWith(QLatin1String("--profile="))) {
            profile = args.at(i).mid(10);
            args.remove(i);
            break;
        }
    }
    const bool explicitConnection = hasConnectionOption(args);
    cli::TapOptions options;
    if (!cli::extractGlobalOptions(args, options, launch.error)) {
        launch.askUser = true;
        return launch;
    }
    for (const QString &rest : std::as_const(args)) {
        if (rest.startsWith(QLatin1Char('-'))) {
            launch.error = QStringLiteral("unknown option %1").arg(rest);
            launch.askUser = true;
            return launch;
        }
        launch.files += rest;
    }
    if (explicitConnection) {
        launch.settings = fromTapOptions(options, &launch.error);
        if (!launch.error.isEmpty()) {
            launch.settings.reset();
            launch.askUser = true;
        }
        return launch;
    }
    if (profile.isEmpty())
        profile = profiles.lastUsed();
    if (profile.isEmpty()) {
        launch.askUser = true; // first run
        return launch;
    }
    auto loaded = profiles.load(profile);
    if (!loaded) {
        launch.error = QStringLiteral("no connection profile named '%1'").arg(profile);
        launch.askUser = true;
        return launch;
    }
    if (loaded->settings.auth == ConnectionSettings::Auth::Token)
        loaded->settings.token = secrets.readToken(profile).value_or(QString());
    launch.settings = loaded->settings;
    launch.profileName = profile;
    return launch;
}

} // namespace rcrt
