// Generic JSON of turns ({"call_id", "turns": [{speaker, text, start, end}]}
// or a bare array of turns) and JSON Lines with one turn per line, which may
// hold several calls keyed by a call id member. Member names are matched
// through common aliases; engine output shapes are left to their parsers.
#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "callsight/formats.hpp"

#include "formats/json_access.hpp"
#include "formats/registry.hpp"
#include "formats/turn_table.hpp"
#include "util/json_positions.hpp"

namespace callsight::formats {
namespace {

using turn_table::Field;
using turn_table::NameUnit;
using turn_table::RawTime;

constexpr std::string_view k_json_label = "JSON turns";
constexpr std::string_view k_jsonl_label = "JSONL turns";

// Members of a document that hold its list of turns, in preference order.
constexpr std::array<std::string_view, 4> k_list_keys{"turns", "utterances", "messages",
                                                      "transcript"};
// Top-level members of engine output (Whisper, AWS, Deepgram, Google,
// Speechmatics, Rev.ai, Azure, AssemblyAI word lists): their parsers own them.
constexpr std::array<std::string_view, 11> k_engine_keys{"results",
                                                         "segments",
                                                         "monologues",
                                                         "recognizedPhrases",
                                                         "combinedRecognizedPhrases",
                                                         "phrases",
                                                         "combinedPhrases",
                                                         "Transcript",
                                                         "words",
                                                         "audio_url",
                                                         "audio_duration"};

// A turn object's members by meaning: the preferred alias present for each field.
struct TurnMembers {
  struct Member {
    const nlohmann::json* value = nullptr; ///< may be JSON null
    std::string_view key;
    int rank = 0;
    NameUnit unit = NameUnit::unstated;
  };
  std::array<Member, turn_table::k_field_count> fields{}; ///< indexed by Field

