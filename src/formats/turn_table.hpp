// Helpers shared by the turn-table formats (CSV and JSON/JSONL of turns) and
// the caption formats: column/member names and what they mean, role values,
// clock and time values with a milliseconds guess, and grouping turns into
// calls by call id. Header-only; internal to src/formats.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "callsight/formats.hpp"

#include "formats/json_access.hpp"

namespace callsight::formats::turn_table {

/// What a column (CSV) or member (JSON) of a turn holds.
enum class Field : std::uint8_t {
  other,
  call_id,
  speaker,
  role,
  channel,
  start,
  end,
  text,
  confidence
};

inline constexpr std::size_t k_field_count = static_cast<std::size_t>(Field::confidence) + 1;

/// The unit a column name states ("start_ms", "start_s"); unstated otherwise.
enum class NameUnit : std::uint8_t { unstated, seconds, milliseconds };

struct FieldName {
  Field field = Field::other;
  int rank = 0; ///< lower is preferred when several names give one field
  NameUnit unit = NameUnit::unstated;
};

/// "Start Time", "start-time", "startTime", "START_TIME" -> "start_time".
inline std::string normalize_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  char previous = '\0';
  for (const char c : name) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (upper) {
      // camelCase boundary: "callId" -> "call_id".
      if (previous >= 'a' && previous <= 'z' && !out.empty() && out.back() != '_') {
        out.push_back('_');
      }
      out.push_back(static_cast<char>(c + ('a' - 'A')));
    } else if (lower_or_digit) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
    previous = c;
  }
  while (!out.empty() && out.back() == '_') {
    out.pop_back();
  }
  return out;
}

namespace detail {

struct Alias {
  std::string_view name;
  Field field;
  NameUnit unit;
};

// In preference order within each field. "id" is not here: whether it names a
// call depends on where it appears (see the parsers).
inline constexpr std::array<Alias, 38> k_aliases{{
    {"call_id", Field::call_id, NameUnit::unstated},
    {"callid", Field::call_id, NameUnit::unstated},
    {"conversation_id", Field::call_id, NameUnit::unstated},
    {"conversationid", Field::call_id, NameUnit::unstated},
    {"contact_id", Field::call_id, NameUnit::unstated},
    {"contactid", Field::call_id, NameUnit::unstated},
    {"speaker", Field::speaker, NameUnit::unstated},
    {"speaker_label", Field::speaker, NameUnit::unstated},
    {"speaker_name", Field::speaker, NameUnit::unstated},
    {"speaker_id", Field::speaker, NameUnit::unstated},
    {"participant", Field::speaker, NameUnit::unstated},
    {"role", Field::role, NameUnit::unstated},
    {"speaker_role", Field::role, NameUnit::unstated},
    {"participant_role", Field::role, NameUnit::unstated},
    {"channel", Field::channel, NameUnit::unstated},
    {"start", Field::start, NameUnit::unstated},
    {"start_time", Field::start, NameUnit::unstated},
    {"begin", Field::start, NameUnit::unstated},
    {"begin_time", Field::start, NameUnit::unstated},
    {"start_s", Field::start, NameUnit::seconds},
    {"start_sec", Field::start, NameUnit::seconds},
    {"start_seconds", Field::start, NameUnit::seconds},
    {"start_ms", Field::start, NameUnit::milliseconds},
    {"start_time_ms", Field::start, NameUnit::milliseconds},
    {"end", Field::end, NameUnit::unstated},
    {"end_time", Field::end, NameUnit::unstated},
    {"end_s", Field::end, NameUnit::seconds},
    {"end_sec", Field::end, NameUnit::seconds},
    {"end_seconds", Field::end, NameUnit::seconds},
    {"end_ms", Field::end, NameUnit::milliseconds},
    {"end_time_ms", Field::end, NameUnit::milliseconds},
    {"text", Field::text, NameUnit::unstated},
    {"transcript", Field::text, NameUnit::unstated},
    {"utterance", Field::text, NameUnit::unstated},
    {"content", Field::text, NameUnit::unstated},
    {"message", Field::text, NameUnit::unstated},
    {"confidence", Field::confidence, NameUnit::unstated},
    {"conf", Field::confidence, NameUnit::unstated},
}};

} // namespace detail

/// What a column or member name means (matched case-insensitively, after
/// normalize_name); Field::other when it is none of the known aliases.
inline FieldName field_of(std::string_view raw_name) {
  const std::string name = normalize_name(raw_name);
  for (std::size_t i = 0; i < detail::k_aliases.size(); ++i) {
    if (detail::k_aliases[i].name == name) {
      return FieldName{detail::k_aliases[i].field, static_cast<int>(i), detail::k_aliases[i].unit};
    }
  }
  return FieldName{};
}

inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

