// Labels for `callsight eval`: topic ids a person assigned to each call, read
// from CSV and joined to calls exactly like a call log (call id, path, path
// suffix, file name), so one join rule serves both.
#include <algorithm>
#include <cctype>

#include "callsight/csv.hpp"
#include "callsight/eval.hpp"

namespace callsight {
namespace {

std::string_view trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

bool all_blank(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(),
                     [](const std::string& field) { return trim(field).empty(); });
}

std::string known_topics(const std::vector<Topic>& topics) {
  std::string known;
  for (const Topic& topic : topics) {
    known += (known.empty() ? "" : ", ") + topic.id;
  }
  return known;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

} // namespace

std::optional<LabelSet> LabelSet::parse(std::string_view csv_text, const std::vector<Topic>& topics,
                                        std::string& error) {
  error.clear();
  // The header is checked here first, so a labels file without a topics
  // column is named as such rather than as a call log.
  CsvReader reader(csv_text);
  std::vector<std::string> fields;
  if (!reader.next(fields) || !reader.error().empty()) {
    error = "line 1: " + (reader.error().empty() ? std::string("empty file") : reader.error());
    return std::nullopt;
  }
  bool has_key = false;
  bool has_topics = false;
  std::string headers;
  for (const std::string& field : fields) {
    const std::string name = canonical_column_name(field);
    has_key = has_key || name == "call_id" || name == "file";
    has_topics = has_topics || name == "topics";
    headers += (headers.empty() ? "" : ", ") + field;
  }
  if (!has_key || !has_topics) {
    error = "line 1: the labels need a call_id or file column and a topics column (headers: " +
            headers + ")";
    return std::nullopt;
  }

  LabelSet labels;
  labels.m_join = CallLog::parse(csv_text, error);
  if (!labels.m_join) {
    return std::nullopt;
  }
  const CallLog& join = *labels.m_join;
  labels.m_has_split = join.column_index("split") >= 0;
  const bool has_note = join.column_index("note") >= 0;

  // CallLog keeps the non-blank rows in order; the reader gives their lines.
  std::size_t row = 0;
  while (reader.next(fields)) {
    if (all_blank(fields)) {
      continue;
    }
    if (row >= join.size()) {
      error = "line " + std::to_string(reader.line()) + ": row not read as a label row";
      return std::nullopt;
    }
    LabelRow label;
    label.line = reader.line();
    label.key = std::string(join.value(row, "call_id"));
    if (label.key.empty()) {
      label.key = std::string(join.value(row, "file"));
    }
    const std::string_view cell = join.value(row, "topics");
    std::size_t start = 0;
    while (start <= cell.size()) {
      const std::size_t end = std::min(cell.find(';', start), cell.size());
      const std::string_view id = trim(cell.substr(start, end - start));
      start = end + 1;
      if (id.empty()) {
        continue;
      }
      const auto found = std::find_if(topics.begin(), topics.end(),
                                      [&](const Topic& topic) { return topic.id == id; });
      if (found == topics.end()) {
        error = "line " + std::to_string(label.line) + ": unknown topic '" + std::string(id) +
                "' (known: " + known_topics(topics) + ")";
        return std::nullopt;
      }
      label.topics.push_back(static_cast<std::uint32_t>(found - topics.begin()));
    }
    std::sort(label.topics.begin(), label.topics.end());
    label.topics.erase(std::unique(label.topics.begin(), label.topics.end()), label.topics.end());
    if (labels.m_has_split) {
      label.split = lower(join.value(row, "split"));
      if (!label.split.empty() && label.split != "train" && label.split != "test") {
        error = "line " + std::to_string(label.line) + ": split '" +
                std::string(join.value(row, "split")) + "' is neither train nor test";
        return std::nullopt;
      }
    }
    if (has_note) {
      label.note = std::string(join.value(row, "note"));
    }
    labels.m_rows.push_back(std::move(label));
    ++row;
  }
  if (row != join.size()) {
    error = "the labels file has " + std::to_string(join.size()) + " rows but " +
            std::to_string(row) + " were read";
    return std::nullopt;
  }
  return labels;
}

long LabelSet::find(std::string_view call_id, std::string_view path) const {
  return m_join ? m_join->find(call_id, path) : -1;
}

std::string note_for_topic(std::string_view note, std::string_view topic_id) {
  // Items "topic=words" belong to one topic; other items are free text that
  // concerns the whole call.
  std::string free_text;
  std::size_t start = 0;
  while (start < note.size()) {
    const std::size_t end = std::min(note.find(';', start), note.size());
    const std::string_view item = trim(note.substr(start, end - start));
    start = end + 1;
    const std::size_t equals = item.find('=');
    const std::string_view key =
        equals == std::string_view::npos ? item : trim(item.substr(0, equals));
    const bool keyed = equals != std::string_view::npos && !key.empty() &&
                       std::all_of(key.begin(), key.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                       });
    if (!keyed) {
      if (!item.empty()) {
        free_text += (free_text.empty() ? "" : "; ") + std::string(item);
      }
      continue;
    }
    if (key == topic_id) {
      std::string_view value = trim(item.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2); // pricing="how much" -> how much
      }
      return std::string(value);
    }
  }
  return free_text;
}

} // namespace callsight
