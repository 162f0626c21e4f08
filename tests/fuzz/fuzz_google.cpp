// Fuzz target: the Google Speech-to-Text and CCAI Insights JSON parsers never throw or crash on any
// document, and what they return is well formed.
#include <cstddef>
#include <cstdint>

#include "format_invariants.hpp"
#include "formats/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace callsight::formats;
  return callsight::fuzz::fuzz_json_formats(data, size, {&k_google_speech, &k_google_ccai});
}
