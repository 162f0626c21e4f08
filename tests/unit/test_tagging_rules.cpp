// Unit tests for the taxonomy rule language at match time: NEAR/n, nested
// all_of/any_of/not rules, position windows, min_confidence, call-level
// conditions on metrics and call-log fields, and hit evidence.
#include <gtest/gtest.h>

#include "callsight/conditions.hpp"
#include "callsight/explain.hpp"
#include "callsight/matcher.hpp"

using namespace callsight;

namespace {

// Compiles a taxonomy whose topics are JSON objects (as in a taxonomy file).
CompiledTaxonomy compile_topics(const std::string& topics_json) {
  const TaxonomyLoadResult loaded =
      parse_taxonomy("{\"schema_version\": 1, \"topics\": [" + topics_json + "]}");
  for (const TaxonomyIssue& issue : loaded.issues) {
    ADD_FAILURE() << issue.line << ":" << issue.column << ": " << issue.message;
  }
  return CompiledTaxonomy::compile(loaded.taxonomy.value_or(Taxonomy{}));
}

struct TurnSpec {
  Role role = Role::customer;
  std::string text;
  std::optional<double> start_s = std::nullopt;
  std::optional<double> end_s = std::nullopt;
  std::optional<double> confidence = std::nullopt;
};

Call call_of(const std::vector<TurnSpec>& specs) {
  Call call;
  for (const TurnSpec& spec : specs) {
    Turn turn;
    turn.role = spec.role;
    turn.text = spec.text;
    turn.start_s = spec.start_s;
    turn.end_s = spec.end_s;
    turn.confidence = spec.confidence;
    call.turns.push_back(std::move(turn));
  }
  return call;
}

using Hits = std::map<std::string, std::uint32_t>;

Hits hits_of(const CompiledTaxonomy& compiled, const TagResult& result) {
  Hits hits;
  for (const TopicMatch& match : result.topics) {
    hits[compiled.topics()[match.topic].id] = match.hits;
  }
  return hits;
}

Hits tag(const std::string& topics_json, const Call& call) {
  const CompiledTaxonomy compiled = compile_topics(topics_json);
  Matcher matcher(compiled);
  return hits_of(compiled, matcher.tag(call));
}

Hits tag_text(const std::string& topics_json, const std::string& text) {
  return tag(topics_json, call_of({{Role::customer, text}}));
}

} // namespace

TEST(Near, MatchesEitherOrderWithinTheDistance) {
  const std::string topic = R"({"id": "t", "phrases": ["cancel NEAR/2 account"]})";
  EXPECT_EQ(tag_text(topic, "cancel account"), (Hits{{"t", 1}}));
  EXPECT_EQ(tag_text(topic, "cancel my old account"), (Hits{{"t", 1}})); // 2 between
  EXPECT_EQ(tag_text(topic, "cancel my very old account"), Hits{});      // 3 between
  EXPECT_EQ(tag_text(topic, "the account, please cancel it"), (Hits{{"t", 1}}));
  EXPECT_EQ(tag_text(topic, "the account I want to cancel"), Hits{});      // 3 between
  EXPECT_EQ(tag_text(topic, "Cancelled the accounts."), (Hits{{"t", 1}})); // stems
}

TEST(Near, SidesMayBePhrasesAndMustNotOverlap) {
  EXPECT_EQ(tag_text(R"({"id": "t", "phrases": ["\"credit card\" NEAR/1 charge*"]})",
                     "my credit card was charged twice"),
            (Hits{{"t", 1}}));
  EXPECT_EQ(
      tag_text(R"({"id": "t", "phrases": ["credit card NEAR/3 card fee"]})", "credit card fee"),
      Hits{});
  // The same word on both sides needs two occurrences.
  const std::string twice = R"({"id": "t", "phrases": ["no NEAR/3 no"]})";
  EXPECT_EQ(tag_text(twice, "no"), Hits{});
  EXPECT_EQ(tag_text(twice, "no, no, no"), (Hits{{"t", 1}}));
}

TEST(Near, StaysInOneTurnAndSpansBothSides) {
  const CompiledTaxonomy compiled =
      compile_topics(R"({"id": "t", "phrases": ["cancel NEAR/5 account"]})");
  Matcher matcher(compiled);
  EXPECT_TRUE(matcher.tag(call_of({{Role::customer, "cancel"}, {Role::customer, "account"}}))
                  .topics.empty());
  const TagResult result = matcher.tag(call_of({{Role::customer, "My account: cancel it."}}));
  ASSERT_EQ(result.hits.size(), 1U);
  EXPECT_EQ(result.hits[0].begin, 3U);
  EXPECT_EQ(result.hits[0].end, 18U);
  EXPECT_EQ(compiled.patterns()[result.hits[0].pattern].text, "cancel NEAR/5 account");
}

