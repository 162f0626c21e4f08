// `callsight analyze`: arguments in, validated AnalyzeOptions out, then the
// core pipeline and the report writers (or this shard's partial summary).
// No analysis logic lives here.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "callsight/formats.hpp"
#include "callsight/ingest.hpp"
#include "callsight/journeys.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/report.hpp"
#include "callsight/version.hpp"

#include "cli/analyze_store.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "cli/progress.hpp"
#include "report/report_text.hpp"

namespace callsight::cli {
namespace {

struct RawArguments {
  std::vector<std::string> inputs;
  ReportInputArgs report; ///< taxonomy, language, call log, column map, spend
  std::string filename_pattern;
  std::string group_by;
  std::string shard;
  std::string format = "json";
  std::string output = "-";
  std::string calls;
  std::string caller_key;
  std::string journey_channel;
  std::string salt_file;
  std::string journeys;
  std::string input_format = "auto";
  std::string max_file_size = "64M";
  // Signed, so that "-3" is refused instead of wrapping to a huge limit.
  std::int64_t max_turns = static_cast<std::int64_t>(ParseLimits{}.max_turns);
  std::int64_t max_json_depth = static_cast<std::int64_t>(ParseLimits{}.max_json_depth);
  std::vector<std::string> agent_speakers;
  std::optional<int> agent_channel;
  unsigned threads = 0;
  bool quiet = false;
  bool no_redact = false;
  bool verbose = false;
  StoreArguments store; ///< --store and the report-window options
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const std::size_t begin = item.find_first_not_of(' ');
    const std::size_t end = item.find_last_not_of(' ');
    if (begin != std::string::npos) {
      std::string name = item.substr(begin, end - begin + 1);
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      items.push_back(name);
    }
  }
  return items;
}

bool is_period(const std::string& name) {
  return name == "day" || name == "week" || name == "month";
}

// Everything that must agree between the shards of one analysis (written into
// --format partial, checked by merge).
PartialFingerprint fingerprint_of(const RawArguments& args, const AnalyzeOptions& options,
                                  const ReportInputs& inputs) {
  PartialFingerprint fingerprint;
  fingerprint.callsight = std::string(version());
  fingerprint.taxonomy = inputs.taxonomy_hash;
  fingerprint.stemmer = inputs.taxonomy->stemmer_language();
  if (!inputs.taxonomy->forced_language().empty()) {
    fingerprint.language = inputs.taxonomy->forced_language();
  }
  fingerprint.group_by = options.group_by;
  fingerprint.call_log = inputs.call_log_hash;
  fingerprint.column_map = args.report.column_map;
  fingerprint.filename_pattern = args.filename_pattern;
  fingerprint.spend = inputs.spend_hash;
  fingerprint.input_format = options.input_format;
  fingerprint.max_file_bytes = options.max_file_bytes;
  fingerprint.evidence_chars = options.evidence_chars;
  fingerprint.redact = options.redact;
  fingerprint.agent_speakers = options.roles.agent_speakers;
  fingerprint.agent_channel = options.roles.agent_channel.value_or(-1);
  fingerprint.gap_threshold_s = options.metrics.gap_threshold_s;
  fingerprint.interruption_min_overlap_s = options.metrics.interruption_min_overlap_s;
  return fingerprint;
}

int run_analyze(const RawArguments& args) {
  setup_logging(args.quiet, args.verbose);

  // --- validate everything before any work, so mistakes cost nothing -------
  if (const std::string problem = check_store_arguments(args.store, args.inputs);
      !problem.empty()) {
    spdlog::error("{}", problem);
    return k_exit_usage;
  }
  if (!args.store.store.empty() && (!args.shard.empty() || args.format == "partial")) {
    spdlog::error("--store keeps every call of the folder in one file: it does not combine with "
                  "--shard or --format partial (shard the analysis, then merge the partials)");
    return k_exit_usage;
  }
  AnalyzeOptions options;
  options.inputs = args.inputs;
  if (!apply_transcript_options(args, options)) {
    return k_exit_usage;
  }
  if (args.max_turns < 1 || args.max_json_depth < 1) {
    spdlog::error("--max-turns and --max-json-depth must be at least 1");
    return k_exit_usage;
  }
  options.limits.max_turns = static_cast<std::size_t>(args.max_turns);
  options.limits.max_json_depth = static_cast<std::size_t>(args.max_json_depth);
  if (args.output == args.calls && args.output == "-") {
    spdlog::error("--calls - and the report would both go to standard output; give -o FILE "
                  "or --calls FILE");
    return k_exit_usage;
  }
  if (!args.shard.empty()) {
    std::string error;
    const std::optional<ShardSpec> shard = parse_shard_spec(args.shard, error);
    if (!shard) {
      spdlog::error("--shard: {}", error);
      return k_exit_usage;
    }
    if (std::find(args.inputs.begin(), args.inputs.end(), "-") != args.inputs.end()) {
      spdlog::error("--shard splits files by path: standard input ('-') cannot be sharded");
      return k_exit_usage;
    }
    options.shard = *shard;
  }

  ReportInputs inputs;
  if (!load_report_inputs(args.report, inputs)) {
    return k_exit_usage;
  }
  const std::optional<CompiledTaxonomy>& compiled = inputs.taxonomy;
  const std::optional<CallLog>& call_log = inputs.call_log;
  const std::optional<SpendTable>& spend = inputs.spend;
  std::optional<FilenamePattern> filename_pattern;
  if (!args.filename_pattern.empty()) {
    std::string error;
    filename_pattern = FilenamePattern::compile(args.filename_pattern, error);
    if (!filename_pattern) {
      spdlog::error("--filename-pattern: {}", error);
      return k_exit_usage;
    }
    options.filename_pattern = &*filename_pattern;
  }
  if (args.group_by.empty()) {
    if (call_log) {
      for (const char* column : {"campaign", "source", "agent"}) {
        if (call_log->column_index(column) >= 0) {
          options.group_by.emplace_back(column);
        }
      }
    }
  } else {
    options.group_by = split_list(args.group_by);
    for (std::string& dimension : options.group_by) {
      if (!is_period(dimension)) {
        dimension = canonical_column_name(dimension); // "Campaign Name" -> campaign
      }
      if (call_log && !is_period(dimension) && call_log->column_index(dimension) < 0) {
        std::string columns;
        for (const std::string& column : call_log->columns()) {
          columns += (columns.empty() ? "" : ", ") + column;
        }
        spdlog::error("--group-by: '{}' is not a column of {} (columns: {}; or day, week, month)",
                      dimension, args.report.metadata, columns);
        return k_exit_usage;
      }
    }
  }

  if (spend && std::find(options.group_by.begin(), options.group_by.end(), spend->dimension()) ==
                   options.group_by.end()) {
    spdlog::info("grouping by {} too, the dimension of the spend in {}", spend->dimension(),
                 args.report.spend);
    options.group_by.push_back(spend->dimension());
  }

  // Caller journeys: the key column, the channel column and the salt.
  std::optional<JourneyExtractor> journey_extractor;
  if (!args.caller_key.empty()) {
    if (!call_log) {
      spdlog::error("--caller-key names a call-log column: it needs --metadata");
      return k_exit_usage;
    }
    if (args.journeys == "-" && (args.output == "-" || args.calls == "-")) {
      spdlog::error("--journeys - and another output would both go to standard output; give "
                    "--journeys FILE");
      return k_exit_usage;
    }
    const std::string salt_path = args.salt_file.empty() ? default_salt_path() : args.salt_file;
    if (salt_path.empty()) {
      spdlog::error("--caller-key: no HOME or XDG_CONFIG_HOME for the default salt file; give "
                    "--salt-file FILE");
      return k_exit_usage;
    }
    std::string error;
    // Only the default file is created: a mistyped --salt-file must not
    // silently start a new salt that no earlier run's journeys link to.
    std::optional<Salt> salt = load_salt(salt_path, args.salt_file.empty(), error);
    if (!salt) {
      spdlog::error("{}", error);
      return k_exit_usage;
    }
    if (salt->created) {
      spdlog::info("created the salt file {}: keep it, runs with another salt cannot link "
                   "their callers to this one's",
                   salt_path);
    }
    if (salt->readable_by_others) {
      spdlog::warn("{}: the salt file is readable by other users (chmod 600 it)", salt_path);
    }
    journey_extractor = JourneyExtractor::create(*call_log, *compiled, args.caller_key,
                                                 args.journey_channel, salt->bytes, error);
    if (!journey_extractor) {
      spdlog::error("{}: {} (--caller-key, --journey-channel)", args.report.metadata, error);
      return k_exit_usage;
    }
  } else if (!args.journeys.empty() || !args.journey_channel.empty() || !args.salt_file.empty()) {
    spdlog::error("--journeys, --journey-channel and --salt-file need --caller-key");
    return k_exit_usage;
  }

  // --- run -------------------------------------------------------------------
  std::optional<AtomicFile> calls_output;
  if (!args.calls.empty()) {
    calls_output.emplace(args.calls);
  }
  AnalyzeSinks sinks;
  sinks.on_error = [](const FileError& error) {
    log_file_problem(spdlog::level::warn, error.path, error.reason);
  };
  // Per-call output as CSV when the file name says so, else JSON lines.
  const bool calls_csv = args.calls.size() > 4 && args.calls.ends_with(".csv");
  if (calls_output && calls_csv) {
    write_call_csv_header(calls_output->stream(), *compiled);
    sinks.on_call = [&](const CallResult& call) {
      write_call_csv_row(calls_output->stream(), call, *compiled);
    };
  } else if (calls_output) {
    sinks.on_call = [&](const CallResult& call) {
      calls_output->stream() << call_record_json(call, *compiled) << '\n';
    };
  }
  std::optional<JourneyBuilder> journeys;
  if (journey_extractor) {
    journeys.emplace(compiled->topics().size());
    // Linked on the ordered sink, so the records arrive in input order.
    sinks.on_call = [&, calls_sink = std::move(sinks.on_call)](const CallResult& call) {
      if (calls_sink) {
        calls_sink(call);
      }
      if (std::optional<JourneyCall> record = journey_extractor->record(call)) {
        journeys->add(std::move(*record));
      } else {
        journeys->add_unlinked();
      }
    };
  }
  // Every output of a finished run, from analyze() or from the store's window;
  // all atomic, committed only here.
  std::optional<JourneyStats> journey_stats;
  std::optional<AtomicFile> journeys_output;
  auto write_outputs = [&](const Summary& summary, ReportContext context) {
    if (journeys) {
      if (!args.journeys.empty()) {
        journeys_output.emplace(args.journeys);
      }
      journey_stats = journeys->finish([&](const Journey& journey) {
        if (journeys_output) {
          journeys_output->stream() << journey_record_json(journey, *compiled) << '\n';
        }
      });
      journey_stats->caller_key = journey_extractor->key_column();
      journey_stats->channel = journey_extractor->channel_column();
      context.journeys = &*journey_stats;
    }
    AtomicFile report(args.output);
    if (args.format == "partial") {
      write_partial_summary(report.stream(), summary, options.shard,
                            fingerprint_of(args, options, inputs));
    } else {
      write_report(report.stream(), args.format, summary, context);
    }
    report.commit();
    if (calls_output) {
      calls_output->commit();
    }
    if (journeys_output) {
      journeys_output->commit();
    }
  };
  ProgressCounters progress;
  options.progress = &progress;
  // Per-call lines streaming to the same terminal would run into the bar.
  ProgressBar progress_bar(progress, !args.quiet && !(args.calls == "-" && isatty(STDOUT_FILENO)));
  if (!args.store.store.empty()) {
    StoreRun run{options,
                 &*compiled,
                 call_log ? &*call_log : nullptr,
                 args.filename_pattern,
                 inputs.context(args.report),
                 sinks,
                 write_outputs,
                 [&] { progress_bar.stop(); }};
    return run_store_analysis(args.store, run);
  }
  const auto started = std::chrono::steady_clock::now();
  const Summary summary = analyze(options, *compiled, call_log ? &*call_log : nullptr, sinks);
  progress_bar.stop();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (interrupted()) {
    // The summary is partial: keep the previous report rather than replace it.
    const int signal = interrupting_signal();
    spdlog::error("stopped by {} after {} calls; no report written",
                  signal == SIGTERM ? "SIGTERM" : "SIGINT", summary.totals().calls);
    return 128 + signal;
  }
  write_outputs(summary, inputs.context(args.report));

  const Totals& totals = summary.totals();
  if (totals.calls == 0 && totals.files_failed == 0) {
    spdlog::warn("no transcript files found in the given paths");
  }
  spdlog::info("analyzed {} calls ({} failed){} in {:.2f} s, {:.1f} MB/s{}", totals.calls,
               totals.files_failed,
               options.shard.all() ? "" : " of shard " + options.shard.to_string(), seconds,
               seconds > 0 ? static_cast<double>(totals.bytes) / 1e6 / seconds : 0.0,
               args.output == "-" ? "" : "; report: " + args.output);
  return totals.files_failed > 0 ? k_exit_partial : k_exit_ok;
}

} // namespace

