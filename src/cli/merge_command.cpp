// `callsight merge`: combines the partial summaries of `analyze --shard i/N
// --format partial` runs into the report one run over every file gives,
// after checking that the partials belong together.
#include <map>

#include <spdlog/spdlog.h>

#include "callsight/ingest.hpp"
#include "callsight/version.hpp"

#include "cli/commands.hpp"

namespace callsight::cli {
namespace {

struct MergeArguments {
  std::vector<std::string> partials;
  ReportInputArgs report;
  std::string format = "json";
  std::string output = "-";
  bool require_complete = false;
  bool quiet = false;
  bool verbose = false;
};

struct LoadedPartial {
  std::string path;
  PartialSummary partial;
};

std::optional<LoadedPartial> load_partial(const std::string& path) {
  constexpr std::uint64_t k_max_partial_bytes = 4ull << 30;
  const ReadResult read = read_file(path, k_max_partial_bytes);
  if (!read.error.empty()) {
    spdlog::error("{}: {}", path, read.error);
    return std::nullopt;
  }
  std::string error;
  std::optional<PartialSummary> partial = parse_partial_summary(read.bytes, error);
  if (!partial) {
    spdlog::error("{}: {}", path, error);
    return std::nullopt;
  }
  return LoadedPartial{path, std::move(*partial)};
}

// Partials of one analysis: same fingerprint, same N, each shard once.
bool check_partials_agree(const std::vector<LoadedPartial>& partials, bool require_complete) {
  const LoadedPartial& first = partials.front();
  std::map<std::uint32_t, const LoadedPartial*> by_shard;
  for (const LoadedPartial& p : partials) {
    if (const auto diff =
            fingerprint_difference(first.partial.fingerprint, p.partial.fingerprint)) {
      spdlog::error("{} and {} come from different analyses: {} is {} in the first and {} in the "
                    "second (run every shard with the same options and input files)",
                    first.path, p.path, diff->field, diff->left, diff->right);
      return false;
    }
    if (p.partial.shard.count != first.partial.shard.count) {
      spdlog::error("{} is shard {} but {} is shard {}: merge the shards of one split", first.path,
                    first.partial.shard.to_string(), p.path, p.partial.shard.to_string());
      return false;
    }
    const auto [at, inserted] = by_shard.emplace(p.partial.shard.index, &p);
    if (!inserted) {
      spdlog::error("{} and {} are both shard {}: each shard may be merged once", at->second->path,
                    p.path, p.partial.shard.to_string());
      return false;
    }
  }
  const std::uint32_t count = first.partial.shard.count;
  if (by_shard.size() < count) {
    std::string missing;
    std::size_t listed = 0;
    for (std::uint32_t i = 1; i <= count && listed < 20; ++i) {
      if (!by_shard.contains(i)) {
        missing += (missing.empty() ? "" : ", ") + ShardSpec{i, count}.to_string();
        ++listed;
      }
    }
    const std::size_t absent = count - by_shard.size();
    const std::string more =
        absent > listed ? " and " + std::to_string(absent - listed) + " more" : "";
    if (require_complete) {
      spdlog::error("missing shard{} {}{} (--require-complete)", absent > 1 ? "s" : "", missing,
                    more);
      return false;
    }
    spdlog::warn("missing shard{} {}{}: the report covers only the shards given",
                 absent > 1 ? "s" : "", missing, more);
  }
  return true;
}

// The files merge was given must be the ones the shards used: the report
// shows their topics, joined rows and spend.
bool check_inputs_match(const LoadedPartial& first, const ReportInputs& inputs,
                        const ReportInputArgs& args) {
  const PartialFingerprint& made = first.partial.fingerprint;
  struct Check {
    const char* what;
    const char* option;
    const std::string& partial;
    const std::string& merge;
  };
  const std::string this_version(version());
  const Check checks[] = {
      {"callsight version", "the same callsight version", made.callsight, this_version},
      {"taxonomy", "-t", made.taxonomy, inputs.taxonomy_hash},
      {"call log", "-m", made.call_log, inputs.call_log_hash},
      {"column map", "--column-map", made.column_map, args.column_map},
      {"spend table", "--spend", made.spend, inputs.spend_hash},
  };
  for (const Check& check : checks) {
    if (check.partial != check.merge) {
      spdlog::error("{} was made with {} '{}' but merge has '{}': give merge {} as the shards had",
                    first.path, check.what, check.partial, check.merge, check.option);
      return false;
    }
  }
  if (made.stemmer != inputs.taxonomy->stemmer_language()) {
    spdlog::error("{} was made with the {} stemmer, merge has {}", first.path, made.stemmer,
                  inputs.taxonomy->stemmer_language());
    return false;
  }
  return true;
}

int run_merge(const MergeArguments& args) {
  setup_logging(args.quiet, args.verbose);
  if (std::count(args.partials.begin(), args.partials.end(), "-") > 1) {
    spdlog::error("standard input ('-') can be read only once");
    return k_exit_usage;
  }
  std::vector<LoadedPartial> partials;
  for (const std::string& path : args.partials) {
    std::optional<LoadedPartial> loaded = load_partial(path);
    if (!loaded) {
      return k_exit_usage;
    }
    partials.push_back(std::move(*loaded));
  }
  if (!check_partials_agree(partials, args.require_complete)) {
    return k_exit_usage;
  }
  // Compiled for the stemmer the shards used, so topics and labels match.
  ReportInputArgs report_args = args.report;
  report_args.language = partials.front().partial.fingerprint.stemmer;
  ReportInputs inputs;
  if (!load_report_inputs(report_args, inputs) ||
      !check_inputs_match(partials.front(), inputs, report_args)) {
    return k_exit_usage;
  }
  const Summary& first = partials.front().partial.summary;
  if (first.topics().size() != inputs.taxonomy->topics().size()) {
    spdlog::error("{} has {} topics, the taxonomy {}", partials.front().path, first.topics().size(),
                  inputs.taxonomy->topics().size());
    return k_exit_usage;
  }

  Summary merged(first.topics().size(), first.dimensions());
  for (const LoadedPartial& p : partials) {
    merged += p.partial.summary;
  }
  AtomicFile report(args.output);
  write_report(report.stream(), args.format, merged, inputs.context(report_args));
  report.commit();

  const Totals& totals = merged.totals();
  spdlog::info("merged {} partials: {} calls ({} failed){}", partials.size(), totals.calls,
               totals.files_failed, args.output == "-" ? "" : "; report: " + args.output);
  return totals.files_failed > 0 ? k_exit_partial : k_exit_ok;
}

} // namespace

Runner add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArguments>();
  auto* command = app.add_subcommand(
      "merge",
      "Combine the partial summaries of 'analyze --shard i/N --format partial' runs into the "
      "report one run over every file gives (byte-identical). Give merge the same --taxonomy, "
      "--metadata, --column-map and --spend as the shards.\n"
      "Examples:\n"
      "  callsight merge part-1.json part-2.json part-3.json -o summary.json\n"
      "  callsight merge part-*.json --metadata calls.csv --format csv --require-complete\n"
      "See docs/SCALING.md for GNU parallel, Spark and Kubernetes recipes.");
  command
      ->add_option("partials", args->partials,
                   "Partial summaries written by analyze --format partial; '-' reads one from "
                   "standard input")
      ->required();
  command->add_option("-t,--taxonomy", args->report.taxonomy,
                      "The taxonomy the shards used; default: the built-in one");
  command->add_option("-m,--metadata", args->report.metadata, "The call-log CSV the shards used");
  command->add_option("--column-map", args->report.column_map, "The --column-map the shards used");
  command->add_option("--spend", args->report.spend, "The spend CSV the shards used");
  command->add_option("-f,--format", args->format, k_report_format_help)
      ->check(CLI::IsMember(report_formats()))
      ->default_str("json");
  command
      ->add_option("-o,--output", args->output,
                   "Write the report to FILE (atomically); '-' is standard output")
      ->default_str("-");
  command->add_flag("--require-complete", args->require_complete,
                    "Fail (exit 2) when a shard of the split is missing, instead of warning");
  command->add_flag("-q,--quiet", args->quiet, "Only print errors on stderr");
  command->add_flag("-v,--verbose", args->verbose, "Print debug messages on stderr");
  command->footer(
      "Exit codes: 0 merged, no file failed in any shard; 1 merged, but some files failed "
      "(listed in the report); 2 usage error or partials that do not belong together; 3 the "
      "report could not be written.");
  return [args]() { return run_merge(*args); };
}

} // namespace callsight::cli
