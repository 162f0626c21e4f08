// Unit tests for src/formats/captions.cpp: WebVTT and SRT captions into turns.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"

using namespace callsight;
using callsight::test::expect_turns;

namespace {

std::string read_fixture(const std::string& relative) {
  std::ifstream in(std::string(CALLSIGHT_TEST_FIXTURES) + "/formats/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The one call a caption format reads from a fixture it recognizes.
Call parse_fixture(const formats::TextFormat& format, const std::string& relative) {
  const std::string path = "calls/" + relative;
  const std::string text = read_fixture(relative);
  EXPECT_TRUE(format.recognizes(path, text)) << relative;
  ParseResult result = format.parse(path, text);
  EXPECT_EQ(result.error, "") << relative;
  EXPECT_EQ(result.calls.size(), 1u) << relative;
  return result.calls.empty() ? Call{} : std::move(result.calls.front());
}

Call parse_text(const formats::TextFormat& format, std::string_view text,
                std::string_view path = "calls/c-7.vtt") {
  ParseResult result = format.parse(path, text);
  EXPECT_EQ(result.error, "") << text;
  EXPECT_EQ(result.calls.size(), 1u) << text;
  return result.calls.empty() ? Call{} : std::move(result.calls.front());
}

std::string parse_error(const formats::TextFormat& format, std::string_view text) {
  const ParseResult result = format.parse("calls/bad", text);
  EXPECT_TRUE(result.calls.empty()) << text;
  return result.error;
}

} // namespace

// --- WebVTT -------------------------------------------------------------------

TEST(WebVtt, TeamsVoiceTagsMergeConsecutiveCuesOfOneSpeaker) {
  const Call call = parse_fixture(formats::k_webvtt, "webvtt/teams_voice_tags.vtt");
  EXPECT_EQ(call.call_id, "teams_voice_tags");
  EXPECT_EQ(call.path, "calls/webvtt/teams_voice_tags.vtt");
  EXPECT_EQ(call.format, "webvtt");
  EXPECT_EQ(call.role_source, RoleSource::none); // names: roles are inferred later
  expect_turns(call, {
                         {"Maria Lopez", 0.64, 6.9, std::nullopt,
                          "Thank you for calling Northwind Heating, this is Maria. How can I help "
                          "you today?"},
                         {"Tom Becker", 7.3, 15.05, std::nullopt,
                          "Hi, I saw your ad on Facebook about the spring tune-up special. How "
                          "much is it?"},
                         {"Maria Lopez", 15.6, 21.2, std::nullopt,
                          "It's eighty-nine dollars through the end of April, and that includes "
                          "the filter."},
                         {"Tom Becker", 21.9, 26.3, std::nullopt,
                          "Great, can I book it for Saturday morning?"},
                     });
}

TEST(WebVtt, ZoomNamePrefixesGiveRolesAndUnlabelledCuesContinue) {
  const Call call = parse_fixture(formats::k_webvtt, "webvtt/zoom_name_prefix.vtt");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  EXPECT_DOUBLE_EQ(call.role_confidence, 1.0);
  expect_turns(call, {
                         {"Agent", 1.02, 3.5, std::nullopt,
                          "Good morning, Brightline Internet, this is Sam.", Role::agent},
                         {"Customer", 4.01, 9.75, std::nullopt,
                          "Hi Sam, I want to cancel my plan. The bill went up again and it's too "
                          "expensive.",
                          Role::customer},
                         {"Agent", 10.2, 18.0, std::nullopt,
                          "I'm sorry to hear that. I can offer you the loyalty rate of forty "
                          "dollars a month for the next twelve months.",
                          Role::agent},
                         {"Customer", 18.9, 22.3, std::nullopt, "Forty? OK, that works. I'll stay.",
                          Role::customer},
                     });
}

TEST(WebVtt, SkipsHeaderNoteStyleRegionAndStripsMarkup) {
  const Call call = parse_fixture(formats::k_webvtt, "webvtt/styled_notes.vtt");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  expect_turns(call, {
                         {"Agent", 0.5, 3.25, std::nullopt,
                          "Hi, you've reached Acme Solar & Storage.", Role::agent},
                         {"Caller", 3.25, 8.0, std::nullopt,
                          "I heard your radio spot on KXLU <the morning show> and I want a quote.",
                          Role::customer},
                         {"Agent", 8.4, 12.9, std::nullopt,
                          "Sure. How did you hear about us again, the radio?", Role::agent},
                         {"Caller", 13.0, 15.5, std::nullopt,
                          "Yes, the radio \xE2\x80\x94 and my neighbor too.", Role::customer},
                     });
}

TEST(WebVtt, CuesWithoutSpeakersStayApart) {
  const Call call = parse_fixture(formats::k_webvtt, "webvtt/no_speakers.vtt");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(
      call, {
                {"", 0.0, 3.0, std::nullopt, "Thanks for calling Summit Dental, how can I help?"},
                {"", 3.5, 7.25, std::nullopt,
                 "I'd like to schedule a cleaning. Do you take Delta insurance?"},
                {"", 7.8, 11.0, std::nullopt,
                 "We do. The first visit is free for new patients this month."},
            });
}

TEST(WebVtt, EmptyAndMalformedFiles) {
  EXPECT_EQ(parse_error(formats::k_webvtt, read_fixture("webvtt/empty.vtt")),
            "empty transcript (no text)");
  EXPECT_EQ(parse_error(formats::k_webvtt, ""), "empty transcript (no text)");
  EXPECT_EQ(parse_error(formats::k_webvtt, read_fixture("webvtt/bad_timing.vtt")),
            "WebVTT: line 8: malformed cue timing \"00:00:03.000 --> soon\" (expected "
            "00:00:01.000 --> 00:00:04.000)");
}

TEST(WebVtt, Recognizes) {
  EXPECT_TRUE(formats::k_webvtt.recognizes("a.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n"));
  EXPECT_TRUE(formats::k_webvtt.recognizes("a.txt", "WEBVTT"));
  EXPECT_TRUE(formats::k_webvtt.recognizes("a.txt", "WEBVTT - title\r\n"));
  EXPECT_TRUE(formats::k_webvtt.recognizes("dir/A.VTT", "00:01.000 --> 00:02.000\nhi\n"));
  EXPECT_FALSE(formats::k_webvtt.recognizes("a.txt", "WEBVTTX\n"));
  EXPECT_FALSE(formats::k_webvtt.recognizes("a.txt", "Agent: WEBVTT is a format\n"));
  EXPECT_FALSE(formats::k_webvtt.recognizes("a.srt", read_fixture("srt/name_prefixes.srt")));
}

TEST(WebVtt, HeaderWithoutBlankLineAndLoneCarriageReturns) {
  const Call call =
      parse_text(formats::k_webvtt, "WEBVTT\r00:00:01.000 --> 00:00:02.000\rAgent: Hi.\r\r"
                                    "00:00:02.500 --> 00:00:04.000\rCaller: Hello.");
  expect_turns(call, {
                         {"Agent", 1.0, 2.0, std::nullopt, "Hi.", Role::agent},
                         {"Caller", 2.5, 4.0, std::nullopt, "Hello.", Role::customer},
                     });
}

TEST(WebVtt, AnglesThatAreNotTagsStayText) {
  const Call call =
      parse_text(formats::k_webvtt, "WEBVTT\n\n00:01.000 --> 00:02.000\nI pay <5 and >3 or a < b, "
                                    "x <3.5> y &unknown; &#0; &#x1F600; A&B\n");
  ASSERT_EQ(call.turns.size(), 1u);
  EXPECT_EQ(call.turns[0].text,
            "I pay <5 and >3 or a < b, x <3.5> y &unknown; &#0; \xF0\x9F\x98\x80 A&B");
}

TEST(WebVtt, SeveralVoicesInOneCueAndVoiceWithoutName) {
  const Call call = parse_text(formats::k_webvtt, "WEBVTT\n\n00:01.000 --> 00:03.000\n"
                                                  "<v Agent>Hi.</v> <v Customer>Hello.</v>\n\n"
                                                  "00:03.000 --> 00:04.000\n<v>Anyone?\n");
  expect_turns(call, {
                         {"Agent", 1.0, 3.0, std::nullopt, "Hi."},
                         {"Customer", 1.0, 3.0, std::nullopt, "Hello."},
                         {"", 3.0, 4.0, std::nullopt, "Anyone?"},
                     });
  EXPECT_EQ(call.role_source, RoleSource::none); // one turn has no role: all are cleared
}

TEST(WebVtt, ProseColonsAreNotSpeakers) {
  const Call call = parse_text(formats::k_webvtt,
                               "WEBVTT\n\n00:01.000 --> 00:02.000\nNote: the price went up.\n\n"
                               "00:02.000 --> 00:03.000\nAgent said this: call back.\n\n"
                               "00:03.000 --> 00:04.000\nAt 10:30 works.\nStep 2: done.\n\n"
                               "00:04.000 --> 00:05.000\nSPEAKER_01: yes\n\n"
                               "00:05.000 --> 00:06.000\nspk_0: no\n\n"
                               "00:06.000 --> 00:07.000\nSpeaker 2: maybe\n");
  expect_turns(call, {
                         {"", 1.0, 2.0, std::nullopt, "Note: the price went up."},
                         {"", 2.0, 3.0, std::nullopt, "Agent said this: call back."},
                         {"", 3.0, 4.0, std::nullopt, "At 10:30 works. Step 2: done."},
                         {"SPEAKER_01", 4.0, 5.0, std::nullopt, "yes"},
                         {"spk_0", 5.0, 6.0, std::nullopt, "no"},
                         {"Speaker 2", 6.0, 7.0, std::nullopt, "maybe"},
                     });
}

TEST(WebVtt, PartlyKnownRolesAreLeftToInference) {
  const Call call =
      parse_text(formats::k_webvtt, "WEBVTT\n\n00:01.000 --> 00:02.000\nAgent: Hi.\n\n"
                                    "00:02.000 --> 00:03.000\nMaria: Hello.\n");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call, {
                         {"Agent", 1.0, 2.0, std::nullopt, "Hi."},
                         {"Maria", 2.0, 3.0, std::nullopt, "Hello."},
                     });
}

TEST(WebVtt, LongHoursAndBlocksWithoutTimingAreSkipped) {
  const Call call = parse_text(formats::k_webvtt, "WEBVTT\n\nstray text block\n\n"
                                                  "100:00:00.000 --> 100:00:01.500\nLate.\n");
  expect_turns(call, {{"", 360000.0, 360001.5, std::nullopt, "Late."}});
}

// --- SRT ----------------------------------------------------------------------

TEST(Srt, NamePrefixesFontTagsAndContinuations) {
  const Call call = parse_fixture(formats::k_srt, "srt/name_prefixes.srt");
  EXPECT_EQ(call.call_id, "name_prefixes");
  EXPECT_EQ(call.format, "srt");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  expect_turns(
      call,
      {
          {"Agent", 0.5, 6.2, std::nullopt,
           "Thanks for calling Green Valley Auto, this is Priya. How can I help?", Role::agent},
          {"Caller", 6.9, 11.4, std::nullopt,
           "Hi, my brother recommended you. I need new brakes, what's the price "
           "range?",
           Role::customer},
          {"Agent", 11.9, 17.3, std::nullopt,
           "Brake pads start at one forty-nine per axle, and we have ten percent "
           "off for referrals.",
           Role::agent},
          {"Caller", 17.9, 20.1, std::nullopt, "Perfect, I'll come in Thursday.", Role::customer},
      });
}

TEST(Srt, DialogueDashesBracketNamesAndSoundDescriptions) {
  const Call call = parse_fixture(formats::k_srt, "srt/dialogue_dashes.srt");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call,
               {
                   {"Dana", 2.5, 6.0, std::nullopt, "Coastal Movers, Dana speaking."},
                   {"Luis", 2.5, 6.0, std::nullopt, "Hi, I need a quote for a two-bedroom move."},
                   {"Dana", 6.4, 10.9, std::nullopt,
                    "Sure. Local moves are one twenty an hour for a crew of three."},
                   {"Luis", 11.2, 14.0, std::nullopt, "That seems high. U-Haul quoted less."},
                   {"Dana", 11.2, 14.0, std::nullopt, "We include insurance and packing."},
                   {"Luis", 16.0, 19.7, std::nullopt, "OK, send me the estimate by email."},
               });
}

