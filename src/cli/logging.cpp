// Logging set-up: the only place that configures spdlog sinks (the core
// library just logs), so every message goes to stderr as "callsight: ...".
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"

namespace callsight::cli {

void setup_logging(bool quiet, bool verbose) {
  auto logger = spdlog::stderr_color_mt("callsight");
  logger->set_pattern("callsight: %^%l%$: %v");
  logger->set_level(quiet     ? spdlog::level::err
                    : verbose ? spdlog::level::debug
                              : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

} // namespace callsight::cli
