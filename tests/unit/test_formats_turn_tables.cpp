// Unit tests for the turn-table formats: src/formats/csv_turns.cpp (CSV),
// src/formats/generic_json.cpp (JSON and JSONL of turns) and their shared
// helpers in src/formats/turn_table.hpp.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "callsight/formats.hpp"

#include "engine_json_test_support.hpp"
#include "formats/registry.hpp"
#include "formats/turn_table.hpp"

using namespace callsight;
using callsight::test::expect_turns;
namespace tt = callsight::formats::turn_table;

namespace {

std::string read_fixture(const std::string& relative) {
  std::ifstream in(std::string(CALLSIGHT_TEST_FIXTURES) + "/formats/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// All calls a text format reads from a fixture it recognizes.
std::vector<Call> parse_text_fixture(const formats::TextFormat& format,
                                     const std::string& relative) {
  const std::string path = "calls/" + relative;
  const std::string text = read_fixture(relative);
  EXPECT_TRUE(format.recognizes(path, text)) << relative;
  ParseResult result = format.parse(path, text);
  EXPECT_EQ(result.error, "") << relative;
  return std::move(result.calls);
}

std::vector<Call> parse_text(const formats::TextFormat& format, std::string_view text,
                             std::string_view path) {
  ParseResult result = format.parse(path, text);
  EXPECT_EQ(result.error, "") << text;
  return std::move(result.calls);
}

std::string text_error(const formats::TextFormat& format, std::string_view text,
                       std::string_view path) {
  const ParseResult result = format.parse(path, text);
  EXPECT_TRUE(result.calls.empty()) << text;
  return result.error;
}

Call parse_json_text(std::string_view json_text, std::string_view path = "calls/j-1.json") {
  ParseResult result = formats::k_generic_json_turns.parse(path, nlohmann::json::parse(json_text));
  EXPECT_EQ(result.error, "") << json_text;
  EXPECT_EQ(result.calls.size(), 1u) << json_text;
  return result.calls.empty() ? Call{} : std::move(result.calls.front());
}

std::string json_error(std::string_view json_text) {
  return callsight::test::parse_error(formats::k_generic_json_turns, json_text);
}

bool json_recognized(std::string_view json_text) {
  return formats::k_generic_json_turns.recognizes(nlohmann::json::parse(json_text));
}

} // namespace

// --- shared helpers -----------------------------------------------------------

TEST(TurnTable, NormalizesNamesAndMatchesAliases) {
  EXPECT_EQ(tt::normalize_name("Start Time"), "start_time");
  EXPECT_EQ(tt::normalize_name("startTime"), "start_time");
  EXPECT_EQ(tt::normalize_name(" CallID "), "call_id");
  EXPECT_EQ(tt::normalize_name("END-TIME (ms)"), "end_time_ms");
  EXPECT_EQ(tt::field_of("Conversation ID").field, tt::Field::call_id);
  EXPECT_EQ(tt::field_of("contactId").field, tt::Field::call_id);
  EXPECT_EQ(tt::field_of("Utterance").field, tt::Field::text);
  EXPECT_EQ(tt::field_of("start_ms").unit, tt::NameUnit::milliseconds);
  EXPECT_EQ(tt::field_of("End_S").unit, tt::NameUnit::seconds);
  EXPECT_EQ(tt::field_of("begin").unit, tt::NameUnit::unstated);
  EXPECT_EQ(tt::field_of("id").field, tt::Field::other);
  EXPECT_LT(tt::field_of("speaker").rank, tt::field_of("participant").rank);
}

TEST(TurnTable, ClocksAndTimes) {
  EXPECT_DOUBLE_EQ(*tt::parse_clock("01:02:03.500"), 3723.5);
  EXPECT_DOUBLE_EQ(*tt::parse_clock("02:03,25"), 123.25);
  EXPECT_DOUBLE_EQ(*tt::parse_clock("0:00:01"), 1.0);
  EXPECT_FALSE(tt::parse_clock("1:60"));
  EXPECT_FALSE(tt::parse_clock("1:2:3:4"));
  EXPECT_FALSE(tt::parse_clock("12"));
  EXPECT_FALSE(tt::parse_clock("00:01."));
  EXPECT_FALSE(tt::parse_clock("00:01.5x"));
  EXPECT_FALSE(tt::parse_clock(""));

  const auto plain = tt::parse_time_text(" 15000 ");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->integral);
  EXPECT_FALSE(plain->absolute);
  EXPECT_FALSE(tt::parse_time_text("15000.0")->integral);
  EXPECT_DOUBLE_EQ(tt::parse_time_text("1.5s")->value, 1.5);
  EXPECT_TRUE(tt::parse_time_text("1.5s")->absolute);
  EXPECT_DOUBLE_EQ(tt::parse_time_text("1500ms")->value, 1.5);
  EXPECT_DOUBLE_EQ(tt::parse_time_text("00:01:02.5")->value, 62.5);
  EXPECT_FALSE(tt::parse_time_text("-1"));
  EXPECT_FALSE(tt::parse_time_text("soon"));
  EXPECT_FALSE(tt::parse_time_text("nan"));
  EXPECT_FALSE(tt::parse_time_text("s"));
}

TEST(TurnTable, MillisecondsGuessNeedsWholeNumbersOverTenThousand) {
  tt::TimeScale ms;
  ms.note(*tt::parse_time_text("0"), tt::NameUnit::unstated);
  ms.note(*tt::parse_time_text("15000"), tt::NameUnit::unstated);
  EXPECT_TRUE(ms.unstated_is_ms());
  EXPECT_DOUBLE_EQ(ms.seconds(*tt::parse_time_text("15000"), tt::NameUnit::unstated), 15.0);
  EXPECT_DOUBLE_EQ(ms.seconds(*tt::parse_time_text("15000"), tt::NameUnit::seconds), 15000.0);
  EXPECT_DOUBLE_EQ(ms.seconds(*tt::parse_time_text("2.5s"), tt::NameUnit::unstated), 2.5);

  tt::TimeScale mixed;
  mixed.note(*tt::parse_time_text("1.5"), tt::NameUnit::unstated);
  mixed.note(*tt::parse_time_text("15000"), tt::NameUnit::unstated);
  EXPECT_FALSE(mixed.unstated_is_ms());

  tt::TimeScale small;
  small.note(*tt::parse_time_text("9000"), tt::NameUnit::unstated);
  small.note(*tt::parse_time_text("20000"), tt::NameUnit::milliseconds);
  EXPECT_FALSE(small.unstated_is_ms());
  EXPECT_DOUBLE_EQ(small.seconds(*tt::parse_time_text("20000"), tt::NameUnit::milliseconds), 20.0);
}

TEST(TurnTable, RoleValues) {
  for (const char* agent :
       {"agent", "AGENT", "Rep", "assistant", "HUMAN_AGENT", "Representative", "automated_agent"}) {
    EXPECT_EQ(tt::role_from_value(agent), Role::agent) << agent;
  }
  for (const char* customer : {"customer", "CALLER", "user", "END_USER", "Client"}) {
    EXPECT_EQ(tt::role_from_value(customer), Role::customer) << customer;
  }
  for (const char* other : {"system", "spk_0", "Maria", ""}) {
    EXPECT_EQ(tt::role_from_value(other), Role::unknown) << other;
  }
}

TEST(TurnTable, Extensions) {
  EXPECT_TRUE(tt::has_extension("a/b.CSV", "csv"));
  EXPECT_TRUE(tt::has_extension("b.ndjson", "ndjson"));
  EXPECT_FALSE(tt::has_extension("b.csv.txt", "csv"));
  EXPECT_FALSE(tt::has_extension("csv", "csv"));
  EXPECT_FALSE(tt::has_extension(".csv", "csv"));
  EXPECT_FALSE(tt::has_extension("bcsv", "csv"));
}

// --- CSV --------------------------------------------------------------------------

TEST(CsvTurns, SeveralCallsByCallIdWithRolesAndMilliseconds) {
  const std::vector<Call> calls =
      parse_text_fixture(formats::k_csv_turns, "csv-turns/multi_call.csv");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, "CA-1001");
  EXPECT_EQ(calls[0].format, "csv-turns");
  EXPECT_EQ(calls[0].path, "calls/csv-turns/multi_call.csv");
  EXPECT_EQ(calls[0].role_source, RoleSource::labels);
  EXPECT_EQ(calls[0].fields, (std::map<std::string, std::string>{{"campaign", "spring_tuneup"}}));
  expect_turns(calls[0],
               {
                   {"Maria", 0.0, 3.2, 0.94, "Thanks for calling Northwind Heating, this is Maria.",
                    Role::agent},
                   {"Caller", 3.6, 9.1, 0.88,
                    "Hi, I saw the spring tune-up on Google. What does it cost?", Role::customer},
                   {"Maria", 9.4, 15.8, 0.91,
                    "It's eighty-nine dollars, and we can come out this Saturday.", Role::agent},
                   {"Caller", 16.2, 18.0, 0.9, "Book it please.", Role::customer},
               });
  EXPECT_EQ(calls[1].call_id, "CA-1002");
  EXPECT_EQ(calls[1].fields.at("campaign"), "radio_may");
  expect_turns(calls[1],
               {
                   {"Devon", 0.0, 2.5, 0.95, "Northwind Heating, Devon speaking.", Role::agent},
                   {"Caller", 2.9, 9.8, 0.86,
                    "I want to cancel my maintenance plan, it's too expensive.", Role::customer},
                   {"Devon", 10.1, 15.0, 0.9,
                    "I can waive the renewal fee if you stay another year.", Role::agent},
               });
}

