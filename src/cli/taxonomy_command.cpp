// `callsight taxonomy`: print the built-in taxonomy as a starting point, and
// check taxonomy files with line:column diagnostics.
#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "callsight/ingest.hpp"
#include "callsight/matcher.hpp"
#include "callsight/report.hpp"

#include "cli/commands.hpp"
#include "cli/logging.hpp"

namespace callsight::cli {

std::optional<Taxonomy> load_taxonomy(const std::string& path) {
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
  for (const TaxonomyIssue& issue : loaded.issues) {
    log_diagnostic(shown, issue.line, issue.column, issue.message);
  }
  return loaded.taxonomy;
}

Runner add_taxonomy_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "taxonomy", "Work with taxonomies: the topics (concerns, intents, outcomes, sources, "
                  "competitors) that callsight tags in calls.");
  command->require_subcommand(1, 1);
  struct Options {
    std::string output;
    std::vector<std::string> files;
  };
  auto options = std::make_shared<Options>();

  auto* init = command->add_subcommand(
      "init", "Print the built-in taxonomy (JSON with comments) as a starting point for your "
              "own: callsight taxonomy init -o my-taxonomy.json");
  init->add_option("-o,--output", options->output, "Write to FILE instead of standard output");

  auto* check = command->add_subcommand(
      "check", "Validate taxonomy files: every problem is printed as FILE:LINE:COL: message. "
               "Exit code 0 when all files are valid, 1 when any has problems.");
  check->add_option("files", options->files, "Taxonomy files to check")->required();

  return [options, init, check]() -> int {
    if (init->parsed()) {
      const std::string_view text = default_taxonomy_json();
      AtomicFile file(options->output.empty() ? std::string("-") : options->output);
      file.stream() << text;
      file.commit();
      return k_exit_ok;
    }
    (void)check;
    int code = k_exit_ok;
    for (const std::string& path : options->files) {
      const std::optional<Taxonomy> taxonomy = load_taxonomy(path);
      if (!taxonomy) {
        code = k_exit_partial;
        continue;
      }
      std::size_t phrases = 0;
      for (const Topic& topic : taxonomy->topics) {
        phrases += topic.phrases.size() + topic.exclude.size();
      }
      try {
        CompiledTaxonomy::compile(*taxonomy);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
        code = k_exit_partial;
        continue;
      }
      std::printf("%s: ok (%zu topics, %zu phrases)\n", path.c_str(), taxonomy->topics.size(),
                  phrases);
    }
    return code;
  };
}

} // namespace callsight::cli
