// Unit tests for src/formats/whisper.cpp: OpenAI Whisper / WhisperX JSON and
// Whisper TSV.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "formats/registry.hpp"

using namespace callsight;
using formats::k_whisper_json;
using formats::k_whisper_tsv;

namespace {

std::string read_fixture(const std::string& relative) {
  std::ifstream in(std::string(CALLSIGHT_TEST_FIXTURES) + "/formats/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

nlohmann::json load_json(const std::string& relative) {
  return nlohmann::json::parse(read_fixture(relative), nullptr, false);
}

Call parse_ok(const std::string& name) {
  ParseResult result = k_whisper_json.parse("calls/" + name, load_json("whisper-json/" + name));
  EXPECT_EQ(result.error, "") << name;
  EXPECT_EQ(result.calls.size(), 1u) << name;
  return result.calls.empty() ? Call{} : result.calls.front();
}

std::string parse_error(std::string_view json_text) {
  const ParseResult result =
      k_whisper_json.parse("calls/bad.json", nlohmann::json::parse(json_text));
  EXPECT_TRUE(result.calls.empty());
  return result.error;
}

void expect_turn(const Turn& turn, std::string_view speaker, double start, double end,
                 std::string_view text) {
  EXPECT_EQ(turn.speaker, speaker);
  ASSERT_TRUE(turn.start_s && turn.end_s);
  EXPECT_DOUBLE_EQ(*turn.start_s, start);
  EXPECT_DOUBLE_EQ(*turn.end_s, end);
  EXPECT_EQ(turn.text, text);
  EXPECT_EQ(turn.role, Role::unknown);
  EXPECT_FALSE(turn.channel);
}

// Shapes of other engines' output that Whisper JSON must not claim.
const char* const k_other_engines[] = {
    R"({"jobName":"j","results":{"transcripts":[{"transcript":"hi"}],"items":[]},"status":"COMPLETED"})",
    R"({"metadata":{"request_id":"r"},"results":{"channels":[{"alternatives":[{"transcript":"hi","words":[]}]}]}})",
    R"({"id":"x","status":"completed","audio_url":"u","text":"hi","words":[],"utterances":[]})",
    R"({"Transcript":[{"ParticipantRole":"AGENT","Content":"hi","BeginOffsetMillis":0,"EndOffsetMillis":5}]})",
    R"({"results":[{"alternatives":[{"transcript":"hi","words":[]}]}]})",
    R"({"recognizedPhrases":[{"speaker":1,"nBest":[{"display":"hi"}]}],"durationInTicks":1})",
    R"({"monologues":[{"speaker":0,"elements":[{"type":"text","value":"hi"}]}]})",
    R"({"segments":[{"speaker":"Agent","text":"hi","start":"0:01","end":"0:02"}]})",
    R"({"segments":[],"text":"hi"})",
    R"({"turns":[{"speaker":"Agent","text":"hi"}]})",
    R"([{"speaker":"Agent","text":"hi"}])",
};

} // namespace

TEST(WhisperJson, OpenAiSegmentsAreTurns) {
  const Call call = parse_ok("openai-pricing-call.json");
  EXPECT_EQ(call.call_id, "openai-pricing-call");
  EXPECT_EQ(call.path, "calls/openai-pricing-call.json");
  EXPECT_EQ(call.format, "whisper-json");
  EXPECT_EQ(call.role_source, RoleSource::none);
  EXPECT_EQ(call.fields.at("language"), "en");
  // The seventh segment has no text and is dropped.
  ASSERT_EQ(call.turns.size(), 6u);
  expect_turn(call.turns[0], "", 0.0, 3.2,
              "Thank you for calling Brightline Internet, this is Dana. How can I help you today?");
  expect_turn(call.turns[1], "", 3.6, 8.4,
              "Hi, I saw your ad on Facebook about the fiber plan for forty-nine ninety-nine a "
              "month.");
  expect_turn(call.turns[2], "", 8.9, 14.2,
              "Yes, that's our spring promotion. The price is locked for twelve months with no "
              "installation fee.");
  expect_turn(call.turns[3], "", 14.6, 18.0,
              "Okay, and what happens after the first year? Does it go up a lot?");
  expect_turn(call.turns[4], "", 18.4, 23.5,
              "After twelve months it moves to sixty-four ninety-nine, but you can cancel any time "
              "without a fee.");
  expect_turn(call.turns[5], "", 23.9, 26.1, "Great, let's sign me up then.");
  // Confidence is exp(avg_logprob).
  const double logprobs[] = {-0.18, -0.25, -0.21, -0.31, -0.2, -0.4};
  for (std::size_t i = 0; i < 6; ++i) {
    ASSERT_TRUE(call.turns[i].confidence);
    EXPECT_NEAR(*call.turns[i].confidence, std::exp(logprobs[i]), 1e-12);
  }
}

TEST(WhisperJson, WordProbabilitiesGiveConfidence) {
  const Call call = parse_ok("openai-word-timestamps.json");
  ASSERT_EQ(call.turns.size(), 2u);
  expect_turn(call.turns[0], "", 0.0, 4.065,
              "Hello, I'm calling to ask about the price of your premium plan.");
  expect_turn(call.turns[1], "", 4.1, 7.935,
              "The premium plan is twenty-nine dollars a month, billed yearly.");
  // The mean word probability wins over avg_logprob.
  EXPECT_NEAR(*call.turns[0].confidence, 0.9117333333333334, 1e-9);
  EXPECT_NEAR(*call.turns[1].confidence, 0.87105, 1e-9);
}

TEST(WhisperJson, WhisperXSpeakersMergeIntoTurns) {
  const Call call = parse_ok("whisperx-diarized.json");
  EXPECT_EQ(call.call_id, "whisperx-diarized");
  ASSERT_EQ(call.turns.size(), 5u);
  expect_turn(call.turns[0], "SPEAKER_01", 0.031, 5.455,
              "Good morning, Apex Home Services, this is Marcus speaking. How can I help you "
              "today?");
  expect_turn(call.turns[1], "SPEAKER_00", 5.6, 12.28,
              "Hi Marcus. I got a mailer about your furnace tune-up special for $89. Is that still "
              "available?");
  expect_turn(call.turns[2], "SPEAKER_01", 13.4, 19.05,
              "It is, through the end of the month. Would Thursday morning work for a technician "
              "visit?");
  // A segment diarization left without a speaker stays a turn of its own.
  expect_turn(call.turns[3], "", 19.3, 20.145, "Thursday works.");
  expect_turn(call.turns[4], "SPEAKER_01", 21.2, 22.885, "Perfect, I'll book that now.");
  // Word `score` means per segment (the unaligned "$89" has none), averaged
  // over the merged segments.
  EXPECT_NEAR(*call.turns[0].confidence, (0.887711111111111 + 0.9174) / 2, 1e-9);
  EXPECT_NEAR(*call.turns[1].confidence, (0.9171583333333332 + 0.817775) / 2, 1e-9);
  EXPECT_NEAR(*call.turns[2].confidence, 0.88721875, 1e-9);
  EXPECT_NEAR(*call.turns[3].confidence, 0.8495, 1e-9);
  EXPECT_NEAR(*call.turns[4].confidence, 0.92662, 1e-9);
}

TEST(WhisperJson, SilenceIsEmptyTranscript) {
  const ParseResult result =
      k_whisper_json.parse("calls/silence.json", load_json("whisper-json/silence.json"));
  EXPECT_EQ(result.error, "empty transcript (no text)");
  EXPECT_TRUE(result.calls.empty());
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1,"text":"  "}]})"),
            "empty transcript (no text)");
}

