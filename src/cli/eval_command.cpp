// `callsight eval`: arguments in, then the core pipeline with an Evaluator as
// the per-call sink, and the eval report. No scoring logic lives here.
#include <csignal>
#include <filesystem>
#include <memory>

#include <spdlog/spdlog.h>

#include "callsight/eval.hpp"
#include "callsight/formats.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/report.hpp"
#include "callsight/text.hpp"

#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "cli/progress.hpp"

namespace callsight::cli {
namespace {

struct EvalArguments {
  std::vector<std::string> inputs;
  std::string labels;
  std::string taxonomy;
  std::string split = "all";
  std::string format = "md";
  std::string output = "-";
  std::string input_format = "auto";
  std::string language;
  std::optional<double> min_f1;
  unsigned threads = 0;
  bool no_redact = false;
  bool quiet = false;
  bool verbose = false;
};

int run_eval(const EvalArguments& args) {
  setup_logging(args.quiet, args.verbose);
  const std::optional<CompiledTaxonomy> compiled =
      load_compiled_taxonomy(args.taxonomy, args.language);
  if (!compiled) {
    return k_exit_usage;
  }
  const std::optional<std::string> text = read_config_text(args.labels);
  if (!text) {
    return k_exit_usage;
  }
  std::string error;
  const std::optional<LabelSet> labels = LabelSet::parse(*text, compiled->topics(), error);
  if (!labels) {
    spdlog::error("{}: {}", args.labels, error);
    return k_exit_usage;
  }
  const EvalSplit split = args.split == "train"  ? EvalSplit::train
                          : args.split == "test" ? EvalSplit::test
                                                 : EvalSplit::all;
  if (split != EvalSplit::all && !labels->has_split()) {
    spdlog::error("--split {}: {} has no split column", args.split, args.labels);
    return k_exit_usage;
  }

  AnalyzeOptions options;
  options.inputs = args.inputs;
  options.threads = args.threads;
  options.input_format = args.input_format;
  options.cancel = &interrupted();
  options.redact = !args.no_redact;
  Evaluator evaluator(*compiled, *labels, split);
  // The labels file often sits beside the transcripts; it is not one of them.
  std::error_code ignored;
  const std::filesystem::path labels_path = std::filesystem::weakly_canonical(args.labels, ignored);
  const auto is_labels_file = [&](const std::string& path) {
    std::error_code error_code;
    return std::filesystem::weakly_canonical(path, error_code) == labels_path && !error_code;
  };
  AnalyzeSinks sinks;
  sinks.on_error = [&](const FileError& file_error) {
    if (is_labels_file(file_error.path)) {
      return;
    }
    log_file_problem(spdlog::level::warn, file_error.path, file_error.reason);
    evaluator.add_error(file_error);
  };
  sinks.on_call = [&](const CallResult& call) {
    if (!is_labels_file(call.path)) {
      evaluator.add(call);
    }
  };
  ProgressCounters progress;
  options.progress = &progress;
  ProgressBar progress_bar(progress, !args.quiet);
  analyze(options, *compiled, nullptr, sinks);
  progress_bar.stop();
  if (interrupted()) {
    const int signal = interrupting_signal();
    spdlog::error("stopped by {}; no report written", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    return 128 + signal;
  }
  const EvalResult result = evaluator.finish();

  EvalReportContext context;
  context.taxonomy = &*compiled;
  context.taxonomy_source = args.taxonomy.empty() ? "built-in" : args.taxonomy;
  context.labels_source = args.labels;
  context.split = split;
  AtomicFile report(args.output);
  if (args.format == "json") {
    write_eval_json(report.stream(), result, context);
  } else {
    write_eval_markdown(report.stream(), result, context);
  }
  report.commit();

  for (const std::string& file : result.calls_without_label) {
    spdlog::warn("{}: no label row for this call", file);
  }
  for (const UnmatchedLabel& label : result.labels_without_call) {
    spdlog::warn("{}:{}: no call matched label row '{}'", args.labels, label.line, label.key);
  }
  const std::optional<double> micro_f1 = micro_average(result.topics).f1;
  spdlog::info("scored {} calls: micro F1 {}", result.calls_scored,
               micro_f1 ? std::to_string(*micro_f1) : "n/a");
  if (args.min_f1 && !(micro_f1 && *micro_f1 >= *args.min_f1)) {
    spdlog::error("micro F1 {} is below --min-f1 {}",
                  micro_f1 ? std::to_string(*micro_f1) : "n/a (nothing to score)", *args.min_f1);
    return k_exit_quality;
  }
  return result.failed_files.empty() ? k_exit_ok : k_exit_partial;
}

} // namespace

Runner add_eval_command(CLI::App& app) {
  auto args = std::make_shared<EvalArguments>();
  auto* command = app.add_subcommand(
      "eval",
      "Measure tag quality: tag the transcripts under PATH and compare with topics a person "
      "assigned (precision, recall, F1 per topic, micro and macro averages, and every error "
      "with its evidence or the labeller's note).\n"
      "Labels CSV columns: call_id (or file), topics (ids separated by ';', empty = none), "
      "optional split (train/test) and note (what the labeller heard; 'topic=phrase' items "
      "separated by ';' give each topic its own). Unknown topic ids are an error naming the "
      "line; calls without a label row and label rows without a call are listed.\n"
      "Ratios with a zero denominator are n/a (null in JSON) and left out of macro averages.\n"
      "Examples:\n"
      "  callsight eval --labels data/eval/labels.csv data/eval/calls\n"
      "  callsight eval --labels data/eval/labels.csv --split test --min-f1 0.8 data/eval/calls\n"
      "  callsight eval --labels labels.csv -t my-taxonomy.json --format json -o eval.json "
      "calls/");
  command
      ->add_option("paths", args->inputs,
                   "Transcript files or folders (searched recursively, in sorted order)")
      ->required();
  command->add_option("-l,--labels", args->labels, "Labels CSV (see above)")->required();
  command->add_option("-t,--taxonomy", args->taxonomy,
                      "Taxonomy JSON to evaluate; default: the built-in one");
  command
      ->add_option("--split", args->split,
                   "Score only label rows of this split (train, test) or all of them; calls "
                   "labelled for another split are counted, not scored")
      ->check(CLI::IsMember({"all", "train", "test"}))
      ->default_str("all");
  command
      ->add_option("-f,--format", args->format,
                   "md (tables and error list) or json (the same content)")
      ->check(CLI::IsMember({"md", "json"}))
      ->default_str("md");
  command
      ->add_option("-o,--output", args->output,
                   "Write the report to FILE (atomically); '-' is standard output")
      ->default_str("-");
  command
      ->add_option("--min-f1", args->min_f1,
                   "Exit with code 4 when the micro F1 is below this (0..1), or when nothing "
                   "could be scored: a CI gate for taxonomy changes")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("-j,--threads", args->threads, "Worker threads; 0 = all cores")
      ->default_str("0");
  command->add_option("--language", args->language, "Stemmer language; default: the taxonomy's");
  command->add_option("--input-format", args->input_format, "Transcript format")
      ->check(CLI::IsMember([] {
        std::vector<std::string> names = format_names();
        names.insert(names.begin(), "auto");
        return names;
      }()))
      ->default_str("auto");
  command->add_flag("--no-redact", args->no_redact,
                    "Keep PII in the evidence of errors (redacted by default)");
  command->add_flag("-q,--quiet", args->quiet, "Only print errors on stderr");
  command->add_flag("-v,--verbose", args->verbose, "Print debug messages on stderr");
  command->footer("Exit codes: 0 scored; 1 scored, but some files failed; 2 usage, taxonomy "
                  "or labels error; 3 output could not be written; 4 micro F1 below "
                  "--min-f1; 130/143 stopped by SIGINT/SIGTERM.");
  return [args]() { return run_eval(*args); };
}

} // namespace callsight::cli
