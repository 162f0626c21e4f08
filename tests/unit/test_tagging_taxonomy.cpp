// Tests for taxonomy loading: every validation rule with its exact line and
// column, did-you-mean suggestions, phrase syntax, and the built-in default.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "callsight/taxonomy.hpp"

namespace callsight {
namespace {

// Issues as "line:column: message" so a test can compare the full list.
std::vector<std::string> issues_of(std::string_view json_text) {
  const TaxonomyLoadResult result = parse_taxonomy(json_text);
  EXPECT_EQ(result.taxonomy.has_value(), !result.has_errors());
  std::vector<std::string> out;
  for (const TaxonomyIssue& issue : result.issues) {
    out.push_back(std::to_string(issue.line) + ":" + std::to_string(issue.column) + ": " +
                  (issue.warning ? "warning: " : "") + issue.message);
  }
  return out;
}

using Issues = std::vector<std::string>;

// A taxonomy whose only topic is written on line 2, starting at column 1, so
// a column in these tests is the 1-based index into `topic`.
std::string with_topic(std::string_view topic) {
  return "{\"schema_version\": 1, \"topics\": [\n" + std::string(topic) + "\n]}";
}

Taxonomy parse_ok(std::string_view json_text) {
  const TaxonomyLoadResult result = parse_taxonomy(json_text);
  EXPECT_TRUE(result.issues.empty())
      << result.issues.front().line << ":" << result.issues.front().column << ": "
      << result.issues.front().message;
  return result.taxonomy.value_or(Taxonomy{});
}

TEST(TaxonomyParse, ValidTaxonomyWithEveryField) {
  const Taxonomy taxonomy = parse_ok(R"({
  // comments are allowed
  "schema_version": 1,
  "name": "test",
  "language": "de",
  "topics": [
    {
      "id": "pricing",
      "label": "Pricing and cost",
      "kind": "competitor",
      "description": "Questions about price.",
      "speaker": "customer",
      "phrases": ["how much", "price", "expens*", "\"quote\""],
      "exclude": ["price match"],
      "min_hits": 2,
      "negation": "ignore"
    }
  ]
})");
  EXPECT_EQ(taxonomy.schema_version, 1);
  EXPECT_EQ(taxonomy.name, "test");
  EXPECT_EQ(taxonomy.language, "de");
  ASSERT_EQ(taxonomy.topics.size(), 1U);
  const Topic& topic = taxonomy.topics[0];
  EXPECT_EQ(topic.id, "pricing");
  EXPECT_EQ(topic.label, "Pricing and cost");
  EXPECT_EQ(topic.kind, TopicKind::competitor);
  EXPECT_EQ(topic.description, "Questions about price.");
  EXPECT_EQ(topic.speaker, SpeakerFilter::customer);
  EXPECT_EQ(topic.phrases, (std::vector<std::string>{"how much", "price", "expens*", "\"quote\""}));
  EXPECT_EQ(topic.exclude, std::vector<std::string>{"price match"});
  EXPECT_EQ(topic.min_hits, 2U);
  EXPECT_EQ(topic.negation, NegationMode::ignore);
}

TEST(TaxonomyParse, DefaultsAndFileOrder) {
  const Taxonomy taxonomy = parse_ok(R"({"schema_version": 1, "topics": [
    {"id": "zeta", "phrases": ["z"]},
    {"id": "alpha", "phrases": ["a"], "exclude": [], "min_hits": 1000},
    {"id": "mid_2", "phrases": ["m"]}
  ]})");
  EXPECT_EQ(taxonomy.name, "");
  EXPECT_EQ(taxonomy.language, "en");
  ASSERT_EQ(taxonomy.topics.size(), 3U);
  EXPECT_EQ(taxonomy.topics[0].id, "zeta");
  EXPECT_EQ(taxonomy.topics[1].id, "alpha");
  EXPECT_EQ(taxonomy.topics[2].id, "mid_2");
  const Topic& topic = taxonomy.topics[0];
  EXPECT_EQ(topic.label, "zeta");
  EXPECT_EQ(topic.kind, TopicKind::concern);
  EXPECT_EQ(topic.speaker, SpeakerFilter::any);
  EXPECT_EQ(topic.negation, NegationMode::suppress);
  EXPECT_EQ(topic.min_hits, 1U);
  EXPECT_TRUE(topic.exclude.empty());
  EXPECT_TRUE(topic.description.empty());
  EXPECT_EQ(taxonomy.topics[1].min_hits, 1000U);
}

