// Unit tests for --filename-pattern: named-group translation, matching file names, errors.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "callsight/metadata.hpp"

using callsight::FilenamePattern;
using Fields = std::map<std::string, std::string>;
using Names = std::vector<std::string>;

namespace {

FilenamePattern compile(std::string_view pattern) {
  std::string error = "stale";
  std::optional<FilenamePattern> compiled = FilenamePattern::compile(pattern, error);
  EXPECT_TRUE(compiled.has_value()) << error;
  EXPECT_EQ(error, "");
  return compiled ? std::move(*compiled) : FilenamePattern();
}

std::string compile_error(std::string_view pattern) {
  std::string error;
  EXPECT_FALSE(FilenamePattern::compile(pattern, error).has_value()) << pattern;
  return error;
}

// The fields a pattern takes from `path`, or {"<no match>": path}.
Fields fields_of(const FilenamePattern& pattern, std::string_view path) {
  Fields fields;
  if (!pattern.apply(path, fields)) {
    return Fields{{"<no match>", std::string(path)}};
  }
  return fields;
}

const char* const k_campaign_date_id =
    R"(^(?<campaign>[a-z_]+)-(?<date>\d{4}-\d{2}-\d{2})-(?<call_id>[^.]+))";

} // namespace

TEST(FilenamePattern, ThreeNamedGroups) {
  const FilenamePattern pattern = compile(k_campaign_date_id);
  EXPECT_EQ(pattern.names(), (Names{"campaign", "date", "call_id"}));
  EXPECT_EQ(
      fields_of(pattern, "morning_radio-2026-10-21-call-0022.txt"),
      (Fields{{"campaign", "morning_radio"}, {"date", "2026-10-21"}, {"call_id", "call-0022"}}));
  // [a-z_]+ takes no digit, so "tv_spot_q4" cannot be the campaign.
  EXPECT_EQ(fields_of(pattern, "tv_spot_q4-2026-10-21-call-0022.txt"),
            (Fields{{"<no match>", "tv_spot_q4-2026-10-21-call-0022.txt"}}));
}

TEST(FilenamePattern, MatchesTheFileNameNotTheDirectory) {
  const FilenamePattern pattern = compile(k_campaign_date_id);
  EXPECT_EQ(fields_of(pattern, "/srv/calls/mailer_oct-2026-10-12-c12.vtt"),
            (Fields{{"campaign", "mailer_oct"}, {"date", "2026-10-12"}, {"call_id", "c12"}}));
  // The directory looks right but the name does not: the ^ anchors at the name.
  EXPECT_EQ(fields_of(pattern, "organic-2026-10-01-x/Call 7.txt"),
            (Fields{{"<no match>", "organic-2026-10-01-x/Call 7.txt"}}));
}

TEST(FilenamePattern, NonMatchingNamesLeaveFieldsAlone) {
  const FilenamePattern pattern = compile(k_campaign_date_id);
  Fields fields{{"agent", "Maria"}};
  for (const char* path : {"call-0001.txt", "TV-2026-10-21-7.txt", "tv-2026-1-21-7.txt", "",
                           "calls/", "tv_spot-2026-10-21-.txt"}) {
    EXPECT_FALSE(pattern.apply(path, fields)) << path;
  }
  EXPECT_EQ(fields, (Fields{{"agent", "Maria"}}));
}

TEST(FilenamePattern, OverwritesFieldsItMatches) {
  const FilenamePattern pattern = compile(R"((?<agent>[A-Z][a-z]+)_(?<call_id>\d+))");
  Fields fields{{"agent", "header value"}, {"campaign", "kept"}};
  EXPECT_TRUE(pattern.apply("calls/Keisha_0017.txt", fields));
  EXPECT_EQ(fields, (Fields{{"agent", "Keisha"}, {"call_id", "0017"}, {"campaign", "kept"}}));
}

TEST(FilenamePattern, UnnamedAndNonCapturingGroupsKeepNumbering) {
  // Plain groups count as captures, (?:...) does not: agent is capture 3.
  const FilenamePattern pattern =
      compile(R"(^(\d+)-(?:in|out)bound-(x|y)?-?(?<agent>[a-z]+)(?=\.)(?<ext>\.\w+)$)");
  EXPECT_EQ(pattern.names(), (Names{"agent", "ext"}));
  EXPECT_EQ(fields_of(pattern, "42-inbound-y-dev.txt"),
            (Fields{{"agent", "dev"}, {"ext", ".txt"}}));
  EXPECT_EQ(fields_of(pattern, "42-outbound-maria.json"),
            (Fields{{"agent", "maria"}, {"ext", ".json"}}));
}

