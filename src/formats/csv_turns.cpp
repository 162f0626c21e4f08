// CSV transcripts with one row per turn: call id, speaker or role, start, end,
// text and confidence columns under their common names; rows group into
// calls by call id, so one file may hold several calls.
#include <optional>
#include <unordered_set>

#include "callsight/csv.hpp"
#include "callsight/formats.hpp"

#include "formats/registry.hpp"
#include "formats/turn_table.hpp"

namespace callsight::formats {
namespace {

using turn_table::Field;
using turn_table::NameUnit;
using turn_table::RawTime;

constexpr std::string_view k_label = "CSV turns";

struct Column {
  std::size_t index = 0;
  int rank = 0;
  NameUnit unit = NameUnit::unstated;
  std::string name; ///< as written in the header, for messages
};

// Which column holds what; the preferred alias wins when several match.
struct Columns {
  std::optional<Column> call_id;
  bool call_id_is_plain_id = false; ///< the column is just "id": maybe a row number
  std::optional<Column> speaker;
  std::optional<Column> role;
  std::optional<Column> channel;
  std::optional<Column> start;
  std::optional<Column> end;
  std::optional<Column> text;
  std::optional<Column> confidence;
  /// Other columns (campaign, date, ...): (index, normalized name).
  std::vector<std::pair<std::size_t, std::string>> extra;
};

std::optional<Column>* slot(Columns& columns, Field field) {
  switch (field) {
  case Field::call_id:
    return &columns.call_id;
  case Field::speaker:
    return &columns.speaker;
  case Field::role:
    return &columns.role;
  case Field::channel:
    return &columns.channel;
  case Field::start:
    return &columns.start;
  case Field::end:
    return &columns.end;
  case Field::text:
    return &columns.text;
  case Field::confidence:
    return &columns.confidence;
  case Field::other:
    break;
  }
  return nullptr;
}

Columns map_header(const std::vector<std::string>& header) {
  Columns columns;
  std::optional<Column> plain_id;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const turn_table::FieldName name = turn_table::field_of(header[i]);
    const std::string_view written = trim_space(header[i]);
    if (std::optional<Column>* target = slot(columns, name.field)) {
      if (!*target || name.rank < (*target)->rank) {
        *target = Column{i, name.rank, name.unit, std::string(written)};
      }
    } else if (std::string normalized = turn_table::normalize_name(header[i]); normalized == "id") {
      if (!plain_id) {
        plain_id = Column{i, 0, NameUnit::unstated, std::string(written)};
      }
    } else if (!normalized.empty()) {
      columns.extra.emplace_back(i, std::move(normalized));
    }
  }
  if (!columns.call_id && plain_id) {
    columns.call_id = plain_id;
    columns.call_id_is_plain_id = true;
  }
  return columns;
}

bool recognizes_csv_turns(std::string_view path, std::string_view text) {
  if (!turn_table::has_extension(path, "csv")) {
    return false;
  }
  CsvReader reader(text);
  std::vector<std::string> header;
  if (!reader.next(header) || !reader.error().empty()) {
    return false;
  }
  const Columns columns = map_header(header);
  return columns.text && (columns.speaker || columns.role || columns.channel || columns.start);
}

// One data row, its times kept raw until the whole file says their unit.
struct Row {
  std::string call_id;
  Turn turn;
  std::vector<std::string> extra; ///< values of Columns::extra
  std::optional<RawTime> start;
  std::optional<RawTime> end;
};

bool all_blank(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (!trim_space(field).empty()) {
      return false;
    }
  }
  return true;
}

