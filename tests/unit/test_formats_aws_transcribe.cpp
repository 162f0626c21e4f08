// Unit tests for src/formats/aws_transcribe.cpp: Amazon Transcribe job JSON
// and Call Analytics / Contact Lens JSON.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using namespace callsight::test;
using formats::k_aws_call_analytics;
using formats::k_aws_transcribe;

namespace {

// The Brightline call as diarized by Transcribe (spk_0 is the agent).
const std::vector<ExpectedTurn> k_brightline_turns{
    {"spk_0", 0.52, 5.37, 0.936429,
     "Thanks for calling Brightline Internet, this is Dana. How can I help you today?"},
    {"spk_1", 5.97, 11.87, 0.951176,
     "Hi, I saw your ad on Facebook about the fiber plan. How much is it per month?"},
    {"spk_0", 12.37, 18.27, 0.945882,
     "The fiber plan is forty nine ninety nine a month for the first year, with free "
     "installation."},
    {"spk_1", 20.07, 24.22, 0.945,
     "Okay, and is there a contract? I don't want a cancellation fee."},
    {"spk_0", 24.67, 26.72, 0.945, "No contract, you can cancel anytime."},
    {"spk_1", 27.42, 29.12, 0.97, "Great, let's sign me up."},
};

const char* const k_item_json = R"({"type": "pronunciation", "start_time": "0.5",
    "end_time": "0.8", "alternatives": [{"confidence": "0.97", "content": "Hello"}]})";

std::string transcribe_items(std::string_view items) {
  return std::string(R"({"jobName": "j", "results": {"items": [)") + std::string(items) + "]}}";
}

} // namespace

TEST(AwsTranscribe, SpeakerLabelsOnItems) {
  const Call call = parse_fixture(k_aws_transcribe, "aws-transcribe/speaker_items.json");
  EXPECT_EQ(call.call_id, "brightline-0412-001");
  EXPECT_EQ(call.format, "aws-transcribe");
  EXPECT_EQ(call.path, "calls/aws-transcribe/speaker_items.json");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call, k_brightline_turns);
}

TEST(AwsTranscribe, AudioSegmentsArePreferred) {
  // Same call with results.audio_segments; confidence comes from the items
  // each segment lists by id.
  const Call call = parse_fixture(k_aws_transcribe, "aws-transcribe/audio_segments.json");
  EXPECT_EQ(call.call_id, "brightline-0412-002");
  expect_turns(call, k_brightline_turns);
}

TEST(AwsTranscribe, OlderOutputMapsSpeakersFromSegments) {
  const Call call = parse_fixture(k_aws_transcribe, "aws-transcribe/speaker_segments_old.json");
  EXPECT_EQ(call.call_id, "summit-0301-117");
  expect_turns(
      call,
      {
          {"spk_0", 0.40, 4.20, 0.940909,
           "Thank you for calling Summit Home Security, my name is Luis."},
          {"spk_1", 4.75, 9.60, 0.945,
           "Hi Luis, I want to cancel my monitoring. ADT quoted me twenty dollars less."},
          {"spk_0", 10.20, 16.10, 0.945882,
           "I'm sorry to hear that. I can offer you three months at half price if you "
           "stay."},
          {"spk_1", 16.60, 20.40, 0.949091, "That helps. Let me think about it and call you back."},
          {"spk_0", 21.05, 24.50, 0.945, "Of course. Is there anything else I can help with?"},
          {"spk_1", 24.90, 26.25, 0.965, "No, that's all. Thanks."},
      });
}

TEST(AwsTranscribe, ChannelIdentificationMergesChannelsByTime) {
  const Call call = parse_fixture(k_aws_transcribe, "aws-transcribe/channels.json");
  EXPECT_EQ(call.call_id, "lakeside-0518-042");
  expect_turns(
      call,
      {
          {"ch_0", 0.30, 2.70, 0.93, "Good morning, Lakeside Dental, this is Priya.", Role::unknown,
           0},
          {"ch_1", 3.50, 8.00, 0.943846,
           "Hi, I heard your ad on the radio. Do you take new patients?", Role::unknown, 1},
          {"ch_0", 8.50, 12.65, 0.948333,
           "We do. The new patient exam and cleaning is ninety nine dollars.", Role::unknown, 0},
          {"ch_1", 13.25, 15.30, 0.931667, "Can I book next Tuesday morning?", Role::unknown, 1},
          {"ch_0", 16.00, 18.05, 0.945, "Sure, I have nine thirty available.", Role::unknown, 0},
          {"ch_1", 18.55, 19.90, 0.965, "Perfect, book it please.", Role::unknown, 1},
      });
}

