// Fuzz target: the Amazon Transcribe and Call Analytics JSON parsers never throw or crash on any
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
  (void)formats::k_aws_transcribe.recognizes(doc);
  fuzz::check_invariants(formats::k_aws_transcribe.parse("fuzz.json", doc));
  (void)formats::k_aws_call_analytics.recognizes(doc);
  fuzz::check_invariants(formats::k_aws_call_analytics.parse("fuzz.json", doc));
  return 0;
}
