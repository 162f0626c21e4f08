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

} // namespace

void write_summary_csv(std::ostream& out, const Summary& summary, const ReportContext& context) {
  const auto& topics = context.taxonomy->topics();
  const bool with_log = !context.metadata_source.empty();
  write_csv_row(out, {"dimension", "group", "calls", "conversions", "conversion_rate", "revenue",
                      "topic", "topic_label", "topic_kind", "topic_calls", "topic_share",
                      "topic_hits", "spend", "cost_per_call", "cost_per_conversion",
                      "topic_cost_per_call", "languages"});
  auto write_group = [&](const std::string& dimension, const std::string& group,
                         std::uint64_t calls, std::uint64_t with_metadata,
                         std::uint64_t conversions, std::int64_t revenue,
                         const std::vector<TopicCounts>& counts, const LanguageCounts& languages) {
    // Conversion figures exist only for calls joined to the call log.
    const bool known = with_log && with_metadata > 0;
    const std::optional<GroupSpend> spend =
        group_spend(context, dimension, group, calls, conversions);
    for (std::size_t t = 0; t < topics.size(); ++t) {
      const TopicCounts c = t < counts.size() ? counts[t] : TopicCounts{};
      write_csv_row(out, {dimension, group, std::to_string(calls),
                          known ? std::to_string(conversions) : "",
                          known ? ratio_text(conversions, with_metadata) : "",
                          known ? format_cents(revenue) : "", topics[t].id, topics[t].label,
                          std::string(to_string(topics[t].kind)), std::to_string(c.calls),
                          ratio_text(c.calls, calls), std::to_string(c.hits),
                          spend ? format_cents(spend->spend_cents) : "",
                          spend ? money_text(spend->cost_per_call) : "",
                          spend ? money_text(spend->cost_per_conversion) : "",
                          spend ? money_text(cost_per(spend->spend_cents, c.calls)) : "",
                          languages_text(languages)});
    }
  };
  const Totals& totals = summary.totals();
  write_group("all", "all", totals.calls, totals.with_metadata, totals.conversions,
              totals.revenue_cents, summary.topics(), totals.languages);
  for (std::size_t d = 0; d < summary.dimensions().size(); ++d) {
    for (const auto& [value, stats] : summary.groups(d)) {
      write_group(summary.dimensions()[d], value, stats.calls, stats.with_metadata,
                  stats.conversions, stats.revenue_cents, stats.topics, stats.languages);
    }
  }
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
  header.push_back("languages");
  write_csv_row(out, header);
  auto write_group = [&](const std::string& dimension, const std::string& group,
                         std::uint64_t calls, std::uint64_t with_metadata,
                         std::uint64_t conversions, std::int64_t revenue,
                         const std::vector<TopicCounts>& counts, const LanguageCounts& languages) {
    const bool known = with_log && with_metadata > 0;
    const std::optional<GroupSpend> spend =
        group_spend(context, dimension, group, calls, conversions);
    std::vector<std::string> row{dimension,
                                 group,
                                 std::to_string(calls),
                                 known ? std::to_string(conversions) : "",
                                 known ? ratio_text(conversions, with_metadata) : "",
                                 known ? format_cents(revenue) : "",
                                 spend ? format_cents(spend->spend_cents) : "",
                                 spend ? money_text(spend->cost_per_call) : "",
                                 spend ? money_text(spend->cost_per_conversion) : ""};
    for (std::size_t t = 0; t < topics.size(); ++t) {
      row.push_back(std::to_string(t < counts.size() ? counts[t].calls : 0));
    }
    row.push_back(languages_text(languages));
    write_csv_row(out, row);
  };
  const Totals& totals = summary.totals();
  write_group("all", "all", totals.calls, totals.with_metadata, totals.conversions,
              totals.revenue_cents, summary.topics(), totals.languages);
  for (std::size_t d = 0; d < summary.dimensions().size(); ++d) {
    for (const auto& [value, stats] : summary.groups(d)) {
      write_group(summary.dimensions()[d], value, stats.calls, stats.with_metadata,
                  stats.conversions, stats.revenue_cents, stats.topics, stats.languages);
    }
  }
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
      call.has_metadata ? (call.converted ? "1" : "0") : "",
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
  write_csv_row(out, row);
}

} // namespace callsight