TEST(CsvTurns, OneCallWithQuotedFieldsCrlfAndBlankRows) {
  const std::vector<Call> calls =
      parse_text_fixture(formats::k_csv_turns, "csv-turns/single_call_seconds.csv");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].call_id, "single_call_seconds");
  EXPECT_EQ(calls[0].role_source, RoleSource::none);
  expect_turns(
      calls[0],
      {
          {"Speaker 1", 0.0, 3.5, std::nullopt, "Good afternoon, Harbor Dental, this is Jen."},
          {"Speaker 2", 3.9, 9.25, std::nullopt,
           "Hi. My friend said you do free whitening with a cleaning, is that right?"},
          {"Speaker 1", 9.6, 15.0, std::nullopt,
           "Yes, for new patients through June. Do you have insurance?"},
          {"Speaker 2", 15.4, 19.8, std::nullopt,
           "Delta Dental. Also, do you have evening appointments,\r\nafter work?"},
          {"Speaker 1", 20.1, 23.0, std::nullopt, "We do, until seven on Tuesdays."},
      });
}

TEST(CsvTurns, Errors) {
  EXPECT_EQ(text_error(formats::k_csv_turns, read_fixture("csv-turns/bad_row.csv"), "b.csv"),
            "CSV turns: line 4: expected 5 fields, found 4");
  EXPECT_EQ(text_error(formats::k_csv_turns, read_fixture("csv-turns/no_text_column.csv"), "b.csv"),
            "CSV turns: no text column in the header (expected one of text, transcript, "
            "utterance, content, message)");
  EXPECT_EQ(text_error(formats::k_csv_turns, "speaker,start,text\nA,soon,hi\n", "b.csv"),
            "CSV turns: line 2: \"start\" is not a time: \"soon\"");
  EXPECT_EQ(
      text_error(formats::k_csv_turns, "end,text\n" + std::string(50, 'x') + ",hi\n", "b.csv"),
      "CSV turns: line 2: \"end\" is not a time: \"" + std::string(40, 'x') + "...\"");
  EXPECT_EQ(text_error(formats::k_csv_turns, "speaker,text,Confidence\nA,hi,high\n", "b.csv"),
            "CSV turns: line 2: \"Confidence\" is not a confidence between 0 and 1: \"high\"");
  EXPECT_EQ(text_error(formats::k_csv_turns, "speaker,text\nA,hi\nB,\"open\n", "b.csv"),
            "CSV turns: line 3: unterminated quoted field");
  EXPECT_EQ(text_error(formats::k_csv_turns, "", "b.csv"), "empty transcript (no text)");
  EXPECT_EQ(text_error(formats::k_csv_turns, "speaker,text\n", "b.csv"),
            "empty transcript (no text)");
  EXPECT_EQ(text_error(formats::k_csv_turns, "speaker,text\nA,\nB,  \n", "b.csv"),
            "empty transcript (no text)");
}

