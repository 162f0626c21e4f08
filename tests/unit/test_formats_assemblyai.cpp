// Unit tests for src/formats/assemblyai.cpp: AssemblyAI transcript JSON.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using formats::k_assemblyai;

namespace {

Call parse_ok(const std::string& name) {
  ParseResult result = k_assemblyai.parse("calls/" + name, callsight::test::load_fixture("assemblyai/" + name));
  EXPECT_EQ(result.error, "") << name;
  EXPECT_EQ(result.calls.size(), 1u) << name;
  return result.calls.empty() ? Call{} : result.calls.front();
}

std::string parse_error(std::string_view json_text) {
  const ParseResult result = k_assemblyai.parse("calls/bad.json", nlohmann::json::parse(json_text));
  EXPECT_TRUE(result.calls.empty());
  return result.error;
}

struct Expected {
  std::string_view speaker;
  double start;
  double end;
  double confidence;
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
    EXPECT_EQ(turn.text, expected[i].text);
    EXPECT_EQ(turn.role, Role::unknown);
  }
}

// The StreamBox call of diarized-utterances.json and words-with-speakers.json.
const std::vector<Expected> k_streambox_turns{
    {"A", 0.24, 6.435, 0.8894388888888892,
     "Thank you for calling StreamBox support, my name is Priya. Can I have the email on the "
     "account?"},
    {"B", 6.83, 12.71, 0.8690222222222221,
     "Sure, it's jamie at example dot com. I was charged twice this month and I want to cancel."},
    {"A", 13.11, 22.095, 0.8943703703703703,
     "I'm sorry about that. I see the duplicate charge of $15.99 and I've refunded it. Before you "
     "go, can I offer you three months at half price?"},
    {"B", 22.49, 25.49, 0.9137333333333335, "Half price sounds fair. Okay, I'll stay for now."},
    {"A", 25.89, 29.0, 0.8842874999999999, "Great. How did you hear about StreamBox originally?"},
    {"B", 29.4, 32.945, 0.9058818181818182,
     "A friend recommended it, and then I saw a podcast ad."},
};

const char* const k_other_engines[] = {
    R"({"jobName":"j","results":{"transcripts":[{"transcript":"hi"}],"items":[]},"status":"COMPLETED"})",
    R"({"metadata":{"request_id":"r"},"results":{"channels":[{"alternatives":[{"transcript":"hi","words":[]}]}]}})",
    R"({"text":" hi","segments":[{"id":0,"start":0.0,"end":1.0,"text":" hi","avg_logprob":-0.2}],"language":"en"})",
    R"({"Transcript":[{"ParticipantRole":"AGENT","Content":"hi","BeginOffsetMillis":0,"EndOffsetMillis":5}]})",
    R"({"results":[{"alternatives":[{"transcript":"hi","words":[]}]}]})",
    R"({"recognizedPhrases":[{"speaker":1,"nBest":[{"display":"hi"}]}],"durationInTicks":1})",
    R"({"monologues":[{"speaker":0,"elements":[{"type":"text","value":"hi"}]}]})",
    R"({"utterances":[{"speaker":"Agent","text":"hi","start":0.5,"end":1.5}]})",
    R"({"turns":[{"speaker":"Agent","text":"hi"}]})",
    R"({"job":{"id":"j","status":"done"},"results":[]})",
    R"([{"speaker":"A","text":"hi","start":0,"end":1}])",
};

} // namespace

TEST(AssemblyAi, DiarizedUtterancesAreTurns) {
  const Call call = parse_ok("diarized-utterances.json");
  EXPECT_EQ(call.call_id, "6f1c9d2e-4b7a-4c1e-9a53-2d8e0b7f1a44");
  EXPECT_EQ(call.path, "calls/diarized-utterances.json");
  EXPECT_EQ(call.format, "assemblyai");
  EXPECT_EQ(call.fields.at("language"), "en_us");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call, k_streambox_turns);
  EXPECT_FALSE(call.turns[0].channel);
}

TEST(AssemblyAi, WordsWithSpeakersAreGrouped) {
  // The same call with `utterances` null: the words give the same turns.
  const Call call = parse_ok("words-with-speakers.json");
  EXPECT_EQ(call.call_id, "6f1c9d2e-4b7a-4c1e-9a53-2d8e0b7f1a45");
  expect_turns(call, k_streambox_turns);
}

