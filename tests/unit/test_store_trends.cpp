// Unit tests for the report windows, the two-proportion z-test, trends and
// alert rules used by reports from the store (src/aggregate/trends.cpp).
#include <gtest/gtest.h>

#include "callsight/trends.hpp"

#include "store_test_fixture.hpp"

using namespace callsight;
using callsight::testing_support::two_topics;

namespace {

Date day(const char* iso) {
  const std::optional<Date> date = parse_iso_date(iso);
  EXPECT_TRUE(date) << iso;
  return date.value_or(Date{});
}

ReportWindow window(std::string_view period, std::optional<Date> since, std::optional<Date> until,
                    Date today = day("2030-01-01")) {
  std::string error;
  const std::optional<ReportWindow> made = make_report_window(period, since, until, today, error);
  EXPECT_TRUE(made) << error;
  EXPECT_EQ(error, "");
  return made.value_or(ReportWindow{});
}

std::string span(const DateRange& range) {
  return range.label + " " + format_iso_date(range.first) + ".." + format_iso_date(range.last);
}

// `calls` calls, the first `with_topic` tagged with topic 1, in group `group`.
void add_calls(Summary& summary, int calls, int with_topic, const std::string& group) {
  for (int i = 0; i < calls; ++i) {
    CallResult call;
    if (i < with_topic) {
      call.tags.topics.push_back(TopicMatch{1, 1, 0, 0, 0, 0});
    }
    call.group_values = {group};
    summary.add(call);
  }
}

} // namespace

TEST(StoreTrends, ParsesIsoDatesAndDateTimes) {
  EXPECT_EQ(format_iso_date(day("2026-11-09")), "2026-11-09");
  EXPECT_EQ(format_iso_date(day("2026-11-09T14:02:00Z")), "2026-11-09");
  EXPECT_EQ(format_iso_date(day("2024-02-29 08:00")), "2024-02-29");
  EXPECT_FALSE(parse_iso_date("2026-02-29"));
  EXPECT_FALSE(parse_iso_date("2026-13-01"));
  EXPECT_FALSE(parse_iso_date("11/09/2026"));
  EXPECT_FALSE(parse_iso_date("2026-11-091"));
  EXPECT_FALSE(parse_iso_date(""));
}

TEST(StoreTrends, IsoWeeksAcrossTheYearEnd) {
  // 2026-01-01 is a Thursday: its week starts Monday 2025-12-29 and is 2026-W01.
  EXPECT_EQ(span(period_containing(day("2026-01-01"), "week")), "2026-W01 2025-12-29..2026-01-04");
  EXPECT_EQ(span(period_containing(day("2025-12-28"), "week")), "2025-W52 2025-12-22..2025-12-28");
  // 2021-01-03 (Sunday) still belongs to 2020-W53.
  EXPECT_EQ(span(period_containing(day("2021-01-03"), "week")), "2020-W53 2020-12-28..2021-01-03");
}

TEST(StoreTrends, MonthEdges) {
  EXPECT_EQ(span(period_containing(day("2024-02-10"), "month")), "2024-02 2024-02-01..2024-02-29");
  EXPECT_EQ(span(period_containing(day("2023-02-28"), "month")), "2023-02 2023-02-01..2023-02-28");
  EXPECT_EQ(span(period_containing(day("2026-12-31"), "month")), "2026-12 2026-12-01..2026-12-31");
}

