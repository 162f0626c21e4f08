// Unit tests for src/formats/rev_ai.cpp: Rev.ai transcript JSON.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using namespace callsight::test;
using formats::k_rev_ai;

TEST(RevAi, MonologuesAreTurns) {
  // The fourth monologue holds an <inaudible> tag, which is dropped.
  const Call call = parse_fixture(k_rev_ai, "rev-ai/two_speakers.json");
  EXPECT_EQ(call.call_id, "two_speakers");
  EXPECT_EQ(call.format, "rev-ai");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(
      call,
      {
          {"0", 0.40, 4.20, 0.940909,
           "Thank you for calling Summit Home Security, my name is Luis."},
          {"1", 4.75, 9.60, 0.945,
           "Hi Luis, I want to cancel my monitoring. ADT quoted me twenty dollars less."},
          {"0", 10.20, 16.10, 0.945882,
           "I'm sorry to hear that. I can offer you three months at half price if you "
           "stay."},
          {"1", 16.60, 20.40, 0.949091, "That helps. Let me think about it and call you back."},
          {"0", 21.05, 24.50, 0.945, "Of course. Is there anything else I can help with?"},
          {"1", 24.90, 26.25, 0.965, "No, that's all. Thanks."},
      });
}

TEST(RevAi, SpeakerNamesWinOverNumbers) {
  // Names are kept as labels; roles are left to inference.
  const Call call = parse_fixture(k_rev_ai, "rev-ai/speaker_names.json");
  expect_turns(call,
               {
                   {"Priya", 0.30, 2.70, 0.93, "Good morning, Lakeside Dental, this is Priya."},
                   {"Caller", 3.50, 8.00, 0.943846,
                    "Hi, I heard your ad on the radio. Do you take new patients?"},
                   {"Priya", 8.50, 12.65, 0.948333,
                    "We do. The new patient exam and cleaning is ninety nine dollars."},
                   {"Caller", 13.25, 15.30, 0.931667, "Can I book next Tuesday morning?"},
                   {"Priya", 16.00, 18.05, 0.945, "Sure, I have nine thirty available."},
                   {"Caller", 18.55, 19.90, 0.965, "Perfect, book it please."},
               });
}

TEST(RevAi, MissingSpacesAndOptionalMembers) {
  const ParseResult result = k_rev_ai.parse("calls/r.json", nlohmann::json::parse(R"({
      "monologues": [
        {"speaker": 2, "elements": [{"type": "text", "value": "Free"},
                                     {"type": "text", "value": "shipping", "ts": 1.0,
                                      "end_ts": 1.4},
                                     {"type": "punct", "value": "?"}]},
        {"elements": [{"type": "unknown", "value": "<laugh>", "ts": 2.0, "end_ts": 2.5}]},
        {"speaker_name": "", "speaker": "spk", "elements": []}]})"));
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"2", 1.0, 1.4, std::nullopt, "Free shipping?"}});
}

TEST(RevAi, EmptyTranscriptIsAnError) {
  const nlohmann::json doc = load_fixture("rev-ai/empty.json");
  EXPECT_TRUE(k_rev_ai.recognizes(doc));
  EXPECT_EQ(k_rev_ai.parse("calls/e.json", doc).error, "empty transcript (no text)");
}

TEST(RevAi, MalformedMembersAreNamed) {
  EXPECT_EQ(parse_error(k_rev_ai, "[]"), "Rev.ai JSON: the document is not an object");
  EXPECT_EQ(parse_error(k_rev_ai, "{}"), "Rev.ai JSON: \"monologues\" is missing");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [[]]})"),
            "Rev.ai JSON: \"monologues[0]\" is not an object");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [{"speaker": 0}]})"),
            "Rev.ai JSON: \"monologues[0].elements\" is missing");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [{"speaker": 0.5, "elements": []}]})"),
            "Rev.ai JSON: \"monologues[0].speaker\" is not a string or an integer");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [{"elements": [
                {"type": "text", "value": "a"}, {"type": "text"}]}]})"),
            "Rev.ai JSON: \"monologues[0].elements[1].value\" is missing");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [{"elements": [{"value": "a"}]}]})"),
            "Rev.ai JSON: \"monologues[0].elements[0].type\" is missing");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [{"elements": [
                {"type": "text", "value": "a", "ts": "early"}]}]})"),
            "Rev.ai JSON: \"monologues[0].elements[0].ts\" is not a number");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [{"elements": [
                {"type": "text", "value": "a", "confidence": {}}]}]})"),
            "Rev.ai JSON: \"monologues[0].elements[0].confidence\" is not a number");
  EXPECT_EQ(parse_error(k_rev_ai, R"({"monologues": [{"speaker_name": 4, "elements": []}]})"),
            "Rev.ai JSON: \"monologues[0].speaker_name\" is not a string");
}

TEST(RevAi, RecognizesOnlyItsOwnShapes) {
  const std::vector<std::string_view> others{
      R"({"monologues": {}})",
      R"({"monologues": [{"speaker": 0, "text": "hi"}]})",
      R"({"utterances": [{"speaker": "A", "text": "hi"}]})",
      R"({"segments": []})",
      "[]",
  };
  for (const std::string_view text : others) {
    EXPECT_FALSE(k_rev_ai.recognizes(nlohmann::json::parse(text))) << text;
  }
  expect_only_own_fixtures(k_rev_ai, "rev-ai");
}
