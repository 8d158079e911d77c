#pragma once

#include "model/streamevent.h"

#include <QObject>

namespace rcrt {

// Delivers what this process wrote, at once, to in-process subscribers (issue 4 item 1): each
// payload is a StreamEvent with source Local, published as soon as the server acknowledged the
// write. Delivery is synchronous (a direct signal on the publisher's thread), so a subscriber
// sees the event before publish() returns; connect with Qt::QueuedConnection to defer.
class LocalBus final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalBus)

public:
    explicit LocalBus(QObject *parent = nullptr) : QObject(parent) {}

    // Stamps source Local (and arrivalNs now, when 0) and delivers.
    void publish(StreamEvent event);
    qint64 publishedCount() const { return m_published; }

signals:
    void delivered(const rcrt::StreamEvent &event);

private:
    qint64 m_published = 0;
};

} // namespace rcrt
