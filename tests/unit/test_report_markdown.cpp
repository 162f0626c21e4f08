// Unit tests for the Markdown report: exact output for a small summary, absent
// sections, the conversion-rate fallback, trends, escaping of hostile values,
// and the shared text helpers.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "report/report_text.hpp"

using nlohmann::ordered_json;

namespace {

// A hand-built summary (schema_version 1): two dimensions, spend on one, a
// group without call-log row, a zero-call topic and a failed file.
const char* const k_summary = R"json({
  "schema_version": 1,
  "generator": {"name": "callsight", "version": "0.1.0"},
  "taxonomy": {"name": "mini", "source": "built-in", "stemmer": "english", "topics": 7},
  "metadata": {"source": "calls.csv", "rows": 5, "rows_joined": 5, "rows_without_transcript": 0,
               "rows_without_transcript_ids": [], "calls_without_row": 1},
  "spend": {"source": "spend.csv", "dimension": "campaign", "currency": "USD", "total": 1500.0},
  "totals": {"calls": 6, "files_failed": 1, "turns": 60, "words": 1200, "bytes": 9000,
             "invalid_utf8_replaced": 0, "calls_with_metadata": 5, "conversions": 3,
             "conversion_rate": 0.5,
             "conversion_sources": {"call_log": 4, "transcript": 1, "none": 1},
             "revenue": 450.5, "calls_with_revenue": 3, "revenue_per_call": 150.17},
  "topics": [
    {"id": "pricing", "label": "Pricing", "kind": "concern", "calls": 4, "share": 0.6667, "hits": 7,
     "conversions": 2, "conversion_rate": 0.5, "conversion_lift": 1.0},
    {"id": "refund", "label": "Refund", "kind": "concern", "calls": 1, "share": 0.1667, "hits": 1,
     "conversions": 1, "conversion_rate": 1.0, "conversion_lift": 2.0},
    {"id": "billing", "label": "Billing", "kind": "concern", "calls": 0, "share": 0.0, "hits": 0,
     "conversions": 0, "conversion_rate": null, "conversion_lift": null},
    {"id": "rival", "label": "Competitor", "kind": "competitor", "calls": 2, "share": 0.3333, "hits": 2,
     "conversions": 0, "conversion_rate": 0.0, "conversion_lift": 0.0},
    {"id": "heard_tv", "label": "Heard of us: TV", "kind": "source", "calls": 3, "share": 0.5, "hits": 3,
     "conversions": 1, "conversion_rate": 0.3333, "conversion_lift": 0.6667},
    {"id": "heard_radio", "label": "Heard of us: radio", "kind": "source", "calls": 1, "share": 0.1667, "hits": 1,
     "conversions": 0, "conversion_rate": 0.0, "conversion_lift": 0.0},
    {"id": "converted", "label": "Converted", "kind": "outcome", "outcome": "conversion", "calls": 3,
     "share": 0.5, "hits": 3, "conversions": 3, "conversion_rate": 1.0, "conversion_lift": 2.0}
  ],
  "groups": [
    {"dimension": "campaign", "values": [
      {"value": "(none)", "calls": 1, "words": 100, "calls_with_metadata": 0, "conversions": 0,
       "conversion_rate": null, "revenue": 0.0,
       "topics": [{"id": "rival", "calls": 1, "share": 1.0, "hits": 1}]},
      {"value": "spring_tv", "calls": 3, "words": 600, "calls_with_metadata": 3, "conversions": 1,
       "conversion_rate": 0.3333, "revenue": 100.0, "spend": 1200.0, "cost_per_call": 400.0,
       "cost_per_conversion": 1200.0,
       "topics": [{"id": "pricing", "calls": 3, "share": 1.0, "hits": 5, "cost_per_call": 400.0},
                  {"id": "rival", "calls": 1, "share": 0.3333, "hits": 1, "cost_per_call": 1200.0},
                  {"id": "heard_tv", "calls": 3, "share": 1.0, "hits": 3, "cost_per_call": 400.0}]},
      {"value": "web|x|", "calls": 2, "words": 500, "calls_with_metadata": 2, "conversions": 2,
       "conversion_rate": 1.0, "revenue": 350.5, "spend": 300.0, "cost_per_call": 150.0,
       "cost_per_conversion": 150.0,
       "topics": [{"id": "pricing", "calls": 1, "share": 0.5, "hits": 2, "cost_per_call": 300.0},
                  {"id": "refund", "calls": 1, "share": 0.5, "hits": 1, "cost_per_call": 300.0}]}
    ]},
    {"dimension": "week", "values": [
      {"value": "(none)", "calls": 1, "words": 100, "calls_with_metadata": 0, "conversions": 0,
       "conversion_rate": null, "revenue": 0.0,
       "topics": [{"id": "rival", "calls": 1, "share": 1.0, "hits": 1}]},
      {"value": "2026-W41", "calls": 2, "words": 500, "calls_with_metadata": 2, "conversions": 1,
       "conversion_rate": 0.5, "revenue": 50.0,
       "topics": [{"id": "pricing", "calls": 2, "share": 1.0, "hits": 3}]},
      {"value": "2026-W40", "calls": 3, "words": 600, "calls_with_metadata": 3, "conversions": 2,
       "conversion_rate": 0.6667, "revenue": 400.5,
       "topics": [{"id": "pricing", "calls": 2, "share": 0.6667, "hits": 4},
                  {"id": "refund", "calls": 1, "share": 0.3333, "hits": 1},
                  {"id": "rival", "calls": 1, "share": 0.3333, "hits": 1}]}
    ]}
  ],
  "errors": [{"file": "calls/bad_file.json", "reason": "not valid JSON"}]
})json";

