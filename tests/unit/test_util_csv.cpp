// Unit tests for the RFC 4180 reader and the formula-safe CSV cell writer.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "callsight/csv.hpp"

using callsight::csv_cell;
using callsight::CsvReader;
using callsight::write_csv_row;
using Row = std::vector<std::string>;

namespace {

std::vector<Row> read_all(std::string_view text) {
  CsvReader reader(text);
  std::vector<Row> rows;
  Row fields;
  while (reader.next(fields)) {
    EXPECT_EQ(reader.error(), "") << "record on line " << reader.line();
    rows.push_back(fields);
  }
  return rows;
}

} // namespace

TEST(CsvReader, SimpleRecords) {
  EXPECT_EQ(read_all("a,b,c\n1,2,3\n"), (std::vector<Row>{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(CsvReader, EmptyInput) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\n\r\n\n").empty());
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, FinalRecordWithoutNewline) {
  EXPECT_EQ(read_all("a,b\nc,d"), (std::vector<Row>{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvReader, EmptyFields) {
  EXPECT_EQ(read_all(",\na,,b,\n"), (std::vector<Row>{{"", ""}, {"a", "", "b", ""}}));
  EXPECT_EQ(read_all("\"\"\n"), (std::vector<Row>{{""}}));
}

TEST(CsvReader, CrlfLineEndings) {
  EXPECT_EQ(read_all("a,b\r\n1,2\r\n"), (std::vector<Row>{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(read_all("\"a\",\"b\"\r\n\"1\",2\r"), (std::vector<Row>{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReader, LoneCarriageReturnInsideFieldIsData) {
  EXPECT_EQ(read_all("a\rb,c\n"), (std::vector<Row>{{"a\rb", "c"}}));
}

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndNewlines) {
  const std::string text = "id,text\n"
                           "1,\"Hello, world\"\n"
                           "2,\"She said \"\"cancel\"\"\"\n"
                           "3,\"line one\nline two\r\nline three\"\n"
                           "4,\"\"\"\"\n";
  EXPECT_EQ(read_all(text), (std::vector<Row>{{"id", "text"},
                                              {"1", "Hello, world"},
                                              {"2", "She said \"cancel\""},
                                              {"3", "line one\nline two\r\nline three"},
                                              {"4", "\""}}));
}

TEST(CsvReader, SkipsUtf8Bom) {
  EXPECT_EQ(read_all("\xEF\xBB\xBF"
                     "call_id,file\n1,a.txt\n"),
            (std::vector<Row>{{"call_id", "file"}, {"1", "a.txt"}}));
  // A BOM elsewhere is data, not a marker.
  EXPECT_EQ(read_all("a\n\xEF\xBB\xBF"
                     "b\n"),
            (std::vector<Row>{{"a"},
                              {"\xEF\xBB\xBF"
                               "b"}}));
}

TEST(CsvReader, SkipsEmptyLines) {
  EXPECT_EQ(read_all("\n\na,b\n\n\r\nc,d\n\n"), (std::vector<Row>{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvReader, WhitespaceOnlyLineIsARecord) {
  EXPECT_EQ(read_all("a\n \nb\n"), (std::vector<Row>{{"a"}, {" "}, {"b"}}));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsLiteral) {
  EXPECT_EQ(read_all("5\" screen,it's \"ok\"\n"),
            (std::vector<Row>{{"5\" screen", "it's \"ok\""}}));
}

TEST(CsvReader, TextAfterClosingQuoteIsKept) {
  EXPECT_EQ(read_all("\"abc\"def,x\n"), (std::vector<Row>{{"abcdef", "x"}}));
}

TEST(CsvReader, LineNumbersCountNewlinesInsideQuotes) {
  const std::string text = "h1,h2\n"            // line 1
                           "\n"                 // line 2 (skipped)
                           "a,\"x\ny\"\n"       // lines 3-4
                           "b,\"\r\n\r\n\"\r\n" // lines 5-7
                           "c,d";               // line 8
  CsvReader reader(text);
  Row fields;
  std::vector<std::size_t> lines;
  while (reader.next(fields)) {
    lines.push_back(reader.line());
  }
  EXPECT_EQ(lines, (std::vector<std::size_t>{1, 3, 5, 8}));
}

TEST(CsvReader, UnterminatedQuoteReportsErrorAndRecord) {
  CsvReader reader("a,b\n1,\"never closed\n2,3\n");
  Row fields;
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.error(), "");
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.error(), "unterminated quoted field");
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(fields, (Row{"1", "never closed\n2,3\n"}));
  EXPECT_FALSE(reader.next(fields));
}

TEST(CsvReader, ErrorClearsOnNextRecord) {
  CsvReader reader("\"x");
  Row fields;
  ASSERT_TRUE(reader.next(fields));
  EXPECT_FALSE(reader.error().empty());
  EXPECT_FALSE(reader.next(fields));
  EXPECT_EQ(reader.error(), "");
}

TEST(CsvReader, ReusedFieldVectorShrinks) {
  CsvReader reader("a,b,c\nd\n");
  Row fields{"stale", "stale", "stale", "stale"};
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(fields, (Row{"a", "b", "c"}));
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(fields, (Row{"d"}));
}

TEST(CsvReader, ManyRows) {
  std::string text = "call_id,file,campaign\n";
  constexpr int k_rows = 100000;
  for (int i = 0; i < k_rows; ++i) {
    text += std::to_string(i) + ",calls/" + std::to_string(i) + ".txt,\"Spring, 2024\"\n";
  }
  CsvReader reader(text);
  Row fields;
  int count = 0;
  while (reader.next(fields)) {
    ASSERT_EQ(fields.size(), 3u);
    ++count;
  }
  EXPECT_EQ(count, k_rows + 1);
  EXPECT_EQ(reader.line(), static_cast<std::size_t>(k_rows + 1));
}

TEST(CsvCell, PlainValuesUnchanged) {
  EXPECT_EQ(csv_cell(""), "");
  EXPECT_EQ(csv_cell("pricing"), "pricing");
  EXPECT_EQ(csv_cell("42"), "42");
  EXPECT_EQ(csv_cell("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(csv_cell("a=b"), "a=b");
}

TEST(CsvCell, QuotesWhenNeeded) {
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_cell(" leading"), "\" leading\"");
  EXPECT_EQ(csv_cell("trailing "), "\"trailing \"");
  EXPECT_EQ(csv_cell("\""), "\"\"\"\"");
}

TEST(CsvCell, NeutralizesFormulaInjection) {
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_cell("=1+1"), "'=1+1");
  EXPECT_EQ(csv_cell("+cmd"), "'+cmd");
  EXPECT_EQ(csv_cell("-2+3"), "'-2+3");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("\tfoo"), "'\tfoo");
  EXPECT_EQ(csv_cell("\rfoo"), "\"'\rfoo\"");
  EXPECT_EQ(csv_cell("-"), "'-");
  EXPECT_EQ(csv_cell("+"), "'+");
  EXPECT_EQ(csv_cell("=cmd|' /C calc'!A0,x"), "\"'=cmd|' /C calc'!A0,x\"");
}

TEST(CsvCell, PlainNumbersAreNotNeutralized) {
  EXPECT_EQ(csv_cell("-3"), "-3");
  EXPECT_EQ(csv_cell("+1.5"), "+1.5");
  EXPECT_EQ(csv_cell("-0.25"), "-0.25");
  EXPECT_EQ(csv_cell("-1000"), "-1000");
  // Only the plain decimal form is exempt.
  EXPECT_EQ(csv_cell("-1e5"), "'-1e5");
  EXPECT_EQ(csv_cell("-.5"), "'-.5");
  EXPECT_EQ(csv_cell("-3."), "'-3.");
  EXPECT_EQ(csv_cell("-1,000"), "\"'-1,000\"");
}

TEST(CsvWriter, WritesRow) {
  std::ostringstream out;
  write_csv_row(out, {"campaign", "a,b", "-3", "=x"});
  write_csv_row(out, {});
  EXPECT_EQ(out.str(), "campaign,\"a,b\",-3,'=x\n\n");
}

TEST(CsvWriter, LoneEmptyCellSurvivesRoundTrip) {
  std::ostringstream out;
  write_csv_row(out, {""});
  write_csv_row(out, {"", ""});
  EXPECT_EQ(out.str(), "\"\"\n,\n");
  EXPECT_EQ(read_all(out.str()), (std::vector<Row>{{""}, {"", ""}}));
}

TEST(CsvWriter, RoundTripOfTrickyValues) {
  const std::vector<Row> rows = {
      {"id", "text", "amount"},
      {"1", "Hello, \"world\"", "-3"},
      {"2", "multi\nline\r\nvalue", "+1.5"},
      {"3", " padded ", ""},
      {"4", "\"", ","},
      {"5", "caf\xC3\xA9 \xE2\x82\xAC", "it's"},
      {""},
      {"", "", ""},
  };
  std::ostringstream out;
  for (const Row& row : rows) {
    write_csv_row(out, row);
  }
  EXPECT_EQ(read_all(out.str()), rows);
}

TEST(CsvWriter, RoundTripKeepsNeutralizedFormulaAsText) {
  const Row row = {"=HYPERLINK(\"http://x\")", "+cmd", "-2+3", "@SUM(A1)", "\tfoo", "\rfoo"};
  std::ostringstream out;
  write_csv_row(out, row);
  const std::vector<Row> back = read_all(out.str());
  ASSERT_EQ(back.size(), 1u);
  ASSERT_EQ(back[0].size(), row.size());
  for (std::size_t i = 0; i < row.size(); ++i) {
    EXPECT_EQ(back[0][i], "'" + row[i]);
  }
}
