// Phrase count tables: merging, reference frequencies (exact or estimated),
// the G2 keyness statistic, and the word and frequency lists that ship in data/.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "callsight/discover.hpp"
#include "callsight/text.hpp"

namespace callsight {

namespace detail {
extern const std::string_view k_default_background_en;
} // namespace detail

std::string_view default_stopwords_en() {
  return builtin_stopwords("en");
}

std::string_view default_background_en() {
  return detail::k_default_background_en;
}

std::string_view PhraseEntry::surface() const {
  const std::pair<std::string, std::uint64_t>* best = nullptr;
  for (const auto& candidate : surfaces) {
    if (best == nullptr || candidate.second > best->second ||
        (candidate.second == best->second && candidate.first < best->first)) {
      best = &candidate;
    }
  }
  return best != nullptr ? std::string_view(best->first) : std::string_view();
}

void PhraseEntry::add_surface(std::string_view surface, std::uint64_t count) {
  auto it = std::find_if(surfaces.begin(), surfaces.end(),
                         [&](const auto& s) { return s.first == surface; });
  if (it == surfaces.end()) {
    surfaces.emplace_back(surface, count);
  } else {
    it->second += count;
  }
}

PhraseCounts& PhraseCounts::operator+=(const PhraseCounts& other) {
  calls += other.calls;
  tokens += other.tokens;
  max_words = std::max(max_words, other.max_words);
  for (const auto& [key, theirs] : other.phrases) {
    PhraseEntry& ours = phrases[key];
    ours.frequency += theirs.frequency;
    ours.calls += theirs.calls;
    ours.first = std::min(ours.first, theirs.first);
    for (const auto& [surface, count] : theirs.surfaces) {
      ours.add_surface(surface, count);
    }
  }
  return *this;
}

namespace {

std::vector<std::string_view> split_words(std::string_view key) {
  std::vector<std::string_view> words;
  std::size_t begin = 0;
  while (begin <= key.size()) {
    const std::size_t space = std::min(key.find(' ', begin), key.size());
    if (space > begin) {
      words.push_back(key.substr(begin, space - begin));
    }
    begin = space + 1;
  }
  return words;
}

// The phrase made of words [from, to) of `key`.
std::string_view span_of(std::string_view key, const std::vector<std::string_view>& words,
                         std::size_t from, std::size_t to) {
  const auto begin = static_cast<std::size_t>(words[from].data() - key.data());
  const auto end =
      static_cast<std::size_t>(words[to - 1].data() + words[to - 1].size() - key.data());
  return key.substr(begin, end - begin);
}

} // namespace

double PhraseCounts::frequency(std::string_view key) const {
  auto count = [&](std::string_view phrase) -> double {
    const auto it = phrases.find(std::string(phrase));
    return it != phrases.end() ? static_cast<double>(it->second.frequency) : 0.0;
  };
  const std::vector<std::string_view> words = split_words(key);
  const std::size_t k = max_words;
  if (words.size() <= k || k == 0) {
    return count(key);
  }
  // Chain rule: each further word is predicted from the k-1 words before it.
  double estimate = count(span_of(key, words, 0, k));
  for (std::size_t i = 1; i + k <= words.size() && estimate > 0; ++i) {
    const double history =
        k > 1 ? count(span_of(key, words, i, i + k - 1)) : static_cast<double>(tokens);
    estimate = history > 0 ? estimate * count(span_of(key, words, i, i + k)) / history : 0.0;
  }
  return estimate;
}

double log_likelihood_g2(double target, double target_total, double reference,
                         double reference_total) {
  if (target_total <= 0 || reference_total <= 0 || target + reference <= 0) {
    return 0.0;
  }
  const double total = target_total + reference_total;
  const double expected_target = target_total * (target + reference) / total;
  const double expected_reference = reference_total * (target + reference) / total;
  auto term = [](double observed, double expected) {
    return observed > 0 ? observed * std::log(observed / expected) : 0.0;
  };
  const double g2 = 2.0 * (term(target, expected_target) + term(reference, expected_reference));
  const bool over = target / target_total >= reference / reference_total;
  return over ? g2 : -g2;
}

std::unordered_set<std::string> parse_word_list(std::string_view text) {
  std::unordered_set<std::string> words;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      line.remove_prefix(1);
    }
    if (!line.empty() && line.front() != '#') {
      words.insert(normalize_text(line));
    }
  }
  return words;
}

std::optional<PhraseCounts> parse_frequency_list(std::string_view text, Stemmer& stemmer,
                                                 std::string& error) {
  PhraseCounts counts;
  counts.max_words = 0;
  bool have_tokens = false;
  std::size_t line_number = 0;
  std::size_t begin = 0;
  std::vector<Token> tokens;
  std::string normalized;
  auto fail = [&](const std::string& reason) {
    error = "line " + std::to_string(line_number) + ": " + reason;
    return std::nullopt;
  };
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos || line.find('\t', tab + 1) != std::string_view::npos) {
      return fail("expected two tab-separated fields: phrase and count");
    }
    const std::string_view phrase = line.substr(0, tab);
    const std::string_view number = line.substr(tab + 1);
    std::uint64_t count = 0;
    const auto [rest, ec] = std::from_chars(number.data(), number.data() + number.size(), count);
    if (ec != std::errc() || rest != number.data() + number.size() || number.empty()) {
      return fail("count '" + std::string(number) + "' is not a whole number");
    }
    if (!have_tokens) {
      if (phrase != "@tokens" || count == 0) {
        return fail("the first line must be '@tokens<TAB>N' (words in the source corpus, N > 0)");
      }
      counts.tokens = count;
      have_tokens = true;
      continue;
    }
    tokenize(phrase, tokens);
    if (tokens.empty() || tokens.size() > k_max_phrase_words) {
      return fail("a phrase needs 1 to " + std::to_string(k_max_phrase_words) + " words");
    }
    std::string key;
    std::string surface;
    for (const Token& token : tokens) {
      normalized.clear();
      normalize_word(phrase.substr(token.begin, token.length), normalized);
      if (!key.empty()) {
        key += ' ';
        surface += ' ';
      }
      key += stemmer.stem(normalized);
      surface += normalized;
    }
    PhraseEntry& entry = counts.phrases[key];
    entry.frequency += count;
    entry.add_surface(surface, count);
    counts.max_words = std::max(counts.max_words, tokens.size());
  }
  if (!have_tokens) {
    error = "empty frequency list: the first line must be '@tokens<TAB>N'";
    return std::nullopt;
  }
  return counts;
}

} // namespace callsight
