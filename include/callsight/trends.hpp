// Trends: report windows (day, ISO week, month, or explicit dates), the
// change of each topic's share of calls between a window and the one before
// it (overall and per group value) with a two-proportion z-test, and alert
// rules that fire on significant spikes.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/aggregate.hpp"
#include "callsight/matcher.hpp"

namespace callsight {

using Date = std::chrono::sys_days;

/// The date at the start of an ISO date or date-time ("2026-11-09",
/// "2026-11-09T14:02:00Z", "2026-11-09 14:02"); nullopt when it is not one.
std::optional<Date> parse_iso_date(std::string_view text);
/// "2026-11-09".
std::string format_iso_date(Date date);

/// Inclusive range of days with a display label ("2026-W46", "2026-11",
/// "2026-11-09", or "2026-11-01..2026-11-20" for explicit dates).
struct DateRange {
  Date first;
  Date last;
  std::string label;
  bool contains(Date date) const { return first <= date && date <= last; }
  std::int64_t days() const { return (last - first).count() + 1; }
};

/// The window a report covers and the one its trends compare against.
struct ReportWindow {
  std::string period; ///< "day", "week", "month", or "range" for explicit dates
  DateRange current;
  DateRange previous;
};

/// The period of kind `period` ("day", "week" = ISO week Monday..Sunday,
/// "month") that contains `date`.
DateRange period_containing(Date date, std::string_view period);

/// The report window:
///  - `since` given: current = since..until (until defaults to `today` - 1),
///    previous = the same number of days just before; `period` must be empty;
///  - else `period` given: current = the last complete period ending on or
///    before `until` (default `today` - 1), previous = the period before it;
///  - neither: nullopt and no error (the report covers every stored call).
/// Errors (returned in `error`): since after until, an unknown period, both
/// since and period.
std::optional<ReportWindow> make_report_window(std::string_view period,
                                               const std::optional<Date>& since,
                                               const std::optional<Date>& until, Date today,
                                               std::string& error);

/// Two-sided p-value of the pooled two-proportion z-test of x1/n1 against
/// x2/n2; nullopt when either n is 0. 1 when both shares are 0 or both are 1.
std::optional<double> two_proportion_p_value(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2,
                                             std::uint64_t n2);

/// Changes flagged significant below this p-value.
inline constexpr double k_significance_level = 0.05;

/// One topic's share of calls in two windows.
struct TopicTrend {
  std::uint32_t topic = 0; ///< index into the taxonomy's topics
  std::uint64_t current_calls = 0;
  std::uint64_t previous_calls = 0;
  double current_share = 0.0;
  double previous_share = 0.0;
  double change_pp = 0.0; ///< (current - previous) share in percentage points
  std::optional<double> p_value;
  bool significant = false;
};

/// Trends of the topics within one value of one group dimension.
struct GroupTrend {
  std::string dimension;
  std::string value;
  std::uint64_t current_calls = 0; ///< calls of the group in each window
  std::uint64_t previous_calls = 0;
  std::vector<TopicTrend> topics; ///< topics raised in either window, taxonomy order
};

struct Trends {
  std::uint64_t current_calls = 0;
  std::uint64_t previous_calls = 0;
  std::vector<TopicTrend> topics; ///< every topic, taxonomy order
  std::vector<GroupTrend> groups; ///< non-time dimensions, groups with calls in both windows
};

/// Compares two summaries of the same taxonomy and dimensions. Time
/// dimensions (day, week, month) are left out of the group trends: their
/// values cannot be in both windows.
Trends compute_trends(const Summary& current, const Summary& previous);

/// `TOPIC:+5pp` (share up at least 5 points), `TOPIC:-5pp` (down at least 5),
/// `TOPIC:x1.5` (at least 1.5 times the previous share; x0.5: at most half),
/// TOPIC `*` for any topic, optionally followed by `,min_calls=N` (calls in
/// the current window of the scope, overall or group). An alert fires only
/// when the change is also significant (p < 0.05).
struct AlertRule {
  std::string spec;  ///< as written
  std::string topic; ///< topic id or "*"
  enum class Kind : std::uint8_t { points, ratio } kind = Kind::points;
  double threshold = 0.0; ///< points (signed) or ratio
  std::uint64_t min_calls = 0;
};

/// Parses one rule; `topic_ids` are the taxonomy's ids (an unknown topic is
/// an error that lists them). nullopt and `error` set when malformed.
std::optional<AlertRule> parse_alert_rule(std::string_view spec,
                                          const std::vector<std::string>& topic_ids,
                                          std::string& error);

/// A rule that fired, for one topic overall or within one group.
struct Alert {
  std::string rule;
  std::uint32_t topic = 0;
  std::string dimension; ///< "" for the whole window
  std::string value;
  TopicTrend trend;
  std::uint64_t scope_calls = 0; ///< calls of the scope in the current window
};

/// Does `rule` fire on `trend`, given the scope's calls in the current window?
bool alert_fires(const AlertRule& rule, const TopicTrend& trend, std::uint64_t scope_calls,
                 std::string_view topic_id);

/// Every rule against every overall and group trend; ordered by scope
/// (overall first, then dimensions and values in report order), then topic,
/// then rule order. A topic fires at most once per scope (the first rule).
std::vector<Alert> evaluate_alerts(const std::vector<AlertRule>& rules, const Trends& trends,
                                   const CompiledTaxonomy& taxonomy);

} // namespace callsight
