// Summary JSON sections of reports from the store: the window, trends against
// the previous window (with the z-test's p-values), fired alerts, and what the
// run did to the store.
#include "callsight/report.hpp"

namespace callsight {
namespace {

using nlohmann::ordered_json;

ordered_json range_json(const DateRange& range, std::uint64_t calls) {
  return {{"label", range.label},
          {"since", format_iso_date(range.first)},
          {"until", format_iso_date(range.last)},
          {"calls", calls}};
}

ordered_json trend_json(const TopicTrend& trend, const CompiledTaxonomy& taxonomy) {
  return {{"id", taxonomy.topics()[trend.topic].id},
          {"current_calls", trend.current_calls},
          {"previous_calls", trend.previous_calls},
          {"current_share", round_ratio(trend.current_share)},
          {"previous_share", round_ratio(trend.previous_share)},
          {"change_pp", round_ratio(trend.change_pp)},
          {"p_value", trend.p_value ? ordered_json(round_ratio(*trend.p_value)) : nullptr},
          {"significant", trend.significant}};
}

ordered_json trend_list(const std::vector<TopicTrend>& trends, const CompiledTaxonomy& taxonomy) {
  ordered_json list = ordered_json::array();
  for (const TopicTrend& trend : trends) {
    if (trend.current_calls + trend.previous_calls > 0) {
      list.push_back(trend_json(trend, taxonomy));
    }
  }
  return list;
}

} // namespace

ordered_json window_json(const ReportWindow& window, std::uint64_t current_calls,
                         std::uint64_t previous_calls, std::uint64_t calls_without_date) {
  return {{"period", window.period},
          {"current", range_json(window.current, current_calls)},
          {"previous", range_json(window.previous, previous_calls)},
          {"calls_without_date", calls_without_date}};
}

void add_store_sections(ordered_json& report, const ReportContext& context) {
  const CompiledTaxonomy& taxonomy = *context.taxonomy;
  if (context.window != nullptr) {
    const std::uint64_t current = report["totals"].value("calls", std::uint64_t{0});
    report["window"] =
        window_json(*context.window, current, context.previous_calls, context.calls_without_date);
  }
  if (context.trends != nullptr && context.window != nullptr) {
    const Trends& trends = *context.trends;
    ordered_json groups = ordered_json::array();
    for (const GroupTrend& group : trends.groups) {
      groups.push_back({{"dimension", group.dimension},
                        {"value", group.value},
                        {"current_calls", group.current_calls},
                        {"previous_calls", group.previous_calls},
                        {"topics", trend_list(group.topics, taxonomy)}});
    }
    report["trends"] = {{"dimension", context.window->period},
                        {"current", context.window->current.label},
                        {"previous", context.window->previous.label},
                        {"current_calls", trends.current_calls},
                        {"previous_calls", trends.previous_calls},
                        {"significance_level", k_significance_level},
                        {"topics", trend_list(trends.topics, taxonomy)},
                        {"groups", groups}};
  }
  if (context.alerts != nullptr) {
    ordered_json alerts = ordered_json::array();
    for (const Alert& alert : *context.alerts) {
      ordered_json entry = {{"rule", alert.rule},
                            {"topic", taxonomy.topics()[alert.topic].id},
                            {"label", taxonomy.topics()[alert.topic].label}};
      if (!alert.dimension.empty()) {
        entry["dimension"] = alert.dimension;
        entry["value"] = alert.value;
      }
      const ordered_json trend = trend_json(alert.trend, taxonomy);
      for (const char* key : {"current_calls", "previous_calls", "current_share", "previous_share",
                              "change_pp", "p_value"}) {
        entry[key] = trend[key];
      }
      entry["scope_calls"] = alert.scope_calls;
      alerts.push_back(std::move(entry));
    }
    report["alerts"] = alerts;
  }
  if (context.store != nullptr) {
    const StoreReport& store = *context.store;
    ordered_json section = {{"path", store.path}, {"scanned", store.scanned}};
    if (store.scanned) {
      const IngestStats& run = store.ingest;
      section["files_seen"] = run.files_seen;
      section["files_analyzed"] = run.files_analyzed;
      section["files_skipped"] = run.files_skipped;
      section["files_unchanged"] = run.files_unchanged;
      section["files_retagged"] = run.files_retagged;
      section["files_failed"] = run.files_failed;
      section["files_missing"] = run.files_missing;
      section["calls_written"] = run.calls_written;
      section["taxonomy_changed"] = run.taxonomy_changed;
      section["options_changed"] = run.options_changed;
    }
    section["stored_files"] = store.counts.files;
    section["stored_files_failed"] = store.counts.files_failed;
    section["stored_files_stale"] = store.counts.files_stale;
    section["stored_calls"] = store.counts.calls;
    report["store"] = section;
  }
}

} // namespace callsight
