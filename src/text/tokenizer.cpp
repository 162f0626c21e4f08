// Tokenizer: splits UTF-8 text into words with byte offsets, marking where
// clause punctuation separates two words (negation does not cross it).
#include <array>
#include <atomic>
#include <bit>
#include <cstring>

#include <utf8proc.h>

#include "callsight/text.hpp"

#include "util/word_table.hpp"

namespace callsight {
namespace {

enum class CharClass : unsigned char { separator, word, clause_break, apostrophe, number_joiner };

// Byte classes for the fast path. Bytes >= 0x80 are `high`: the start or
// continuation of a multi-byte character, classified through utf8proc.
enum ByteClass : unsigned char { b_separator, b_word, b_break, b_apostrophe, b_joiner, b_high };

constexpr std::array<ByteClass, 256> make_byte_classes() {
  std::array<ByteClass, 256> classes{};
  for (auto& c : classes) {
    c = b_separator;
  }
  for (int c = 'a'; c <= 'z'; ++c) {
    classes[static_cast<std::size_t>(c)] = b_word;
  }
  for (int c = 'A'; c <= 'Z'; ++c) {
    classes[static_cast<std::size_t>(c)] = b_word;
  }
  for (int c = '0'; c <= '9'; ++c) {
    classes[static_cast<std::size_t>(c)] = b_word;
  }
  for (char c : {'!', '?', ';', ':', '(', ')', '[', ']'}) {
    classes[static_cast<std::size_t>(c)] = b_break;
  }
  // '.' and ',' end a clause, except between digits ("1,250.50").
  classes[static_cast<std::size_t>('.')] = b_joiner;
  classes[static_cast<std::size_t>(',')] = b_joiner;
  classes[static_cast<std::size_t>('\'')] = b_apostrophe;
  for (std::size_t c = 0x80; c < 256; ++c) {
    classes[c] = b_high;
  }
  return classes;
}

constexpr std::array<ByteClass, 256> k_byte_classes = make_byte_classes();

// ASCII bytes that end a sentence when they stand between two words.
constexpr std::array<bool, 256> make_sentence_ends() {
  std::array<bool, 256> ends{};
  for (char c : {'.', '!', '?', '\n'}) {
    ends[static_cast<std::size_t>(c)] = true;
  }
  return ends;
}
constexpr std::array<bool, 256> k_sentence_ends = make_sentence_ends();

ByteClass byte_class(char c) {
  return k_byte_classes[static_cast<unsigned char>(c)];
}

bool is_ascii_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

// Classifies the code point at `pos` and sets `length` to its byte length.
CharClass classify(std::string_view text, std::size_t pos, std::size_t& length) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) {
    length = 1;
    switch (k_byte_classes[c]) {
    case b_word:
      return CharClass::word;
    case b_break:
      return CharClass::clause_break;
    case b_joiner:
      return CharClass::number_joiner;
    case b_apostrophe:
      return CharClass::apostrophe;
    default:
      return CharClass::separator;
    }
  }
  utf8proc_int32_t cp = 0;
  const utf8proc_ssize_t n =
      utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                       static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (n <= 0) {
    length = 1;
    return CharClass::separator;
  }
  length = static_cast<std::size_t>(n);
  switch (cp) {
  case 0x2019: // right single quotation mark, the usual typographic apostrophe
  case 0x02BC: // modifier letter apostrophe
    return CharClass::apostrophe;
  case 0x2013: // en dash
  case 0x2014: // em dash
  case 0x2026: // ellipsis
  case 0x00A1: // inverted exclamation mark
  case 0x00BF: // inverted question mark
  case 0x3002: // ideographic full stop
    return CharClass::clause_break;
  default:
    break;
  }
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return CharClass::word;
  default:
    return CharClass::separator;
  }
}

// 0x80 in each byte of `chunk` (eight bytes, little-endian) that is an ASCII
// letter or digit, 0 elsewhere: eight byte classes in a dozen integer
// operations. No byte carries into the next (every sum stays below 0x100).
constexpr std::uint64_t k_ones = 0x0101010101010101ull;
constexpr std::uint64_t k_high_bits = 0x80 * k_ones;

std::uint64_t ascii_word_bytes(std::uint64_t chunk) {
  const std::uint64_t low7 = chunk & ~k_high_bits;
  const std::uint64_t folded = low7 | (0x20 * k_ones); // 'A'-'Z' -> 'a'-'z'
  const std::uint64_t letter = (folded + (0x80 - 'a') * k_ones) & ~(folded + (0x7F - 'z') * k_ones);
  const std::uint64_t digit = (low7 + (0x80 - '0') * k_ones) & ~(low7 + (0x7F - '9') * k_ones);
  return (letter | digit) & ~chunk & k_high_bits;
}