TEST(CsvTurns, Recognizes) {
  const auto& csv = formats::k_csv_turns;
  EXPECT_TRUE(csv.recognizes("a.csv", "Speaker,Text\nA,hi\n"));
  EXPECT_TRUE(csv.recognizes("a.CSV", "\xEF\xBB\xBF"
                                      "start_time,transcript\n0,hi\n"));
  EXPECT_TRUE(csv.recognizes("a.csv", "channel,message\n"));
  EXPECT_FALSE(csv.recognizes("a.txt", "speaker,text\nA,hi\n"));
  EXPECT_FALSE(csv.recognizes("a.csv", "text\nhi\n"));        // no speaker or start
  EXPECT_FALSE(csv.recognizes("a.csv", "call_id,speaker\n")); // no text
  EXPECT_FALSE(csv.recognizes("calls.csv", "call_id,date,campaign,source,converted,revenue\n"));
  EXPECT_FALSE(csv.recognizes("a.csv", ""));
  EXPECT_FALSE(csv.recognizes("a.csv", "\"speaker,text\n"));
}

TEST(CsvTurns, UnitsFromValuesAndClockTimes) {
  const std::string path = "calls/u.csv";
  Call call =
      parse_text(formats::k_csv_turns, "start,end,text,speaker\n0,4200,a,A\n4500,12800,b,B\n", path)
          .at(0);
  expect_turns(call, {{"A", 0.0, 4.2, std::nullopt, "a"}, {"B", 4.5, 12.8, std::nullopt, "b"}});
  call =
      parse_text(formats::k_csv_turns, "start,end,text,speaker\n0,4.2,a,A\n4.5,12800,b,B\n", path)
          .at(0);
  expect_turns(call, {{"A", 0.0, 4.2, std::nullopt, "a"}, {"B", 4.5, 12800, std::nullopt, "b"}});
  // A unit in the name wins; clock and "s" values are seconds whatever the column.
  call = parse_text(formats::k_csv_turns,
                    "start_s,end,text,speaker\n12000,12002.5s,a,A\n13000,03:40:00,b,B\n", path)
             .at(0);
  expect_turns(call, {{"A", 12000.0, 12002.5, std::nullopt, "a"},
                      {"B", 13000.0, 13200.0, std::nullopt, "b"}});
  // Of two start columns the more common name wins ("begin" before "start_s").
  call = parse_text(formats::k_csv_turns, "start_s,begin,text\n12000,00:00:01.5,a\n", path).at(0);
  expect_turns(call, {{"", 1.5, std::nullopt, std::nullopt, "a"}});
}