TEST(FilenamePattern, EscapedParensAndClassesOpenNoGroup) {
  // \( \) [(] and [^)] are literal: call_id is still capture 1.
  const FilenamePattern pattern = compile(R"(^\((?<call_id>[^)]+)\)[(\[](?<agent>[a-z]+)[\])]\\?)");
  EXPECT_EQ(pattern.names(), (Names{"call_id", "agent"}));
  EXPECT_EQ(fields_of(pattern, "(c-77)(renee).txt"),
            (Fields{{"call_id", "c-77"}, {"agent", "renee"}}));
  EXPECT_EQ(fields_of(pattern, "(c-78)[jordan]\\.txt"),
            (Fields{{"call_id", "c-78"}, {"agent", "jordan"}}));
  // A "(?<x>" inside a class is characters, not a group.
  const FilenamePattern in_class = compile(R"([(?<x>]+(?<id>\d+))");
  EXPECT_EQ(in_class.names(), (Names{"id"}));
  EXPECT_EQ(fields_of(in_class, "<x>12.txt"), (Fields{{"id", "12"}}));
}

TEST(FilenamePattern, OptionalAndEmptyGroupsAreNotSet) {
  const FilenamePattern pattern = compile(R"(^(?<call_id>\d+)(?:-(?<agent>[a-z]+))?(?<tag>x*)\.)");
  EXPECT_EQ(fields_of(pattern, "17.txt"), (Fields{{"call_id", "17"}}));
  EXPECT_EQ(fields_of(pattern, "17-dev.txt"), (Fields{{"call_id", "17"}, {"agent", "dev"}}));
  EXPECT_EQ(fields_of(pattern, "17-devxx.txt"), (Fields{{"call_id", "17"}, {"agent", "devxx"}}));
}

TEST(FilenamePattern, PythonSyntaxAndBackReferences) {
  const FilenamePattern pattern = compile(R"(^(?P<campaign>[a-z]+)_(?P<call_id>\d+)_\k<campaign>)");
  EXPECT_EQ(pattern.names(), (Names{"campaign", "call_id"}));
  EXPECT_EQ(fields_of(pattern, "tv_12_tv.txt"), (Fields{{"campaign", "tv"}, {"call_id", "12"}}));
  EXPECT_EQ(fields_of(pattern, "tv_12_radio.txt"), (Fields{{"<no match>", "tv_12_radio.txt"}}));
  const FilenamePattern python_ref = compile(R"((?P<a>\d)(?P=a))");
  EXPECT_EQ(fields_of(python_ref, "x77.txt"), (Fields{{"a", "7"}}));
  EXPECT_EQ(fields_of(python_ref, "x78.txt"), (Fields{{"<no match>", "x78.txt"}}));
}

TEST(FilenamePattern, CopiesShareTheCompiledPattern) {
  std::optional<FilenamePattern> copy;
  {
    const FilenamePattern pattern = compile(R"((?<call_id>\d+))");
    copy = pattern;
  }
  EXPECT_EQ(fields_of(*copy, "a9.txt"), (Fields{{"call_id", "9"}}));
  const FilenamePattern empty;
  Fields fields;
  EXPECT_FALSE(empty.apply("a9.txt", fields));
  EXPECT_TRUE(empty.names().empty());
}

TEST(FilenamePattern, Errors) {
  EXPECT_EQ(compile_error(R"(^call-(\d+))"),
            R"(filename pattern '^call-(\d+)' has no named group, such as (?<call_id>...) or )"
            "(?<campaign>...)");
  EXPECT_EQ(compile_error("(?<a>x)(?<a>y)"), "filename pattern '(?<a>x)(?<a>y)': group name 'a' "
                                             "is used twice");
  EXPECT_EQ(compile_error("(?<1st>x)"),
            "filename pattern '(?<1st>x)': bad group name '1st' (letters, digits and '_', not "
            "starting with a digit)");
  EXPECT_EQ(compile_error("(?<call-id>x)"),
            "filename pattern '(?<call-id>x)': bad group name 'call-id' (letters, digits and '_', "
            "not starting with a digit)");
  EXPECT_EQ(compile_error("(?<id"),
            "filename pattern '(?<id': unterminated group name after '(?<'");
  EXPECT_EQ(compile_error(R"(\k<a>(?<a>x))"),
            R"(filename pattern '\k<a>(?<a>x)': back-reference to 'a', which is not an earlier )"
            "named group");
  EXPECT_EQ(compile_error("(?P=b)(?<b>x)"),
            "filename pattern '(?P=b)(?<b>x)': back-reference to 'b', which is not an earlier "
            "named group");
}