TEST(AwsTranscribe, WithoutSpeakerLabelsPausesSplitTurns) {
  // Only the 1.8 s pause before the customer's contract question is long
  // enough to start a new turn.
  const Call call = parse_fixture(k_aws_transcribe, "aws-transcribe/no_speakers.json");
  ASSERT_EQ(call.turns.size(), 2u);
  EXPECT_EQ(call.turns[0].speaker, "");
  EXPECT_DOUBLE_EQ(*call.turns[0].start_s, 0.52);
  EXPECT_DOUBLE_EQ(*call.turns[0].end_s, 18.27);
  EXPECT_EQ(call.turns[0].text,
            "Thanks for calling Brightline Internet, this is Dana. How can I help you today? Hi, "
            "I saw your ad on Facebook about the fiber plan. How much is it per month? The fiber "
            "plan is forty nine ninety nine a month for the first year, with free installation.");
  EXPECT_DOUBLE_EQ(*call.turns[1].start_s, 20.07);
  EXPECT_EQ(call.turns[1].text, "Okay, and is there a contract? I don't want a cancellation fee. "
                                "No contract, you can cancel anytime. Great, let's sign me up.");
}

TEST(AwsTranscribe, EmptyJobIsAnError) {
  const ParseResult result =
      k_aws_transcribe.parse("calls/empty.json", load_fixture("aws-transcribe/empty.json"));
  EXPECT_TRUE(result.calls.empty());
  EXPECT_EQ(result.error, "empty transcript (no text)");
}

TEST(AwsTranscribe, NumbersWhereAwsWritesStrings) {
  ParseResult result = k_aws_transcribe.parse(
      "calls/n.json", nlohmann::json::parse(transcribe_items(
                          R"({"type": "pronunciation", "start_time": 1.25, "end_time": 1.5,
                              "alternatives": [{"confidence": 0.5, "content": "Hi"}]},
                             {"type": "punctuation", "alternatives": [{"content": "!"}]})")));
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"", 1.25, 1.5, 0.5, "Hi!"}});
  EXPECT_EQ(result.calls.front().call_id, "j");
}

TEST(AwsTranscribe, ConfidencesAboveOneAreClamped) {
  ParseResult result = k_aws_transcribe.parse(
      "calls/c.json", nlohmann::json::parse(transcribe_items(
                          R"({"type": "pronunciation", "start_time": "0", "end_time": "0.4",
                              "alternatives": [{"confidence": "1.7", "content": "Hi"}]})")));
  ASSERT_EQ(result.error, "");
  EXPECT_DOUBLE_EQ(*result.calls.front().turns[0].confidence, 1.0);
}

TEST(AwsTranscribe, TranscriptOnlyOutput) {
  ParseResult result = k_aws_transcribe.parse(
      "calls/t-7.json",
      nlohmann::json::parse(
          R"({"results": {"transcripts": [{"transcript": " Hi, I want to cancel. "}]}})"));
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.calls.front().call_id, "t-7");
  expect_turns(result.calls.front(),
               {{"", std::nullopt, std::nullopt, std::nullopt, "Hi, I want to cancel."}});
}

TEST(AwsTranscribe, LeadingPunctuationAndEmptyAlternatives) {
  ParseResult result = k_aws_transcribe.parse(
      "calls/p.json",
      nlohmann::json::parse(transcribe_items(
          std::string(R"({"type": "punctuation", "alternatives": [{"content": "."}]},
                         {"type": "pronunciation", "start_time": "0.1", "end_time": "0.2",
                          "alternatives": []},)") +
          k_item_json)));
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.calls.front().turns.size(), 1u);
  EXPECT_EQ(result.calls.front().turns[0].text, ". Hello");
}

