// Normalization: NFKC + Unicode case folding through utf8proc, with an ASCII
// fast path because nearly every word in an English transcript is ASCII.
#include <cstdlib>
#include <cstring>

#include <utf8proc.h>

#include "callsight/text.hpp"

namespace callsight {
namespace {

constexpr std::string_view k_right_single_quote = "\xE2\x80\x99"; // U+2019
constexpr std::string_view k_modifier_apostrophe = "\xCA\xBC";    // U+02BC

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) {
      return false;
    }
  }
  return true;
}

void append_ascii_lower(std::string_view s, std::string& out) {
  const std::size_t base = out.size();
  out.resize(base + s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    out[base + i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
}

// Typographic apostrophes fold to ' so "don’t" and "don't" are one word.
std::string fold_apostrophes(std::string_view word) {
  std::string folded;
  folded.reserve(word.size());
  std::size_t i = 0;
  while (i < word.size()) {
    const std::string_view rest = word.substr(i);
    if (rest.starts_with(k_right_single_quote)) {
      folded.push_back('\'');
      i += k_right_single_quote.size();
    } else if (rest.starts_with(k_modifier_apostrophe)) {
      folded.push_back('\'');
      i += k_modifier_apostrophe.size();
    } else {
      folded.push_back(word[i]);
      ++i;
    }
  }
  return folded;
}

} // namespace

void normalize_word(std::string_view word, std::string& out) {
  if (is_ascii(word)) {
    append_ascii_lower(word, out);
    return;
  }
  const std::string folded = fold_apostrophes(word);
  utf8proc_uint8_t* mapped = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                      UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(folded.data()),
                   static_cast<utf8proc_ssize_t>(folded.size()), &mapped, options);
  if (length < 0) {
    // Decoded input is valid UTF-8, so this is unreachable in the pipeline;
    // keep the word rather than lose it.
    out.append(folded);
    return;
  }
  out.append(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
  std::free(mapped);
}

void fold_accents(std::string_view normalized, std::string& out) {
  if (is_ascii(normalized)) {
    out.append(normalized);
    return;
  }
  utf8proc_uint8_t* mapped = nullptr;
  // STRIPMARK drops the combining marks that decomposition splits off
  // ("é" is e + U+0301); COMPOSE puts back what is left.
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(normalized.data()),
                   static_cast<utf8proc_ssize_t>(normalized.size()), &mapped, options);
  if (length < 0) {
    out.append(normalized); // invalid UTF-8 cannot reach here; keep the word
    return;
  }
  out.append(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
  std::free(mapped);
}

std::string normalize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  normalize_word(text, out);
  return out;
}

} // namespace callsight
