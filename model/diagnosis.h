#pragma once

#include "model/probeoutcome.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace rcrt {

class DeliveryStats;
class FlowTracker;

// The delivery doctor's findings (issue 6 item 3; docs/diagnosis.md lists every id with its
// evidence and fix). Ids are stable kebab-case names: scripts match on them.
namespace finding {
inline constexpr QLatin1StringView Buffering{"buffering"};
inline constexpr QLatin1StringView UniformLag{"uniform-lag"};
inline constexpr QLatin1StringView StalledStream{"stalled-stream"};
inline constexpr QLatin1StringView DeadStream{"dead-stream"};
inline constexpr QLatin1StringView Unanswered{"unanswered"};
inline constexpr QLatin1StringView UnmatchedResponse{"unmatched-response"};
inline constexpr QLatin1StringView LateAnswer{"late-answer"};
inline constexpr QLatin1StringView ClockSkew{"clock-skew"};
inline constexpr QLatin1StringView Duplicates{"duplicates"};
inline constexpr QLatin1StringView ConsoleBehind{"console-behind"};
} // namespace finding

enum class Severity : quint8 { Info, Warning, Error };

QString severityName(Severity severity);

struct Finding
{
    QString id;
    Severity severity = Severity::Info;
    QString summary;             // one sentence
    QStringList evidence;        // figures in words, one line each
    QJsonObject figures;         // the same figures, machine-readable
    QList<QByteArray> eventIds;  // breadcrumbs it cites (clickable in the GUI)
    QString fixHint;

    // {"id","severity","summary","evidence":{...figures,"lines":[...],"event_ids":[...]},"fix"}
    QJsonObject toJson() const;
    // A block: "[warning] id: summary", indented evidence, events and fix lines.
    QString toText() const;
};

// What the doctor knows about the stream connection itself (live only).
struct StreamHealth
{
    bool live = false;          // false: from a session file
    qint64 observedFromNs = 0;  // console clock
    qint64 observedToNs = 0;
    int connects = 0;           // streams accepted (200 text/event-stream)
    int reconnects = 0;
    QString lastError;
};

// A REST re-list compared with what the stream delivered.
struct ReconcileResult
{
    struct Item
    {
        QByteArray breadcrumbId;
        qint32 version = 0;
        qint64 updatedAtNs = 0; // server clock
    };
    bool done = false;
    qint64 atNs = 0;            // console clock of the answer
    int listed = 0;
    QString error;
    QList<Item> missing;        // listed, newer than the stream's start, never delivered
};

struct DiagnosisOptions
{
    qint64 uniformLagMinNs = 1'000'000'000;   // corrected lag below this is not reported
    qint64 consoleBehindNs = 1'000'000'000;   // processing lag p95 above this is
    qint64 probeLostAfterNs = 10'000'000'000; // an unseen probe is lost after this (or 1.5 bursts)
    qint64 reconcileGraceNs = 3'000'000'000;  // a listed item younger than this is not missing yet
    qint64 silentAfterNs = 15'000'000'000;    // no byte for this long: the stream went silent
    qint64 skewMinNs = 1'000'000'000;         // offset beyond its uncertainty by more than this
};

struct DiagnosisInput
{
    const DeliveryStats *stats = nullptr;   // required
    const FlowTracker *flows = nullptr;     // optional: no request findings without it
    StreamHealth stream;
    QList<ProbeOutcome> probes;
    ReconcileResult reconcile;
    qint64 nowNs = 0;                       // console clock of the analysis
    DiagnosisOptions options;
};

// Every finding that applies, most severe first (stable order within a severity).
QList<Finding> diagnose(const DiagnosisInput &input);

// Worst severity of a list; Info when empty.
Severity worstSeverity(const QList<Finding> &findings);

// {"findings":[...]} plus a few headline figures under "measures".
QJsonObject diagnosisToJson(const QList<Finding> &findings, const QJsonObject &measures = {});

namespace diagnosis_detail {
// The rule groups, one file each (diagnosis_stream.cpp, diagnosis_delivery.cpp,
// diagnosis_requests.cpp); they append to `out`.
struct Context;
void streamRules(const Context &c, QList<Finding> &out);
void deliveryRules(const Context &c, QList<Finding> &out);
void requestRules(const Context &c, QList<Finding> &out);
} // namespace diagnosis_detail

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::Finding)
