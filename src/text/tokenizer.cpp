// Tokenizer: splits UTF-8 text into words with byte offsets, marking where
// clause punctuation separates two words (negation does not cross it).
#include <array>

#include <utf8proc.h>

#include "callsight/text.hpp"

namespace callsight {
namespace {

enum class CharClass : unsigned char { separator, word, clause_break, apostrophe, number_joiner };

constexpr std::array<CharClass, 128> make_ascii_classes() {
  std::array<CharClass, 128> classes{};
  for (auto& c : classes) {
    c = CharClass::separator;
  }
  for (int c = 'a'; c <= 'z'; ++c) {
    classes[static_cast<std::size_t>(c)] = CharClass::word;
  }
  for (int c = 'A'; c <= 'Z'; ++c) {
    classes[static_cast<std::size_t>(c)] = CharClass::word;
  }
  for (int c = '0'; c <= '9'; ++c) {
    classes[static_cast<std::size_t>(c)] = CharClass::word;
  }
  for (char c : {'.', '!', '?', ';', ':', '(', ')', '[', ']'}) {
    classes[static_cast<std::size_t>(c)] = CharClass::clause_break;
  }
  classes[static_cast<std::size_t>(',')] = CharClass::number_joiner;
  classes[static_cast<std::size_t>('\'')] = CharClass::apostrophe;
  return classes;
}

constexpr std::array<CharClass, 128> k_ascii_classes = make_ascii_classes();

bool is_ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Classifies the code point at `pos` and sets `length` to its byte length.
CharClass classify(std::string_view text, std::size_t pos, std::size_t& length) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) {
    length = 1;
    return k_ascii_classes[c];
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

} // namespace

void tokenize(std::string_view text, std::vector<Token>& out) {
  out.clear();
  bool pending_break = true; // the first word starts a clause
  std::size_t pos = 0;
  const std::size_t size = text.size();
  while (pos < size) {
    std::size_t length = 0;
    const CharClass cls = classify(text, pos, length);
    if (cls != CharClass::word) {
      if (cls == CharClass::clause_break || cls == CharClass::number_joiner) {
        pending_break = true;
      }
      pos += length;
      continue;
    }
    // A word: extend over word characters, inner apostrophes ("don't") and
    // separators inside numbers ("1,250.50").
    const std::size_t begin = pos;
    pos += length;
    while (pos < size) {
      const auto c = static_cast<unsigned char>(text[pos]);
      if (c < 0x80 && k_ascii_classes[c] == CharClass::word) {
        ++pos;
        continue;
      }
      std::size_t next_length = 0;
      const CharClass next = classify(text, pos, next_length);
      if (next == CharClass::word) {
        pos += next_length;
        continue;
      }
      const std::size_t after = pos + next_length;
      if (after < size) {
        std::size_t follow_length = 0;
        const CharClass follow = classify(text, after, follow_length);
        const bool joins_letters = next == CharClass::apostrophe && follow == CharClass::word;
        const bool joins_digits = (c == '.' || c == ',') &&
                                  is_ascii_digit(static_cast<unsigned char>(text[pos - 1])) &&
                                  is_ascii_digit(static_cast<unsigned char>(text[after]));
        if (joins_letters || joins_digits) {
          pos = after + follow_length;
          continue;
        }
      }
      break;
    }
    out.push_back(Token{static_cast<std::uint32_t>(begin),
                        static_cast<std::uint32_t>(pos - begin), pending_break});
    pending_break = false;
  }
}

} // namespace callsight
