// Signal handling for the CLI: Ctrl-C / SIGTERM ask the pipeline to stop (a
// second one kills at once), and SIGPIPE is ignored so a closed pipe shows up
// as a write error the CLI can treat as a quiet exit.
#include <csignal>

#include "cli/commands.hpp"

namespace callsight::cli {
namespace {

std::atomic<bool> g_interrupted{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int signal) {
  g_signal = signal;
  g_interrupted.store(true, std::memory_order_relaxed);
}

} // namespace

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND; // the second Ctrl-C takes the default action
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

const std::atomic<bool>& interrupted() {
  return g_interrupted;
}

int interrupting_signal() {
  return g_signal;
}

} // namespace callsight::cli
