// Phrase syntax: words (stemmed), "exact" words, prefix* words, and one
// optional `A NEAR/n B`. Phrase words go through the same tokenizer and
// normalizer as transcript text, so a phrase means what the matcher sees.
#include <algorithm>
#include <charconv>

#include "callsight/taxonomy.hpp"
#include "callsight/text.hpp"

namespace callsight {
namespace {

constexpr std::string_view k_near = "NEAR";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class PhraseParser {
public:
  PhraseParser(std::string_view phrase, ParsedPhrase& out) : m_phrase(phrase), m_out(out) {}

  std::optional<PhraseError> run() {
    if (std::count(m_phrase.begin(), m_phrase.end(), '"') % 2 != 0) {
      return PhraseError{"unbalanced quote", k_whole_phrase};
    }
    bool in_quotes = false;
    std::size_t pos = 0;
    while (true) {
      const std::size_t quote = m_phrase.find('"', pos);
      const std::size_t end = quote == std::string_view::npos ? m_phrase.size() : quote;
      if (auto error = in_quotes ? quoted(pos, end) : unquoted(pos, end)) {
        return error;
      }
      if (quote == std::string_view::npos) {
        break;
      }
      in_quotes = !in_quotes;
      pos = quote + 1;
    }
    if (m_out.terms.empty()) {
      return PhraseError{"phrase has no words", k_whole_phrase};
    }
    if (m_out.near_distance > 0 && m_out.near_split == m_out.terms.size()) {
      return PhraseError{"NEAR needs words after it, as in \"cancel NEAR/3 account\"", m_near_at};
    }
    return std::nullopt;
  }

private:
  std::optional<PhraseError> quoted(std::size_t begin, std::size_t end) {
    const std::string_view segment = m_phrase.substr(begin, end - begin);
    if (segment.find('*') != std::string_view::npos) {
      return PhraseError{"'*' inside quotes (quoted words match exactly)", k_whole_phrase};
    }
    tokenize(segment, m_tokens);
    if (m_tokens.empty()) {
      return PhraseError{"empty quotes", k_whole_phrase};
    }
    std::size_t word = 0;
    while (word < segment.size()) {
      // Each whitespace-separated word, for notes about how it is matched.
      while (word < segment.size() && is_space(segment[word])) {
        ++word;
      }
      std::size_t word_end = word;
      while (word_end < segment.size() && !is_space(segment[word_end])) {
        ++word_end;
      }
      if (word_end > word) {
        add_words(begin + word, segment.substr(word, word_end - word), TermKind::exact, false);
      }
      word = word_end;
    }
    return std::nullopt;
  }

  std::optional<PhraseError> unquoted(std::size_t begin, std::size_t end) {
    std::size_t i = begin;
    while (i < end) {
      while (i < end && is_space(m_phrase[i])) {
        ++i;
      }
      const std::size_t chunk_begin = i;
      while (i < end && !is_space(m_phrase[i])) {
        ++i;
      }
      if (i > chunk_begin) {
        if (auto error = chunk(chunk_begin, m_phrase.substr(chunk_begin, i - chunk_begin))) {
          return error;
        }
      }
    }
    return std::nullopt;
  }

  // One whitespace-free piece outside quotes: NEAR/n, or words where a
  // trailing '*' makes the last one a prefix.
  std::optional<PhraseError> chunk(std::size_t offset, std::string_view text) {
    if (text.starts_with(k_near) && (text.size() == k_near.size() || text[k_near.size()] == '/')) {
      return near(offset, text);
    }
    const std::size_t star = text.find('*');
    const bool prefix = star != std::string_view::npos;
    if (prefix) {
      if (text == "*") {
        return PhraseError{"lone '*' (a wildcard must end a word, as in \"cancel*\")",
                           k_whole_phrase};
      }
      if (star != text.size() - 1) {
        return PhraseError{"'*' inside a word (a wildcard may only end a word, as in \"cancel*\")",
                           k_whole_phrase};
      }
      text.remove_suffix(1);
      tokenize(text, m_tokens);
      if (m_tokens.empty() || m_tokens.back().begin + m_tokens.back().length != text.size()) {
        return PhraseError{"'*' must directly follow a letter or digit, as in \"cancel*\"",
                           k_whole_phrase};
      }
    }
    add_words(offset, text, TermKind::stem, prefix);
    return std::nullopt;
  }

  std::optional<PhraseError> near(std::size_t offset, std::string_view text) {
    const std::string_view digits = text.substr(std::min(text.size(), k_near.size() + 1));
    unsigned distance = 0;
    const auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), distance);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
      return PhraseError{"NEAR needs a distance in words, as in \"cancel NEAR/3 account\"", offset};
    }
    if (distance < 1 || distance > k_max_near_distance) {
      return PhraseError{"NEAR/" + std::string(digits) + ": the distance must be 1 to " +
                             std::to_string(k_max_near_distance) + " words",
                         offset};
    }
    if (m_out.near_distance > 0) {
      return PhraseError{"only one NEAR per phrase (combine phrases with a rule's \"all_of\")",
                         offset};
    }
    if (m_out.terms.empty()) {
      return PhraseError{"NEAR needs words before it, as in \"cancel NEAR/3 account\"", offset};
    }
    m_out.near_distance = distance;
    m_out.near_split = static_cast<std::uint32_t>(m_out.terms.size());
    m_near_at = offset;
    return std::nullopt;
  }

  // The words the tokenizer finds in one written word, and a note when that
  // is not exactly one word.
  void add_words(std::size_t offset, std::string_view word, TermKind kind, bool prefix) {
    tokenize(word, m_tokens);
    PhraseWordNote note{PhraseWordNote::Kind::dropped, offset, std::string(word), {}};
    if (m_tokens.empty()) {
      m_out.notes.push_back(std::move(note));
      return;
    }
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
      PhraseTerm term;
      term.kind = prefix && i + 1 == m_tokens.size() ? TermKind::prefix : kind;
      const std::string_view raw = word.substr(m_tokens[i].begin, m_tokens[i].length);
      normalize_word(raw, term.text);
      if (raw.size() > k_max_phrase_word_bytes) {
        m_out.notes.push_back(PhraseWordNote{
            PhraseWordNote::Kind::too_long, offset + m_tokens[i].begin, std::string(raw), {}});
      }
      if (i > 0) {
        note.words += ' ';
      }
      note.words += term.text;
      m_out.terms.push_back(std::move(term));
    }
    // A word that only lost punctuation at its ends ("(quote),") is still one
    // word; one cut into several ("e-mail") is worth a note.
    if (m_tokens.size() > 1) {
      note.kind = PhraseWordNote::Kind::split;
      m_out.notes.push_back(std::move(note));
    }
  }

  std::string_view m_phrase;
  ParsedPhrase& m_out;
  std::vector<Token> m_tokens;
  std::size_t m_near_at = 0;
};

} // namespace

std::optional<PhraseError> parse_phrase(std::string_view phrase, ParsedPhrase& out) {
  out = ParsedPhrase{};
  std::optional<PhraseError> error = PhraseParser(phrase, out).run();
  if (error) {
    out = ParsedPhrase{};
  }
  return error;
}

} // namespace callsight
