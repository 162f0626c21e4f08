// Unit tests for src/formats/deepgram.cpp: Deepgram /v1/listen JSON.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using formats::k_deepgram;

namespace {

Call parse_ok(const std::string& name) {
  ParseResult result = k_deepgram.parse("calls/" + name, callsight::test::load_fixture("deepgram/" + name));
  EXPECT_EQ(result.error, "") << name;
  EXPECT_EQ(result.calls.size(), 1u) << name;
  return result.calls.empty() ? Call{} : result.calls.front();
}

ParseResult parse_text(std::string_view json_text) {
  return k_deepgram.parse("calls/dg-1.json", nlohmann::json::parse(json_text));
}

std::string parse_error(std::string_view json_text) {
  const ParseResult result = parse_text(json_text);
  EXPECT_TRUE(result.calls.empty());
  return result.error;
}

struct Expected {
  std::string_view speaker;
  double start;
  double end;
  double confidence;
  std::optional<int> channel;
  std::string_view text;
};

void expect_turns(const Call& call, const std::vector<Expected>& expected) {
  ASSERT_EQ(call.turns.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("turn " + std::to_string(i));
    const Turn& turn = call.turns[i];
    EXPECT_EQ(turn.speaker, expected[i].speaker);
    ASSERT_TRUE(turn.start_s && turn.end_s && turn.confidence);
    EXPECT_DOUBLE_EQ(*turn.start_s, expected[i].start);
    EXPECT_DOUBLE_EQ(*turn.end_s, expected[i].end);
    EXPECT_NEAR(*turn.confidence, expected[i].confidence, 1e-9);
    EXPECT_EQ(turn.channel, expected[i].channel);
    EXPECT_EQ(turn.text, expected[i].text);
    EXPECT_EQ(turn.role, Role::unknown);
  }
}

const char* const k_other_engines[] = {
    R"({"jobName":"j","results":{"transcripts":[{"transcript":"hi"}],"items":[]},"status":"COMPLETED"})",
    R"({"jobName":"j","results":{"transcripts":[],"items":[],"channel_labels":{"channels":[]}},"status":"COMPLETED"})",
    R"({"id":"x","status":"completed","audio_url":"u","text":"hi","words":[],"utterances":[]})",
    R"({"text":" hi","segments":[{"id":0,"start":0.0,"end":1.0,"text":" hi","avg_logprob":-0.2}],"language":"en"})",
    R"({"Transcript":[{"ParticipantRole":"AGENT","Content":"hi","BeginOffsetMillis":0,"EndOffsetMillis":5}]})",
    R"({"results":[{"alternatives":[{"transcript":"hi","words":[]}]}]})",
    R"({"results":[{"type":"word","start_time":0.1,"alternatives":[{"content":"hi","speaker":"S1"}]}]})",
    R"({"recognizedPhrases":[{"speaker":1,"nBest":[{"display":"hi"}]}],"durationInTicks":1})",
    R"({"monologues":[{"speaker":0,"elements":[{"type":"text","value":"hi"}]}]})",
    R"({"utterances":[{"speaker":"A","start":0,"end":1,"text":"hi"}]})",
    R"({"results":{"utterances":[{"speaker":0,"start":0,"end":1,"transcript":"hi"}]}})",
    R"([{"speaker":"A","text":"hi","start":0,"end":1}])",
};

} // namespace

TEST(Deepgram, UtterancesAreTurns) {
  const Call call = parse_ok("utterances-diarized.json");
  EXPECT_EQ(call.call_id, "b2f4e6a8-3c5d-4e7f-9a1b-2c3d4e5f6a7b");
  EXPECT_EQ(call.path, "calls/utterances-diarized.json");
  EXPECT_EQ(call.format, "deepgram");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(
      call,
      {{"0",
        0.08,
        3.325,
        0.8915624999999999,
        {},
        "Good afternoon, Riverside Dental, this is Kim speaking."},
       {"1",
        3.73,
        9.585,
        0.8991058823529413,
        {},
        "Hi, I found you on Google and wanted to know how much a cleaning costs without "
        "insurance."},
       {"0",
        9.99,
        16.55,
        0.8986749999999999,
        {},
        "A cleaning and exam is $125 for new patients, and this month we have a new patient "
        "special for $99."},
       {"1", 16.95, 20.29, 0.89445, {}, "That's not bad. Do you have anything open next week?"},
       {"0", 20.69, 23.6, 0.8866555555555555, {}, "We have Tuesday at ten or Wednesday at two."},
       {"1", 24.0, 25.39, 0.9202, {}, "Tuesday at ten, please."}});
}