// Reads row fields into `row`; returns an error reason, or "" on success.
std::string read_row(const Columns& columns, const std::vector<std::string>& fields, Row& row) {
  const auto cell = [&](const std::optional<Column>& column) {
    return column ? trim_space(fields[column->index]) : std::string_view{};
  };
  row.turn.text = std::string(cell(columns.text));
  for (const auto& [index, name] : columns.extra) {
    row.extra.emplace_back(trim_space(fields[index]));
  }
  if (columns.call_id) {
    row.call_id = std::string(cell(columns.call_id));
  }
  // The speaker label as written: the speaker column, else the role or channel.
  const std::string_view role = cell(columns.role);
  const std::string_view channel = cell(columns.channel);
  turn_table::set_speaker(row.turn, cell(columns.speaker), role, channel);
  if (!channel.empty()) {
    if (const auto number = parse_number(channel);
        number && *number >= 0 && *number <= 1000 && *number == static_cast<int>(*number)) {
      row.turn.channel = static_cast<int>(*number);
    }
  }
  const auto read_time = [&](const std::optional<Column>& column,
                             std::optional<RawTime>& out) -> std::string {
    const std::string_view value = cell(column);
    if (value.empty()) {
      return {};
    }
    out = turn_table::parse_time_text(value);
    if (!out) {
      return "\"" + column->name + "\" is not a time: " + turn_table::excerpt(value);
    }
    return {};
  };
  if (std::string error = read_time(columns.start, row.start); !error.empty()) {
    return error;
  }
  if (std::string error = read_time(columns.end, row.end); !error.empty()) {
    return error;
  }
  if (const std::string_view value = cell(columns.confidence); !value.empty()) {
    const auto number = parse_number(value);
    row.turn.confidence = number ? turn_table::unit_confidence(*number) : std::nullopt;
    if (!row.turn.confidence) {
      return "\"" + columns.confidence->name +
             "\" is not a confidence between 0 and 1: " + turn_table::excerpt(value);
    }
  }
  return {};
}

// A plain "id" column whose every value differs numbers rows, not calls.
bool ids_are_row_numbers(const std::vector<Row>& rows) {
  std::unordered_set<std::string_view> seen;
  for (const Row& row : rows) {
    if (!seen.insert(row.call_id).second) {
      return false;
    }
  }
  return rows.size() > 1;
}

ParseResult parse_csv_turns(std::string_view path, std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.next(fields)) {
    return ParseResult{{}, "empty transcript (no text)"};
  }
  if (!reader.error().empty()) {
    return ParseResult{{}, turn_table::line_error(k_label, reader.line(), reader.error())};
  }
  const Columns columns = map_header(fields);
  if (!columns.text) {
    return ParseResult{{},
                       std::string(k_label) + ": no text column in the header (expected one of "
                                              "text, transcript, utterance, content, message)"};
  }
  const std::size_t expected = fields.size();
  std::vector<Row> rows;
  while (reader.next(fields)) {
    if (!reader.error().empty()) {
      return ParseResult{{}, turn_table::line_error(k_label, reader.line(), reader.error())};
    }
    if (all_blank(fields)) {
      continue; // ",,,," rows spreadsheets leave at the end
    }
    if (fields.size() != expected) {
      return ParseResult{{},
                         turn_table::line_error(k_label, reader.line(),
                                                "expected " + std::to_string(expected) +
                                                    " fields, found " +
                                                    std::to_string(fields.size()))};
    }
    Row& row = rows.emplace_back();
    if (std::string error = read_row(columns, fields, row); !error.empty()) {
      return ParseResult{{}, turn_table::line_error(k_label, reader.line(), error)};
    }
  }

  const bool use_call_ids =
      columns.call_id && !(columns.call_id_is_plain_id && ids_are_row_numbers(rows));
  const NameUnit start_unit = columns.start ? columns.start->unit : NameUnit::unstated;
  const NameUnit end_unit = columns.end ? columns.end->unit : NameUnit::unstated;
  turn_table::TimeScale scale;
  for (const Row& row : rows) {
    if (row.start) {
      scale.note(*row.start, start_unit);
    }
    if (row.end) {
      scale.note(*row.end, end_unit);
    }
  }
  turn_table::CallGroups groups(path, k_csv_turns.name);
  for (Row& row : rows) {
    if (row.start) {
      row.turn.start_s = scale.seconds(*row.start, start_unit);
    }
    if (row.end) {
      row.turn.end_s = scale.seconds(*row.end, end_unit);
    }
    const std::string id = use_call_ids ? row.call_id : std::string();
    groups.call(id).turns.push_back(std::move(row.turn));
    for (std::size_t k = 0; k < columns.extra.size(); ++k) {
      groups.note_field(id, columns.extra[k].second, row.extra[k]);
    }
  }
  return std::move(groups).finish();
}

} // namespace

const TextFormat k_csv_turns{"csv-turns",
                             "CSV with one row per turn (call id, speaker or role, start, end, "
                             "text); several calls per file",
                             recognizes_csv_turns, parse_csv_turns};

} // namespace callsight::formats
