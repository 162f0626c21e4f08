// Unit tests for the conversion figures of the summary JSON and CSV: rate over
// all calls, the source mix, revenue per call with an amount, and each
// topic's conversion rate and lift over its group.
#include <sstream>

#include <gtest/gtest.h>

#include "callsight/report.hpp"

using namespace callsight;
using nlohmann::ordered_json;

namespace {

CompiledTaxonomy outcome_taxonomy() {
  Taxonomy taxonomy;
  taxonomy.name = "t";
  for (const auto& [id, kind, meaning] :
       {std::tuple{"pricing", TopicKind::concern, OutcomeMeaning::neutral},
        std::tuple{"booked", TopicKind::outcome, OutcomeMeaning::conversion},
        std::tuple{"quote_given", TopicKind::outcome, OutcomeMeaning::quote}}) {
    Topic topic;
    topic.id = id;
    topic.label = id;
    topic.kind = kind;
    topic.outcome = meaning;
    topic.phrases = {id};
    taxonomy.topics.push_back(topic);
  }
  return CompiledTaxonomy::compile(taxonomy);
}

CallResult call(std::string group, std::vector<std::uint32_t> topics, bool converted,
                ConversionSource source, std::optional<std::int64_t> revenue) {
  CallResult result;
  for (const std::uint32_t t : topics) {
    result.tags.topics.push_back(TopicMatch{t, 1, 0, 0, 0, 0});
  }
  result.converted = converted;
  result.conversion_source = source;
  result.has_metadata = source == ConversionSource::call_log;
  result.has_revenue = revenue.has_value();
  result.revenue_cents = revenue.value_or(0);
  result.group_values = {std::move(group)};
  return result;
}

// tv: 4 calls, 3 converted (2 by the log, 1 by the transcript), revenue
// 300.00 and 0.00 on two; radio: 2 calls, none converted, nothing known.
Summary sample() {
  Summary summary(3, {"campaign"});
  summary.add(call("tv", {0}, true, ConversionSource::call_log, 30000));
  summary.add(call("tv", {0, 2}, true, ConversionSource::call_log, 0));
  summary.add(call("tv", {1}, true, ConversionSource::transcript, std::nullopt));
  summary.add(call("tv", {0}, false, ConversionSource::none, std::nullopt));
  summary.add(call("radio", {0, 2}, false, ConversionSource::none, std::nullopt));
  summary.add(call("radio", {}, false, ConversionSource::none, std::nullopt));
  return summary;
}

const ordered_json& topic_of(const ordered_json& topics, std::string_view id) {
  for (const ordered_json& topic : topics) {
    if (topic.at("id") == id) {
      return topic;
    }
  }
  ADD_FAILURE() << "no topic " << id;
  return topics;
}

// The conversion figures of `totals` or a group.
void expect_conversions(const ordered_json& group, int conversions, double rate,
                        const ordered_json& sources, const ordered_json& revenue_per_call) {
  EXPECT_EQ(group.at("conversions"), conversions);
  EXPECT_EQ(group.at("conversion_rate"), rate);
  EXPECT_EQ(group.at("conversion_sources"), sources);
  EXPECT_EQ(group.at("revenue_per_call"), revenue_per_call);
}

ordered_json sources(int call_log, int transcript, int none) {
  return {{"call_log", call_log}, {"transcript", transcript}, {"none", none}};
}

// A topic's conversions, rate over its calls and lift over its group.
void expect_topic(const ordered_json& topics, std::string_view id, int conversions,
                  const ordered_json& rate, const ordered_json& lift) {
  const ordered_json& topic = topic_of(topics, id);
  EXPECT_EQ(topic.at("conversions"), conversions) << id;
  EXPECT_EQ(topic.at("conversion_rate"), rate) << id;
  EXPECT_EQ(topic.at("conversion_lift"), lift) << id;
}

} // namespace

TEST(ReportConversion, JsonRatesSourcesRevenueAndLift) {
  const CompiledTaxonomy taxonomy = outcome_taxonomy();
  ReportContext context;
  context.taxonomy = &taxonomy;
  context.metadata_source = "calls.csv";
  const ordered_json report = summary_to_json(sample(), context);

  // Over all 6 calls, not the 2 logged.
  const ordered_json& totals = report.at("totals");
  expect_conversions(totals, 3, 0.5, sources(2, 1, 3), 150.0);
  EXPECT_EQ(totals.at("revenue"), 300.0);
  EXPECT_EQ(totals.at("calls_with_revenue"), 2);

  // All calls: pricing on 4 calls, 2 converted: 0.5 against 0.5, lift 1.
  expect_topic(report.at("topics"), "pricing", 2, 0.5, 1.0);
  expect_topic(report.at("topics"), "booked", 1, 1.0, 2.0);
  EXPECT_EQ(topic_of(report.at("topics"), "pricing").find("outcome"),
            topic_of(report.at("topics"), "pricing").end());
  EXPECT_EQ(topic_of(report.at("topics"), "booked").at("outcome"), "conversion");

  const ordered_json& values = report.at("groups")[0].at("values");
  ASSERT_EQ(values.size(), 2u);
  // radio: no call with an amount, and without a conversion no lift.
  EXPECT_EQ(values[0].at("value"), "radio");
  expect_conversions(values[0], 0, 0.0, sources(0, 0, 2), nullptr);
  expect_topic(values[0].at("topics"), "quote_given", 0, 0.0, nullptr);
  // tv: pricing on 3 calls, 2 converted = 0.6667 against 0.75: lift 0.8889;
  // quote_given on 1 converted call: 1.0 against 0.75.
  expect_conversions(values[1], 3, 0.75, sources(2, 1, 1), 150.0);
  EXPECT_EQ(values[1].at("calls_with_metadata"), 2);
  expect_topic(values[1].at("topics"), "pricing", 2, 0.6667, 0.8889);
  expect_topic(values[1].at("topics"), "quote_given", 1, 1.0, 1.3333);
}

