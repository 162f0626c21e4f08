// Word grouping: word-level engine output into speaker turns.
#include "formats/words.hpp"

#include <algorithm>

namespace callsight::formats {

std::vector<Turn> group_words(const std::vector<Word>& words, double max_pause_s) {
  std::vector<Turn> turns;
  double confidence_sum = 0;
  int confidence_count = 0;
  auto finish = [&] {
    if (!turns.empty() && confidence_count > 0) {
      turns.back().confidence = confidence_sum / confidence_count;
    }
    confidence_sum = 0;
    confidence_count = 0;
  };
  for (const Word& word : words) {
    if (word.text.empty()) {
      continue;
    }
    const bool new_turn = [&] {
      if (turns.empty()) {
        return true;
      }
      const Turn& last = turns.back();
      if (word.punctuation) {
        return false;
      }
      if (last.speaker != word.speaker || last.channel != word.channel) {
        return true;
      }
      return word.start_s && last.end_s && *word.start_s - *last.end_s > max_pause_s;
    }();
    if (new_turn) {
      finish();
      Turn turn;
      turn.speaker = word.speaker;
      turn.channel = word.channel;
      turn.start_s = word.start_s;
      turns.push_back(std::move(turn));
    }
    Turn& turn = turns.back();
    if (!turn.text.empty() && !word.punctuation) {
      turn.text.push_back(' ');
    }
    turn.text += word.text;
    if (word.end_s) {
      turn.end_s = word.end_s;
    } else if (word.start_s && !turn.end_s) {
      turn.end_s = word.start_s;
    }
    if (!turn.start_s && word.start_s) {
      turn.start_s = word.start_s;
    }
    if (word.confidence && !word.punctuation) {
      confidence_sum += *word.confidence;
      ++confidence_count;
    }
  }
  finish();
  return turns;
}

std::vector<Turn> merge_by_start(std::vector<std::vector<Turn>> channels) {
  std::vector<Turn> merged;
  for (auto& channel : channels) {
    for (Turn& turn : channel) {
      merged.push_back(std::move(turn));
    }
  }
  // Turns without a time sort after timed ones, in channel order.
  static constexpr double k_never = 1e300;
  std::stable_sort(merged.begin(), merged.end(), [](const Turn& a, const Turn& b) {
    return a.start_s.value_or(k_never) < b.start_s.value_or(k_never);
  });
  return merged;
}

} // namespace callsight::formats
