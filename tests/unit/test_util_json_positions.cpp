// Tests for util/json_positions: values, keys and syntax errors mapped back to
// 1-based line and byte column, with comments, CRLF and a BOM.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "util/json_positions.hpp"

namespace callsight {
namespace {

using Json = nlohmann::json;

// Line and column of a position, compared as a pair for short assertions.
std::pair<int, int> lc(const SourcePos& pos) {
  return {pos.line, pos.column};
}
std::pair<int, int> lc(const JsonError& error) {
  return {error.line, error.column};
}

JsonDocument parse_ok(std::string_view text, RecordPositions record = RecordPositions::yes) {
  JsonError error;
  std::optional<JsonDocument> document = parse_json_with_positions(text, error, record);
  EXPECT_TRUE(document.has_value()) << describe(error);
  return document ? std::move(*document) : JsonDocument{};
}

JsonError parse_error(std::string_view text) {
  JsonError error;
  EXPECT_FALSE(parse_json_with_positions(text, error).has_value());
  return error;
}

using P = std::pair<int, int>;

TEST(JsonPositions, NestedValuesAndKeysWithCommentsAndCrlf) {
  const std::string text = "// header comment\r\n"
                           "{\r\n"
                           "  \"a\": 1, /* inline */ \"b\": [true, null, -2.5e3],\r\n"
                           "  \"c\": {\"d\": \"x\\\"y\"}\r\n"
                           "}\r\n";
  const JsonDocument doc = parse_ok(text);
  EXPECT_EQ(doc.value["c"]["d"], "x\"y");
  EXPECT_EQ(doc.value["b"][2], -2500.0);

  EXPECT_EQ(lc(doc.positions.at("")), P(2, 1));
  EXPECT_EQ(lc(doc.key_positions.at("/a")), P(3, 3));
  EXPECT_EQ(lc(doc.positions.at("/a")), P(3, 8));
  EXPECT_EQ(lc(doc.key_positions.at("/b")), P(3, 24));
  EXPECT_EQ(lc(doc.positions.at("/b")), P(3, 29));
  EXPECT_EQ(lc(doc.positions.at("/b/0")), P(3, 30));
  EXPECT_EQ(lc(doc.positions.at("/b/1")), P(3, 36));
  EXPECT_EQ(lc(doc.positions.at("/b/2")), P(3, 42));
  EXPECT_EQ(lc(doc.key_positions.at("/c")), P(4, 3));
  EXPECT_EQ(lc(doc.positions.at("/c")), P(4, 8));
  EXPECT_EQ(lc(doc.key_positions.at("/c/d")), P(4, 9));
  EXPECT_EQ(lc(doc.positions.at("/c/d")), P(4, 14));
  EXPECT_EQ(doc.positions.at("/c/d").offset, text.find("\"x\\\""));
  EXPECT_EQ(doc.positions.size(), 8U);
  EXPECT_EQ(doc.key_positions.size(), 4U);
}

TEST(JsonPositions, ArraysOfObjectsAndNumbersNextToPunctuation) {
  const JsonDocument doc = parse_ok("[1,22,333,{\"k\":[false,-0.5e+2]},[],{}]");
  EXPECT_EQ(lc(doc.positions.at("/0")), P(1, 2));
  EXPECT_EQ(lc(doc.positions.at("/1")), P(1, 4));
  EXPECT_EQ(lc(doc.positions.at("/2")), P(1, 7));
  EXPECT_EQ(lc(doc.positions.at("/3")), P(1, 11));
  EXPECT_EQ(lc(doc.key_positions.at("/3/k")), P(1, 12));
  EXPECT_EQ(lc(doc.positions.at("/3/k")), P(1, 16));
  EXPECT_EQ(lc(doc.positions.at("/3/k/0")), P(1, 17));
  EXPECT_EQ(lc(doc.positions.at("/3/k/1")), P(1, 23));
  EXPECT_EQ(lc(doc.positions.at("/4")), P(1, 33));
  EXPECT_EQ(lc(doc.positions.at("/5")), P(1, 36));
}

TEST(JsonPositions, TopLevelScalars) {
  EXPECT_EQ(lc(parse_ok("  42  ").positions.at("")), P(1, 3));
  EXPECT_EQ(lc(parse_ok("42").positions.at("")), P(1, 1));
  EXPECT_EQ(lc(parse_ok("\n\t\"s\"").positions.at("")), P(2, 2));
  EXPECT_EQ(lc(parse_ok("/* c */ true").positions.at("")), P(1, 9));
  EXPECT_EQ(lc(parse_ok("null // end").positions.at("")), P(1, 1));
}

TEST(JsonPositions, StringsEndingInEscapedBackslash) {
  // ["a\\", "b\\\"c"]: the quote before b is not escaped, the one inside is.
  const JsonDocument doc = parse_ok(R"(["a\\", "b\\\"c", "d"])");
  EXPECT_EQ(doc.value[0], "a\\");
  EXPECT_EQ(lc(doc.positions.at("/0")), P(1, 2));
  EXPECT_EQ(lc(doc.positions.at("/1")), P(1, 9));
  EXPECT_EQ(lc(doc.positions.at("/2")), P(1, 19));
}

TEST(JsonPositions, MultiByteCharactersCountAsBytes) {
  // "é" is two bytes, so the value after it starts one column later than it looks.
  const JsonDocument doc = parse_ok("{\"\xC3\xA9\": 1}");
  EXPECT_EQ(lc(doc.key_positions.at("/\xC3\xA9")), P(1, 2));
  EXPECT_EQ(lc(doc.positions.at("/\xC3\xA9")), P(1, 8));
}

TEST(JsonPositions, PointerSegmentsAreEscaped) {
  const JsonDocument doc = parse_ok(R"({"a/b": {"m~n": [7]}})");
  EXPECT_EQ(lc(doc.positions.at("/a~1b/m~0n/0")), P(1, 18));
  EXPECT_EQ(lc(position_of(doc, Json::json_pointer("/a~1b/m~0n/0"))), P(1, 18));
  EXPECT_EQ(doc.value.at(Json::json_pointer("/a~1b/m~0n/0")), 7);
  EXPECT_EQ(pointer_append("/x", "a/b~c"), "/x/a~1b~0c");
  EXPECT_EQ(pointer_append("", std::size_t{3}), "/3");
}

TEST(JsonPositions, PositionOfFallsBackToNearestAncestor) {
  const JsonDocument doc = parse_ok("{\n  \"c\": {\"d\": [1]}\n}");
  EXPECT_EQ(lc(position_of(doc, "/c/d/0")), P(2, 15));
  EXPECT_EQ(lc(position_of(doc, "/c/d/5")), P(2, 14));
  EXPECT_EQ(lc(position_of(doc, "/c/zzz/1")), P(2, 8));
  EXPECT_EQ(lc(position_of(doc, "/nope")), P(1, 1));
  EXPECT_EQ(lc(key_position_of(doc, "/c/d")), P(2, 9));
  EXPECT_EQ(lc(key_position_of(doc, "/c/d/0")), P(2, 15)); // not a member: value position
  EXPECT_EQ(lc(position_of(JsonDocument{}, "/a")), P(0, 0));
}

TEST(JsonPositions, DuplicateKeysKeepTheLastValueAndAreReported) {
  const JsonDocument doc = parse_ok("{\"a\": 1,\n \"a\": {\"b\": 2}}");
  EXPECT_EQ(doc.value["a"]["b"], 2);
  ASSERT_EQ(doc.duplicate_keys.size(), 1U);
  EXPECT_EQ(doc.duplicate_keys[0].pointer, "/a");
  EXPECT_EQ(lc(doc.duplicate_keys[0].first), P(1, 2));
  EXPECT_EQ(lc(doc.duplicate_keys[0].second), P(2, 2));
  EXPECT_EQ(lc(doc.key_positions.at("/a")), P(2, 2));
  EXPECT_EQ(lc(doc.positions.at("/a")), P(2, 7));
}

TEST(JsonPositions, BomIsSkippedButCounted) {
  const JsonDocument doc = parse_ok("\xEF\xBB\xBF{\"a\": 1}");
  EXPECT_EQ(doc.value["a"], 1);
  EXPECT_EQ(lc(doc.positions.at("")), P(1, 4));
}

TEST(JsonPositions, WithoutPositionsOnlyTheValueIsBuilt) {
  const JsonDocument doc = parse_ok("{\"a\": [1, {\"b\": \"c\"}], \"a\": 2}", RecordPositions::no);
  EXPECT_EQ(doc.value, Json::parse(R"({"a": 2})"));
  EXPECT_TRUE(doc.positions.empty());
  EXPECT_TRUE(doc.key_positions.empty());
  EXPECT_TRUE(doc.duplicate_keys.empty());

  JsonError error;
  EXPECT_FALSE(parse_json_with_positions("[1,\n 2 3]", error, RecordPositions::no));
  EXPECT_EQ(lc(error), P(2, 4));
}

TEST(JsonPositions, SameValueAsNlohmannParse) {
  const std::string text = R"({"s": "t\u00e9\n", "n": [0, -1, 18446744073709551615, 1.5e-3],
      "o": {"z": null, "a": true}, "e": [], "u": "\ud83d\ude00"})";
  EXPECT_EQ(parse_ok(text).value, Json::parse(text));
  EXPECT_EQ(parse_ok(text, RecordPositions::no).value, Json::parse(text));
}