TEST(TaxonomyParse, JsonSyntaxError) {
  EXPECT_EQ(issues_of("{\n  \"schema_version\": 1\n  \"topics\": []\n}"),
            Issues{"3:3: syntax error while parsing object - unexpected string literal; "
                   "expected '}'"});
}

TEST(TaxonomyParse, TopLevelMustBeAnObject) {
  EXPECT_EQ(issues_of("\n  [1, 2]"), Issues{"2:3: the taxonomy must be a JSON object, not array"});
}

TEST(TaxonomyParse, UnknownTopLevelField) {
  EXPECT_EQ(
      issues_of("{\"schema_version\": 1, \"topics\": [{\"id\": \"a\", \"phrases\": [\"x\"]}],\n"
                " \"topic\": [], \"colour\": 1}"),
      (Issues{"2:2: unknown top-level field \"topic\" (did you mean \"topics\"?); allowed "
              "fields are schema_version, name, language, accent_insensitive, topics",
              "2:15: unknown top-level field \"colour\"; allowed fields are "
              "schema_version, name, language, accent_insensitive, topics"}));
}

TEST(TaxonomyParse, SchemaVersion) {
  const std::string topics = R"("topics": [{"id": "a", "phrases": ["x"]}])";
  EXPECT_EQ(issues_of("{\n" + topics + "}"),
            Issues{"1:1: missing field \"schema_version\" (this version of callsight reads 1)"});
  EXPECT_EQ(issues_of("{\"schema_version\": 2, " + topics + "}"),
            Issues{"1:20: unsupported \"schema_version\" 2 (this version of callsight reads 1)"});
  EXPECT_EQ(issues_of("{\"schema_version\": \"1\", " + topics + "}"),
            Issues{"1:20: unsupported \"schema_version\" \"1\" (this version of callsight "
                   "reads 1)"});
  EXPECT_EQ(issues_of("{\"schema_version\": 1.0, " + topics + "}"),
            Issues{"1:20: unsupported \"schema_version\" 1.0 (this version of callsight "
                   "reads 1)"});
}

TEST(TaxonomyParse, NameAndLanguageMustBeStrings) {
  EXPECT_EQ(issues_of(R"({"schema_version": 1, "name": 3, "language": ["en"],
 "topics": [{"id": "a", "phrases": ["x"]}]})"),
            (Issues{"1:31: \"name\" must be a string, not number",
                    "1:46: \"language\" must be a string, not array"}));
  EXPECT_EQ(issues_of(R"({"schema_version": 1, "language": "",
 "topics": [{"id": "a", "phrases": ["x"]}]})"),
            Issues{"1:35: \"language\" must not be empty"});
}

TEST(TaxonomyParse, TopicsMissingWrongTypeOrEmpty) {
  EXPECT_EQ(issues_of("{\"schema_version\": 1}"), Issues{"1:1: missing field \"topics\""});
  EXPECT_EQ(issues_of("{\"schema_version\": 1, \"topics\": {}}"),
            Issues{"1:33: \"topics\" must be an array, not object"});
  EXPECT_EQ(issues_of("{\"schema_version\": 1,\n \"topics\": [ ]}"),
            Issues{"2:12: \"topics\" is empty; add at least one topic"});
}

TEST(TaxonomyParse, TopicMustBeAnObject) {
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["x"]}, "b", 3)")),
            (Issues{"2:32: topic #2 must be an object, not string",
                    "2:37: topic #3 must be an object, not number"}));
}

TEST(TaxonomyParse, IdRequiredAndWellFormed) {
  EXPECT_EQ(issues_of(with_topic(R"(  {"phrases": ["x"]})")),
            Issues{"2:3: topic #1: missing field \"id\""});
  EXPECT_EQ(issues_of(with_topic(R"({"id": 7, "phrases": ["x"]})")),
            Issues{"2:8: topic #1: \"id\" must be a string, not number"});
  const std::string bad_id_message =
      ": invalid id (use lower-case letters, digits and '_', starting with a letter, at most 64 "
      "characters)";
  for (const std::string id : {"Pricing", "2fa", "_x", "billing-dispute", "", "caf\xC3\xA9"}) {
    EXPECT_EQ(issues_of(with_topic(R"({"id": ")" + id + R"(", "phrases": ["x"]})")),
              Issues{"2:8: topic \"" + id + "\"" + bad_id_message})
        << id;
  }
  const std::string longest(64, 'a');
  EXPECT_TRUE(issues_of(with_topic(R"({"id": ")" + longest + R"(", "phrases": ["x"]})")).empty());
  const std::string too_long(65, 'a');
  EXPECT_EQ(issues_of(with_topic(R"({"id": ")" + too_long + R"(", "phrases": ["x"]})")),
            Issues{"2:8: topic \"" + too_long + "\"" + bad_id_message});
}

