// Unit tests for the call log: load errors, the transcript join, yes/no and money cells.
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "callsight/metadata.hpp"

using callsight::CallLog;
using callsight::parse_money_cents;
using callsight::parse_truthy;

namespace {

CallLog load(std::string_view text) {
  std::string error;
  std::optional<CallLog> log = CallLog::parse(text, error);
  EXPECT_TRUE(log.has_value()) << error;
  EXPECT_EQ(error, "");
  return log ? std::move(*log) : CallLog();
}

std::string load_error(std::string_view text) {
  std::string error;
  const std::optional<CallLog> log = CallLog::parse(text, error);
  EXPECT_FALSE(log.has_value());
  return error;
}

const char* const k_log = "\xEF\xBB\xBF"
                          " Call_ID , File ,Campaign,Source,Converted,Revenue\r\n"
                          "c-1,calls/call-0001.txt,Spring,google,yes,\"$1,250.00\"\r\n"
                          "c-2,recordings/2024/call-0002.vtt,Spring,facebook,no,0\r\n"
                          ",calls/call-0003.txt,Summer,tv,1,189\r\n"
                          "c-4,,Summer,radio,,\r\n";

} // namespace

TEST(CallLog, ColumnsAreLowerCasedAndTrimmed) {
  const CallLog log = load(k_log);
  EXPECT_EQ(log.columns(), (std::vector<std::string>{"call_id", "file", "campaign", "source",
                                                     "converted", "revenue"}));
  EXPECT_EQ(log.size(), 4u);
  EXPECT_EQ(log.column_index("campaign"), 2);
  EXPECT_EQ(log.column_index("Campaign"), 2);
  EXPECT_EQ(log.column_index("keyword"), -1);
}

TEST(CallLog, JoinsByCallId) {
  const CallLog log = load(k_log);
  EXPECT_EQ(log.find("c-2", ""), 1);
  EXPECT_EQ(log.find("c-4", "elsewhere/unknown.txt"), 3);
  // The call id wins over a path naming another row.
  EXPECT_EQ(log.find("c-2", "calls/call-0001.txt"), 1);
  EXPECT_EQ(log.find("nope", ""), -1);
}

TEST(CallLog, JoinsByExactFile) {
  const CallLog log = load(k_log);
  EXPECT_EQ(log.find("", "calls/call-0001.txt"), 0);
  EXPECT_EQ(log.find("", "calls/call-0003.txt"), 2);
  // An unknown call id falls back to the path.
  EXPECT_EQ(log.find("unknown", "calls/call-0003.txt"), 2);
}

TEST(CallLog, JoinsByPathSuffix) {
  const CallLog log = load(k_log);
  EXPECT_EQ(log.find("", "data/calls/call-0001.txt"), 0);
  EXPECT_EQ(log.find("", "/srv/x/recordings/2024/call-0002.vtt"), 1);
  EXPECT_EQ(log.find("", "./calls/call-0003.txt"), 2);
}

TEST(CallLog, JoinsByBasename) {
  const CallLog log = load(k_log);
  EXPECT_EQ(log.find("", "call-0002.vtt"), 1);
  EXPECT_EQ(log.find("", "/tmp/flat/call-0001.txt"), 0);
  // A partial name is not a basename.
  EXPECT_EQ(log.find("", "/tmp/flat/all-0001.txt"), -1);
  EXPECT_EQ(log.find("", "/tmp/flat/"), -1);
}

TEST(CallLog, AmbiguousBasenameIsNotJoined) {
  const CallLog log = load("call_id,file\n"
                           "a,east/call.txt\n"
                           "b,west/call.txt\n"
                           "c,north/other.txt\n");
  EXPECT_EQ(log.find("", "archive/call.txt"), -1);
  EXPECT_EQ(log.find("", "call.txt"), -1);
  // The exact path and suffix matches are still precise.
  EXPECT_EQ(log.find("", "west/call.txt"), 1);
  EXPECT_EQ(log.find("", "data/west/call.txt"), 1);
  EXPECT_EQ(log.find("", "data/east/call.txt"), 0);
  EXPECT_EQ(log.find("", "archive/other.txt"), 2);
}

TEST(CallLog, LongestSuffixWins) {
  const CallLog log = load("file\n"
                           "x.txt\n"
                           "a/x.txt\n");
  EXPECT_EQ(log.find("", "data/a/x.txt"), 1);
  EXPECT_EQ(log.find("", "data/b/x.txt"), 0);
}

