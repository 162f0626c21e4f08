// RFC 4180 CSV reader and formula-safe cell writer shared by the call log and the reports.
#include "callsight/csv.hpp"

#include <algorithm>

namespace callsight {

namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// `[+-]?digits[.digits]`: a value a spreadsheet reads as a number, not a formula.
bool is_plain_number(std::string_view value) {
  std::size_t i = 0;
  if (i < value.size() && (value[i] == '+' || value[i] == '-')) {
    ++i;
  }
  const std::size_t int_start = i;
  while (i < value.size() && is_digit(value[i])) {
    ++i;
  }
  if (i == int_start) {
    return false;
  }
  if (i == value.size()) {
    return true;
  }
  if (value[i] != '.') {
    return false;
  }
  ++i;
  const std::size_t frac_start = i;
  while (i < value.size() && is_digit(value[i])) {
    ++i;
  }
  return i > frac_start && i == value.size();
}

bool starts_formula(std::string_view value) {
  if (value.empty()) {
    return false;
  }
  switch (value.front()) {
  case '=':
  case '+':
  case '-':
  case '@':
  case '\t':
  case '\r':
    return !is_plain_number(value);
  default:
    return false;
  }
}

bool is_edge_space(char c) {
  return c == ' ' || c == '\t';
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) {
    return false;
  }
  if (is_edge_space(value.front()) || is_edge_space(value.back())) {
    return true;
  }
  return value.find_first_of(",\"\r\n") != std::string_view::npos;
}

// The string for field `index`, reusing the caller's strings from the previous
// record so a long read loop does not reallocate every cell.
std::string& field_slot(std::vector<std::string>& fields, std::size_t index) {
  if (index < fields.size()) {
    fields[index].clear();
  } else {
    fields.emplace_back();
  }
  return fields[index];
}

} // namespace

CsvReader::CsvReader(std::string_view text) : m_text(text) {
  if (m_text.substr(0, k_utf8_bom.size()) == k_utf8_bom) {
    m_pos = k_utf8_bom.size();
  }
}

bool CsvReader::next(std::vector<std::string>& fields) {
  m_error.clear();
  const std::size_t size = m_text.size();

  // Empty lines (LF or CRLF) are separators, not records.
  while (m_pos < size) {
    if (m_text[m_pos] == '\n') {
      ++m_pos;
      ++m_line;
    } else if (m_text[m_pos] == '\r' && m_pos + 1 < size && m_text[m_pos + 1] == '\n') {
      m_pos += 2;
      ++m_line;
    } else {
      break;
    }
  }
  if (m_pos >= size) {
    fields.clear();
    return false;
  }

  m_record_line = m_line;
  const char* data = m_text.data();
  std::size_t count = 0;
  bool at_record_end = false;
  while (!at_record_end) {
    std::string& field = field_slot(fields, count++);

    if (m_pos < size && data[m_pos] == '"') {
      // Quoted field: copy the runs between quotes, a doubled quote is one quote.
      ++m_pos;
      bool closed = false;
      while (m_pos < size) {
        const std::size_t quote = m_text.find('"', m_pos);
        const std::size_t run_end = quote == std::string_view::npos ? size : quote;
        field.append(data + m_pos, run_end - m_pos);
        m_line += static_cast<std::size_t>(std::count(data + m_pos, data + run_end, '\n'));
        m_pos = run_end;
        if (quote == std::string_view::npos) {
          break;
        }
        if (quote + 1 < size && data[quote + 1] == '"') {
          field.push_back('"');
          m_pos = quote + 2;
          continue;
        }
        m_pos = quote + 1;
        closed = true;
        break;
      }
      if (!closed) {
        m_error = "unterminated quoted field";
        break;
      }
    }

    // Unquoted field, or whatever stray text follows a closing quote: kept
    // literally up to the next comma or line end (a mid-field quote included).
    std::size_t end = m_pos;
    while (end < size && data[end] != ',' && data[end] != '\n') {
      ++end;
    }
    std::size_t content_end = end;
    if ((end == size || data[end] == '\n') && content_end > m_pos &&
        data[content_end - 1] == '\r') {
      --content_end; // CRLF line ending
    }
    field.append(data + m_pos, content_end - m_pos);

    if (end >= size) {
      m_pos = size;
      at_record_end = true;
    } else if (data[end] == '\n') {
      m_pos = end + 1;
      ++m_line;
      at_record_end = true;
    } else {
      m_pos = end + 1; // comma: another field follows, possibly empty
    }
  }
  fields.resize(count);
  return true;
}

std::string csv_cell(std::string_view value) {
  std::string text;
  if (starts_formula(value)) {
    text.reserve(value.size() + 1);
    text.push_back('\'');
  }
  text.append(value);
  if (!needs_quotes(text)) {
    return text;
  }
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.push_back('"');
  std::size_t start = 0;
  for (std::size_t quote = text.find('"'); quote != std::string::npos;
       quote = text.find('"', start)) {
    quoted.append(text, start, quote + 1 - start);
    quoted.push_back('"');
    start = quote + 1;
  }
  quoted.append(text, start, std::string::npos);
  quoted.push_back('"');
  return quoted;
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& cells) {
  // A lone empty cell would be an empty line, which readers skip: quote it.
  if (cells.size() == 1 && cells.front().empty()) {
    out << "\"\"\n";
    return;
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) {
      out << ',';
    }
    out << csv_cell(cells[i]);
  }
  out << '\n';
}

} // namespace callsight