TEST(CsvTurns, PlainIdColumnNumbersRowsOrNamesCalls) {
  const std::string path = "calls/ids.csv";
  std::vector<Call> calls =
      parse_text(formats::k_csv_turns, "id,speaker,text\n1,A,hi\n2,B,hello\n", path);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].call_id, "ids");
  EXPECT_EQ(calls[0].turns.size(), 2u);

  calls = parse_text(formats::k_csv_turns, "ID,speaker,text\n7,A,hi\n7,B,hello\n8,A,yo\n", path);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, "7");
  EXPECT_EQ(calls[1].call_id, "8");

  // A real call id column wins over "id"; an empty call id is the file's call.
  calls = parse_text(formats::k_csv_turns,
                     "id,call_id,speaker,text\n1,,A,hi\n2,c2,B,hello\n3,,A,again\n", path);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, "ids");
  EXPECT_EQ(calls[0].turns.size(), 2u);
  EXPECT_EQ(calls[1].call_id, "c2");
}

TEST(CsvTurns, RoleAndChannelColumns) {
  const std::string path = "calls/r.csv";
  Call call =
      parse_text(formats::k_csv_turns, "channel,role,text\n0,AGENT,Hello\n1,END_USER,Hi\n", path)
          .at(0);
  EXPECT_EQ(call.role_source, RoleSource::labels);
  expect_turns(call,
               {{"AGENT", std::nullopt, std::nullopt, std::nullopt, "Hello", Role::agent, 0},
                {"END_USER", std::nullopt, std::nullopt, std::nullopt, "Hi", Role::customer, 1}});
  call = parse_text(formats::k_csv_turns, "channel,text\nleft,Hello\nright,Hi\n", path).at(0);
  expect_turns(call, {{"left", std::nullopt, std::nullopt, std::nullopt, "Hello"},
                      {"right", std::nullopt, std::nullopt, std::nullopt, "Hi"}});
  // One unknown role value leaves every role to inference.
  call =
      parse_text(formats::k_csv_turns, "speaker,role,text\nAl,agent,Hello\nBo,,Hi\n", path).at(0);
  EXPECT_EQ(call.role_source, RoleSource::none);
  EXPECT_EQ(call.turns[0].role, Role::unknown);
}

