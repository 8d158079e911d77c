#pragma once

#include "app/runner/toolinvocation.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QMetaType>
#include <QString>

namespace rcrt {

// One manual tool call as another thread sees it: a copy of a ToolInvocation's state, sent by
// IngestEngine::invocationUpdated each time it changes (the invocation itself lives on the
// ingest thread).
struct InvocationSnapshot
{
    quint64 id = 0; // IngestEngine::invoke's id
    QString tool;
    QJsonValue input;
    QString workspace;
    ToolInvocation::Status status = ToolInvocation::Status::Sending;
    bool cancelled = false; // the connection closed before it finished
    QString requestId;
    QString requestBreadcrumbId;
    QString responseBreadcrumbId;
    InvocationTimeline timeline;
    QJsonObject response; // the response breadcrumb as delivered; empty until one came
    QString error;

    bool isFinished() const
    {
        return cancelled || (status != ToolInvocation::Status::Sending && status != ToolInvocation::Status::Waiting);
    }

    static InvocationSnapshot of(quint64 id, const ToolInvocation &invocation)
    {
        InvocationSnapshot s;
        s.id = id;
        s.tool = invocation.tool();
        s.input = invocation.input();
        s.workspace = invocation.workspace();
        s.status = invocation.status();
        s.requestId = invocation.requestId();
        s.requestBreadcrumbId = invocation.requestBreadcrumbId();
        s.responseBreadcrumbId = invocation.responseBreadcrumbId();
        s.timeline = invocation.timeline();
        s.response = invocation.response();
        s.error = invocation.error();
        return s;
    }
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::InvocationSnapshot)