TEST(Deepgram, DiarizedWordsGroupedWithPunctuation) {
  const Call call = parse_ok("words-diarized.json");
  EXPECT_EQ(call.call_id, "c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f");
  // Speaker 0 pauses 1.8 s before "And do you know...": a new turn.
  expect_turns(
      call,
      {{"0", 0.2, 3.085, 0.90965, {}, "Thanks for calling SunPeak Solar, this is Ray."},
       {"1",
        3.48,
        7.885,
        0.9137076923076921,
        {},
        "Hi, we got a quote from another company and want to compare prices."},
       {"0",
        8.29,
        12.515,
        0.8985384615384616,
        {},
        "Sure, I can help with that. What size system did they quote you?"},
       {"0", 14.3, 17.3, 0.9128777777777777, {}, "And do you know if that included the battery?"},
       {"1", 17.7, 20.83, 0.8864, {}, "Eight kilowatts, around twenty-two thousand, no battery."}});
}

TEST(Deepgram, MultichannelMergedByStart) {
  const Call call = parse_ok("multichannel.json");
  expect_turns(call,
               {{"", 0.4, 3.695, 0.888, 0, "Harbor Insurance, this is Beth. How can I help you?"},
                {"", 4.09, 8.27, 0.9158692307692308, 1,
                 "Hi, I heard your ad on the radio about bundling home and auto."},
                {"", 8.67, 13.775, 0.9010428571428571, 0,
                 "Yes, bundling saves most customers about twenty percent. Can I get your "
                 "zip code?"},
                {"", 14.18, 14.8, 0.93595, 1, "It's 02139."}});
}

TEST(Deepgram, SilenceIsEmptyTranscript) {
  const ParseResult result =
      k_deepgram.parse("calls/silence.json", callsight::test::load_fixture("deepgram/silence.json"));
  EXPECT_EQ(result.error, "empty transcript (no text)");
  EXPECT_TRUE(result.calls.empty());
  EXPECT_EQ(parse_error(R"({"results":{"channels":[{"alternatives":[]}]}})"),
            "empty transcript (no text)");
  EXPECT_EQ(parse_error(R"({"results":{"channels":[]}})"), "empty transcript (no text)");
}

TEST(Deepgram, WordWithoutPunctuatedWordAndTranscriptOnly) {
  ParseResult result = parse_text(R"({"results":{"channels":[{"alternatives":[{"words":[
      {"word":"hello","start":0.5,"end":0.8,"confidence":0.9},
      {"word":"there","punctuated_word":"there.","start":0.9,"end":1.2,"confidence":0.7}]}]}]}})");
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.calls.at(0).turns.size(), 1u);
  EXPECT_EQ(result.calls[0].turns[0].text, "hello there.");
  EXPECT_EQ(result.calls[0].turns[0].speaker, "");
  EXPECT_NEAR(*result.calls[0].turns[0].confidence, 0.8, 1e-12);
  EXPECT_EQ(result.calls[0].call_id, "dg-1"); // no metadata.request_id

  result = parse_text(R"({"metadata":{"request_id":""},"results":{"channels":[
      {"alternatives":[{"transcript":"Agent side.","confidence":0.95}]},
      {"alternatives":[{"transcript":"Caller side.","confidence":0.85,"words":[]}]}]}})");
  ASSERT_EQ(result.error, "");
  const auto& turns = result.calls.at(0).turns;
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[0].text, "Agent side.");
  EXPECT_EQ(turns[0].channel, 0);
  EXPECT_DOUBLE_EQ(*turns[0].confidence, 0.95);
  EXPECT_EQ(turns[1].text, "Caller side.");
  EXPECT_EQ(turns[1].channel, 1);
  EXPECT_EQ(result.calls[0].call_id, "dg-1");
}

TEST(Deepgram, UtterancesSortedAndMultichannel) {
  const ParseResult result = parse_text(R"({"metadata":{"channels":2},"results":{"utterances":[
      {"start":2.0,"end":3.0,"confidence":0.9,"channel":1,"transcript":"Second.","speaker":0},
      {"start":0.5,"end":1.5,"confidence":0.8,"channel":0,"transcript":"First.","speaker":0}]}})");
  ASSERT_EQ(result.error, "");
  const auto& turns = result.calls.at(0).turns;
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[0].text, "First.");
  EXPECT_EQ(turns[0].channel, 0);
  EXPECT_EQ(turns[1].text, "Second.");
  EXPECT_EQ(turns[1].channel, 1);
}

