// Number formatting shared by the report writers, so JSON and CSV agree.
#pragma once
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace callsight {

/// Shortest decimal form of a ratio already rounded to 4 places.
inline std::string format_ratio(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

/// Cents as a decimal amount with two places ("-3.05").
inline std::string format_cents(std::int64_t cents) {
  const bool negative = cents < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(cents + 1)) + 1 : static_cast<std::uint64_t>(cents);
  std::string text = std::to_string(magnitude / 100);
  const auto rest = static_cast<unsigned>(magnitude % 100);
  text.push_back('.');
  text.push_back(static_cast<char>('0' + rest / 10));
  text.push_back(static_cast<char>('0' + rest % 10));
  return negative ? "-" + text : text;
}

} // namespace callsight