TEST(ReportConversion, WithoutCallLogConversionsStillShowButNoRevenue) {
  const CompiledTaxonomy taxonomy = outcome_taxonomy();
  ReportContext context;
  context.taxonomy = &taxonomy;
  Summary summary(3, {});
  summary.add(call("", {1}, true, ConversionSource::transcript, std::nullopt));
  summary.add(call("", {0}, false, ConversionSource::none, std::nullopt));
  const ordered_json totals = summary_to_json(summary, context).at("totals");
  EXPECT_EQ(totals.at("conversions"), 1);
  EXPECT_EQ(totals.at("conversion_rate"), 0.5);
  EXPECT_EQ(totals.at("conversion_sources").at("transcript"), 1);
  EXPECT_EQ(totals.find("revenue"), totals.end());
  EXPECT_EQ(totals.find("revenue_per_call"), totals.end());
  EXPECT_EQ(totals.find("calls_with_metadata"), totals.end());
}

TEST(ReportConversion, CsvAppendsSourceRevenueAndTopicColumns) {
  const CompiledTaxonomy taxonomy = outcome_taxonomy();
  ReportContext context;
  context.taxonomy = &taxonomy;
  context.metadata_source = "calls.csv";
  std::ostringstream long_form;
  write_summary_csv(long_form, sample(), context);
  const std::string text = long_form.str();
  std::istringstream lines(text);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header, "dimension,group,calls,conversions,conversion_rate,revenue,topic,topic_label,"
                    "topic_kind,topic_calls,topic_share,topic_hits,spend,cost_per_call,cost_per_"
                    "conversion,topic_cost_per_call,conversion_source_call_log,conversion_source_"
                    "transcript,conversion_source_none,calls_with_revenue,revenue_per_call,topic_"
                    "conversions,topic_conversion_rate,topic_conversion_lift,languages");
  EXPECT_NE(text.find("\nall,all,6,3,0.5,300.00,pricing,pricing,concern,4,0.6667,4,,,,,2,1,3,2,"
                      "150.00,2,0.5,1,und:6\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\ncampaign,tv,4,3,0.75,300.00,pricing,pricing,concern,3,0.75,3,,,,,2,1,1,"
                      "2,150.00,2,0.6667,0.8889,und:4\n"),
            std::string::npos)
      << text;
  // A topic no call of the group raised has no rate and no lift.
  EXPECT_NE(
      text.find("\ncampaign,radio,2,0,0,0.00,booked,booked,outcome,0,0,0,,,,,0,0,2,0,,0,,,und:2\n"),
      std::string::npos)
      << text;

  std::ostringstream wide;
  write_summary_csv_wide(wide, sample(), context);
  EXPECT_EQ(wide.str(), "dimension,group,calls,conversions,conversion_rate,revenue,spend,cost_per_"
                        "call,cost_per_conversion,pricing,booked,quote_given,conversion_source_"
                        "call_log,conversion_source_transcript,conversion_source_none,calls_with_"
                        "revenue,revenue_per_call,languages\n"
                        "all,all,6,3,0.5,300.00,,,,4,1,2,2,1,3,2,150.00,und:6\n"
                        "campaign,radio,2,0,0,0.00,,,,1,0,1,0,0,2,0,,und:2\n"
                        "campaign,tv,4,3,0.75,300.00,,,,3,1,1,2,1,1,2,150.00,und:4\n");
}

TEST(ReportConversion, CallRecordsNameTheSource) {
  const CompiledTaxonomy taxonomy = outcome_taxonomy();
  CallResult transcript = call("tv", {1}, true, ConversionSource::transcript, std::nullopt);
  const ordered_json record = ordered_json::parse(call_record_json(transcript, taxonomy));
  EXPECT_EQ(record.at("converted"), true);
  EXPECT_EQ(record.at("conversion_source"), "transcript");
  EXPECT_EQ(record.find("revenue"), record.end()); // no call-log row

  std::ostringstream csv;
  write_call_csv_header(csv, taxonomy);
  write_call_csv_row(csv, transcript, taxonomy);
  write_call_csv_row(csv, call("tv", {}, false, ConversionSource::none, std::nullopt), taxonomy);
  write_call_csv_row(csv, call("tv", {1}, false, ConversionSource::call_log, 0), taxonomy);
  std::istringstream lines(csv.str());
  std::string header;
  std::string row;
  std::getline(lines, header);
  EXPECT_TRUE(header.ends_with(",pricing,booked,quote_given,conversion_source")) << header;
  // converted is "1"/"0" when some source decided, empty when none did.
  std::getline(lines, row);
  EXPECT_TRUE(row.find(",1,,") != std::string::npos && row.ends_with(",0,1,0,transcript")) << row;
  std::getline(lines, row);
  EXPECT_TRUE(row.find(",,,") != std::string::npos && row.ends_with(",0,0,0,none")) << row;
  std::getline(lines, row);
  EXPECT_TRUE(row.find(",0,0.00,") != std::string::npos && row.ends_with(",0,1,0,call_log")) << row;
}