  const Member& operator[](Field field) const { return fields[static_cast<std::size_t>(field)]; }
};

TurnMembers classify_members(const nlohmann::json& object) {
  TurnMembers members;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const turn_table::FieldName name = turn_table::field_of(it.key());
    if (name.field == Field::other) {
      continue;
    }
    // The preferred alias wins, but a null member never hides a non-null one.
    TurnMembers::Member& member = members.fields[static_cast<std::size_t>(name.field)];
    const bool better = member.value == nullptr ||
                        (member.value->is_null() ? !it->is_null() || name.rank < member.rank
                                                 : !it->is_null() && name.rank < member.rank);
    if (better) {
      member = TurnMembers::Member{&*it, it.key(), name.rank, name.unit};
    }
  }
  return members;
}

// A string member with a text alias: what makes an object look like a turn.
bool has_text_member(const nlohmann::json& object) {
  if (!object.is_object()) {
    return false;
  }
  const TurnMembers members = classify_members(object);
  return members[Field::text].value != nullptr && members[Field::text].value->is_string();
}

// "A", "spk_0" or an integer speaker (1) as a label.
std::optional<std::string> label_of(const nlohmann::json& value) {
  if (value.is_string()) {
    return value.get_ref<const std::string&>();
  }
  if (value.is_number_unsigned()) {
    return std::to_string(value.get<std::uint64_t>());
  }
  if (value.is_number_integer()) {
    return std::to_string(value.get<std::int64_t>());
  }
  return std::nullopt;
}

// A turn read from JSON, its times kept raw until the whole file says their unit.
struct PendingTurn {
  Turn turn;
  std::optional<RawTime> start;
  std::optional<RawTime> end;
  NameUnit start_unit = NameUnit::unstated;
  NameUnit end_unit = NameUnit::unstated;
};

// Reads one turn object at `path`; false (with the reader's error) when a
// member has the wrong type or the text is missing.
bool read_turn(JsonReader& reader, const nlohmann::json& object, std::string_view path,
               PendingTurn& out) {
  if (!reader.expect_object(object, path)) {
    return false;
  }
  const TurnMembers members = classify_members(object);
  const auto present = [&](Field field) -> const TurnMembers::Member* {
    const TurnMembers::Member& member = members[field];
    return member.value == nullptr || member.value->is_null() ? nullptr : &member;
  };
  const auto where = [&](const TurnMembers::Member& member) { return join_path(path, member.key); };

  const TurnMembers::Member& text = members[Field::text];
  if (text.value == nullptr) {
    return reader.fail(path, "has no text (expected \"text\", \"content\" or \"transcript\")");
  }
  if (text.value->is_string()) {
    out.turn.text = std::string(trim_space(text.value->get_ref<const std::string&>()));
  } else if (!text.value->is_null()) {
    return reader.fail(where(text), "is not a string");
  }

  std::string speaker;
  std::string role;
  std::string channel;
  if (const auto* member = present(Field::speaker)) {
    const auto label = label_of(*member->value);
    if (!label) {
      return reader.fail(where(*member), "is not a string or an integer");
    }
    speaker = *label;
  }
  if (const auto* member = present(Field::role)) {
    if (!member->value->is_string()) {
      return reader.fail(where(*member), "is not a string");
    }
    role = member->value->get_ref<const std::string&>();
  }
  if (const auto* member = present(Field::channel)) {
    const auto label = label_of(*member->value);
    if (!label) {
      return reader.fail(where(*member), "is not a string or an integer");
    }
    channel = *label;
    if (member->value->is_number_integer()) {
      const auto number = to_double(*member->value);
      if (number && *number >= 0 && *number <= 1000) {
        out.turn.channel = static_cast<int>(*number);
      }
    }
  }
  turn_table::set_speaker(out.turn, trim_space(speaker), trim_space(role), trim_space(channel));

  const auto read_time = [&](Field field, std::optional<RawTime>& time, NameUnit& unit) {
    const auto* member = present(field);
    if (member == nullptr) {
      return true;
    }
    time = turn_table::json_time(*member->value);
    unit = member->unit;
    return time.has_value() || reader.fail(where(*member), "is not a time");
  };
  if (!read_time(Field::start, out.start, out.start_unit) ||
      !read_time(Field::end, out.end, out.end_unit)) {
    return false;
  }
  if (const auto* member = present(Field::confidence)) {
    const auto number = to_double(*member->value);
    out.turn.confidence = number ? turn_table::unit_confidence(*number) : std::nullopt;
    if (!out.turn.confidence) {
      return reader.fail(where(*member), "is not a confidence between 0 and 1");
    }
  }
  return true;
}

// Settles the unit of unitless times over all turns of a file, then sets them.
class TurnTimes {
public:
  void note(const PendingTurn& pending) {
    if (pending.start) {
      m_scale.note(*pending.start, pending.start_unit);
    }
    if (pending.end) {
      m_scale.note(*pending.end, pending.end_unit);
    }
  }

  Turn finish(PendingTurn& pending) const {
    if (pending.start) {
      pending.turn.start_s = m_scale.seconds(*pending.start, pending.start_unit);
    }
    if (pending.end) {
      pending.turn.end_s = m_scale.seconds(*pending.end, pending.end_unit);
    }
    return std::move(pending.turn);
  }

private:
  turn_table::TimeScale m_scale;
};

// A scalar member as a metadata value: strings as written, numbers and booleans in JSON.
std::optional<std::string> scalar_text(const nlohmann::json& value) {
  if (value.is_string()) {
    return std::string(trim_space(value.get_ref<const std::string&>()));
  }
  if (value.is_number() || value.is_boolean()) {
    return value.dump();
  }
  return std::nullopt;
}

// What a bare "id" member names: the call (a document) or the turn (a JSONL line).
enum class PlainId : std::uint8_t { call, turn };

// An object's call id (its preferred call id alias, else a bare "id" naming
// the call) and its other scalar members as (normalized name, value) fields,
// leaving out turn members and `skip` (the list of turns). False, with the
// reader's error, when a call id alias is not a string or an integer.
bool read_call_members(JsonReader& reader, const nlohmann::json& object, PlainId plain_id,
                       std::string_view skip, std::string& call_id,
                       std::vector<std::pair<std::string, std::string>>& fields) {
  constexpr int k_plain_id_rank = 1000; // after every alias
  int id_rank = k_plain_id_rank + 1;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() == skip || it->is_null()) {
      continue;
    }
    const turn_table::FieldName name = turn_table::field_of(it.key());
    std::string normalized = turn_table::normalize_name(it.key());
    const bool is_plain_id = normalized == "id";
    if (name.field == Field::call_id || (is_plain_id && plain_id == PlainId::call)) {
      const auto label = label_of(*it);
      if (!label && !is_plain_id) {
        return reader.fail(it.key(), "is not a string or an integer");
      }
      const int rank = is_plain_id ? k_plain_id_rank : name.rank;
      if (label && rank < id_rank) {
        call_id = std::string(trim_space(*label));
        id_rank = rank;
      }
    } else if (name.field == Field::other && !is_plain_id && !normalized.empty()) {
      if (auto value = scalar_text(*it); value && !value->empty()) {
        fields.emplace_back(std::move(normalized), std::move(*value));
      }
    }
  }
  return true;
}