TEST(JsonPositions, DeepNestingDoesNotOverflowTheStack) {
  // With the nesting limit lifted, parsing and destroying stay iterative.
  const std::size_t depth = 100000;
  const std::string text = std::string(depth, '[') + std::string(depth, ']');
  JsonError error;
  const std::optional<JsonDocument> doc =
      parse_json_with_positions(text, error, RecordPositions::no, SIZE_MAX);
  ASSERT_TRUE(doc.has_value()) << describe(error);
  EXPECT_TRUE(doc->value.is_array());
}

TEST(JsonPositions, MissingCommaPointsAtTheNextToken) {
  const JsonError error = parse_error("{\n"
                                      "  \"a\": 1,\n"
                                      "  \"b\": 2\n"
                                      "  \"c\": 3\n"
                                      "}\n");
  EXPECT_EQ(lc(error), P(4, 3));
  EXPECT_EQ(error.offset, 23U);
  EXPECT_EQ(error.message,
            "syntax error while parsing object - unexpected string literal; expected '}'");
  EXPECT_EQ(describe(error),
            "4:3: syntax error while parsing object - unexpected string literal; expected '}'");
}

TEST(JsonPositions, MissingCommaInArrayAfterCrlfAndComment) {
  const JsonError error = parse_error("[\r\n  1, // one\r\n  22\r\n  333\r\n]");
  EXPECT_EQ(lc(error), P(4, 3));
  EXPECT_EQ(error.message,
            "syntax error while parsing array - unexpected number literal; expected ']'");
}