TEST(Near, NegationAppliesToTheFirstWordOfTheSpan) {
  const std::string topic = R"({"id": "t", "phrases": ["refund NEAR/3 card"]})";
  EXPECT_EQ(tag_text(topic, "I don't want a refund on my card"), Hits{});
  EXPECT_EQ(tag_text(topic, "not my card, I want a refund"), Hits{});
  EXPECT_EQ(tag_text(topic, "I want a refund, not on my card"), (Hits{{"t", 1}}));
}

TEST(Rules, NestedGroupsAndNot) {
  const std::string topic = R"({"id": "t", "rule": {"all_of": [
      {"any_of": ["refund*", "money back"]},
      {"not": {"any_of": ["store credit", "gift card"]}}]}})";
  EXPECT_EQ(tag_text(topic, "I want my money back"), (Hits{{"t", 1}}));
  EXPECT_EQ(tag_text(topic, "a refund, and my money back"), (Hits{{"t", 2}}));
  EXPECT_EQ(tag_text(topic, "a refund or a gift card"), Hits{});
  EXPECT_EQ(tag_text(topic, "store credit is fine"), Hits{});
  // not(not X) is X: its leaf is positive and counts.
  EXPECT_EQ(tag_text(R"({"id": "t", "rule": {"not": {"not": "refund"}}})", "refund"),
            (Hits{{"t", 1}}));
}

TEST(Rules, LeavesCountAfterSpeakerNegationAndExclusion) {
  const std::string topic = R"({"id": "t", "speaker": "customer", "exclude": ["no refund policy"],
      "rule": {"all_of": ["refund", {"not": "credit"}]}})";
  EXPECT_EQ(tag(topic, call_of({{Role::agent, "refund"}})), Hits{});
  EXPECT_EQ(tag(topic, call_of({{Role::customer, "refund"}, {Role::agent, "credit"}})),
            (Hits{{"t", 1}}));
  // A negated or excluded "not" leaf is absent, so the rule holds.
  EXPECT_EQ(tag(topic, call_of({{Role::customer, "refund. I never said credit"}})),
            (Hits{{"t", 1}}));
  EXPECT_EQ(tag(topic, call_of({{Role::customer, "the no refund policy"}})), Hits{});
}

TEST(Rules, PhrasesReachMinHitsAndTheRuleMustHold) {
  const std::string topic = R"({"id": "t", "phrases": ["cancel"], "min_hits": 2,
      "rule": {"all_of": ["contract"]}})";
  EXPECT_EQ(tag_text(topic, "cancel, cancel the contract"), (Hits{{"t", 3}}));
  EXPECT_EQ(tag_text(topic, "cancel the contract"), Hits{});
  EXPECT_EQ(tag_text(topic, "cancel, cancel"), Hits{});
  // A leaf overlapping a phrase hit still makes the rule true.
  EXPECT_EQ(tag_text(R"({"id": "t", "phrases": ["cancel"], "rule": "cancel*"})", "cancel"),
            (Hits{{"t", 1}}));
}

TEST(Windows, TurnsAndShareOfTurns) {
  const Call call = call_of({{Role::customer, "price"},
                             {Role::customer, "hello"},
                             {Role::customer, "price"},
                             {Role::customer, "price"}});
  const auto with = [&](const std::string& window) {
    return tag(R"({"id": "t", "phrases": ["price"], "window": )" + window + "}", call);
  };
  EXPECT_EQ(with(R"({"first_turns": 1})"), (Hits{{"t", 1}}));
  EXPECT_EQ(with(R"({"first_turns": 3})"), (Hits{{"t", 2}}));
  EXPECT_EQ(with(R"({"last_turns": 1})"), (Hits{{"t", 1}}));
  EXPECT_EQ(with(R"({"last_turns": 2})"), (Hits{{"t", 2}}));
  // No times: shares are of turns, rounded up (0.3 of 4 turns is 2 turns).
  EXPECT_EQ(with(R"({"first_share": 0.3})"), (Hits{{"t", 1}}));
  EXPECT_EQ(with(R"({"last_share": 0.25})"), (Hits{{"t", 1}}));
  EXPECT_EQ(with(R"({"last_share": 1})"), (Hits{{"t", 3}}));
  // Seconds windows on a call without times: no hit is inside.
  EXPECT_EQ(with(R"({"first_seconds": 1000})"), Hits{});
  EXPECT_EQ(with(R"({"last_seconds": 1000})"), Hits{});
}