/// True when the file name ends with "." + `ext` (lower case), in any case.
inline bool has_extension(std::string_view path, std::string_view ext) {
  if (path.size() <= ext.size() + 1 || path[path.size() - ext.size() - 1] != '.') {
    return false;
  }
  const std::string_view tail = path.substr(path.size() - ext.size());
  for (std::size_t i = 0; i < ext.size(); ++i) {
    char c = tail[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + ('a' - 'A'));
    }
    if (c != ext[i]) {
      return false;
    }
  }
  return true;
}

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + ('a' - 'A'));
    }
  }
  return out;
}

/// Role stated by a role column or member: AGENT, rep, assistant,
/// HUMAN_AGENT -> agent; customer, caller, user, END_USER -> customer; other
/// values as role_from_label reads them ("Representative", "Client").
inline Role role_from_value(std::string_view value) {
  static constexpr std::array<std::string_view, 6> k_agent{
      "agent", "rep", "assistant", "human_agent", "automated_agent", "virtual_agent"};
  static constexpr std::array<std::string_view, 5> k_customer{"customer", "caller", "user",
                                                              "end_user", "enduser"};
  const std::string name = normalize_name(value);
  for (std::string_view word : k_agent) {
    if (name == word) {
      return Role::agent;
    }
  }
  for (std::string_view word : k_customer) {
    if (name == word) {
      return Role::customer;
    }
  }
  return role_from_label(value);
}

/// A turn's speaker label and role from its speaker, role and channel values
/// (each may be empty): the label is the speaker as written, else the role,
/// else the channel; the role comes from the role value, else the label.
inline void set_speaker(Turn& turn, std::string_view speaker, std::string_view role,
                        std::string_view channel) {
  turn.speaker = std::string(!speaker.empty() ? speaker : !role.empty() ? role : channel);
  turn.role = role_from_value(!role.empty() ? role : turn.speaker);
}

/// Roles count as stated by the file only when every turn has one; otherwise
/// all are cleared and left to role inference.
inline void settle_roles(Call& call) {
  bool all_known = !call.turns.empty();
  for (const Turn& turn : call.turns) {
    all_known = all_known && turn.role != Role::unknown;
  }
  if (all_known) {
    call.role_source = RoleSource::labels;
    call.role_confidence = 1.0;
    return;
  }
  for (Turn& turn : call.turns) {
    turn.role = Role::unknown;
  }
}

