// Unit tests for src/journeys/journeys.cpp: dates, ordering, every aggregate
// on hand-computed journeys, and per-call records from joined results.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "callsight/journeys.hpp"
#include "callsight/report.hpp"

#include "report/report_text.hpp"

using namespace callsight;

namespace {

enum : std::uint32_t { k_pricing, k_complaint, k_cancellation, k_converted, k_topics };

JourneyCall make_call(std::uint64_t caller, std::uint64_t order, std::string date,
                      std::string channel, std::vector<std::uint32_t> topics,
                      CallOutcome outcome = CallOutcome::none) {
  JourneyCall call;
  call.caller = caller;
  call.order = order;
  call.date = std::move(date);
  call.channel = std::move(channel);
  call.campaign = call.channel + "_fall";
  call.call_id = "c" + std::to_string(order);
  call.topics = std::move(topics);
  call.outcome = outcome;
  return call;
}

// The hand-computed scenario (numbers in the comments of each test):
//   1: tv pricing -> search pricing -> search converted (3 calls, 48 h and 24 h apart)
//   2: radio complaint -> radio cancellation (cancelled, 19 days apart)
//   3: tv pricing, once
//   4: search, converted on the first call
//   5: tv pricing -> tv converted (4 h apart)
//   6: search pricing -> undated search pricing
// plus two calls that could not be linked.
std::vector<JourneyCall> scenario() {
  return {
      make_call(1, 0, "2026-10-01T09:00:00", "tv", {k_pricing}),
      make_call(1, 7, "2026-10-03T09:00:00", "search", {k_pricing}),
      make_call(1, 9, "2026-10-04T09:00:00", "search", {k_converted}, CallOutcome::converted),
      make_call(2, 1, "2026-10-01 10:00", "radio", {k_complaint}),
      make_call(2, 10, "2026-10-20T10:00:00Z", "radio", {k_cancellation}, CallOutcome::cancelled),
      make_call(3, 5, "2026-10-02", "tv", {k_pricing}),
      make_call(4, 8, "2026-10-05T11:00:00", "search", {}, CallOutcome::converted),
      make_call(5, 2, "2026-10-01T08:00:00", "tv", {k_pricing}),
      make_call(5, 3, "2026-10-01T12:00:00", "tv", {k_converted}, CallOutcome::converted),
      make_call(6, 6, "", "search", {k_pricing}),
      make_call(6, 4, "2026-10-06T09:00:00", "search", {k_pricing}),
  };
}

// The scenario's taxonomy: topic ids in k_* order, labels "Label <id>".
CompiledTaxonomy scenario_taxonomy() {
  Taxonomy taxonomy;
  for (const char* id : {"pricing", "complaint", "cancellation", "converted"}) {
    Topic topic;
    topic.id = id;
    topic.label = std::string("Label ") + id;
    topic.phrases = {id};
    taxonomy.topics.push_back(topic);
  }
  return CompiledTaxonomy::compile(taxonomy);
}

JourneyStats build(std::vector<JourneyCall> calls, std::uint64_t min_calls,
                   std::vector<std::string>* visited = nullptr) {
  JourneyBuilder builder(k_topics, JourneyOptions{min_calls});
  for (JourneyCall& call : calls) {
    builder.add(std::move(call));
  }
  builder.add_unlinked();
  builder.add_unlinked();
  return builder.finish([&](const Journey& journey) {
    if (visited == nullptr) {
      return;
    }
    std::string line = std::to_string(journey.caller) + ":";
    for (const JourneyCall& call : journey.calls) {
      line += " " + call.call_id;
    }
    visited->push_back(line);
  });
}

TEST(JourneyDates, IsoFormsAndZones) {
  EXPECT_EQ(parse_iso_datetime("1970-01-01"), 0);
  EXPECT_EQ(parse_iso_datetime("1970-01-02T00:00:00Z"), 86400);
  EXPECT_EQ(parse_iso_datetime("1970-01-01 01:02"), 3720);
  EXPECT_EQ(parse_iso_datetime(" 1970-01-01T00:00:05.750 "), 5);
  EXPECT_EQ(parse_iso_datetime("2026-10-05T09:14:00+02:00"),
            parse_iso_datetime("2026-10-05T07:14:00Z"));
  EXPECT_EQ(parse_iso_datetime("2026-10-05T09:14:00-0500"),
            parse_iso_datetime("2026-10-05T14:14:00"));
  EXPECT_EQ(parse_iso_datetime("2026-10-05 09:14:00 +01"),
            parse_iso_datetime("2026-10-05T08:14:00"));
  for (const char* bad : {"", "2026-02-30", "10/05/2026", "2026-10-05T25:00", "2026-10-05X09:00",
                          "2026-10-05T09:00+2", "yesterday"}) {
    EXPECT_FALSE(parse_iso_datetime(bad)) << bad;
  }
}

TEST(JourneyBuilder, OrdersByCallerThenDateThenInputOrder) {
  std::vector<std::string> visited;
  build(scenario(), 3, &visited);
  const std::vector<std::string> expected = {"1: c0 c7 c9", "2: c1 c10", "3: c5",
                                             "4: c8",       "5: c2 c3",  "6: c4 c6"};
  EXPECT_EQ(visited, expected);

  // Same date: input order decides; the result does not depend on arrival order.
  std::vector<JourneyCall> same_day = {make_call(9, 2, "2026-10-01", "tv", {}),
                                       make_call(9, 1, "2026-10-01", "radio", {})};
  visited.clear();
  build(same_day, 3, &visited);
  EXPECT_EQ(visited, std::vector<std::string>{"9: c1 c2"});
}

TEST(JourneyBuilder, ArrivalOrderDoesNotChangeTheResult) {
  std::vector<JourneyCall> calls = scenario();
  std::vector<std::string> first;
  const JourneyStats a = build(calls, 1, &first);
  std::mt19937 random(7);
  std::shuffle(calls.begin(), calls.end(), random);
  std::vector<std::string> second;
  const JourneyStats b = build(calls, 1, &second);
  EXPECT_EQ(first, second);
  const CompiledTaxonomy compiled = scenario_taxonomy();
  EXPECT_EQ(journeys_to_json(a, compiled).dump(), journeys_to_json(b, compiled).dump());
}

TEST(JourneyBuilder, Counts) {
  const JourneyStats stats = build(scenario(), 3);
  EXPECT_EQ(stats.calls, 11u);
  EXPECT_EQ(stats.calls_without_key, 2u);
  EXPECT_EQ(stats.calls_without_date, 1u);
  EXPECT_EQ(stats.callers, 6u);
  EXPECT_EQ(stats.repeat_callers, 4u); // 1, 2, 5, 6
  EXPECT_EQ(stats.converted, 3u);      // 1, 4, 5
  EXPECT_EQ(stats.cancelled, 1u);      // 2
  EXPECT_EQ(stats.topic_calls, (std::vector<std::uint64_t>{6, 1, 1, 2}));
}

TEST(JourneyBuilder, RepeatCallersByFirstChannel) {
  const JourneyStats stats = build(scenario(), 3);
  ASSERT_EQ(stats.repeat_by_channel.size(), 3u);
  EXPECT_EQ(stats.repeat_by_channel[0].channel, "radio"); // caller 2
  EXPECT_EQ(stats.repeat_by_channel[0].callers, 1u);
  EXPECT_EQ(stats.repeat_by_channel[0].repeat_callers, 1u);
  EXPECT_EQ(stats.repeat_by_channel[1].channel, "search"); // 4 once, 6 twice
  EXPECT_EQ(stats.repeat_by_channel[1].callers, 2u);
  EXPECT_EQ(stats.repeat_by_channel[1].repeat_callers, 1u);
  EXPECT_EQ(stats.repeat_by_channel[2].channel, "tv"); // 1 and 5 again, 3 once
  EXPECT_EQ(stats.repeat_by_channel[2].callers, 3u);
  EXPECT_EQ(stats.repeat_by_channel[2].repeat_callers, 2u);
}

TEST(JourneyBuilder, CallsToConversionByFirstTouch) {
  const JourneyStats stats = build(scenario(), 3);
  ASSERT_EQ(stats.calls_to_conversion.size(), 3u);
  EXPECT_EQ(stats.calls_to_conversion[0].first_touch, ""); // all
  EXPECT_EQ(stats.calls_to_conversion[0].converted, 3u);
  EXPECT_EQ(stats.calls_to_conversion[0].calls, (std::array<std::uint64_t, 4>{1, 1, 1, 0}));
  EXPECT_EQ(stats.calls_to_conversion[1].first_touch, "search"); // 4: first call
  EXPECT_EQ(stats.calls_to_conversion[1].calls, (std::array<std::uint64_t, 4>{1, 0, 0, 0}));
  EXPECT_EQ(stats.calls_to_conversion[2].first_touch, "tv"); // 5: 2 calls, 1: 3 calls
  EXPECT_EQ(stats.calls_to_conversion[2].converted, 2u);
  EXPECT_EQ(stats.calls_to_conversion[2].calls, (std::array<std::uint64_t, 4>{0, 1, 1, 0}));

  // Four calls or more share the last bucket; calls after the conversion do not count.
  std::vector<JourneyCall> long_journey;
  for (std::uint64_t i = 0; i < 6; ++i) {
    long_journey.push_back(make_call(1, i, "2026-10-0" + std::to_string(i + 1), "tv", {},
                                     i == 4 ? CallOutcome::converted : CallOutcome::none));
  }
  const JourneyStats deep = build(long_journey, 3);
  EXPECT_EQ(deep.calls_to_conversion[0].calls, (std::array<std::uint64_t, 4>{0, 0, 0, 1}));
}

TEST(JourneyBuilder, TopicsBeforeConversionWithLift) {
  // Before a conversion: caller 1's second call and caller 5's first (both
  // pricing); caller 4 converted on the first call. Pricing is on 6 of 11
  // linked calls, so lift = (2/2) / (6/11) = 1.8333.
  const JourneyStats stats = build(scenario(), 1);
  const BeforeEvent& before = stats.before_conversion;
  EXPECT_EQ(before.events, 3u);
  EXPECT_EQ(before.on_first_call, 1u);
  EXPECT_EQ(before.calls, 2u);
  EXPECT_EQ(before.suppressed, 0u);
  ASSERT_EQ(before.topics.size(), 1u);
  EXPECT_EQ(before.topics[0].topic, k_pricing);
  EXPECT_EQ(before.topics[0].calls, 2u);
  EXPECT_EQ(before.topics[0].base_calls, 6u);

  // Cancellation: caller 2's complaint; complaint is on 1 of 11 calls: lift 11.
  const BeforeEvent& cancel = stats.before_cancellation;
  EXPECT_EQ(cancel.events, 1u);
  EXPECT_EQ(cancel.calls, 1u);
  ASSERT_EQ(cancel.topics.size(), 1u);
  EXPECT_EQ(cancel.topics[0].topic, k_complaint);

  const nlohmann::ordered_json json = journeys_to_json(stats, scenario_taxonomy());
  const auto& pricing = json["before_conversion"]["topics"][0];
  EXPECT_EQ(pricing["id"], "pricing");
  EXPECT_DOUBLE_EQ(pricing["share"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(pricing["base_share"].get<double>(), 0.5455);
  EXPECT_DOUBLE_EQ(pricing["lift"].get<double>(), 1.8333);
  EXPECT_DOUBLE_EQ(json["before_cancellation"]["topics"][0]["lift"].get<double>(), 11.0);
}

TEST(JourneyBuilder, RareTopicsAreSuppressedAndCounted) {
  const JourneyStats stats = build(scenario(), 3);
  EXPECT_TRUE(stats.before_conversion.topics.empty());
  EXPECT_EQ(stats.before_conversion.suppressed, 1u); // pricing on 2 calls < 3
  EXPECT_EQ(stats.before_cancellation.suppressed, 1u);
  EXPECT_EQ(stats.min_topic_calls, 3u);
}

TEST(JourneyBuilder, FirstAndLastTouchAndChannelRoles) {
  const JourneyStats stats = build(scenario(), 3);
  ASSERT_EQ(stats.touch_pairs.size(), 3u);
  EXPECT_EQ(stats.touch_pairs[0].first_touch, "search"); // 4
  EXPECT_EQ(stats.touch_pairs[0].last_touch, "search");
  EXPECT_EQ(stats.touch_pairs[1].first_touch, "tv"); // 1
  EXPECT_EQ(stats.touch_pairs[1].last_touch, "search");
  EXPECT_EQ(stats.touch_pairs[2].first_touch, "tv"); // 5
  EXPECT_EQ(stats.touch_pairs[2].last_touch, "tv");
  for (const TouchPair& pair : stats.touch_pairs) {
    EXPECT_EQ(pair.journeys, 1u);
  }
  ASSERT_EQ(stats.channel_roles.size(), 3u);
  const ChannelRole& radio = stats.channel_roles[0];
  const ChannelRole& search = stats.channel_roles[1];
  const ChannelRole& tv = stats.channel_roles[2];
  EXPECT_EQ(radio.channel, "radio");
  EXPECT_EQ(std::tie(radio.first_touch, radio.follow_up, radio.closer),
            std::make_tuple(1u, 1u, 0u)); // 2: first and the cancelling call
  EXPECT_EQ(std::tie(search.first_touch, search.follow_up, search.closer),
            std::make_tuple(2u, 2u, 2u)); // first: 4, 6; follow-up: 1's 2nd, 6's 2nd; closer: 1, 4
  EXPECT_EQ(std::tie(tv.first_touch, tv.follow_up, tv.closer),
            std::make_tuple(3u, 0u, 1u)); // first: 1, 3, 5; closer: 5
}

TEST(JourneyBuilder, TimeBetweenCalls) {
  // Gaps: 48 h and 24 h (1), 456 h (2), 4 h (5); 6's undated call has none.
  const JourneyStats stats = build(scenario(), 3);
  EXPECT_EQ(stats.gaps.gaps, 4u);
  ASSERT_TRUE(stats.gaps.median_hours);
  EXPECT_DOUBLE_EQ(*stats.gaps.median_hours, 24.0); // nearest rank: 2nd of 4
  EXPECT_DOUBLE_EQ(*stats.gaps.p90_hours, 456.0);   // 4th of 4
  EXPECT_EQ(stats.gaps.histogram, (std::array<std::uint64_t, 4>{1, 2, 1, 0}));

  const JourneyStats single = build({make_call(1, 0, "2026-10-01", "tv", {})}, 3);
  EXPECT_EQ(single.gaps.gaps, 0u);
  EXPECT_FALSE(single.gaps.median_hours);
}

TEST(JourneyBuilder, EmptyInput) {
  JourneyBuilder builder(k_topics);
  builder.add_unlinked();
  const JourneyStats stats = builder.finish();
  EXPECT_EQ(stats.callers, 0u);
  EXPECT_EQ(stats.calls_without_key, 1u);
  ASSERT_EQ(stats.calls_to_conversion.size(), 1u);
  EXPECT_EQ(stats.calls_to_conversion[0].converted, 0u);
}

// --- records from joined results ------------------------------------------------

class JourneyExtractorTest : public ::testing::Test {
protected:
  void SetUp() override {
    Taxonomy taxonomy;
    for (const auto& [id, kind] : {std::pair<const char*, TopicKind>{"pricing", TopicKind::concern},
                                   {"cancellation", TopicKind::concern},
                                   {"booked", TopicKind::outcome}}) {
      Topic topic;
      topic.id = id;
      topic.label = id;
      topic.kind = kind;
      if (kind == TopicKind::outcome) {
        topic.outcome = OutcomeMeaning::conversion;
      }
      topic.phrases = {id};
      taxonomy.topics.push_back(topic);
    }
    m_taxonomy = CompiledTaxonomy::compile(taxonomy);
  }

  CallLog log(const std::string& csv) {
    std::string error;
    std::optional<CallLog> parsed = CallLog::parse(csv, error);
    EXPECT_TRUE(parsed) << error;
    return std::move(*parsed);
  }

  static CallResult joined(long row, std::vector<std::uint32_t> topics) {
    CallResult call;
    call.index = static_cast<std::uint64_t>(row) + 10;
    call.call_id = "c" + std::to_string(row);
    call.has_metadata = row >= 0;
    call.log_row = row;
    for (const std::uint32_t topic : topics) {
      TopicMatch match;
      match.topic = topic;
      match.hits = 1;
      call.tags.topics.push_back(match);
    }
    return call;
  }

  std::optional<CompiledTaxonomy> m_taxonomy;
  const std::string m_salt = std::string(32, 's');
};

TEST_F(JourneyExtractorTest, KeyDateChannelAndOutcomeFromTheRow) {
  const CallLog calls = log("Call ID,Caller ID,UTM Source,Campaign,Start Time,Converted,Status\n"
                            "c0,(555) 201-3344,tv,fall_tv,2026-10-01T09:00:00,1,\n"
                            "c1,555.201.3344,search,,2026-10-02,,\n"
                            "c2,Anonymous,tv,fall_tv,2026-10-03,0,\n"
                            "c3,+1 555 201 3344,radio,spring,2026-10-04,0,Cancelled by customer\n"
                            "c4,5552013344,radio,spring,2026-10-05,,\n");
  std::string error;
  const std::optional<JourneyExtractor> extractor =
      JourneyExtractor::create(calls, *m_taxonomy, "phone", "", m_salt, error);
  ASSERT_TRUE(extractor) << error;
  EXPECT_EQ(extractor->key_column(), "caller_number");
  EXPECT_EQ(extractor->channel_column(), "source");

  const std::optional<JourneyCall> first = extractor->record(joined(0, {0}));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->caller, hash_caller_key("15552013344", m_salt));
  EXPECT_EQ(first->order, 10u);
  EXPECT_EQ(first->date, "2026-10-01T09:00:00");
  EXPECT_EQ(first->channel, "tv");
  EXPECT_EQ(first->campaign, "fall_tv");
  EXPECT_EQ(first->call_id, "c0");
  EXPECT_EQ(first->topics, std::vector<std::uint32_t>{0});
  EXPECT_EQ(first->outcome, CallOutcome::converted); // the log's converted column

  // Empty converted cell: an outcome topic decides.
  const std::optional<JourneyCall> second = extractor->record(joined(1, {2}));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->caller, first->caller);
  EXPECT_EQ(second->outcome, CallOutcome::converted);
  EXPECT_EQ(extractor->record(joined(1, {0}))->outcome, CallOutcome::none);

  EXPECT_FALSE(extractor->record(joined(2, {0})));  // anonymous
  EXPECT_FALSE(extractor->record(joined(-1, {0}))); // no row

  // Cancelled by the status column, or by a cancel* topic; the log's "0"
  // outranks an outcome topic.
  EXPECT_EQ(extractor->record(joined(3, {}))->outcome, CallOutcome::cancelled);
  EXPECT_EQ(extractor->record(joined(4, {1}))->outcome, CallOutcome::cancelled);
  EXPECT_EQ(extractor->record(joined(3, {2}))->outcome, CallOutcome::cancelled);
}

TEST_F(JourneyExtractorTest, ChannelFallbackOverrideAndUnknownColumns) {
  const CallLog calls = log("call_id,email,campaign,medium\nc0,Jane@Example.com,fall_tv,cpc\n");
  std::string error;
  std::optional<JourneyExtractor> extractor =
      JourneyExtractor::create(calls, *m_taxonomy, "E-mail", "", m_salt, error);
  ASSERT_TRUE(extractor) << error;
  EXPECT_EQ(extractor->channel_column(), "campaign");
  EXPECT_EQ(extractor->record(joined(0, {}))->caller, hash_caller_key("jane@example.com", m_salt));
  EXPECT_EQ(extractor->record(joined(0, {}))->channel, "fall_tv");

  extractor = JourneyExtractor::create(calls, *m_taxonomy, "email", "utm_medium", m_salt, error);
  ASSERT_TRUE(extractor) << error;
  EXPECT_EQ(extractor->record(joined(0, {}))->channel, "cpc");

  EXPECT_FALSE(JourneyExtractor::create(calls, *m_taxonomy, "caller_number", "", m_salt, error));
  EXPECT_NE(error.find("caller key column 'caller_number'"), std::string::npos) << error;
  EXPECT_NE(error.find("email"), std::string::npos) << error; // lists the columns
  EXPECT_FALSE(JourneyExtractor::create(calls, *m_taxonomy, "email", "region", m_salt, error));
  EXPECT_NE(error.find("channel column 'region'"), std::string::npos) << error;
}

// --- outputs ----------------------------------------------------------------------

TEST(JourneyReports, RecordsSectionsAndTables) {
  const CompiledTaxonomy compiled = scenario_taxonomy();
  std::vector<std::string> records;
  JourneyBuilder builder(k_topics, JourneyOptions{1});
  for (JourneyCall& call : scenario()) {
    builder.add(std::move(call));
  }
  JourneyStats stats = builder.finish(
      [&](const Journey& journey) { records.push_back(journey_record_json(journey, compiled)); });
  stats.caller_key = "caller_number";
  stats.channel = "source";
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(
      records[0],
      R"({"caller":"0000000000000001","calls":[)"
      R"({"date":"2026-10-01T09:00:00","channel":"tv","campaign":"tv_fall","call_id":"c0","topics":["pricing"],"customer_sentiment":null,"outcome":"none"},)"
      R"({"date":"2026-10-03T09:00:00","channel":"search","campaign":"search_fall","call_id":"c7","topics":["pricing"],"customer_sentiment":null,"outcome":"none"},)"
      R"({"date":"2026-10-04T09:00:00","channel":"search","campaign":"search_fall","call_id":"c9","topics":["converted"],"customer_sentiment":null,"outcome":"converted"}],)"
      R"("converted":true,"calls_to_conversion":3,"cancelled":false,"calls_to_cancellation":null,)"
      R"("first_touch":"tv","last_touch":"search"})");
  EXPECT_NE(records[5].find(R"("date":null)"), std::string::npos) << records[5];

  std::ostringstream csv;
  write_journeys_csv(csv, stats, compiled);
  const std::string table = csv.str();
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "journey_table,channel,other,topic,count,total,share,base_share,lift");
  EXPECT_NE(table.find("\nrepeat_callers,tv,,,2,3,0.6667,,\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\ncalls_to_conversion,tv,3,,1,2,0.5,,\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\nbefore_conversion,,,pricing,2,2,1,0.5455,1.8333\n"), std::string::npos)
      << table;
  EXPECT_NE(table.find("\nfirst_last_touch,tv,search,,1,3,0.3333,,\n"), std::string::npos) << table;
  EXPECT_NE(table.find("\ntime_between_calls,,1_to_7_days,,2,4,0.5,,\n"), std::string::npos)
      << table;

  nlohmann::ordered_json summary;
  summary["topics"] = nlohmann::ordered_json::array();
  summary["journeys"] = journeys_to_json(stats, compiled);
  EXPECT_EQ(summary["journeys"]["repeat_rate"], 0.6667);
  EXPECT_EQ(summary["journeys"]["time_between_calls"]["median_hours"], 24.0);
  std::ostringstream markdown;
  write_markdown_report(markdown, summary);
  EXPECT_NE(markdown.str().find("## Caller journeys"), std::string::npos) << markdown.str();
  EXPECT_NE(markdown.str().find("| tv | 3 | 2 | 66.7% |"), std::string::npos) << markdown.str();
  EXPECT_NE(markdown.str().find("| pricing | 2 | 100.0% | 54.5% | 1.83x |"), std::string::npos)
      << markdown.str();
  std::ostringstream html;
  write_html_report(html, summary);
  EXPECT_NE(html.str().find("data-chart=\"journey-repeat-rate\""), std::string::npos);
  EXPECT_NE(html.str().find("<a href=\"#journeys\">"), std::string::npos);
}

} // namespace