TEST(CsvTurns, FieldsKeepOnlyValuesTheCallAgreesOn) {
  const Call call = parse_text(formats::k_csv_turns,
                               "speaker,text,Campaign,sentiment,Date\nA,hi,tv,POSITIVE,\n"
                               "B,yo,tv,NEGATIVE,2024-05-01\n",
                               "calls/f.csv")
                        .at(0);
  EXPECT_EQ(call.fields,
            (std::map<std::string, std::string>{{"campaign", "tv"}, {"date", "2024-05-01"}}));
}

// --- JSON -----------------------------------------------------------------------

TEST(JsonTurns, TurnsObjectWithRolesConfidenceAndFields) {
  const Call call =
      callsight::test::parse_fixture(formats::k_generic_json_turns, "json-turns/turns_object.json");
  EXPECT_EQ(call.call_id, "CX-20240412-0031");
  EXPECT_EQ(call.format, "json-turns");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  EXPECT_EQ(call.fields, (std::map<std::string, std::string>{{"agent_name", "Renee"},
                                                             {"campaign", "google_search_brand"},
                                                             {"duration_s", "41.5"}}));
  expect_turns(
      call, {
                {"Renee", 0.4, 3.1, 0.93, "Thanks for calling Clearview Windows, this is Renee.",
                 Role::agent},
                {"Caller", 3.6, 8.9, 0.87,
                 "Hi, I found you on Google. I need a quote for six replacement windows.",
                 Role::customer},
                {"Renee", 9.2, 15.0, 0.9,
                 "Happy to help. Our vinyl windows start at three hundred fifty each, installed.",
                 Role::agent},
                {"Caller", 15.5, 19.2, 0.85, "That's more than I expected. Do you have financing?",
                 Role::customer},
                {"Renee", 19.6, 25.3, 0.91,
                 "Yes, zero percent for twelve months. Can I set up a free in-home estimate?",
                 Role::agent},
            });
}

TEST(JsonTurns, ChatMessagesWithAssistantAndUserRoles) {
  const Call call = callsight::test::parse_fixture(formats::k_generic_json_turns,
                                                   "json-turns/messages_chat.json");
  EXPECT_EQ(call.call_id, "58213");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  EXPECT_EQ(call.fields, (std::map<std::string, std::string>{{"source", "web_chat"}}));
  expect_turns(
      call,
      {
          {"assistant", std::nullopt, std::nullopt, std::nullopt,
           "Hi! Welcome to Peak Fitness. How can I help?", Role::agent},
          {"user", std::nullopt, std::nullopt, std::nullopt,
           "How much is a membership? I saw the New Year promo on Instagram.", Role::customer},
          {"assistant", std::nullopt, std::nullopt, std::nullopt,
           "The promo is twenty-nine a month with no joining fee until January 31.", Role::agent},
          {"user", std::nullopt, std::nullopt, std::nullopt, "Can I cancel anytime?",
           Role::customer},
          {"assistant", std::nullopt, std::nullopt, std::nullopt, "Yes, with thirty days notice.",
           Role::agent},
      });
}

TEST(JsonTurns, ArrayOfTurnsWithMillisecondIntegers) {
  const Call call = callsight::test::parse_fixture(formats::k_generic_json_turns,
                                                   "json-turns/array_of_turns.json");
  EXPECT_EQ(call.call_id, "array_of_turns");
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call,
               {
                   {"spk_0", 0.12, 4.38, std::nullopt, "Sunrise Plumbing, this is Alex."},
                   {"spk_1", 4.9, 11.25, std::nullopt,
                    "Hi, my water heater is leaking. Do you do same-day service?"},
                   {"spk_0", 11.7, 17.6, std::nullopt,
                    "We do. The service call is seventy-nine dollars, waived if we do the repair."},
                   {"spk_1", 20.1, 24.8, std::nullopt,
                    "OK. I got your flyer in the mail, does the coupon apply?"},
               });
}

TEST(JsonTurns, UtterancesWithParticipantRolesAndTimeStrings) {
  const Call call = callsight::test::parse_fixture(formats::k_generic_json_turns,
                                                   "json-turns/utterances_mixed_units.json");
  EXPECT_EQ(call.call_id, "rec_7781");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  expect_turns(
      call, {
                {"AGENT", 0.5, 2.75, std::nullopt, "Metro Storage, how can I help?", Role::agent},
                {"END_USER", 3.1, 6.0, std::nullopt, "Do you have a ten by ten unit available?",
                 Role::customer},
                {"AGENT", 6.4, 11.0, std::nullopt,
                 "Yes, first month is one dollar with the online coupon.", Role::agent},
            });
}

