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
  k_exit_ok = 0,      ///< every input file was analyzed
  k_exit_partial = 1, ///< finished, but some files failed (or `taxonomy check` found problems)
  k_exit_usage = 2,   ///< bad arguments or configuration (taxonomy, call log)
  k_exit_output_error =
      3,              ///< a report could not be written, the store is busy, or an internal error
  k_exit_quality = 4, ///< `eval`: micro F1 below --min-f1
  k_exit_alerts = 5,  ///< --store: the report was written and at least one --alert fired
  // 128 + signal number when stopped by SIGINT (130) or SIGTERM (143)
};

inline constexpr const char* k_exit_code_help =
    "Exit codes: 0 all files analyzed; 1 finished but some files failed; 2 usage or "
    "configuration error; 3 output could not be written, store busy or internal error; 4 eval: "
    "micro F1 below --min-f1; 5 report written and an --alert fired; 130/143 stopped by "
    "SIGINT/SIGTERM (no report written).";

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
Runner add_merge_command(CLI::App& app);
/// Hidden `completion bash|zsh`: completion scripts generated from `app`.
Runner add_completion_command(CLI::App& app);

/// Configures spdlog on stderr: info and up by default, errors only with
/// `quiet`, debug with `verbose`; in the --log-format chosen (cli/logging.hpp).
void setup_logging(bool quiet, bool verbose);

} // namespace callsight::cli

#include <optional>
#include <string>

#include "callsight/aggregate.hpp"
#include "callsight/metadata.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/report.hpp"
#include "callsight/taxonomy.hpp"

namespace callsight::cli {

/// Loads the built-in taxonomy (empty `path`) or a file, printing every
/// error as "FILE:LINE:COL: message" on stderr (and, with `warnings`, every
/// warning as "FILE:LINE:COL: warning: message"). nullopt when unusable.
/// `source_text`, when given, receives the text it was parsed from.
std::optional<Taxonomy> load_taxonomy(const std::string& path, bool warnings = false,
                                      std::string* source_text = nullptr);

/// Reads a configuration file (call log, spend, labels) as UTF-8, logging why
/// not. nullopt when unreadable.
std::optional<std::string> read_config_text(const std::string& path);

/// Parses sizes such as "64M", "512k", "2G", "1000" (bytes); nullopt if malformed.
std::optional<std::uint64_t> parse_size(const std::string& text);

/// Sets options.max_file_bytes from --max-file-size; false (logged) when it
/// is not a size or is 0.
bool set_max_file_size(const std::string& text, AnalyzeOptions& options);

/// Copies the transcript options `analyze` and `discover` share (threads,
/// --input-format, roles, redaction, --max-file-size, the stop flag) from
/// their arguments into `options`; false (logged) on a bad size.
template <class Args> bool apply_transcript_options(const Args& args, AnalyzeOptions& options) {
  options.threads = args.threads;
  options.input_format = args.input_format;
  options.cancel = &interrupted();
  options.redact = !args.no_redact;
  options.roles.agent_speakers = args.agent_speakers;
  options.roles.agent_channel = args.agent_channel;
  return set_max_file_size(args.max_file_size, options);
}

} // namespace callsight::cli

namespace callsight::cli {

/// What `analyze` tags with and joins, and what `merge` needs again to render
/// the same report: the options both commands share.
struct ReportInputArgs {
  std::string taxonomy;   ///< file, or "" for the built-in one
  std::string language;   ///< --language; "" = the taxonomy's
  std::string metadata;   ///< call-log CSV, or ""
  std::string column_map; ///< --column-map, or ""
  std::string spend;      ///< spend CSV, or ""
};

/// Those inputs loaded and validated, with the content hash of each file
/// (partial-summary fingerprints compare them).
struct ReportInputs {
  std::optional<CompiledTaxonomy> taxonomy;
  std::optional<CallLog> call_log;
  std::optional<SpendTable> spend;
  std::string taxonomy_hash;
  std::string call_log_hash; ///< "" without a call log
  std::string spend_hash;    ///< "" without a spend table
  /// Points into this object: keep it alive and in place while in use.
  ReportContext context(const ReportInputArgs& args) const;
};

/// Loads everything in `args` into `out`; false after logging why (exit 2).
/// The taxonomy at `path` ("" = built-in) compiled for `language` ("" = the
/// taxonomy's), every problem logged. nullopt when unusable (a usage error).
/// `source_text`, when given, receives the text it was parsed from.
std::optional<CompiledTaxonomy> load_compiled_taxonomy(const std::string& path,
                                                       const std::string& language,
                                                       std::string* source_text = nullptr);

bool load_report_inputs(const ReportInputArgs& args, ReportInputs& out);

/// The report formats of analyze and merge, and their --help text.
inline constexpr const char* k_report_format_help =
    "Report format: json (summary), csv (long form, one row per group x topic), csv-wide (one "
    "row per group, one column per topic), md (short summary for e-mail/chat), html "
    "(self-contained page with charts)";
std::vector<std::string> report_formats();

/// Renders `summary` as `format` (one of report_formats()).
void write_report(std::ostream& out, const std::string& format, const Summary& summary,
                  const ReportContext& context);

} // namespace callsight::cli
