// Text: Unicode normalization and case folding (utf8proc), a tokenizer that
// keeps byte offsets, and a Snowball stemmer wrapper (libstemmer).
#pragma once
#include <cstdint>
#include <memory>
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

/// A word in a text: byte offsets into the tokenized string.
struct Token {
  std::uint32_t begin = 0;
  std::uint32_t length = 0;
  /// True when punctuation that ends a clause (. , ; : ! ? and dashes) stands
  /// between this token and the previous one: negation does not cross it.
  bool clause_start = false;
};

/// Splits UTF-8 text into words: runs of letters, digits and marks, keeping
/// apostrophes and hyphen-free inner periods out; an apostrophe between two
/// letters stays inside the word ("don't", "o'clock"). Clears `out` first.
void tokenize(std::string_view text, std::vector<Token>& out);

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

} // namespace callsight
