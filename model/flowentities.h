#pragma once

#include "model/streamevent.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>

namespace rcrt {

// The three kinds of breadcrumb a flow is made of, as the FlowTracker holds them. Every one is
// keyed by its breadcrumb id; a higher version of the same breadcrumb updates it in place.
enum class FlowEntity : quint8 { None, Request, Response, AgentResponse };

struct FlowRequest
{
    QByteArray id;                 // breadcrumb id (the key)
    qint32 version = 0;            // newest version seen
    QString tool;
    QByteArray requestId;          // context.requestId; empty when the request had none
    QByteArray correlationId;      // requestId, else the breadcrumb id (what the runner uses, §5.2)
    QByteArray workspace;          // first workspace:* tag; empty when it has none
    QByteArray requestedBy;
    bool hasInput = false;
    bool isWorkflowStep = false;
    QByteArray stepId;
    QList<QByteArray> workflowStepIds; // workflow requests: the ids of input.steps[]

    qint64 createdNs = 0;          // server clock: updated_at of version 1 (of the oldest seen)
    bool createdKnown = false;     // version 1 was seen, so createdNs is the creation time
    qint64 updatedNs = 0;          // server clock: updated_at of the newest version
    qint64 firstArrivalNs = 0;     // console clock
    EventSource firstSource = EventSource::Sse;
    qint64 order = 0;              // first-seen order, tracker-wide

    QByteArray workflowId;         // steps: the workflow request they were grouped under
    QList<QByteArray> steps;       // workflows: their step requests, oldest first
    QList<QByteArray> responses;   // matched responses, oldest first

    bool isWorkflow() const { return tool == QLatin1String("workflow"); }
};

struct FlowResponse
{
    QByteArray id;
    qint32 version = 0;
    QString tool;
    QByteArray requestIdField;     // context.request_id
    QList<QByteArray> requestTagIds; // `request:<id>` tags other than request:llm
    bool hasLlmTag = false;
    QByteArray workspace;
    QString status;
    QString error;
    qint64 executionTimeMs = -1;
    qint64 createdNs = 0;
    qint64 updatedNs = 0;
    qint64 firstArrivalNs = 0;
    qint64 order = 0;

    QByteArray requestKey;         // the matched request; empty while unmatched
    bool taggedForRequest = false; // carries `request:<correlation id>` of the matched request
    QList<QByteArray> agentResponses; // agent responses it triggered, oldest first

    bool isError() const { return status == QLatin1String("error"); }
};

struct FlowAgentResponse
{
    QByteArray id;
    qint32 version = 0;
    QByteArray triggerEventId;
    QByteArray agentId;
    QString message;
    QString resultTool;
    qint64 createdNs = 0;
    qint64 firstArrivalNs = 0;
    qint64 order = 0;
};

// What one FlowTracker::addBatch changed. Keys are breadcrumb ids.
struct FlowChanges
{
    QList<QByteArray> addedRequests;  // new requests, in first-seen order
    QSet<QByteArray> touched;         // entities whose data, parent or children changed (incl. new)
    QList<QByteArray> removed;        // entities evicted at the tracker's bound

    bool isEmpty() const { return addedRequests.isEmpty() && touched.isEmpty() && removed.isEmpty(); }
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::FlowChanges)