TEST(StoreTrends, PeriodWindowIsTheLastCompletePeriod) {
  // Until a Sunday: that week is complete.
  ReportWindow w = window("week", std::nullopt, day("2026-01-04"));
  EXPECT_EQ(span(w.current), "2026-W01 2025-12-29..2026-01-04");
  EXPECT_EQ(span(w.previous), "2025-W52 2025-12-22..2025-12-28");
  // Until a Saturday: the week before.
  w = window("week", std::nullopt, day("2026-01-03"));
  EXPECT_EQ(w.current.label, "2025-W52");
  // Months: until the last day, or in the middle.
  w = window("month", std::nullopt, day("2024-02-29"));
  EXPECT_EQ(span(w.current), "2024-02 2024-02-01..2024-02-29");
  EXPECT_EQ(span(w.previous), "2024-01 2024-01-01..2024-01-31");
  w = window("month", std::nullopt, day("2024-03-01"));
  EXPECT_EQ(w.current.label, "2024-02");
  w = window("month", std::nullopt, day("2026-01-15"));
  EXPECT_EQ(span(w.current), "2025-12 2025-12-01..2025-12-31");
  EXPECT_EQ(span(w.previous), "2025-11 2025-11-01..2025-11-30");
  // Days: until itself, the day before it; leap day.
  w = window("day", std::nullopt, day("2024-03-01"));
  EXPECT_EQ(span(w.current), "2024-03-01 2024-03-01..2024-03-01");
  EXPECT_EQ(span(w.previous), "2024-02-29 2024-02-29..2024-02-29");
  // Default until: yesterday.
  w = window("day", std::nullopt, std::nullopt, day("2026-11-25"));
  EXPECT_EQ(w.current.label, "2026-11-24");
}

TEST(StoreTrends, ExplicitWindowComparesWithTheSameLengthBefore) {
  const ReportWindow w = window("", day("2026-11-01"), day("2026-11-10"));
  EXPECT_EQ(w.period, "range");
  EXPECT_EQ(w.current.days(), 10);
  EXPECT_EQ(format_iso_date(w.previous.first), "2026-10-22");
  EXPECT_EQ(format_iso_date(w.previous.last), "2026-10-31");
  EXPECT_EQ(w.current.label, "2026-11-01..2026-11-10");
  // --since alone: up to yesterday.
  const ReportWindow open = window("", day("2026-11-20"), std::nullopt, day("2026-11-25"));
  EXPECT_EQ(format_iso_date(open.current.last), "2026-11-24");
}

TEST(StoreTrends, WindowErrors) {
  std::string error;
  EXPECT_FALSE(
      make_report_window("", day("2026-11-20"), day("2026-11-10"), day("2030-01-01"), error));
  EXPECT_EQ(error, "--since 2026-11-20 is after --until 2026-11-10");
  error.clear();
  EXPECT_FALSE(
      make_report_window("week", day("2026-11-01"), std::nullopt, day("2030-01-01"), error));
  EXPECT_NE(error.find("give one of them"), std::string::npos);
  error.clear();
  EXPECT_FALSE(make_report_window("year", std::nullopt, std::nullopt, day("2030-01-01"), error));
  EXPECT_NE(error.find("day, week or month"), std::string::npos);
  error.clear();
  // No window at all is not an error: the report covers everything.
  EXPECT_FALSE(make_report_window("", std::nullopt, std::nullopt, day("2030-01-01"), error));
  EXPECT_EQ(error, "");
}

TEST(StoreTrends, TwoProportionZTestMatchesHandComputation) {
  // 45/100 vs 30/100: pooled 0.375, se = sqrt(0.375 * 0.625 * 0.02) = 0.068465,
  // z = 0.15 / 0.068465 = 2.1909, two-sided p = 2 * (1 - Phi(2.1909)) = 0.02846.
  EXPECT_NEAR(*two_proportion_p_value(45, 100, 30, 100), 0.02846, 5e-5);
  // 12/20 vs 2/20: pooled 0.35, se = sqrt(0.35 * 0.65 * 0.1) = 0.15083, z = 3.3150, p = 0.000917.
  EXPECT_NEAR(*two_proportion_p_value(12, 20, 2, 20), 0.000917, 5e-6);
  // Symmetric, and 1 for equal shares.
  EXPECT_DOUBLE_EQ(*two_proportion_p_value(30, 100, 45, 100),
                   *two_proportion_p_value(45, 100, 30, 100));
  EXPECT_NEAR(*two_proportion_p_value(10, 50, 20, 100), 1.0, 1e-12);
  EXPECT_EQ(two_proportion_p_value(0, 10, 0, 10), 1.0);
  EXPECT_EQ(two_proportion_p_value(10, 10, 5, 5), 1.0);
  EXPECT_FALSE(two_proportion_p_value(1, 0, 1, 10));
  EXPECT_FALSE(two_proportion_p_value(1, 10, 0, 0));
}