TEST(AssemblyAi, WordsWithoutSpeakersSplitAtPauses) {
  const Call call = parse_ok("no-speakers-words.json");
  expect_turns(call, {{"", 0.5, 6.33, 0.9043875000000001,
                       "Hi, this is a message for the sales team. I'm interested in your kitchen "
                       "remodeling packages."},
                      {"", 8.2, 13.465, 0.89164,
                       "Please call me back at your earliest convenience. I heard about you on "
                       "the radio."}});
}

TEST(AssemblyAi, MultichannelKeepsChannels) {
  const Call call = parse_ok("multichannel.json");
  expect_turns(call, {{"1", 0.3, 3.595, 0.9053899999999999,
                       "Northwind Auto Glass, this is Luis. How can I help?"},
                      {"2", 4.0, 8.655, 0.9029642857142856,
                       "Hi, I have a crack in my windshield. How much would a replacement cost?"},
                      {"1", 9.05, 15.04, 0.8970882352941175,
                       "For most sedans it's between two hundred fifty and three hundred dollars, "
                       "and we come to you."},
                      {"2", 15.44, 17.08, 0.91806, "Okay, can you do Saturday?"}});
  // AssemblyAI numbers channels from 1, as written.
  ASSERT_EQ(call.turns.size(), 4u);
  EXPECT_EQ(call.turns[0].channel, 1);
  EXPECT_EQ(call.turns[1].channel, 2);
  EXPECT_EQ(call.turns[2].channel, 1);
  EXPECT_EQ(call.turns[3].channel, 2);
}

TEST(AssemblyAi, TurnsInTimeOrder) {
  // Multichannel words listed channel by channel interleave by time.
  ParseResult result = k_assemblyai.parse("calls/m.json", nlohmann::json::parse(R"({"words":[
      {"text":"Hello,","start":0,"end":400,"channel":"1","speaker":"1"},
      {"text":"thanks.","start":3000,"end":3400,"channel":"1","speaker":"1"},
      {"text":"Hi","start":1000,"end":1300,"channel":"2","speaker":"2"},
      {"text":"there.","start":1350,"end":1700,"channel":"2","speaker":"2"}]})"));
  ASSERT_EQ(result.error, "");
  const auto& turns = result.calls.at(0).turns;
  ASSERT_EQ(turns.size(), 3u);
  EXPECT_EQ(turns[0].text, "Hello,");
  EXPECT_EQ(turns[1].text, "Hi there.");
  EXPECT_EQ(turns[1].channel, 2);
  EXPECT_DOUBLE_EQ(*turns[1].end_s, 1.7);
  EXPECT_EQ(turns[2].text, "thanks.");
  // Utterances out of order are sorted by start.
  result = k_assemblyai.parse("calls/u.json", nlohmann::json::parse(R"({"utterances":[
      {"speaker":"B","start":2000,"end":2500,"text":"Second."},
      {"speaker":"A","start":100,"end":900,"text":"First."}]})"));
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.calls.at(0).turns.size(), 2u);
  EXPECT_EQ(result.calls[0].turns[0].text, "First.");
  EXPECT_EQ(result.calls[0].turns[1].speaker, "B");
}

TEST(AssemblyAi, FailedAndUnfinishedJobsSayWhy) {
  const ParseResult result =
      k_assemblyai.parse("calls/error.json", callsight::test::load_fixture("assemblyai/error.json"));
  EXPECT_TRUE(result.calls.empty());
  EXPECT_EQ(result.error, "AssemblyAI JSON: transcription failed: Download error, unable to "
                          "download https://storage.example.com/calls/0412.mp3. Please make sure "
                          "the file exists and is accessible from the internet.");
  EXPECT_EQ(parse_error(R"({"id":"x","status":"error"})"),
            "AssemblyAI JSON: transcription failed: no reason given");
  EXPECT_EQ(parse_error(R"({"id":"x","status":"queued","audio_url":"u","text":null})"),
            R"(AssemblyAI JSON: transcript is not completed (status "queued"))");
}

TEST(AssemblyAi, TextOnlyAndEmpty) {
  ParseResult result = k_assemblyai.parse(
      "calls/t.json",
      nlohmann::json::parse(
          R"({"id":"t1","status":"completed","text":" Hello there. ","words":[],"utterances":null,"confidence":0.93})"));
  ASSERT_EQ(result.error, "");
  ASSERT_EQ(result.calls.at(0).turns.size(), 1u);
  const Turn& turn = result.calls[0].turns[0];
  EXPECT_EQ(turn.text, "Hello there.");
  EXPECT_EQ(turn.speaker, "");
  EXPECT_DOUBLE_EQ(*turn.confidence, 0.93);
  EXPECT_FALSE(turn.start_s);
  EXPECT_EQ(result.calls[0].call_id, "t1");

  EXPECT_EQ(parse_error(R"({"id":"t2","status":"completed","text":"","words":[],"utterances":[]})"),
            "empty transcript (no text)");
  EXPECT_EQ(parse_error(R"({"id":"t3","status":"completed","text":null,"words":null})"),
            "empty transcript (no text)");
}

