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

// A conversion rate is only known for calls with a call-log row.
ordered_json conversion_rate(std::uint64_t conversions, std::uint64_t with_metadata) {
  return with_metadata == 0 ? ordered_json(nullptr) : ordered_json(ratio(conversions, with_metadata));
}

// Money as a JSON number with at most two decimals.
double money(std::int64_t cents) { return static_cast<double>(cents) / 100.0; }

} // namespace

double round_ratio(double value) { return std::round(value * 10000.0) / 10000.0; }

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
                        {"topics", topics.size()}};
  ordered_json totals_json = {{"calls", totals.calls},
                              {"files_failed", totals.files_failed},
                              {"turns", totals.turns},
                              {"words", totals.words},
                              {"bytes", totals.bytes},
                              {"invalid_utf8_replaced", totals.invalid_utf8}};
  if (with_log) {
    report["metadata"] = {{"source", context.metadata_source}};
    totals_json["calls_with_metadata"] = totals.with_metadata;
    totals_json["conversions"] = totals.conversions;
    totals_json["conversion_rate"] = conversion_rate(totals.conversions, totals.with_metadata);
    totals_json["revenue"] = money(totals.revenue_cents);
  }
  report["totals"] = totals_json;

  ordered_json topics_json = ordered_json::array();
  for (std::size_t t = 0; t < topics.size(); ++t) {
    const TopicCounts& counts = summary.topics()[t];
    topics_json.push_back({{"id", topics[t].id},
                           {"label", topics[t].label},
                           {"kind", std::string(to_string(topics[t].kind))},
                           {"calls", counts.calls},
                           {"share", ratio(counts.calls, totals.calls)},
                           {"hits", counts.hits}});
  }
  report["topics"] = topics_json;

  ordered_json groups_json = ordered_json::array();
  for (std::size_t d = 0; d < summary.dimensions().size(); ++d) {
    ordered_json values = ordered_json::array();
    for (const auto& [value, stats] : summary.groups(d)) {
      ordered_json group = {{"value", value}, {"calls", stats.calls}, {"words", stats.words}};
      if (with_log) {
        group["calls_with_metadata"] = stats.with_metadata;
        group["conversions"] = stats.conversions;
        group["conversion_rate"] = conversion_rate(stats.conversions, stats.with_metadata);
        group["revenue"] = money(stats.revenue_cents);
      }
      ordered_json group_topics = ordered_json::array();
      for (std::size_t t = 0; t < topics.size() && t < stats.topics.size(); ++t) {
        if (stats.topics[t].calls == 0) {
          continue;
        }
        group_topics.push_back({{"id", topics[t].id},
                                {"calls", stats.topics[t].calls},
                                {"share", ratio(stats.topics[t].calls, stats.calls)},
                                {"hits", stats.topics[t].hits}});
      }
      group["topics"] = group_topics;
      values.push_back(group);
    }
    groups_json.push_back({{"dimension", summary.dimensions()[d]}, {"values", values}});
  }
  report["groups"] = groups_json;

  ordered_json errors = ordered_json::array();
  for (const FileError& error : summary.sorted_errors()) {
    errors.push_back({{"file", error.path}, {"reason", error.reason}});
  }
  report["errors"] = errors;
  return report;
}

void write_summary_json(std::ostream& out, const Summary& summary, const ReportContext& context) {
  // Invalid UTF-8 (only possible in file names) is replaced, never fatal.
  out << summary_to_json(summary, context).dump(2, ' ', false,
                                                nlohmann::json::error_handler_t::replace)
      << '\n';
}

} // namespace callsight
