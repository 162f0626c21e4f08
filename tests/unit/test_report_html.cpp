// Unit tests for the HTML report: charts and their bar counts, optional
// sections, self-containment (CSP, no network references, no inline handlers)
// and escaping of hostile transcript text.
#include <cctype>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "report/report_text.hpp"

using nlohmann::ordered_json;

namespace {

// Two dimensions (campaign with spend, week), a group without call-log row.
const char* const k_summary = R"json({
  "schema_version": 1,
  "generator": {"name": "callsight", "version": "0.1.0"},
  "taxonomy": {"name": "mini", "source": "built-in", "stemmer": "english", "topics": 6},
  "metadata": {"source": "calls.csv", "rows": 5},
  "spend": {"source": "spend.csv", "dimension": "campaign", "currency": "USD", "total": 1500.0},
  "totals": {"calls": 6, "files_failed": 0, "words": 1200, "calls_with_metadata": 5,
             "conversions": 3, "conversion_rate": 0.6, "revenue": 450.5},
  "topics": [
    {"id": "pricing", "label": "Pricing", "kind": "concern", "calls": 4, "share": 0.6667, "hits": 7},
    {"id": "refund", "label": "Refund", "kind": "concern", "calls": 1, "share": 0.1667, "hits": 1},
    {"id": "billing", "label": "Billing", "kind": "concern", "calls": 0, "share": 0.0, "hits": 0},
    {"id": "rival", "label": "Competitor", "kind": "competitor", "calls": 2, "share": 0.3333, "hits": 2},
    {"id": "heard_tv", "label": "Heard of us: TV", "kind": "source", "calls": 3, "share": 0.5, "hits": 3},
    {"id": "converted", "label": "Converted", "kind": "outcome", "calls": 3, "share": 0.5, "hits": 3}
  ],
  "groups": [
    {"dimension": "campaign", "values": [
      {"value": "(none)", "calls": 1, "calls_with_metadata": 0, "conversions": 0,
       "conversion_rate": null, "revenue": 0.0,
       "topics": [{"id": "rival", "calls": 1, "share": 1.0, "hits": 1}]},
      {"value": "spring_tv", "calls": 3, "calls_with_metadata": 3, "conversions": 1,
       "conversion_rate": 0.3333, "revenue": 100.0, "spend": 1200.0, "cost_per_call": 400.0,
       "cost_per_conversion": 1200.0,
       "topics": [{"id": "pricing", "calls": 3, "share": 1.0, "hits": 5},
                  {"id": "rival", "calls": 1, "share": 0.3333, "hits": 1},
                  {"id": "heard_tv", "calls": 3, "share": 1.0, "hits": 3}]},
      {"value": "web", "calls": 2, "calls_with_metadata": 2, "conversions": 2,
       "conversion_rate": 1.0, "revenue": 350.5, "spend": 300.0, "cost_per_call": 150.0,
       "cost_per_conversion": 150.0,
       "topics": [{"id": "pricing", "calls": 1, "share": 0.5, "hits": 2},
                  {"id": "refund", "calls": 1, "share": 0.5, "hits": 1}]}
    ]},
    {"dimension": "week", "values": [
      {"value": "(none)", "calls": 1, "conversion_rate": null,
       "topics": [{"id": "rival", "calls": 1, "share": 1.0, "hits": 1}]},
      {"value": "2026-W41", "calls": 2, "conversion_rate": 0.5,
       "topics": [{"id": "pricing", "calls": 2, "share": 1.0, "hits": 3}]},
      {"value": "2026-W40", "calls": 3, "conversion_rate": 0.6667,
       "topics": [{"id": "pricing", "calls": 2, "share": 0.6667, "hits": 4},
                  {"id": "refund", "calls": 1, "share": 0.3333, "hits": 1}]}
    ]}
  ],
  "errors": []
})json";

ordered_json sample() {
  return ordered_json::parse(k_summary);
}

std::string html(const ordered_json& summary) {
  std::ostringstream out;
  callsight::write_html_report(out, summary);
  return out.str();
}

std::size_t occurrences(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string_view::npos;
       at = text.find(part, at + part.size())) {
    ++count;
  }
  return count;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// For each <svg data-chart="NAME">, how many elements carry exactly `marker`
