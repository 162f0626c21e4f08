// Trimming a string_view by a character predicate, with plain loops:
// find_first_not_of with a set runs memchr over the set for every byte, and
// parsers trim every line of every transcript.
#pragma once
#include <cstddef>
#include <string_view>

namespace callsight {

template <class IsSpace> std::string_view trim_if(std::string_view text, IsSpace is_space) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) {
    ++begin;
  }
  while (end > begin && is_space(text[end - 1])) {
    --end;
  }
  return text.substr(begin, end - begin);
}

} // namespace callsight
