// Markdown report: a concise summary of a run for e-mail and chat, read from
// the summary JSON. Every value from the data is escaped, so names and paths
// can neither split a table nor add HTML.
#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "report/report_text.hpp"

namespace callsight {
namespace {

using report_text::Json;
using report_text::TopicInfo;

constexpr std::size_t k_top_concerns = 8;
constexpr std::size_t k_top_sources = 6;
constexpr std::size_t k_group_rows = 10;
constexpr std::size_t k_group_concerns = 3;
constexpr std::size_t k_ranked = 3;
constexpr std::size_t k_changes = 5;
constexpr std::size_t k_errors_listed = 5;
// Fewer calls than this make a conversion rate noise, not a finding.
constexpr std::uint64_t k_min_calls_ranked = 3;

std::string esc(std::string_view text) {
  return report_text::markdown_escape(text);
}

std::string optional_percent(const std::optional<double>& share) {
  return share ? report_text::format_percent(*share) : "n/a";
}

std::string optional_money(const std::optional<double>& value) {
  return value ? report_text::format_money(*value) : "n/a";
}

void write_facts(std::ostream& out, const Json& summary) {
  using namespace report_text;
  const Json& totals = object_at(summary, "totals");
  const std::uint64_t failed = count_at(totals, "files_failed");
  out << "- Calls: " << format_count(count_at(totals, "calls")) << " analyzed, "
      << format_count(failed) << (failed == 1 ? " file" : " files") << " failed";
  if (member(totals, "turns") != nullptr && member(totals, "words") != nullptr) {
    out << " (" << format_count(count_at(totals, "turns")) << " turns, "
        << format_count(count_at(totals, "words")) << " words)";
  }
  out << "\n";
  if (const std::string mix = language_mix(totals); !mix.empty()) {
    out << "- Languages: " << esc(mix) << "\n";
  }
  if (const Json* taxonomy = member(summary, "taxonomy"); taxonomy != nullptr) {
    out << "- Taxonomy: " << esc(string_at(*taxonomy, "name", "unnamed")) << " ("
        << esc(string_at(*taxonomy, "source", "unknown source")) << ", "
        << format_count(count_at(*taxonomy, "topics")) << " topics)\n";
  }
  if (const Json* metadata = member(summary, "metadata"); metadata != nullptr) {
    out << "- Call log: " << esc(string_at(*metadata, "source", "unknown")) << ", "
        << format_count(count_at(totals, "calls_with_metadata")) << " of "
        << format_count(count_at(totals, "calls")) << " calls matched";
    if (const std::optional<double> revenue = number_at(totals, "revenue")) {
      out << ", revenue " << format_money(*revenue);
      if (const std::optional<double> per_call = number_at(totals, "revenue_per_call")) {
        out << " (" << format_money(*per_call) << " per call over "
            << format_count(count_at(totals, "calls_with_revenue")) << " with an amount)";
      }
    }
    out << "\n";
  }
  if (member(totals, "conversions") != nullptr) {
    out << "- Conversions: " << format_count(count_at(totals, "conversions")) << " of "
        << format_count(count_at(totals, "calls")) << " calls ("
        << optional_percent(number_at(totals, "conversion_rate")) << ")";
    // Which calls the call log decided and which the transcript did.
    if (const Json* sources = member(totals, "conversion_sources"); sources != nullptr) {
      out << "; decided by the call log for " << format_count(count_at(*sources, "call_log"))
          << ", by the transcript for " << format_count(count_at(*sources, "transcript"))
          << ", unknown for " << format_count(count_at(*sources, "none"));
    }
    out << "\n";
  }
  if (const Json* spend = member(summary, "spend"); spend != nullptr) {
    out << "- Spend: " << optional_money(number_at(*spend, "total"));
    if (const std::string currency = string_at(*spend, "currency"); !currency.empty()) {
      out << " " << esc(currency);
    }
    out << " by " << esc(string_at(*spend, "dimension", "group")) << " ("
        << esc(string_at(*spend, "source", "unknown")) << ")\n";
  }
  const Json& talk = object_at(totals, "talk");
  if (const std::optional<double> mean = number_at(talk, "mean_duration_s")) {
    out << "- Talk: mean call " << format_duration(*mean) << " over "
        << format_count(count_at(talk, "calls_with_times")) << " timed calls";
    if (const std::optional<double> agent = number_at(talk, "agent_talk_share")) {
      out << ", agent talks " << format_percent(*agent, 0) << " of the time";
    }
    out << "\n";
  }
  if (const std::optional<PeriodRange> range = period_range(summary)) {
    out << "- Period: " << esc(range->first) << " to " << esc(range->last) << " (" << range->periods
        << " " << esc(range->dimension) << (range->periods == 1 ? "" : "s") << ")\n";
  }
}

void write_topic_table(std::ostream& out, const std::vector<const TopicInfo*>& topics,
                       std::size_t limit, std::string_view heading, std::string_view column,
                       bool with_kind) {
  if (topics.empty()) {
    return;
  }
  out << "\n## " << heading << "\n\n| " << column << (with_kind ? " | Kind" : "")
      << " | Calls | Share |\n| ---" << (with_kind ? " | ---" : "") << " | ---: | ---: |\n";
  const std::size_t cut = report_text::shared_label_prefix(topics).size();
  for (std::size_t i = 0; i < topics.size() && i < limit; ++i) {
    out << "| " << esc(report_text::capitalized(topics[i]->label.substr(cut)));
    if (with_kind) {
      out << " | " << esc(topics[i]->kind);
    }
    out << " | " << report_text::format_count(topics[i]->calls) << " | "
        << report_text::format_percent(topics[i]->share) << " |\n";
  }
  if (topics.size() > limit) {
    out << "\n" << topics.size() - limit << " more in the full report.\n";
  }
}

// Which topics come with conversions: the rate of calls carrying each topic
// and its lift over all calls. Conversion outcome topics are left out (they
// are how a transcript converts).
void write_topic_conversions(std::ostream& out, const Json& summary,
                             const std::vector<TopicInfo>& topics) {
  using namespace report_text;
  const Json& totals = object_at(summary, "totals");
  if (count_at(totals, "conversions") == 0) {
    return;
  }
  const std::vector<const TopicInfo*> ranked =
      ranked_topics(topics, [](std::string_view) { return true; });
  std::vector<const TopicInfo*> shown;
  for (const TopicInfo* topic : ranked) {
    if (topic->outcome != "conversion" && topic->calls >= k_min_calls_ranked &&
        topic->conversion_rate) {
      shown.push_back(topic);
    }
  }
  if (shown.empty()) {
    return;
  }
  out << "\n## Conversion by topic\n\nCalls raising each topic (at least " << k_min_calls_ranked
      << ") that converted, against " << optional_percent(number_at(totals, "conversion_rate"))
      << " of all calls; lift above 1 converts better.\n\n| Topic | Calls | Converted | Rate | "
         "Lift |\n| --- | ---: | ---: | ---: | ---: |\n";
  for (std::size_t i = 0; i < shown.size() && i < k_top_concerns; ++i) {
    const TopicInfo& topic = *shown[i];
    out << "| " << esc(topic.label) << " | " << format_count(topic.calls) << " | "
        << format_count(topic.conversions) << " | " << optional_percent(topic.conversion_rate)
        << " | ";
    out << (topic.conversion_lift ? format_fixed(*topic.conversion_lift, 2) + "x" : "n/a")
        << " |\n";
  }
  if (shown.size() > k_top_concerns) {
    out << "\n" << shown.size() - k_top_concerns << " more in the full report.\n";
  }
}

bool any_group_has(const Json& dimension, std::string_view key) {
  const Json& values = report_text::array_at(dimension, "values");
  return std::any_of(values.begin(), values.end(),
                     [&](const Json& group) { return report_text::member(group, key) != nullptr; });
}

// Calls, conversion rate, cost per conversion and top concerns of the
// biggest groups of one dimension.
void write_group_table(std::ostream& out, const Json& summary, const Json& dimension,
                       const std::vector<TopicInfo>& topics) {
  using namespace report_text;
  const std::string name = string_at(dimension, "dimension", "group");
  std::vector<const Json*> groups;
  for (const Json& group : array_at(dimension, "values")) {
    groups.push_back(&group);
  }
  if (groups.empty()) {
    return;
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Json* a, const Json* b) {
    return count_at(*a, "calls") > count_at(*b, "calls");
  });
  const bool with_rate = any_group_has(dimension, "conversion_rate");
  const bool with_cost = any_group_has(dimension, "cost_per_conversion");
  const std::string currency = string_at(object_at(summary, "spend"), "currency");
  // One language everywhere says nothing per group.
  const bool with_languages = object_at(object_at(summary, "totals"), "languages").size() > 1;

