// Unit tests for the call log: header aliases and column maps, load errors, the transcript
// join, joined-row tracking, yes/no and money cells.
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "callsight/metadata.hpp"

using callsight::CallLog;
using callsight::canonical_column_name;
using callsight::canonicalize_header;
using callsight::ColumnMap;
using callsight::parse_column_map;
using callsight::parse_money_cents;
using callsight::parse_truthy;
using callsight::RowUse;
using Names = std::vector<std::string>;

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

CallLog load_mapped(std::string_view text, std::string_view spec) {
  std::string error;
  const std::optional<ColumnMap> map = parse_column_map(spec, error);
  EXPECT_TRUE(map.has_value()) << error;
  std::optional<CallLog> log = CallLog::parse(text, error, map.value_or(ColumnMap{}));
  EXPECT_TRUE(log.has_value()) << error;
  return log ? std::move(*log) : CallLog();
}

std::string map_error(std::string_view spec) {
  std::string error;
  EXPECT_FALSE(parse_column_map(spec, error).has_value()) << spec;
  return error;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::filesystem::path k_fixtures =
    std::filesystem::path(CALLSIGHT_TEST_FIXTURES) / "metadata";
const std::filesystem::path k_data = std::filesystem::path(CALLSIGHT_SOURCE_DIR) / "data";

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
  // "id" is an alias of call_id; "ref" and "path" are no key aliases.
  EXPECT_EQ(load_error("ref,path,campaign\n1,a.txt,x\n"),
            "line 1: the call log needs a call_id or file column (headers: ref, path, campaign)");
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

TEST(ColumnNames, Canonicalize) {
  EXPECT_EQ(canonicalize_header("Call ID"), "call_id");
  EXPECT_EQ(canonicalize_header("  Duration (seconds) "), "duration_seconds");
  EXPECT_EQ(canonicalize_header("UTM-Source"), "utm_source");
  EXPECT_EQ(canonicalize_header("call__id"), "call_id");
  EXPECT_EQ(canonicalize_header("#Landing  Page / URL#"), "landing_page_url");
  EXPECT_EQ(canonicalize_header("Agent\xC2\xA0Name"), "agent_name"); // no-break space
  EXPECT_EQ(canonicalize_header("Durée"), "durée");
  EXPECT_EQ(canonicalize_header("Q4 2026"), "q4_2026");
  EXPECT_EQ(canonicalize_header(" -- "), "");
  EXPECT_EQ(canonicalize_header(""), "");
}

TEST(ColumnNames, Aliases) {
  EXPECT_EQ(canonical_column_name("Call ID"), "call_id");
  EXPECT_EQ(canonical_column_name("Transaction ID"), "call_id");
  EXPECT_EQ(canonical_column_name("Conversation-Id"), "call_id");
  EXPECT_EQ(canonical_column_name("File Name"), "file");
  EXPECT_EQ(canonical_column_name("Recording File"), "file");
  EXPECT_EQ(canonical_column_name("Call Start Time"), "started_at");
  EXPECT_EQ(canonical_column_name("Date"), "started_at");
  EXPECT_EQ(canonical_column_name("Duration (seconds)"), "duration_s");
  EXPECT_EQ(canonical_column_name("Talk Time"), "duration_s");
  EXPECT_EQ(canonical_column_name("utm_campaign"), "campaign");
  EXPECT_EQ(canonical_column_name("Lead Source"), "source");
  EXPECT_EQ(canonical_column_name("UTM Medium"), "medium");
  EXPECT_EQ(canonical_column_name("Search Term"), "keyword");
  EXPECT_EQ(canonical_column_name("Page"), "landing_page");
  EXPECT_EQ(canonical_column_name("Answered By"), "agent");
  EXPECT_EQ(canonical_column_name("Tracking Phone"), "tracking_number");
  EXPECT_EQ(canonical_column_name("From Number"), "caller_number");
  EXPECT_EQ(canonical_column_name("Booked"), "converted");
  EXPECT_EQ(canonical_column_name("Deal Value"), "revenue");
  EXPECT_EQ(canonical_column_name("Region"), "region");
  EXPECT_EQ(canonical_column_name("Call Status"), "call_status");
}

TEST(CallLog, CallRailLikeExport) {
  const CallLog log = load(read_text(k_fixtures / "callrail_like_export.csv"));
  EXPECT_EQ(log.columns(),
            (Names{"call_id", "started_at", "duration_s", "customer_name", "caller_number",
                   "tracking_number", "source", "medium", "campaign", "keyword", "landing_page",
                   "agent", "converted", "revenue", "call_status", "file"}));
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log.find("CR-50018", ""), 1);
  EXPECT_EQ(log.find("", "/archive/2026/recordings/cr-50019.mp3"), 2);
  EXPECT_EQ(log.value(2, "revenue"), "$1,850.00");
  EXPECT_EQ(parse_money_cents(log.value(2, "revenue")), 185000);
  EXPECT_TRUE(parse_truthy(log.value(0, "converted")));
  EXPECT_FALSE(parse_truthy(log.value(1, "converted")));
  EXPECT_EQ(log.value(2, "keyword"), "heat pump, install");
  EXPECT_EQ(log.value(0, "agent"), "Maria");
  EXPECT_EQ(log.value(0, "started_at"), "2026-10-03 09:12");
}

