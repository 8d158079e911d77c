#pragma once

namespace rcrt::cli {

// Makes SIGINT and SIGTERM quit the Qt event loop (through a self-pipe, so the handler only does
// what is async-signal-safe), so a command can print its summary and exit cleanly on Ctrl-C.
void quitEventLoopOnInterrupt();

} // namespace rcrt::cli
