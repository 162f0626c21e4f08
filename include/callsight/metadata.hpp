// Metadata: the call-log CSV that every call-tracking product exports, joined to
// transcripts by call id or file name; fields taken from file names; the spend CSV.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace callsight {

// --- column names -----------------------------------------------------------
//
// Header names are canonicalized: ASCII letters lower-cased, every run of other
// ASCII characters (spaces, punctuation, '_') and no-break spaces becomes one
// '_', and '_' is dropped at both ends; other UTF-8 is kept. So "Call ID" ->
// call_id, "Duration (seconds)" -> duration_seconds, " UTM-Source " -> utm_source.
//
// Then the names used by common call-tracking exports map to canonical names:
//
//   canonical        also recognized
//   ---------------  --------------------------------------------------------------
//   call_id          callid, id, call_sid, transaction_id, interaction_id,
//                    conversation_id, contact_id
//   file             filename, file_name, transcript, transcript_file, recording_file
//   started_at       start_time, call_start_time, called_at, call_date, date_time,
//                    datetime, timestamp, date, start
//   duration_s       duration, duration_seconds, call_duration, talk_time, duration_sec
//   campaign         campaign_name, utm_campaign
//   source           tracking_source, utm_source, lead_source
//   medium           utm_medium
//   keyword          keywords, utm_term, search_term
//   landing_page     landing_page_url, page
//   agent            agent_name, rep, answered_by, user, employee
//   tracking_number  tracking_phone
//   caller_number    customer_phone_number, caller_id, from_number, phone, phone_number,
//                    caller_phone, customer_phone, mobile
//   customer_id      client_id, crm_id
//   email            e_mail, email_address, caller_email, customer_email
//   converted        conversion, is_converted, booked, sale, qualified
//   revenue          value, sale_amount, sale_value, amount, deal_value
//
// Every column gets a unique name, decided in this order: a user column map
// (parse_column_map) first; then headers that are literally a canonical name;
// then aliases, the first header in the file winning; then each remaining
// header's own canonicalized name ("date" next to "started_at" stays "date"),
// with a _2, _3 ... suffix when that is taken too ("column_N" for a blank
// header, N counting from 1).

/// "Call ID " -> "call_id" (the canonicalization above, without aliases).
std::string canonicalize_header(std::string_view header);

/// canonicalize_header, then the alias table: "Campaign Name" -> "campaign",
/// "Region" -> "region".
std::string canonical_column_name(std::string_view header);

/// The canonical names of the table above (call_id, file, ... revenue), in
/// table order.
std::vector<std::string_view> standard_column_names();

/// One user mapping: the column whose header is `header` gets the name `canonical`.
struct ColumnMapping {
  std::string canonical; ///< the column's new name, canonicalized with aliases
  std::string header;    ///< as written; matched against headers after canonicalization
};
using ColumnMap = std::vector<ColumnMapping>;

/// Parses the CLI form "call_id=Call Ref,revenue=Sale Value". Names and headers
/// are trimmed; a header cannot contain ',' or '='. Names go through
/// canonical_column_name, so "Call ID=Ref" and "value=Ref" mean call_id and
/// revenue; any other name ("region=Territory") is kept as a new column name.
/// Errors: an empty spec or item, an item without '=' or with two, an empty
/// side, a name or a header given twice.
std::optional<ColumnMap> parse_column_map(std::string_view spec, std::string& error);

// --- the call log -----------------------------------------------------------

/// Which call-log rows were joined to a transcript. Each worker thread keeps its
/// own and they are merged with |=, so CallLog::find stays const and lock-free.
class RowUse {
public:
  void mark(std::size_t row);
  bool test(std::size_t row) const;
  RowUse& operator|=(const RowUse& other);
  /// Number of distinct rows marked.
  std::size_t count() const;
  /// The marked rows, ascending.
  std::vector<std::size_t> rows() const;
  /// Same rows marked (however many trailing empty words either keeps).
  bool operator==(const RowUse& other) const;

private:
  std::vector<std::uint64_t> m_words;
};

class CallLog {
public:
  /// Parses call-log CSV text. Headers are named as described above; a
  /// `call_id` or `file` column must result. Returns the error as
  /// "line N: reason" in `error` on failure.
  static std::optional<CallLog> parse(std::string_view csv_text, std::string& error);
  /// As above, with user mappings applied before the alias table. A mapping
  /// naming a header the file does not have is an error that lists the headers.
  static std::optional<CallLog> parse(std::string_view csv_text, std::string& error,
                                      const ColumnMap& map);