TEST(CallLog, DuplicateFileIsNotJoinedByPath) {
  const CallLog log = load("call_id,file\n"
                           "a,calls/x.txt\n"
                           "b,calls/x.txt\n");
  EXPECT_EQ(log.find("", "calls/x.txt"), -1);
  EXPECT_EQ(log.find("b", "calls/x.txt"), 1);
}

TEST(CallLog, FileOnlyLog) {
  const CallLog log = load("FILE,campaign\ncalls/a.txt,Spring\n");
  EXPECT_EQ(log.find("a", "calls/a.txt"), 0);
  EXPECT_EQ(log.value(0, "campaign"), "Spring");
}

TEST(CallLog, CallIdOnlyLog) {
  const CallLog log = load("call_id,campaign\n17,Spring\n");
  EXPECT_EQ(log.find(" 17 ", ""), 0);
  EXPECT_EQ(log.find("", "17"), -1);
}

TEST(CallLog, Values) {
  const CallLog log = load(k_log);
  EXPECT_EQ(log.value(0, "campaign"), "Spring");
  EXPECT_EQ(log.value(0, "REVENUE"), "$1,250.00");
  EXPECT_EQ(log.value(3, "converted"), "");
  EXPECT_EQ(log.value(0, "keyword"), "");
  EXPECT_EQ(log.value(99, "campaign"), "");
  EXPECT_EQ(log.row(2)[0], "");
}

TEST(CallLog, CellsAreTrimmed) {
  const CallLog log = load("call_id,campaign\n  c-1  , Spring \n");
  EXPECT_EQ(log.find("c-1", ""), 0);
  EXPECT_EQ(log.value(0, "campaign"), "Spring");
}

TEST(CallLog, HeaderOnlyIsEmpty) {
  const CallLog log = load("call_id,file\n");
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(log.find("x", "y"), -1);
}

TEST(CallLog, BlankRowsAreSkipped) {
  const CallLog log = load("call_id,file,campaign\n,,\n1,a.txt,x\n , ,\n,,\n");
  EXPECT_EQ(log.size(), 1u);
}

TEST(CallLog, MissingKeyColumnsError) {
  EXPECT_EQ(load_error("id,path,campaign\n1,a.txt,x\n"),
            "line 1: the call log needs a call_id or file column");
  EXPECT_EQ(load_error(""), "line 1: the call log needs a call_id or file column");
  EXPECT_EQ(load_error("\xEF\xBB\xBF"), "line 1: the call log needs a call_id or file column");
}

TEST(CallLog, RaggedRowError) {
  EXPECT_EQ(load_error("call_id,file,campaign\n1,a.txt,x\n2,b.txt\n3,c.txt,z\n"),
            "line 3: expected 3 fields, found 2");
  EXPECT_EQ(load_error("call_id,campaign\n1,\"multi\nline\"\n2,x,extra\n"),
            "line 4: expected 2 fields, found 3");
}

TEST(CallLog, DuplicateCallIdError) {
  EXPECT_EQ(load_error("call_id,campaign\n7,a\n\n8,b\n7,c\n"),
            "line 5: duplicate call_id '7' (first on line 2)");
}

TEST(CallLog, RowWithoutKeyError) {
  EXPECT_EQ(load_error("call_id,file,campaign\n1,a.txt,x\n,,Spring\n"),
            "line 3: row has neither a call_id nor a file");
}

TEST(CallLog, UnterminatedQuoteError) {
  EXPECT_EQ(load_error("call_id,campaign\n1,\"Spring\n2,Summer\n"),
            "line 2: unterminated quoted field");
}

TEST(CallLog, ErrorIsClearedOnSuccess) {
  std::string error = "stale";
  EXPECT_TRUE(CallLog::parse("call_id\n1\n", error).has_value());
  EXPECT_EQ(error, "");
}

TEST(ParseTruthy, YesSpellings) {
  for (const char* yes :
       {"1", "true", "TRUE", "Yes", "y", "Y", "converted", "Converted", "t", " yes ", "\tT\r"}) {
    EXPECT_TRUE(parse_truthy(yes)) << yes;
  }
}