std::optional<std::string> read_config_text(const std::string& path) {
  ReadResult read = read_file(path, 1ull << 30);
  if (!read.error.empty()) {
    spdlog::error("{}: {}", path, read.error);
    return std::nullopt;
  }
  return decode_to_utf8(read.bytes).text;
}

bool set_max_file_size(const std::string& text, AnalyzeOptions& options) {
  const std::optional<std::uint64_t> bytes = parse_size(text);
  if (!bytes || *bytes == 0) {
    spdlog::error("--max-file-size: '{}' is not a size (examples: 500K, 64M, 1G)", text);
    return false;
  }
  options.max_file_bytes = *bytes;
  return true;
}

std::optional<std::uint64_t> parse_size(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::size_t used = 0;
  std::uint64_t value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string suffix = text.substr(used);
  for (char& c : suffix) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (suffix.size() == 2 && suffix[1] == 'B') {
    suffix.pop_back();
  }
  unsigned shift = 0;
  if (suffix.empty() || suffix == "B") {
    shift = 0;
  } else if (suffix == "K") {
    shift = 10;
  } else if (suffix == "M") {
    shift = 20;
  } else if (suffix == "G") {
    shift = 30;
  } else {
    return std::nullopt;
  }
  if (shift > 0 && value > (UINT64_MAX >> shift)) {
    return std::nullopt;
  }
  return value << shift;
}