TEST(JsonPositions, SyntaxErrorPositions) {
  // Missing colon: points at the value that came instead.
  EXPECT_EQ(lc(parse_error("{\"a\" 1}")), P(1, 6));
  // Trailing comma: points at the closing bracket.
  const JsonError trailing = parse_error("[1, 2,\n]");
  EXPECT_EQ(lc(trailing), P(2, 1));
  EXPECT_EQ(trailing.message,
            "syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal");
  // Bad literal: points at its first letter.
  const JsonError literal = parse_error("{\"a\": True}");
  EXPECT_EQ(lc(literal), P(1, 7));
  EXPECT_EQ(literal.message, "syntax error while parsing value - invalid literal; last read: 'T'");
  const JsonError partial = parse_error("[\n  tru}");
  EXPECT_EQ(lc(partial), P(2, 3));
  EXPECT_EQ(partial.message,
            "syntax error while parsing value - invalid literal; last read: 'tru}'");
  // Single quotes and bare keys are not JSON.
  const JsonError single = parse_error("{'a': 1}");
  EXPECT_EQ(lc(single), P(1, 2));
  EXPECT_EQ(single.message, "syntax error while parsing object key - invalid literal; last read: "
                            "'''; expected string literal");
  const JsonError bare = parse_error("{\"a\": 1, name: 2}");
  EXPECT_EQ(lc(bare), P(1, 10));
  EXPECT_EQ(bare.message, "syntax error while parsing object key - invalid literal; last read: "
                          "'na'; expected string literal");
  // Trailing garbage after the value.
  const JsonError extra = parse_error("{}\n{}");
  EXPECT_EQ(lc(extra), P(2, 1));
  EXPECT_EQ(extra.message,
            "syntax error while parsing value - unexpected '{'; expected end of input");
}

TEST(JsonPositions, ErrorsInsideStringsPointAtTheBadByte) {
  const JsonError control = parse_error("[\"ab\ncd\"]");
  EXPECT_EQ(lc(control), P(1, 5)); // the raw line break ending line 1
  EXPECT_EQ(control.message, "syntax error while parsing value - invalid string: control "
                             "character U+000A (LF) must be escaped to \\u000A or \\n; last "
                             "read: '\"ab<U+000A>'");
  const JsonError escape = parse_error("[\"a\\x\"]");
  EXPECT_EQ(lc(escape), P(1, 5));
}