/// Seconds from a clock "H:MM:SS", "MM:SS", "HH:MM:SS.mmm" or "MM:SS,mmm"
/// (the whole string); nullopt for anything else.
inline std::optional<double> parse_clock(std::string_view text) {
  std::array<double, 3> parts{};
  std::size_t count = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t begin = i;
    double value = 0;
    while (i < text.size() && is_ascii_digit(text[i]) && i - begin < 9) {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == begin || count == parts.size()) {
      return std::nullopt;
    }
    // Minutes and seconds after a colon stay below 60 and have at most 2 digits.
    if (count > 0 && (i - begin > 2 || value >= 60)) {
      return std::nullopt;
    }
    parts[count++] = value;
    if (i < text.size() && text[i] == ':') {
      ++i;
      continue;
    }
    break;
  }
  if (count < 2) {
    return std::nullopt;
  }
  double seconds = 0;
  for (std::size_t k = 0; k < count; ++k) {
    seconds = seconds * 60 + parts[k];
  }
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    ++i;
    const std::size_t begin = i;
    double scale = 0.1;
    while (i < text.size() && is_ascii_digit(text[i]) && i - begin < 9) {
      seconds += (text[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == begin) {
      return std::nullopt;
    }
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  return seconds;
}

/// A time as written in a cell or member, before its unit is settled.
struct RawTime {
  double value = 0;
  /// True when the text fixed the unit ("00:01:02", "1.5s", "1500ms"): value is seconds.
  bool absolute = false;
  /// A plain whole number ("15000", not "15000.0"): candidate milliseconds.
  bool integral = false;
};

/// Reads "12.5", "15000", "1.5s", "1500ms", "00:01:02.5"; nullopt for
/// anything else, negative times included.
inline std::optional<RawTime> parse_time_text(std::string_view text) {
  text = trim_space(text);
  RawTime time;
  if (text.find(':') != std::string_view::npos) {
    const std::optional<double> clock = parse_clock(text);
    if (!clock) {
      return std::nullopt;
    }
    time.value = *clock;
    time.absolute = true;
    return time;
  }
  double scale = 0;
  if (text.ends_with("ms")) {
    text.remove_suffix(2);
    scale = 0.001;
  } else if (text.ends_with('s')) {
    text.remove_suffix(1);
    scale = 1;
  }
  const std::optional<double> number = parse_number(text);
  if (!number || *number < 0) {
    return std::nullopt;
  }
  time.value = scale > 0 ? *number * scale : *number;
  time.absolute = scale > 0;
  time.integral = scale == 0 && text.find_first_of(".eE") == std::string_view::npos;
  return time;
}

/// Reads a time member of a JSON turn: a non-negative number (a JSON integer
/// is a plain whole number) or a time string as in parse_time_text.
inline std::optional<RawTime> json_time(const nlohmann::json& value) {
  if (value.is_string()) {
    return parse_time_text(value.get_ref<const std::string&>());
  }
  const std::optional<double> number = value.is_number() ? to_double(value) : std::nullopt;
  if (!number || *number < 0) {
    return std::nullopt;
  }
  return RawTime{*number, false, value.is_number_integer()};
}

/// Decides, over a whole file, whether times in columns with no stated unit
/// are milliseconds: yes when every such value is a plain whole number and
/// one exceeds 10,000 (nearly three hours in seconds, ten in milliseconds).
class TimeScale {
public:
  void note(const RawTime& time, NameUnit unit) {
    if (unit != NameUnit::unstated || time.absolute) {
      return;
    }
    m_all_integral = m_all_integral && time.integral;
    m_large = m_large || time.value > k_threshold;
  }

  bool unstated_is_ms() const { return m_all_integral && m_large; }

  double seconds(const RawTime& time, NameUnit unit) const {
    if (time.absolute || unit == NameUnit::seconds) {
      return time.value;
    }
    if (unit == NameUnit::milliseconds || unstated_is_ms()) {
      return time.value / 1000.0;
    }
    return time.value;
  }

private:
  static constexpr double k_threshold = 10000;
  bool m_all_integral = true;
  bool m_large = false;
};

/// Confidence as 0..1 (a value in (1, 100] is read as a percentage); nullopt
/// when out of range.
inline std::optional<double> unit_confidence(double value) {
  if (value >= 0 && value <= 1) {
    return value;
  }
  if (value > 1 && value <= 100) {
    return value / 100.0;
  }
  return std::nullopt;
}

/// Calls of one file in first-appearance order of their call ids; an empty
/// id means the file's own call (call_id_from_path).
class CallGroups {
public:
  CallGroups(std::string_view path, std::string_view format) : m_path(path), m_format(format) {}

  Call& call(const std::string& id) {
    const auto [it, inserted] = m_index.try_emplace(id, m_calls.size());
    if (inserted) {
      Call& call = m_calls.emplace_back();
      call.call_id = id.empty() ? call_id_from_path(m_path) : id;
      call.path = std::string(m_path);
      call.format = std::string(m_format);
    }
    return m_calls[it->second];
  }

  /// Records metadata `key` (a normalized column name) = `value` for the call
  /// `id`, which must exist: a per-call column such as "campaign". Kept only
  /// when every row of the call that has a value agrees.
  void note_field(const std::string& id, const std::string& key, std::string_view value) {
    const auto it = m_index.find(id);
    if (it == m_index.end() || key.empty() || value.empty()) {
      return;
    }
    Call& call = m_calls[it->second];
    const auto [field, inserted] = call.fields.try_emplace(key, value);
    if (!inserted && field->second != value) {
      m_conflicts.emplace_back(it->second, key);
    }
  }

  /// Drops turns with no text and calls with no turns, settles roles; no call
  /// left gives "empty transcript (no text)".
  ParseResult finish() && {
    for (const auto& [index, key] : m_conflicts) {
      m_calls[index].fields.erase(key);
    }
    ParseResult result;
    for (Call& call : m_calls) {
      std::erase_if(call.turns, [](const Turn& turn) { return trim_space(turn.text).empty(); });
      if (!call.turns.empty()) {
        settle_roles(call);
        result.calls.push_back(std::move(call));
      }
    }
    if (result.calls.empty()) {
      result.error = "empty transcript (no text)";
    }
    return result;
  }

private:
  std::string_view m_path;
  std::string_view m_format;
  std::vector<Call> m_calls;
  std::unordered_map<std::string, std::size_t> m_index;
  std::vector<std::pair<std::size_t, std::string>> m_conflicts; ///< (call, key) that disagree
};

/// "line 12: " + reason, after the format's label: "CSV turns: line 12: ...".
inline std::string line_error(std::string_view label, std::size_t line, std::string_view reason) {
  std::string out(label);
  out += ": line ";
  out += std::to_string(line);
  out += ": ";
  out.append(reason);
  return out;
}

/// A bad value quoted for a message, clipped to 40 bytes ("..." marks the cut).
inline std::string excerpt(std::string_view value) {
  const std::string_view clipped = clip_for_message(value, 40);
  std::string out = "\"";
  out.append(clipped);
  if (clipped.size() < value.size()) {
    out += "...";
  }
  out += "\"";
  return out;
}

} // namespace callsight::formats::turn_table
