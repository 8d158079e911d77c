#include "app/profiles.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QSettings>
#include <QUrl>

#ifdef RCRT_HAVE_KEYCHAIN
#include <QEventLoop>
#include <qt6keychain/keychain.h>
#endif

namespace rcrt {

namespace {

QString authName(ConnectionSettings::Auth auth)
{
    switch (auth) {
    case ConnectionSettings::Auth::DevMode: return QStringLiteral("dev");
    case ConnectionSettings::Auth::Token: return QStringLiteral("token");
    case ConnectionSettings::Auth::Mint: return QStringLiteral("mint");
    }
    return QStringLiteral("dev");
}

ConnectionSettings::Auth authFromName(const QString &name)
{
    if (name == QLatin1String("token"))
        return ConnectionSettings::Auth::Token;
    if (name == QLatin1String("mint"))
        return ConnectionSettings::Auth::Mint;
    return ConnectionSettings::Auth::DevMode;
}

// Profile names become settings groups and file names: keep them to a safe alphabet.
QString safeKey(const QString &name)
{
    return QString::fromLatin1(name.toUtf8().toPercentEncoding(" -_."));
}

constexpr char kKeychainService[] = "rcrt-console";

#ifdef RCRT_HAVE_KEYCHAIN
// Keychain jobs are asynchronous; profiles are read and written at connect time, so wait here.
void runJob(QKeychain::Job &job, const QString &profile)
{
    job.setAutoDelete(false);
    job.setKey(profile);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
}
#endif

} // namespace

ProfileStore::ProfileStore(QSettings &settings)
    : m_settings(settings)
{
}

QStringList ProfileStore::names() const
{
    m_settings.beginGroup(QStringLiteral("profiles"));
    QStringList keys = m_settings.childGroups();
    m_settings.endGroup();
    QStringList names;
    for (const QString &key : keys)
        names += QString::fromUtf8(QByteArray::fromPercentEncoding(key.toLatin1()));
    names.sort(Qt::CaseInsensitive);
    return names;
}

std::optional<ConnectionProfile> ProfileStore::load(const QString &name) const
{
    const QString group = QStringLiteral("profiles/") + safeKey(name);
    if (!m_settings.childGroups().contains(QStringLiteral("profiles"))
        || !names().contains(name))
        return std::nullopt;
    m_settings.beginGroup(group);
    ConnectionProfile p;
    p.name = name;
    p.settings.url = QUrl(m_settings.value(QStringLiteral("url")).toString());
    p.settings.auth = authFromName(m_settings.value(QStringLiteral("auth")).toString());
    p.settings.ownerId = m_settings.value(QStringLiteral("ownerId")).toString();
    p.settings.agentId = m_settings.value(QStringLiteral("agentId")).toString();
    p.settings.roles = m_settings.value(QStringLiteral("roles")).toStringList();
    p.settings.initialHistory = m_settings.value(QStringLiteral("initialHistory"), 1000).toInt();
    // Absent (older profiles) means verified: an opt-out is never implied.
    p.settings.tls.verifyPeer = m_settings.value(QStringLiteral("tlsVerify"), true).toBool();
    p.settings.tls.caFile = m_settings.value(QStringLiteral("caFile")).toString();
    m_settings.endGroup();
    return p;
}

void ProfileStore::save(const ConnectionProfile &profile)
{
    m_settings.beginGroup(QStringLiteral("profiles/") + safeKey(profile.name));
    m_settings.setValue(QStringLiteral("url"), profile.settings.url.toString());
    m_settings.setValue(QStringLiteral("auth"), authName(profile.settings.auth));
    m_settings.setValue(QStringLiteral("ownerId"), profile.settings.ownerId);
    m_settings.setValue(QStringLiteral("agentId"), profile.settings.agentId);
    m_settings.setValue(QStringLiteral("roles"), profile.settings.roles);
    m_settings.setValue(QStringLiteral("initialHistory"), profile.settings.initialHistory);
    m_settings.setValue(QStringLiteral("tlsVerify"), profile.settings.tls.verifyPeer);
    m_settings.setValue(QStringLiteral("caFile"), profile.settings.tls.caFile);
    m_settings.endGroup();
    m_settings.sync();
}

void ProfileStore::remove(const QString &name)
{
    m_settings.remove(QStringLiteral("profiles/") + safeKey(name));
    if (lastUsed() == name)
        m_settings.remove(QStringLiteral("lastProfile"));
}

QString ProfileStore::lastUsed() const { return m_settings.value(QStringLiteral("lastProfile")).toString(); }

void ProfileStore::setLastUsed(const QString &name) { m_settings.setValue(QStringLiteral("lastProfile"), name); }

SecretStore::SecretStore(QString fileDir)
    : m_dir(std::move(fileDir))
{
#ifdef RCRT_HAVE_KEYCHAIN
    // Without a session bus there is no secret service to talk to (headless, CI).
    m_useKeychain = !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")
        && qEnvironmentVariableIsEmpty("RCRT_NO_KEYCHAIN");
#endif
}

QString SecretStore::tokenFilePath(const QString &profile) const
{
    return m_dir + QLatin1Char('/') + safeKey(profile) + QStringLiteral(".token");
}

std::optional<QString> SecretStore::readToken(const QString &profile, QString *error) const
{
#ifdef RCRT_HAVE_KEYCHAIN
    if (m_useKeychain) {
        QKeychain::ReadPasswordJob job{QString::fromLatin1(kKeychainService)};
        runJob(job, profile);
        if (job.error() == QKeychain::NoError)
            return job.textData();
        if (job.error() != QKeychain::EntryNotFound && error)
            *error = job.errorString();
        return std::nullopt;
    }
#endif
    QFile file(tokenFilePath(profile));
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    return QString::fromUtf8(file.readAll()).trimmed();
}

bool SecretStore::writeToken(const QString &profile, const QString &token, QString *error)
{
#ifdef RCRT_HAVE_KEYCHAIN
    if (m_useKeychain) {
        QKeychain::WritePasswordJob job{QString::fromLatin1(kKeychainService)};
        job.setTextData(token);
        runJob(job, profile);
        if (job.error() == QKeychain::NoError)
            return true;
        if (error)
            *error = job.errorString();
        return false;
    }
#endif
    if (!QDir().mkpath(m_dir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(m_dir);
        return false;
    }
    QSaveFile file(tokenFilePath(profile));
    // Restrict before any byte is written, so the token is never readable by others.
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(token.toUtf8()) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void SecretStore::removeToken(const QString &profile)
{
#ifdef RCRT_HAVE_KEYCHAIN
    if (m_useKeychain) {
        QKeychain::DeletePasswordJob job{QString::fromLatin1(kKeychainService)};
        runJob(job, profile);
        return;
    }
#endif
    QFile::remove(tokenFilePath(profile));
}

} // namespace rcrt