TEST(TaxonomyParse, DuplicateIdPointsAtTheSecond) {
  EXPECT_EQ(issues_of(R"({"schema_version": 1, "topics": [
  {"id": "pricing", "phrases": ["price"]},
  {"id": "other", "phrases": ["x"]},
  {"phrases": ["cost"], "id": "pricing"}
]})"),
            Issues{"4:31: topic \"pricing\": duplicate id (first defined on line 2)"});
}

TEST(TaxonomyParse, LabelAndDescriptionMustBeStrings) {
  EXPECT_EQ(issues_of(with_topic(
                R"({"id": "a", "label": null, "description": false, "phrases": ["x"]})")),
            (Issues{"2:22: topic \"a\": \"label\" must be a string, not null",
                    "2:43: topic \"a\": \"description\" must be a string, not boolean"}));
}

TEST(TaxonomyParse, EnumValues) {
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "kind": "concerns", "speaker": "caller", )"
                                 R"("negation": 0, "phrases": ["x"]})")),
            (Issues{"2:21: topic \"a\": unknown kind \"concerns\" (did you mean \"concern\"?)",
                    "2:44: topic \"a\": unknown speaker \"caller\"; use one of any, customer, "
                    "agent",
                    "2:66: topic \"a\": \"negation\" must be a string, not number"}));
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "negation": "supress", "phrases": ["x"]})")),
            Issues{"2:25: topic \"a\": unknown negation \"supress\" (did you mean \"suppress\"?)"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "kind": "channel", "phrases": ["x"]})")),
            Issues{"2:21: topic \"a\": unknown kind \"channel\"; use one of concern, intent, "
                   "outcome, source, competitor, product"});
  for (const char* kind : {"concern", "intent", "outcome", "source", "competitor", "product"}) {
    // An outcome topic also says what it means (TaxonomyParse.OutcomeMeaning).
    const std::string meaning = std::string(kind) == "outcome" ? R"(, "outcome": "quote")" : "";
    EXPECT_TRUE(issues_of(with_topic(std::string(R"({"id": "a", "phrases": ["x"], "kind": ")") +
                                     kind + "\"" + meaning + "}"))
                    .empty())
        << kind;
  }
}

TEST(TaxonomyParse, OutcomeMeaning) {
  const std::vector<std::pair<const char*, OutcomeMeaning>> meanings = {
      {"conversion", OutcomeMeaning::conversion},
      {"cancellation", OutcomeMeaning::cancellation},
      {"quote", OutcomeMeaning::quote},
      {"callback", OutcomeMeaning::callback},
      {"neutral", OutcomeMeaning::neutral}};
  for (const auto& [name, meaning] : meanings) {
    const Taxonomy taxonomy =
        parse_ok(with_topic(std::string(R"({"id": "a", "kind": "outcome", "outcome": ")") + name +
                            R"(", "phrases": ["x"]})"));
    ASSERT_EQ(taxonomy.topics.size(), 1u);
    EXPECT_EQ(taxonomy.topics[0].outcome, meaning) << name;
    EXPECT_EQ(to_string(meaning), name);
    EXPECT_EQ(is_conversion_topic(taxonomy.topics[0]), meaning == OutcomeMeaning::conversion);
  }
  // Without the field: neutral, with a warning at the kind that names the values.
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "kind": "outcome", "phrases": ["x"]})")),
            Issues{"2:21: warning: topic \"a\": outcome topic without \"outcome\"; it counts as "
                   "neutral (add \"outcome\": one of conversion, cancellation, quote, callback, "
                   "neutral; \"conversion\" counts the call as converted when the call log does "
                   "not say)"});
  const TaxonomyLoadResult unstated =
      parse_taxonomy(with_topic(R"({"id": "a", "kind": "outcome", "phrases": ["x"]})"));
  ASSERT_TRUE(unstated.taxonomy);
  EXPECT_EQ(unstated.taxonomy->topics[0].outcome, OutcomeMeaning::neutral);
  EXPECT_FALSE(is_conversion_topic(unstated.taxonomy->topics[0]));
  // Errors: an unknown value (with a suggestion), the field on another kind
  // (also on the default kind, concern), a value that is not a string.
  EXPECT_EQ(issues_of(with_topic(
                R"({"id": "a", "kind": "outcome", "outcome": "convertion", "phrases": ["x"]})")),
            Issues{"2:43: topic \"a\": unknown outcome \"convertion\" (did you mean "
                   "\"conversion\"?)"});
  EXPECT_EQ(issues_of(with_topic(
                R"({"id": "a", "kind": "intent", "outcome": "conversion", "phrases": ["x"]})")),
            Issues{"2:31: topic \"a\": \"outcome\" applies only to topics of kind \"outcome\" "
                   "(this one is \"intent\")"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "outcome": "quote", "phrases": ["x"]})")),
            Issues{"2:13: topic \"a\": \"outcome\" applies only to topics of kind \"outcome\" "
                   "(this one is \"concern\")"});
  EXPECT_EQ(
      issues_of(with_topic(R"({"id": "a", "kind": "outcome", "outcome": 1, "phrases": ["x"]})")),
      Issues{"2:43: topic \"a\": \"outcome\" must be a string, not number"});
}

