// Fuzz target: the CSV-of-turns parser never throws or crashes on any bytes,
// and what it returns is well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "format_invariants.hpp"
#include "formats/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace callsight;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)formats::k_csv_turns.recognizes("fuzz.csv", text);
  fuzz::check_invariants(formats::k_csv_turns.parse("fuzz.csv", text));
  return 0;
}
