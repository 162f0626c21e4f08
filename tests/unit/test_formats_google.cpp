// Unit tests for src/formats/google.cpp: Google Speech-to-Text responses and
// Contact Center AI Insights conversations.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using namespace callsight::test;
using formats::k_google_ccai;
using formats::k_google_speech;

namespace {

ParseResult parse_text(const formats::JsonFormat& format, std::string_view text) {
  return format.parse("calls/g-1.json", nlohmann::json::parse(text));
}

} // namespace

TEST(GoogleSpeech, DiarizedFinalResultGivesSpeakerTurns) {
  const Call call = parse_fixture(k_google_speech, "google-speech/diarized_v1.json");
  EXPECT_EQ(call.call_id, "diarized_v1");
  EXPECT_EQ(call.format, "google-speech");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call,
               {
                   {"1", 0.52, 5.37, std::nullopt,
                    "Thanks for calling Brightline Internet, this is Dana. How can I help you "
                    "today?"},
                   {"2", 5.97, 11.87, std::nullopt,
                    "Hi, I saw your ad on Facebook about the fiber plan. How much is it per "
                    "month?"},
                   {"1", 12.37, 18.27, std::nullopt,
                    "The fiber plan is forty nine ninety nine a month for the first year, with "
                    "free installation."},
                   {"2", 20.07, 24.22, std::nullopt,
                    "Okay, and is there a contract? I don't want a cancellation fee."},
                   {"1", 24.67, 26.72, std::nullopt, "No contract, you can cancel anytime."},
                   {"2", 27.42, 29.12, std::nullopt, "Great, let's sign me up."},
               });
}

TEST(GoogleSpeech, V2SpeakerLabelsAndOffsets) {
  const Call call = parse_fixture(k_google_speech, "google-speech/v2_speaker_labels.json");
  ASSERT_EQ(call.turns.size(), 6u);
  expect_turns(
      call,
      {
          {"1", 0.40, 4.20, std::nullopt,
           "Thank you for calling Summit Home Security, my name is Luis."},
          {"2", 4.75, 9.60, std::nullopt,
           "Hi Luis, I want to cancel my monitoring. ADT quoted me twenty dollars less."},
          {"1", 10.20, 16.10, std::nullopt,
           "I'm sorry to hear that. I can offer you three months at half price if you "
           "stay."},
          {"2", 16.60, 20.40, std::nullopt, "That helps. Let me think about it and call you back."},
          {"1", 21.05, 24.50, std::nullopt, "Of course. Is there anything else I can help with?"},
          {"2", 24.90, 26.25, std::nullopt, "No, that's all. Thanks."},
      });
}

TEST(GoogleSpeech, MultichannelResultsAreTurnsInTimeOrder) {
  // The file lists all of channel 1, then all of channel 2.
  const Call call = parse_fixture(k_google_speech, "google-speech/multichannel.json");
  expect_turns(
      call,
      {
          {"", 0.30, 2.70, 0.93, "Good morning, Lakeside Dental, this is Priya.", Role::unknown, 1},
          {"", 3.50, 8.00, 0.9438, "Hi, I heard your ad on the radio. Do you take new patients?",
           Role::unknown, 2},
          {"", 8.50, 12.65, 0.9483,
           "We do. The new patient exam and cleaning is ninety nine dollars.", Role::unknown, 1},
          {"", 13.25, 15.30, 0.9317, "Can I book next Tuesday morning?", Role::unknown, 2},
          {"", 16.00, 18.05, 0.945, "Sure, I have nine thirty available.", Role::unknown, 1},
          {"", 18.55, 19.90, 0.965, "Perfect, book it please.", Role::unknown, 2},
      });
}

TEST(GoogleSpeech, WithoutWordTimesResultsSpanFromThePreviousEnd) {
  const Call call = parse_fixture(k_google_speech, "google-speech/no_words.json");
  expect_turns(
      call,
      {
          {"", 0.0, 4.5, 0.91, "Thank you for calling Summit Home Security, my name is Luis."},
          {"", 4.5, 9.9, 0.91,
           "Hi Luis, I want to cancel my monitoring. ADT quoted me twenty dollars less."},
          {"", 9.9, 16.4, 0.91,
           "I'm sorry to hear that. I can offer you three months at half price if you "
           "stay."},
          {"", 16.4, 20.7, 0.91, "That helps. Let me think about it and call you back."},
          {"", 20.7, 24.8, 0.91, "Of course. Is there anything else I can help with?"},
          {"", 24.8, 26.55, 0.91, "No, that's all. Thanks."},
      });
}

