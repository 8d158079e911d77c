#pragma once

#include "auth.h"

namespace rcrt::sim {

class BreadcrumbWriter;

// Agent ids of the default deployment (rcrt-protocol.md §1.5) used as writers in the sim.
namespace agents {
inline const QUuid kBootstrap{QStringLiteral("00000000-0000-0000-0000-0000000000aa")};
inline const QUuid kToolsRunner{QStringLiteral("00000000-0000-0000-0000-0000000000bb")};
inline const QUuid kAgentRunner{QStringLiteral("00000000-0000-0000-0000-000000000aaa")};
inline const QUuid kContextBuilder{QStringLiteral("00000000-0000-0000-0000-0000000000cb")};
inline const QUuid kExtension{QStringLiteral("00000000-0000-0000-0000-0000000000ee")};
} // namespace agents

Identity writerIdentity(const QUuid &owner, const QUuid &agent);

// tool.code.v1 for the runner's built-in tools (echo, random, calculator, timer, workflow,
// openrouter) and the tools-runner's tool.catalog.v1, as bootstrap and the runner write them.
void publishToolBootstrap(BreadcrumbWriter &writer, const QUuid &owner);

} // namespace rcrt::sim
