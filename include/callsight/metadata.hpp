// Metadata: the call-log CSV that every call-tracking product exports, joined
// to transcripts by call id or file name.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace callsight {

class CallLog {
public:
  /// Parses call-log CSV text. Column names are matched case-insensitively
  /// after trimming; `call_id` and/or `file` must be present. Returns the
  /// error as "line N: reason" in `error` on failure.
  static std::optional<CallLog> parse(std::string_view csv_text, std::string& error);

  /// Lower-case column names in file order.
  const std::vector<std::string>& columns() const { return m_columns; }
  /// Index of a column, or -1.
  int column_index(std::string_view name) const;
  std::size_t size() const { return m_rows.size(); }

  /// The row of a call: matched by call id first, then by the path as given,
  /// by a path suffix ("calls/x.txt" matches "data/calls/x.txt"), then by
  /// file name. Returns row index or -1.
  long find(std::string_view call_id, std::string_view path) const;
  const std::vector<std::string>& row(std::size_t index) const { return m_rows[index]; }
  /// Value of `column` in row `index`, or "" when absent.
  std::string_view value(std::size_t index, std::string_view column) const;

private:
  std::vector<std::string> m_columns;
  std::vector<std::vector<std::string>> m_rows;
  std::unordered_map<std::string, std::size_t> m_by_call_id;
  std::unordered_map<std::string, std::size_t> m_by_file;
  std::unordered_map<std::string, std::size_t> m_by_basename;
};

/// True for the spellings of yes a call log uses: 1, true, yes, y, converted
/// (case-insensitive).
bool parse_truthy(std::string_view value);

/// Parses a money amount ("189.00", "$1,250.5", "-3") into cents; nullopt if
/// not a number. Cents keep aggregates exact whatever the merge order.
std::optional<std::int64_t> parse_money_cents(std::string_view value);

} // namespace callsight
