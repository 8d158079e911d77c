#include "model/localbus.h"

namespace rcrt {

void LocalBus::publish(StreamEvent event)
{
    event.source = EventSource::Local;
    if (event.arrivalNs == 0)
        event.arrivalNs = nowNs();
    ++m_published;
    emit delivered(event);
}

} // namespace rcrt
