// Unit tests for src/formats/azure.cpp: Azure AI Speech batch and fast
// transcription JSON.
#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using namespace callsight::test;
using formats::k_azure_batch;

namespace {

ParseResult parse_text(std::string_view text, std::string_view path = "calls/az-1.json") {
  return k_azure_batch.parse(path, nlohmann::json::parse(text));
}

// One batch phrase with the given offset/duration members and display text.
std::string batch_phrase(std::string_view times, std::string_view display) {
  return std::string(R"({"recognitionStatus": "Success", "channel": 0, )") + std::string(times) +
         R"(, "nBest": [{"confidence": 0.9, "display": ")" + std::string(display) + R"("}]})";
}

} // namespace

TEST(AzureSpeech, BatchDiarizedPhrasesGroupedIntoTurns) {
  // Sentences of one speaker become one turn; the NoMatch phrase is skipped.
  const Call call = parse_fixture(k_azure_batch, "azure-speech/batch_diarized.json");
  EXPECT_EQ(call.call_id, "call-0412-001"); // from the audio "source" URL
  EXPECT_EQ(call.format, "azure-speech");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(
      call,
      {
          {"1", 0.52, 5.37, 0.93665,
           "Thanks for calling Brightline Internet, this is Dana. How can I help you "
           "today?",
           Role::unknown, 0},
          {"2", 5.97, 11.87, 0.9543,
           "Hi, I saw your ad on Facebook about the fiber plan. How much is it per "
           "month?",
           Role::unknown, 0},
          {"1", 12.37, 18.27, 0.9459,
           "The fiber plan is forty nine ninety nine a month for the first year, with "
           "free installation.",
           Role::unknown, 0},
          {"2", 20.07, 24.22, 0.945,
           "Okay, and is there a contract? I don't want a cancellation fee.", Role::unknown, 0},
          {"1", 24.67, 26.72, 0.945, "No contract, you can cancel anytime.", Role::unknown, 0},
          {"2", 27.42, 29.12, 0.97, "Great, let's sign me up.", Role::unknown, 0},
      });
}

TEST(AzureSpeech, BatchStereoOrderedAcrossChannelsWithIsoOffsets) {
  // Channel 0's phrases come first in the file; only ISO 8601 times are given.
  const Call call = parse_fixture(k_azure_batch, "azure-speech/batch_stereo.json");
  EXPECT_EQ(call.call_id, "lakeside-0518-042");
  expect_turns(
      call,
      {
          {"", 0.30, 2.70, 0.93, "Good morning, Lakeside Dental, this is Priya.", Role::unknown, 0},
          {"", 3.50, 8.00, 0.94125, "Hi, I heard your ad on the radio. Do you take new patients?",
           Role::unknown, 1},
          {"", 8.50, 12.65, 0.955,
           "We do. The new patient exam and cleaning is ninety nine dollars.", Role::unknown, 0},
          {"", 13.25, 15.30, 0.9317, "Can I book next Tuesday morning?", Role::unknown, 1},
          {"", 16.00, 18.05, 0.945, "Sure, I have nine thirty available.", Role::unknown, 0},
          {"", 18.55, 19.90, 0.965, "Perfect, book it please.", Role::unknown, 1},
      });
}

TEST(AzureSpeech, FastTranscription) {
  const Call call = parse_fixture(k_azure_batch, "azure-speech/fast.json");
  EXPECT_EQ(call.call_id, "fast");
  expect_turns(
      call,
      {
          {"1", 0.40, 4.20, 0.9409, "Thank you for calling Summit Home Security, my name is Luis."},
          {"2", 4.75, 9.60, 0.94375,
           "Hi Luis, I want to cancel my monitoring. ADT quoted me twenty dollars less."},
          {"1", 10.20, 16.10, 0.95,
           "I'm sorry to hear that. I can offer you three months at half price if you "
           "stay."},
          {"2", 16.60, 20.40, 0.9475, "That helps. Let me think about it and call you back."},
          {"1", 21.05, 24.50, 0.9375, "Of course. Is there anything else I can help with?"},
          {"2", 24.90, 26.25, 0.97, "No, that's all. Thanks."},
      });
}

TEST(AzureSpeech, FastTranscriptionPreviewShape) {
  // The preview API wrote offset/duration in milliseconds, without speakers;
  // a pause over 1.5 s starts a new turn.
  const char* const text = R"({"duration": 9000, "combinedPhrases": [{"text": "..."}],
      "phrases": [
        {"offset": 240, "duration": 1200, "text": "Is the sale still on?", "confidence": 0.9},
        {"offset": 1500, "duration": 500, "text": "Until Sunday.", "confidence": 0.8},
        {"offset": 4000, "duration": 700, "text": "Great.", "locale": "en-US"}]})";
  EXPECT_TRUE(k_azure_batch.recognizes(nlohmann::json::parse(text)));
  const ParseResult result = parse_text(text);
  ASSERT_EQ(result.error, "");
  expect_turns(result.calls.front(), {{"", 0.24, 2.0, 0.85, "Is the sale still on? Until Sunday."},
                                      {"", 4.0, 4.7, std::nullopt, "Great."}});
}

TEST(AzureSpeech, IsoDurationsAndTextFallbacks) {
  const std::string text =
      R"({"source": "https://example.com", "recognizedPhrases": [)" +
      batch_phrase(R"("offset": "PT1M2.5S", "duration": "PT0.5S")", "Sixty-two.") + "," +
      R"({"channel": 0, "offset": "P1DT1H", "duration": "PT2S",
          "nBest": [{"lexical": "a day later"}]}, {"recognitionStatus": "NoMatch"}]})";
  const ParseResult result = parse_text(text, "calls/az-77.json");
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.calls.front().call_id, "az-77"); // the source URL names no file
  expect_turns(result.calls.front(),
               {{"", 62.5, 63.0, 0.9, "Sixty-two.", Role::unknown, 0},
                {"", 90000.0, 90002.0, std::nullopt, "a day later", Role::unknown, 0}});
}