TEST(Windows, SecondsAndShareOfTime) {
  const Call call = call_of({{Role::customer, "price", 10.0, 20.0},
                             {Role::customer, "price", 50.0, 60.0},
                             {Role::customer, "price", 90.0, 110.0},
                             {Role::customer, "price"}}); // no time: outside time windows
  const auto with = [&](const std::string& window) {
    return tag(R"({"id": "t", "phrases": ["price"], "window": )" + window + "}", call);
  };
  EXPECT_EQ(with(R"({"first_seconds": 9.9})"), Hits{});
  EXPECT_EQ(with(R"({"first_seconds": 10})"), (Hits{{"t", 1}})); // inclusive
  EXPECT_EQ(with(R"({"first_seconds": 50})"), (Hits{{"t", 2}}));
  EXPECT_EQ(with(R"({"last_seconds": 20})"), (Hits{{"t", 1}})); // ends at or after 90
  EXPECT_EQ(with(R"({"last_seconds": 50})"), (Hits{{"t", 2}})); // ends at or after 60
  // The call spans 10..110 s: the first quarter ends at 35 s, the last half starts at 60 s.
  EXPECT_EQ(with(R"({"first_share": 0.25})"), (Hits{{"t", 1}}));
  EXPECT_EQ(with(R"({"last_share": 0.5})"), (Hits{{"t", 2}}));
}

TEST(Windows, VerdictSaysWhenTimesAreMissing) {
  Turn turn;
  CallSpan span;
  span.turns = 3;
  EXPECT_EQ(window_verdict(Window{WindowKind::first_seconds, 30}, span, 0, turn),
            WindowVerdict::no_times);
  EXPECT_EQ(window_verdict(Window{WindowKind::first_turns, 1}, span, 0, turn),
            WindowVerdict::inside);
  EXPECT_EQ(window_verdict(Window{WindowKind::first_turns, 1}, span, 1, turn),
            WindowVerdict::outside);
  EXPECT_EQ(describe(Window{WindowKind::last_share, 0.25}), "last_share 0.25");
}

TEST(Conditions, MinConfidenceSkipsLowTurnsOnly) {
  const std::string topic = R"({"id": "t", "phrases": ["price"], "when": {"min_confidence": 0.6}})";
  EXPECT_EQ(tag(topic, call_of({{Role::customer, "price", std::nullopt, std::nullopt, 0.59},
                                {Role::customer, "price", std::nullopt, std::nullopt, 0.6},
                                {Role::customer, "price"}})),
            (Hits{{"t", 2}}));
}

namespace {

// Topics left after the call conditions, for a call with `metrics` and `fields`.
Hits after_conditions(const std::string& topics_json, const CallMetrics& metrics,
                      const std::map<std::string, std::string>& fields) {
  const CompiledTaxonomy compiled = compile_topics(topics_json);
  Matcher matcher(compiled);
  TagResult result = matcher.tag(call_of({{Role::customer, "price"}}));
  apply_call_conditions(compiled, result, metrics, [&](std::string_view name) {
    const auto it = fields.find(std::string(name));
    return it == fields.end() ? std::string() : it->second;
  });
  for (const TopicHit& hit : result.hits) {
    EXPECT_TRUE(std::any_of(result.topics.begin(), result.topics.end(),
                            [&](const TopicMatch& m) { return m.topic == hit.topic; }));
  }
  return hits_of(compiled, result);
}

} // namespace

TEST(Conditions, EachMetricOperator) {
  CallMetrics metrics;
  metrics.duration_s = 120.0;
  const auto holds = [&](const std::string& op, double value) {
    const std::string topic = R"({"id": "t", "phrases": ["price"], "when": {"metrics":
        {"duration_s": {")" + op +
                              "\": " + std::to_string(value) + "}}}}";
    return !after_conditions(topic, metrics, {}).empty();
  };
  EXPECT_TRUE(holds("<", 121));
  EXPECT_FALSE(holds("<", 120));
  EXPECT_TRUE(holds("<=", 120));
  EXPECT_FALSE(holds("<=", 119));
  EXPECT_TRUE(holds(">", 119));
  EXPECT_FALSE(holds(">", 120));
  EXPECT_TRUE(holds(">=", 120));
  EXPECT_FALSE(holds(">=", 121));
  EXPECT_TRUE(holds("==", 120));
  EXPECT_FALSE(holds("==", 121));
  EXPECT_TRUE(holds("!=", 121));
  EXPECT_FALSE(holds("!=", 120));
}

TEST(Conditions, AbsentMetricFailsEvenNotEqual) {
  const CallMetrics metrics; // no times: talk_ratio absent; turns is 0 and present
  EXPECT_TRUE(after_conditions(R"({"id": "t", "phrases": ["price"],
      "when": {"metrics": {"talk_ratio": {"!=": 0.5}}}})",
                               metrics, {})
                  .empty());
  EXPECT_FALSE(after_conditions(R"({"id": "t", "phrases": ["price"],
      "when": {"metrics": {"turns": {"<": 1}}}})",
                                metrics, {})
                   .empty());
  Topic topic;
  topic.when.metrics.push_back({Metric::talk_ratio, CompareOp::lt, 0.4});
  EXPECT_EQ(failed_condition(topic, metrics, {}), "talk_ratio < 0.4 (absent)");
}

