// Unit tests for src/formats/json_access.hpp: member access with path-aware
// errors, numeric strings and time conversions.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "formats/json_access.hpp"

using namespace callsight;
using namespace callsight::formats;

TEST(JsonAccess, Paths) {
  EXPECT_EQ(join_path("", "text"), "text");
  EXPECT_EQ(join_path("results", "items"), "results.items");
  EXPECT_EQ(join_path("results.items", std::size_t{12}), "results.items[12]");
  EXPECT_EQ(member_error("X JSON", "a[1].b", "is missing"), R"(X JSON: "a[1].b" is missing)");
  EXPECT_EQ(member_error("X JSON", "", "is not an object"),
            "X JSON: the document is not an object");
}

TEST(JsonAccess, NumbersAndDurations) {
  EXPECT_EQ(parse_number("12.5"), 12.5);
  EXPECT_EQ(parse_number(" -0.25 "), -0.25);
  EXPECT_EQ(parse_number("+3"), 3.0);
  EXPECT_EQ(parse_number("1e3"), 1000.0);
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("abc"));
  EXPECT_FALSE(parse_number("1.5s"));
  EXPECT_FALSE(parse_number("nan"));
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("1e999"));
  EXPECT_EQ(parse_duration("1.500s"), 1.5);
  EXPECT_EQ(parse_duration("12s"), 12.0);
  EXPECT_EQ(parse_duration("7"), 7.0);
  EXPECT_FALSE(parse_duration("s"));
  EXPECT_FALSE(parse_duration("1.5ms"));
  EXPECT_EQ(to_double(nlohmann::json(3)), 3.0);
  EXPECT_EQ(to_double(nlohmann::json("4.5")), 4.5);
  EXPECT_FALSE(to_double(nlohmann::json(true)));
  EXPECT_FALSE(to_double(nlohmann::json(nullptr)));
  EXPECT_EQ(to_seconds(nlohmann::json(1500), TimeUnit::milliseconds), 1.5);
  EXPECT_EQ(to_seconds(nlohmann::json("25000000"), TimeUnit::ticks), 2.5);
  EXPECT_EQ(to_seconds(nlohmann::json("2.250s"), TimeUnit::duration), 2.25);
  EXPECT_EQ(to_seconds(nlohmann::json(2.25), TimeUnit::duration), 2.25);
  EXPECT_FALSE(to_seconds(nlohmann::json("2.250s"), TimeUnit::seconds));
  EXPECT_EQ(clamp_unit(1.3), 1.0);
  EXPECT_EQ(clamp_unit(-0.1), 0.0);
  EXPECT_EQ(clamp_unit(0.42), 0.42);
}

TEST(JsonAccess, TextHelpers) {
  EXPECT_EQ(trim_space("  hi there \r\n"), "hi there");
  EXPECT_EQ(trim_space(" \t\n"), "");
  EXPECT_EQ(clip_for_message("short"), "short");
  EXPECT_EQ(clip_for_message(std::string(40, 'x')), std::string(32, 'x'));
  // "é" is two bytes: a cut at byte 3 of "aaé..." backs off to "aa".
  EXPECT_EQ(clip_for_message("aa\xC3\xA9zzz", 3), "aa");
}

TEST(JsonAccess, SingleCall) {
  Call call;
  call.turns.resize(2);
  call.turns[1].text = "hello";
  ParseResult result = single_call(call);
  EXPECT_EQ(result.error, "");
  ASSERT_EQ(result.calls.size(), 1u);
  EXPECT_EQ(result.calls[0].turns.size(), 1u);
  call.turns[1].text = " ";
  result = single_call(call);
  EXPECT_EQ(result.error, "empty transcript (no text)");
  EXPECT_TRUE(result.calls.empty());
}

TEST(JsonAccess, ReaderTypedMembers) {
  const auto doc = nlohmann::json::parse(
      R"({"o":{"n":1.5,"s":"2","i":7,"big":1e12,"frac":2.5,"spk":0,"u":18446744073709551615,
          "str":"A","nul":null,"arr":[1],"neg":-3}})");
  JsonReader reader("Test JSON");
  const nlohmann::json* o = reader.object(doc, "o", "");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(reader.number(*o, "n", "o"), 1.5);
  EXPECT_EQ(reader.number(*o, "s", "o"), 2.0);
  EXPECT_EQ(reader.integer(*o, "i", "o"), 7);
  EXPECT_EQ(reader.integer(*o, "neg", "o"), -3);
  EXPECT_EQ(reader.label(*o, "spk", "o"), "0");
  EXPECT_EQ(reader.label(*o, "u", "o"), "18446744073709551615");
  EXPECT_EQ(*reader.string(*o, "str", "o"), "A");
  EXPECT_NE(reader.array(*o, "arr", "o"), nullptr);
  EXPECT_EQ(reader.seconds(*o, "i", "o", TimeUnit::milliseconds), 0.007);
  // Optional and absent or null: nothing, no error.
  EXPECT_FALSE(reader.number(*o, "missing", "o", Presence::optional));
  EXPECT_EQ(reader.string(*o, "nul", "o", Presence::optional), nullptr);
  EXPECT_FALSE(reader.failed());
  EXPECT_TRUE(has_member(*o, "n"));
  EXPECT_FALSE(has_member(*o, "nul"));
  EXPECT_EQ(find_member(nlohmann::json(3), "n"), nullptr);

  // The first error is kept.
  EXPECT_FALSE(reader.integer(*o, "big", "o"));
  EXPECT_FALSE(reader.integer(*o, "frac", "o"));
  EXPECT_TRUE(reader.failed());
  EXPECT_EQ(reader.error(), R"(Test JSON: "o.big" is not an integer)");
  EXPECT_EQ(reader.failure().error, reader.error());
  EXPECT_TRUE(reader.failure().calls.empty());
}

TEST(JsonAccess, ReaderErrors) {
  const auto doc = nlohmann::json::parse(R"({"a":"x","b":{},"c":[],"d":true})");
  const auto first_error = [&](auto read) {
    JsonReader reader("T");
    read(reader);
    return reader.error();
  };
  EXPECT_EQ(first_error([&](JsonReader& r) { r.object(doc, "zz", "p"); }),
            R"(T: "p.zz" is missing)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.object(doc, "a", ""); }),
            R"(T: "a" is not an object)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.array(doc, "b", ""); }),
            R"(T: "b" is not an array)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.string(doc, "c", ""); }),
            R"(T: "c" is not a string)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.number(doc, "d", ""); }),
            R"(T: "d" is not a number)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.seconds(doc, "a", "", TimeUnit::duration); }),
            R"(T: "a" is not a duration)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.label(doc, "b", ""); }),
            R"(T: "b" is not a string or an integer)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.number(nlohmann::json(5), "n", "x[2]"); }),
            R"(T: "x[2]" is not an object)");
  EXPECT_EQ(first_error([&](JsonReader& r) { r.expect_object(nlohmann::json(5), "x[2]"); }),
            R"(T: "x[2]" is not an object)");
  JsonReader reader("T");
  EXPECT_EQ(reader.failure().error, "T: invalid document");
}