// (e.g. class="bar").
std::map<std::string, std::size_t> count_per_chart(const std::string& page,
                                                   std::string_view marker) {
  std::map<std::string, std::size_t> counts;
  const std::string open = "data-chart=\"";
  for (std::size_t at = page.find(open); at != std::string::npos; at = page.find(open, at + 1)) {
    const std::size_t name_end = page.find('"', at + open.size());
    const std::string name = page.substr(at + open.size(), name_end - at - open.size());
    const std::size_t end = page.find("</svg>", at);
    counts[name] = occurrences(std::string_view(page).substr(at, end - at), marker);
  }
  return counts;
}

std::string between(const std::string& page, std::string_view open, std::string_view close) {
  const std::size_t start = page.find(open);
  if (start == std::string::npos) {
    return "";
  }
  const std::size_t end = page.find(close, start + open.size());
  return page.substr(start + open.size(), end - start - open.size());
}

// The first attribute whose name starts with "on" (an event handler) in any
// tag, or "". Quoted values are skipped: escaped data inside them ("onerror="
// as text) is inert. Script content is skipped as it holds no tags.
std::string event_handler(const std::string& page) {
  const auto is_name = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == ':';
  };
  std::size_t i = 0;
  while ((i = page.find('<', i)) != std::string::npos) {
    if (page.compare(i, 8, "<script>") == 0) {
      i = page.find("</script>", i);
      continue;
    }
    ++i;
    if (i >= page.size() || std::isalpha(static_cast<unsigned char>(page[i])) == 0) {
      continue;
    }
    while (i < page.size() && is_name(page[i])) {
      ++i; // tag name
    }
    while (i < page.size() && page[i] != '>') {
      if (page[i] == '"' || page[i] == '\'') {
        i = page.find(page[i], i + 1) + 1; // a quoted value
        continue;
      }
      if (!is_name(page[i])) {
        ++i;
        continue;
      }
      const std::size_t start = i;
      while (i < page.size() && is_name(page[i])) {
        ++i;
      }
      const std::string name = page.substr(start, i - start);
      if (name.size() > 2 && (name[0] == 'o' || name[0] == 'O') &&
          (name[1] == 'n' || name[1] == 'N')) {
        return name;
      }
    }
  }
  return "";
}

using Counts = std::map<std::string, std::size_t>;

} // namespace

TEST(HtmlReport, ChartsHaveOneBarPerValue) {
  const std::string page = html(sample());
  // top-concerns: the 3 concern/competitor topics with calls (billing has none);
  // concern-mix: one bar per campaign; conversion: groups with a known rate;
  // cost: groups with spend; the time dimension gets trends, not a mix.
  EXPECT_EQ(count_per_chart(page, "class=\"bar\""), (Counts{{"top-concerns", 3},
                                                            {"heard-of-us", 1},
                                                            {"concern-mix-campaign", 3},
                                                            {"conversion-campaign", 2},
                                                            {"cost-per-conversion-campaign", 2},
                                                            {"conversion-week", 2},
                                                            {"topic-trends-week", 0}}));
  // Segments: (none) 1, spring_tv 2 (pricing, rival), web 2 (pricing, refund).
  EXPECT_EQ(count_per_chart(page, "class=\"seg\"")["concern-mix-campaign"], 5u);
  // Trends: the 3 concerns with calls over the 2 periods, "(none)" left out.
  EXPECT_EQ(count_per_chart(page, "class=\"line\"")["topic-trends-week"], 3u);
  EXPECT_EQ(count_per_chart(page, "class=\"point\"")["topic-trends-week"], 6u);
  EXPECT_TRUE(contains(page, ">2026-W40</text>"));
  EXPECT_LT(page.find(">2026-W40</text>"), page.find(">2026-W41</text>"));
}

