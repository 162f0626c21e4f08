// `callsight analyze --store FILE`: argument checks for incremental runs and
// windowed reports, then Store::ingest, summarize_store, trends and alerts
// from the core library. No analysis logic lives here.
#include "cli/analyze_store.hpp"

#include <csignal>
#include <ctime>

#include <spdlog/spdlog.h>

#include "callsight/store.hpp"
#include "callsight/trends.hpp"

#include "cli/commands.hpp"

namespace callsight::cli {
namespace {

Date local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return std::chrono::sys_days{std::chrono::year{tm.tm_year + 1900} /
                               std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)} /
                               std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
}

// "" or a valid YYYY-MM-DD; `error` names the option otherwise.
std::optional<Date> date_option(const std::string& name, const std::string& value,
                                std::string& error) {
  if (value.empty()) {
    return std::nullopt;
  }
  const std::optional<Date> date = parse_iso_date(value);
  if (!date || value.size() != 10) {
    error = name + ": '" + value + "' is not a date (YYYY-MM-DD)";
  }
  return date;
}

} // namespace

void add_store_window_options(CLI::App& command, StoreArguments& args,
                              const std::string& store_help) {
  command.add_option("--store", args.store, store_help);
  command.add_option("--since", args.since,
                     "With --store: first day of the window (YYYY-MM-DD), compared with the same "
                     "number of days before it");
  command.add_option("--until", args.until,
                     "With --store: last day of the window (YYYY-MM-DD); default: yesterday");
  command
      .add_option("--period", args.period,
                  "With --store: the window is the last complete day, week (ISO, Monday to "
                  "Sunday) or month up to --until, compared with the one before")
      ->check(CLI::IsMember({"day", "week", "month"}));
  command
      .add_option("--busy-timeout", args.busy_timeout_s,
                  "With --store: seconds to wait for another run holding the store")
      ->check(CLI::NonNegativeNumber)
      ->default_str("30");
}

void add_store_options(CLI::App& command, StoreArguments& args) {
  add_store_window_options(
      command, args,
      "SQLite store of analyzed files and calls (created if missing): only new or changed files "
      "are analyzed, and the report covers the stored calls of the window; without PATH the "
      "report is made from the store alone");
  command.add_option("--alert", args.alerts,
                     "With --store and a window: alert rule (repeatable), e.g. "
                     "'cancellation:+5pp', 'pricing:x1.5', '*:+10pp,min_calls=20'; fires on a "
                     "significant change (p < 0.05) over the threshold; exit code 5");
}

std::string check_store_arguments(const StoreArguments& args,
                                  const std::vector<std::string>& inputs) {
  if (args.store.empty()) {
    std::string given;
    for (const auto& [name, value] : {std::pair{"--since", !args.since.empty()},
                                      {"--until", !args.until.empty()},
                                      {"--period", !args.period.empty()},
                                      {"--alert", !args.alerts.empty()}}) {
      if (value) {
        given += (given.empty() ? "" : ", ") + std::string(name);
      }
    }
    if (!given.empty()) {
      return given + ": these work on stored calls, they need --store FILE";
    }
    if (inputs.empty()) {
      return "give transcript files or folders (PATH), or --store FILE to report from a store";
    }
    return {};
  }
  for (const std::string& input : inputs) {
    if (input == "-") {
      return "--store keeps files by path: standard input ('-') cannot be stored";
    }
  }
  return {};
}

std::optional<ReportWindow> store_window(const StoreArguments& args, std::string& error) {
  const std::optional<Date> since = date_option("--since", args.since, error);
  const std::optional<Date> until = date_option("--until", args.until, error);
  if (!error.empty()) {
    return std::nullopt;
  }
  return make_report_window(args.period, since, until, local_today(), error);
}

int store_error_exit(const StoreError& error) {
  return error.kind() == StoreError::Kind::busy ? k_exit_output_error : k_exit_usage;
}

int open_store(const StoreArguments& args, bool read_only, std::optional<Store>& store) {
  StoreOptions store_options;
  store_options.busy_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(args.busy_timeout_s * 1000.0));
  store_options.read_only = read_only;
  try {
    store.emplace(args.store, store_options);
  } catch (const StoreError& e) {
    spdlog::error("{}", e.what());
    return store_error_exit(e);
  }
  return k_exit_ok;
}