const char* const k_expected = R"md(# Call insights

- Calls: 6 analyzed, 1 file failed (60 turns, 1,200 words)
- Taxonomy: mini (built-in, 7 topics)
- Call log: calls.csv, 5 of 6 calls matched, revenue 450.50 (150.17 per call over 3 with an amount)
- Conversions: 3 of 6 calls (50.0%); decided by the call log for 4, by the transcript for 1, unknown for 1
- Spend: 1,500.00 USD by campaign (spend.csv)
- Period: 2026-W40 to 2026-W41 (2 weeks)

## Top concerns

| Concern | Kind | Calls | Share |
| --- | --- | ---: | ---: |
| Pricing | concern | 4 | 66.7% |
| Competitor | competitor | 2 | 33.3% |
| Refund | concern | 1 | 16.7% |

## How callers heard of us

| Source | Calls | Share |
| --- | ---: | ---: |
| TV | 3 | 50.0% |
| Radio | 1 | 16.7% |

## By campaign

| Campaign | Calls | Conversion rate | Cost per conversion (USD) | Top concerns |
| --- | ---: | ---: | ---: | --- |
| spring\_tv | 3 | 33.3% | 1,200.00 | Pricing 100%; Competitor 33% |
| web\|x\| | 2 | 100.0% | 150.00 | Pricing 50%; Refund 50% |
| (none) | 1 | n/a | n/a | Competitor 100% |

## Best and worst by cost per conversion (campaign)

- Best: web\|x\|, 150.00 USD per conversion (2 of 2 calls converted)
- Worst: spring\_tv, 1,200.00 USD per conversion (1 of 3 calls converted)

## Conversion by topic

Calls raising each topic (at least 3) that converted, against 50.0% of all calls; lift above 1 converts better.

| Topic | Calls | Converted | Rate | Lift |
| --- | ---: | ---: | ---: | ---: |
| Pricing | 4 | 2 | 50.0% | 1.00x |
| Heard of us: TV | 3 | 1 | 33.3% | 0.67x |

## Errors

1 file could not be analyzed:

- calls/bad\_file.json: not valid JSON
)md";

ordered_json sample() {
  return ordered_json::parse(k_summary);
}