TEST(WhisperJson, SegmentsWithoutSpeakersAreNotMerged) {
  const ParseResult result = k_whisper_json.parse("x.json", nlohmann::json::parse(R"({"segments":[
        {"start":0,"end":1,"text":" One."},{"start":1,"end":2,"text":" Two."},
        {"start":2,"end":3,"text":" Three.","speaker":"SPEAKER_00"},
        {"start":3,"end":4,"text":" Four.","speaker":"SPEAKER_00"}]})"));
  ASSERT_EQ(result.error, "");
  const auto& turns = result.calls.at(0).turns;
  ASSERT_EQ(turns.size(), 3u);
  EXPECT_EQ(turns[0].text, "One.");
  EXPECT_EQ(turns[1].text, "Two.");
  EXPECT_EQ(turns[2].text, "Three. Four.");
  EXPECT_FALSE(turns[0].confidence);
  EXPECT_EQ(result.calls[0].fields.count("language"), 0u);
}

TEST(WhisperJson, NumericStringsAndConfidenceClamp) {
  const ParseResult result = k_whisper_json.parse("x.json", nlohmann::json::parse(R"({"segments":[
        {"start":"1.5","end":"2.25","text":"Hi.","avg_logprob":3.0},
        {"start":3,"end":4,"text":"Yes.","words":[{"word":"Yes.","probability":1.7}]}]})"));
  ASSERT_EQ(result.error, "");
  const auto& turns = result.calls.at(0).turns;
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_DOUBLE_EQ(*turns[0].start_s, 1.5);
  EXPECT_DOUBLE_EQ(*turns[0].end_s, 2.25);
  EXPECT_DOUBLE_EQ(*turns[0].confidence, 1.0);
  EXPECT_DOUBLE_EQ(*turns[1].confidence, 1.0);
}

