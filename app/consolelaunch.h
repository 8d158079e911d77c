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
    QStringList files; // positional arguments: session files to replay (the first is opened)
    bool replayDemo = false; // --replay-demo: replay the bundled demo session
};

// A session file or --replay-demo means a replay: no connection, no dialog.
ConsoleLaunch planConsoleLaunch(QStringList arguments, const ProfileStore &profiles,
                                const SecretStore &secrets);

// The bundled demo session (resources/demo.rcrtsession): $RCRT_DEMO_SESSION, then the
// installed data (<prefix>/share/rcrt-console), then the source tree next to the build tree,
// then the copy embedded in the binary (written once to a temporary file, since SQLite reads
// files). Empty, with `error` set, when none is found.
QString findDemoSession(const QString &applicationDir, QString *error);

} // namespace rcrt
