// Fuzz target: the Google Speech-to-Text and CCAI Insights JSON parsers never throw or crash on any
// document, and what they return is well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "format_invariants.hpp"
#include "formats/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace callsight;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    return 0;
  }
  (void)formats::k_google_speech.recognizes(doc);
  fuzz::check_invariants(formats::k_google_speech.parse("fuzz.json", doc));
  (void)formats::k_google_ccai.recognizes(doc);
  fuzz::check_invariants(formats::k_google_ccai.parse("fuzz.json", doc));
  return 0;
}