TEST(JsonPositions, EndOfInputErrorsPointAtTheEnd) {
  const JsonError open = parse_error("{\"a\": 1\n");
  EXPECT_EQ(lc(open), P(2, 1));
  EXPECT_EQ(open.message, "syntax error while parsing object - unexpected end of input; "
                          "expected '}'");
  EXPECT_EQ(lc(parse_error("[1, 2")), P(1, 6));
  EXPECT_EQ(lc(parse_error("[\"abc")), P(1, 6));
  EXPECT_EQ(lc(parse_error("/* never closed")), P(1, 16));
  const JsonError empty = parse_error("");
  EXPECT_EQ(lc(empty), P(1, 1));
  EXPECT_EQ(lc(parse_error("  \n ")), P(2, 2));
}

TEST(JsonPositions, NumberOverflowIsAnError) {
  const JsonError error = parse_error("{\"a\":\n  1e999}");
  EXPECT_EQ(lc(error), P(2, 3));
  EXPECT_EQ(error.message, "number overflow parsing '1e999'");
}

TEST(JsonPositions, SourcePositionOfOffsets) {
  const std::string_view text = "ab\r\ncd\n\nef";
  EXPECT_EQ(lc(source_position(text, 0)), P(1, 1));
  EXPECT_EQ(lc(source_position(text, 2)), P(1, 3));
  EXPECT_EQ(lc(source_position(text, 4)), P(2, 1));
  EXPECT_EQ(lc(source_position(text, 7)), P(3, 1));
  EXPECT_EQ(lc(source_position(text, 9)), P(4, 2));
  EXPECT_EQ(lc(source_position(text, 100)), P(4, 3)); // clamped to the end
}

TEST(JsonPositions, NestingUpToTheLimitParses) {
  JsonError error;
  const std::string text = std::string(4, '[') + std::string(4, ']');
  EXPECT_TRUE(parse_json_with_positions(text, error, RecordPositions::yes, 4).has_value());
  EXPECT_TRUE(parse_json_with_positions(text, error, RecordPositions::no, 4).has_value());
  const std::optional<JsonDocument> doc =
      parse_json_with_positions("{\"a\": {\"b\": [1]}}", error, RecordPositions::yes, 3);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(lc(position_of(*doc, "/a/b/0")), P(1, 14));
}

TEST(JsonPositions, NestingOverTheLimitIsAnErrorAtTheBracket) {
  // Brackets inside strings and comments do not count, in either mode.
  const std::string text = "{\"s\": \"[[[{\", // [[[\n /* {{{ */ \"a\": [[ {\"b\": 1}]]}";
  for (const RecordPositions record : {RecordPositions::yes, RecordPositions::no}) {
    JsonError error;
    EXPECT_TRUE(parse_json_with_positions(text, error, record, 4).has_value());
    EXPECT_FALSE(parse_json_with_positions(text, error, record, 3).has_value());
    EXPECT_TRUE(error.too_deep);
    EXPECT_EQ(error.message, "nested deeper than 3 levels");
    EXPECT_EQ(lc(error), P(2, 20)) << describe(error); // the '{' of {"b": 1}
  }
  JsonError syntax;
  EXPECT_FALSE(parse_json_with_positions("[1 2]", syntax, RecordPositions::no, 3).has_value());
  EXPECT_FALSE(syntax.too_deep);
}

TEST(JsonPositions, MillionLevelsFailFastWithoutRecursion) {
  // Unclosed and closed: neither may overflow the stack nor record a pointer
  // string per level (quadratic), in either mode.
  const std::size_t levels = 1000000;
  const std::string open(levels, '[');
  const std::string closed = open + std::string(levels, ']');
  const std::string objects = [&] {
    std::string text;
    for (std::size_t i = 0; i < levels; ++i) {
      text += "{\"a\":";
    }
    return text + "1" + std::string(levels, '}');
  }();
  for (const std::string* text : {&open, &closed, &objects}) {
    for (const RecordPositions record : {RecordPositions::yes, RecordPositions::no}) {
      JsonError error;
      const auto started = std::chrono::steady_clock::now();
      EXPECT_FALSE(parse_json_with_positions(*text, error, record).has_value());
      EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
      EXPECT_TRUE(error.too_deep);
      EXPECT_EQ(error.offset, text == &objects ? 256u * 5u : 256u);
    }
  }
}

} // namespace
} // namespace callsight
