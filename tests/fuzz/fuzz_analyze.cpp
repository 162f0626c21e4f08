// Fuzz target: one file's bytes through the whole per-file pipeline (decode,
// format detection, every parser, tagging with the default taxonomy). The
// first byte picks the file name, so extension-based detection is covered.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "callsight/pipeline.hpp"

namespace {

const callsight::CompiledTaxonomy& taxonomy() {
  static const callsight::CompiledTaxonomy compiled = [] {
    auto loaded = callsight::parse_taxonomy(callsight::default_taxonomy_json());
    return callsight::CompiledTaxonomy::compile(*loaded.taxonomy);
  }();
  return compiled;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const k_names[] = {"call.txt", "call.json", "call.jsonl", "call.csv",
                                        "call.vtt", "call.srt",  "call.tsv",   "call"};
  if (size == 0) {
    return 0;
  }
  const std::string path = k_names[data[0] % 8];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  static callsight::Matcher matcher(taxonomy());
  callsight::AnalyzeOptions options;
  options.group_by = {"campaign", "week"};
  std::vector<callsight::CallResult> results;
  std::string error;
  callsight::analyze_bytes(path, bytes, options, matcher, nullptr, results, error);
  return 0;
}