  out << "\n## By " << esc(name) << "\n\n| " << esc(report_text::capitalized(name)) << " | Calls";
  if (with_rate) {
    out << " | Conversion rate";
  }
  if (with_cost) {
    out << " | Cost per conversion" << (currency.empty() ? "" : " (" + esc(currency) + ")");
  }
  out << (with_languages ? " | Languages" : "")
      << " | Top concerns |\n| --- | ---:" << (with_rate ? " | ---:" : "")
      << (with_cost ? " | ---:" : "") << (with_languages ? " | ---" : "") << " | --- |\n";
  for (std::size_t i = 0; i < groups.size() && i < k_group_rows; ++i) {
    const Json& group = *groups[i];
    out << "| " << esc(string_at(group, "value")) << " | "
        << format_count(count_at(group, "calls"));
    if (with_rate) {
      out << " | " << optional_percent(number_at(group, "conversion_rate"));
    }
    if (with_cost) {
      out << " | " << optional_money(number_at(group, "cost_per_conversion"));
    }
    if (with_languages) {
      out << " | " << esc(language_mix(group));
    }
    out << " | ";
    const std::vector<const Json*> concerns = group_concerns(group, topics);
    for (std::size_t c = 0; c < concerns.size() && c < k_group_concerns; ++c) {
      // "; " because labels may hold commas ("Promotion, coupon or discount").
      out << (c == 0 ? "" : "; ") << esc(topic_label(topics, string_at(*concerns[c], "id"))) << " "
          << format_percent(number_at(*concerns[c], "share").value_or(0.0), 0);
    }
    out << (concerns.empty() ? "none |\n" : " |\n");
  }
  if (groups.size() > k_group_rows) {
    out << "\n" << groups.size() - k_group_rows << " smaller groups in the full report.\n";
  }
}

struct Ranked {
  const Json* group;
  std::string dimension;
  double value;
};

void write_ranked_line(std::ostream& out, std::string_view label, const Ranked& entry, bool by_cost,
                       std::string_view currency) {
  using namespace report_text;
  const Json& group = *entry.group;
  out << "- " << label << ": " << esc(string_at(group, "value")) << ", ";
  if (by_cost) {
    out << format_money(entry.value) << (currency.empty() ? "" : " ") << esc(currency)
        << " per conversion (";
  } else {
    out << format_percent(entry.value) << " converted (";
  }
  out << format_count(count_at(group, "conversions")) << " of "
      << format_count(count_at(group, "calls")) << " calls converted)\n";
}

// Best and worst groups by cost per conversion when spend is known, else by
// conversion rate in the leading dimension.
void write_best_and_worst(std::ostream& out, const Json& summary) {
  using namespace report_text;
  std::vector<Ranked> ranked;
  for (const Json& dimension : array_at(summary, "groups")) {
    for (const Json& group : array_at(dimension, "values")) {
      if (const std::optional<double> cost = number_at(group, "cost_per_conversion")) {
        ranked.push_back({&group, string_at(dimension, "dimension"), *cost});
      }
    }
  }
  const bool by_cost = !ranked.empty();
  if (!by_cost) {
    if (const Json* dimension = primary_dimension(summary); dimension != nullptr) {
      for (const Json& group : array_at(*dimension, "values")) {
        const std::optional<double> rate = number_at(group, "conversion_rate");
        if (rate && count_at(group, "calls") >= k_min_calls_ranked) {
          // Negated so that, as for cost, lower sorts first and is better.
          ranked.push_back({&group, string_at(*dimension, "dimension"), -*rate});
        }
      }
    }
  }
  if (ranked.size() < 2) {
    return;
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) { return a.value < b.value; });
  const std::string currency = string_at(object_at(summary, "spend"), "currency");
  const std::size_t best = std::min(k_ranked, (ranked.size() + 1) / 2);
  const std::size_t worst = std::min(k_ranked, ranked.size() / 2);
  out << "\n## Best and worst by " << (by_cost ? "cost per conversion" : "conversion rate") << " ("
      << esc(ranked.front().dimension) << ")\n\n";
  if (!by_cost) {
    out << "Groups with at least " << k_min_calls_ranked << " calls.\n\n";
  }
  for (std::size_t i = 0; i < best; ++i) {
    Ranked entry = ranked[i];
    entry.value = by_cost ? entry.value : -entry.value;
    write_ranked_line(out, "Best", entry, by_cost, currency);
  }
  for (std::size_t i = 0; i < worst; ++i) {
    Ranked entry = ranked[ranked.size() - 1 - i];
    entry.value = by_cost ? entry.value : -entry.value;
    write_ranked_line(out, "Worst", entry, by_cost, currency);
  }
}