TEST(TaxonomyParse, DefaultTaxonomyOutcomes) {
  const TaxonomyLoadResult result = parse_taxonomy(default_taxonomy_json());
  ASSERT_TRUE(result.taxonomy.has_value());
  std::vector<std::pair<std::string, OutcomeMeaning>> outcomes;
  for (const Topic& topic : result.taxonomy->topics) {
    if (topic.kind == TopicKind::outcome) {
      outcomes.emplace_back(topic.id, topic.outcome);
    }
  }
  EXPECT_EQ(outcomes, (std::vector<std::pair<std::string, OutcomeMeaning>>{
                          {"converted", OutcomeMeaning::conversion},
                          {"quote_given", OutcomeMeaning::quote},
                          {"callback_scheduled", OutcomeMeaning::callback},
                          {"cancelled", OutcomeMeaning::cancellation}}));
}

TEST(TaxonomyParse, PhrasesRequiredNonEmptyStrings) {
  EXPECT_EQ(issues_of(with_topic(R"(  {"id": "a"})")),
            Issues{"2:3: topic \"a\": missing field \"phrases\" (a topic needs \"phrases\", a "
                   "\"rule\" or both)"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": "price"})")),
            Issues{"2:24: topic \"a\": \"phrases\" must be an array of strings (or an "
                   "object of language -> array), not string"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": []})")),
            Issues{"2:24: topic \"a\": \"phrases\" is empty; add at least one phrase"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["ok", 5, "", "can*cel"]})")),
            (Issues{"2:31: topic \"a\": each entry of \"phrases\" must be a string, not number",
                    "2:34: topic \"a\": phrase \"\": phrase has no words",
                    "2:38: topic \"a\": phrase \"can*cel\": '*' inside a word (a wildcard may "
                    "only end a word, as in \"cancel*\")"}));
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["\"free trial"]})")),
            Issues{"2:25: topic \"a\": phrase \"\\\"free trial\": unbalanced quote"});
}

TEST(TaxonomyParse, ExcludeOptionalStrings) {
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["x"], "exclude": "y"})")),
            Issues{"2:42: topic \"a\": \"exclude\" must be an array of strings (or an "
                   "object of language -> array), not string"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["x"], "exclude": [{}, " * "]})")),
            (Issues{"2:43: topic \"a\": each entry of \"exclude\" must be a string, not object",
                    "2:47: topic \"a\": exclude phrase \" * \": lone '*' (a wildcard must end a "
                    "word, as in \"cancel*\")"}));
}

TEST(TaxonomyParse, MinHitsRange) {
  for (const std::string value : {"0", "1001", "1.5", "\"2\"", "-1", "18446744073709551615"}) {
    EXPECT_EQ(
        issues_of(with_topic(R"({"id": "a", "phrases": ["x"], "min_hits": )" + value + "}")),
        Issues{"2:43: topic \"a\": \"min_hits\" must be an integer from 1 to 1000, not " + value})
        << value;
  }
}

TEST(TaxonomyParse, UnknownTopicFieldSuggestsTheClosest) {
  EXPECT_EQ(
      issues_of(with_topic(R"(  {"id": "pricing", "phrase": ["price"], "colour": "red"})")),
      (Issues{"2:3: topic \"pricing\": missing field \"phrases\" (a topic needs "
              "\"phrases\", a \"rule\" or both)",
              "2:21: topic \"pricing\": unknown field \"phrase\" (did you mean "
              "\"phrases\"?)",
              "2:42: topic \"pricing\": unknown field \"colour\"; allowed fields are id, "
              "label, kind, outcome, description, speaker, phrases, exclude, min_hits, negation, "
              "rule, window, when, accent_insensitive"}));
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["x"], "minhits": 2, "Label": "A"})")),
            (Issues{"2:31: topic \"a\": unknown field \"minhits\" (did you mean \"min_hits\"?)",
                    "2:45: topic \"a\": unknown field \"Label\" (did you mean \"label\"?)"}));
}

