// Fuzz target: partial summaries (callsight merge reads files from other
// machines) never crash the parser, and whatever parses writes back to text
// that parses to the same state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "callsight/aggregate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<callsight::PartialSummary> parsed =
      callsight::parse_partial_summary(text, error);
  if (!parsed) {
    if (error.empty()) {
      std::abort(); // a refusal always says why
    }
    return 0;
  }
  std::ostringstream out;
  callsight::write_partial_summary(out, parsed->summary, parsed->shard, parsed->fingerprint);
  const std::optional<callsight::PartialSummary> again =
      callsight::parse_partial_summary(out.str(), error);
  if (!again || !(again->summary == parsed->summary) || !(again->shard == parsed->shard) ||
      !(again->fingerprint == parsed->fingerprint)) {
    std::abort();
  }
  return 0;
}
