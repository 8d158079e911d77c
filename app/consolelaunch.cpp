#include "app/consolelaunch.h"

#include "app/cli/tapoptions.h"
#include "app/profiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

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
    launch.replayDemo = args.removeAll(QStringLiteral("--replay-demo")) > 0;
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
    if (launch.replayDemo || !launch.files.isEmpty())
        return launch; // a replay: nothing to connect to
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

QString findDemoSession(const QString &applicationDir, QString *error)
{
    const QString name = QStringLiteral("demo.rcrtsession");
    QStringList candidates;
    if (const QString env = qEnvironmentVariable("RCRT_DEMO_SESSION"); !env.isEmpty())
        candidates << env;
    const QDir bin(applicationDir);
    candidates << bin.filePath(QStringLiteral("../share/rcrt-console/") + name)
               << bin.filePath(name)
               // build trees: <source>/build/<preset>/app/rcrt-console, <source>/build-x/app/…
               << bin.filePath(QStringLiteral("../../resources/") + name)
               << bin.filePath(QStringLiteral("../../../resources/") + name);
    for (const QString &path : std::as_const(candidates)) {
        if (QFileInfo(path).isFile())
            return QFileInfo(path).canonicalFilePath();
    }
    const QString embedded = QStringLiteral(":/rcrt/") + name;
    if (QFile::exists(embedded)) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
        const QString copy = QDir(dir).filePath(QStringLiteral("rcrt-console-") + name);
        QFile::remove(copy);
        if (QFile::copy(embedded, copy)) {
            QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            return copy;
        }
    }
    if (error)
        *error = QStringLiteral("the demo session (%1) was not found; looked in: %2")
                     .arg(name, candidates.join(QStringLiteral(", ")));
    return {};
}

} // namespace rcrt
