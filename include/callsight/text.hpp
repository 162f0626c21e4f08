// Text: Unicode normalization and case folding (utf8proc), a tokenizer that
// keeps byte offsets, and a Snowball stemmer wrapper (libstemmer).
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace callsight {

/// Appends the normalized form of one word to `out`: NFKC, Unicode case fold,
/// typographic apostrophes folded to '. ASCII words take a fast path.
void normalize_word(std::string_view word, std::string& out);

/// Normalizes a whole string the same way (used for labels and phrases).
std::string normalize_text(std::string_view text);

/// Appends `word` (already normalized) with its accents and other combining
/// marks removed (NFKD, strip marks, recompose, case fold): "annulé" and
/// "ANNULE" both become "annule". For taxonomies that ask for
/// accent-insensitive matching. ASCII words are copied as they are.
void fold_accents(std::string_view normalized, std::string& out);

/// A word in a text: byte offsets into the tokenized string.
struct Token {
  std::uint32_t begin = 0;
  std::uint32_t length = 0;
  /// True when punctuation that ends a clause (. , ; : ! ? and dashes) stands
  /// between this token and the previous one: negation does not cross it.
  bool clause_start = false;
  /// True for the first token of the text, and for a clause start whose
  /// punctuation ends a sentence (. ! ? an ellipsis, or a line break).
  bool sentence_start = false;
};

/// Splits UTF-8 text into words: runs of letters, digits and marks, keeping
/// apostrophes and hyphen-free inner periods out; an apostrophe between two
/// letters stays inside the word ("don't", "o'clock"). Clears `out` first.
void tokenize(std::string_view text, std::vector<Token>& out);

/// Gives each distinct word (its raw bytes: "Cancel" and "cancel" differ) a
/// small id, so the stages after tokenizing find what they know about a word
/// by indexing an array instead of hashing its bytes again. One per thread.
class Vocabulary {
public:
  /// Words longer than this are no word of any taxonomy or lexicon: all get
  /// the id k_long_word.
  static constexpr std::size_t k_max_word_bytes = 64;
  static constexpr std::uint32_t k_long_word = 0;

  Vocabulary();
  ~Vocabulary();
  Vocabulary(const Vocabulary&) = delete;
  Vocabulary& operator=(const Vocabulary&) = delete;

  /// The id of `word` (new ids are size() - 1 after the call). `readable`:
  /// bytes that may be read from word.data() (>= word.size()).
  std::uint32_t intern(std::string_view word, std::size_t readable);
  /// Ids in use: every id is below this.
  std::uint32_t size() const;
  /// Differs between any two vocabularies, and changes when ids are given
  /// anew (clear()): a cache indexed by id starts over when it changes.
  std::uint64_t stamp() const { return m_stamp; }
  void clear();

private:
  struct Table;
  std::unique_ptr<Table> m_table;
  std::uint64_t m_stamp = 0;
};

/// The tokens of every turn of a call, made in one pass so the matcher, the
/// sentiment scorer and the call metrics do not each tokenize the text again.
/// Token offsets are relative to their own turn's text; each token also has
/// its word's id in vocabulary().
class TurnTokens {
public:
  void clear();
  /// Tokenizes the next turn's text and appends its tokens.
  void add_turn(std::string_view text);
  std::size_t turns() const { return m_offsets.size() - 1; }
  std::size_t total_tokens() const { return m_tokens.size(); }
  std::span<const Token> turn(std::size_t index) const {
    return std::span<const Token>(m_tokens).subspan(m_offsets[index],
                                                    m_offsets[index + 1] - m_offsets[index]);
  }
  /// The word ids of turn(index)'s tokens.
  std::span<const std::uint32_t> words(std::size_t index) const {
    return std::span<const std::uint32_t>(m_words).subspan(m_offsets[index],
                                                           m_offsets[index + 1] - m_offsets[index]);
  }
  const Vocabulary& vocabulary() const { return m_vocabulary; }

private:
  std::vector<Token> m_tokens;
  std::vector<std::uint32_t> m_words;      ///< one per token
  std::vector<std::uint32_t> m_offsets{0}; ///< turn t is [m_offsets[t], m_offsets[t + 1])
  Vocabulary m_vocabulary;
};

/// Tokenizes every element's `.text` (a call's turns) into `out`, replacing it.
template <class Turns> void tokenize_turns(const Turns& turns, TurnTokens& out) {
  out.clear();
  for (const auto& turn : turns) {
    out.add_turn(turn.text);
  }
}

/// Snowball stemmer for one language. Not thread-safe: one per thread.
class Stemmer {
public:
  /// Throws std::invalid_argument for a language libstemmer does not know.
  explicit Stemmer(const std::string& language);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  /// Stem of an already normalized word; valid until the next call.
  std::string_view stem(std::string_view word);
  const std::string& language() const { return m_language; }

private:
  std::string m_language;
  sb_stemmer* m_stemmer = nullptr;
};

/// Snowball languages this build can stem ("english", "spanish", ...), sorted.
std::vector<std::string> stemmer_languages();

/// Maps a language code or name ("en", "English") to libstemmer's name, or ""
/// when unknown.
std::string stemmer_language_name(std::string_view code_or_name);

/// The ISO 639-1 code of a libstemmer language ("spanish" -> "es"), or the
/// name itself when it has none ("porter").
std::string language_code(std::string_view stemmer_name);

/// The built-in stop-word list (data/stopwords_<code>.txt: one word a line,
/// '#' comments) of a language given by code or name, or "" when there is none.
std::string_view builtin_stopwords(std::string_view code_or_name);

/// ISO codes of the languages with a built-in stop-word list, in a fixed order.
std::span<const std::string_view> stopword_list_languages();

} // namespace callsight
