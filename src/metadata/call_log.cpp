// Call-log CSV: loading, the call id / file join to transcripts, yes/no and money cells.
#include <algorithm>
#include <limits>
#include <string>

#include "callsight/csv.hpp"
#include "callsight/metadata.hpp"

namespace callsight {

namespace {

// Marks a file or basename shared by several rows: joining on it would guess.
constexpr std::size_t k_ambiguous = std::numeric_limits<std::size_t>::max();

constexpr std::string_view k_whitespace = " \t\r\n\v\f";

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(k_whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(k_whitespace);
  return text.substr(first, last - first + 1);
}

void trim_in_place(std::string& text) {
  const std::size_t last = text.find_last_not_of(k_whitespace);
  if (last == std::string::npos) {
    text.clear();
    return;
  }
  text.erase(last + 1);
  text.erase(0, text.find_first_not_of(k_whitespace));
}

char to_lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = to_lower_ascii(c);
  }
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view basename_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "./calls/x.txt" in a call log names the same file as "calls/x.txt".
std::string_view strip_dot_slash(std::string_view path) {
  while (path.size() > 2 && path.substr(0, 2) == "./") {
    path.remove_prefix(2);
  }
  return path;
}

bool all_blank(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (!trim(field).empty()) {
      return false;
    }
  }
  return true;
}

// Adds `key -> row`, or marks the key ambiguous when another row already has it.
void index_unique(std::unordered_map<std::string, std::size_t>& index, std::string_view key,
                  std::size_t row) {
  const auto [it, inserted] = index.emplace(std::string(key), row);
  if (!inserted) {
    it->second = k_ambiguous;
  }
}

long lookup(const std::unordered_map<std::string, std::size_t>& index, const std::string& key) {
  const auto it = index.find(key);
  if (it == index.end() || it->second == k_ambiguous) {
    return -1;
  }
  return static_cast<long>(it->second);
}

std::string line_prefix(std::size_t line) {
  return "line " + std::to_string(line) + ": ";
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool consume(std::string_view& text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) {
    return false;
  }
  text.remove_prefix(prefix.size());
  return true;
}

bool consume_currency(std::string_view& text) {
  return consume(text, "$") || consume(text, "\xE2\x82\xAC") /* € */ ||
         consume(text, "\xC2\xA3") /* £ */;
}

bool consume_sign(std::string_view& text, bool& negative) {
  if (consume(text, "-")) {
    negative = true;
    return true;
  }
  return consume(text, "+");
}

// value = value * 10 + digit, false on overflow of int64.
bool push_digit(std::int64_t& value, char digit) {
  constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
  const int d = digit - '0';
  if (value > (k_max - d) / 10) {
    return false;
  }
  value = value * 10 + d;
  return true;
}

} // namespace

std::optional<CallLog> CallLog::parse(std::string_view csv_text, std::string& error) {
  error.clear();
  CallLog log;
  CsvReader reader(csv_text);
  std::vector<std::string> fields;

  if (!reader.next(fields)) {
    error = line_prefix(1) + "the call log needs a call_id or file column";
    return std::nullopt;
  }
  if (!reader.error().empty()) {
    error = line_prefix(reader.line()) + reader.error();
    return std::nullopt;
  }
  log.m_columns.reserve(fields.size());
  for (const std::string& name : fields) {
    log.m_columns.push_back(lower_ascii(trim(name)));
  }
  const int id_column = log.column_index("call_id");
  const int file_column = log.column_index("file");
  if (id_column < 0 && file_column < 0) {
    error = line_prefix(reader.line()) + "the call log needs a call_id or file column";
    return std::nullopt;
  }

  const std::size_t column_count = log.m_columns.size();
  // Line count bounds the row count: sizing up front spares a million-row log
  // repeated rehashing.
  const auto max_rows =
      static_cast<std::size_t>(std::count(csv_text.begin(), csv_text.end(), '\n')) + 1;
  log.m_rows.reserve(max_rows);
  if (id_column >= 0) {
    log.m_by_call_id.reserve(max_rows);
  }
  if (file_column >= 0) {
    log.m_by_file.reserve(max_rows);
    log.m_by_basename.reserve(max_rows);
  }
  std::vector<std::size_t> row_lines; // for "first on line M" in duplicate errors
  while (reader.next(fields)) {
    const std::size_t line = reader.line();
    if (!reader.error().empty()) {
      error = line_prefix(line) + reader.error();
      return std::nullopt;
    }
    // Spreadsheets export trailing rows of bare commas; they carry nothing to join.
    if (all_blank(fields)) {
      continue;
    }
    // A ragged row means the file is not the CSV we think it is: joining it
    // anyway would silently attach the wrong campaign or revenue to calls.
    if (fields.size() != column_count) {
      error = line_prefix(line) + "expected " + std::to_string(column_count) + " fields, found " +
              std::to_string(fields.size());
      return std::nullopt;
    }
    for (std::string& field : fields) {
      trim_in_place(field);
    }

    const std::size_t row = log.m_rows.size();
    const std::string_view call_id =
        id_column >= 0 ? std::string_view(fields[static_cast<std::size_t>(id_column)])
                       : std::string_view();
    const std::string_view file =
        file_column >= 0 ? strip_dot_slash(fields[static_cast<std::size_t>(file_column)])
                         : std::string_view();
    if (call_id.empty() && file.empty()) {
      error = line_prefix(line) + "row has neither a call_id nor a file";
      return std::nullopt;
    }
    if (!call_id.empty()) {
      const auto [it, inserted] = log.m_by_call_id.emplace(std::string(call_id), row);
      if (!inserted) {
        error = line_prefix(line) + "duplicate call_id '" + std::string(call_id) +
                "' (first on line " + std::to_string(row_lines[it->second]) + ")";
        return std::nullopt;
      }
    }
    if (!file.empty()) {
      index_unique(log.m_by_file, file, row);
      const std::string_view base = basename_of(file);
      if (!base.empty()) {
        index_unique(log.m_by_basename, base, row);
      }
    }
    row_lines.push_back(line);
    log.m_rows.push_back(std::move(fields));
    fields = {};
  }
  return log;
}

