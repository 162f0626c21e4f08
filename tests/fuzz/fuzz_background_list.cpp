// Fuzz target: the background frequency list parser (`discover --background`)
// never crashes, and what it accepts gives finite reference frequencies.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "callsight/discover.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static callsight::Stemmer stemmer("english");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto counts = callsight::parse_frequency_list(text, stemmer, error);
  if (!counts) {
    if (error.empty()) {
      std::abort(); // a rejection always says why
    }
    return 0;
  }
  for (const auto& [key, entry] : counts->phrases) {
    const double f = counts->frequency(key + " " + key);
    if (!std::isfinite(f) || f < 0 || entry.surfaces.empty()) {
      std::abort();
    }
  }
  return 0;
}