int run_store_analysis(const StoreArguments& args, StoreRun& run) {
  // --- validate before touching the store ------------------------------------
  std::string error;
  const std::optional<ReportWindow> window = store_window(args, error);
  std::vector<AlertRule> rules;
  std::vector<std::string> topic_ids;
  for (const Topic& topic : run.taxonomy->topics()) {
    topic_ids.push_back(topic.id);
  }
  for (const std::string& spec : args.alerts) {
    if (!error.empty()) {
      break;
    }
    std::optional<AlertRule> rule = parse_alert_rule(spec, topic_ids, error);
    if (rule) {
      rules.push_back(std::move(*rule));
    } else {
      error = "--alert '" + spec + "': " + error;
    }
  }
  if (error.empty() && !rules.empty() && !window) {
    error = "--alert compares two windows: give --period or --since";
  }
  if (!error.empty()) {
    spdlog::error("{}", error);
    return k_exit_usage;
  }

  std::optional<Store> store;
  if (const int code = open_store(args, false, store); code != k_exit_ok) {
    return code;
  }

  // --- ingest what is new ------------------------------------------------------
  const std::uint64_t taxonomy_hash = taxonomy_fingerprint(*run.taxonomy);
  const std::uint64_t options_hash = options_fingerprint(run.options, run.filename_pattern);
  StoreReport report_store;
  report_store.path = args.store;
  report_store.scanned = !run.options.inputs.empty();
  try {
    std::vector<FileError> errors;
    if (report_store.scanned) {
      const auto started = std::chrono::steady_clock::now();
      AnalyzeSinks ingest_sinks;
      ingest_sinks.on_error = run.sinks.on_error;
      IngestStats& stats = report_store.ingest;
      stats = store->ingest(run.options, *run.taxonomy, taxonomy_hash, options_hash, ingest_sinks);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      spdlog::info("store {}: {} files seen, {} analyzed, {} skipped (unchanged size and mtime), "
                   "{} unchanged content, {} failed, {} missing; {} calls written in {:.2f} s",
                   args.store, stats.files_seen, stats.files_analyzed, stats.files_skipped,
                   stats.files_unchanged, stats.files_failed, stats.files_missing,
                   stats.calls_written, seconds);
      if (interrupted()) {
        const int signal = interrupting_signal();
        spdlog::error("stopped by {} after {} files; what was analyzed is kept in {}, the next "
                      "run does the rest; no report written",
                      signal == SIGTERM ? "SIGTERM" : "SIGINT", stats.files_analyzed, args.store);
        return 128 + signal;
      }
      errors = stats.errors;
    } else {
      errors = store->errors();
    }
    if (run.on_ingested) {
      run.on_ingested();
    }
    report_store.counts = store->counts(taxonomy_hash, options_hash);
    const IngestStats& stats = report_store.ingest;
    const std::string stale = report_store.counts.files_stale > 0
                                  ? "; " + std::to_string(report_store.counts.files_stale) +
                                        " stored files not found this run keep their old tags"
                                  : std::string();
    if (stats.taxonomy_changed) {
      spdlog::warn("taxonomy changed: re-tagged {} files{}", stats.files_retagged, stale);
    } else if (stats.options_changed) {
      spdlog::warn("analysis options changed: re-analyzed {} files{}", stats.files_retagged, stale);
    }

    // --- report on the window ------------------------------------------------------
    StoreSummaries summaries = summarize_store(*store, run.options, *run.taxonomy, run.call_log,
                                               window, errors, run.sinks.on_call);
    ReportContext context = run.context;
    context.store = &report_store;
    Trends trends;
    std::vector<Alert> alerts;
    if (window) {
      trends = compute_trends(summaries.current, summaries.previous);
      alerts = evaluate_alerts(rules, trends, *run.taxonomy);
      context.window = &*window;
      context.previous_calls = summaries.previous.totals().calls;
      context.calls_without_date = summaries.calls_without_date;
      context.trends = &trends;
      context.alerts = &alerts;
      spdlog::info("window {} ({} calls) against {} ({} calls); {} stored calls without a date",
                   window->current.label, summaries.current.totals().calls, window->previous.label,
                   summaries.previous.totals().calls, summaries.calls_without_date);
    }
    run.write_report(summaries.current, context);
    for (const Alert& alert : alerts) {
      spdlog::warn("alert {}: {}{} {:.1f}% -> {:.1f}% of calls ({:+.1f} points, p = {:.4f})",
                   alert.rule, run.taxonomy->topics()[alert.topic].id,
                   alert.dimension.empty() ? "" : " in " + alert.dimension + " " + alert.value,
                   alert.trend.previous_share * 100.0, alert.trend.current_share * 100.0,
                   alert.trend.change_pp, alert.trend.p_value.value_or(1.0));
    }
    if (!alerts.empty()) {
      return k_exit_alerts;
    }
    return summaries.current.totals().files_failed > 0 ? k_exit_partial : k_exit_ok;
  } catch (const StoreError& e) {
    spdlog::error("{}", e.what());
    return k_exit_output_error;
  }
}

} // namespace callsight::cli
