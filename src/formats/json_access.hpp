// Non-throwing access to members of engine JSON documents, with errors that
// name the member ("results.items[12].start_time") and time conversions
// (milliseconds, 100 ns ticks, "1.5s" strings). Header-only; internal to
// src/formats, shared by every JSON parser.
//
// Typical use:
//
//   JsonReader reader("Whisper JSON");
//   const nlohmann::json* segments = reader.array(doc, "segments", "");
//   if (segments == nullptr) return reader.failure();
//   for (std::size_t i = 0; i < segments->size(); ++i) {
//     const std::string path = join_path("segments", i);
//     const nlohmann::json& segment = (*segments)[i];
//     if (!reader.expect_object(segment, path)) return reader.failure();
//     std::optional<double> start = reader.number(segment, "start", path, Presence::optional);
//     if (reader.failed()) return reader.failure();
//   }
//
// Conventions: a member that is absent or JSON null counts as missing; a
// missing optional member gives nullopt/nullptr and no error; a missing
// required member, or any member of the wrong type, gives nullopt/nullptr and
// records the first error (later errors are ignored so the report names the
// first problem).
#pragma once
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "util/trim.hpp"

namespace callsight::formats {

/// Whether a member must be present (and non-null).
enum class Presence : std::uint8_t { required, optional };

/// Units an engine writes times in.
enum class TimeUnit : std::uint8_t {
  seconds,      ///< number or numeric string of seconds
  milliseconds, ///< number or numeric string of milliseconds
  ticks,        ///< number or numeric string of 100 ns ticks (Azure)
  duration,     ///< "1.5s" protobuf duration string, or a number of seconds
};

inline constexpr double k_ticks_per_second = 1e7;

/// "segments" + "start" -> "segments.start"; "" + "text" -> "text".
inline std::string join_path(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (!out.empty()) {
    out.push_back('.');
  }
  out.append(key);
  return out;
}

/// "segments" + 3 -> "segments[3]"; "" + 3 -> "[3]".
inline std::string join_path(std::string_view parent, std::size_t index) {
  std::string out(parent);
  out.push_back('[');
  out += std::to_string(index);
  out.push_back(']');
  return out;
}

/// `Whisper JSON: "segments[3].start" is not a number`; an empty path names
/// the whole document: `Whisper JSON: the document is not an object`.
inline std::string member_error(std::string_view format, std::string_view path,
                                std::string_view problem) {
  std::string out(format);
  out += ": ";
  if (path.empty()) {
    out += "the document";
  } else {
    out.push_back('"');
    out.append(path);
    out.push_back('"');
  }
  out.push_back(' ');
  out.append(problem);
  return out;
}

/// The member `key` of `object`, or nullptr when `object` is not an object or
/// the member is absent or null.
inline const nlohmann::json* find_member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

/// True when `object` is an object with a member `key` of any type but null.
inline bool has_member(const nlohmann::json& object, std::string_view key) {
  return find_member(object, key) != nullptr;
}

/// A finite number from a whole string such as "12.5", " 3 ", "-0.25", "1e3";
/// nullopt for anything else ("", "abc", "1.5s", "nan", "inf").
inline std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return std::nullopt;
  }
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

/// Seconds from a protobuf-style duration string "1.500s" or "12s" (a bare
/// number is accepted as seconds too); nullopt otherwise.
inline std::optional<double> parse_duration(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.back() == 's') {
    text.remove_suffix(1);
  }
  return parse_number(text);
}

/// A finite double from a JSON number or a numeric string; nullopt otherwise
/// (booleans are not numbers).
inline std::optional<double> to_double(const nlohmann::json& value) {
  if (value.is_number()) {
    const double d = value.get<double>();
    return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
  }
  if (value.is_string()) {
    return parse_number(value.get_ref<const std::string&>());
  }
  return std::nullopt;
}

inline double ms_to_s(double ms) {
  return ms / 1000.0;
}
inline double ticks_to_s(double ticks) {
  return ticks / k_ticks_per_second;
}