TEST(GoogleSpeech, EmptyResponseIsAnError) {
  const nlohmann::json doc = load_fixture("google-speech/empty.json");
  EXPECT_TRUE(k_google_speech.recognizes(doc));
  EXPECT_EQ(k_google_speech.parse("calls/e.json", doc).error, "empty transcript (no text)");
  EXPECT_EQ(parse_text(k_google_speech, R"({"results": [{"alternatives": []}, {}]})").error,
            "empty transcript (no text)");
}

TEST(GoogleSpeech, LongRunningOperationWrapper) {
  const char* const text = R"({"name": "4821", "done": true, "response": {
      "@type": "type.googleapis.com/google.cloud.speech.v1.LongRunningRecognizeResponse",
      "results": [{"alternatives": [{"transcript": "How much is shipping?",
                                     "confidence": 0.8}], "resultEndTime": "2.5s"}]}})";
  const nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_TRUE(k_google_speech.recognizes(doc));
  const ParseResult result = k_google_speech.parse("calls/op.json", doc);
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"", 0.0, 2.5, 0.8, "How much is shipping?"}});
}

TEST(GoogleSpeech, SnakeCaseAndDurationObjects) {
  // Python's MessageToDict(preserving_proto_field_name=True) and protobuf.js
  // toObject() spellings.
  const ParseResult result = parse_text(k_google_speech, R"({"results": [{
      "channel_tag": 2, "alternatives": [{"transcript": "Cancel my plan.", "words": [
        {"word": "Cancel", "start_time": {"seconds": "1", "nanos": 500000000},
         "end_time": {"seconds": 2}, "speaker_tag": 1},
        {"word": "my", "start_time": "2s", "end_time": {"nanos": 200000000, "seconds": "2"},
         "speaker_tag": 1},
        {"word": "plan.", "start_time": 2.2, "end_time": "2.9s", "speaker_tag": 1,
         "confidence": 0.9}]}]}]})");
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"1", 1.5, 2.9, 0.9, "Cancel my plan.", Role::unknown, 2}});
}

TEST(GoogleSpeech, TaggedWordsInEveryResultAreAllKept) {
  // Not a cumulative final result: each result tags its own words.
  const ParseResult result = parse_text(k_google_speech, R"({"results": [
      {"alternatives": [{"transcript": "Hi there.", "words": [
        {"word": "Hi", "startTime": "0.5s", "endTime": "0.8s", "speakerLabel": "A"},
        {"word": "there.", "startTime": "0.8s", "endTime": "1.1s", "speakerLabel": "A"}]}]},
      {"alternatives": [{"transcript": "Hello.", "words": [
        {"word": "Hello.", "startTime": "1.6s", "endTime": "2s", "speakerLabel": "B"}]}]}]})");
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"A", 0.5, 1.1, std::nullopt, "Hi there."},
                                      {"B", 1.6, 2.0, std::nullopt, "Hello."}});
}

TEST(GoogleSpeech, ConfidencesAboveOneAreClamped) {
  // Found by fuzz_google: a result confidence of 5.91 came through as is.
  ParseResult result = parse_text(k_google_speech, R"({"results": [{"alternatives": [
          {"transcript": "Is it on sale?", "confidence": 5.91}]}]})");
  ASSERT_EQ(result.error, "");
  EXPECT_DOUBLE_EQ(*result.calls.front().turns[0].confidence, 1.0);
  result = parse_text(k_google_speech, R"({"results": [{"alternatives": [{"words": [
      {"word": "Yes.", "speakerTag": 1, "confidence": 2.5}]}]}]})");
  ASSERT_EQ(result.error, "");
  EXPECT_DOUBLE_EQ(*result.calls.front().turns[0].confidence, 1.0);
}

TEST(GoogleSpeech, MalformedMembersAreNamed) {
  EXPECT_EQ(parse_error(k_google_speech, "[]"),
            "Google Speech JSON: the document is not an object");
  EXPECT_EQ(parse_error(k_google_speech, "{}"), "Google Speech JSON: \"results\" is missing");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [7]})"),
            "Google Speech JSON: \"results[0]\" is not an object");
  EXPECT_EQ(parse_error(k_google_speech, R"({"response": {"results": [7]}})"),
            "Google Speech JSON: \"response.results[0]\" is not an object");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"alternatives": {}}]})"),
            "Google Speech JSON: \"results[0].alternatives\" is not an array");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"channelTag": "left"}]})"),
            "Google Speech JSON: \"results[0].channelTag\" is not an integer");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"resultEndTime": "late"}]})"),
            "Google Speech JSON: \"results[0].resultEndTime\" is not a duration");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"alternatives": [
                {"transcript": 5}]}]})"),
            "Google Speech JSON: \"results[0].alternatives[0].transcript\" is not a string");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"alternatives": [{"words": [
                {"word": "a", "startTime": "0s"}, {"word": "b", "startTime": "1.5 sec"}]}]}]})"),
            "Google Speech JSON: \"results[0].alternatives[0].words[1].startTime\" is not a "
            "duration");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"alternatives": [{"words": [
                {"word": "a", "startTime": {"seconds": "x"}}]}]}]})"),
            "Google Speech JSON: \"results[0].alternatives[0].words[0].startTime\" is not a "
            "duration");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"alternatives": [{"words": [
                {"startTime": "0s"}]}]}]})"),
            "Google Speech JSON: \"results[0].alternatives[0].words[0].word\" is missing");
  EXPECT_EQ(parse_error(k_google_speech, R"({"results": [{"alternatives": [{"words": [
                {"word": "a", "speakerTag": 1.5}]}]}]})"),
            "Google Speech JSON: \"results[0].alternatives[0].words[0].speakerTag\" is not an "
            "integer");
}