TEST(HtmlReport, SelfContainedWithStrictPolicy) {
  const std::string page = html(sample());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_FALSE(contains(page, "http://"));
  EXPECT_FALSE(contains(page, "https://"));
  EXPECT_FALSE(contains(page, "<script src"));
  EXPECT_FALSE(contains(page, "<link"));
  EXPECT_FALSE(contains(page, "@import"));
  EXPECT_FALSE(contains(page, "url("));
  EXPECT_FALSE(contains(page, " style=\""));
  EXPECT_EQ(event_handler(page), "");
  EXPECT_EQ(occurrences(page, "<script"), 1u);
  EXPECT_EQ(occurrences(page, "<style"), 1u);
  // The policy names the hashes of exactly the style and script in the page.
  using callsight::report_text::csp_hash;
  const std::string style = between(page, "<style>", "</style>");
  const std::string script = between(page, "<script>", "</script>");
  EXPECT_TRUE(contains(script, "addEventListener('click'"));
  EXPECT_TRUE(contains(script, "data-js-ok"));
  EXPECT_TRUE(contains(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                             "'none'; style-src " +
                                 csp_hash(style) + "; script-src " + csp_hash(script) +
                                 "; base-uri 'none'; form-action 'none'\">"));
  EXPECT_TRUE(contains(page, "@media print"));
  EXPECT_TRUE(contains(page, "<table class=\"sortable\">"));
}

TEST(HtmlReport, HandlerScanFindsHandlers) {
  EXPECT_EQ(event_handler("<p>x</p><img src=x onerror=alert(1)>"), "onerror");
  EXPECT_EQ(event_handler("<svg class=\"a\" OnLoad=\"f()\">"), "OnLoad");
  EXPECT_EQ(event_handler("<p title=\"&quot; onclick=x\">onclick=y</p>"), "");
}

TEST(HtmlReport, CspHashIsSha256Base64) {
  using callsight::report_text::csp_hash;
  EXPECT_EQ(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  EXPECT_EQ(csp_hash("abc"), "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(csp_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "'sha256-JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE='");
}

TEST(HtmlReport, DeterministicOutput) {
  EXPECT_EQ(html(sample()), html(sample()));
}

TEST(HtmlReport, OptionalSectionsOnlyWhenPresent) {
  const std::string plain = html(sample());
  for (const char* id : {"id=\"sentiment\"", "id=\"emerging\"", "id=\"examples\"", "id=\"changes\"",
                         "id=\"errors\""}) {
    EXPECT_FALSE(contains(plain, id)) << id;
  }
  ordered_json summary = sample();
  summary["sentiment_by_topic"] = ordered_json::parse(
      R"([{"id": "pricing", "customer_mean": -0.4, "calls": 4}, {"id": "refund", "customer_mean": 0.2},
          {"id": "rival"}, {"id": "unknown_topic", "customer_mean": 3}])");
  summary["emerging"] = ordered_json::parse(
      R"([{"phrase": "heat pump", "calls": 3, "share": 0.5, "growth": 4.0}, {"phrase": "rebate", "calls": 1}])");
  summary["examples"] = ordered_json::parse(
      R"([{"topic": "pricing", "file": "calls/a.txt", "time": 3725, "snippet": "How much is it?"},
          {"topic": "refund", "file": "calls/b.txt", "time": "0:42", "snippet": "I want my money back"},
          {"topic": "pricing", "file": "calls/c.txt", "snippet": "Too pricey"}])");
  summary["trends"] = ordered_json::parse(
      R"({"previous": "2026-W40", "current": "2026-W41",
          "topics": [{"id": "pricing", "previous_share": 0.6667, "current_share": 1.0}]})");
  summary["errors"] = ordered_json::parse(R"([{"file": "calls/x.json", "reason": "not JSON"}])");
  summary["totals"]["talk"] = {{"calls_with_times", 4}, {"mean_duration_s", 219.1}};
  const std::string page = html(summary);
  Counts bars = count_per_chart(page, "class=\"bar\"");
  EXPECT_EQ(bars["sentiment-by-topic"], 3u); // entries with a number; out-of-range values clamped
  EXPECT_EQ(bars["emerging-phrases"], 2u);
  EXPECT_TRUE(contains(page, "<blockquote class=\"snippet\"><p>\u201cHow much is it?\u201d</p>"
                             "<footer>calls/a.txt at 1:02:05</footer></blockquote>"));
  EXPECT_TRUE(contains(page, "<footer>calls/b.txt at 0:42</footer>"));
  EXPECT_TRUE(contains(page, "<footer>calls/c.txt</footer>"));
  EXPECT_TRUE(contains(page, "<h2>Biggest changes (2026-W40 to 2026-W41)</h2>"));
  EXPECT_TRUE(contains(page, ">+33.3</td>"));
  EXPECT_TRUE(contains(page, "<td>calls/x.json</td><td>not JSON</td>"));
  EXPECT_TRUE(contains(page, ">+1.00</text>")); // clamped to [-1, 1]
  EXPECT_TRUE(contains(page, "4.0\u00d7"));
  EXPECT_TRUE(
      contains(page, "<div class=\"v\">3:39</div><div class=\"s\">over 4 timed calls</div>"));
  // Present but empty: the section says so instead of drawing an empty chart.
  summary["emerging"] = ordered_json::array();
  EXPECT_TRUE(contains(html(summary), "No emerging phrases in this run."));
}