TEST(JsonTurns, RecognizesOnlyItsOwnFixtures) {
  callsight::test::expect_only_own_fixtures(formats::k_generic_json_turns, "json-turns");
}

TEST(JsonTurns, DoesNotClaimEngineShapes) {
  EXPECT_FALSE(json_recognized(R"({"results": [{"alternatives": [{"transcript": "hi"}]}]})"));
  EXPECT_FALSE(json_recognized(R"({"text": "hi", "segments": [{"start": 0, "end": 1,
                                  "text": "hi"}], "turns": [{"text": "hi"}]})"));
  EXPECT_FALSE(json_recognized(R"({"status": "completed", "confidence": 0.9, "utterances":
                                  [{"speaker": "A", "text": "hi", "start": 0, "end": 900}]})"));
  EXPECT_FALSE(json_recognized(R"({"words": [], "utterances": [{"speaker": "A", "text": "hi"}]})"));
  EXPECT_FALSE(json_recognized(R"({"monologues": [], "turns": [{"text": "hi"}]})"));
  EXPECT_FALSE(json_recognized(R"({"recognizedPhrases": [], "messages": [{"text": "hi"}]})"));
  EXPECT_FALSE(json_recognized(R"({"Transcript": [{"Content": "hi"}], "JobName": "x"})"));
  EXPECT_FALSE(json_recognized(R"({"transcript": {"transcriptSegments": [{"text": "hi"}]}})"));
  EXPECT_FALSE(json_recognized(R"({"entries": [{"text": "hi", "role": "AGENT"}]})"));
  EXPECT_FALSE(json_recognized(R"({"turns": [{"speaker": "A"}]})"));
  EXPECT_FALSE(json_recognized(R"({"turns": [{"speaker": "A", "text": 5}]})"));
  EXPECT_FALSE(json_recognized(R"({"messages": [{"role": "user", "content": [{"type":
                                  "text", "text": "hi"}]}]})"));
  EXPECT_FALSE(json_recognized(R"({"turns": "hello"})"));
  EXPECT_FALSE(json_recognized(R"([])"));
  EXPECT_FALSE(json_recognized(R"([1, 2])"));
  EXPECT_FALSE(json_recognized(R"("text")"));
  EXPECT_TRUE(json_recognized(R"({"turns": []})"));
  EXPECT_TRUE(json_recognized(R"([{"role": "user", "content": "hi"}])"));
  EXPECT_TRUE(json_recognized(R"({"transcript": [{"speaker": 1, "transcript": "hi"}]})"));
}

TEST(JsonTurns, Errors) {
  EXPECT_EQ(callsight::test::parse_error(formats::k_generic_json_turns,
                                         read_fixture("json-turns/wrong_types.json")),
            "JSON turns: \"turns[1].start\" is not a time");
  EXPECT_EQ(callsight::test::parse_error(formats::k_generic_json_turns,
                                         read_fixture("json-turns/empty_turns.json")),
            "empty transcript (no text)");
  EXPECT_EQ(json_error(R"("hi")"), "JSON turns: the document is not an object or an array of "
                                   "turns");
  EXPECT_EQ(json_error(R"({"calls": []})"),
            "JSON turns: the document has no list of turns (expected \"turns\", \"utterances\", "
            "\"messages\" or \"transcript\")");
  EXPECT_EQ(json_error(R"({"turns": {"a": 1}})"), "JSON turns: \"turns\" is not an array");
  EXPECT_EQ(json_error(R"({"turns": [7]})"), "JSON turns: \"turns[0]\" is not an object");
  EXPECT_EQ(json_error(R"([{"text": "a"}, {"speaker": "B"}])"),
            "JSON turns: \"[1]\" has no text (expected \"text\", \"content\" or \"transcript\")");
  EXPECT_EQ(json_error(R"({"messages": [{"content": ["a"]}]})"),
            "JSON turns: \"messages[0].content\" is not a string");
  EXPECT_EQ(json_error(R"({"turns": [{"text": "a", "speaker": {"name": "B"}}]})"),
            "JSON turns: \"turns[0].speaker\" is not a string or an integer");
  EXPECT_EQ(json_error(R"({"turns": [{"text": "a", "role": 1}]})"),
            "JSON turns: \"turns[0].role\" is not a string");
  EXPECT_EQ(json_error(R"({"turns": [{"text": "a", "channel": 1.5}]})"),
            "JSON turns: \"turns[0].channel\" is not a string or an integer");
  EXPECT_EQ(json_error(R"({"turns": [{"text": "a", "end_time": -2}]})"),
            "JSON turns: \"turns[0].end_time\" is not a time");
  EXPECT_EQ(json_error(R"({"turns": [{"text": "a", "confidence": 140}]})"),
            "JSON turns: \"turns[0].confidence\" is not a confidence between 0 and 1");
  EXPECT_EQ(json_error(R"({"turns": [{"text": "a", "confidence": "high"}]})"),
            "JSON turns: \"turns[0].confidence\" is not a confidence between 0 and 1");
  EXPECT_EQ(json_error(R"({"call_id": [1], "turns": [{"text": "a"}]})"),
            "JSON turns: \"call_id\" is not a string or an integer");
  EXPECT_EQ(json_error(R"({"turns": [{"text": null}, {"text": "  "}]})"),
            "empty transcript (no text)");
}

