#include "simlog.h"

namespace rcrt::sim {

Q_LOGGING_CATEGORY(lcSim, "rcrt.sim")
Q_LOGGING_CATEGORY(lcHttp, "rcrt.sim.http")
Q_LOGGING_CATEGORY(lcStream, "rcrt.sim.stream")
Q_LOGGING_CATEGORY(lcRunner, "rcrt.sim.runner")
Q_LOGGING_CATEGORY(lcWorkload, "rcrt.sim.workload")

} // namespace rcrt::sim