std::string markdown(const ordered_json& summary) {
  std::ostringstream out;
  callsight::write_markdown_report(out, summary);
  return out.str();
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// How often `c` occurs without a backslash before it, as a Markdown renderer
// sees it (table column separators, HTML tag openers).
std::size_t bare(std::string_view text, char c) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i; // the escaped character
    } else if (text[i] == c) {
      ++count;
    }
  }
  return count;
}

} // namespace

TEST(MarkdownReport, ExactOutputForSmallSummary) {
  EXPECT_EQ(markdown(sample()), k_expected);
}

TEST(MarkdownReport, EmptyOrForeignDocumentsGiveOnlyTheFrame) {
  const std::string empty = markdown(ordered_json::object());
  EXPECT_EQ(empty, "# Call insights\n\n- Calls: 0 analyzed, 0 files failed\n");
  // Wrong types are treated as absent, never thrown on.
  const ordered_json odd = ordered_json::parse(
      R"({"totals": [], "topics": {"a": 1}, "groups": "x", "errors": 3, "trends": 7})");
  EXPECT_EQ(markdown(odd), empty);
  EXPECT_EQ(markdown(ordered_json::array()), empty);
}

TEST(MarkdownReport, UnknownFieldsAreIgnored) {
  ordered_json summary = sample();
  summary["call_metrics"] = {{"talk_ratio", 0.4}};
  summary["groups"][0]["values"][1]["sentiment"] = {{"customer_mean", 0.2}};
  EXPECT_EQ(markdown(summary), k_expected);
}

TEST(MarkdownReport, TalkFiguresWhenPresent) {
  ordered_json summary = sample();
  summary["totals"]["talk"] = {
      {"calls_with_times", 4}, {"mean_duration_s", 219.1}, {"agent_talk_share", 0.553}};
  EXPECT_TRUE(contains(markdown(summary),
                       "- Spend: 1,500.00 USD by campaign (spend.csv)\n"
                       "- Talk: mean call 3:39 over 4 timed calls, agent talks 55% of the time\n"
                       "- Period:"));
}

TEST(MarkdownReport, WithoutSpendRanksByConversionRate) {
  ordered_json summary = sample();
  summary.erase("spend");
  for (auto& dimension : summary["groups"]) {
    for (auto& group : dimension["values"]) {
      group.erase("spend");
      group.erase("cost_per_call");
      group.erase("cost_per_conversion");
    }
  }
  // A third group big enough to rank (3 logged calls); "web|x|" has only 2.
  summary["groups"][0]["values"].push_back({{"value", "radio"},
                                            {"calls", 4},
                                            {"calls_with_metadata", 4},
                                            {"conversions", 1},
                                            {"conversion_rate", 0.25},
                                            {"topics", ordered_json::array()}});
  const std::string text = markdown(summary);
  EXPECT_FALSE(contains(text, "Spend:"));
  EXPECT_FALSE(contains(text, "Cost per conversion"));
  EXPECT_TRUE(contains(text, "| Campaign | Calls | Conversion rate | Top concerns |\n"));
  EXPECT_TRUE(contains(text, "| radio | 4 | 25.0% | none |\n"));
  EXPECT_TRUE(contains(text, "## Best and worst by conversion rate (campaign)\n\n"
                             "Groups with at least 3 calls.\n\n"
                             "- Best: spring\\_tv, 33.3% converted (1 of 3 calls converted)\n"
                             "- Worst: radio, 25.0% converted (1 of 4 calls converted)\n"));
}

TEST(MarkdownReport, WithoutCallLogHasNoConversionFigures) {
  ordered_json summary = sample();
  for (const char* key : {"metadata", "spend"}) {
    summary.erase(key);
  }
  for (const char* key : {"calls_with_metadata", "conversions", "conversion_rate", "revenue"}) {
    summary["totals"].erase(key);
  }
  for (auto& dimension : summary["groups"]) {
    for (auto& group : dimension["values"]) {
      for (const char* key : {"calls_with_metadata", "conversions", "conversion_rate", "revenue",
                              "spend", "cost_per_call", "cost_per_conversion"}) {
        group.erase(key);
      }
    }
  }
  const std::string text = markdown(summary);
  EXPECT_FALSE(contains(text, "Call log:"));
  EXPECT_FALSE(contains(text, "Best and worst"));
  EXPECT_TRUE(contains(text, "| Campaign | Calls | Top concerns |\n| --- | ---: | --- |\n"));
}

