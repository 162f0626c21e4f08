// Fuzz target: the WebVTT and SRT parsers never throw or crash on any bytes,
// and what they return is well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "format_invariants.hpp"
#include "formats/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace callsight;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)formats::k_webvtt.recognizes("fuzz.txt", text);
  (void)formats::k_srt.recognizes("fuzz.txt", text);
  fuzz::check_invariants(formats::k_webvtt.parse("fuzz.vtt", text));
  fuzz::check_invariants(formats::k_srt.parse("fuzz.srt", text));
  return 0;
}