// Only when the summary has a trends section (see report_text::topic_changes).
void write_changes(std::ostream& out, const Json& summary, const std::vector<TopicInfo>& topics) {
  using namespace report_text;
  const std::optional<TopicChanges> changes = topic_changes(summary, topics);
  if (!changes || changes->topics.empty()) {
    return;
  }
  out << "\n## Biggest changes";
  if (!changes->previous.empty() && !changes->current.empty()) {
    out << " (" << esc(changes->previous) << " to " << esc(changes->current) << ")";
  }
  out << "\n\n";
  for (std::size_t i = 0; i < changes->topics.size() && i < k_changes; ++i) {
    const TopicChange& change = changes->topics[i];
    out << "- " << esc(change.label) << ": ";
    if (change.previous_share && change.current_share) {
      out << format_percent(*change.previous_share) << " to "
          << format_percent(*change.current_share) << " of calls, ";
    }
    out << format_points(change.change) << " points\n";
  }
}

// Only when the summary has fired alerts (reports from the store with --alert).
void write_alerts(std::ostream& out, const Json& summary, const std::vector<TopicInfo>& topics) {
  using namespace report_text;
  const std::vector<AlertLine> alerts = alert_lines(summary, topics);
  if (alerts.empty()) {
    return;
  }
  out << "\n## Alerts\n\n";
  for (const AlertLine& alert : alerts) {
    out << "- " << esc(alert.label);
    if (!alert.scope.empty()) {
      out << " (" << esc(alert.scope) << ")";
    }
    out << ": ";
    if (alert.previous_share && alert.current_share) {
      out << format_percent(*alert.previous_share) << " to " << format_percent(*alert.current_share)
          << " of calls, ";
    }
    out << format_points(alert.change) << " points";
    if (alert.p_value) {
      out << " (p = " << format_fixed(*alert.p_value, 4) << ")";
    }
    out << ", rule `" << esc(alert.rule) << "`\n";
  }
}