TEST(MarkdownReport, WithoutCallLogConversionsComeFromTranscripts) {
  ordered_json summary = sample();
  summary.erase("metadata");
  for (const char* key :
       {"calls_with_metadata", "revenue", "calls_with_revenue", "revenue_per_call"}) {
    summary["totals"].erase(key);
  }
  summary["totals"]["conversion_sources"] = {{"call_log", 0}, {"transcript", 3}, {"none", 3}};
  const std::string text = markdown(summary);
  EXPECT_FALSE(contains(text, "Call log:"));
  EXPECT_TRUE(contains(text, "- Conversions: 3 of 6 calls (50.0%); decided by the call log for 0, "
                             "by the transcript for 3, unknown for 3\n"));
  EXPECT_TRUE(contains(text, "## Conversion by topic"));
  // No conversion at all: no topic table.
  summary["totals"]["conversions"] = 0;
  EXPECT_FALSE(contains(markdown(summary), "## Conversion by topic"));
}

TEST(MarkdownReport, BiggestChangesOnlyWithTrends) {
  EXPECT_FALSE(contains(markdown(sample()), "Biggest changes"));
  ordered_json summary = sample();
  summary["trends"] = ordered_json::parse(R"({
    "dimension": "week", "current": "2026-W41", "previous": "2026-W40",
    "topics": [{"id": "pricing", "current_share": 1.0, "previous_share": 0.6667},
               {"id": "refund", "current_share": 0.0, "previous_share": 0.3333, "change": -0.3333},
               {"id": "rival", "current_share": 0.25, "previous_share": 0.25},
               {"id": "new_topic", "label": "New <topic>", "change": 0.5}]})");
  EXPECT_TRUE(contains(markdown(summary),
                       "## Biggest changes (2026-W40 to 2026-W41)\n\n"
                       "- New \\<topic\\>: +50.0 points\n"
                       "- Pricing: 66.7% to 100.0% of calls, +33.3 points\n"
                       "- Refund: 33.3% to 0.0% of calls, -33.3 points\n\n## Errors"));
}

TEST(MarkdownReport, HostileValuesAreEscaped) {
  ordered_json summary = sample();
  auto& values = summary["groups"][0]["values"];
  values[1]["value"] = "<script>alert(1)</script>";
  values[2]["value"] = "\"><img src=x onerror=alert(1)>";
  values[0]["value"] = "=HYPERLINK(\"http://x\") `code` *bold* _u_ [l](j) ~s~ \\|";
  summary["topics"][0]["label"] = "Price|cost\nnext line";
  summary["errors"][0]["file"] = "calls/<b>x</b>.txt";
  const std::string text = markdown(summary);
  EXPECT_EQ(bare(text, '<'), 0u);
  EXPECT_EQ(bare(text, '>'), 0u);
  EXPECT_EQ(bare(text, '`'), 0u);
  EXPECT_TRUE(contains(text, "| \\<script\\>alert(1)\\</script\\> | 3 |"));
  EXPECT_TRUE(contains(text, "| \"\\>\\<img src=x onerror=alert(1)\\> | 2 |"));
  EXPECT_TRUE(contains(text, "=HYPERLINK(\"http://x\") \\`code\\` \\*bold\\* \\_u\\_ \\[l\\](j) "
                             "\\~s\\~ \\\\\\|"));
  EXPECT_TRUE(contains(text, "| Price\\|cost next line | concern |"));
  EXPECT_TRUE(contains(text, "- calls/\\<b\\>x\\</b\\>.txt: not valid JSON"));
  // Every table row keeps its column count.
  std::istringstream lines(text);
  std::string line;
  std::size_t columns = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '|') {
      columns = 0;
      continue;
    }
    if (columns == 0) {
      columns = bare(line, '|');
    }
    EXPECT_EQ(bare(line, '|'), columns) << line;
  }
}