Runner add_analyze_command(CLI::App& app) {
  auto args = std::make_shared<RawArguments>();
  auto* command = app.add_subcommand(
      "analyze",
      "Tag every transcript under PATH with the taxonomy's topics and print a summary.\n"
      "Examples:\n"
      "  callsight analyze calls/                          summary JSON on stdout\n"
      "  callsight analyze calls/ --metadata calls.csv -o summary.json\n"
      "  callsight analyze calls/ --metadata calls.csv --group-by campaign,week --format csv\n"
      "  callsight analyze calls/ --calls per-call.jsonl -o summary.json\n"
      "  callsight analyze calls/ --metadata calls.csv --caller-key caller_number "
      "--journeys journeys.jsonl\n"
      "  cat call.txt | callsight analyze -");
  command->add_option("paths", args->inputs,
                      "Transcript files or folders (searched recursively, in sorted order); "
                      "'-' reads one transcript from standard input; may be left out with --store");
  command->add_option("-t,--taxonomy", args->report.taxonomy,
                      "Taxonomy JSON (see 'callsight taxonomy init'); default: the built-in one");
  command->add_option("-m,--metadata", args->report.metadata,
                      "Call-log CSV joined by call_id or file (columns such as campaign, source, "
                      "medium, agent, started_at, converted, revenue)");
  command->add_option("--column-map", args->report.column_map,
                      "Rename call-log columns: 'call_id=Call Ref,revenue=Sale Value' (common "
                      "export names such as 'Call ID', 'Start Time', 'UTM Campaign' are known)");
  command->add_option("--spend", args->report.spend,
                      "Spend CSV (first column: campaign, source or another group; then spend, "
                      "optional period and currency): adds spend, cost per call, per converted "
                      "call and per call with each concern");
  command->add_option(
      "--filename-pattern", args->filename_pattern,
      "Regex with named groups applied to file names, e.g. "
      "'^(?<campaign>[a-z_]+)-(?<call_id>\\d+)': call_id, date, agent, campaign ...");
  command->add_option("-g,--group-by", args->group_by,
                      "Comma-separated call-log columns to group by, or day/week/month of "
                      "started_at; default with --metadata: campaign,source,agent");
  command
      ->add_option("-f,--format", args->format,
                   std::string(k_report_format_help) +
                       ", or partial (this shard's mergeable state, for 'callsight merge')")
      ->check(CLI::IsMember([] {
        std::vector<std::string> formats = report_formats();
        formats.emplace_back("partial");
        return formats;
      }()))
      ->default_str("json");
  command->add_option("--shard", args->shard,
                      "Analyze only shard i of N (e.g. 2/4): the files whose path, relative to "
                      "the PATH it was found under, hashes to it; see docs/SCALING.md");
  command
      ->add_option("-o,--output", args->output,
                   "Write the report to FILE (atomically: temp file, then rename); '-' is "
                   "standard output")
      ->default_str("-");
  command->add_option("--calls", args->calls,
                      "Also write one record per call (roles, metrics, sentiment, topics, "
                      "evidence) to FILE: JSON lines, or CSV when FILE ends in .csv");
  command->add_option(
      "--caller-key", args->caller_key,
      "Link the calls of one caller into a journey by this call-log column: caller_number "
      "(phone, caller_id ...), customer_id or email, or any other. Phones keep their digits "
      "(10 digits get the country code 1), e-mails are lower-cased; keys are hashed with the "
      "salt and never printed. Adds a journeys section to the report");
  command->add_option("--journey-channel", args->journey_channel,
                      "Call-log column that names a call's channel in journeys; default: source, "
                      "else campaign");
  command->add_option("--salt-file", args->salt_file,
                      "Secret salt for hashing caller keys (at least 16 bytes); default: "
                      "~/.config/callsight/salt ($XDG_CONFIG_HOME honoured), created with 32 "
                      "random bytes on first use. Use the same salt in every run, or journeys "
                      "of different runs do not link");
  command->add_option("--journeys", args->journeys,
                      "With --caller-key, also write one JSON line per caller journey to FILE "
                      "(hashed key, calls in date order, conversion, first and last touch)");
  command->add_option("-j,--threads", args->threads, "Worker threads; 0 = all cores")
      ->default_str("0");
  command->add_option("--language", args->report.language,
                      "Stemmer language (en, es, fr, de, ... or a Snowball name); default: the "
                      "taxonomy's");
  command->add_option("--input-format", args->input_format, "Transcript format")
      ->check(CLI::IsMember([] {
        std::vector<std::string> names = format_names();
        names.insert(names.begin(), "auto");
        return names;
      }()))
      ->default_str("auto");
  command->add_option("--agent-speaker", args->agent_speakers,
                      "Speaker label that is the agent (repeatable), e.g. spk_0 or 'Speaker 1'; "
                      "overrides role inference");
  command
      ->add_option("--agent-channel", args->agent_channel,
                   "Audio channel that is the agent, for multichannel engine output")
      ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--max-file-size", args->max_file_size,
                   "Skip (and report) transcripts larger than this (K, M, G suffixes)")
      ->default_str("64M");
  command
      ->add_option("--max-turns", args->max_turns,
                   "A call with more turns than this is skipped and reported")
      ->capture_default_str();
  command
      ->add_option("--max-json-depth", args->max_json_depth,
                   "JSON transcripts (and JSON lines) nested deeper than this are skipped and "
                   "reported")
      ->capture_default_str();
  command->add_flag("--no-redact", args->no_redact,
                    "Keep phone numbers, e-mails, card and account numbers in evidence snippets "
                    "(redacted by default)");
  command->add_flag("-q,--quiet", args->quiet, "Only print errors on stderr");
  command->add_flag("-v,--verbose", args->verbose, "Print debug messages on stderr");
  add_store_options(*command, args->store);
  command->footer(k_exit_code_help);
  return [args]() { return run_analyze(*args); };
}

} // namespace callsight::cli