TEST(GoogleCcai, ConversationWithParticipantRoles) {
  const Call call = parse_fixture(k_google_ccai, "google-ccai/conversation.json");
  EXPECT_EQ(call.call_id, "8412907765311");
  EXPECT_EQ(call.format, "google-ccai");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  EXPECT_DOUBLE_EQ(call.role_confidence, 1.0);
  EXPECT_EQ(call.fields.at("start_time"), "2024-04-12T14:58:03Z");
  EXPECT_EQ(call.fields.at("agent"), "dana.k");
  EXPECT_EQ(call.fields.at("campaign"), "spring-fiber");
  EXPECT_EQ(call.fields.at("source"), "facebook");
  expect_turns(
      call,
      {
          {"HUMAN_AGENT", 0.52, 5.37, 0.9364,
           "Thanks for calling Brightline Internet, this is Dana. How can I help you "
           "today?",
           Role::agent, 2},
          {"END_USER", 5.97, 11.87, 0.9512,
           "Hi, I saw your ad on Facebook about the fiber plan. How much is it per "
           "month?",
           Role::customer, 1},
          {"HUMAN_AGENT", 12.37, 18.27, 0.9459,
           "The fiber plan is forty nine ninety nine a month for the first year, with "
           "free installation.",
           Role::agent, 2},
          // Segment confidence 0 means unset: the words' mean is used.
          {"END_USER", 20.07, 24.22, 0.945,
           "Okay, and is there a contract? I don't want a cancellation fee.", Role::customer, 1},
          // No participant: callMetadata.agentChannel says channel 2 is the agent.
          {"", 24.67, 26.72, 0.945, "No contract, you can cancel anytime.", Role::agent, 2},
          {"END_USER", 27.42, 29.12, 0.97, "Great, let's sign me up.", Role::customer, 1},
      });
}

TEST(GoogleCcai, UploadEntries) {
  const Call call = parse_fixture(k_google_ccai, "google-ccai/upload_entries.json");
  EXPECT_EQ(call.call_id, "upload_entries");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  expect_turns(
      call,
      {
          {"AGENT", 0.0, std::nullopt, std::nullopt,
           "Thank you for calling Summit Home Security, my name is Luis.", Role::agent},
          {"CUSTOMER", 4.35, std::nullopt, std::nullopt,
           "Hi Luis, I want to cancel my monitoring. ADT quoted me twenty dollars less.",
           Role::customer},
          {"AGENT", 9.8, std::nullopt, std::nullopt,
           "I'm sorry to hear that. I can offer you three months at half price if you "
           "stay.",
           Role::agent},
          {"CUSTOMER", 16.2, std::nullopt, std::nullopt,
           "That helps. Let me think about it and call you back.", Role::customer},
          {"AGENT", 20.65, std::nullopt, std::nullopt,
           "Of course. Is there anything else I can help with?", Role::agent},
          {"CUSTOMER", 24.5, std::nullopt, std::nullopt, "No, that's all. Thanks.", Role::customer},
      });
}

TEST(GoogleCcai, EmptyConversationIsAnError) {
  const nlohmann::json doc = load_fixture("google-ccai/empty.json");
  EXPECT_TRUE(k_google_ccai.recognizes(doc));
  EXPECT_EQ(k_google_ccai.parse("calls/e.json", doc).error, "empty transcript (no text)");
}

TEST(GoogleCcai, SnakeCaseConversation) {
  const ParseResult result = parse_text(k_google_ccai, R"({"transcript": {"transcript_segments": [
      {"text": "Do you price match?", "channel_tag": 1,
       "segment_participant": {"role": "END_USER", "user_id": "u-1"},
       "words": [{"word": "Do", "start_offset": "3s", "end_offset": "3.2s"},
                 {"word": "match?", "start_offset": "3.9s", "end_offset": "4.4s"}]}]}})");
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(),
               {{"END_USER", 3.0, 4.4, std::nullopt, "Do you price match?", Role::customer, 1}});
}