TEST(CallLog, InvocaLikeExport) {
  const CallLog log = load(read_text(k_fixtures / "invoca_like_export.csv"));
  EXPECT_EQ(log.columns(), (Names{"call_id", "started_at", "duration_s", "campaign", "source",
                                  "medium", "keyword", "landing_page", "agent", "caller_number",
                                  "tracking_number", "converted", "revenue", "region"}));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.find("inv-8d2270", "whatever.txt"), 1);
  EXPECT_EQ(log.value(0, "campaign"), "Morning Radio");
  EXPECT_EQ(log.value(0, "source"), "radio");
  EXPECT_EQ(log.value(0, "revenue"), "349.00");
  EXPECT_EQ(log.value(1, "region"), "South");
  EXPECT_EQ(log.value(1, "Region"), "South");
}

TEST(CallLog, ColumnIndexResolvesAliases) {
  const CallLog log = load("Call ID,UTM Campaign,Sale Amount\n1,spring,10\n");
  EXPECT_EQ(log.column_index("campaign"), 1);
  EXPECT_EQ(log.column_index("utm_campaign"), 1);
  EXPECT_EQ(log.column_index("Campaign Name"), 1);
  EXPECT_EQ(log.column_index("value"), 2);
  EXPECT_EQ(log.value(0, "UTM Campaign"), "spring");
  EXPECT_EQ(log.column_index("source"), -1);
  EXPECT_EQ(log.column_index(""), -1);
}

TEST(CallLog, LiteralCanonicalHeaderWins) {
  // "started_at" comes last but is literally the canonical name; "Date" keeps its own.
  const CallLog log = load("call_id,Date,Start Time,Started At\n1,d,s,x\n");
  EXPECT_EQ(log.columns(), (Names{"call_id", "date", "start_time", "started_at"}));
  EXPECT_EQ(log.value(0, "started_at"), "x");
  EXPECT_EQ(log.value(0, "date"), "d");
}

TEST(CallLog, FirstAliasWinsWithoutLiteralName) {
  const CallLog log = load("Transaction ID,Conversation ID,Amount,Value\nt-1,c-1,5,7\n");
  EXPECT_EQ(log.columns(), (Names{"call_id", "conversation_id", "revenue", "value"}));
  EXPECT_EQ(log.find("t-1", ""), 0);
  EXPECT_EQ(log.find("c-1", ""), -1); // only the winning column is the join key
  EXPECT_EQ(log.value(0, "revenue"), "5");
  // An exact column name beats the alias table.
  EXPECT_EQ(log.value(0, "value"), "7");
}