TEST(TaxonomyParse, TopicWithoutValidIdIsNamedByIndex) {
  EXPECT_EQ(issues_of(with_topic(R"({"phrases": ["x"]}, {"phrases": [], "id": 1})")),
            (Issues{"2:1: topic #1: missing field \"id\"",
                    "2:33: topic #2: \"phrases\" is empty; add at least one phrase",
                    "2:43: topic #2: \"id\" must be a string, not number"}));
}

TEST(TaxonomyParse, DuplicateFields) {
  EXPECT_EQ(issues_of(R"({"schema_version": 1, "name": "a",
  "topics": [{"id": "a", "phrases": ["x"],
              "phrases": ["y"]}],
  "name": "b"})"),
            (Issues{"3:15: topic \"a\": duplicate field \"phrases\" (first on line 2)",
                    "4:3: duplicate field \"name\" (first on line 1)"}));
}

TEST(TaxonomyParse, AllIssuesAreCollectedInFileOrder) {
  const Issues issues = issues_of(R"({
  "schema_version": 3,
  "topics": [
    {"id": "Bad", "kind": "intnet", "phrases": ["ok"]},
    {"id": "good", "phrases": ["*"], "min_hits": 0},
    {"id": "good", "phrases": ["fine"], "speaker": "customer"}
  ],
  "extra": true
})");
  EXPECT_EQ(issues,
            (Issues{"2:21: unsupported \"schema_version\" 3 (this version of callsight reads 1)",
                    "4:12: topic \"Bad\": invalid id (use lower-case letters, digits and '_', "
                    "starting with a letter, at most 64 characters)",
                    "4:27: topic \"Bad\": unknown kind \"intnet\" (did you mean \"intent\"?)",
                    "5:32: topic \"good\": phrase \"*\": lone '*' (a wildcard must end a word, as "
                    "in \"cancel*\")",
                    "5:50: topic \"good\": \"min_hits\" must be an integer from 1 to 1000, not 0",
                    "6:12: topic \"good\": duplicate id (first defined on line 5)",
                    "8:3: unknown top-level field \"extra\"; allowed fields are schema_version, "
                    "name, language, accent_insensitive, topics"}));
}

TEST(TaxonomyParse, DefaultTaxonomyHasNoErrors) {
  const TaxonomyLoadResult result = parse_taxonomy(default_taxonomy_json());
  for (const TaxonomyIssue& issue : result.issues) {
    // Warnings (a phrase shared by two topics) are allowed, errors are not.
    EXPECT_TRUE(issue.warning) << issue.line << ":" << issue.column << ": " << issue.message;
  }
  ASSERT_TRUE(result.taxonomy.has_value());
  EXPECT_FALSE(result.taxonomy->topics.empty());
}

TEST(TaxonomyRules, ValidRuleWindowAndConditionsAreKept) {
  const Taxonomy taxonomy = parse_ok(with_topic(
      R"({"id": "a", "rule": {"all_of": ["refund", {"not": {"any_of": ["x", "y"]}}]},
          "window": {"last_share": 0.5},
          "when": {"metrics": {"duration_s": {">=": 60, "<": 600}},
                   "call_log": {"UTM Campaign": "spring", "source": ["google", "bing"]},
                   "min_confidence": 0.5}})"));
  ASSERT_EQ(taxonomy.topics.size(), 1U);
  const Topic& topic = taxonomy.topics[0];
  EXPECT_TRUE(topic.phrases.empty());
  ASSERT_TRUE(topic.rule.has_value());
  EXPECT_EQ(topic.rule->op, RuleOp::all_of);
  ASSERT_EQ(topic.rule->children.size(), 2U);
  EXPECT_EQ(topic.rule->children[1].op, RuleOp::not_);
  EXPECT_EQ(topic.rule->children[1].children[0].children[1].phrase, "y");
  ASSERT_TRUE(topic.window.has_value());
  EXPECT_EQ(topic.window->kind, WindowKind::last_share);
  EXPECT_EQ(topic.window->value, 0.5);
  ASSERT_EQ(topic.when.metrics.size(), 2U);
  EXPECT_EQ(topic.when.metrics[0].op, CompareOp::lt);
  EXPECT_EQ(topic.when.metrics[1].op, CompareOp::ge);
  ASSERT_EQ(topic.when.call_log.size(), 2U);
  EXPECT_EQ(topic.when.call_log[0].field, "campaign"); // canonical column name
  EXPECT_EQ(topic.when.call_log[1].values, (std::vector<std::string>{"google", "bing"}));
  EXPECT_EQ(topic.when.min_confidence, 0.5);
}

