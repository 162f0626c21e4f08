// Summary CSV in tidy long form: one row per group x topic, ready for a
// spreadsheet pivot table. The "all" group comes first.
#include <cmath>

#include "callsight/csv.hpp"
#include "callsight/report.hpp"

#include "report/report_numbers.hpp"

namespace callsight {
namespace {

std::string money_text(const std::optional<double>& value) {
  return value ? format_cents(static_cast<std::int64_t>(std::llround(*value * 100.0)))
               : std::string();
}

// "en:45;es:3": the language mix of a group in one cell.
std::string languages_text(const LanguageCounts& languages) {
  std::string out;
  for (const auto& [language, calls] : languages) {
    out += (out.empty() ? "" : ";") + language + ":" + std::to_string(calls);
  }
  return out;
}

std::string ratio_text(std::uint64_t part, std::uint64_t whole) {
  return format_ratio(
      whole == 0 ? 0.0 : round_ratio(static_cast<double>(part) / static_cast<double>(whole)));
}

// What both CSV forms write of a group, read from Totals (the "all" group)
// or GroupStats alike.
struct GroupFigures {
  std::uint64_t calls = 0;
  std::uint64_t conversions = 0;
  ConversionSources sources;
  std::uint64_t revenue_calls = 0;
  std::int64_t revenue_cents = 0;
  const std::vector<TopicCounts>* topics = nullptr;
  const LanguageCounts* languages = nullptr;
};

template <typename Stats>
GroupFigures figures_of(const Stats& stats, const std::vector<TopicCounts>& topics) {
  return {stats.calls,         stats.conversions, stats.conversion_sources, stats.revenue_calls,
          stats.revenue_cents, &topics,           &stats.languages};
}

// calls, conversions, conversion_rate, revenue: conversions come from the
// call log or the transcripts, revenue only from a call log.
std::vector<std::string> leading_columns(const std::string& dimension, const std::string& group,
                                         const GroupFigures& g, bool with_log) {
  return {dimension,
          group,
          std::to_string(g.calls),
          std::to_string(g.conversions),
          ratio_text(g.conversions, g.calls),
          with_log ? format_cents(g.revenue_cents) : ""};
}

// Added after the original columns, so existing spreadsheets keep working.
void append_source_columns(std::vector<std::string>& row, const GroupFigures& g, bool with_log) {
  row.insert(row.end(),
             {std::to_string(g.sources.call_log), std::to_string(g.sources.transcript),
              std::to_string(g.sources.none), with_log ? std::to_string(g.revenue_calls) : "",
              with_log ? money_text(cost_per(g.revenue_cents, g.revenue_calls)) : ""});
}

constexpr const char* k_source_headers[] = {
    "conversion_source_call_log", "conversion_source_transcript", "conversion_source_none",
    "calls_with_revenue", "revenue_per_call"};

// Every group of the summary, the "all" group first.
template <typename Write> void for_each_group(const Summary& summary, Write write) {
  write("all", "all", figures_of(summary.totals(), summary.topics()));
  for (std::size_t d = 0; d < summary.dimensions().size(); ++d) {
    for (const auto& [value, stats] : summary.groups(d)) {
      write(summary.dimensions()[d], value, figures_of(stats, stats.topics));
    }
  }
}

} // namespace

void write_summary_csv(std::ostream& out, const Summary& summary, const ReportContext& context) {
  const auto& topics = context.taxonomy->topics();
  const bool with_log = !context.metadata_source.empty();
  std::vector<std::string> header{"dimension",
                                  "group",
                                  "calls",
                                  "conversions",
                                  "conversion_rate",
                                  "revenue",
                                  "topic",
                                  "topic_label",
                                  "topic_kind",
                                  "topic_calls",
                                  "topic_share",
                                  "topic_hits",
                                  "spend",
                                  "cost_per_call",
                                  "cost_per_conversion",
                                  "topic_cost_per_call"};
  header.insert(header.end(), std::begin(k_source_headers), std::end(k_source_headers));
  header.insert(header.end(), {"topic_conversions", "topic_conversion_rate",
                               "topic_conversion_lift", "languages"});
  write_csv_row(out, header);
  for_each_group(summary, [&](const std::string& dimension, const std::string& group,
                              const GroupFigures& g) {
    const std::optional<GroupSpend> spend =
        group_spend(context, dimension, group, g.calls, g.conversions);
    for (std::size_t t = 0; t < topics.size(); ++t) {
      const TopicCounts c = t < g.topics->size() ? (*g.topics)[t] : TopicCounts{};
      std::vector<std::string> row = leading_columns(dimension, group, g, with_log);
      row.insert(row.end(), {topics[t].id, topics[t].label, std::string(to_string(topics[t].kind)),
                             std::to_string(c.calls), ratio_text(c.calls, g.calls),
                             std::to_string(c.hits), spend ? format_cents(spend->spend_cents) : "",
                             spend ? money_text(spend->cost_per_call) : "",
                             spend ? money_text(spend->cost_per_conversion) : "",
                             spend ? money_text(cost_per(spend->spend_cents, c.calls)) : ""});
      append_source_columns(row, g, with_log);
      const std::optional<double> lift = conversion_lift(c, g.calls, g.conversions);
      row.insert(row.end(), {std::to_string(c.conversions),
                             c.calls > 0 ? ratio_text(c.conversions, c.calls) : "",
                             lift ? format_ratio(*lift) : "", languages_text(*g.languages)});
      write_csv_row(out, row);
    }
  });
  if (context.journeys != nullptr) {
    out << "\n";
    write_journeys_csv(out, *context.journeys, *context.taxonomy);
  }
}

void write_summary_csv_wide(std::ostream& out, const Summary& summary,
                            const ReportContext& context) {
  const auto& topics = context.taxonomy->topics();
  const bool with_log = !context.metadata_source.empty();
  std::vector<std::string> header{"dimension",   "group",           "calls",
                                  "conversions", "conversion_rate", "revenue",
                                  "spend",       "cost_per_call",   "cost_per_conversion"};
  for (const Topic& topic : topics) {
    header.push_back(topic.id);
  }
  header.insert(header.end(), std::begin(k_source_headers), std::end(k_source_headers));
  header.push_back("languages");
  write_csv_row(out, header);
  for_each_group(
      summary, [&](const std::string& dimension, const std::string& group, const GroupFigures& g) {
        const std::optional<GroupSpend> spend =
            group_spend(context, dimension, group, g.calls, g.conversions);
        std::vector<std::string> row = leading_columns(dimension, group, g, with_log);
        row.insert(row.end(), {spend ? format_cents(spend->spend_cents) : "",
                               spend ? money_text(spend->cost_per_call) : "",
                               spend ? money_text(spend->cost_per_conversion) : ""});
        for (std::size_t t = 0; t < topics.size(); ++t) {
          row.push_back(std::to_string(t < g.topics->size() ? (*g.topics)[t].calls : 0));
        }
        append_source_columns(row, g, with_log);
        row.push_back(languages_text(*g.languages));
        write_csv_row(out, row);
      });
}

void write_call_csv_header(std::ostream& out, const CompiledTaxonomy& taxonomy) {
  std::vector<std::string> header{"call_id",
                                  "file",
                                  "format",
                                  "turns",
                                  "words",
                                  "language",
                                  "language_confidence",
                                  "role_source",
                                  "role_confidence",
                                  "converted",
                                  "revenue",
                                  "duration_s",
                                  "customer_sentiment",
                                  "customer_trajectory"};
  for (const Topic& topic : taxonomy.topics()) {
    header.push_back(topic.id);
  }
  header.push_back("conversion_source");
  write_csv_row(out, header);
}

void write_call_csv_row(std::ostream& out, const CallResult& call,
                        const CompiledTaxonomy& taxonomy) {
  const std::optional<double> sentiment = call.sentiment.customer.mean();
  std::vector<std::string> row{
      call.call_id,
      call.path,
      call.format,
      std::to_string(call.turns),
      std::to_string(call.tags.words),
      call.tags.language.language,
      format_ratio(round_ratio(call.tags.language.confidence)),
      std::string(to_string(call.role_source)),
      format_ratio(round_ratio(call.role_confidence)),
      call.conversion_source != ConversionSource::none ? (call.converted ? "1" : "0") : "",
      call.has_metadata ? format_cents(call.revenue_cents) : "",
      call.metrics.duration_s ? format_ratio(round_ratio(*call.metrics.duration_s)) : "",
      sentiment ? format_ratio(round_ratio(*sentiment)) : "",
      std::string(to_string(call.sentiment.customer_trajectory))};
  std::vector<std::uint32_t> hits(taxonomy.topics().size(), 0);
  for (const TopicMatch& match : call.tags.topics) {
    hits[match.topic] = match.hits;
  }
  for (std::uint32_t h : hits) {
    row.push_back(std::to_string(h));
  }
  row.emplace_back(to_string(call.conversion_source));
  write_csv_row(out, row);
}

} // namespace callsight