  /// Canonical column names in file order, all distinct.
  const std::vector<std::string>& columns() const { return m_columns; }
  /// Index of a column, or -1. `name` is canonicalized, then looked up as is,
  /// then through the alias table ("utm_campaign" finds campaign).
  int column_index(std::string_view name) const;
  std::size_t size() const { return m_rows.size(); }

  /// The row of a call: matched by call id first, then by the path as given,
  /// by a path suffix ("calls/x.txt" matches "data/calls/x.txt"), then by
  /// file name. Returns row index or -1. Const and thread-safe.
  long find(std::string_view call_id, std::string_view path) const;
  const std::vector<std::string>& row(std::size_t index) const { return m_rows[index]; }
  /// Value of `column` (see column_index) in row `index`, or "" when absent.
  std::string_view value(std::size_t index, std::string_view column) const;

  /// The call id of each row not marked in `used` (its file when the call id is
  /// empty), in file order.
  std::vector<std::string> unmatched_rows(const RowUse& used) const;

private:
  static std::optional<CallLog> parse_impl(std::string_view csv_text, std::string& error,
                                           const ColumnMap* map);

  std::vector<std::string> m_columns;
  std::vector<std::vector<std::string>> m_rows;
  int m_id_column = -1;
  int m_file_column = -1;
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

// --- fields from file names ---------------------------------------------------

/// A `--filename-pattern`: an ECMAScript regex with named groups, searched in a
/// transcript's file name (not its directory). Named groups are written
/// `(?<name>...)` (or Python's `(?P<name>...)`), and `\k<name>` refers back to
/// one; names are identifiers ([A-Za-z_][A-Za-z0-9_]*) and become field names
/// as written, e.g. call_id, date, agent, campaign. The search is unanchored:
/// use ^ and $ to match the whole name.
class FilenamePattern {
public:
  /// Error for a bad regex, a bad or duplicate group name, or no named group.
  static std::optional<FilenamePattern> compile(std::string_view pattern, std::string& error);

  /// Searches the file name of `path`; on a match, sets fields[name] for each
  /// named group that matched a non-empty text and returns true. Returns false
  /// and leaves `fields` alone when the name does not match. Thread-safe.
  bool apply(std::string_view path, std::map<std::string, std::string>& fields) const;

  /// Group names in pattern order.
  const std::vector<std::string>& names() const;

private:
  struct Compiled;
  // Shared and immutable: copies are cheap, and <regex> stays out of this header.
  std::shared_ptr<const Compiled> m_compiled;
};

// --- spend --------------------------------------------------------------------

/// Spend per group (campaign, source, agent ...), optionally per period.
///
/// Header: the first column names the group dimension (any header,
/// canonicalized with the alias table, so "Campaign Name" -> campaign); then
/// `spend` (or cost, amount, budget) is required, `period` (or month, date,
/// week) and `currency` are optional, and other columns are ignored. Amounts
/// are parsed by parse_money_cents and may be negative (credits). Rows for the
/// same group and period add up. Blank rows are skipped. Group values match
/// exactly (after trimming), as call-log values do.
class SpendTable {
public:
  static std::optional<SpendTable> parse(std::string_view csv_text, std::string& error);

  /// Canonical name of the first column, e.g. "campaign" or "source".
  const std::string& dimension() const { return m_dimension; }

  /// Spend of a group in cents, summed over the rows whose period matches:
  /// every row when `period` is empty; otherwise rows whose period equals it or
  /// starts with it followed by '-', 'T', ' ', '/' or 'W' ("2026-10" matches
  /// "2026-10" and "2026-10-05", not "2026-1" nor "2026-100"). Rows without a
  /// period match only the empty filter: a yearly or undated figure cannot be
  /// split into months. nullopt when no row matches (unknown spend), 0 when the
  /// matching rows add up to nothing.
  std::optional<std::int64_t> spend_cents(std::string_view group_value,
                                          std::string_view period = {}) const;

  /// The table's currency code, upper-cased ("USD"), or "" when no row gives
  /// one. Rows with an empty currency cell use it; two different codes are a
  /// parse error.
  const std::string& currency() const { return m_currency; }

  /// Group values in order of first appearance.
  std::vector<std::string> groups() const { return m_group_order; }
  /// Distinct non-empty periods in order of first appearance.
  const std::vector<std::string>& periods() const { return m_periods; }

private:
  struct Entry {
    std::string period;
    std::int64_t cents = 0;
  };

  std::string m_dimension;
  std::string m_currency;
  std::map<std::string, std::vector<Entry>, std::less<>> m_by_group;
  std::vector<std::string> m_group_order;
  std::vector<std::string> m_periods;
};

} // namespace callsight