TEST(TaxonomyRules, PhraseErrorsPointInsideTheString) {
  // Escapes before the NEAR shift its column: \" is two bytes of source.
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["\"x\" NEAR/0 y"]})")),
            Issues{"2:32: topic \"a\": phrase \"\\\"x\\\" NEAR/0 y\": NEAR/0: the distance "
                   "must be 1 to 50 words"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["\u00e9t\u00e9 NEAR y"]})")),
            Issues{"2:40: topic \"a\": phrase \"été NEAR y\": NEAR needs a distance in words, "
                   "as in \"cancel NEAR/3 account\""});
}

TEST(TaxonomyRules, RuleErrors) {
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "rule": {"any_of": ["x"], "all_of": ["y"]}})")),
            Issues{"2:21: topic \"a\": a rule object needs exactly one operator (all_of, "
                   "any_of, not), not 2"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "rule": {"not": ["x", "y"]}})")),
            Issues{"2:29: topic \"a\": \"not\" takes one rule (a phrase or an object), not an "
                   "array; wrap several in \"any_of\""});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "rule": {"all_of": ["x", {"not": "y"}]},
      "exclude": ["x"]})")),
            Issues{"3:19: topic \"a\": exclude phrase \"x\" is the same as rule phrase \"x\" "
                   "(line 2), which can then never count"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "rule": {"all_of": [{"not": "x"}, "y*"]},
      "phrases": ["y"]})")),
            Issues{});
}

TEST(TaxonomyRules, WindowAndWhenErrors) {
  EXPECT_EQ(
      issues_of(with_topic(R"({"id": "a", "phrases": ["x"], "window": {"first_turns": 1.5}})")),
      Issues{"2:57: topic \"a\": \"first_turns\" must be a whole number of turns from 1 to "
             "1000000, not 1.5"});
  EXPECT_EQ(issues_of(with_topic(R"({"id": "a", "phrases": ["x"], "window": {}})")),
            Issues{"2:41: topic \"a\": \"window\" must be an object with exactly one of "
                   "first_seconds, last_seconds, first_turns, last_turns, first_share, "
                   "last_share"});
  EXPECT_EQ(
      issues_of(with_topic(
          R"({"id": "a", "phrases": ["x"], "when": {"metrics": {"talk_ratio": {"<": "0.4"}}}})")),
      Issues{"2:72: topic \"a\": metric \"talk_ratio\" < needs a number, not \"0.4\""});
  EXPECT_EQ(issues_of(with_topic(
                R"({"id": "a", "phrases": ["x"], "when": {"call_log": {"source": []}}})")),
            Issues{"2:63: topic \"a\": call-log field \"source\" needs a string or a non-empty "
                   "array of strings, not []"});
}

TEST(TaxonomyRules, WarningsKeepTheTaxonomy) {
  const std::string text = "{\"schema_version\": 1, \"topics\": [\n"
                           "{\"id\": \"a\", \"phrases\": [\"price\"]},\n"
                           "{\"id\": \"b\", \"phrases\": [\"PRICE\"]}\n]}";
  EXPECT_EQ(issues_of(text), Issues{"3:25: warning: topic \"b\": phrase \"PRICE\" is also a "
                                    "phrase of topic \"a\" (line 2); a call saying it counts "
                                    "for both"});
  const TaxonomyLoadResult result = parse_taxonomy(text);
  EXPECT_FALSE(result.has_errors());
  EXPECT_TRUE(result.taxonomy.has_value());
}

TEST(TaxonomyEnums, ToString) {
  EXPECT_EQ(to_string(TopicKind::concern), "concern");
  EXPECT_EQ(to_string(TopicKind::intent), "intent");
  EXPECT_EQ(to_string(TopicKind::outcome), "outcome");
  EXPECT_EQ(to_string(TopicKind::source), "source");
  EXPECT_EQ(to_string(TopicKind::competitor), "competitor");
  EXPECT_EQ(to_string(TopicKind::product), "product");
  EXPECT_EQ(to_string(SpeakerFilter::any), "any");
  EXPECT_EQ(to_string(SpeakerFilter::customer), "customer");
  EXPECT_EQ(to_string(SpeakerFilter::agent), "agent");
  EXPECT_EQ(to_string(NegationMode::suppress), "suppress");
  EXPECT_EQ(to_string(NegationMode::ignore), "ignore");
}

