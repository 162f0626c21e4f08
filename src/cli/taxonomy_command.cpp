// `callsight taxonomy`: print the built-in taxonomy as a starting point,
// check taxonomy files with line:column diagnostics, and show which rule
// fired where on sample calls.
#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "callsight/explain.hpp"
#include "callsight/formats.hpp"
#include "callsight/ingest.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/privacy.hpp"
#include "callsight/report.hpp"

#include "cli/commands.hpp"
#include "cli/logging.hpp"

namespace callsight::cli {

std::optional<Taxonomy> load_taxonomy(const std::string& path, bool warnings,
                                      std::string* source_text) {
  std::string text;
  const std::string shown = path.empty() ? std::string("(built-in taxonomy)") : path;
  if (path.empty()) {
    text = std::string(default_taxonomy_json());
  } else {
    ReadResult read = read_file(path, 16ull << 20);
    if (!read.error.empty()) {
      log_file_problem(spdlog::level::err, path, read.error);
      return std::nullopt;
    }
    text = decode_to_utf8(read.bytes).text;
  }
  TaxonomyLoadResult loaded = parse_taxonomy(text);
  if (source_text != nullptr) {
    *source_text = std::move(text);
  }
  for (const TaxonomyIssue& issue : loaded.issues) {
    if (issue.warning && !warnings) {
      continue;
    }
    log_diagnostic(shown, issue.line, issue.column,
                   (issue.warning ? "warning: " : "") + issue.message);
  }
  return loaded.taxonomy;
}

namespace {

struct Options {
  std::string output;
  std::vector<std::string> files;
  std::string taxonomy;
  std::vector<std::string> calls;
  std::string format = "text";
  std::string metadata;
  std::string input_format = "auto";
  std::vector<std::string> agent_speakers;
  bool no_redact = false;
};

constexpr std::string_view k_mark_open = "\xC2\xAB";  // «
constexpr std::string_view k_mark_close = "\xC2\xBB"; // »

std::string without_marks(std::string text) {
  for (const std::string_view mark : {k_mark_open, k_mark_close}) {
    for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at)) {
      text.erase(at, mark.size());
    }
  }
  return text;
}

// The snippet around a hit with the hit between « and ». Redacting the
// marked text must give the redaction of the unmarked one; when a mark would
// split something redaction needs whole, the snippet goes unmarked.
std::string marked_snippet(const std::string& text, std::uint32_t begin, std::uint32_t end,
                           bool redact_on) {
  std::string marked = text.substr(0, begin);
  marked += k_mark_open;
  marked.append(text, begin, end - begin);
  marked += k_mark_close;
  marked.append(text, end);
  const std::size_t marks = k_mark_open.size() + k_mark_close.size();
  const std::string snippet = evidence_snippet(marked, begin, end + marks, 120 + marks);
  if (!redact_on) {
    return snippet;
  }
  const std::string redacted = redact(snippet);
  const std::string plain = redact(without_marks(snippet));
  return without_marks(redacted) == plain ? redacted : plain;
}