// --- generic JSON document ------------------------------------------------

bool has_engine_shape(const nlohmann::json& doc) {
  for (std::string_view key : k_engine_keys) {
    if (doc.contains(key)) {
      return true;
    }
  }
  // AssemblyAI: utterances beside a top-level confidence.
  return doc.contains("utterances") && doc.contains("confidence");
}

// The list of turns: the document itself, or its first list member.
const nlohmann::json* turn_list(const nlohmann::json& doc, std::string_view& key) {
  if (doc.is_array()) {
    key = {};
    return &doc;
  }
  for (std::string_view candidate : k_list_keys) {
    if (const nlohmann::json* list = find_member(doc, candidate)) {
      key = candidate;
      return list;
    }
  }
  return nullptr;
}

bool recognizes_generic_json(const nlohmann::json& doc) {
  if (doc.is_object() && has_engine_shape(doc)) {
    return false;
  }
  std::string_view key;
  const nlohmann::json* list = turn_list(doc, key);
  if (list == nullptr || !list->is_array()) {
    return false;
  }
  if (list->empty()) {
    return doc.is_object(); // {"turns": []}: ours, and empty
  }
  return has_text_member(list->front());
}

ParseResult parse_generic_json(std::string_view path, const nlohmann::json& doc) {
  JsonReader reader(k_json_label);
  if (!doc.is_object() && !doc.is_array()) {
    reader.fail("", "is not an object or an array of turns");
    return reader.failure();
  }
  std::string_view list_key;
  const nlohmann::json* list = turn_list(doc, list_key);
  if (list == nullptr) {
    reader.fail("", "has no list of turns (expected \"turns\", \"utterances\", \"messages\" or "
                    "\"transcript\")");
    return reader.failure();
  }
  if (!list->is_array()) {
    reader.fail(list_key, "is not an array");
    return reader.failure();
  }

  // Document-level members: the call id, and scalars such as "campaign" as fields.
  std::string call_id;
  std::vector<std::pair<std::string, std::string>> fields;
  if (doc.is_object() &&
      !read_call_members(reader, doc, PlainId::call, list_key, call_id, fields)) {
    return reader.failure();
  }

  std::vector<PendingTurn> pending(list->size());
  TurnTimes times;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (!read_turn(reader, (*list)[i], join_path(list_key, i), pending[i])) {
      return reader.failure();
    }
    times.note(pending[i]);
  }
  turn_table::CallGroups groups(path, k_generic_json_turns.name);
  Call& call = groups.call(call_id);
  for (auto& [key, value] : fields) {
    call.fields.try_emplace(std::move(key), std::move(value));
  }
  for (PendingTurn& turn : pending) {
    call.turns.push_back(times.finish(turn));
  }
  return std::move(groups).finish();
}

// --- JSON Lines -------------------------------------------------------------

