#pragma once

#include "app/connectionsettings.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace rcrt {

class ProfileStore;
class SecretStore;

// What rcrt-console does at start (issue 3 item 7): the same connection options as rcrt-tap
// (--url, --token, --token-file, --owner-id/--agent-id/--roles), or --profile NAME, or, with
// neither, the last profile used; with no profile at all it asks (the first-run dialog).
struct ConsoleLaunch
{
    std::optional<ConnectionSettings> settings; // connect to this at once
    QString profileName; // the profile it came from, if any
    bool askUser = false; // show the connection dialog
    QString error; // bad arguments: show it, then ask
    QStringList files; // positional arguments (session files, later)
};

ConsoleLaunch planConsoleLaunch(QStringList arguments, const ProfileStore &profiles,
                                const SecretStore &secrets);

} // namespace rcrt