// --- caller journeys (only with --caller-key) -----------------------------------

void write_before_event(std::ostream& out, const Json& event, std::string_view what,
                        const std::vector<TopicInfo>& topics) {
  using namespace report_text;
  out << "\n### Raised on the call before a " << what << "\n\n"
      << format_count(count_at(event, "calls_before")) << " of "
      << format_count(count_at(event, "events")) << " journeys had a call before the " << what
      << "; lift is the share on those calls over the share on all linked calls. Topics on "
         "fewer than "
      << count_at(event, "min_calls") << " such calls are left out ("
      << format_count(count_at(event, "topics_suppressed")) << ").\n";
  const Json& rows = array_at(event, "topics");
  if (rows.empty()) {
    return;
  }
  out << "\n| Topic | Calls | Share | Base share | Lift |\n| --- | ---: | ---: | ---: | ---: |\n";
  for (const Json& topic : rows) {
    const std::optional<double> lift = number_at(topic, "lift");
    out << "| " << esc(topic_label(topics, string_at(topic, "id"))) << " | "
        << format_count(count_at(topic, "calls")) << " | "
        << optional_percent(number_at(topic, "share")) << " | "
        << optional_percent(number_at(topic, "base_share")) << " | "
        << (lift ? format_fixed(*lift, 2) + "x" : "n/a") << " |\n";
  }
}

