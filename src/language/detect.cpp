// Language detection: stop-word scoring over the words the matcher already
// looks up (no extra pass over an English call), per call and per block of
// turns, with CLD2 for calls the lists say nothing about.
#include <algorithm>
#include <cstdio> // compact_lang_det.h uses FILE without including it

#include <cld2/public/compact_lang_det.h>

#include "callsight/language.hpp"
#include "callsight/text.hpp"

namespace callsight {
namespace {

// A list wins when it has at least this many points, this share of points
// per word (conversational text in a listed language scores 0.5-1; another
// language that shares a few short words scores far less), and this many
// times the runner-up's points. Blocks need a clearer margin than whole calls
// before they say the call switched.
constexpr std::uint32_t k_min_points = 4;
constexpr double k_min_points_per_word = 0.25;
constexpr double k_call_margin = 1.5;
constexpr double k_block_margin = 2.0;

struct Verdict {
  int list = -1; // index into stopword_list_languages(), or -1
  double confidence = 0.0;
};

Verdict judge(const LanguageEvidence& evidence, double margin) {
  std::size_t top = 0;
  for (std::size_t i = 1; i < k_stopword_lists; ++i) {
    if (evidence.score[i] > evidence.score[top]) {
      top = i;
    }
  }
  std::uint32_t second = 0;
  for (std::size_t i = 0; i < k_stopword_lists; ++i) {
    if (i != top) {
      second = std::max(second, evidence.score[i]);
    }
  }
  const double points = evidence.score[top];
  if (points < k_min_points || points < k_min_points_per_word * evidence.words ||
      points < margin * second) {
    return {};
  }
  return Verdict{static_cast<int>(top), 1.0 - second / points};
}

std::uint8_t code_index(std::vector<std::string>& codes, std::string_view code) {
  const auto it = std::find(codes.begin(), codes.end(), code);
  if (it != codes.end()) {
    return static_cast<std::uint8_t>(it - codes.begin());
  }
  codes.emplace_back(code);
  return static_cast<std::uint8_t>(codes.size() - 1);
}

// The call's text for CLD2, turns joined by newlines, cut at a character
// boundary after k_cld2_max_bytes.
std::string call_text(const Call& call) {
  std::string text;
  for (const Turn& turn : call.turns) {
    if (text.size() >= k_cld2_max_bytes) {
      break;
    }
    text += turn.text;
    text += '\n';
  }
  if (text.size() > k_cld2_max_bytes) {
    std::size_t cut = k_cld2_max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text.resize(cut);
  }
  return text;
}

// Gives each turn that is clearly in another listed language than the call
// that language: a turn of k_turn_words or more is judged alone; runs of
// shorter or unclear turns of k_block_words or more are judged together; the
// rest follow the turn before them (or, at the start, after them).
void split_turns(std::span<const LanguageEvidence> turns, int main_list,
                 LanguageDecision& decision) {
  const auto lists = stopword_list_languages();
  std::vector<int> verdicts(turns.size(), -1);
  for (std::size_t t = 0; t < turns.size(); ++t) {
    if (turns[t].words >= k_turn_words) {
      verdicts[t] = judge(turns[t], k_block_margin).list;
    }
  }
  for (std::size_t begin = 0; begin < turns.size();) {
    if (verdicts[begin] >= 0) {
      ++begin;
      continue;
    }
    std::size_t end = begin;
    LanguageEvidence run;
    while (end < turns.size() && verdicts[end] < 0) {
      run += turns[end++];
    }
    if (run.words >= k_block_words) {
      std::fill(verdicts.begin() + static_cast<std::ptrdiff_t>(begin),
                verdicts.begin() + static_cast<std::ptrdiff_t>(end),
                judge(run, k_block_margin).list);
    }
    begin = end;
  }
  int previous = -1;
  for (std::size_t t = 0; t < turns.size(); ++t) {
    previous = verdicts[t] >= 0 ? verdicts[t] : previous;
    verdicts[t] = previous;
  }
  int next = main_list;
  for (std::size_t t = turns.size(); t-- > 0;) {
    next = verdicts[t] >= 0 ? verdicts[t] : next;
    if (next != main_list) {
      decision.turn_language[t] = code_index(decision.codes, lists[static_cast<std::size_t>(next)]);
    }
  }
}

} // namespace

const StopwordIndex& StopwordIndex::built_in() {
  static const StopwordIndex index;
  return index;
}

StopwordIndex::StopwordIndex() {
  const auto lists = stopword_list_languages();
  for (std::size_t i = 0; i < lists.size() && i < k_stopword_lists; ++i) {
    const std::string_view text = builtin_stopwords(lists[i]);
    std::size_t begin = 0;
    while (begin < text.size()) {
      const std::size_t end = std::min(text.find('\n', begin), text.size());
      std::string_view line = text.substr(begin, end - begin);
      begin = end + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.remove_suffix(1);
      }
      if (!line.empty() && line.front() != '#') {
        m_masks[normalize_text(line)] |= static_cast<StopwordMask>(1u << i);
      }
    }
  }
}