TEST(AwsTranscribe, MalformedMembersAreNamed) {
  EXPECT_EQ(parse_error(k_aws_transcribe, "[1, 2]"),
            "AWS Transcribe JSON: the document is not an object");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"jobName": "j"})"),
            "AWS Transcribe JSON: \"results\" is missing");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"results": []})"),
            "AWS Transcribe JSON: \"results\" is not an object");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"results": {}})"),
            "AWS Transcribe JSON: \"results.items\" is missing");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"results": {"items": {}}})"),
            "AWS Transcribe JSON: \"results.items\" is not an array");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"jobName": 7, "results": {"items": []}})"),
            "AWS Transcribe JSON: \"jobName\" is not a string");
  std::string items = std::string(k_item_json) + ",";
  items += R"({"type": "pronunciation", "start_time": "soon", "end_time": "1.0",
              "alternatives": [{"content": "hi"}]})";
  EXPECT_EQ(parse_error(k_aws_transcribe, transcribe_items(items)),
            "AWS Transcribe JSON: \"results.items[1].start_time\" is not a number");
  EXPECT_EQ(
      parse_error(k_aws_transcribe, transcribe_items(R"({"type": "pronunciation", "end_time": "1",
                                             "alternatives": [{"content": "hi"}]})")),
      "AWS Transcribe JSON: \"results.items[0].start_time\" is missing");
  EXPECT_EQ(
      parse_error(k_aws_transcribe, transcribe_items(R"({"type": "pronunciation", "start_time": "0",
                                             "end_time": "1", "alternatives": [{}]})")),
      "AWS Transcribe JSON: \"results.items[0].alternatives[0].content\" is missing");
  EXPECT_EQ(
      parse_error(k_aws_transcribe, transcribe_items(R"({"type": "pronunciation", "start_time": "0",
                                             "end_time": "1",
                                             "alternatives": [{"content": "a",
                                                               "confidence": "high"}]})")),
      "AWS Transcribe JSON: \"results.items[0].alternatives[0].confidence\" is not a "
      "number");
  EXPECT_EQ(parse_error(k_aws_transcribe, transcribe_items(R"({"alternatives": []})")),
            "AWS Transcribe JSON: \"results.items[0].type\" is missing");
  EXPECT_EQ(parse_error(k_aws_transcribe, transcribe_items("42")),
            "AWS Transcribe JSON: \"results.items[0]\" is not an object");
  EXPECT_EQ(parse_error(k_aws_transcribe,
                        R"({"results": {"items": [], "speaker_labels": {"segments": 3}}})"),
            "AWS Transcribe JSON: \"results.speaker_labels.segments\" is not an array");
  EXPECT_EQ(parse_error(k_aws_transcribe,
                        R"({"results": {"items": [], "speaker_labels": {"segments": [
                              {"start_time": "0", "end_time": "1"}]}}})"),
            "AWS Transcribe JSON: \"results.speaker_labels.segments[0].speaker_label\" is "
            "missing");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"results": {"items": [], "audio_segments": [
                              {"start_time": "0", "end_time": "1"}]}})"),
            "AWS Transcribe JSON: \"results.audio_segments[0].transcript\" is missing");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"results": {"items": [], "audio_segments": [
                              {"transcript": "hi", "start_time": "x", "end_time": "1"}]}})"),
            "AWS Transcribe JSON: \"results.audio_segments[0].start_time\" is not a number");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"results": {"channel_labels": {"channels": [
                              {"items": []}]}}})"),
            "AWS Transcribe JSON: \"results.channel_labels.channels[0].channel_label\" is "
            "missing");
  EXPECT_EQ(parse_error(k_aws_transcribe, R"({"results": {"channel_labels": {}}})"),
            "AWS Transcribe JSON: \"results.channel_labels.channels\" is missing");
}