// Next line of `text` from `pos` (without its LF or CRLF); false at the end.
bool next_line(std::string_view text, std::size_t& pos, std::string_view& line) {
  if (pos >= text.size()) {
    return false;
  }
  std::size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) {
    end = text.size();
  }
  line = text.substr(pos, end - pos);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  pos = end + 1;
  return true;
}

bool recognizes_jsonl(std::string_view path, std::string_view text) {
  if (turn_table::has_extension(path, "jsonl") || turn_table::has_extension(path, "ndjson")) {
    return true;
  }
  // The first two non-empty lines are each a turn object. Both must open with
  // '{' before either is parsed, so a one-line JSON document costs nothing.
  std::array<std::string_view, 2> lines;
  std::size_t found = 0;
  std::size_t pos = 0;
  std::string_view line;
  while (found < lines.size() && next_line(text, pos, line)) {
    line = trim_space(line);
    if (line.empty()) {
      continue;
    }
    if (line.front() != '{' || line.back() != '}') {
      return false;
    }
    lines[found++] = line;
  }
  if (found < lines.size()) {
    return false;
  }
  for (std::string_view candidate : lines) {
    const nlohmann::json value = nlohmann::json::parse(candidate, nullptr, false);
    if (value.is_discarded() || !has_text_member(value)) {
      return false;
    }
  }
  return true;
}

ParseResult parse_jsonl(std::string_view path, std::string_view text) {
  return parse_jsonl_turns(path, text, k_default_max_json_depth);
}

} // namespace

ParseResult parse_jsonl_turns(std::string_view path, std::string_view text,
                              std::size_t max_json_depth) {
  turn_table::CallGroups groups(path, k_jsonl_turns.name);
  // (call id, turn) in file order; times are settled once every line is read.
  std::vector<std::pair<std::string, PendingTurn>> pending;
  std::vector<std::pair<std::string, std::string>> line_fields;
  TurnTimes times;
  std::size_t pos = 0;
  std::size_t number = 0;
  std::string_view line;
  while (next_line(text, pos, line)) {
    ++number;
    if (trim_space(line).empty()) {
      continue;
    }
    JsonError parse_error;
    const std::optional<JsonDocument> doc =
        parse_json_with_positions(line, parse_error, RecordPositions::no, max_json_depth);
    if (!doc) {
      return ParseResult{
          {},
          turn_table::line_error(k_jsonl_label, number,
                                 (parse_error.too_deep
                                      ? "JSON " + parse_error.message + " (--max-json-depth)"
                                      : "malformed JSON: " + parse_error.message) +
                                     " at column " + std::to_string(parse_error.column))};
    }
    const nlohmann::json& object = doc->value;
    if (!object.is_object()) {
      return ParseResult{{},
                         turn_table::line_error(k_jsonl_label, number,
                                                std::string("expected a JSON object, found ") +
                                                    object.type_name())};
    }
    const std::string label = std::string(k_jsonl_label) + ": line " + std::to_string(number);
    JsonReader reader(label);
    auto& [call_id, turn] = pending.emplace_back();
    if (!read_turn(reader, object, "", turn)) {
      return reader.failure();
    }
    times.note(turn);
    // The call id, and other scalars ("campaign") as call fields.
    line_fields.clear();
    if (!read_call_members(reader, object, PlainId::turn, {}, call_id, line_fields)) {
      return reader.failure();
    }
    groups.call(call_id);
    for (const auto& [key, value] : line_fields) {
      groups.note_field(call_id, key, value);
    }
  }
  for (auto& [call_id, turn] : pending) {
    groups.call(call_id).turns.push_back(times.finish(turn));
  }
  return std::move(groups).finish();
}

const JsonFormat k_generic_json_turns{
    "json-turns",
    "generic JSON of turns: {\"turns\"|\"utterances\"|\"messages\": [{speaker, text, start, "
    "end}]} or an array of turns",
    recognizes_generic_json, parse_generic_json};

const TextFormat k_jsonl_turns{
    "jsonl-turns", "JSON Lines, one turn object per line; a call id member splits calls",
    recognizes_jsonl, parse_jsonl};

} // namespace callsight::formats
