#pragma once

#include "app/connectionsettings.h"

#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace rcrt {

// A named connection the console remembers (issue 3, item 1). Everything but the token lives in
// QSettings; the token goes to the SecretStore.
struct ConnectionProfile
{
    QString name;
    ConnectionSettings settings; // settings.token is not persisted here

    friend bool operator==(const ConnectionProfile &, const ConnectionProfile &) = default;
};

// Profiles in QSettings under "profiles/<name>/…", plus the last one used.
class ProfileStore
{
public:
    explicit ProfileStore(QSettings &settings);

    QStringList names() const;
    std::optional<ConnectionProfile> load(const QString &name) const;
    void save(const ConnectionProfile &profile); // without the token
    void remove(const QString &name);
    QString lastUsed() const;
    void setLastUsed(const QString &name);

private:
    QSettings &m_settings;
};

// Where tokens are kept: the desktop keychain (QtKeychain) when one is reachable, else one file
// per profile with mode 0600 in the app's config folder. Never QSettings, never logs.
class SecretStore
{
public:
    // dir: the folder for token files (tests pass a temporary one).
    explicit SecretStore(QString fileDir);

    bool usesKeychain() const { return m_useKeychain; }
    std::optional<QString> readToken(const QString &profile, QString *error = nullptr) const;
    bool writeToken(const QString &profile, const QString &token, QString *error = nullptr);
    void removeToken(const QString &profile);
    // The file that holds a profile's token when no keychain is used.
    QString tokenFilePath(const QString &profile) const;

private:
    QString m_dir;
    bool m_useKeychain = false;
};

} // namespace rcrt