TEST(JsonTurns, NullsAliasesAndPreferences) {
  const Call call = parse_json_text(R"({
    "id": {"not": "an id"}, "contactId": 42, "note": null, "tags": ["a"],
    "turns": [
      {"speaker": null, "role": "Agent", "text": " Hello ", "startTime": "1.5s",
       "channel": 0, "confidence": 93},
      {"participant": "x", "speaker": "Maria", "content": "Hi", "message": "ignored",
       "text": "preferred", "start": 3, "end": "00:00:04.5"},
      {"speaker": null, "participant": "Bo", "text": null, "content": "not hidden by null"}
    ]})");
  EXPECT_EQ(call.call_id, "42");
  EXPECT_TRUE(call.fields.empty());
  EXPECT_EQ(call.role_source, RoleSource::none);
  expect_turns(call, {{"Agent", 1.5, std::nullopt, 0.93, "Hello", Role::unknown, 0},
                      {"Maria", 3.0, 4.5, std::nullopt, "preferred"},
                      {"Bo", std::nullopt, std::nullopt, std::nullopt, "not hidden by null"}});
}

// --- JSONL ----------------------------------------------------------------------

TEST(JsonlTurns, SplitsCallsByConversationIdInFirstAppearanceOrder) {
  const std::vector<Call> calls =
      parse_text_fixture(formats::k_jsonl_turns, "jsonl-turns/two_calls.jsonl");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, "conv-881");
  EXPECT_EQ(calls[0].format, "jsonl-turns");
  EXPECT_EQ(calls[0].role_source, RoleSource::labels);
  EXPECT_EQ(calls[0].fields, (std::map<std::string, std::string>{{"campaign", "tv_spring"}}));
  expect_turns(calls[0],
               {
                   {"AGENT", 0.0, 3.4, std::nullopt,
                    "Thank you for calling Lakeside Insurance, this is Omar.", Role::agent},
                   {"END_USER", 3.9, 8.2, std::nullopt,
                    "Hi, I saw your TV ad. I'd like a quote for car insurance.", Role::customer},
                   {"AGENT", 8.6, 13.9, std::nullopt,
                    "Sure. Bundling home and auto saves up to twenty percent.", Role::agent},
               });
  EXPECT_EQ(calls[1].call_id, "conv-882");
  EXPECT_EQ(calls[1].fields.at("campaign"), "search");
  expect_turns(
      calls[1],
      {
          {"AGENT", 0.0, 2.1, std::nullopt, "Lakeside Insurance, Beth speaking.", Role::agent},
          {"END_USER", 2.5, 7.7, std::nullopt,
           "I need to cancel my policy, I found a cheaper one with Geico.", Role::customer},
          {"AGENT", 8.0, 12.4, std::nullopt,
           "I'm sorry to hear that. Let me see if I can match the price.", Role::agent},
      });
}

