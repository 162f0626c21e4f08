// `callsight discover`: arguments in, validated options out, then phrase
// mining, ranking and the report writers of src/discover/. With --store the
// two corpora are the stored calls of a window and of the window before.
#include <csignal>
#include <memory>

#include <spdlog/spdlog.h>

#include "callsight/discover.hpp"
#include "callsight/formats.hpp"
#include "callsight/report.hpp"
#include "callsight/text.hpp"

#include "cli/analyze_store.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "cli/progress.hpp"

namespace callsight::cli {
namespace {

struct RawArguments {
  std::vector<std::string> inputs;
  std::vector<std::string> baseline;
  StoreArguments store;
  std::string background;
  std::string stopwords;
  std::string taxonomy;
  std::string language;
  std::string format = "json";
  std::string output = "-";
  std::string input_format = "auto";
  std::string max_file_size = "64M";
  std::vector<std::string> agent_speakers;
  std::optional<int> agent_channel;
  std::uint64_t min_calls = 3;
  std::size_t top = 50;
  double min_g2 = 10.83;
  unsigned threads = 0;
  bool no_redact = false;
  bool quiet = false;
  bool verbose = false;
};

std::optional<std::string> read_text(const std::string& what, const std::string& path) {
  ReadResult read = read_file(path, 1ull << 30);
  if (!read.error.empty()) {
    spdlog::error("{} {}: {}", what, path, read.error);
    return std::nullopt;
  }
  return decode_to_utf8(read.bytes).text;
}

int run_discover(const RawArguments& args) {
  setup_logging(args.quiet, args.verbose);

  // --- validate everything before any work -----------------------------------
  for (const auto* list : {&args.inputs, &args.baseline}) {
    for (const std::string& path : *list) {
      if (path == "-") {
        spdlog::error("discover reads files and folders, not standard input ('-'): examples "
                      "are re-read from their files");
        return k_exit_usage;
      }
    }
  }
  if (const std::string problem = check_store_arguments(args.store, args.inputs);
      !problem.empty()) {
    spdlog::error("{}", problem);
    return k_exit_usage;
  }
  const bool from_store = !args.store.store.empty();
  std::optional<ReportWindow> window;
  if (from_store) {
    std::string error;
    window = store_window(args.store, error);
    if (error.empty() && !window) {
      error = "discover --store compares the calls of a window with the window before: give "
              "--period or --since";
    }
    if (error.empty() && !args.inputs.empty()) {
      // Ingesting is analyze's job; restricting by path would hide that.
      error = "discover --store mines the stored calls of the window: give no PATH (callsight "
              "analyze PATH --store FILE adds files to the store)";
    }
    if (error.empty() && (!args.baseline.empty() || !args.background.empty())) {
      error = "--store is the baseline (the window before): it does not combine with "
              "--baseline or --background";
    }
    if (!error.empty()) {
      spdlog::error("{}", error);
      return k_exit_usage;
    }
  }
  AnalyzeOptions options;
  if (!apply_transcript_options(args, options)) {
    return k_exit_usage;
  }
  const std::optional<CompiledTaxonomy> compiled =
      load_compiled_taxonomy(args.taxonomy, args.language);
  if (!compiled) {
    return k_exit_usage;
  }
  MiningOptions mining;
  // --language names the mined language even when the taxonomy has phrases in it
  // (its lane 0 then stays the taxonomy's own language).
  mining.language = compiled->forced_language().empty()
                        ? compiled->stemmer_language()
                        : stemmer_language_name(compiled->forced_language());
  const bool english = mining.language == "english";
  if (!args.stopwords.empty()) {
    const auto text = read_text("--stopwords", args.stopwords);
    if (!text) {
      return k_exit_usage;
    }
    mining.stopwords = parse_word_list(*text);
  } else if (const std::string_view list = builtin_stopwords(mining.language); !list.empty()) {
    mining.stopwords = parse_word_list(list);
  } else {
    spdlog::warn("no built-in stopword list for {}: give --stopwords FILE", mining.language);
  }
  std::optional<PhraseCounts> background;
  std::string background_source = args.background.empty() ? "built-in" : args.background;
  if (args.baseline.empty() && !from_store) {
    std::string text;
    if (!args.background.empty()) {
      const auto read = read_text("--background", args.background);
      if (!read) {
        return k_exit_usage;
      }
      text = *read;
    } else if (english) {
      text = default_background_en();
    } else {
      spdlog::error("no built-in background list for {}: give --baseline FOLDER or "
                    "--background FILE",
                    mining.language);
      return k_exit_usage;
    }
    Stemmer stemmer(mining.language);
    std::string error;
    background = parse_frequency_list(text, stemmer, error);
    if (!background) {
      spdlog::error("{}: {}", background_source, error);
      return k_exit_usage;
    }
  } else if (!args.background.empty()) {
    spdlog::error("--background and --baseline are alternatives: give one");
    return k_exit_usage;
  }

  // The stored calls of each window, by path and ordinal; the transcripts
  // themselves are re-read below.
  std::optional<Store> store;
  StoredWindowCalls stored;
  if (from_store) {
    if (const int code = open_store(args.store, true, store); code != k_exit_ok) {
      return code;
    }
    try {
      stored = store->window_calls(*window);
    } catch (const StoreError& e) {
      spdlog::error("{}", e.what());
      return store_error_exit(e);
    }
    store.reset(); // no lock or snapshot held while mining
    spdlog::info("store {}: {} calls in {} ({} files), {} in {} ({} files)", args.store.store,
                 stored.current_calls, window->current.label, stored.current.size(),
                 stored.previous_calls, window->previous.label, stored.previous.size());
    if (stored.calls_without_date > 0) {
      spdlog::warn("{} stored calls have no date of their own and are in neither window "
                   "(discover dates calls by their transcript, not by a call log)",
                   stored.calls_without_date);
    }
  }

  // --- run ---------------------------------------------------------------------
  const auto mine = [&](auto&& mine_inputs) {
    ProgressCounters progress; // one bar per corpus: target, then baseline
    AnalyzeOptions counted = options;
    counted.progress = &progress;
    const ProgressBar progress_bar(progress, !args.quiet);
    return mine_inputs(counted);
  };
  const auto mine_paths = [&](const std::vector<std::string>& inputs) {
    return mine(
        [&](const AnalyzeOptions& counted) { return mine_corpus(inputs, counted, mining); });
  };
  const auto mine_stored = [&](const std::vector<StoredFileCalls>& files) {
    return mine(
        [&](const AnalyzeOptions& counted) { return mine_stored_calls(files, counted, mining); });
  };
  MinedCorpus target = from_store ? mine_stored(stored.current) : mine_paths(args.inputs);
  MinedCorpus baseline;
  if (!interrupted()) {
    if (from_store) {
      baseline = mine_stored(stored.previous);
    } else if (!args.baseline.empty()) {
      baseline = mine_paths(args.baseline);
    }
  }
  if (interrupted()) {
    const int signal = interrupting_signal();
    spdlog::error("stopped by {}; no report written", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    return 128 + signal;
  }
  for (const auto* corpus : {&target, &baseline}) {
    for (const FileError& error : corpus->errors) {
      log_file_problem(spdlog::level::warn, error.path, error.reason);
    }
  }
  if (!args.baseline.empty() && baseline.counts.calls == 0) {
    spdlog::error("--baseline: no usable transcripts in the given paths");
    return k_exit_usage;
  }
  if (from_store && baseline.counts.calls == 0) {
    spdlog::error("--store {}: no usable stored calls dated in the window before, {} ({} to {}): "
                  "nothing to compare with",
                  args.store.store, window->previous.label, format_iso_date(window->previous.first),
                  format_iso_date(window->previous.last));
    return k_exit_usage;
  }
  const PhraseCounts& reference = background ? *background : baseline.counts;

  DiscoverReport report;
  report.calls = target.counts.calls;
  report.words = target.counts.tokens;
  report.files_failed = target.errors.size();
  report.reference_kind = background ? "background" : from_store ? "store" : "baseline";
  if (background) {
    report.reference_source = background_source;
  } else if (from_store) {
    report.reference_source = args.store.store;
    report.window = window;
    report.calls_without_date = stored.calls_without_date;
  } else {
    for (const std::string& path : args.baseline) {
      report.reference_source += (report.reference_source.empty() ? "" : ", ") + path;
    }
  }
  report.reference_calls = reference.calls;
  report.reference_words = reference.tokens;
  report.language = mining.language;
  report.taxonomy_source = args.taxonomy.empty() ? "built-in" : args.taxonomy;
  report.rank.min_calls = args.min_calls;
  report.rank.top = args.top;
  report.rank.min_g2 = args.min_g2;
  const std::vector<RankedPhrase> ranked = rank_phrases(target.counts, reference, report.rank);
  report.phrases = describe_phrases(ranked, target.counts, target.files, options, *compiled);
  report.errors = target.errors;
  report.errors.insert(report.errors.end(), baseline.errors.begin(), baseline.errors.end());

  AtomicFile out(args.output);
  if (args.format == "csv") {
    write_discover_csv(out.stream(), report);
  } else if (args.format == "md") {
    write_discover_markdown(out.stream(), report);
  } else {
    write_discover_json(out.stream(), report);
  }
  out.commit();
  if (target.counts.calls == 0 && target.errors.empty()) {
    spdlog::warn(from_store ? "no stored calls dated in the window"
                            : "no transcript files found in the given paths");
  } else if (target.counts.calls < 50) {
    spdlog::info("only {} calls: phrases need {} calls each; 50 or more give steadier ranks",
                 target.counts.calls, args.min_calls);
  }
  spdlog::info("mined {} calls, {} phrases reported", target.counts.calls, report.phrases.size());
  return report.errors.empty() ? k_exit_ok : k_exit_partial;
}

} // namespace

Runner add_discover_command(CLI::App& app) {
  auto args = std::make_shared<RawArguments>();
  auto* command = app.add_subcommand(
      "discover",
      "Find phrases customers say more often than in a reference: emerging concerns the "
      "taxonomy may miss.\n"
      "Phrases are 1-4 words of customer turns (all turns when a call has no roles) that do "
      "not cross punctuation, start or end with a stopword, or hold digits-only or redacted "
      "words; stemmed variants are merged and shown in their most common form. They are ranked "
      "by log-likelihood G2 against --baseline calls (mined the same way) or, without it, a "
      "background frequency list. A phrase is covered when a taxonomy topic would tag the "
      "phrase itself said by a customer; uncovered phrases get a topic stub to paste.\n"
      "With --store and a window, the stored calls of the window are mined against those of "
      "the window before (files re-read by their stored paths; dates are the calls' own).\n"
      "Examples:\n"
      "  callsight discover calls/this-week --baseline calls/last-month\n"
      "  callsight discover --store calls.db --period week\n"
      "  callsight discover calls/ -f md -o emerging.md\n"
      "  callsight discover calls/ --baseline old/ -f csv --min-calls 5 --top 20");
  command->add_option("paths", args->inputs,
                      "Transcript files or folders to mine (searched recursively, sorted); none "
                      "with --store");
  command->add_option("-b,--baseline", args->baseline,
                      "Reference transcripts (files or folders, repeatable), e.g. last month's "
                      "calls; default: the background list");
  command->add_option("--background", args->background,
                      "Reference frequency list instead of the built-in English one "
                      "(data/background_en.tsv format: '@tokens<TAB>N', then "
                      "'phrase<TAB>count' lines)");
  command->add_option("--stopwords", args->stopwords,
                      "Words that may not start or end a phrase, one a line; default: the "
                      "built-in English list (data/stopwords_en.txt)");
  command->add_option("-t,--taxonomy", args->taxonomy,
                      "Taxonomy JSON deciding which phrases are covered; default: built-in");
  command->add_option("--language", args->language,
                      "Stemmer language (en, es, fr, de, ...); default: the taxonomy's");
  command->add_option("--min-calls", args->min_calls, "Calls a phrase must occur in")
      ->default_str("3")
      ->check(CLI::PositiveNumber);
  command->add_option("--top", args->top, "Phrases reported at most")->default_str("50");
  command
      ->add_option("--min-g2", args->min_g2, "Smallest log-likelihood G2 kept (10.83: p < 0.001)")
      ->default_str("10.83");
  command
      ->add_option("-f,--format", args->format,
                   "Report format: json (default), csv (one row per phrase), md (table and "
                   "topic stubs)")
      ->check(CLI::IsMember({"json", "csv", "md"}))
      ->default_str("json");
  command
      ->add_option("-o,--output", args->output,
                   "Write the report to FILE (atomically); '-' is standard output")
      ->default_str("-");
  command->add_option("-j,--threads", args->threads, "Worker threads; 0 = all cores")
      ->default_str("0");
  command->add_option("--input-format", args->input_format, "Transcript format")
      ->check(CLI::IsMember([] {
        std::vector<std::string> names = format_names();
        names.insert(names.begin(), "auto");
        return names;
      }()))
      ->default_str("auto");
  command->add_option("--agent-speaker", args->agent_speakers,
                      "Speaker label that is the agent (repeatable); overrides role inference");
  command
      ->add_option("--agent-channel", args->agent_channel,
                   "Audio channel that is the agent, for multichannel engine output")
      ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--max-file-size", args->max_file_size,
                   "Skip (and report) transcripts larger than this (K, M, G suffixes)")
      ->default_str("64M");
  command->add_flag("--no-redact", args->no_redact, "Keep personal data in example snippets");
  command->add_flag("-q,--quiet", args->quiet, "Only print errors on stderr");
  command->add_flag("-v,--verbose", args->verbose, "Print debug messages on stderr");
  add_store_window_options(
      *command, args->store,
      "SQLite store written by analyze --store (read only): with --period or --since, mine the "
      "stored calls of that window against those of the window before");
  command->footer(k_exit_code_help);
  return [args]() { return run_discover(*args); };
}

} // namespace callsight::cli
