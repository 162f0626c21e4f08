// Call-log CSV: header names and aliases, loading, the call id / file join to transcripts,
// joined-row tracking, yes/no and money cells.
#include <algorithm>
#include <bit>
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

// The alias table documented in metadata.hpp; canonical names map to themselves.
struct Alias {
  std::string_view name;
  std::string_view canonical;
};

constexpr Alias k_aliases[] = {
    {"call_id", "call_id"},
    {"callid", "call_id"},
    {"id", "call_id"},
    {"call_sid", "call_id"},
    {"transaction_id", "call_id"},
    {"interaction_id", "call_id"},
    {"conversation_id", "call_id"},
    {"contact_id", "call_id"},
    {"file", "file"},
    {"filename", "file"},
    {"file_name", "file"},
    {"transcript", "file"},
    {"transcript_file", "file"},
    {"recording_file", "file"},
    {"started_at", "started_at"},
    {"start_time", "started_at"},
    {"call_start_time", "started_at"},
    {"called_at", "started_at"},
    {"call_date", "started_at"},
    {"date_time", "started_at"},
    {"datetime", "started_at"},
    {"timestamp", "started_at"},
    {"date", "started_at"},
    {"start", "started_at"},
    {"duration_s", "duration_s"},
    {"duration", "duration_s"},
    {"duration_seconds", "duration_s"},
    {"call_duration", "duration_s"},
    {"talk_time", "duration_s"},
    {"duration_sec", "duration_s"},
    {"campaign", "campaign"},
    {"campaign_name", "campaign"},
    {"utm_campaign", "campaign"},
    {"source", "source"},
    {"tracking_source", "source"},
    {"utm_source", "source"},
    {"lead_source", "source"},
    {"medium", "medium"},
    {"utm_medium", "medium"},
    {"keyword", "keyword"},
    {"keywords", "keyword"},
    {"utm_term", "keyword"},
    {"search_term", "keyword"},
    {"landing_page", "landing_page"},
    {"landing_page_url", "landing_page"},
    {"page", "landing_page"},
    {"agent", "agent"},
    {"agent_name", "agent"},
    {"rep", "agent"},
    {"answered_by", "agent"},
    {"user", "agent"},
    {"employee", "agent"},
    {"tracking_number", "tracking_number"},
    {"tracking_phone", "tracking_number"},
    {"caller_number", "caller_number"},
    {"customer_phone_number", "caller_number"},
    {"caller_id", "caller_number"},
    {"from_number", "caller_number"},
    {"phone", "caller_number"},
    {"phone_number", "caller_number"},
    {"caller_phone", "caller_number"},
    {"customer_phone", "caller_number"},
    {"mobile", "caller_number"},
    {"customer_id", "customer_id"},
    {"client_id", "customer_id"},
    {"crm_id", "customer_id"},
    {"email", "email"},
    {"e_mail", "email"},
    {"email_address", "email"},
    {"caller_email", "email"},
    {"customer_email", "email"},
    {"converted", "converted"},
    {"conversion", "converted"},
    {"is_converted", "converted"},
    {"booked", "converted"},
    {"sale", "converted"},
    {"qualified", "converted"},
    {"revenue", "revenue"},
    {"value", "revenue"},
    {"sale_amount", "revenue"},
    {"amount", "revenue"},
    {"deal_value", "revenue"},
    {"sale_value", "revenue"},
};

// The canonical name an (already canonicalized) header stands for, or "".
std::string_view alias_target(std::string_view name) {
  for (const Alias& alias : k_aliases) {
    if (alias.name == name) {
      return alias.canonical;
    }
  }
  return {};
}

bool is_canonical(std::string_view name) {
  return !name.empty() && alias_target(name) == name;
}

std::string join_headers(const std::vector<std::string>& headers) {
  std::string out;
  for (const std::string& header : headers) {
    if (!out.empty()) {
      out += ", ";
    }
    out += trim(header);
  }
  return out;
}

