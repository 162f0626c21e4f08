// callsight's entry point: parses the command line and runs one subcommand.
// All the work happens in callsight_core; this file is only glue.
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <spdlog/spdlog.h>

#include "callsight/version.hpp"

#include "cli/commands.hpp"
#include "cli/config.hpp"

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // A fixed threshold: large buffers (word tables, big files) are mapped and
  // given back when freed. glibc otherwise raises the threshold after the
  // first such free, and worker arenas fragment: peak RSS on 200k calls at
  // -j 2 grew to 47 MB where 34 MB is the steady state.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  using namespace callsight::cli;
  std::ios::sync_with_stdio(false);
  install_signal_handlers();
  CLI::App app{"callsight turns folders of customer call transcripts into evidence for "
               "marketing spend decisions: which campaigns bring which callers, what they "
               "worry about, and which calls convert.",
               "callsight"};
  app.set_version_flag("--version", std::string("callsight ") + std::string(callsight::version()) +
                                        " (" + std::string(callsight::git_revision()) + ")");
  app.require_subcommand(1, 1);
  app.footer(std::string("Run 'callsight COMMAND --help' for a command's options.\n") +
             k_exit_code_help);
  // Subcommands in the order --help lists them; exactly one runs.
  const std::vector<std::pair<std::string, Runner>> commands = {
      {"analyze", add_analyze_command(app)},       {"merge", add_merge_command(app)},
      {"discover", add_discover_command(app)},     {"eval", add_eval_command(app)},
      {"taxonomy", add_taxonomy_command(app)},     {"formats", add_formats_command(app)},
      {"completion", add_completion_command(app)},
  };
  if (const std::optional<int> code = parse_command_line(app, argc, argv)) {
    return *code; // help, --version, --show-config, or a usage or config error
  }
  try {
    for (const auto& [name, run] : commands) {
      if (app.got_subcommand(name)) {
        return run();
      }
    }
    return k_exit_usage; // unreachable: require_subcommand(1, 1)
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::broken_pipe) {
      return k_exit_ok; // the reader of our output (`| head`) has all it wanted
    }
    spdlog::error("{}", e.what());
    return k_exit_output_error;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return k_exit_output_error;
  }
}
