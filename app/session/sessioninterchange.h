#pragma once

#include "app/session/sessionreader.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

class QIODevice;

namespace rcrt {

// The interchange formats of a session (docs/session-format.md): JSON Lines (one object per
// line: a header, then log, probe, detail and event lines) and raw SSE captures (`curl -N`).

// Writes the whole session as JSON Lines. Deterministic: the same session gives the same
// bytes, so export → import → export is identical.
bool exportSessionJsonLines(SessionReader &reader, QIODevice &out, QString *error);

enum class ImportFormat { JsonLines, SseCapture, Unknown };
// Tells the formats apart from the first bytes: a JSON object line, or SSE field lines.
ImportFormat detectImportFormat(QByteArrayView head);

struct ImportSummary
{
    ImportFormat format = ImportFormat::Unknown;
    qint64 events = 0;
    qint64 logEntries = 0;
    qint64 details = 0;
    qint64 probes = 0;
    QStringList warnings; // what was kept but looked odd (e.g. payloads with no time in them)
};

// Reads `in` (either format) into a new session file at `outPath`. On bad input it stops with
// a message naming the line, and removes the half-written file (the input is never touched).
// `inputName` goes into the header's note of an SSE import.
bool importSession(QIODevice &in, const QString &inputName, const QString &outPath,
                   ImportSummary *summary, QString *error);

} // namespace rcrt