TEST(JsonlTurns, OneCallWithMillisecondNamesAndTurnIds) {
  const std::vector<Call> calls =
      parse_text_fixture(formats::k_jsonl_turns, "jsonl-turns/single_call.ndjson");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].call_id, "single_call");
  EXPECT_TRUE(calls[0].fields.empty()); // "id" numbers turns, not calls
  expect_turns(calls[0],
               {
                   {"A", 0.3, 2.6, 0.96, "Blue Ridge Roofing, good morning."},
                   {"B", 3.1, 8.4, 0.89,
                    "Morning. A storm took some shingles off and I need an inspection."},
                   {"A", 8.8, 12.1, 0.93, "Inspections are free. How did you hear about us?"},
                   {"B", 12.5, 15.0, 0.9, "Nextdoor, a neighbor posted about you."},
               });
}

TEST(JsonlTurns, Errors) {
  EXPECT_EQ(text_error(formats::k_jsonl_turns, read_fixture("jsonl-turns/malformed_line.jsonl"),
                       "m.jsonl"),
            "JSONL turns: line 3: malformed JSON: syntax error while parsing object - unexpected "
            "end of input; expected '}' at column 65");
  EXPECT_EQ(text_error(formats::k_jsonl_turns, "{\"text\": \"a\"}\n[1]\n", "m.jsonl"),
            "JSONL turns: line 2: expected a JSON object, found array");
  EXPECT_EQ(text_error(formats::k_jsonl_turns, "\n{\"text\": \"a\", \"start\": true}\n", "m.jsonl"),
            "JSONL turns: line 2: \"start\" is not a time");
  EXPECT_EQ(text_error(formats::k_jsonl_turns, "{\"speaker\": \"a\"}\n", "m.jsonl"),
            "JSONL turns: line 1: the document has no text (expected \"text\", \"content\" or "
            "\"transcript\")");
  EXPECT_EQ(text_error(formats::k_jsonl_turns, "{\"text\": \"a\", \"call_id\": {}}\n", "m.jsonl"),
            "JSONL turns: line 1: \"call_id\" is not a string or an integer");
  EXPECT_EQ(text_error(formats::k_jsonl_turns, "", "m.jsonl"), "empty transcript (no text)");
  EXPECT_EQ(text_error(formats::k_jsonl_turns, "\n\r\n{\"text\": \"\"}\n", "m.jsonl"),
            "empty transcript (no text)");
}

TEST(JsonlTurns, Recognizes) {
  const auto& jsonl = formats::k_jsonl_turns;
  EXPECT_TRUE(jsonl.recognizes("a.JSONL", ""));
  EXPECT_TRUE(jsonl.recognizes("a.ndjson", ""));
  EXPECT_TRUE(jsonl.recognizes("a.txt", "\n{\"speaker\": \"A\", \"text\": \"hi\"}\r\n\r\n"
                                        "{\"role\": \"user\", \"content\": \"yo\"}\n"));
  EXPECT_FALSE(jsonl.recognizes("a.json", "{\"text\": \"hi\"}\n"));
  EXPECT_FALSE(jsonl.recognizes("a.json", "{\n  \"turns\": []\n}\n"));
  EXPECT_FALSE(jsonl.recognizes("a.txt", "{\"text\": \"hi\"}\n{\"speaker\": \"A\"}\n"));
  EXPECT_FALSE(jsonl.recognizes("a.txt", "{\"text\": \"hi\"}\nAgent: hello\n"));
  EXPECT_FALSE(jsonl.recognizes("a.txt", "{\"text\": \"hi\"}\n{\"text\": \"hi\"\n"));
  EXPECT_FALSE(jsonl.recognizes("a.txt", "{not json}\n{\"text\": \"hi\"}\n"));
}

TEST(JsonlTurns, CallIdAliasesAndUnitsAcrossTheFile) {
  const std::vector<Call> calls = parse_text(formats::k_jsonl_turns,
                                             "{\"callId\": 7, \"text\": \"a\", \"start\": 0}\n"
                                             "{\"text\": \"b\", \"start\": 2000}\n"
                                             "{\"call_id\": \"7\", \"text\": \"c\", \"start\": "
                                             "12000, \"campaign\": \"x\"}\n",
                                             "calls/u.jsonl");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call_id, "7");
  EXPECT_EQ(calls[0].fields.at("campaign"), "x");
  expect_turns(calls[0], {{"", 0.0, std::nullopt, std::nullopt, "a"},
                          {"", 12.0, std::nullopt, std::nullopt, "c"}});
  EXPECT_EQ(calls[1].call_id, "u");
  expect_turns(calls[1], {{"", 2.0, std::nullopt, std::nullopt, "b"}});
}