int CallLog::column_index(std::string_view name) const {
  const std::string_view wanted = trim(name);
  for (std::size_t i = 0; i < m_columns.size(); ++i) {
    if (iequals_ascii(m_columns[i], wanted)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

long CallLog::find(std::string_view call_id, std::string_view path) const {
  std::string key(trim(call_id)); // one buffer reused for every probe below
  if (!key.empty()) {
    const auto it = m_by_call_id.find(key);
    if (it != m_by_call_id.end()) {
      return static_cast<long>(it->second);
    }
  }
  if (path.empty()) {
    return -1;
  }
  // A file equal to the path, or ending it after a '/', has the path's
  // basename. So one probe settles most lookups: an unknown basename means
  // nothing can match, and a unique one means every rule lands on its row.
  const std::string_view base = basename_of(path);
  if (!base.empty()) {
    key.assign(base);
    const auto it = m_by_basename.find(key);
    if (it == m_by_basename.end()) {
      return -1;
    }
    if (it->second != k_ambiguous) {
      return static_cast<long>(it->second);
    }
  }
  // Shared basename: only the path itself or a suffix of it is precise enough.
  key.assign(path);
  if (const long row = lookup(m_by_file, key); row >= 0) {
    return row;
  }
  // Longest suffix first, so "data/a/x.txt" prefers file "a/x.txt" over "x.txt".
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    const std::string_view suffix = path.substr(slash + 1);
    if (suffix.empty()) {
      break;
    }
    key.assign(suffix);
    if (const long row = lookup(m_by_file, key); row >= 0) {
      return row;
    }
  }
  return -1;
}

std::string_view CallLog::value(std::size_t index, std::string_view column) const {
  const int column_at = column_index(column);
  if (column_at < 0 || index >= m_rows.size()) {
    return {};
  }
  return m_rows[index][static_cast<std::size_t>(column_at)];
}

bool parse_truthy(std::string_view value) {
  const std::string_view text = trim(value);
  for (const std::string_view yes : {"1", "true", "yes", "y", "converted", "t"}) {
    if (iequals_ascii(text, yes)) {
      return true;
    }
  }
  return false;
}

std::optional<std::int64_t> parse_money_cents(std::string_view value) {
  std::string_view text = trim(value);
  bool negative = false;
  // Both "-$3" and "$-3" occur in exports.
  const bool signed_first = consume_sign(text, negative);
  if (consume_currency(text) && !signed_first) {
    consume_sign(text, negative);
  }

  // Integer part: plain digits, or groups of three after a "," separator.
  std::int64_t units = 0;
  std::size_t digits = 0;
  std::size_t group = 0; // digits since the last separator
  bool grouped = false;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      if (!push_digit(units, c)) {
        return std::nullopt;
      }
      ++digits;
      ++group;
    } else if (c == ',') {
      // "1,250" yes; ",250", "1,25", "1,,250" and "12,50" (a decimal comma) no.
      if (group == 0 || (grouped ? group != 3 : group > 3)) {
        return std::nullopt;
      }
      grouped = true;
      group = 0;
    } else {
      break;
    }
  }
  if (grouped && group != 3) {
    return std::nullopt;
  }

  std::int64_t fraction = 0; // hundredths
  bool round_up = false;
  std::size_t fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size(); ++i) {
      const char c = text[i];
      if (!is_digit(c)) {
        return std::nullopt;
      }
      if (fraction_digits < 2) {
        fraction = fraction * 10 + (c - '0');
      } else if (fraction_digits == 2) {
        round_up = c >= '5'; // half away from zero: the magnitude rounds up
      }
      ++fraction_digits;
    }
  }
  if (i != text.size() || digits + fraction_digits == 0) {
    return std::nullopt;
  }
  if (fraction_digits == 1) {
    fraction *= 10;
  }

  constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t extra = fraction + (round_up ? 1 : 0);
  if (units > (k_max - extra) / 100) {
    return std::nullopt;
  }
  const std::int64_t cents = units * 100 + extra;
  return negative ? -cents : cents;
}

} // namespace callsight
