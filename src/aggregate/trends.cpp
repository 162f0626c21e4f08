// Trends between two report windows: calendar math for the windows, the
// two-proportion z-test, and alert rules.
#include "callsight/trends.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace callsight {
namespace {

using namespace std::chrono;

bool is_time_dimension(std::string_view name) {
  return name == "day" || name == "week" || name == "month";
}

double share(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

TopicTrend topic_trend(std::uint32_t topic, std::uint64_t current_calls,
                       std::uint64_t current_total, std::uint64_t previous_calls,
                       std::uint64_t previous_total) {
  TopicTrend trend;
  trend.topic = topic;
  trend.current_calls = current_calls;
  trend.previous_calls = previous_calls;
  trend.current_share = share(current_calls, current_total);
  trend.previous_share = share(previous_calls, previous_total);
  trend.change_pp = (trend.current_share - trend.previous_share) * 100.0;
  trend.p_value =
      two_proportion_p_value(current_calls, current_total, previous_calls, previous_total);
  trend.significant = trend.p_value && *trend.p_value < k_significance_level;
  return trend;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
  auto digits = [&](std::size_t pos, std::size_t count) {
    return pos + count <= text.size() &&
           std::all_of(text.begin() + static_cast<std::ptrdiff_t>(pos),
                       text.begin() + static_cast<std::ptrdiff_t>(pos + count),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(0, 4) || text.size() < 10 || text[4] != '-' || !digits(5, 2) || text[7] != '-' ||
      !digits(8, 2) || (text.size() > 10 && (text[10] >= '0' && text[10] <= '9'))) {
    return std::nullopt;
  }
  auto number = [&](std::size_t pos, std::size_t count) {
    int value = 0;
    std::from_chars(text.data() + pos, text.data() + pos + count, value);
    return value;
  };
  const year_month_day date{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                            day{static_cast<unsigned>(number(8, 2))}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return sys_days{date};
}

std::string format_iso_date(Date date) {
  const year_month_day ymd{date};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

DateRange period_containing(Date date, std::string_view period) {
  if (period == "week") {
    const int iso_weekday = static_cast<int>(weekday{date}.iso_encoding()); // Mon=1..Sun=7
    const Date monday = date - days{iso_weekday - 1};
    return {monday, monday + days{6}, period_of(format_iso_date(monday), "week")};
  }
  if (period == "month") {
    const year_month_day ymd{date};
    const Date first = sys_days{ymd.year() / ymd.month() / 1};
    const Date last = sys_days{ymd.year() / ymd.month() / std::chrono::last};
    return {first, last, format_iso_date(first).substr(0, 7)};
  }
  return {date, date, format_iso_date(date)};
}

std::optional<ReportWindow> make_report_window(std::string_view period,
                                               const std::optional<Date>& since,
                                               const std::optional<Date>& until, Date today,
                                               std::string& error) {
  const Date last = until.value_or(today - days{1});
  if (since) {
    if (!period.empty()) {
      error = "--since and --period both set the window: give one of them";
      return std::nullopt;
    }
    if (*since > last) {
      error = "--since " + format_iso_date(*since) + " is after --until " + format_iso_date(last);
      return std::nullopt;
    }
    ReportWindow window;
    window.period = "range";
    window.current = {*since, last, format_iso_date(*since) + ".." + format_iso_date(last)};
    const Date previous_last = *since - days{1};
    const Date previous_first = previous_last - days{window.current.days() - 1};
    window.previous = {previous_first, previous_last,
                       format_iso_date(previous_first) + ".." + format_iso_date(previous_last)};
    return window;
  }
  if (period.empty()) {
    if (until) {
      error = "--until needs --since or --period to make a window";
    }
    return std::nullopt;
  }
  if (period != "day" && period != "week" && period != "month") {
    error = "--period must be day, week or month, not '" + std::string(period) + "'";
    return std::nullopt;
  }
  ReportWindow window;
  window.period = std::string(period);
  // The last complete period: the one containing `last` when it ends there.
  DateRange current = period_containing(last, period);
  if (current.last != last) {
    current = period_containing(current.first - days{1}, period);
  }
  window.current = current;
  window.previous = period_containing(current.first - days{1}, period);
  return window;
}

std::optional<double> two_proportion_p_value(std::uint64_t x1, std::uint64_t n1, std::uint64_t x2,
                                             std::uint64_t n2) {
  if (n1 == 0 || n2 == 0) {
    return std::nullopt;
  }
  const double a = static_cast<double>(n1);
  const double b = static_cast<double>(n2);
  const double p1 = static_cast<double>(x1) / a;
  const double p2 = static_cast<double>(x2) / b;
  const double pooled = static_cast<double>(x1 + x2) / (a + b);
  const double se = std::sqrt(pooled * (1.0 - pooled) * (1.0 / a + 1.0 / b));
  if (se == 0.0) {
    return 1.0; // both shares 0 or both 1: no difference to test
  }
  const double z = (p1 - p2) / se;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

Trends compute_trends(const Summary& current, const Summary& previous) {
  Trends trends;
  trends.current_calls = current.totals().calls;
  trends.previous_calls = previous.totals().calls;
  const std::size_t topics = current.topics().size();
  for (std::size_t t = 0; t < topics; ++t) {
    trends.topics.push_back(topic_trend(static_cast<std::uint32_t>(t), current.topics()[t].calls,
                                        trends.current_calls, previous.topics()[t].calls,
                                        trends.previous_calls));
  }
  for (std::size_t d = 0; d < current.dimensions().size(); ++d) {
    const std::string& dimension = current.dimensions()[d];
    if (is_time_dimension(dimension)) {
      continue;
    }
    for (const auto& [value, now] : current.groups(d)) {
      const auto before = previous.groups(d).find(value);
      if (before == previous.groups(d).end()) {
        continue;
      }
      GroupTrend group{dimension, value, now.calls, before->second.calls, {}};
      for (std::size_t t = 0; t < topics; ++t) {
        const std::uint64_t now_calls = t < now.topics.size() ? now.topics[t].calls : 0;
        const std::uint64_t before_calls =
            t < before->second.topics.size() ? before->second.topics[t].calls : 0;
        if (now_calls == 0 && before_calls == 0) {
          continue;
        }
        group.topics.push_back(topic_trend(static_cast<std::uint32_t>(t), now_calls, now.calls,
                                           before_calls, before->second.calls));
      }
      trends.groups.push_back(std::move(group));
    }
  }
  return trends;
}

std::optional<AlertRule> parse_alert_rule(std::string_view spec,
                                          const std::vector<std::string>& topic_ids,
                                          std::string& error) {
  AlertRule rule;
  rule.spec = std::string(trim(spec));
  std::string_view rest = rule.spec;
  const std::size_t comma = rest.find(',');
  if (comma != std::string_view::npos) {
    const std::string_view option = trim(rest.substr(comma + 1));
    rest = trim(rest.substr(0, comma));
    constexpr std::string_view k_min_calls = "min_calls=";
    const std::string_view digits = option.substr(std::min(option.size(), k_min_calls.size()));
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), rule.min_calls);
    if (!option.starts_with(k_min_calls) || digits.empty() || ec != std::errc() ||
        end != digits.data() + digits.size()) {
      error = "'" + std::string(option) + "' is not min_calls=N";
      return std::nullopt;
    }
  }
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    error = "expected TOPIC:+Npp, TOPIC:-Npp or TOPIC:xF (e.g. cancellation:+5pp, *:x2)";
    return std::nullopt;
  }
  rule.topic = std::string(trim(rest.substr(0, colon)));
  const std::string_view threshold = trim(rest.substr(colon + 1));
  if (rule.topic != "*" &&
      std::find(topic_ids.begin(), topic_ids.end(), rule.topic) == topic_ids.end()) {
    std::string known;
    for (const std::string& id : topic_ids) {
      known += (known.empty() ? "" : ", ") + id;
    }
    error = "unknown topic '" + rule.topic + "' (topics: " + known + "; or * for any)";
    return std::nullopt;
  }
  if ((threshold.starts_with('+') || threshold.starts_with('-')) && threshold.ends_with("pp")) {
    const std::optional<double> points = parse_number(threshold.substr(1, threshold.size() - 3));
    if (!points || *points <= 0.0) {
      error = "'" + std::string(threshold) + "': points must be a number above 0, e.g. +5pp";
      return std::nullopt;
    }
    rule.kind = AlertRule::Kind::points;
    rule.threshold = threshold.front() == '-' ? -*points : *points;
    return rule;
  }
  if (threshold.starts_with('x')) {
    const std::optional<double> ratio = parse_number(threshold.substr(1));
    if (!ratio || *ratio <= 0.0 || *ratio == 1.0) {
      error = "'" + std::string(threshold) +
              "': a ratio must be a number above 0 other than 1, e.g. x1.5 or x0.5";
      return std::nullopt;
    }
    rule.kind = AlertRule::Kind::ratio;
    rule.threshold = *ratio;
    return rule;
  }
  error = "threshold '" + std::string(threshold) + "' is not +Npp, -Npp or xF";
  return std::nullopt;
}

bool alert_fires(const AlertRule& rule, const TopicTrend& trend, std::uint64_t scope_calls,
                 std::string_view topic_id) {
  if ((rule.topic != "*" && rule.topic != topic_id) || !trend.significant ||
      scope_calls < rule.min_calls) {
    return false;
  }
  // A tiny epsilon so that a change exactly at the threshold ("+5pp" on 5
  // points, "x6" on 0.1 -> 0.6) fires despite floating-point rounding.
  constexpr double k_epsilon = 1e-9;
  if (rule.kind == AlertRule::Kind::points) {
    return rule.threshold > 0 ? trend.change_pp >= rule.threshold - k_epsilon
                              : trend.change_pp <= rule.threshold + k_epsilon;
  }
  if (rule.threshold > 1.0) {
    return trend.current_share > trend.previous_share &&
           trend.current_share >= rule.threshold * trend.previous_share - k_epsilon;
  }
  return trend.current_share < trend.previous_share &&
         trend.current_share <= rule.threshold * trend.previous_share + k_epsilon;
}

std::vector<Alert> evaluate_alerts(const std::vector<AlertRule>& rules, const Trends& trends,
                                   const CompiledTaxonomy& taxonomy) {
  std::vector<Alert> alerts;
  auto check = [&](const std::string& dimension, const std::string& value,
                   const std::vector<TopicTrend>& topics, std::uint64_t scope_calls) {
    for (const TopicTrend& trend : topics) {
      const std::string& id = taxonomy.topics()[trend.topic].id;
      for (const AlertRule& rule : rules) {
        if (alert_fires(rule, trend, scope_calls, id)) {
          alerts.push_back({rule.spec, trend.topic, dimension, value, trend, scope_calls});
          break;
        }
      }
    }
  };
  check("", "", trends.topics, trends.current_calls);
  for (const GroupTrend& group : trends.groups) {
    check(group.dimension, group.value, group.topics, group.current_calls);
  }
  return alerts;
}

} // namespace callsight
