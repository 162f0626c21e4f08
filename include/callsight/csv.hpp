// CSV reading and writing per RFC 4180, with spreadsheet formula neutralization
// on output.
#pragma once
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace callsight {

/// Incremental RFC 4180 reader over a UTF-8 buffer (quoted fields may hold
/// commas, quotes doubled, and line breaks). Tolerates CRLF and a final
/// record without a newline.
class CsvReader {
public:
  explicit CsvReader(std::string_view text);
  /// Reads the next record into `fields`; false at end of input.
  bool next(std::vector<std::string>& fields);
  /// 1-based line on which the last record returned began.
  std::size_t line() const { return m_record_line; }
  /// Non-empty when the last record was malformed (e.g. unterminated quote).
  const std::string& error() const { return m_error; }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::size_t m_record_line = 0;
  std::string m_error;
};

/// A cell as written by callsight: quoted when needed, and prefixed with a
/// single quote when a spreadsheet would run it as a formula (= + - @ tab CR),
/// unless it is a plain number such as "-3" or "+1.5".
std::string csv_cell(std::string_view value);

/// Writes cells joined by commas and ended by "\n".
void write_csv_row(std::ostream& out, const std::vector<std::string>& cells);

} // namespace callsight