TEST(CallLog, DuplicateHeadersGetUniqueNames) {
  const CallLog log = load("call_id,Campaign,campaign,Campaign 2,,\n1,a,b,c,d,e\n");
  EXPECT_EQ(log.columns(),
            (Names{"call_id", "campaign", "campaign_3", "campaign_2", "column_5", "column_6"}));
  EXPECT_EQ(log.value(0, "campaign"), "a");
  EXPECT_EQ(log.value(0, "campaign_2"), "c");
  EXPECT_EQ(log.value(0, "campaign_3"), "b");
}

TEST(ColumnMap, Parses) {
  std::string error = "stale";
  const std::optional<ColumnMap> map =
      parse_column_map(" call_id = Call Ref , Revenue=Sale Value,date=Called", error);
  ASSERT_TRUE(map.has_value()) << error;
  EXPECT_EQ(error, "");
  ASSERT_EQ(map->size(), 3u);
  EXPECT_EQ((*map)[0].canonical, "call_id");
  EXPECT_EQ((*map)[0].header, "Call Ref");
  EXPECT_EQ((*map)[1].canonical, "revenue");
  EXPECT_EQ((*map)[1].header, "Sale Value");
  // Names go through the alias table too.
  EXPECT_EQ((*map)[2].canonical, "started_at");
}

TEST(ColumnMap, ParseErrors) {
  EXPECT_EQ(map_error(""), "column map is empty (expected name=Header,...)");
  EXPECT_EQ(map_error("call_id"), "column map item 'call_id' needs the form name=Header");
  EXPECT_EQ(map_error("=Call Ref"), "column map item '=Call Ref' needs the form name=Header");
  EXPECT_EQ(map_error("call_id= "), "column map item 'call_id=' needs the form name=Header");
  EXPECT_EQ(map_error("call_id=a=b"), "column map item 'call_id=a=b' has more than one '='");
  EXPECT_EQ(map_error("call_id=A,,revenue=B"), "column map item 2 is empty");
  EXPECT_EQ(map_error("call_id=A,"), "column map item 2 is empty");
  EXPECT_EQ(map_error("call_id=A,Call ID=B"), "column map names call_id twice");
  EXPECT_EQ(map_error("value=A,amount=B"), "column map names revenue twice");
  EXPECT_EQ(map_error("call_id=Call Ref,campaign=call-ref"),
            "column map maps header 'call-ref' twice");
}

TEST(CallLog, ColumnMapOverridesAliases) {
  const CallLog log = load_mapped("Call ID,Call Ref,Value,Sale Value,Team\n"
                                  "x-1,R-1,5,120.00,north\n"
                                  "x-2,R-2,6,80.00,south\n",
                                  "call_id=call ref,revenue=Sale Value,agent=TEAM");
  // The displaced "Call ID" keeps its own name, suffixed because call_id is taken.
  EXPECT_EQ(log.columns(), (Names{"call_id_2", "call_id", "value", "revenue", "agent"}));
  EXPECT_EQ(log.find("R-2", ""), 1);
  EXPECT_EQ(log.find("x-2", ""), -1);
  EXPECT_EQ(log.value(0, "revenue"), "120.00");
  EXPECT_EQ(log.value(1, "agent"), "south");
}

TEST(CallLog, ColumnMapNamesNewColumns) {
  const CallLog log = load_mapped("call_id,Territory\n1,north\n", "region=territory");
  EXPECT_EQ(log.columns(), (Names{"call_id", "region"}));
  EXPECT_EQ(log.value(0, "region"), "north");
  EXPECT_EQ(log.column_index("territory"), -1);
}

TEST(CallLog, ColumnMapSuppliesTheKey) {
  const std::string text = "Ref,Notes\nA-1,x\n";
  EXPECT_EQ(load_error(text),
            "line 1: the call log needs a call_id or file column (headers: Ref, Notes)");
  const CallLog log = load_mapped(text, "call_id=ref");
  EXPECT_EQ(log.find("A-1", ""), 0);
}