TEST(AssemblyAi, CallIdFallsBackToPath) {
  const ParseResult result = k_assemblyai.parse(
      "calls/c-77.json",
      nlohmann::json::parse(
          R"({"utterances":[{"speaker":"A","start":"1000","end":2500,"confidence":1.2,"text":"Hi.","words":[]}]})"));
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.calls.at(0).call_id, "c-77");
  const Turn& turn = result.calls[0].turns.at(0);
  EXPECT_DOUBLE_EQ(*turn.start_s, 1.0);
  EXPECT_DOUBLE_EQ(*turn.end_s, 2.5);
  EXPECT_DOUBLE_EQ(*turn.confidence, 1.0); // clamped
}

TEST(AssemblyAi, MalformedMembersNameTheMember) {
  EXPECT_EQ(parse_error(R"("text")"), "AssemblyAI JSON: the document is not an object");
  EXPECT_EQ(parse_error(R"({"status":7})"), R"(AssemblyAI JSON: "status" is not a string)");
  EXPECT_EQ(parse_error(R"({"status":"completed","utterances":{}})"),
            R"(AssemblyAI JSON: "utterances" is not an array)");
  EXPECT_EQ(parse_error(R"({"status":"completed","words":"a b"})"),
            R"(AssemblyAI JSON: "words" is not an array)");
  EXPECT_EQ(parse_error(R"({"utterances":[[]]})"),
            R"(AssemblyAI JSON: "utterances[0]" is not an object)");
  EXPECT_EQ(parse_error(R"({"utterances":[{"speaker":"A","start":0,"end":1}]})"),
            R"(AssemblyAI JSON: "utterances[0].text" is missing)");
  EXPECT_EQ(parse_error(R"({"utterances":[{"speaker":"A","start":"x","end":1,"text":"a"}]})"),
            R"(AssemblyAI JSON: "utterances[0].start" is not a number)");
  EXPECT_EQ(parse_error(R"({"utterances":[{"speaker":true,"start":0,"end":1,"text":"a"}]})"),
            R"(AssemblyAI JSON: "utterances[0].speaker" is not a string or an integer)");
  EXPECT_EQ(parse_error(R"({"utterances":[{"start":0,"end":1,"text":"a","channel":"left"}]})"),
            R"(AssemblyAI JSON: "utterances[0].channel" is not an integer)");
  EXPECT_EQ(parse_error(R"({"utterances":[{"start":0,"end":1,"text":"a","confidence":"hi"}]})"),
            R"(AssemblyAI JSON: "utterances[0].confidence" is not a number)");
  EXPECT_EQ(
      parse_error(R"({"words":[{"text":"a","start":0,"end":1},{"text":"b","start":1,"end":2},5]})"),
      R"(AssemblyAI JSON: "words[2]" is not an object)");
  EXPECT_EQ(parse_error(R"({"words":[{"text":"a","start":0}]})"),
            R"(AssemblyAI JSON: "words[0].end" is missing)");
  EXPECT_EQ(parse_error(R"({"id":5,"status":"completed"})"),
            R"(AssemblyAI JSON: "id" is not a string)");
}

TEST(AssemblyAi, RecognizesAssemblyAiShapesOnly) {
  for (const char* name : {"diarized-utterances.json", "words-with-speakers.json",
                           "no-speakers-words.json", "multichannel.json", "error.json"}) {
    EXPECT_TRUE(k_assemblyai.recognizes(callsight::test::load_fixture(std::string("assemblyai/") + name))) << name;
  }
  // Utterances kept on their own, in AssemblyAI's shape (ms integers).
  EXPECT_TRUE(k_assemblyai.recognizes(nlohmann::json::parse(
      R"({"utterances":[{"speaker":"A","start":240,"end":900,"confidence":0.9,"text":"Hi","words":[]}]})")));
  for (const char* name :
       {"whisper-json/openai-pricing-call.json", "whisper-json/whisperx-diarized.json",
        "deepgram/words-diarized.json", "deepgram/utterances-diarized.json"}) {
    EXPECT_FALSE(k_assemblyai.recognizes(callsight::test::load_fixture(name))) << name;
  }
  for (const char* text : k_other_engines) {
    EXPECT_FALSE(k_assemblyai.recognizes(nlohmann::json::parse(text))) << text;
  }
}