// Calls on_word(Token) for each word of `text`.
template <class OnWord> void tokenize_with(std::string_view text, OnWord&& on_word) {
  bool pending_break = true;    // the first word starts a clause
  bool pending_sentence = true; // and a sentence
  std::size_t pos = 0;
  const std::size_t size = text.size();
  const char* data = text.data();
  while (pos < size) {
    // Skip to the next word, noting clause punctuation on the way.
    const ByteClass first = byte_class(data[pos]);
    std::size_t length = 1;
    if (first != b_word) {
      if (first == b_high) {
        const CharClass cls = classify(text, pos, length);
        if (cls != CharClass::word) {
          pending_break = pending_break || cls == CharClass::clause_break;
          pending_sentence = pending_sentence || text.substr(pos).starts_with("\xE2\x80\xA6");
          pos += length;
          continue;
        }
      } else {
        pending_break = pending_break || first == b_break || first == b_joiner;
        pending_sentence =
            pending_sentence || k_sentence_ends[static_cast<unsigned char>(data[pos])];
        ++pos;
        continue;
      }
    }
    // A word: extend over word characters, inner apostrophes ("don't") and
    // separators inside numbers ("1,250.50").
    const std::size_t begin = pos;
    pos += length;
    while (pos < size) {
      // Plain ASCII letters and digits eight at a time; the byte after them
      // decides below.
      while (pos + 8 <= size) {
        std::uint64_t chunk = 0;
        std::memcpy(&chunk, data + pos, 8);
        const std::uint64_t other = ~ascii_word_bytes(chunk) & k_high_bits;
        if (other == 0) {
          pos += 8;
          continue;
        }
        pos += static_cast<std::size_t>(std::countr_zero(other)) / 8;
        break;
      }
      if (pos >= size) {
        break;
      }
      const ByteClass next = byte_class(data[pos]);
      if (next == b_word) {
        ++pos;
        continue;
      }
      if (next == b_separator || next == b_break) {
        break;
      }
      if (next == b_joiner) {
        if (pos + 1 < size && is_ascii_digit(static_cast<unsigned char>(data[pos - 1])) &&
            is_ascii_digit(static_cast<unsigned char>(data[pos + 1]))) {
          pos += 2;
          continue;
        }
        break;
      }
      std::size_t next_length = 1;
      const CharClass cls =
          next == b_high ? classify(text, pos, next_length) : CharClass::apostrophe;
      if (cls == CharClass::word) {
        pos += next_length;
        continue;
      }
      if (cls == CharClass::apostrophe && pos + next_length < size) {
        std::size_t follow_length = 0;
        if (classify(text, pos + next_length, follow_length) == CharClass::word) {
          pos += next_length + follow_length;
          continue;
        }
      }
      break;
    }
    on_word(Token{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(pos - begin),
                  pending_break, pending_break && pending_sentence});
    pending_break = false;
    pending_sentence = false;
  }
}

void tokenize_into(std::string_view text, std::vector<Token>& out) {
  tokenize_with(text, [&out](const Token& token) { out.push_back(token); });
}

} // namespace

void tokenize(std::string_view text, std::vector<Token>& out) {
  out.clear();
  tokenize_into(text, out);
}

namespace {

// The vocabulary starts over (new ids, new stamp) between calls once it has
// this many words, so memory stays bounded on corpora with unbounded
// vocabularies (ids, numbers, typos): about 8 MB per thread with the
// matcher's and the sentiment scorer's caches, which start over with it.
// Starting over costs a re-stemming of the words in use, a few ms; the bench
// corpus (about 3 new words a call once the common ones are known) does it
// every ~30,000 calls.
constexpr std::uint32_t k_max_vocabulary_words = 1u << 17;

std::uint64_t next_vocabulary_stamp() {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

} // namespace

struct Vocabulary::Table {
  WordTable words;
  std::uint32_t size = 1; // id 0 is k_long_word
};

Vocabulary::Vocabulary() : m_table(std::make_unique<Table>()), m_stamp(next_vocabulary_stamp()) {}
Vocabulary::~Vocabulary() = default;

std::uint32_t Vocabulary::intern(std::string_view word, std::size_t readable) {
  if (word.size() > k_max_word_bytes) {
    return k_long_word;
  }
  WordTable& words = m_table->words;
  std::uint32_t id = words.find(word, WordTable::head_of(word, readable));
  if (id == WordTable::k_missing) {
    id = m_table->size++;
    words.insert(word, id);
  }
  return id;
}

std::uint32_t Vocabulary::size() const {
  return m_table->size;
}

void Vocabulary::clear() {
  m_table->words.clear();
  m_table->size = 1;
  m_stamp = next_vocabulary_stamp();
}

void TurnTokens::clear() {
  m_tokens.clear();
  m_words.clear();
  m_offsets.assign(1, 0);
  if (m_vocabulary.size() >= k_max_vocabulary_words) {
    m_vocabulary.clear(); // only between calls: a call's ids stay valid while it is tagged
  }
}

// Flattened: the word-id lookup of every token is inlined into the loop
// (GCC otherwise keeps Vocabulary::intern a call per token).
[[gnu::flatten]] void TurnTokens::add_turn(std::string_view text) {
  // Each word is interned as it is found, while its bytes are in cache.
  tokenize_with(text, [&](const Token& token) {
    m_tokens.push_back(token);
    m_words.push_back(
        m_vocabulary.intern(text.substr(token.begin, token.length), text.size() - token.begin));
  });
  m_offsets.push_back(static_cast<std::uint32_t>(m_tokens.size()));
}

} // namespace callsight
