// The CLI's subcommands: each registers its options on the app and returns a
// function that runs it and yields the process exit code.
#pragma once
#include <atomic>
#include <functional>
#include <stdexcept>

#include <CLI/CLI.hpp>

namespace callsight::cli {

/// Documented exit codes (README "Exit codes", and `--help`).
enum ExitCode : int {
  k_exit_ok = 0,           ///< every input file was analyzed
  k_exit_partial = 1,      ///< finished, but some files failed (or `taxonomy check` found problems)
  k_exit_usage = 2,        ///< bad arguments or configuration (taxonomy, call log)
  k_exit_output_error = 3, ///< a report could not be written, or an internal error
  k_exit_quality = 4,      ///< `eval`: micro F1 below --min-f1
  // 128 + signal number when stopped by SIGINT (130) or SIGTERM (143)
};

inline constexpr const char* k_exit_code_help =
    "Exit codes: 0 all files analyzed; 1 finished but some files failed; 2 usage or "
    "configuration error; 3 output could not be written or internal error; 4 eval: micro F1 "
    "below --min-f1; 130/143 "
    "stopped by SIGINT/SIGTERM (no report written).";

/// SIGINT/SIGTERM set a flag the pipeline polls; SIGPIPE is ignored.
void install_signal_handlers();
const std::atomic<bool>& interrupted();
int interrupting_signal();

using Runner = std::function<int()>;

Runner add_analyze_command(CLI::App& app);
Runner add_taxonomy_command(CLI::App& app);
Runner add_formats_command(CLI::App& app);
Runner add_eval_command(CLI::App& app);
Runner add_discover_command(CLI::App& app);
/// Hidden `completion bash|zsh`: completion scripts generated from `app`.
Runner add_completion_command(CLI::App& app);

/// Configures spdlog on stderr: info and up by default, errors only with
/// `quiet`, debug with `verbose`; in the --log-format chosen (cli/logging.hpp).
void setup_logging(bool quiet, bool verbose);

} // namespace callsight::cli

#include <optional>
#include <string>

#include "callsight/taxonomy.hpp"

namespace callsight::cli {

/// Loads the built-in taxonomy (empty `path`) or a file, printing every
/// problem as "FILE:LINE:COL: message" on stderr. nullopt when unusable.
std::optional<Taxonomy> load_taxonomy(const std::string& path);

/// Reads a configuration file (call log, spend, labels) as UTF-8, logging why
/// not. nullopt when unreadable.
std::optional<std::string> read_config_text(const std::string& path);

/// Parses sizes such as "64M", "512k", "2G", "1000" (bytes); nullopt if malformed.
std::optional<std::uint64_t> parse_size(const std::string& text);

} // namespace callsight::cli
