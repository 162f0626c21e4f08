// Fixed-width decimal fields, as in ISO dates and times ("2026-10-05T09:14").
#pragma once
#include <cstddef>
#include <string_view>

namespace callsight::util {

/// True when text[at, at + count) exists and is all ASCII digits.
inline bool digits_at(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) {
    return false;
  }
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

/// The value of text[at, at + count), which digits_at has checked.
inline int number_at(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

} // namespace callsight::util