TEST(AzureSpeech, ConfidencesAboveOneAreClamped) {
  const ParseResult result =
      parse_text(R"({"phrases": [{"text": "hi", "offsetMilliseconds": 0, "confidence": 3}]})");
  ASSERT_EQ(result.error, "");
  EXPECT_DOUBLE_EQ(*result.calls.front().turns[0].confidence, 1.0);
}

TEST(AzureSpeech, EmptyTranscriptIsAnError) {
  const nlohmann::json doc = load_fixture("azure-speech/empty.json");
  EXPECT_TRUE(k_azure_batch.recognizes(doc));
  EXPECT_EQ(k_azure_batch.parse("calls/e.json", doc).error, "empty transcript (no text)");
  EXPECT_EQ(parse_text(R"({"phrases": [], "combinedPhrases": []})").error,
            "empty transcript (no text)");
}

TEST(AzureSpeech, MalformedMembersAreNamed) {
  EXPECT_EQ(parse_error(k_azure_batch, "[]"), "Azure Speech JSON: the document is not an object");
  EXPECT_EQ(parse_error(k_azure_batch, "{}"),
            "Azure Speech JSON: \"recognizedPhrases\" is missing");
  EXPECT_EQ(parse_error(k_azure_batch, R"({"recognizedPhrases": {}})"),
            "Azure Speech JSON: \"recognizedPhrases\" is not an array");
  EXPECT_EQ(parse_error(k_azure_batch, "{\"recognizedPhrases\": [" +
                                           batch_phrase(R"("offset": "1.5 seconds")", "Hi") + "]}"),
            "Azure Speech JSON: \"recognizedPhrases[0].offset\" is not an ISO 8601 duration");
  EXPECT_EQ(parse_error(k_azure_batch, "{\"recognizedPhrases\": [" +
                                           batch_phrase(R"("offset": "PT5")", "Hi") + "]}"),
            "Azure Speech JSON: \"recognizedPhrases[0].offset\" is not an ISO 8601 duration");
  EXPECT_EQ(parse_error(k_azure_batch, "{\"recognizedPhrases\": [" +
                                           batch_phrase(R"("offsetInTicks": "soon")", "Hi") + "]}"),
            "Azure Speech JSON: \"recognizedPhrases[0].offsetInTicks\" is not a number");
  EXPECT_EQ(parse_error(k_azure_batch, "{\"recognizedPhrases\": [" +
                                           batch_phrase(R"("offset": "PT1S")", "Hi") +
                                           R"(, {"nBest": [{"confidence": 0.5}]}]})"),
            "Azure Speech JSON: \"recognizedPhrases[1].nBest[0].display\" is missing");
  EXPECT_EQ(parse_error(k_azure_batch, R"({"recognizedPhrases": [{"nBest": ["Hi"]}]})"),
            "Azure Speech JSON: \"recognizedPhrases[0].nBest[0]\" is not an object");
  EXPECT_EQ(parse_error(k_azure_batch, R"({"recognizedPhrases": [{"speaker": [1], "nBest": []}]})"),
            "Azure Speech JSON: \"recognizedPhrases[0].speaker\" is not a string or an integer");
  EXPECT_EQ(
      parse_error(k_azure_batch, R"({"recognizedPhrases": [{"channel": "left", "nBest": []}]})"),
      "Azure Speech JSON: \"recognizedPhrases[0].channel\" is not an integer");
  EXPECT_EQ(parse_error(k_azure_batch, R"({"phrases": [{"offsetMilliseconds": 0}]})"),
            "Azure Speech JSON: \"phrases[0].text\" is missing");
  EXPECT_EQ(
      parse_error(k_azure_batch, R"({"phrases": [{"text": "hi", "offsetMilliseconds": "noon"}]})"),
      "Azure Speech JSON: \"phrases[0].offsetMilliseconds\" is not a number");
  EXPECT_EQ(parse_error(k_azure_batch, R"({"phrases": [3]})"),
            "Azure Speech JSON: \"phrases[0]\" is not an object");
}

TEST(AzureSpeech, HugeOffsetsDoNotOverflowToInfinity) {
  const std::string huge = "PT" + std::string(308, '9') + "S"; // about 1e308 seconds
  const ParseResult result = parse_text(
      "{\"recognizedPhrases\": [" +
      batch_phrase("\"offset\": \"" + huge + "\", \"duration\": \"" + huge + "\"", "hi") + "]}");
  ASSERT_EQ(result.error, "");
  const Turn& turn = result.calls.front().turns.front();
  // The end would be inf: it is dropped, and turn grouping falls back to the start.
  ASSERT_TRUE(turn.start_s.has_value() && turn.end_s.has_value());
  EXPECT_TRUE(std::isfinite(*turn.end_s));
}

TEST(AzureSpeech, RecognizesOnlyItsOwnShapes) {
  const std::vector<std::string_view> others{
      R"({"phrases": ["hi"]})",
      R"({"phrases": [{"text": "hi"}]})",
      R"({"results": [{"alternatives": [{"transcript": "hi"}]}]})",
      R"({"monologues": []})",
      R"({"Transcript": []})",
      R"({"recognizedPhrases": "none"})",
      R"({"text": "hi", "segments": []})",
  };
  for (const std::string_view text : others) {
    EXPECT_FALSE(k_azure_batch.recognizes(nlohmann::json::parse(text))) << text;
  }
  expect_only_own_fixtures(k_azure_batch, "azure-speech");
}