TEST(Conditions, CallLogEqualityMembershipAndMissing) {
  const std::string topic = R"({"id": "t", "phrases": ["price"], "when": {"call_log":
      {"campaign": "Spring_Sale", "utm_source": ["google", "bing"]}}})";
  EXPECT_EQ(after_conditions(topic, {}, {{"campaign", "spring_sale"}, {"source", " Bing "}}),
            (Hits{{"t", 1}}));
  EXPECT_EQ(after_conditions(topic, {}, {{"campaign", "spring_sale"}, {"source", "yahoo"}}),
            Hits{});
  EXPECT_EQ(after_conditions(topic, {}, {{"campaign", "spring_sale"}}), Hits{});
  Topic definition;
  definition.when.call_log.push_back({"source", {"google", "bing"}});
  EXPECT_EQ(failed_condition(definition, {}, [](std::string_view) { return std::string(); }),
            "source in [google, bing] (missing)");
}

TEST(Evidence, EveryHitKeepsTurnOffsetsTimeAndPhraseUpToTheCap) {
  const CompiledTaxonomy compiled =
      compile_topics(R"({"id": "t", "phrases": ["how much", "price"]})");
  Matcher matcher(compiled);
  const TagResult result = matcher.tag(call_of(
      {{Role::customer, "hello", 0.0, 1.0}, {Role::customer, "So how much? The price!", 2.5}}));
  ASSERT_EQ(result.hits.size(), 2U);
  EXPECT_EQ(result.hits[0].turn, 1U);
  EXPECT_EQ(result.hits[0].begin, 3U);
  EXPECT_EQ(result.hits[0].end, 11U);
  EXPECT_EQ(result.hits[0].start_s, 2.5);
  EXPECT_EQ(compiled.patterns()[result.hits[0].pattern].text, "how much");
  EXPECT_EQ(result.hits[1].begin, 17U);
  EXPECT_EQ(compiled.patterns()[result.hits[1].pattern].text, "price");

  std::string many;
  for (int i = 0; i < 40; ++i) {
    many += "price ";
  }
  const TagResult capped = matcher.tag(call_of({{Role::customer, many}}));
  ASSERT_EQ(capped.topics.size(), 1U);
  EXPECT_EQ(capped.topics[0].hits, 40U);
  EXPECT_EQ(capped.hits.size(), k_max_stored_hits);
}

TEST(Explain, SaysWhyEachOccurrenceDoesNotCount) {
  const CompiledTaxonomy compiled = compile_topics(
      R"({"id": "t", "speaker": "customer", "phrases": ["price"], "exclude": ["price match"],
          "window": {"first_seconds": 30}})");
  Matcher matcher(compiled);
  const Call call = call_of({{Role::customer, "not the price", 0.0},
                             {Role::agent, "price", 5.0},
                             {Role::customer, "price match", 6.0},
                             {Role::customer, "price", 45.0}});
  TagTrace trace;
  EXPECT_TRUE(matcher.tag(call, trace).topics.empty());
  const std::vector<TopicExplanation> topics = explain_call(compiled, call, trace, {}, {});
  ASSERT_EQ(topics.size(), 1U);
  EXPECT_EQ(topics[0].verdict, "not tagged: no counted hit");
  std::vector<std::string> why;
  for (const OccurrenceExplanation& occurrence : topics[0].occurrences) {
    why.push_back(occurrence.why);
  }
  EXPECT_EQ(why, (std::vector<std::string>{
                     "negated by \"not\"",
                     "wrong speaker: the topic counts customer turns, this one is agent",
                     "excluded by \"price match\"",
                     "outside window first_seconds 30 (turn starts at 45.0 s)"}));
}