/// Seconds from a JSON value written in `unit`; nullopt when it is not one.
inline std::optional<double> to_seconds(const nlohmann::json& value, TimeUnit unit) {
  if (unit == TimeUnit::duration && value.is_string()) {
    return parse_duration(value.get_ref<const std::string&>());
  }
  const std::optional<double> number = to_double(value);
  if (!number) {
    return std::nullopt;
  }
  switch (unit) {
  case TimeUnit::milliseconds:
    return ms_to_s(*number);
  case TimeUnit::ticks:
    return ticks_to_s(*number);
  case TimeUnit::seconds:
  case TimeUnit::duration:
    break;
  }
  return *number;
}

/// `value` limited to 0..1 (engine confidences sometimes overshoot).
inline double clamp_unit(double value) {
  return value < 0.0 ? 0.0 : value > 1.0 ? 1.0 : value;
}

/// `text` without leading and trailing ASCII whitespace (Whisper segments
/// start with a space; engines end lines with "\n").
inline std::string_view trim_space(std::string_view text) {
  return trim_if(text, [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

/// At most `max_bytes` of `text` for an error message, not cut inside a UTF-8
/// sequence (a bad field may be megabytes long).
inline std::string_view clip_for_message(std::string_view text, std::size_t max_bytes = 32) {
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t size = max_bytes;
  while (size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) {
    --size;
  }
  return text.substr(0, size);
}

/// The result for a file holding one call: turns with empty text are dropped;
/// no turn left gives the error "empty transcript (no text)".
inline ParseResult single_call(Call call) {
  ParseResult result;
  std::erase_if(call.turns, [](const Turn& turn) { return trim_space(turn.text).empty(); });
  if (call.turns.empty()) {
    result.error = "empty transcript (no text)";
    return result;
  }
  result.calls.push_back(std::move(call));
  return result;
}

/// Reads members of one document for one format, remembering the first error.
/// Every accessor takes the parent value, the member key and the parent's
/// path (for messages) and returns nullopt/nullptr when the member is missing
/// or has the wrong type.
class JsonReader {
public:
  /// `format` prefixes every message ("AWS Transcribe JSON"); it must outlive
  /// the reader (a string literal).
  explicit JsonReader(std::string_view format) : m_format(format) {}

  bool failed() const { return !m_error.empty(); }
  /// The first error, e.g. `Deepgram JSON: "results.channels" is missing`.
  const std::string& error() const { return m_error; }
  /// A ParseResult carrying the first error (no calls).
  ParseResult failure() const {
    ParseResult result;
    result.error = m_error.empty() ? std::string(m_format) + ": invalid document" : m_error;
    return result;
  }

  /// Records `problem` about the member at `path` unless an error is already
  /// recorded. Returns false, so `return reader.fail(...)` reads naturally.
  bool fail(std::string_view path, std::string_view problem) {
    if (m_error.empty()) {
      m_error = member_error(m_format, path, problem);
    }
    return false;
  }

  /// Checks that an already-found value (e.g. an array element) is an object.
  bool expect_object(const nlohmann::json& value, std::string_view path) {
    return value.is_object() || fail(path, "is not an object");
  }

  /// The member when it is an object.
  const nlohmann::json* object(const nlohmann::json& parent, std::string_view key,
                               std::string_view parent_path,
                               Presence presence = Presence::required) {
    return typed(parent, key, parent_path, presence, &nlohmann::json::is_object, "an object");
  }

  /// The member when it is an array.
  const nlohmann::json* array(const nlohmann::json& parent, std::string_view key,
                              std::string_view parent_path,
                              Presence presence = Presence::required) {
    return typed(parent, key, parent_path, presence, &nlohmann::json::is_array, "an array");
  }

  /// The member when it is a string (a pointer into the document, no copy).
  const std::string* string(const nlohmann::json& parent, std::string_view key,
                            std::string_view parent_path, Presence presence = Presence::required) {
    const nlohmann::json* value =
        typed(parent, key, parent_path, presence, &nlohmann::json::is_string, "a string");
    return value == nullptr ? nullptr : &value->get_ref<const std::string&>();
  }

  /// The member as a finite number; numeric strings ("12.5") are accepted.
  std::optional<double> number(const nlohmann::json& parent, std::string_view key,
                               std::string_view parent_path,
                               Presence presence = Presence::required) {
    const nlohmann::json* value = present(parent, key, parent_path, presence);
    if (value == nullptr) {
      return std::nullopt;
    }
    std::optional<double> number = to_double(*value);
    if (!number) {
      fail(join_path(parent_path, key), "is not a number");
    }
    return number;
  }

  /// The member as an int: an integral number (or numeric string) within int range.
  std::optional<int> integer(const nlohmann::json& parent, std::string_view key,
                             std::string_view parent_path, Presence presence = Presence::required) {
    const nlohmann::json* value = present(parent, key, parent_path, presence);
    if (value == nullptr) {
      return std::nullopt;
    }
    const std::optional<double> number = to_double(*value);
    if (!number || std::floor(*number) != *number ||
        *number < static_cast<double>(std::numeric_limits<int>::min()) ||
        *number > static_cast<double>(std::numeric_limits<int>::max())) {
      fail(join_path(parent_path, key), "is not an integer");
      return std::nullopt;
    }
    return static_cast<int>(*number);
  }

  /// The member as seconds, read in `unit` (see TimeUnit).
  std::optional<double> seconds(const nlohmann::json& parent, std::string_view key,
                                std::string_view parent_path, TimeUnit unit,
                                Presence presence = Presence::required) {
    const nlohmann::json* value = present(parent, key, parent_path, presence);
    if (value == nullptr) {
      return std::nullopt;
    }
    std::optional<double> seconds = to_seconds(*value, unit);
    if (!seconds) {
      fail(join_path(parent_path, key),
           unit == TimeUnit::duration ? "is not a duration" : "is not a number");
    }
    return seconds;
  }

  /// A speaker or channel label written as a string ("A", "spk_0") or an
  /// integer (Deepgram's 0, 1): the string as is, the integer in decimal.
  std::optional<std::string> label(const nlohmann::json& parent, std::string_view key,
                                   std::string_view parent_path,
                                   Presence presence = Presence::required) {
    const nlohmann::json* value = present(parent, key, parent_path, presence);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (value->is_string()) {
      return value->get_ref<const std::string&>();
    }
    if (value->is_number_integer()) {
      return value->is_number_unsigned() ? std::to_string(value->get<std::uint64_t>())
                                         : std::to_string(value->get<std::int64_t>());
    }
    fail(join_path(parent_path, key), "is not a string or an integer");
    return std::nullopt;
  }

private:
  // The member, or nullptr (with an error when it is required).
  const nlohmann::json* present(const nlohmann::json& parent, std::string_view key,
                                std::string_view parent_path, Presence presence) {
    if (!parent.is_object()) {
      fail(parent_path, "is not an object");
      return nullptr;
    }
    const nlohmann::json* value = find_member(parent, key);
    if (value == nullptr && presence == Presence::required) {
      fail(join_path(parent_path, key), "is missing");
    }
    return value;
  }

  const nlohmann::json* typed(const nlohmann::json& parent, std::string_view key,
                              std::string_view parent_path, Presence presence,
                              bool (nlohmann::json::*is_type)() const noexcept,
                              std::string_view type_name) {
    const nlohmann::json* value = present(parent, key, parent_path, presence);
    if (value != nullptr && !(value->*is_type)()) {
      fail(join_path(parent_path, key), std::string("is not ") + std::string(type_name));
      return nullptr;
    }
    return value;
  }

  std::string_view m_format;
  std::string m_error;
};

} // namespace callsight::formats