// Gives every header a unique column name: user mappings first, then headers
// that are literally a canonical name, then aliases, then each header's own
// canonicalized name (suffixed _2, _3 ... when taken). False with `error` set
// when a mapping names no header.
bool name_columns(const std::vector<std::string>& headers, const ColumnMap* map,
                  std::vector<std::string>& names, std::string& error) {
  const std::size_t count = headers.size();
  std::vector<std::string> own(count);
  for (std::size_t i = 0; i < count; ++i) {
    own[i] = canonicalize_header(headers[i]);
  }
  names.assign(count, std::string());
  std::vector<std::string> taken; // few columns: a linear scan beats a set
  const auto is_taken = [&taken](std::string_view name) {
    return std::find(taken.begin(), taken.end(), name) != taken.end();
  };
  const auto assign = [&](std::size_t i, std::string name) {
    taken.push_back(name);
    names[i] = std::move(name);
  };

  if (map != nullptr) {
    for (const ColumnMapping& mapping : *map) {
      const std::string canonical = canonical_column_name(mapping.canonical);
      const std::string wanted = canonicalize_header(mapping.header);
      if (canonical.empty()) {
        error = "column map gives '" + std::string(trim(mapping.header)) + "' an empty name";
        return false;
      }
      const auto it = std::find(own.begin(), own.end(), wanted);
      if (wanted.empty() || it == own.end()) {
        error = "column map names '" + std::string(trim(mapping.header)) +
                "', which is not a header of the call log (headers: " + join_headers(headers) + ")";
        return false;
      }
      const auto i = static_cast<std::size_t>(it - own.begin());
      if (is_taken(canonical)) {
        error = "column map names " + canonical + " twice";
        return false;
      }
      if (!names[i].empty()) {
        error = "column map maps header '" + std::string(trim(headers[i])) + "' to both " +
                names[i] + " and " + canonical;
        return false;
      }
      assign(i, canonical);
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (names[i].empty() && is_canonical(own[i]) && !is_taken(own[i])) {
      assign(i, own[i]);
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view target = alias_target(own[i]);
    if (names[i].empty() && !target.empty() && !is_taken(target)) {
      assign(i, std::string(target));
    }
  }
  // Own names before suffixed ones, so "campaign_2" written in the file keeps
  // its name rather than lose it to a renamed duplicate.
  for (std::size_t i = 0; i < count; ++i) {
    if (names[i].empty() && !own[i].empty() && !is_taken(own[i])) {
      assign(i, own[i]);
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (!names[i].empty()) {
      continue;
    }
    // A blank header still needs a name to be grouped by.
    const std::string base = own[i].empty() ? "column_" + std::to_string(i + 1) : own[i];
    std::string name = base;
    for (std::size_t n = 2; is_taken(name); ++n) {
      name = base + "_" + std::to_string(n);
    }
    assign(i, std::move(name));
  }
  return true;
}

bool is_alnum_ascii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

} // namespace

std::string canonicalize_header(std::string_view header) {
  std::string out;
  out.reserve(header.size());
  bool separator = false; // a run of separators since the last kept character
  for (std::size_t i = 0; i < header.size(); ++i) {
    const char c = header[i];
    if (c == '\xC2' && i + 1 < header.size() && header[i + 1] == '\xA0') {
      ++i; // no-break space, common in spreadsheet headers
      separator = !out.empty();
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80 && !is_alnum_ascii(c)) {
      separator = !out.empty();
      continue;
    }
    if (separator) {
      out.push_back('_');
      separator = false;
    }
    out.push_back(to_lower_ascii(c));
  }
  return out;
}

std::string canonical_column_name(std::string_view header) {
  std::string name = canonicalize_header(header);
  const std::string_view target = alias_target(name);
  if (!target.empty()) {
    name.assign(target);
  }
  return name;
}

std::vector<std::string_view> standard_column_names() {
  std::vector<std::string_view> names;
  for (const Alias& alias : k_aliases) {
    if (alias.name == alias.canonical) {
      names.push_back(alias.name);
    }
  }
  return names;
}

std::optional<ColumnMap> parse_column_map(std::string_view spec, std::string& error) {
  error.clear();
  ColumnMap map;
  if (trim(spec).empty()) {
    error = "column map is empty (expected name=Header,...)";
    return std::nullopt;
  }
  std::size_t item_number = 0;
  for (std::size_t start = 0; start <= spec.size(); ++item_number) {
    std::size_t end = spec.find(',', start);
    if (end == std::string_view::npos) {
      end = spec.size();
    }
    const std::string_view item = trim(spec.substr(start, end - start));
    start = end + 1;
    if (item.empty()) {
      error = "column map item " + std::to_string(item_number + 1) + " is empty";
      return std::nullopt;
    }
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      error = "column map item '" + std::string(item) + "' needs the form name=Header";
      return std::nullopt;
    }
    const std::string_view name = trim(item.substr(0, equals));
    const std::string_view header = trim(item.substr(equals + 1));
    if (canonicalize_header(name).empty() || canonicalize_header(header).empty()) {
      error = "column map item '" + std::string(item) + "' needs the form name=Header";
      return std::nullopt;
    }
    if (header.find('=') != std::string_view::npos) {
      error = "column map item '" + std::string(item) + "' has more than one '='";
      return std::nullopt;
    }
    ColumnMapping mapping{canonical_column_name(name), std::string(header)};
    for (const ColumnMapping& earlier : map) {
      if (earlier.canonical == mapping.canonical) {
        error = "column map names " + mapping.canonical + " twice";
        return std::nullopt;
      }
      if (canonicalize_header(earlier.header) == canonicalize_header(mapping.header)) {
        error = "column map maps header '" + mapping.header + "' twice";
        return std::nullopt;
      }
    }
    map.push_back(std::move(mapping));
  }
  return map;
}

void RowUse::mark(std::size_t row) {
  const std::size_t word = row / 64;
  if (word >= m_words.size()) {
    m_words.resize(word + 1, 0);
  }
  m_words[word] |= std::uint64_t{1} << (row % 64);
}

bool RowUse::test(std::size_t row) const {
  const std::size_t word = row / 64;
  return word < m_words.size() && ((m_words[word] >> (row % 64)) & 1U) != 0;
}

RowUse& RowUse::operator|=(const RowUse& other) {
  if (other.m_words.size() > m_words.size()) {
    m_words.resize(other.m_words.size(), 0);
  }
  for (std::size_t i = 0; i < other.m_words.size(); ++i) {
    m_words[i] |= other.m_words[i];
  }
  return *this;
}

std::size_t RowUse::count() const {
  std::size_t total = 0;
  for (const std::uint64_t word : m_words) {
    total += static_cast<std::size_t>(std::popcount(word));
  }
  return total;
}

std::vector<std::size_t> RowUse::rows() const {
  std::vector<std::size_t> rows;
  for (std::size_t w = 0; w < m_words.size(); ++w) {
    for (std::uint64_t word = m_words[w]; word != 0; word &= word - 1) {
      rows.push_back(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
    }
  }
  return rows;
}

bool RowUse::operator==(const RowUse& other) const {
  const std::size_t common = std::min(m_words.size(), other.m_words.size());
  const auto zero = [](std::uint64_t word) { return word == 0; };
  return std::equal(m_words.begin(), m_words.begin() + static_cast<std::ptrdiff_t>(common),
                    other.m_words.begin()) &&
         std::all_of(m_words.begin() + static_cast<std::ptrdiff_t>(common), m_words.end(), zero) &&
         std::all_of(other.m_words.begin() + static_cast<std::ptrdiff_t>(common),
                     other.m_words.end(), zero);
}

std::optional<CallLog> CallLog::parse(std::string_view csv_text, std::string& error) {
  return parse_impl(csv_text, error, nullptr);
}

std::optional<CallLog> CallLog::parse(std::string_view csv_text, std::string& error,
                                      const ColumnMap& map) {
  return parse_impl(csv_text, error, &map);
}

std::optional<CallLog> CallLog::parse_impl(std::string_view csv_text, std::string& error,
                                           const ColumnMap* map) {
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
  if (!name_columns(fields, map, log.m_columns, error)) {
    error = line_prefix(reader.line()) + error;
    return std::nullopt;
  }
  const int id_column = log.column_index("call_id");
  const int file_column = log.column_index("file");
  if (id_column < 0 && file_column < 0) {
    error = line_prefix(reader.line()) +
            "the call log needs a call_id or file column (headers: " + join_headers(fields) + ")";
    return std::nullopt;
  }
  log.m_id_column = id_column;
  log.m_file_column = file_column;

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
  // Callers mostly pass canonical names: try them before building a string.
  const auto exact = [this](std::string_view wanted) {
    const auto it = std::find(m_columns.begin(), m_columns.end(), wanted);
    return it == m_columns.end() ? -1 : static_cast<int>(it - m_columns.begin());
  };
  if (const int index = exact(name); index >= 0) {
    return index;
  }
  const std::string canonical = canonicalize_header(name);
  if (const int index = exact(canonical); index >= 0) {
    return index;
  }
  const std::string_view target = alias_target(canonical);
  return target.empty() ? -1 : exact(target);
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

std::vector<std::string> CallLog::unmatched_rows(const RowUse& used) const {
  std::vector<std::string> unmatched;
  for (std::size_t row = 0; row < m_rows.size(); ++row) {
    if (used.test(row)) {
      continue;
    }
    std::string_view key;
    if (m_id_column >= 0) {
      key = m_rows[row][static_cast<std::size_t>(m_id_column)];
    }
    if (key.empty() && m_file_column >= 0) {
      key = m_rows[row][static_cast<std::size_t>(m_file_column)];
    }
    unmatched.emplace_back(key);
  }
  return unmatched;
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