TEST(CallLog, ColumnMapErrors) {
  const std::string text = "\xEF\xBB\xBF"
                           "Call ID, Campaign ,Sale Value\n1,a,2\n";
  std::string error;
  std::optional<ColumnMap> map = parse_column_map("revenue=Sale Value,call_id=Call Ref", error);
  ASSERT_TRUE(map.has_value());
  EXPECT_FALSE(CallLog::parse(text, error, *map).has_value());
  EXPECT_EQ(error, "line 1: column map names 'Call Ref', which is not a header of the call log "
                   "(headers: Call ID, Campaign, Sale Value)");

  // Built by hand, past parse_column_map's checks.
  EXPECT_FALSE(
      CallLog::parse(text, error, ColumnMap{{"revenue", "sale value"}, {"agent", "Sale_Value"}})
          .has_value());
  EXPECT_EQ(error, "line 1: column map maps header 'Sale Value' to both revenue and agent");
  EXPECT_FALSE(
      CallLog::parse(text, error, ColumnMap{{"agent", "Campaign"}, {"agent", "Sale Value"}})
          .has_value());
  EXPECT_EQ(error, "line 1: column map names agent twice");
  EXPECT_FALSE(CallLog::parse(text, error, ColumnMap{{"--", "Campaign"}}).has_value());
  EXPECT_EQ(error, "line 1: column map gives 'Campaign' an empty name");
}

TEST(RowUse, MarkTestCount) {
  RowUse used;
  EXPECT_EQ(used.count(), 0u);
  EXPECT_FALSE(used.test(0));
  used.mark(3);
  used.mark(3);
  used.mark(64);
  used.mark(1000);
  EXPECT_EQ(used.count(), 3u);
  EXPECT_TRUE(used.test(3));
  EXPECT_TRUE(used.test(64));
  EXPECT_TRUE(used.test(1000));
  EXPECT_FALSE(used.test(63));
  EXPECT_FALSE(used.test(999));
  EXPECT_FALSE(used.test(5000));
}

TEST(RowUse, MergeIsUnion) {
  RowUse a;
  RowUse b;
  a.mark(1);
  a.mark(70);
  b.mark(70);
  b.mark(2);
  b.mark(200);
  RowUse merged = a;
  merged |= b;
  EXPECT_EQ(merged.count(), 4u);
  for (const std::size_t row : {1u, 2u, 70u, 200u}) {
    EXPECT_TRUE(merged.test(row)) << row;
  }
  // Order does not matter, and merging an empty or the same set changes nothing.
  RowUse other = b;
  other |= a;
  other |= RowUse();
  other |= merged;
  EXPECT_EQ(other.count(), 4u);
  EXPECT_EQ(a.count(), 2u);
}

TEST(CallLog, UnmatchedRows) {
  const CallLog log = load(k_log);
  RowUse used;
  used.mark(static_cast<std::size_t>(log.find("c-1", "")));
  EXPECT_EQ(log.unmatched_rows(used), (Names{"c-2", "calls/call-0003.txt", "c-4"}));
  used.mark(static_cast<std::size_t>(log.find("", "x/calls/call-0003.txt")));
  EXPECT_EQ(log.unmatched_rows(used), (Names{"c-2", "c-4"}));
  EXPECT_EQ(log.unmatched_rows(RowUse()).size(), 4u);
}

TEST(CallLog, SampleDataJoin) {
  const CallLog log = load(read_text(k_data / "calls.csv"));
  ASSERT_EQ(log.size(), 47u);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(k_data / "calls")) {
    files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 48u);

  // Two "threads" join alternate files into their own RowUse, then merge.
  RowUse per_thread[2];
  Names without_row;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string stem = files[i].substr(0, files[i].rfind('.'));
    const long row = log.find(stem, "data/calls/" + files[i]);
    if (row < 0) {
      without_row.push_back(stem);
    } else {
      per_thread[i % 2].mark(static_cast<std::size_t>(row));
    }
  }
  RowUse used = per_thread[0];
  used |= per_thread[1];
  EXPECT_EQ(without_row, (Names{"call-0021", "call-0038"}));
  EXPECT_EQ(used.count(), 46u);
  EXPECT_EQ(log.unmatched_rows(used), (Names{"call-0049"}));
}
