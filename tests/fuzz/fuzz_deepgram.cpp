// Fuzz target: the Deepgram JSON parser never throws or crashes on any
// document, and what it returns is well formed.
#include <cstddef>
#include <cstdint>

#include "format_invariants.hpp"
#include "formats/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace callsight::formats;
  return callsight::fuzz::fuzz_json_formats(data, size, {&k_deepgram});
}
