// `callsight analyze --store FILE`: the options of incremental runs and
// windowed reports from the store, and the run itself. `discover --store`
// shares the options, their checks, the window and the opening of the store.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "callsight/pipeline.hpp"
#include "callsight/report.hpp"
#include "callsight/store.hpp"
#include "callsight/trends.hpp"

namespace callsight::cli {

struct StoreArguments {
  std::string store;
  std::string since;
  std::string until;
  std::string period;
  std::vector<std::string> alerts;
  double busy_timeout_s = 30.0;
};

/// --store (described by `store_help`), --since, --until, --period and
/// --busy-timeout.
void add_store_window_options(CLI::App& command, StoreArguments& args,
                              const std::string& store_help);
/// The window options plus --alert: analyze's.
void add_store_options(CLI::App& command, StoreArguments& args);

/// "" when the store options are consistent with the rest; else the problem.
std::string check_store_arguments(const StoreArguments& args,
                                  const std::vector<std::string>& inputs);

/// The window of --period/--since/--until (nullopt without them); `error`
/// set when a date or the combination is wrong.
std::optional<ReportWindow> store_window(const StoreArguments& args, std::string& error);

/// Opens args.store (read-only: an existing store, never migrated) into
/// `store`; else logs why and returns the exit code (store_error_exit).
int open_store(const StoreArguments& args, bool read_only, std::optional<Store>& store);

/// Exit code of a store failure: busy 3, an unusable store 2.
int store_error_exit(const StoreError& error);

/// Everything `analyze` validated, for a run against the store.
struct StoreRun {
  AnalyzeOptions options;
  const CompiledTaxonomy* taxonomy = nullptr;
  const CallLog* call_log = nullptr;
  std::string filename_pattern; ///< its text, part of the options fingerprint
  ReportContext context;        ///< taxonomy, call log and spend already set
  AnalyzeSinks sinks;           ///< on_error for ingest; on_call for the window's calls
  /// Writes the report in the chosen format (and the per-call output).
  std::function<void(const Summary&, const ReportContext&)> write_report;
  /// Called once the folder is ingested, before the report is read back.
  std::function<void()> on_ingested;
};

/// Ingests PATHs (if any) into the store, then reports on its window. Exit
/// codes as documented, plus k_exit_alerts when an alert fired.
int run_store_analysis(const StoreArguments& args, StoreRun& run);

} // namespace callsight::cli
