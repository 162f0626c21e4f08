// Unit tests for src/formats: plain-text transcripts with and without labels.
#include <gtest/gtest.h>

#include "callsight/formats.hpp"

using namespace callsight;

namespace {

Call parse(std::string_view text, std::string_view path = "calls/c-1.txt") {
  ParseResult result = parse_plain_text(path, text);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.calls.size(), 1u);
  return result.calls.empty() ? Call{} : result.calls.front();
}

} // namespace

TEST(PlainText, RoleLabels) {
  const Call call = parse("Agent: Thanks for calling.\nCustomer: How much is it?\n"
                          "Rep: Forty-nine.\nCaller: OK.\n");
  ASSERT_EQ(call.turns.size(), 4u);
  EXPECT_EQ(call.turns[0].role, Role::agent);
  EXPECT_EQ(call.turns[1].role, Role::customer);
  EXPECT_EQ(call.turns[1].text, "How much is it?");
  EXPECT_EQ(call.turns[2].role, Role::agent);
  EXPECT_EQ(call.turns[3].role, Role::customer);
  EXPECT_EQ(call.call_id, "c-1");
  EXPECT_EQ(call.format, "text");
}

TEST(PlainText, TimestampsBeforeAndAfterLabels) {
  const Call call = parse("[00:01:02] Agent: Hello.\n(01:05) Caller: Hi.\n"
                          "Agent [00:02:00.5]: Sure.\n00:03:10 Customer: Bye.\n");
  ASSERT_EQ(call.turns.size(), 4u);
  EXPECT_DOUBLE_EQ(*call.turns[0].start_s, 62.0);
  EXPECT_DOUBLE_EQ(*call.turns[1].start_s, 65.0);
  EXPECT_EQ(call.turns[1].role, Role::customer);
  EXPECT_DOUBLE_EQ(*call.turns[2].start_s, 120.5);
  EXPECT_EQ(call.turns[2].speaker, "Agent");
  EXPECT_DOUBLE_EQ(*call.turns[3].start_s, 190.0);
  EXPECT_EQ(call.turns[3].text, "Bye.");
}

TEST(PlainText, NamesGenericLabelsAndContinuations) {
  const Call call = parse("Maria: Northwind, this is Maria.\nTom Becker: Hi, my furnace\n"
                          "is making a noise.\n\nand it smells.\nMaria: Oh no.\n"
                          "Tom Becker: Yes.\nSpeaker 1: generic\nSPEAKER_00: also generic\n");
  ASSERT_EQ(call.turns.size(), 6u);
  EXPECT_EQ(call.turns[0].speaker, "Maria");
  EXPECT_EQ(call.turns[0].role, Role::unknown);
  EXPECT_EQ(call.turns[1].text, "Hi, my furnace\nis making a noise.\nand it smells.");
  EXPECT_EQ(call.turns[4].speaker, "Speaker 1");
  EXPECT_EQ(call.turns[5].speaker, "SPEAKER_00");
}

TEST(PlainText, WhisperXBracketedSpeakerLabels) {
  const Call call = parse("[SPEAKER_00]: Thank you for calling.\n[SPEAKER_01]: How much is it?\n"
                          "[SPEAKER_00]: It is 129 dollars.\n");
  ASSERT_EQ(call.turns.size(), 3u);
  EXPECT_EQ(call.turns[0].speaker, "SPEAKER_00");
  EXPECT_EQ(call.turns[1].speaker, "SPEAKER_01");
  EXPECT_EQ(call.turns[1].text, "How much is it?");
}

TEST(PlainText, SingleCapitalizedPrefixIsNotASpeaker) {
  const Call call = parse("Agent: When works?\nCustomer: Let me see.\nTuesday: works for me.\n");
  ASSERT_EQ(call.turns.size(), 2u);
  EXPECT_EQ(call.turns[1].text, "Let me see.\nTuesday: works for me.");
}

TEST(PlainText, HeaderBlockBecomesFields) {
  const Call call = parse("Call ID: call-0012\nDate: 2026-10-14 09:32\nCampaign: tv_spot_q4\n"
                          "-----\n\nAgent: Hello.\nCustomer: Hi.\n");
  EXPECT_EQ(call.call_id, "call-0012");
  EXPECT_EQ(call.fields.at("date"), "2026-10-14 09:32");
  EXPECT_EQ(call.fields.at("campaign"), "tv_spot_q4");
  ASSERT_EQ(call.turns.size(), 2u);
}

TEST(PlainText, NoLabelsMeansOneTurnPerParagraph) {
  const Call call = parse("Hello thanks for calling\nhow can I help\n\nI need a quote\n\n\nSure\n");
  ASSERT_EQ(call.turns.size(), 3u);
  EXPECT_EQ(call.turns[0].text, "Hello thanks for calling\nhow can I help");
  EXPECT_EQ(call.turns[0].role, Role::unknown);
  EXPECT_EQ(call.turns[2].text, "Sure");
}

TEST(PlainText, UrlsAndClockTimesAreNotLabels) {
  const Call call = parse("Customer: see https://example.com at 10:30 ok\n");
  ASSERT_EQ(call.turns.size(), 1u);
  EXPECT_EQ(call.turns[0].text, "see https://example.com at 10:30 ok");
}

TEST(PlainText, EmptyTranscriptIsAnError) {
  EXPECT_EQ(parse_plain_text("x.txt", "").error, "empty transcript (no text)");
  EXPECT_EQ(parse_plain_text("x.txt", " \n\n---\n").error, "empty transcript (no text)");
}

TEST(Roles, FromLabels) {
  EXPECT_EQ(role_from_label("Customer Service"), Role::agent);
  EXPECT_EQ(role_from_label("customer"), Role::customer);
  EXPECT_EQ(role_from_label("Agent Maria"), Role::agent);
  EXPECT_EQ(role_from_label("Speaker 1"), Role::unknown);
  EXPECT_EQ(role_from_label("Maria"), Role::unknown);
}

TEST(Detect, JsonIsNotReadAsText) {
  EXPECT_EQ(detect_format("a.txt", "Agent: hi"), "text");
  EXPECT_EQ(detect_format("a.json", "{}"), "json");
  EXPECT_EQ(detect_format("a", "  [{\"text\": 1}]"), "json");
  EXPECT_EQ(detect_format("a", "[00:00:03] Agent: hi"), "text");
  const ParseResult result = parse_transcript("a.json", "{\"x\":1}", "auto");
  EXPECT_NE(result.error.find("unrecognized transcript format"), std::string::npos);
  EXPECT_EQ(call_id_from_path("dir/sub/call-7.txt"), "call-7");
  EXPECT_EQ(call_id_from_path("-"), "stdin");
}