TEST(FilenamePattern, BadRegexErrors) {
  for (const char* bad : {"(?<id>x", "(?<id>x))", "(?<id>[a-", "(?<id>x{2,1})", "(?<id>x)\\",
                          "(?<id>*)", "(?<=a)(?<id>x)"}) {
    const std::string error = compile_error(bad);
    EXPECT_EQ(error.rfind("filename pattern '" + std::string(bad) + "' is not a valid regex: ", 0),
              0u)
        << error;
  }
}

TEST(FilenamePattern, HugeCountsAndBackReferencesAreRefused) {
  // Found by fuzz_filename_pattern: std::regex overflows a signed long on
  // such numbers (undefined behaviour) or builds one state per repetition.
  EXPECT_EQ(compile_error(R"((?<id>x)\99999999999999999999)"),
            R"(filename pattern '(?<id>x)\99999999999999999999': number 99999999999999999999 )"
            "is over 1000");
  EXPECT_EQ(compile_error("(?<id>x{2,1000000})"),
            "filename pattern '(?<id>x{2,1000000})': number 1000000 is over 1000");
  EXPECT_EQ(compile_error("(?<id>x{123456789012345678901234})"),
            "filename pattern '(?<id>x{123456789012345678901234})': number 12345678901234567890... "
            "is over 1000");
  // Sane counts, literal braces and escaped backslashes before digits still work.
  EXPECT_EQ(fields_of(compile(R"(^(?<id>\d{2,4})-\1)"), "42-42.txt"), (Fields{{"id", "42"}}));
  EXPECT_EQ(fields_of(compile(R"((?<id>a{1000}))"), std::string(1000, 'a')),
            (Fields{{"id", std::string(1000, 'a')}}));
  EXPECT_EQ(fields_of(compile(R"(^\\99-(?<id>.+)$)"), "\\99-x"), (Fields{{"id", "x"}}));
}

// std::regex backtracks: these forms take exponential time on some file names
// (the fuzzer's was "(?P<agent>[A-z])?+(?P<call_id>json|txt)$" on a 70-byte name).
TEST(FilenamePattern, QuantifiersThatCanTakeExponentialTimeAreRefused) {
  EXPECT_EQ(compile_error("(?<a>x)?+"), "filename pattern '(?<a>x)?+': quantifier '+' follows "
                                        "another quantifier (nothing to repeat)");
  EXPECT_NE(compile_error("(?<a>x)**").find("follows another quantifier"), std::string::npos);
  EXPECT_NE(compile_error("(?<a>x+?+)").find("follows another quantifier"), std::string::npos);
  for (const char* nested : {"(?<a>x+)+", "(?<a>x?)*", "(?<a>(?:x*y)+)", "((?<a>x+)_){2,}",
                             "(?<a>\\d{2}){3}", "(?<a>((x)+))+"}) {
    SCOPED_TRACE(nested);
    EXPECT_NE(compile_error(nested).find("exponential time"), std::string::npos);
  }
  // Bounded repeats of such groups, lazy quantifiers and plain repeats stay allowed.
  for (const char* fine : {"(?<a>x+)?", "(?<a>x+)(?:-y)*", "((?<a>[a-z]+)_)?", "(?<a>x+?)",
                           "(?<a>\\d{2}){1}", "(?<a>x+){0,1}", "(?<a>(?:ab)+)", "(?<a>x)[?+*]+"}) {
    SCOPED_TRACE(fine);
    compile(fine);
  }
  const FilenamePattern pattern = compile(R"((?<agent>[A-Za-z]+?)_(?<call_id>\d+)\.txt$)");
  std::map<std::string, std::string> fields;
  EXPECT_TRUE(pattern.apply("Maria_5.txt", fields));
  EXPECT_EQ(fields["agent"], "Maria");
}