StopwordMask StopwordIndex::mask(std::string_view normalized) const {
  const auto it = m_masks.find(std::string(normalized));
  return it == m_masks.end() ? 0 : it->second;
}

LanguageEvidence& LanguageEvidence::operator+=(const LanguageEvidence& other) {
  words += other.words;
  for (std::size_t i = 0; i < k_stopword_lists; ++i) {
    score[i] += other.score[i];
  }
  return *this;
}

TextLanguage detect_text_language(std::string_view text) {
  CLD2::Language top3[3];
  int percent3[3] = {0, 0, 0};
  double scores3[3] = {0.0, 0.0, 0.0};
  int text_bytes = 0;
  int valid_bytes = 0;
  bool reliable = false;
  // The checking variant: CLD2 must never read past bad UTF-8 (a fuzzer's
  // bytes); it then answers "unknown".
  const CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), static_cast<int>(std::min<std::size_t>(text.size(), k_cld2_max_bytes)), true,
      nullptr, 0, top3, percent3, scores3, nullptr, &text_bytes, &reliable, &valid_bytes);
  TextLanguage result;
  if (language == CLD2::UNKNOWN_LANGUAGE) {
    return result;
  }
  result.language = CLD2::LanguageCode(language);
  result.confidence = percent3[0] / 100.0;
  result.reliable = reliable;
  return result;
}

LanguageDecision forced_language(std::size_t turns, std::string_view code) {
  LanguageDecision decision;
  decision.call.language = std::string(code);
  decision.call.confidence = 1.0;
  decision.call.reliable = true;
  decision.call.forced = true;
  decision.codes.emplace_back(code);
  decision.turn_language.assign(turns, 0);
  return decision;
}

LanguageDecision detect_call_language(const Call& call, std::span<const LanguageEvidence> turns,
                                      std::string_view fallback) {
  LanguageEvidence whole;
  for (const LanguageEvidence& turn : turns) {
    whole += turn;
  }
  LanguageDecision decision;
  decision.turn_language.assign(turns.size(), 0);
  CallLanguage& verdict = decision.call;
  const Verdict listed = judge(whole, k_call_margin);
  if (listed.list >= 0) {
    verdict.language = stopword_list_languages()[static_cast<std::size_t>(listed.list)];
    verdict.confidence = listed.confidence;
    verdict.reliable = whole.words >= k_min_detect_words;
  } else if (whole.words >= k_min_detect_words) {
    // No list speaks for the call: a language without one, or noise.
    const TextLanguage text = detect_text_language(call_text(call));
    if (text.reliable && !text.language.empty()) {
      verdict.language = text.language;
      verdict.confidence = text.confidence;
      verdict.reliable = true;
    }
  }
  if (!verdict.reliable) {
    verdict.language = std::string(fallback);
  }
  decision.codes.push_back(verdict.language);
  if (listed.list >= 0 && verdict.reliable && whole.words >= 2 * k_block_words) {
    split_turns(turns, listed.list, decision);
  }
  if (decision.codes.size() > 1) {
    std::vector<std::uint64_t> words(decision.codes.size(), 0);
    for (std::size_t t = 0; t < turns.size(); ++t) {
      words[decision.turn_language[t]] += turns[t].words;
    }
    for (std::size_t i = 0; i < decision.codes.size(); ++i) {
      verdict.languages.push_back(LanguageShare{decision.codes[i], words[i]});
    }
    std::stable_sort(verdict.languages.begin(), verdict.languages.end(),
                     [](const LanguageShare& a, const LanguageShare& b) {
                       return a.words != b.words ? a.words > b.words : a.language < b.language;
                     });
  }
  return decision;
}

} // namespace callsight