TEST(HtmlReport, EmptyOrForeignDocumentsStillRender) {
  for (const char* text :
       {"{}", "[]", R"({"topics": 1, "groups": [1, {"values": 2}], "totals": "x"})",
        R"j({"groups": [{"dimension": "week", "values": [{"value": "(none)"}]}]})j"}) {
    const std::string page = html(ordered_json::parse(text));
    EXPECT_TRUE(contains(page, "<h1>Call insights</h1>")) << text;
    EXPECT_TRUE(contains(page, "</html>\n")) << text;
    EXPECT_EQ(event_handler(page), "") << text;
  }
}

TEST(HtmlReport, HostileTextIsInert) {
  const std::string script = "<script>alert(1)</script>";
  const std::string image = "\"><img src=x onerror=alert(1)>";
  const std::string formula = "=HYPERLINK(\"http://x\")";
  const std::string ticks = "`a|b` 'q'";
  ordered_json summary = sample();
  auto& campaigns = summary["groups"][0]["values"];
  campaigns[1]["value"] = script;
  campaigns[2]["value"] = image;
  campaigns[0]["value"] = formula + " " + ticks;
  summary["groups"][0]["dimension"] = "camp<aign>\"";
  summary["topics"][0]["label"] = image;
  summary["taxonomy"]["name"] = script;
  summary["metadata"]["source"] = image;
  summary["emerging"] = {{{"phrase", script}, {"calls", 2}}, {{"phrase", formula}, {"calls", 1}}};
  summary["examples"] = {{{"topic", "pricing"},
                          {"file", image},
                          {"time", script},
                          {"snippet", script + " " + image + " " + formula + " " + ticks}},
                         {{"topic", script}, {"file", "f.txt"}, {"snippet", "</blockquote>x"}}};
  summary["errors"] = {{{"file", script}, {"reason", image}}};
  summary["generator"]["version"] = "</script><script>alert(2)</script>";
  const std::string page = html(summary);

  // The only tags are the writer's: one script element, no img, no handler.
  EXPECT_EQ(occurrences(page, "<script"), 1u);
  EXPECT_EQ(occurrences(page, "</script>"), 1u);
  EXPECT_FALSE(contains(page, "<img"));
  EXPECT_FALSE(contains(page, "</blockquote>x"));
  EXPECT_EQ(event_handler(page), "");
  EXPECT_FALSE(contains(page, "href=\"http"));
  EXPECT_FALSE(contains(page, "src=\"http"));
  EXPECT_FALSE(contains(page, ticks)); // the quotes are escaped
  // Each hostile string is there, escaped, in text and in attributes.
  EXPECT_TRUE(contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(contains(page, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_TRUE(contains(page, "=HYPERLINK(&quot;http://x&quot;)"));
  EXPECT_TRUE(contains(page, "`a|b` &#39;q&#39;"));
  EXPECT_TRUE(contains(page, "data-group=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
  EXPECT_TRUE(contains(page, "data-chart=\"concern-mix-camp&lt;aign&gt;&quot;\""));
  EXPECT_TRUE(contains(page, "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
  // Counting still works with hostile names.
  EXPECT_EQ(count_per_chart(page, "class=\"bar\"")["concern-mix-camp&lt;aign&gt;&quot;"], 3u);
}