TEST(StoreTrends, TrendsOverallAndPerGroup) {
  const CompiledTaxonomy taxonomy = two_topics();
  Summary current(2, {"campaign", "week"});
  Summary previous(2, {"campaign", "week"});
  add_calls(current, 20, 12, "search");
  add_calls(previous, 20, 2, "search");
  add_calls(current, 5, 0, "tv"); // only in the current window: no group trend
  const Trends trends = compute_trends(current, previous);
  EXPECT_EQ(trends.current_calls, 25u);
  EXPECT_EQ(trends.previous_calls, 20u);
  ASSERT_EQ(trends.topics.size(), 2u);
  const TopicTrend& cancel = trends.topics[1];
  EXPECT_EQ(cancel.current_calls, 12u);
  EXPECT_DOUBLE_EQ(cancel.current_share, 12.0 / 25.0);
  EXPECT_DOUBLE_EQ(cancel.previous_share, 0.1);
  EXPECT_NEAR(cancel.change_pp, 38.0, 1e-9);
  EXPECT_TRUE(cancel.significant);
  EXPECT_FALSE(trends.topics[0].significant); // 0 of 25 vs 0 of 20
  // Time dimensions are left out; "search" is in both windows.
  ASSERT_EQ(trends.groups.size(), 1u);
  EXPECT_EQ(trends.groups[0].dimension, "campaign");
  EXPECT_EQ(trends.groups[0].value, "search");
  ASSERT_EQ(trends.groups[0].topics.size(), 1u); // only topics raised in either window
  EXPECT_NEAR(*trends.groups[0].topics[0].p_value, 0.000917, 5e-6);
}

TEST(StoreTrends, ParsesAlertRules) {
  const std::vector<std::string> ids = {"pricing", "cancellation"};
  std::string error;
  std::optional<AlertRule> rule = parse_alert_rule("cancellation:+5pp", ids, error);
  ASSERT_TRUE(rule) << error;
  EXPECT_EQ(rule->topic, "cancellation");
  EXPECT_EQ(rule->kind, AlertRule::Kind::points);
  EXPECT_DOUBLE_EQ(rule->threshold, 5.0);
  EXPECT_EQ(rule->min_calls, 0u);
  rule = parse_alert_rule(" pricing : x1.5 ", ids, error);
  ASSERT_TRUE(rule) << error;
  EXPECT_EQ(rule->kind, AlertRule::Kind::ratio);
  EXPECT_DOUBLE_EQ(rule->threshold, 1.5);
  rule = parse_alert_rule("*:-2.5pp,min_calls=20", ids, error);
  ASSERT_TRUE(rule) << error;
  EXPECT_EQ(rule->topic, "*");
  EXPECT_DOUBLE_EQ(rule->threshold, -2.5);
  EXPECT_EQ(rule->min_calls, 20u);

  for (const char* bad : {"cancellation", "cancellation:5", "cancellation:+5", "cancellation:+0pp",
                          "cancellation:x1", "cancellation:x-2", "cancellation:+5pp,min=3",
                          "cancellation:+5pp,min_calls=", "cancellation:+5pp,min_calls=-1",
                          "refunds:+5pp", ":+5pp"}) {
    error.clear();
    EXPECT_FALSE(parse_alert_rule(bad, ids, error)) << bad;
    EXPECT_NE(error, "") << bad;
  }
  error.clear();
  parse_alert_rule("refunds:+5pp", ids, error);
  EXPECT_EQ(error, "unknown topic 'refunds' (topics: pricing, cancellation; or * for any)");
}

