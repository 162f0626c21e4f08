// Shared by the transcript-format fuzz targets: what every ParseResult must
// satisfy whatever the input (an error and no calls, or calls whose turns
// all have text and sane numbers). A violation aborts so libFuzzer keeps it.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "formats/registry.hpp"

namespace callsight::fuzz {

inline void check_invariants(const ParseResult& result) {
  if (!result.error.empty()) {
    if (!result.calls.empty()) {
      std::abort();
    }
    return;
  }
  if (result.calls.empty()) {
    std::abort();
  }
  for (const Call& call : result.calls) {
    if (call.turns.empty() || call.format.empty()) {
      std::abort();
    }
    for (const Turn& turn : call.turns) {
      if (turn.text.empty()) {
        std::abort();
      }
      if (turn.confidence && !(*turn.confidence >= 0.0 && *turn.confidence <= 1.0)) {
        std::abort();
      }
      if ((turn.start_s && !std::isfinite(*turn.start_s)) ||
          (turn.end_s && !std::isfinite(*turn.end_s))) {
        std::abort();
      }
    }
  }
}

/// The body of a JSON-format fuzz target: parse the bytes as JSON (skipping
/// what does not parse), then run each format's recognizer and parser on it.
inline int fuzz_json_formats(const std::uint8_t* data, std::size_t size,
                             std::initializer_list<const formats::JsonFormat*> targets) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    return 0;
  }
  for (const formats::JsonFormat* format : targets) {
    (void)format->recognizes(doc);
    check_invariants(format->parse("fuzz.json", doc));
  }
  return 0;
}

} // namespace callsight::fuzz
