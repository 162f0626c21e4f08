// Unit tests for src/formats/speechmatics.cpp: Speechmatics json-v2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using namespace callsight::test;
using formats::k_speechmatics;

namespace {

ParseResult parse_text(std::string_view text) {
  return k_speechmatics.parse("calls/sm-1.json", nlohmann::json::parse(text));
}

} // namespace

TEST(Speechmatics, SpeakerDiarization) {
  const Call call = parse_fixture(k_speechmatics, "speechmatics/speakers.json");
  EXPECT_EQ(call.call_id, "brightline-0412-005"); // job.data_name without extension
  EXPECT_EQ(call.format, "speechmatics");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call,
               {
                   {"S1", 0.52, 5.37, 0.936429,
                    "Thanks for calling Brightline Internet, this is Dana. How can I help you "
                    "today?"},
                   {"S2", 5.97, 11.87, 0.951176,
                    "Hi, I saw your ad on Facebook about the fiber plan. How much is it per "
                    "month?"},
                   {"S1", 12.37, 18.27, 0.945882,
                    "The fiber plan is forty nine ninety nine a month for the first year, with "
                    "free installation."},
                   {"S2", 20.07, 24.22, 0.945,
                    "Okay, and is there a contract? I don't want a cancellation fee."},
                   {"S1", 24.67, 26.72, 0.945, "No contract, you can cancel anytime."},
                   {"S2", 27.42, 29.12, 0.97, "Great, let's sign me up."},
               });
}

TEST(Speechmatics, ChannelDiarizationMergedByTime) {
  // The file lists channel_1's items, then channel_2's.
  const Call call = parse_fixture(k_speechmatics, "speechmatics/channels.json");
  EXPECT_EQ(call.call_id, "lakeside-0518-043");
  expect_turns(
      call,
      {
          {"channel_1", 0.30, 2.70, 0.93, "Good morning, Lakeside Dental, this is Priya.",
           Role::unknown, 1},
          {"channel_2", 3.50, 8.00, 0.943846,
           "Hi, I heard your ad on the radio. Do you take new patients?", Role::unknown, 2},
          {"channel_1", 8.50, 12.65, 0.948333,
           "We do. The new patient exam and cleaning is ninety nine dollars.", Role::unknown, 1},
          {"channel_2", 13.25, 15.30, 0.931667, "Can I book next Tuesday morning?", Role::unknown,
           2},
          {"channel_1", 16.00, 18.05, 0.945, "Sure, I have nine thirty available.", Role::unknown,
           1},
          {"channel_2", 18.55, 19.90, 0.965, "Perfect, book it please.", Role::unknown, 2},
      });
}

TEST(Speechmatics, OtherItemTypesIgnoredAndForwardPunctuation) {
  const ParseResult result = parse_text(R"({"results": [
      {"type": "punctuation", "attaches_to": "next", "start_time": 0.5, "end_time": 0.5,
       "alternatives": [{"content": "\""}]},
      {"type": "word", "start_time": 0.5, "end_time": 0.9,
       "alternatives": [{"content": "Twenty", "confidence": 0.8, "speaker": "UU"}]},
      {"type": "entity", "start_time": 0.5, "end_time": 1.4, "entity_class": "money"},
      {"type": "word", "start_time": 0.9, "end_time": 1.4,
       "alternatives": [{"content": "dollars", "confidence": 1.2, "speaker": "UU"}]}]})");
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(),
               {{"", 0.5, 0.5, std::nullopt, "\""}, {"UU", 0.5, 1.4, 0.9, "Twenty dollars"}});
  EXPECT_EQ(result.calls.front().call_id, "sm-1");
}

TEST(Speechmatics, EmptyTranscriptIsAnError) {
  const nlohmann::json doc = load_fixture("speechmatics/empty.json");
  EXPECT_TRUE(k_speechmatics.recognizes(doc));
  EXPECT_EQ(k_speechmatics.parse("calls/e.json", doc).error, "empty transcript (no text)");
}

TEST(Speechmatics, MalformedMembersAreNamed) {
  EXPECT_EQ(parse_error(k_speechmatics, "true"),
            "Speechmatics JSON: the document is not an object");
  EXPECT_EQ(parse_error(k_speechmatics, "{}"), "Speechmatics JSON: \"results\" is missing");
  EXPECT_EQ(parse_error(k_speechmatics, R"({"results": [{}]})"),
            "Speechmatics JSON: \"results[0].type\" is missing");
  EXPECT_EQ(parse_error(k_speechmatics, R"({"results": [{"type": "word", "start_time": 0,
                "end_time": 1}]})"),
            "Speechmatics JSON: \"results[0].alternatives\" is missing");
  EXPECT_EQ(parse_error(k_speechmatics, R"({"results": [{"type": "word", "start_time": "zero",
                "end_time": 1, "alternatives": []}]})"),
            "Speechmatics JSON: \"results[0].start_time\" is not a number");
  EXPECT_EQ(parse_error(k_speechmatics, R"({"results": [{"type": "word", "start_time": 0,
                "end_time": 1, "alternatives": [{"confidence": 1}]}]})"),
            "Speechmatics JSON: \"results[0].alternatives[0].content\" is missing");
  EXPECT_EQ(parse_error(k_speechmatics, R"({"results": [{"type": "word", "start_time": 0,
                "end_time": 1, "alternatives": [{"content": "a", "speaker": 1}]}]})"),
            "Speechmatics JSON: \"results[0].alternatives[0].speaker\" is not a string");
  EXPECT_EQ(parse_error(k_speechmatics, R"({"results": [{"type": "word", "start_time": 0,
                "end_time": 1, "channel": 2, "alternatives": []}]})"),
            "Speechmatics JSON: \"results[0].channel\" is not a string");
}

TEST(Speechmatics, RecognizesOnlyItsOwnShapes) {
  const std::vector<std::string_view> others{
      R"({"results": [{"alternatives": [{"transcript": "hi"}]}]})",
      R"({"results": []})",
      R"({"results": {"items": []}})",
      R"({"format": "2.9", "results": [{"type": "word"}]})",
  };
  for (const std::string_view text : others) {
    EXPECT_FALSE(k_speechmatics.recognizes(nlohmann::json::parse(text))) << text;
  }
  expect_only_own_fixtures(k_speechmatics, "speechmatics");
}
