// Tests for the parse limits (--max-turns, --max-json-depth): every format
// path refuses a file over a limit with a reason that names the option.
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "callsight/formats.hpp"

namespace callsight {
namespace {

std::string labelled_turns(std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += i % 2 == 0 ? "Agent: hello\n" : "Customer: how much is it\n";
  }
  return text;
}

TEST(ParseLimits, DefaultsAreSane) {
  const ParseLimits limits;
  EXPECT_EQ(limits.max_turns, 100000u);
  EXPECT_EQ(limits.max_json_depth, 256u);
}

TEST(ParseLimits, TurnLimitIsInclusive) {
  ParseLimits limits;
  limits.max_turns = 3;
  const ParseResult at_limit = parse_transcript("a.txt", labelled_turns(3), "auto", limits);
  ASSERT_TRUE(at_limit.error.empty()) << at_limit.error;
  EXPECT_EQ(at_limit.calls.at(0).turns.size(), 3u);
  const ParseResult over = parse_transcript("a.txt", labelled_turns(4), "auto", limits);
  EXPECT_TRUE(over.calls.empty());
  EXPECT_EQ(over.error, "4 turns, over the 3-turn limit (--max-turns)");
}

// Plain text enforces the limit while it parses (it holds at most the limit's
// turns), so the count must still be exact on every parsing path.
TEST(ParseLimits, PlainTextCountsTurnsPastTheLimitExactly) {
  ParseLimits limits;
  limits.max_turns = 3;
  // Labels (one pass), names (a census first), unlabelled paragraphs, and
  // text before the first label (which joins into one turn).
  const std::pair<std::string, std::size_t> cases[] = {
      {labelled_turns(7), 7},
      {"Maria: a\nJohn: b\nMaria: c\nJohn: d\nMaria: e\n", 5},
      {"one\n\ntwo\n\nthree\n\nfour\n", 4},
      {"intro\n\nmore intro\nAgent: a\nCustomer: b\nAgent: c\nCustomer: d\n", 5},
  };
  for (const auto& [text, turns] : cases) {
    const ParseResult over = parse_plain_text("a.txt", text, limits);
    EXPECT_TRUE(over.calls.empty()) << text;
    EXPECT_EQ(over.error, std::to_string(turns) + " turns, over the 3-turn limit (--max-turns)")
        << text;
    limits.max_turns = turns;
    const ParseResult at_limit = parse_plain_text("a.txt", text, limits);
    ASSERT_TRUE(at_limit.error.empty()) << text << ": " << at_limit.error;
    EXPECT_EQ(at_limit.calls.at(0).turns.size(), turns) << text;
    limits.max_turns = 3;
  }
}

// Label lines without text make no turn, so they do not count toward the limit.
TEST(ParseLimits, PlainTextLabelsWithoutTextDoNotCount) {
  ParseLimits limits;
  limits.max_turns = 1;
  std::string text;
  for (int i = 0; i < 1000; ++i) {
    text += "Agent:\n";
  }
  text += "Customer: I want to cancel\n";
  const ParseResult result = parse_plain_text("a.txt", text, limits);
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.calls.at(0).turns.size(), 1u);
  EXPECT_EQ(result.calls.at(0).turns[0].text, "I want to cancel");
  EXPECT_EQ(parse_plain_text("a.txt", "Agent:\nCustomer:\n", limits).error,
            "empty transcript (no text)");
}

TEST(ParseLimits, TurnLimitAppliesToEveryFormatAndNamesTheCall) {
  ParseLimits limits;
  limits.max_turns = 2;
  const std::string csv = "call_id,speaker,text\n"
                          "small,Agent,hi\n"
                          "big,Agent,hi\n"
                          "big,Customer,how much\n"
                          "big,Agent,ninety\n";
  const ParseResult table = parse_transcript("calls.csv", csv, "auto", limits);
  EXPECT_TRUE(table.calls.empty());
  EXPECT_EQ(table.error, "call 'big' has 3 turns, over the 2-turn limit (--max-turns)");
  const std::string json = R"({"turns": [{"speaker": "A", "text": "hi"},
                                         {"speaker": "B", "text": "yes"},
                                         {"speaker": "A", "text": "ok"}]})";
  EXPECT_EQ(parse_transcript("a.json", json, "auto", limits).error,
            "3 turns, over the 2-turn limit (--max-turns)");
  EXPECT_EQ(parse_transcript("a.json", json, "json-turns", limits).error,
            "3 turns, over the 2-turn limit (--max-turns)");
  limits.max_turns = 3;
  EXPECT_TRUE(parse_transcript("a.json", json, "auto", limits).error.empty());
}

TEST(ParseLimits, JsonDepthIsEnforcedForDocumentsAndLines) {
  ParseLimits limits;
  limits.max_json_depth = 3;
  const std::string shallow = R"({"turns": [{"speaker": "A", "text": "hi"}]})";
  EXPECT_TRUE(parse_transcript("a.json", shallow, "auto", limits).error.empty());
  const std::string deep = R"({"turns": [{"speaker": "A", "text": "hi", "x": [1]}]})";
  EXPECT_EQ(parse_transcript("a.json", deep, "auto", limits).error,
            "JSON nested deeper than 3 levels (--max-json-depth) at 1:48");
  // A forced format goes through the same parse.
  EXPECT_EQ(parse_transcript("a.json", deep, "whisper-json", limits).error,
            "JSON nested deeper than 3 levels (--max-json-depth) at 1:48");

  const std::string lines = "{\"speaker\": \"A\", \"text\": \"hi\"}\n"
                            "{\"speaker\": \"B\", \"text\": \"yes\", \"x\": [[[1]]]}\n";
  EXPECT_TRUE(parse_transcript("a.jsonl", lines, "auto").error.empty());
  EXPECT_EQ(parse_transcript("a.jsonl", lines, "auto", limits).error,
            "JSONL turns: line 2: JSON nested deeper than 3 levels (--max-json-depth) at "
            "column 40");
  EXPECT_EQ(parse_transcript("a.txt", lines, "jsonl-turns", limits).error,
            parse_transcript("a.jsonl", lines, "auto", limits).error);
}

TEST(ParseLimits, MillionDeepDocumentIsRefusedQuickly) {
  const std::string deep(1000000, '[');
  const ParseResult result = parse_transcript("deep.json", deep, "auto");
  EXPECT_EQ(result.error, "JSON nested deeper than 256 levels (--max-json-depth) at 1:257");
  const ParseResult lines = parse_transcript("deep.jsonl", "{\"a\":" + deep, "auto");
  EXPECT_NE(lines.error.find("nested deeper than 256 levels"), std::string::npos) << lines.error;
}

} // namespace
} // namespace callsight