TEST(Deepgram, EmptyUtterancesFallBackToChannels) {
  const ParseResult result = parse_text(R"({"results":{"utterances":[],"channels":[
      {"alternatives":[{"words":[{"word":"yes","start":0,"end":0.3,"speaker":1}]}]}]}})");
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.calls.at(0).turns.size(), 1u);
  EXPECT_EQ(result.calls[0].turns[0].speaker, "1");
  EXPECT_FALSE(result.calls[0].turns[0].confidence);
}

TEST(Deepgram, MalformedMembersNameTheMember) {
  EXPECT_EQ(parse_error(R"([])"), "Deepgram JSON: the document is not an object");
  EXPECT_EQ(parse_error(R"({"metadata":{}})"), R"(Deepgram JSON: "results" is missing)");
  EXPECT_EQ(parse_error(R"({"metadata":[],"results":{}})"),
            R"(Deepgram JSON: "metadata" is not an object)");
  EXPECT_EQ(parse_error(R"({"metadata":{"request_id":9},"results":{}})"),
            R"(Deepgram JSON: "metadata.request_id" is not a string)");
  EXPECT_EQ(parse_error(R"({"results":{}})"), R"(Deepgram JSON: "results.channels" is missing)");
  EXPECT_EQ(parse_error(R"({"results":{"channels":{}}})"),
            R"(Deepgram JSON: "results.channels" is not an array)");
  EXPECT_EQ(parse_error(R"({"results":{"channels":["x"]}})"),
            R"(Deepgram JSON: "results.channels[0]" is not an object)");
  EXPECT_EQ(parse_error(R"({"results":{"channels":[{}]}})"),
            R"(Deepgram JSON: "results.channels[0].alternatives" is missing)");
  EXPECT_EQ(parse_error(R"({"results":{"channels":[{"alternatives":[null]}]}})"),
            R"(Deepgram JSON: "results.channels[0].alternatives[0]" is not an object)");
  EXPECT_EQ(parse_error(
                R"({"results":{"channels":[{"alternatives":[{"words":[{"start":0,"end":1}]}]}]}})"),
            R"(Deepgram JSON: "results.channels[0].alternatives[0].words[0].word" is missing)");
  EXPECT_EQ(
      parse_error(
          R"({"results":{"channels":[{"alternatives":[{"words":[{"word":"a","start":"x","end":1}]}]}]}})"),
      R"(Deepgram JSON: "results.channels[0].alternatives[0].words[0].start" is not a number)");
  EXPECT_EQ(
      parse_error(
          R"({"results":{"channels":[{"alternatives":[{"words":[{"word":"a","start":0,"end":1,"speaker":1.5}]}]}]}})"),
      R"(Deepgram JSON: "results.channels[0].alternatives[0].words[0].speaker" is not a string or an integer)");
  EXPECT_EQ(parse_error(R"({"results":{"channels":[{"alternatives":[{"transcript":5}]}]}})"),
            R"(Deepgram JSON: "results.channels[0].alternatives[0].transcript" is not a string)");
  EXPECT_EQ(parse_error(R"({"results":{"utterances":[{"start":0,"end":1}]}})"),
            R"(Deepgram JSON: "results.utterances[0].transcript" is missing)");
  EXPECT_EQ(
      parse_error(
          R"({"results":{"utterances":[{"start":0,"end":1,"transcript":"a","channel":1e12}]}})"),
      R"(Deepgram JSON: "results.utterances[0].channel" is not an integer)");
  EXPECT_EQ(parse_error(R"({"results":{"utterances":"none","channels":[]}})"),
            R"(Deepgram JSON: "results.utterances" is not an array)");
}

TEST(Deepgram, RecognizesDeepgramShapesOnly) {
  for (const char* name :
       {"utterances-diarized.json", "words-diarized.json", "multichannel.json", "silence.json"}) {
    EXPECT_TRUE(k_deepgram.recognizes(callsight::test::load_fixture(std::string("deepgram/") + name))) << name;
  }
  EXPECT_TRUE(k_deepgram.recognizes(nlohmann::json::parse(
      R"({"metadata":{"request_id":"r","channels":1},"results":{"channels":[]}})")));
  for (const char* name : {"whisper-json/openai-pricing-call.json",
                           "assemblyai/diarized-utterances.json", "assemblyai/multichannel.json"}) {
    EXPECT_FALSE(k_deepgram.recognizes(callsight::test::load_fixture(name))) << name;
  }
  for (const char* text : k_other_engines) {
    EXPECT_FALSE(k_deepgram.recognizes(nlohmann::json::parse(text))) << text;
  }
}
