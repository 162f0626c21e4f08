// Unit tests for the per-call conversion decision (decide_conversion) and the
// conversion counters of the Summary: sources, per-topic conversions, calls
// with revenue, and merging them.
#include <gtest/gtest.h>

#include "callsight/aggregate.hpp"

using namespace callsight;

namespace {

std::vector<Topic> topics_with_outcomes() {
  std::vector<Topic> topics(4);
  topics[0].id = "pricing"; // a concern
  topics[1].id = "booked";
  topics[1].kind = TopicKind::outcome;
  topics[1].outcome = OutcomeMeaning::conversion;
  topics[2].id = "quote_given";
  topics[2].kind = TopicKind::outcome;
  topics[2].outcome = OutcomeMeaning::quote;
  topics[3].id = "unstated"; // kind outcome, meaning left out: neutral
  topics[3].kind = TopicKind::outcome;
  return topics;
}

TagResult tagged(std::vector<std::uint32_t> topics) {
  TagResult tags;
  for (const std::uint32_t t : topics) {
    tags.topics.push_back(TopicMatch{t, 1, 0, 0, 0, 0});
  }
  return tags;
}

// A call of group `group` with topics, decided as the pipeline would.
CallResult decided_call(std::string group, std::vector<std::uint32_t> topics,
                        std::string_view log_converted, std::optional<std::int64_t> revenue) {
  CallResult call;
  call.tags = tagged(std::move(topics));
  const Conversion conversion =
      decide_conversion(log_converted, has_conversion_topic(call.tags, topics_with_outcomes()));
  call.converted = conversion.converted;
  call.conversion_source = conversion.source;
  call.has_metadata = !log_converted.empty() || revenue.has_value();
  call.has_revenue = revenue.has_value();
  call.revenue_cents = revenue.value_or(0);
  call.group_values = {std::move(group)};
  return call;
}

} // namespace

TEST(DecideConversion, CallLogValueWinsOverTheTranscript) {
  // The log says no although the agent confirmed a booking: the log wins.
  EXPECT_EQ(decide_conversion("0", true), (Conversion{false, ConversionSource::call_log}));
  EXPECT_EQ(decide_conversion("no", true), (Conversion{false, ConversionSource::call_log}));
  EXPECT_EQ(decide_conversion("Yes", false), (Conversion{true, ConversionSource::call_log}));
  EXPECT_EQ(decide_conversion("1", true), (Conversion{true, ConversionSource::call_log}));
  EXPECT_EQ(decide_conversion("converted", false), (Conversion{true, ConversionSource::call_log}));
}

TEST(DecideConversion, TranscriptOnlyWhenTheLogSaysNothing) {
  EXPECT_EQ(decide_conversion("", true), (Conversion{true, ConversionSource::transcript}));
  // A blank cell is no value either.
  EXPECT_EQ(decide_conversion(" \t", true), (Conversion{true, ConversionSource::transcript}));
}

TEST(DecideConversion, NeitherIsNotConvertedWithSourceNone) {
  EXPECT_EQ(decide_conversion("", false), (Conversion{false, ConversionSource::none}));
  EXPECT_EQ(decide_conversion("  ", false), (Conversion{false, ConversionSource::none}));
  EXPECT_EQ(to_string(ConversionSource::none), "none");
  EXPECT_EQ(to_string(ConversionSource::call_log), "call_log");
  EXPECT_EQ(to_string(ConversionSource::transcript), "transcript");
}

TEST(DecideConversion, OnlyConversionOutcomeTopicsCount) {
  const std::vector<Topic> topics = topics_with_outcomes();
  EXPECT_TRUE(has_conversion_topic(tagged({0, 1}), topics));
  EXPECT_FALSE(has_conversion_topic(tagged({0, 2, 3}), topics)); // quote, neutral
  EXPECT_FALSE(has_conversion_topic(tagged({}), topics));
  // A concern is never a conversion, whatever its outcome field says.
  std::vector<Topic> odd = topics;
  odd[0].outcome = OutcomeMeaning::conversion;
  EXPECT_FALSE(has_conversion_topic(tagged({0}), odd));
}

TEST(SummaryConversions, SourcesTopicConversionsAndRevenueCalls) {
  Summary summary(4, {"campaign"});
  // tv: log yes with revenue; log no despite a booking; booking, no log value.
  summary.add(decided_call("tv", {0}, "yes", 25000));
  summary.add(decided_call("tv", {0, 1}, "0", 0));
  summary.add(decided_call("tv", {1, 2}, "", std::nullopt));
  // radio: nothing known; a quote only.
  summary.add(decided_call("radio", {0}, "", std::nullopt));
  summary.add(decided_call("radio", {2}, "", std::nullopt));

  const Totals& totals = summary.totals();
  EXPECT_EQ(totals.calls, 5u);
  EXPECT_EQ(totals.conversions, 2u);
  EXPECT_EQ(totals.conversion_sources, (ConversionSources{2, 1, 2}));
  EXPECT_EQ(totals.revenue_calls, 2u); // the "0" revenue counts: the log has an amount
  EXPECT_EQ(totals.revenue_cents, 25000);
  // Per topic: calls carrying it that converted.
  EXPECT_EQ(summary.topics()[0].calls, 3u);
  EXPECT_EQ(summary.topics()[0].conversions, 1u);
  EXPECT_EQ(summary.topics()[1].calls, 2u);
  EXPECT_EQ(summary.topics()[1].conversions, 1u); // the log's "0" outranks the booking
  EXPECT_EQ(summary.topics()[2].conversions, 1u);

  const GroupStats& tv = summary.groups(0).at("tv");
  EXPECT_EQ(tv.calls, 3u);
  EXPECT_EQ(tv.conversions, 2u);
  EXPECT_EQ(tv.conversion_sources, (ConversionSources{2, 1, 0}));
  EXPECT_EQ(tv.revenue_calls, 2u);
  EXPECT_EQ(tv.topics[1].conversions, 1u);
  EXPECT_EQ(tv.topics[2].conversions, 1u);
  const GroupStats& radio = summary.groups(0).at("radio");
  EXPECT_EQ(radio.conversions, 0u);
  EXPECT_EQ(radio.conversion_sources, (ConversionSources{0, 0, 2}));
  EXPECT_EQ(radio.revenue_calls, 0u);
  EXPECT_EQ(radio.topics[2].calls, 1u);
  EXPECT_EQ(radio.topics[2].conversions, 0u);
}

TEST(SummaryConversions, MergedEqualsOneSummary) {
  const std::vector<CallResult> calls = {
      decided_call("tv", {0}, "yes", 25000), decided_call("tv", {0, 1}, "0", 0),
      decided_call("tv", {1, 2}, "", std::nullopt), decided_call("radio", {2}, "", std::nullopt)};
  Summary whole(4, {"campaign"});
  Summary left(4, {"campaign"});
  Summary right(4, {"campaign"});
  for (std::size_t i = 0; i < calls.size(); ++i) {
    whole.add(calls[i]);
    (i % 2 == 0 ? left : right).add(calls[i]);
  }
  right += left;
  EXPECT_EQ(right.totals(), whole.totals());
  EXPECT_EQ(right.topics(), whole.topics());
  EXPECT_EQ(right.groups(0), whole.groups(0));
  EXPECT_TRUE(right == whole);
}