TEST(MarkdownReport, LongGroupListsAreCut) {
  ordered_json summary = sample();
  auto& values = summary["groups"][0]["values"];
  for (int i = 0; i < 12; ++i) {
    values.push_back({{"value", "extra" + std::to_string(i)}, {"calls", 1}});
  }
  const std::string text = markdown(summary);
  EXPECT_TRUE(contains(text, "| extra6 | 1 |"));
  EXPECT_FALSE(contains(text, "| extra7 | 1 |"));
  EXPECT_TRUE(contains(text, "\n5 smaller groups in the full report.\n"));
}

TEST(ReportText, Escaping) {
  using callsight::report_text::html_escape;
  using callsight::report_text::markdown_escape;
  EXPECT_EQ(html_escape("a<b>&\"c'\n\x01"), "a&lt;b&gt;&amp;&quot;c&#39;  ");
  EXPECT_EQ(markdown_escape("a|b`c*d_e[f]g<h>i~j\\k\tl"),
            "a\\|b\\`c\\*d\\_e\\[f\\]g\\<h\\>i\\~j\\\\k l");
  EXPECT_EQ(markdown_escape("caf\xc3\xa9 #1 (ok)"), "caf\xc3\xa9 #1 (ok)");
}

TEST(ReportText, NumberFormats) {
  using namespace callsight::report_text;
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_percent(0.375), "37.5%");
  EXPECT_EQ(format_percent(0.3125), "31.2%"); // to_chars rounds half to even on the binary value
  EXPECT_EQ(format_percent(1.0, 0), "100%");
  EXPECT_EQ(format_percent(-0.00001), "0.0%");
  EXPECT_EQ(format_money(16350.0), "16,350.00");
  EXPECT_EQ(format_money(41.666), "41.67");
  EXPECT_EQ(format_money(-1234.5), "-1,234.50");
  EXPECT_EQ(format_money(0.0), "0.00");
  EXPECT_EQ(format_points(0.375), "+37.5");
  EXPECT_EQ(format_points(-0.25), "-25.0");
  EXPECT_EQ(format_fixed(std::nan(""), 2), "n/a");
  EXPECT_EQ(format_duration(62.5), "1:02");
  EXPECT_EQ(format_duration(3725), "1:02:05");
  EXPECT_EQ(format_duration(-4), "0:00");
  EXPECT_EQ(truncate_text("abcdef", 3), "abc\u2026");
  EXPECT_EQ(truncate_text("\xc3\xa9\xc3\xa9\xc3\xa9", 2), "\xc3\xa9\xc3\xa9\u2026");
  EXPECT_EQ(truncate_text("abc", 3), "abc");
}

TEST(ReportText, TolerantJsonAccess) {
  using namespace callsight::report_text;
  const Json object = Json::parse(R"({"n": 2.5, "s": "x", "z": null, "a": [1], "neg": -3})");
  EXPECT_EQ(number_at(object, "n"), 2.5);
  EXPECT_EQ(number_at(object, "z"), std::nullopt);
  EXPECT_EQ(number_at(object, "s"), std::nullopt);
  EXPECT_EQ(number_at(Json::array(), "n"), std::nullopt);
  EXPECT_EQ(count_at(object, "neg"), 0u);
  EXPECT_EQ(count_at(object, "n"), 2u);
  EXPECT_EQ(string_at(object, "s"), "x");
  EXPECT_EQ(string_at(object, "n"), "2.5");
  EXPECT_EQ(string_at(object, "missing", "fallback"), "fallback");
  EXPECT_EQ(array_at(object, "a").size(), 1u);
  EXPECT_TRUE(array_at(object, "s").empty());
  EXPECT_TRUE(object_at(object, "a").empty());
}
