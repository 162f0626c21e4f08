// Spend CSV: spend per group (campaign, source ...) and period, in one currency, in cents.
#include <algorithm>
#include <limits>
#include <string>

#include "callsight/csv.hpp"
#include "callsight/metadata.hpp"

namespace callsight {

namespace {

constexpr std::string_view k_whitespace = " \t\r\n\v\f";

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(k_whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(k_whitespace);
  return text.substr(first, last - first + 1);
}

std::string line_prefix(std::size_t line) {
  return "line " + std::to_string(line) + ": ";
}

enum class Role { other, spend, period, currency };

struct RoleName {
  std::string_view name;
  Role role;
};

// Header names of the spend file's own columns. Not the call-log aliases:
// there "amount" is revenue and "date" a call's start time.
constexpr RoleName k_role_names[] = {
    {"spend", Role::spend},  {"cost", Role::spend},    {"amount", Role::spend},
    {"budget", Role::spend}, {"period", Role::period}, {"month", Role::period},
    {"date", Role::period},  {"week", Role::period},   {"currency", Role::currency},
};

Role role_of(std::string_view canonical) {
  for (const RoleName& entry : k_role_names) {
    if (entry.name == canonical) {
      return entry.role;
    }
  }
  return Role::other;
}

std::string_view role_label(Role role) {
  switch (role) {
  case Role::spend:
    return "spend";
  case Role::period:
    return "period";
  case Role::currency:
    return "currency";
  case Role::other:
    break;
  }
  return {};
}

// The column playing each role: one literally named after the role wins,
// else the first of its aliases.
struct Columns {
  int spend = -1;
  int period = -1;
  int currency = -1;

  int& of(Role role) {
    return role == Role::spend ? spend : role == Role::period ? period : currency;
  }
};

Columns find_columns(const std::vector<std::string>& headers) {
  Columns columns;
  std::vector<bool> literal(3, false);
  for (std::size_t i = 1; i < headers.size(); ++i) {
    const std::string name = canonicalize_header(headers[i]);
    const Role role = role_of(name);
    if (role == Role::other) {
      continue;
    }
    const bool is_literal = name == role_label(role);
    const auto slot = static_cast<std::size_t>(role) - 1;
    int& column = columns.of(role);
    if (column < 0 || (is_literal && !literal[slot])) {
      column = static_cast<int>(i);
      literal[slot] = is_literal;
    }
  }
  return columns;
}

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

bool all_blank(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(),
                     [](const std::string& field) { return trim(field).empty(); });
}

std::string join_headers(const std::vector<std::string>& headers) {
  std::string out;
  for (const std::string& header : headers) {
    out += (out.empty() ? "" : ", ") + std::string(trim(header));
  }
  return out;
}

// "2026-10" covers "2026-10" and "2026-10-05" but not "2026-100": the prefix
// must end where a date or week component ends.
bool period_matches(std::string_view period, std::string_view filter) {
  if (period.substr(0, filter.size()) != filter) {
    return false;
  }
  if (period.size() == filter.size()) {
    return true;
  }
  const char next = period[filter.size()];
  return next == '-' || next == 'T' || next == ' ' || next == '/' || next == 'W';
}

} // namespace

std::optional<SpendTable> SpendTable::parse(std::string_view csv_text, std::string& error) {
  error.clear();
  SpendTable table;
  CsvReader reader(csv_text);
  std::vector<std::string> fields;
  if (!reader.next(fields)) {
    error = line_prefix(1) + "the spend file needs a group column (campaign, source ...) and a "
                             "spend column";
    return std::nullopt;
  }
  if (!reader.error().empty()) {
    error = line_prefix(reader.line()) + reader.error();
    return std::nullopt;
  }
  const std::vector<std::string> headers = fields;
  table.m_dimension = canonical_column_name(headers.front());
  if (table.m_dimension.empty() || role_of(canonicalize_header(headers.front())) != Role::other) {
    error = line_prefix(reader.line()) +
            "the first column names the group (campaign, source ...), not '" +
            std::string(trim(headers.front())) + "'";
    return std::nullopt;
  }
  const Columns columns = find_columns(headers);
  if (columns.spend < 0) {
    error = line_prefix(reader.line()) +
            "the spend file needs a spend column (or cost, amount, budget) (headers: " +
            join_headers(headers) + ")";
    return std::nullopt;
  }

  // Sum of magnitudes per group: bounds every partial sum spend_cents can form,
  // so lookups never overflow whatever the signs and the period filter.
  std::map<std::string, std::int64_t, std::less<>> magnitude;
  std::size_t currency_line = 0;
  while (reader.next(fields)) {
    const std::size_t line = reader.line();
    if (!reader.error().empty()) {
      error = line_prefix(line) + reader.error();
      return std::nullopt;
    }
    if (all_blank(fields)) {
      continue;
    }
    if (fields.size() != headers.size()) {
      error = line_prefix(line) + "expected " + std::to_string(headers.size()) + " fields, found " +
              std::to_string(fields.size());
      return std::nullopt;
    }
    const std::string_view group = trim(fields.front());
    if (group.empty()) {
      error = line_prefix(line) + "empty " + table.m_dimension;
      return std::nullopt;
    }
    const std::string_view spend = trim(fields[static_cast<std::size_t>(columns.spend)]);
    const std::optional<std::int64_t> cents = parse_money_cents(spend);
    if (!cents) {
      error = line_prefix(line) + "spend '" + std::string(spend) + "' is not an amount";
      return std::nullopt;
    }
    if (columns.currency >= 0) {
      const std::string currency =
          upper_ascii(trim(fields[static_cast<std::size_t>(columns.currency)]));
      if (!currency.empty()) {
        if (table.m_currency.empty()) {
          table.m_currency = currency;
          currency_line = line;
        } else if (currency != table.m_currency) {
          // Adding dollars to euros would make every cost per call wrong.
          error = line_prefix(line) + "currency " + currency + " differs from " + table.m_currency +
                  " on line " + std::to_string(currency_line) + "; a spend file holds one currency";
          return std::nullopt;
        }
      }
    }
    const std::string_view period = columns.period >= 0
                                        ? trim(fields[static_cast<std::size_t>(columns.period)])
                                        : std::string_view();

    auto [total, inserted] = magnitude.try_emplace(std::string(group), 0);
    const std::int64_t size = *cents < 0 ? -*cents : *cents;
    if (total->second > std::numeric_limits<std::int64_t>::max() - size) {
      error = line_prefix(line) + "spend of " + std::string(group) + " adds up past the largest " +
              "amount";
      return std::nullopt;
    }
    total->second += size;
    if (inserted) {
      table.m_group_order.emplace_back(group);
    }
    if (!period.empty() && std::find(table.m_periods.begin(), table.m_periods.end(), period) ==
                               table.m_periods.end()) {
      table.m_periods.emplace_back(period);
    }
    table.m_by_group[std::string(group)].push_back(Entry{std::string(period), *cents});
  }
  return table;
}

std::optional<std::int64_t> SpendTable::spend_cents(std::string_view group_value,
                                                    std::string_view period) const {
  const auto it = m_by_group.find(trim(group_value));
  if (it == m_by_group.end()) {
    return std::nullopt;
  }
  const std::string_view filter = trim(period);
  std::optional<std::int64_t> total;
  for (const Entry& entry : it->second) {
    if (filter.empty() || (!entry.period.empty() && period_matches(entry.period, filter))) {
      total = total.value_or(0) + entry.cents;
    }
  }
  return total;
}

} // namespace callsight