// "stem:how exact:free prefix:expens" for compact comparisons.
std::string terms_of(std::string_view phrase) {
  ParsedPhrase parsed;
  const std::optional<PhraseError> error = parse_phrase(phrase, parsed);
  if (error) {
    EXPECT_TRUE(parsed.terms.empty());
    return "error: " + error->message;
  }
  std::string out;
  for (std::size_t i = 0; i < parsed.terms.size(); ++i) {
    const PhraseTerm& term = parsed.terms[i];
    if (!out.empty()) {
      out += ' ';
    }
    if (parsed.near_distance > 0 && i == parsed.near_split) {
      out += "NEAR/" + std::to_string(parsed.near_distance) + ' ';
    }
    out += term.kind == TermKind::stem    ? "stem:"
           : term.kind == TermKind::exact ? "exact:"
                                          : "prefix:";
    out += term.text;
  }
  return out;
}

TEST(PhraseParse, WordsArePlainStems) {
  EXPECT_EQ(terms_of("how much"), "stem:how stem:much");
  EXPECT_EQ(terms_of("  How   MUCH\t"), "stem:how stem:much");
  EXPECT_EQ(terms_of("price?"), "stem:price");
  EXPECT_EQ(terms_of("(quote), please!"), "stem:quote stem:please");
}

TEST(PhraseParse, TrailingStarMakesAPrefix) {
  EXPECT_EQ(terms_of("Expens*"), "prefix:expens");
  EXPECT_EQ(terms_of("too expens*"), "stem:too prefix:expens");
  EXPECT_EQ(terms_of("cancel* my account"), "prefix:cancel stem:my stem:account");
}

TEST(PhraseParse, QuotesMakeExactWords) {
  EXPECT_EQ(terms_of("\"free trial\""), "exact:free exact:trial");
  EXPECT_EQ(terms_of("a \"Free\" trial"), "stem:a exact:free stem:trial");
  EXPECT_EQ(terms_of("\"quote\" cancel*"), "exact:quote prefix:cancel");
  EXPECT_EQ(terms_of("\"one\"\"two\""), "exact:one exact:two");
}

TEST(PhraseParse, PunctuationSplitsWordsLikeTheTokenizer) {
  EXPECT_EQ(terms_of("e-mail"), "stem:e stem:mail");
  EXPECT_EQ(terms_of("follow-up"), "stem:follow stem:up");
  EXPECT_EQ(terms_of("follow-up*"), "stem:follow prefix:up");
  EXPECT_EQ(terms_of("\"follow-up\""), "exact:follow exact:up");
  EXPECT_EQ(terms_of("don't"), "stem:don't");
  EXPECT_EQ(terms_of("'quoted'"), "stem:quoted");
  EXPECT_EQ(terms_of("salt & pepper"), "stem:salt stem:pepper");
}

TEST(PhraseParse, Errors) {
  EXPECT_EQ(terms_of("\"free trial"), "error: unbalanced quote");
  EXPECT_EQ(terms_of("free \"trial\" \""), "error: unbalanced quote");
  EXPECT_EQ(terms_of("*"), "error: lone '*' (a wildcard must end a word, as in \"cancel*\")");
  EXPECT_EQ(terms_of("price *"), "error: lone '*' (a wildcard must end a word, as in \"cancel*\")");
  EXPECT_EQ(terms_of("can*cel"),
            "error: '*' inside a word (a wildcard may only end a word, as in \"cancel*\")");
  EXPECT_EQ(terms_of("*cancel"),
            "error: '*' inside a word (a wildcard may only end a word, as in \"cancel*\")");
  EXPECT_EQ(terms_of("cancel**"),
            "error: '*' inside a word (a wildcard may only end a word, as in \"cancel*\")");
  EXPECT_EQ(terms_of("cancel.*"), "error: '*' must directly follow a letter or digit, as in "
                                  "\"cancel*\"");
  EXPECT_EQ(terms_of("\"cancel*\""), "error: '*' inside quotes (quoted words match exactly)");
  EXPECT_EQ(terms_of("\"\" price"), "error: empty quotes");
  EXPECT_EQ(terms_of(""), "error: phrase has no words");
  EXPECT_EQ(terms_of(" \t "), "error: phrase has no words");
  EXPECT_EQ(terms_of("?! --"), "error: phrase has no words");
}