TEST(AwsTranscribe, AudioSegmentItemIdsOutOfRangeAreIgnored) {
  ParseResult result = k_aws_transcribe.parse(
      "calls/s.json", nlohmann::json::parse(R"({"results": {"items": [], "audio_segments": [
          {"transcript": "Hi there.", "start_time": "0.5", "end_time": "1.5",
           "speaker_label": "spk_1", "items": [7, -1, "x", 0]}]}})"));
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"spk_1", 0.5, 1.5, std::nullopt, "Hi there."}});
}

TEST(AwsCallAnalytics, RolesFromParticipantRole) {
  const Call call = parse_fixture(k_aws_call_analytics, "aws-call-analytics/call_analytics.json");
  EXPECT_EQ(call.call_id, "summit-0301-118");
  EXPECT_EQ(call.format, "aws-call-analytics");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  EXPECT_DOUBLE_EQ(call.role_confidence, 1.0);
  expect_turns(call,
               {
                   {"AGENT", 0.40, 4.20, 0.940909,
                    "Thank you for calling Summit Home Security, my name is Luis.", Role::agent},
                   {"CUSTOMER", 4.75, 9.60, 0.945,
                    "Hi Luis, I want to cancel my monitoring. ADT quoted me twenty dollars less.",
                    Role::customer},
                   {"AGENT", 10.20, 16.10, 0.945882,
                    "I'm sorry to hear that. I can offer you three months at half price if you "
                    "stay.",
                    Role::agent},
                   {"CUSTOMER", 16.60, 20.40, 0.949091,
                    "That helps. Let me think about it and call you back.", Role::customer},
                   {"AGENT", 21.05, 24.50, 0.945,
                    "Of course. Is there anything else I can help with?", Role::agent},
                   {"CUSTOMER", 24.90, 26.25, 0.965, "No, that's all. Thanks.", Role::customer},
               });
}

TEST(AwsCallAnalytics, ContactLensParticipantIds) {
  const Call call = parse_fixture(k_aws_call_analytics, "aws-call-analytics/contact_lens.json");
  EXPECT_EQ(call.call_id, "a1b2c3d4-0518-4e5f-9a8b-7c6d5e4f3a2b"); // CustomerMetadata.ContactId
  EXPECT_EQ(call.role_source, RoleSource::labels);
  ASSERT_EQ(call.turns.size(), 6u);
  expect_turns(
      call,
      {
          {"AGENT", 0.30, 2.70, std::nullopt, "Good morning, Lakeside Dental, this is Priya.",
           Role::agent},
          {"CUSTOMER", 3.50, 8.00, std::nullopt,
           "Hi, I heard your ad on the radio. Do you take new patients?", Role::customer},
          {"AGENT", 8.50, 12.65, std::nullopt,
           "We do. The new patient exam and cleaning is ninety nine dollars.", Role::agent},
          {"CUSTOMER", 13.25, 15.30, std::nullopt, "Can I book next Tuesday morning?",
           Role::customer},
          {"AGENT", 16.00, 18.05, std::nullopt, "Sure, I have nine thirty available.", Role::agent},
          {"CUSTOMER", 18.55, 19.90, std::nullopt, "Perfect, book it please.", Role::customer},
      });
}

TEST(AwsCallAnalytics, ParticipantIdsMappedThroughParticipants) {
  ParseResult result = k_aws_call_analytics.parse("calls/cl-9.json", nlohmann::json::parse(R"({
        "Participants": [{"ParticipantId": "p-17", "ParticipantRole": "AGENT"},
                         {"ParticipantId": "p-18", "ParticipantRole": "CUSTOMER"}],
        "Transcript": [
          {"ParticipantId": "p-17", "Content": "Thanks for calling.", "BeginOffsetMillis": 0,
           "EndOffsetMillis": 900},
          {"ParticipantId": "p-18", "Content": "Hi, what's the price?"},
          {"ParticipantRole": "SUPERVISOR", "Content": "Joining the call."}]})"));
  ASSERT_EQ(result.error, "");
  const Call& call = result.calls.front();
  EXPECT_EQ(call.call_id, "cl-9");
  expect_turns(call, {
                         {"p-17", 0.0, 0.9, std::nullopt, "Thanks for calling.", Role::agent},
                         {"p-18", std::nullopt, std::nullopt, std::nullopt, "Hi, what's the price?",
                          Role::customer},
                         {"SUPERVISOR", std::nullopt, std::nullopt, std::nullopt,
                          "Joining the call.", Role::unknown},
                     });
  EXPECT_EQ(call.role_source, RoleSource::labels);
}