void write_journeys(std::ostream& out, const Json& summary, const std::vector<TopicInfo>& topics) {
  using namespace report_text;
  const Json* journeys = member(summary, "journeys");
  if (journeys == nullptr || !journeys->is_object()) {
    return;
  }
  const Json& j = *journeys;
  out << "\n## Caller journeys\n\n- " << format_count(count_at(j, "callers"))
      << " callers linked by " << esc(string_at(j, "caller_key", "a caller key"))
      << " (hashed) over " << format_count(count_at(j, "calls")) << " calls; "
      << format_count(count_at(j, "calls_without_key")) << " calls without a key\n- "
      << format_count(count_at(j, "repeat_callers")) << " called more than once ("
      << optional_percent(number_at(j, "repeat_rate")) << "), "
      << format_count(count_at(j, "converted")) << " converted ("
      << optional_percent(number_at(j, "conversion_rate")) << "), "
      << format_count(count_at(j, "cancelled")) << " cancelled\n";

  const Json& repeats = array_at(j, "repeat_by_channel");
  if (!repeats.empty()) {
    out << "\n### Repeat callers by first channel\n\n| Channel | Callers | Called again | Rate "
           "|\n| --- | ---: | ---: | ---: |\n";
    for (const Json& row : repeats) {
      out << "| " << esc(string_at(row, "channel")) << " | "
          << format_count(count_at(row, "callers")) << " | "
          << format_count(count_at(row, "repeat_callers")) << " | "
          << optional_percent(number_at(row, "repeat_rate")) << " |\n";
    }
  }

  const Json& depth = object_at(j, "calls_to_conversion");
  if (count_at(object_at(depth, "all"), "converted") > 0) {
    out << "\n### Calls up to the conversion, by first touch\n\n| First touch | Converted | 1 | 2 "
           "| "
           "3 | 4+ |\n| --- | ---: | ---: | ---: | ---: | ---: |\n";
    const auto depth_row = [&](const std::string& name, const Json& row) {
      const Json& calls = object_at(row, "calls");
      out << "| " << esc(name) << " | " << format_count(count_at(row, "converted"));
      for (const char* bucket : {"1", "2", "3", "4+"}) {
        out << " | " << format_count(count_at(calls, bucket));
      }
      out << " |\n";
    };
    depth_row("All", object_at(depth, "all"));
    for (const Json& row : array_at(depth, "by_first_touch")) {
      depth_row(string_at(row, "first_touch"), row);
    }
  }
  write_before_event(out, object_at(j, "before_conversion"), "conversion", topics);
  write_before_event(out, object_at(j, "before_cancellation"), "cancellation", topics);

  const Json& pairs = array_at(j, "first_last_touch");
  if (!pairs.empty()) {
    out << "\n### First and last touch of converted journeys\n\n| First touch | Last touch | "
           "Journeys | Share |\n| --- | --- | ---: | ---: |\n";
    for (const Json& row : pairs) {
      out << "| " << esc(string_at(row, "first_touch")) << " | "
          << esc(string_at(row, "last_touch")) << " | " << format_count(count_at(row, "journeys"))
          << " | " << optional_percent(number_at(row, "share")) << " |\n";
    }
  }
  const Json& roles = array_at(j, "channel_roles");
  if (!roles.empty()) {
    out << "\n### Channel roles\n\n| Channel | First touch | Follow-up | Closer |\n| --- | ---: | "
           "---: | ---: |\n";
    for (const Json& row : roles) {
      out << "| " << esc(string_at(row, "channel")) << " | "
          << format_count(count_at(row, "first_touch")) << " | "
          << format_count(count_at(row, "follow_up")) << " | "
          << format_count(count_at(row, "closer")) << " |\n";
    }
  }
  const Json& gaps = object_at(j, "time_between_calls");
  if (count_at(gaps, "gaps") > 0) {
    const Json& histogram = object_at(gaps, "histogram");
    const auto hours = [&](std::string_view key) {
      const std::optional<double> value = number_at(gaps, key);
      return value ? format_fixed(*value, 1) + " h" : std::string("n/a");
    };
    out << "\n### Time between calls\n\n- " << format_count(count_at(gaps, "gaps"))
        << " gaps between calls of the same caller: median " << hours("median_hours")
        << ", 90th percentile " << hours("p90_hours") << "\n- under 1 day "
        << format_count(count_at(histogram, "under_1_day")) << ", 1-7 days "
        << format_count(count_at(histogram, "1_to_7_days")) << ", 7-30 days "
        << format_count(count_at(histogram, "7_to_30_days")) << ", 30 days or more "
        << format_count(count_at(histogram, "30_days_or_more")) << "\n";
  }
}