TEST(WhisperJson, MalformedMembersNameTheMember) {
  EXPECT_EQ(parse_error(R"([1,2])"), "Whisper JSON: the document is not an object");
  EXPECT_EQ(parse_error(R"({"text":"hi"})"), R"(Whisper JSON: "segments" is missing)");
  EXPECT_EQ(parse_error(R"({"segments":{}})"), R"(Whisper JSON: "segments" is not an array)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1,"text":"a"},7]})"),
            R"(Whisper JSON: "segments[1]" is not an object)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1}]})"),
            R"(Whisper JSON: "segments[0].text" is missing)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1,"text":5}]})"),
            R"(Whisper JSON: "segments[0].text" is not a string)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":"soon","end":1,"text":"a"}]})"),
            R"(Whisper JSON: "segments[0].start" is not a number)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":true,"text":"a"}]})"),
            R"(Whisper JSON: "segments[0].end" is not a number)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1,"text":"a","speaker":[]}]})"),
            R"(Whisper JSON: "segments[0].speaker" is not a string or an integer)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1,"text":"a","words":"x"}]})"),
            R"(Whisper JSON: "segments[0].words" is not an array)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1,"text":"a","words":[{},3]}]})"),
            R"(Whisper JSON: "segments[0].words[1]" is not an object)");
  EXPECT_EQ(
      parse_error(R"({"segments":[{"start":0,"end":1,"text":"a","words":[{"score":"high"}]}]})"),
      R"(Whisper JSON: "segments[0].words[0].score" is not a number)");
  EXPECT_EQ(parse_error(R"({"segments":[{"start":0,"end":1,"text":"a","avg_logprob":"low"}]})"),
            R"(Whisper JSON: "segments[0].avg_logprob" is not a number)");
  EXPECT_EQ(parse_error(R"({"segments":[],"language":3})"),
            R"(Whisper JSON: "language" is not a string)");
}

TEST(WhisperJson, RecognizesWhisperShapesOnly) {
  for (const char* name : {"openai-pricing-call.json", "openai-word-timestamps.json",
                           "whisperx-diarized.json", "silence.json"}) {
    EXPECT_TRUE(k_whisper_json.recognizes(load_json(std::string("whisper-json/") + name))) << name;
  }
  // WhisperX without alignment; faster-whisper segments with nothing else.
  EXPECT_TRUE(k_whisper_json.recognizes(nlohmann::json::parse(
      R"({"segments":[{"start":0.0,"end":1.0,"text":" Hi","speaker":"SPEAKER_00"}],"language":"en"})")));
  EXPECT_TRUE(k_whisper_json.recognizes(
      nlohmann::json::parse(R"({"segments":[{"start":0.0,"end":1.0,"text":" Hi"}]})")));
  for (const char* name : {"assemblyai/diarized-utterances.json", "assemblyai/error.json",
                           "deepgram/utterances-diarized.json", "deepgram/multichannel.json"}) {
    EXPECT_FALSE(k_whisper_json.recognizes(load_json(name))) << name;
  }
  for (const char* text : k_other_engines) {
    EXPECT_FALSE(k_whisper_json.recognizes(nlohmann::json::parse(text))) << text;
  }
  EXPECT_FALSE(k_whisper_json.recognizes(nlohmann::json::parse(R"({"segments":[1,2]})")));
  EXPECT_FALSE(k_whisper_json.recognizes(nlohmann::json::parse(R"("segments")")));
}