TEST(ParseTruthy, EverythingElseIsNo) {
  for (const char* no :
       {"", "0", "false", "no", "n", "f", "yes!", "2", "not converted", "yess", "ye"}) {
    EXPECT_FALSE(parse_truthy(no)) << no;
  }
}

TEST(ParseMoneyCents, PlainAmounts) {
  EXPECT_EQ(parse_money_cents("189.00"), 18900);
  EXPECT_EQ(parse_money_cents("189"), 18900);
  EXPECT_EQ(parse_money_cents("0"), 0);
  EXPECT_EQ(parse_money_cents("12.5"), 1250);
  EXPECT_EQ(parse_money_cents("0.07"), 7);
  EXPECT_EQ(parse_money_cents(".5"), 50);
  EXPECT_EQ(parse_money_cents("12."), 1200);
  EXPECT_EQ(parse_money_cents("  42.10 "), 4210);
}

TEST(ParseMoneyCents, SignsAndCurrencySymbols) {
  EXPECT_EQ(parse_money_cents("-3"), -300);
  EXPECT_EQ(parse_money_cents("+3"), 300);
  EXPECT_EQ(parse_money_cents("$1,250.5"), 125050);
  EXPECT_EQ(parse_money_cents("-$19.99"), -1999);
  EXPECT_EQ(parse_money_cents("$-19.99"), -1999);
  EXPECT_EQ(parse_money_cents("\xE2\x82\xAC"
                              "5"),
            500);
  EXPECT_EQ(parse_money_cents("\xC2\xA3"
                              "1,000,000"),
            100000000);
  EXPECT_EQ(parse_money_cents("-0"), 0);
}

TEST(ParseMoneyCents, ThousandsSeparators) {
  EXPECT_EQ(parse_money_cents("1,250"), 125000);
  EXPECT_EQ(parse_money_cents("12,345,678.90"), 1234567890);
  EXPECT_EQ(parse_money_cents("1250"), 125000);
  EXPECT_EQ(parse_money_cents("1,25"), std::nullopt); // a decimal comma, not a thousands group
  EXPECT_EQ(parse_money_cents("12,50"), std::nullopt);
  EXPECT_EQ(parse_money_cents("1234,567"), std::nullopt);
  EXPECT_EQ(parse_money_cents(",250"), std::nullopt);
  EXPECT_EQ(parse_money_cents("1,,250"), std::nullopt);
  EXPECT_EQ(parse_money_cents("1,250,"), std::nullopt);
  EXPECT_EQ(parse_money_cents("1,2500"), std::nullopt);
}

TEST(ParseMoneyCents, RoundsHalfAwayFromZero) {
  EXPECT_EQ(parse_money_cents("1.005"), 101);
  EXPECT_EQ(parse_money_cents("1.0049"), 100);
  EXPECT_EQ(parse_money_cents("-1.005"), -101);
  EXPECT_EQ(parse_money_cents("-1.004"), -100);
  EXPECT_EQ(parse_money_cents("0.995"), 100);
  EXPECT_EQ(parse_money_cents("9.999"), 1000);
  EXPECT_EQ(parse_money_cents("2.12345678901234567890"), 212);
}

TEST(ParseMoneyCents, NotANumber) {
  for (const char* bad :
       {"",    "  ",  "-",   "+",   "$",  "$-",     ".",     "abc", "12abc", "1.2.3",
        "1e5", "--3", "+-3", "$$3", "3$", "(3.00)", "1 000", "N/A", "1.5x",  "-$-3"}) {
    EXPECT_EQ(parse_money_cents(bad), std::nullopt) << bad;
  }
}

TEST(ParseMoneyCents, Overflow) {
  constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(parse_money_cents("92233720368547758.07"), k_max);
  EXPECT_EQ(parse_money_cents("-92,233,720,368,547,758.07"), -k_max);
  EXPECT_EQ(parse_money_cents("92233720368547758.065"), k_max);
  EXPECT_EQ(parse_money_cents("92233720368547758.08"), std::nullopt);
  EXPECT_EQ(parse_money_cents("92233720368547758.075"), std::nullopt);
  EXPECT_EQ(parse_money_cents("92233720368547759"), std::nullopt);
  EXPECT_EQ(parse_money_cents("9223372036854775807"), std::nullopt);
  EXPECT_EQ(parse_money_cents("99999999999999999999999999"), std::nullopt);
}