void write_errors(std::ostream& out, const Json& summary) {
  using namespace report_text;
  const Json& errors = array_at(summary, "errors");
  if (errors.empty()) {
    return;
  }
  out << "\n## Errors\n\n"
      << format_count(errors.size()) << (errors.size() == 1 ? " file" : " files")
      << " could not be analyzed:\n\n";
  for (std::size_t i = 0; i < errors.size() && i < k_errors_listed; ++i) {
    out << "- " << esc(string_at(errors[i], "file", "?")) << ": "
        << esc(string_at(errors[i], "reason", "unknown reason")) << "\n";
  }
  if (errors.size() > k_errors_listed) {
    out << "- and " << format_count(errors.size() - k_errors_listed) << " more\n";
  }
}

} // namespace

void write_markdown_report(std::ostream& out, const nlohmann::ordered_json& summary) {
  using namespace report_text;
  const std::vector<TopicInfo> topics = topic_catalog(summary);
  out << "# Call insights\n\n";
  write_facts(out, summary);
  write_topic_table(out, ranked_topics(topics, is_concern_kind), k_top_concerns, "Top concerns",
                    "Concern", true);
  write_topic_table(out,
                    ranked_topics(topics, [](std::string_view kind) { return kind == "source"; }),
                    k_top_sources, "How callers heard of us", "Source", false);
  if (const Json* dimension = primary_dimension(summary); dimension != nullptr) {
    write_group_table(out, summary, *dimension, topics);
  }
  write_best_and_worst(out, summary);
  write_topic_conversions(out, summary, topics);
  write_alerts(out, summary, topics);
  write_changes(out, summary, topics);
  write_journeys(out, summary, topics);
  write_errors(out, summary);
}

} // namespace callsight
