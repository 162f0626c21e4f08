// Fuzz target: taxonomy loading and validation never crash, and whatever
// validates also compiles.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "callsight/matcher.hpp"
#include "callsight/taxonomy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const callsight::TaxonomyLoadResult loaded = callsight::parse_taxonomy(text);
  if (loaded.taxonomy && loaded.issues.empty()) {
    try {
      callsight::CompiledTaxonomy::compile(*loaded.taxonomy);
    } catch (const std::invalid_argument&) {
      // An unknown stemmer language is reported at compile time: allowed.
    }
  }
  return 0;
}