TEST(StoreTrends, AlertsFireOnlyOnSignificantChangesOverTheThreshold) {
  const std::vector<std::string> ids = {"pricing", "cancellation"};
  std::string error;
  auto rule = [&](const char* spec) { return *parse_alert_rule(spec, ids, error); };
  TopicTrend spike;
  spike.topic = 1;
  spike.current_share = 0.6;
  spike.previous_share = 0.1;
  spike.change_pp = 50.0;
  spike.p_value = 0.001;
  spike.significant = true;
  EXPECT_TRUE(alert_fires(rule("cancellation:+5pp"), spike, 20, "cancellation"));
  EXPECT_TRUE(alert_fires(rule("cancellation:+50pp"), spike, 20, "cancellation"));
  EXPECT_FALSE(alert_fires(rule("cancellation:+51pp"), spike, 20, "cancellation"));
  EXPECT_FALSE(alert_fires(rule("cancellation:-5pp"), spike, 20, "cancellation"));
  EXPECT_FALSE(alert_fires(rule("pricing:+5pp"), spike, 20, "cancellation"));
  EXPECT_TRUE(alert_fires(rule("*:x6"), spike, 20, "cancellation"));
  EXPECT_FALSE(alert_fires(rule("*:x6.5"), spike, 20, "cancellation"));
  EXPECT_FALSE(alert_fires(rule("*:x0.5"), spike, 20, "cancellation"));
  EXPECT_FALSE(alert_fires(rule("*:+5pp,min_calls=21"), spike, 20, "cancellation"));
  EXPECT_TRUE(alert_fires(rule("*:+5pp,min_calls=20"), spike, 20, "cancellation"));
  TopicTrend noise = spike;
  noise.significant = false;
  EXPECT_FALSE(alert_fires(rule("cancellation:+5pp"), noise, 20, "cancellation"));
  TopicTrend drop = spike;
  std::swap(drop.current_share, drop.previous_share);
  drop.change_pp = -50.0;
  EXPECT_TRUE(alert_fires(rule("*:-10pp"), drop, 20, "cancellation"));
  EXPECT_TRUE(alert_fires(rule("*:x0.5"), drop, 20, "cancellation"));
  EXPECT_FALSE(alert_fires(rule("*:+10pp"), drop, 20, "cancellation"));
  // From nothing: any ratio above 1 is reached.
  TopicTrend from_zero = spike;
  from_zero.previous_share = 0.0;
  EXPECT_TRUE(alert_fires(rule("*:x100"), from_zero, 20, "cancellation"));
}

TEST(StoreTrends, EvaluatesRulesOverallAndPerGroupOncePerTopic) {
  const CompiledTaxonomy taxonomy = two_topics();
  Summary current(2, {"campaign"});
  Summary previous(2, {"campaign"});
  add_calls(current, 20, 12, "search");
  add_calls(previous, 20, 2, "search");
  add_calls(current, 20, 3, "tv");
  add_calls(previous, 20, 2, "tv");
  const Trends trends = compute_trends(current, previous);
  std::string error;
  const std::vector<std::string> ids = {"pricing", "cancellation"};
  const std::vector<AlertRule> rules = {*parse_alert_rule("cancellation:+10pp", ids, error),
                                        *parse_alert_rule("*:+1pp", ids, error)};
  const std::vector<Alert> alerts = evaluate_alerts(rules, trends, taxonomy);
  // Overall 15/40 vs 4/40 (p = 0.004) and search; tv moved 5 points, not significantly.
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].dimension, "");
  EXPECT_EQ(alerts[0].rule, "cancellation:+10pp");
  EXPECT_EQ(alerts[0].scope_calls, 40u);
  EXPECT_EQ(alerts[1].dimension, "campaign");
  EXPECT_EQ(alerts[1].value, "search");
  EXPECT_EQ(alerts[1].scope_calls, 20u);
}
