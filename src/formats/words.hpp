// Word-level engine output (AWS items, Deepgram/Google/Rev words) grouped into
// speaker turns: a new turn starts when the speaker or channel changes or
// after a pause. Shared by the JSON parsers. Internal to src/formats.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "callsight/call.hpp"

namespace callsight::formats {

struct Word {
  std::string text;    ///< as the engine wrote it; punctuation tokens allowed
  std::string speaker; ///< engine label ("spk_0", "A", "1"), or ""
  std::optional<int> channel;
  std::optional<double> start_s;
  std::optional<double> end_s;
  std::optional<double> confidence;
  bool punctuation = false; ///< attach to the previous word without a space
};

/// Default pause (seconds) that splits one speaker's words into two turns.
inline constexpr double k_turn_pause_s = 1.5;

/// Groups words in order into turns. Turn text joins words with spaces
/// (punctuation attached), times span the words, confidence is the mean of
/// the words that have one. Speaker labels are kept; roles stay unknown.
std::vector<Turn> group_words(const std::vector<Word>& words, double max_pause_s = k_turn_pause_s);

/// Turns of several channels merged into one conversation ordered by start
/// time (stable: equal or missing times keep channel order).
std::vector<Turn> merge_by_start(std::vector<std::vector<Turn>> channels);

} // namespace callsight::formats