TEST(Srt, IndexAfterBlankLineAndNumericText) {
  const Call call = parse_fixture(formats::k_srt, "srt/no_speakers.srt");
  expect_turns(
      call,
      {
          {"", 0.0, 2.4, std::nullopt, "Hello, Riverside Pet Clinic."},
          {"", 2.9, 6.1, std::nullopt, "Hi, do you have any openings for a vaccine appointment?"},
          {"", 6.6, 9.0, std::nullopt, "We have Tuesday at ten. It's forty-five dollars."},
          {"", 9.0, 10.5, std::nullopt, "2"},
      });
}

TEST(Srt, EmptyAndMalformedFiles) {
  EXPECT_EQ(parse_error(formats::k_srt, read_fixture("srt/empty.srt")),
            "empty transcript (no text)");
  EXPECT_EQ(parse_error(formats::k_srt, "1\n00:00:01,000 --> 00:00:02,000\n[Music]\n"),
            "empty transcript (no text)");
  EXPECT_EQ(parse_error(formats::k_srt, read_fixture("srt/bad_timing.srt")),
            "SRT: line 6: malformed cue timing \"00:00:02,000 --> 00:00:0x,000\" (expected "
            "00:00:01,000 --> 00:00:04,000)");
}

TEST(Srt, Recognizes) {
  EXPECT_TRUE(formats::k_srt.recognizes("x/a.SRT", ""));
  EXPECT_TRUE(formats::k_srt.recognizes("a.txt", "\n\n1\r\n00:00:01,000 --> 00:00:04,000\r\nhi"));
  EXPECT_TRUE(formats::k_srt.recognizes("a.txt", "12\n00:00:01.000 --> 00:00:04.000 X1:10\nhi"));
  EXPECT_FALSE(formats::k_srt.recognizes("a.txt", "1\nAgent: hello\n"));
  EXPECT_FALSE(formats::k_srt.recognizes("a.txt", "Agent: 1\n00:00:01,000 --> 00:00:04,000\n"));
  EXPECT_FALSE(formats::k_srt.recognizes("a.vtt", read_fixture("webvtt/zoom_name_prefix.vtt")));
  EXPECT_FALSE(formats::k_srt.recognizes("a.txt", ""));
}

TEST(Srt, AnnotationsAndPrefixForms) {
  const Call call = parse_text(formats::k_srt,
                               "1\n00:00:01,000 --> 00:00:02,000\n[laughs] yeah, sure\n\n"
                               "2\n00:00:02,000 --> 00:00:03,000\n[Agent]: Anything else?\n\n"
                               "3\n00:00:03,000 --> 00:00:04,000\n(phone ringing)\n-\n\n"
                               "4\n00:00:04,000 --> 00:00:05,000\n- No, thanks.\n",
                               "calls/c-8.srt");
  expect_turns(call, {
                         {"", 1.0, 2.0, std::nullopt, "[laughs] yeah, sure"},
                         {"Agent", 2.0, 3.0, std::nullopt, "Anything else?"},
                         {"", 4.0, 5.0, std::nullopt, "No, thanks."},
                     });
}

TEST(Srt, TextBeforeTheFirstCueIsIgnored) {
  const Call call = parse_text(formats::k_srt,
                               "subtitles by someone\n1\n00:00:01,000 --> 00:00:02,000\nAgent: "
                               "Hi.\n",
                               "calls/c-9.srt");
  expect_turns(call, {{"Agent", 1.0, 2.0, std::nullopt, "Hi.", Role::agent}});
}