TEST(WhisperTsv, RecognizesExtensionAndHeader) {
  const std::string text = read_fixture("whisper-tsv/cancellation-call.tsv");
  EXPECT_TRUE(k_whisper_tsv.recognizes("calls/cancellation-call.tsv", text));
  EXPECT_TRUE(k_whisper_tsv.recognizes("CALL.TSV", "\xEF\xBB\xBFstart\tend\ttext\r\n0\t1\thi\r\n"));
  EXPECT_FALSE(k_whisper_tsv.recognizes("calls/cancellation-call.txt", text));
  EXPECT_FALSE(k_whisper_tsv.recognizes("calls/turns.tsv", "call_id\tspeaker\ttext\n"));
  EXPECT_FALSE(k_whisper_tsv.recognizes("calls/a.tsv", "start\tend\ttext\tspeaker\n"));
  EXPECT_FALSE(k_whisper_tsv.recognizes(".tsv", "start\tend\ttext\n"));
  EXPECT_FALSE(k_whisper_tsv.recognizes("a.tsv", ""));
}

TEST(WhisperTsv, RowsAreTurnsInSeconds) {
  const ParseResult result = k_whisper_tsv.parse("calls/cancellation-call.tsv",
                                                 read_fixture("whisper-tsv/cancellation-call.tsv"));
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.calls.size(), 1u);
  const Call& call = result.calls[0];
  EXPECT_EQ(call.call_id, "cancellation-call");
  EXPECT_EQ(call.format, "whisper-tsv");
  ASSERT_EQ(call.turns.size(), 6u);
  expect_turn(call.turns[0], "", 0.0, 2.84, "Thanks for calling Summit Fitness, this is Jordan.");
  expect_turn(call.turns[1], "", 3.1, 7.92,
              "Hi, I need to cancel my membership. I'm moving out of state next month.");
  expect_turn(call.turns[3], "", 14.01, 16.2, "Denver, actually.");
  expect_turn(call.turns[5], "", 22.9, 26.1,
              "Oh, I didn't know that. Let's do the transfer instead.");
  EXPECT_FALSE(call.turns[0].confidence);
}

TEST(WhisperTsv, CrlfBomBlankLinesAndNoHeader) {
  ParseResult result = k_whisper_tsv.parse(
      "a.tsv", "\xEF\xBB\xBFstart\tend\ttext\r\n1200\t2500\t Hello there. \r\n\r\n"
               "2600\t3000\t\r\n3100\t4000\tBye.");
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.calls.at(0).turns.size(), 2u);
  expect_turn(result.calls[0].turns[0], "", 1.2, 2.5, "Hello there.");
  expect_turn(result.calls[0].turns[1], "", 3.1, 4.0, "Bye.");
  // Forced on a file without the header line.
  result = k_whisper_tsv.parse("a.txt", "0\t1500\tHi.\n");
  ASSERT_EQ(result.error, "");
  expect_turn(result.calls.at(0).turns.at(0), "", 0.0, 1.5, "Hi.");
}

TEST(WhisperTsv, BadRowsNameTheLine) {
  EXPECT_EQ(k_whisper_tsv.parse("a.tsv", "start\tend\ttext\n0\t10\tok\nabc\t20\tno\n").error,
            R"(Whisper TSV: line 3: start "abc" is not a number of milliseconds)");
  EXPECT_EQ(k_whisper_tsv.parse("a.tsv", "start\tend\ttext\n0\t1s\tno\n").error,
            R"(Whisper TSV: line 2: end "1s" is not a number of milliseconds)");
  EXPECT_EQ(k_whisper_tsv.parse("a.tsv", "start\tend\ttext\n0 10 no tabs\n").error,
            "Whisper TSV: line 2: expected start, end and text separated by tabs");
  EXPECT_EQ(k_whisper_tsv.parse("a.tsv", "start\tend\ttext\n").error, "empty transcript (no text)");
  EXPECT_EQ(k_whisper_tsv.parse("a.tsv", "").error, "empty transcript (no text)");
  // A long bad field is cut short in the message.
  const std::string long_field(500, 'x');
  const std::string error = k_whisper_tsv.parse("a.tsv", long_field + "\t1\tno\n").error;
  EXPECT_EQ(error, "Whisper TSV: line 1: start \"" + std::string(32, 'x') +
                       "\" is not a number of milliseconds");
}