TEST(GoogleCcai, UnspecifiedRoleFallsBackToUser) {
  const ParseResult result = parse_text(k_google_ccai, R"({"transcript": {"transcriptSegments": [
      {"text": "Hello?", "segmentParticipant": {"role": "ROLE_UNSPECIFIED", "userId": "u-9"},
       "channelTag": 0}]}})");
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"u-9", std::nullopt, std::nullopt, std::nullopt, "Hello?"}});
  EXPECT_EQ(result.calls.front().role_source, RoleSource::none);
}

TEST(GoogleCcai, ExtremeTimestampsStayFinite) {
  const ParseResult result = parse_text(k_google_ccai, R"({"entries": [
      {"text": "Hi", "role": "AGENT", "start_timestamp_usec": -1e308},
      {"text": "Hello", "role": "CUSTOMER", "start_timestamp_usec": 1e308}]})");
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(),
               {{"AGENT", 0.0, std::nullopt, std::nullopt, "Hi", Role::agent},
                {"CUSTOMER", std::nullopt, std::nullopt, std::nullopt, "Hello", Role::customer}});
}

TEST(GoogleCcai, MalformedMembersAreNamed) {
  EXPECT_EQ(parse_error(k_google_ccai, "3"), "Google CCAI JSON: the document is not an object");
  EXPECT_EQ(parse_error(k_google_ccai, "{}"), "Google CCAI JSON: \"transcript\" is missing");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"transcript": []})"),
            "Google CCAI JSON: \"transcript\" is not an object");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"transcript": {"transcriptSegments": {}}})"),
            "Google CCAI JSON: \"transcript.transcriptSegments\" is not an array");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"transcript": {"transcriptSegments": [{}]}})"),
            "Google CCAI JSON: \"transcript.transcriptSegments[0].text\" is missing");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"transcript": {"transcriptSegments": [
                {"text": "a"}, {"text": "b", "words": [{"startOffset": true}]}]}})"),
            "Google CCAI JSON: \"transcript.transcriptSegments[1].words[0].startOffset\" is not "
            "a duration");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"transcript": {"transcriptSegments": [
                {"text": "a", "segmentParticipant": {"role": 1}}]}})"),
            "Google CCAI JSON: \"transcript.transcriptSegments[0].segmentParticipant.role\" is "
            "not a string");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"callMetadata": {"agentChannel": "two"},
                                          "transcript": {"transcriptSegments": []}})"),
            "Google CCAI JSON: \"callMetadata.agentChannel\" is not an integer");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"labels": [], "transcript": {}})"),
            "Google CCAI JSON: \"labels\" is not an object");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"entries": [{"text": "hi"}]})"),
            "Google CCAI JSON: \"entries[0].role\" is missing");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"entries": [{"text": "hi", "role": "AGENT"},
                {"text": "yo", "role": "CUSTOMER", "start_timestamp_usec": "later"}]})"),
            "Google CCAI JSON: \"entries[1].start_timestamp_usec\" is not a number");
  EXPECT_EQ(parse_error(k_google_ccai, R"({"entries": [{"text": " ", "role": "AGENT"}]})"),
            "empty transcript (no text)");
}

TEST(GoogleFormats, RecognizeOnlyTheirOwnShapes) {
  const std::vector<std::string_view> others{
      // Speechmatics json-v2 also has results[].alternatives.
      R"({"format": "2.9", "results": [{"type": "word", "start_time": 0.1, "end_time": 0.4,
          "alternatives": [{"content": "hi", "confidence": 1, "speaker": "S1"}]}]})",
      R"({"metadata": {}, "results": {"channels": [{"alternatives": [{"transcript": "hi"}]}]}})",
      R"({"jobName": "j", "results": {"transcripts": [], "items": []}})",
      R"({"text": "hi", "segments": []})",
      R"({"transcript": "hello there"})",
      R"({"results": []})",
      R"({"results": [{"alternatives": []}]})",
      R"({"entries": []})",
      R"({"entries": [{"speaker": "A", "text": "hi"}]})",
      R"([{"role": "agent", "text": "hi"}])",
  };
  for (const std::string_view text : others) {
    const nlohmann::json doc = nlohmann::json::parse(text);
    EXPECT_FALSE(k_google_speech.recognizes(doc)) << text;
    EXPECT_FALSE(k_google_ccai.recognizes(doc)) << text;
  }
  expect_only_own_fixtures(k_google_speech, "google-speech");
  expect_only_own_fixtures(k_google_ccai, "google-ccai");
}
