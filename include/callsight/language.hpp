// Language detection: which language a call (and each block of its turns) is
// in, from the built-in stop-word lists, with CLD2 (libcld2) for languages
// that have no list. See docs/LANGUAGES.md.
#pragma once
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "callsight/call.hpp"

namespace callsight {

/// Languages with a built-in stop-word list (stopword_list_languages()).
inline constexpr std::size_t k_stopword_lists = 7;

/// Bit i set: the word is in the list of stopword_list_languages()[i].
using StopwordMask = std::uint8_t;

/// The built-in stop-word lists, merged into one table for detection.
class StopwordIndex {
public:
  static const StopwordIndex& built_in();
  /// Lists that contain `normalized` (a word as normalize_word() gives it).
  StopwordMask mask(std::string_view normalized) const;

private:
  StopwordIndex();
  std::unordered_map<std::string, StopwordMask> m_masks;
};

/// Stop-word evidence of some words: per list, 2 points for each word found
/// only in that list and 1 for each word it shares with other lists.
struct LanguageEvidence {
  std::uint32_t words = 0;
  std::array<std::uint32_t, k_stopword_lists> score{};
  void add(StopwordMask mask) {
    if (mask == 0) {
      return;
    }
    const std::uint32_t points = (mask & (mask - 1)) == 0 ? 2 : 1;
    for (unsigned bits = mask; bits != 0; bits &= bits - 1) {
      score[static_cast<std::size_t>(std::countr_zero(bits))] += points;
    }
  }
  LanguageEvidence& operator+=(const LanguageEvidence& other);
};

/// Words of the call in one language.
struct LanguageShare {
  std::string language; ///< ISO 639-1 code
  std::uint64_t words = 0;
  bool operator==(const LanguageShare&) const = default;
};

/// The per-call verdict reported in the per-call output.
struct CallLanguage {
  std::string language;                 ///< ISO 639-1 code of the main language
  double confidence = 0.0;              ///< 0..1
  bool reliable = false;                ///< false: too little text; `language` is the fallback
  bool forced = false;                  ///< set by --language, not detected
  std::vector<LanguageShare> languages; ///< when turns are in more than one language
  bool operator==(const CallLanguage&) const = default;
};

/// A call's language and each turn's.
struct LanguageDecision {
  CallLanguage call;
  std::vector<std::string> codes;          ///< distinct languages; codes[0] is the main one
  std::vector<std::uint8_t> turn_language; ///< per turn: index into `codes`
};

/// Tuning of detection (docs/LANGUAGES.md explains each).
inline constexpr std::uint32_t k_min_detect_words = 15; ///< fewer words: unreliable
inline constexpr std::uint32_t k_turn_words = 8;        ///< a turn is judged alone from here
inline constexpr std::uint32_t k_block_words = 20;      ///< shorter turns: runs judged from here
inline constexpr std::size_t k_cld2_max_bytes = 16384;  ///< text CLD2 reads of one call

/// Decides the language of a call whose turn t has the stop-word evidence
/// `turns[t]`. When the lists do not tell (a language without a list), CLD2
/// reads the call's text. Calls of at least 2 * k_block_words words are
/// also judged turn by turn (turns of >= k_turn_words words alone, runs of
/// shorter turns of >= k_block_words together, the rest like the turn
/// before), so a call that switches language gets each turn's language.
/// With too little evidence the call is in `fallback` and not reliable.
LanguageDecision detect_call_language(const Call& call, std::span<const LanguageEvidence> turns,
                                      std::string_view fallback);

/// Every turn in `code` (--language).
LanguageDecision forced_language(std::size_t turns, std::string_view code);

/// CLD2's verdict on a text (UTF-8, at most k_cld2_max_bytes read): ISO code ("" when unknown), the
/// share of the text in that language (0..1) and whether CLD2 finds it reliable.
struct TextLanguage {
  std::string language;
  double confidence = 0.0;
  bool reliable = false;
};
TextLanguage detect_text_language(std::string_view text);

} // namespace callsight
