// Shared by the transcript-format fuzz targets: what every ParseResult must
// satisfy whatever the input (an error and no calls, or calls whose turns
// all have text and sane numbers). A violation aborts so libFuzzer keeps it.
#pragma once
#include <cmath>
#include <cstdlib>

#include "callsight/formats.hpp"

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

} // namespace callsight::fuzz
