// `callsight analyze --store FILE`: the options of incremental runs and
// windowed reports from the store, and the run itself.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "callsight/pipeline.hpp"
#include "callsight/report.hpp"

namespace callsight::cli {

struct StoreArguments {
  std::string store;
  std::string since;
  std::string until;
  std::string period;
  std::vector<std::string> alerts;
  double busy_timeout_s = 30.0;
};

void add_store_options(CLI::App& command, StoreArguments& args);

/// "" when the store options are consistent with the rest; else the problem.
std::string check_store_arguments(const StoreArguments& args,
                                  const std::vector<std::string>& inputs);

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