TEST(PhraseParse, PreviousTermsAreReplaced) {
  ParsedPhrase parsed;
  parsed.terms.resize(3);
  EXPECT_FALSE(parse_phrase("price", parsed).has_value());
  ASSERT_EQ(parsed.terms.size(), 1U);
  EXPECT_EQ(parsed.terms[0].text, "price");
  EXPECT_TRUE(parse_phrase("a NEAR/2 b", parsed) == std::nullopt);
  EXPECT_TRUE(parse_phrase("can*cel", parsed).has_value());
  EXPECT_TRUE(parsed.terms.empty());
  EXPECT_EQ(parsed.near_distance, 0U);
}

TEST(PhraseParse, NearSplitsThePhraseInTwoSides) {
  EXPECT_EQ(terms_of("cancel NEAR/3 account"), "stem:cancel NEAR/3 stem:account");
  EXPECT_EQ(terms_of("\"free\" trial NEAR/50 cancel*"),
            "exact:free stem:trial NEAR/50 prefix:cancel");
  // Only capitals outside quotes make the operator: "near me" is words.
  EXPECT_EQ(terms_of("near me"), "stem:near stem:me");
  EXPECT_EQ(terms_of("\"NEAR/3\""), "exact:near exact:3");
  EXPECT_EQ(terms_of("NEARBY store"), "stem:nearby stem:store");
}

TEST(PhraseParse, NearErrorsSayWhere) {
  const auto error_of = [](std::string_view phrase) {
    ParsedPhrase parsed;
    const std::optional<PhraseError> error = parse_phrase(phrase, parsed);
    return error ? std::to_string(error->offset) + ": " + error->message : std::string("ok");
  };
  EXPECT_EQ(error_of("cancel NEAR/0 account"), "7: NEAR/0: the distance must be 1 to 50 words");
  EXPECT_EQ(error_of("cancel NEAR/51 account"), "7: NEAR/51: the distance must be 1 to 50 words");
  EXPECT_EQ(error_of("cancel NEAR account"),
            "7: NEAR needs a distance in words, as in \"cancel NEAR/3 account\"");
  EXPECT_EQ(error_of("cancel NEAR/ account"),
            "7: NEAR needs a distance in words, as in \"cancel NEAR/3 account\"");
  EXPECT_EQ(error_of("cancel NEAR/x account"),
            "7: NEAR needs a distance in words, as in \"cancel NEAR/3 account\"");
  EXPECT_EQ(error_of("NEAR/2 account"),
            "0: NEAR needs words before it, as in \"cancel NEAR/3 account\"");
  EXPECT_EQ(error_of("cancel NEAR/2"),
            "7: NEAR needs words after it, as in \"cancel NEAR/3 account\"");
  EXPECT_EQ(error_of("a NEAR/2 b NEAR/3 c"),
            "11: only one NEAR per phrase (combine phrases with a rule's \"all_of\")");
}

TEST(PhraseParse, NotesWordsTheTokenizerChanges) {
  ParsedPhrase parsed;
  ASSERT_FALSE(parse_phrase("salt & e-mail", parsed).has_value());
  ASSERT_EQ(parsed.notes.size(), 2U);
  EXPECT_EQ(parsed.notes[0].kind, PhraseWordNote::Kind::dropped);
  EXPECT_EQ(parsed.notes[0].offset, 5U);
  EXPECT_EQ(parsed.notes[0].word, "&");
  EXPECT_EQ(parsed.notes[1].kind, PhraseWordNote::Kind::split);
  EXPECT_EQ(parsed.notes[1].offset, 7U);
  EXPECT_EQ(parsed.notes[1].words, "e mail");
  // Punctuation at a word's ends is not worth a note.
  ASSERT_FALSE(parse_phrase("(quote), please!", parsed).has_value());
  EXPECT_TRUE(parsed.notes.empty());
  const std::string long_word(65, 'x');
  ASSERT_FALSE(parse_phrase("my " + long_word, parsed).has_value());
  ASSERT_EQ(parsed.notes.size(), 1U);
  EXPECT_EQ(parsed.notes[0].kind, PhraseWordNote::Kind::too_long);
  EXPECT_EQ(parsed.notes[0].offset, 3U);
  ASSERT_FALSE(parse_phrase(std::string(64, 'x'), parsed).has_value());
  EXPECT_TRUE(parsed.notes.empty());
}

} // namespace
} // namespace callsight
