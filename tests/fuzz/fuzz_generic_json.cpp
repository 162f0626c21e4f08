// Fuzz target: the generic JSON and JSONL turn parsers never throw or crash on
// any input, and what they return is well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "format_invariants.hpp"
#include "formats/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace callsight;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The same bytes as JSON Lines.
  (void)formats::k_jsonl_turns.recognizes("fuzz.txt", text);
  fuzz::check_invariants(formats::k_jsonl_turns.parse("fuzz.jsonl", text));
  const nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    return 0;
  }
  (void)formats::k_generic_json_turns.recognizes(doc);
  fuzz::check_invariants(formats::k_generic_json_turns.parse("fuzz.json", doc));
  return 0;
}
