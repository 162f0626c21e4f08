// Summary JSON: the machine-readable report, versioned by schema_version.
#include <cmath>

#include "callsight/report.hpp"
#include "callsight/version.hpp"

#include "report/report_numbers.hpp"

namespace callsight {
namespace {

using nlohmann::ordered_json;

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : round_ratio(static_cast<double>(part) / static_cast<double>(whole));
}

ordered_json optional_number(const std::optional<double>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

// How many call-log rows were used, and which were not (the first few).
ordered_json metadata_json(const Summary& summary, const ReportContext& context) {
  constexpr std::size_t k_listed = 50;
  ordered_json metadata = {{"source", context.metadata_source}};
  if (context.call_log != nullptr) {
    const std::vector<std::string> unmatched =
        context.call_log->unmatched_rows(summary.rows_used());
    metadata["rows"] = context.call_log->size();
    metadata["rows_joined"] = context.call_log->size() - unmatched.size();
    metadata["rows_without_transcript"] = unmatched.size();
    ordered_json listed = ordered_json::array();
    for (std::size_t i = 0; i < unmatched.size() && i < k_listed; ++i) {
      listed.push_back(unmatched[i]);
    }
    metadata["rows_without_transcript_ids"] = listed;
    metadata["calls_without_row"] = summary.totals().calls - summary.totals().with_metadata;
  }
  return metadata;
}

// Talk-time figures over the calls that have times; absent when none do.
void add_metrics(ordered_json& into, const MetricTotals& m) {
  if (m.timed_calls == 0) {
    return;
  }
  ordered_json metrics = {
      {"calls_with_times", m.timed_calls},
      {"mean_duration_s", round_ratio(static_cast<double>(m.duration_ms) / 1000.0 /
                                      static_cast<double>(m.timed_calls))},
      {"silence_share", ratio(m.silence_ms, m.duration_ms)},
      {"silences_per_call",
       round_ratio(static_cast<double>(m.silence_count) / static_cast<double>(m.timed_calls))}};
  if (m.role_timed_calls > 0) {
    metrics["agent_talk_share"] = ratio(m.agent_talk_ms, m.agent_talk_ms + m.customer_talk_ms);
    metrics["interruptions_by_agent_per_call"] = round_ratio(
        static_cast<double>(m.interruptions_by_agent) / static_cast<double>(m.role_timed_calls));
    metrics["interruptions_by_customer_per_call"] = round_ratio(
        static_cast<double>(m.interruptions_by_customer) / static_cast<double>(m.role_timed_calls));
  }
  into["talk"] = metrics;
}

ordered_json mean_json(const SentimentMean& mean) {
  const std::optional<double> value = mean.mean();
  return value ? ordered_json(round_ratio(*value)) : ordered_json(nullptr);
}

// Customer and agent sentiment means and how customers' moods moved.
void add_sentiment(ordered_json& into, const SentimentTotals& s) {
  if (s.customer.count == 0 && s.agent.count == 0) {
    return;
  }
  into["sentiment"] = {
      {"customer_mean", mean_json(s.customer)},
      {"agent_mean", mean_json(s.agent)},
      {"customer_trajectory",
       {{"improved", s.trajectories[static_cast<std::size_t>(Trajectory::improved)]},
        {"worsened", s.trajectories[static_cast<std::size_t>(Trajectory::worsened)]},
        {"flat", s.trajectories[static_cast<std::size_t>(Trajectory::flat)]}}}};
}

// ISO codes of the languages the taxonomy has phrases in, its own first.
ordered_json taxonomy_languages(const CompiledTaxonomy& taxonomy) {
  ordered_json codes = ordered_json::array();
  for (const CompiledTaxonomy::Lane& lane : taxonomy.lanes()) {
    codes.push_back(lane.code);
  }
  return codes;
}

// Over all calls of the group, whatever the source of each decision.
ordered_json conversion_rate(std::uint64_t conversions, std::uint64_t calls) {
  return calls == 0 ? ordered_json(nullptr) : ordered_json(ratio(conversions, calls));
}

// Money as a JSON number with at most two decimals.
double money(std::int64_t cents) {
  return static_cast<double>(cents) / 100.0;
}

// Conversion figures of a group or of all calls: the rate over every call,
// where the decisions came from, and with a call log its revenue.
void add_conversions(ordered_json& into, std::uint64_t calls, std::uint64_t conversions,
                     const ConversionSources& sources, std::uint64_t revenue_calls,
                     std::int64_t revenue_cents, bool with_log) {
  into["conversions"] = conversions;
  into["conversion_rate"] = conversion_rate(conversions, calls);
  into["conversion_sources"] = {
      {"call_log", sources.call_log}, {"transcript", sources.transcript}, {"none", sources.none}};
  if (with_log) {
    into["revenue"] = money(revenue_cents);
    into["calls_with_revenue"] = revenue_calls;
    into["revenue_per_call"] = optional_number(cost_per(revenue_cents, revenue_calls));
  }
}

// A topic's conversions, their rate over the calls carrying the topic, and
// its lift: that rate over the rate of all calls of the group.
void add_topic_conversions(ordered_json& into, const TopicCounts& topic, std::uint64_t calls,
                           std::uint64_t conversions) {
  into["conversions"] = topic.conversions;
  into["conversion_rate"] = conversion_rate(topic.conversions, topic.calls);
  into["conversion_lift"] = optional_number(conversion_lift(topic, calls, conversions));
}

} // namespace

double round_ratio(double value) {
  return std::round(value * 10000.0) / 10000.0;
}

nlohmann::ordered_json summary_to_json(const Summary& summary, const ReportContext& context) {
  const auto& topics = context.taxonomy->topics();
  const Totals& totals = summary.totals();
  const bool with_log = !context.metadata_source.empty();

  ordered_json report;
  report["schema_version"] = k_schema_version;
  report["generator"] = {{"name", "callsight"}, {"version", std::string(version())}};
  report["taxonomy"] = {{"name", context.taxonomy->name()},
                        {"source", context.taxonomy_source},
                        {"stemmer", context.taxonomy->stemmer_language()},
                        {"languages", taxonomy_languages(*context.taxonomy)},
                        {"topics", topics.size()}};
  ordered_json totals_json = {
      {"calls", totals.calls}, {"files_failed", totals.files_failed},
      {"turns", totals.turns}, {"words", totals.words},
      {"bytes", totals.bytes}, {"invalid_utf8_replaced", totals.invalid_utf8}};
  if (with_log) {
    report["metadata"] = metadata_json(summary, context);
    totals_json["calls_with_metadata"] = totals.with_metadata;
  }
  add_conversions(totals_json, totals.calls, totals.conversions, totals.conversion_sources,
                  totals.revenue_calls, totals.revenue_cents, with_log);
  if (context.spend != nullptr) {
    std::int64_t total = 0;
    for (const std::string& group : context.spend->groups()) {
      total += context.spend->spend_cents(group).value_or(0);
    }
    report["spend"] = {{"source", context.spend_source},
                       {"dimension", context.spend->dimension()},
                       {"currency", context.spend->currency()},
                       {"total", money(total)}};
  }
  add_metrics(totals_json, totals.metrics);
  add_sentiment(totals_json, totals.sentiment);
  totals_json["languages"] = totals.languages;
  report["totals"] = totals_json;

  ordered_json topics_json = ordered_json::array();
  for (std::size_t t = 0; t < topics.size(); ++t) {
    const TopicCounts& counts = summary.topics()[t];
    ordered_json topic = {{"id", topics[t].id},
                          {"label", topics[t].label},
                          {"kind", std::string(to_string(topics[t].kind))}};
    if (topics[t].kind == TopicKind::outcome) {
      topic["outcome"] = std::string(to_string(topics[t].outcome));
    }
    topic["calls"] = counts.calls;
    topic["share"] = ratio(counts.calls, totals.calls);
    topic["hits"] = counts.hits;
    add_topic_conversions(topic, counts, totals.calls, totals.conversions);
    topics_json.push_back(std::move(topic));
  }
  report["topics"] = topics_json;
  ordered_json by_topic = ordered_json::array();
  for (std::size_t t = 0; t < topics.size(); ++t) {
    const SentimentMean& mean = summary.topics()[t].customer_sentiment;
    if (mean.count > 0) {
      by_topic.push_back(
          {{"id", topics[t].id}, {"customer_mean", mean_json(mean)}, {"calls", mean.count}});
    }
  }
  report["sentiment_by_topic"] = by_topic;
  ordered_json examples = ordered_json::array();
  for (std::size_t t = 0; t < topics.size(); ++t) {
    for (const TopicExample& example : summary.topics()[t].examples) {
      ordered_json entry = {{"topic", topics[t].id}, {"file", example.file}};
      if (example.time_s) {
        entry["time"] = round_ratio(*example.time_s);
      }
      entry["snippet"] = example.snippet;
      examples.push_back(std::move(entry));
    }
  }
  report["examples"] = examples;

  ordered_json groups_json = ordered_json::array();
  for (std::size_t d = 0; d < summary.dimensions().size(); ++d) {
    ordered_json values = ordered_json::array();
    for (const auto& [value, stats] : summary.groups(d)) {
      ordered_json group = {{"value", value}, {"calls", stats.calls}, {"words", stats.words}};
      if (with_log) {
        group["calls_with_metadata"] = stats.with_metadata;
      }
      add_conversions(group, stats.calls, stats.conversions, stats.conversion_sources,
                      stats.revenue_calls, stats.revenue_cents, with_log);
      add_metrics(group, stats.metrics);
      add_sentiment(group, stats.sentiment);
      group["languages"] = stats.languages;
      const std::optional<GroupSpend> spend =
          group_spend(context, summary.dimensions()[d], value, stats.calls, stats.conversions);
      if (spend) {
        group["spend"] = money(spend->spend_cents);
        group["cost_per_call"] = optional_number(spend->cost_per_call);
        group["cost_per_conversion"] = optional_number(spend->cost_per_conversion);
      }
      ordered_json group_topics = ordered_json::array();
      for (std::size_t t = 0; t < topics.size() && t < stats.topics.size(); ++t) {
        if (stats.topics[t].calls == 0) {
          continue;
        }
        ordered_json topic = {{"id", topics[t].id},
                              {"calls", stats.topics[t].calls},
                              {"share", ratio(stats.topics[t].calls, stats.calls)},
                              {"hits", stats.topics[t].hits}};
        add_topic_conversions(topic, stats.topics[t], stats.calls, stats.conversions);
        if (spend) {
          topic["cost_per_call"] =
              optional_number(cost_per(spend->spend_cents, stats.topics[t].calls));
        }
        group_topics.push_back(std::move(topic));
      }
      group["topics"] = group_topics;
      values.push_back(group);
    }
    groups_json.push_back({{"dimension", summary.dimensions()[d]}, {"values", values}});
  }
  report["groups"] = groups_json;
  add_store_sections(report, context);

  ordered_json errors = ordered_json::array();
  for (const FileError& error : summary.sorted_errors()) {
    errors.push_back({{"file", error.path}, {"reason", error.reason}});
  }
  report["errors"] = errors;
  if (context.journeys != nullptr) {
    report["journeys"] = journeys_to_json(*context.journeys, *context.taxonomy);
  }
  return report;
}

void write_summary_json(std::ostream& out, const Summary& summary, const ReportContext& context) {
  // Invalid UTF-8 (only possible in file names) is replaced, never fatal.
  out << summary_to_json(summary, context)
             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
      << '\n';
}

} // namespace callsight