std::string time_text(const std::optional<double>& seconds) {
  if (!seconds) {
    return {};
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", *seconds);
  return buffer;
}

std::optional<CallLog> load_call_log(const std::string& path, bool& ok) {
  ok = true;
  if (path.empty()) {
    return std::nullopt;
  }
  const std::optional<std::string> text = read_config_text(path);
  if (!text) {
    ok = false;
    return std::nullopt;
  }
  std::string error;
  std::optional<CallLog> log = CallLog::parse(*text, error);
  if (!log) {
    spdlog::error("{}: {}", path, error);
    ok = false;
  }
  return log;
}

// One call's explanation as JSON (--format json) or text.
void print_call(const Options& options, const CompiledTaxonomy& taxonomy, const std::string& path,
                const Call& call, const std::vector<TopicExplanation>& topics,
                nlohmann::ordered_json& json_calls) {
  const bool redact_on = !options.no_redact;
  nlohmann::ordered_json json_topics = nlohmann::ordered_json::array();
  if (options.format == "text") {
    std::printf("%s: call %s (%s, %zu turns)\n", path.c_str(), call.call_id.c_str(),
                call.format.c_str(), call.turns.size());
    if (topics.empty()) {
      std::printf("  no phrase of the taxonomy occurs\n");
    }
  }
  for (const TopicExplanation& topic : topics) {
    const std::string& id = taxonomy.topics()[topic.topic].id;
    nlohmann::ordered_json json_topic;
    json_topic["id"] = id;
    json_topic["tagged"] = topic.tagged;
    json_topic["hits"] = topic.hits;
    json_topic["verdict"] = topic.verdict;
    if (!topic.rule.empty()) {
      json_topic["rule"] = topic.rule;
    }
    if (options.format == "text") {
      std::printf("  %s: %s\n", id.c_str(), topic.verdict.c_str());
      if (!topic.rule.empty()) {
        std::printf("    rule: %s\n", topic.rule.c_str());
      }
    }
    nlohmann::ordered_json occurrences = nlohmann::ordered_json::array();
    for (const OccurrenceExplanation& occurrence : topic.occurrences) {
      const TracedHit& hit = occurrence.hit;
      const Turn& turn = call.turns[hit.turn];
      const std::string& phrase = taxonomy.patterns()[hit.pattern].text;
      const std::string snippet = marked_snippet(turn.text, hit.begin, hit.end, redact_on);
      const bool counted = hit.fate == HitFate::counted;
      if (options.format == "text") {
        const std::string when = time_text(turn.start_s);
        std::printf("    %s \"%s\" turn %u, %s%s%s%s: %s\n", counted ? "hit" : "suppressed",
                    phrase.c_str(), hit.turn, std::string(to_string(turn.role)).c_str(),
                    turn.speaker.empty() ? "" : (" \"" + turn.speaker + "\"").c_str(),
                    when.empty() ? "" : ", at ", when.c_str(), snippet.c_str());
        if (!occurrence.why.empty()) {
          std::printf("      %s\n", occurrence.why.c_str());
        }
        continue;
      }
      nlohmann::ordered_json entry;
      entry["phrase"] = phrase;
      entry["fate"] = std::string(to_string(hit.fate));
      if (!occurrence.why.empty()) {
        entry["why"] = occurrence.why;
      }
      entry["turn"] = hit.turn;
      entry["speaker"] = turn.speaker;
      entry["role"] = std::string(to_string(turn.role));
      if (turn.start_s) {
        entry["start_s"] = *turn.start_s;
      }
      entry["begin"] = hit.begin;
      entry["end"] = hit.end;
      entry["snippet"] = snippet;
      occurrences.push_back(std::move(entry));
    }
    json_topic["occurrences"] = std::move(occurrences);
    json_topics.push_back(std::move(json_topic));
  }
  if (options.format != "text") {
    nlohmann::ordered_json json_call;
    json_call["file"] = path;
    json_call["call_id"] = call.call_id;
    json_call["format"] = call.format;
    json_call["turns"] = call.turns.size();
    json_call["topics"] = std::move(json_topics);
    json_calls.push_back(std::move(json_call));
  }
}

int run_test(const Options& options) {
  const std::optional<Taxonomy> taxonomy = load_taxonomy(options.taxonomy, false);
  if (!taxonomy) {
    return k_exit_usage;
  }
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(*taxonomy);
  bool log_ok = true;
  const std::optional<CallLog> call_log = load_call_log(options.metadata, log_ok);
  if (!log_ok) {
    return k_exit_usage;
  }
  AnalyzeOptions analyze;
  analyze.input_format = options.input_format;
  analyze.roles.agent_speakers = options.agent_speakers;
  Matcher matcher(compiled);
  nlohmann::ordered_json json_calls = nlohmann::ordered_json::array();
  int code = k_exit_ok;
  for (const std::string& path : options.calls) {
    ReadResult read = read_file(path, analyze.max_file_bytes);
    std::string error = read.error;
    FileCalls file;
    if (error.empty() && parse_calls(path, read.bytes, analyze, file, error)) {
      for (const Call& call : file.calls) {
        TagTrace trace;
        const TagResult tags = matcher.tag(call, trace);
        const CallMetrics metrics = compute_call_metrics(call, analyze.metrics, tags.turn_words);
        const long row = call_log ? call_log->find(call.call_id, path) : -1;
        const FieldLookup field = [&](std::string_view name) {
          if (row >= 0) {
            const std::string_view value = call_log->value(static_cast<std::size_t>(row), name);
            if (!value.empty()) {
              return std::string(value);
            }
          }
          const auto it = call.fields.find(std::string(name));
          return it == call.fields.end() ? std::string() : it->second;
        };
        print_call(options, compiled, path, call,
                   explain_call(compiled, call, trace, metrics, field), json_calls);
      }
      continue;
    }
    std::fprintf(stderr, "callsight: warning: %s: %s\n", path.c_str(), error.c_str());
    code = k_exit_partial;
  }
  if (options.format != "text") {
    nlohmann::ordered_json out;
    out["taxonomy"] = options.taxonomy;
    out["calls"] = std::move(json_calls);
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return code;
}

int run_check(const Options& options) {
  int code = k_exit_ok;
  for (const std::string& path : options.files) {
    const std::optional<Taxonomy> taxonomy = load_taxonomy(path, true);
    if (!taxonomy) {
      code = k_exit_partial;
      continue;
    }
    std::size_t patterns = 0;
    try {
      patterns = CompiledTaxonomy::compile(*taxonomy).patterns().size();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
      code = k_exit_partial;
      continue;
    }
    std::printf("%s: ok (%zu topics, %zu phrases)\n", path.c_str(), taxonomy->topics.size(),
                patterns);
  }
  return code;
}

} // namespace

Runner add_taxonomy_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "taxonomy", "Work with taxonomies: the topics (concerns, intents, outcomes, sources, "
                  "competitors) that callsight tags in calls.");
  command->require_subcommand(1, 1);
  auto options = std::make_shared<Options>();

  auto* init = command->add_subcommand(
      "init", "Print the built-in taxonomy (JSON with comments) as a starting point for your "
              "own: callsight taxonomy init -o my-taxonomy.json");
  init->add_option("-o,--output", options->output, "Write to FILE instead of standard output");

  auto* check = command->add_subcommand(
      "check", "Validate taxonomy files: every problem is printed as FILE:LINE:COL: message "
               "(warnings as FILE:LINE:COL: warning: message). Exit code 0 when all files are "
               "valid (warnings allowed), 1 when any has errors.");
  check->add_option("files", options->files, "Taxonomy files to check")->required();

  auto* test = command->add_subcommand(
      "test", "Show, for each call, which topics were tagged and why or why not: the phrase "
              "or rule that fired, turn, speaker, time and the redacted snippet, and every "
              "suppressed hit with its reason (negated, excluded, outside the window, wrong "
              "speaker, low confidence, condition failed). Exit code 0; 1 when a call file "
              "could not be read; 2 for a bad taxonomy.");
  test->add_option("taxonomy", options->taxonomy, "Taxonomy file")->required();
  test->add_option("calls", options->calls, "Transcript files (any supported format)")->required();
  test->add_option("-f,--format", options->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  test->add_option("-m,--metadata", options->metadata,
                   "Call-log CSV for \"call_log\" conditions (default: the transcripts' own "
                   "fields)");
  test->add_option("--input-format", options->input_format, "Transcript format")
      ->check(CLI::IsMember([] {
        std::vector<std::string> names = format_names();
        names.insert(names.begin(), "auto");
        return names;
      }()));
  test->add_option("--agent-speaker", options->agent_speakers,
                   "Speaker label that is the agent (repeatable)");
  test->add_flag("--no-redact", options->no_redact, "Keep PII in snippets (redacted by default)");

  return [options, init, check]() -> int {
    if (init->parsed()) {
      const std::string_view text = default_taxonomy_json();
      AtomicFile file(options->output.empty() ? std::string("-") : options->output);
      file.stream() << text;
      file.commit();
      return k_exit_ok;
    }
    if (check->parsed()) {
      return run_check(*options);
    }
    return run_test(*options);
  };
}

} // namespace callsight::cli