TEST(AwsCallAnalytics, EmptyTranscriptIsAnError) {
  const nlohmann::json doc = load_fixture("aws-call-analytics/empty.json");
  EXPECT_TRUE(k_aws_call_analytics.recognizes(doc));
  const ParseResult result = k_aws_call_analytics.parse("calls/empty.json", doc);
  EXPECT_TRUE(result.calls.empty());
  EXPECT_EQ(result.error, "empty transcript (no text)");
}

TEST(AwsCallAnalytics, MalformedMembersAreNamed) {
  EXPECT_EQ(parse_error(k_aws_call_analytics, "\"text\""),
            "AWS Call Analytics JSON: the document is not an object");
  EXPECT_EQ(parse_error(k_aws_call_analytics, R"({"JobName": "x"})"),
            "AWS Call Analytics JSON: \"Transcript\" is missing");
  EXPECT_EQ(parse_error(k_aws_call_analytics, R"({"Transcript": [
                {"ParticipantRole": "AGENT", "Content": "Hi"},
                {"ParticipantRole": "CUSTOMER"}]})"),
            "AWS Call Analytics JSON: \"Transcript[1].Content\" is missing");
  EXPECT_EQ(parse_error(k_aws_call_analytics, R"({"Transcript": [{"Content": "Hi"}]})"),
            "AWS Call Analytics JSON: \"Transcript[0].ParticipantRole\" is missing");
  EXPECT_EQ(parse_error(k_aws_call_analytics, R"({"Transcript": [
                {"ParticipantRole": "AGENT", "Content": "Hi", "BeginOffsetMillis": "soon"}]})"),
            "AWS Call Analytics JSON: \"Transcript[0].BeginOffsetMillis\" is not a number");
  EXPECT_EQ(parse_error(k_aws_call_analytics, R"({"Transcript": [
                {"ParticipantRole": "AGENT", "Content": "Hi",
                 "Items": [{"Type": "pronunciation", "Confidence": []}]}]})"),
            "AWS Call Analytics JSON: \"Transcript[0].Items[0].Confidence\" is not a number");
  EXPECT_EQ(parse_error(k_aws_call_analytics, R"({"Participants": [5], "Transcript": []})"),
            "AWS Call Analytics JSON: \"Participants[0]\" is not an object");
  EXPECT_EQ(parse_error(k_aws_call_analytics,
                        R"({"CustomerMetadata": {"ContactId": 12}, "Transcript": []})"),
            "AWS Call Analytics JSON: \"CustomerMetadata.ContactId\" is not a string");
}

TEST(AwsFormats, RecognizeOnlyTheirOwnShapes) {
  const std::vector<std::string_view> others{
      R"({"text": "hi", "segments": [{"start": 0, "end": 1, "text": "hi"}]})",
      R"({"metadata": {}, "results": {"channels": [{"alternatives": [{"transcript": "hi"}]}]}})",
      R"({"id": "a", "text": "hi", "utterances": [{"speaker": "A", "text": "hi"}]})",
      R"({"format": "2.9", "results": [{"type": "word", "alternatives": [{"content": "hi"}]}]})",
      R"({"results": [{"alternatives": [{"transcript": "hi"}]}]})",
      R"({"monologues": [{"speaker": 0, "elements": []}]})",
      R"({"recognizedPhrases": []})",
      R"({"Transcript": "hello"})",
      R"([{"speaker": "Agent", "text": "hi"}])",
      "null",
  };
  for (const std::string_view text : others) {
    const nlohmann::json doc = nlohmann::json::parse(text);
    EXPECT_FALSE(k_aws_transcribe.recognizes(doc)) << text;
    EXPECT_FALSE(k_aws_call_analytics.recognizes(doc)) << text;
  }
  expect_only_own_fixtures(k_aws_transcribe, "aws-transcribe");
  expect_only_own_fixtures(k_aws_call_analytics, "aws-call-analytics");
}
