// Unit tests for src/discover mining and description: n-grams and clause
// breaks, stopword edges, stem merging and surface forms, roles, redacted
// words, redacted ranges, taxonomy coverage and topic stubs.
#include <gtest/gtest.h>

#include "callsight/discover.hpp"
#include "callsight/privacy.hpp"

using namespace callsight;

namespace {

Call call_of(std::vector<std::pair<Role, std::string>> turns) {
  Call call;
  for (auto& [role, text] : turns) {
    Turn turn;
    turn.role = role;
    turn.text = text;
    call.turns.push_back(std::move(turn));
  }
  return call;
}

MiningOptions english() {
  MiningOptions options;
  options.stopwords = parse_word_list(default_stopwords_en());
  return options;
}

PhraseCounts mine(const std::vector<Call>& calls, const MiningOptions& options = english()) {
  PhraseMiner miner(options);
  PhraseCounts counts;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    miner.add(calls[i], i, 0, counts);
  }
  return counts;
}

bool has(const PhraseCounts& counts, const std::string& key) {
  return counts.phrases.count(key) > 0;
}

} // namespace

TEST(DiscoverMiner, NgramsStopAtClauseBreaksAndStopwordEdges) {
  const PhraseCounts counts =
      mine({call_of({{Role::unknown, "I got the rate hike letter, furnace noise today."}})});
  EXPECT_EQ(counts.tokens, 9u);
  EXPECT_EQ(counts.calls, 1u);
  EXPECT_TRUE(has(counts, "rate hike letter"));
  EXPECT_TRUE(has(counts, "rate hike"));
  EXPECT_TRUE(has(counts, "hike"));
  EXPECT_TRUE(has(counts, "furnac nois today"));
  EXPECT_FALSE(has(counts, "letter furnac")) << "crosses the comma";
  EXPECT_FALSE(has(counts, "the rate")) << "starts with a stopword";
  EXPECT_FALSE(has(counts, "i got")) << "stopwords only";
  // A stopword may stand inside a phrase.
  const PhraseCounts inside = mine({call_of({{Role::unknown, "the rate of pay"}})});
  EXPECT_TRUE(has(inside, "rate of pay"));
  EXPECT_FALSE(has(inside, "rate of"));
}

TEST(DiscoverMiner, StemVariantsMergeUnderTheMostCommonSurfaceForm) {
  const PhraseCounts counts = mine({call_of({{Role::unknown, "I cancelled. Cancelling now."}}),
                                    call_of({{Role::unknown, "Cancelled it."}})});
  const PhraseEntry& entry = counts.phrases.at("cancel");
  EXPECT_EQ(entry.frequency, 3u);
  EXPECT_EQ(entry.calls, 2u);
  EXPECT_EQ(entry.surface(), "cancelled");
  EXPECT_EQ(entry.first.file, 0u);
  EXPECT_EQ(entry.first.begin, 2u);
  EXPECT_EQ(entry.first.end, 11u);
}

TEST(DiscoverMiner, OnlyCustomerTurnsWhenTheCallHasRoles) {
  const PhraseCounts counts =
      mine({call_of({{Role::agent, "loyalty bonus"},
                     {Role::customer, "furnace noise"},
                     {Role::unknown, "mystery words"}}),
            call_of({{Role::unknown, "water heater"}, {Role::unknown, "pilot light"}})});
  EXPECT_FALSE(has(counts, "loyalti bonus"));
  EXPECT_FALSE(has(counts, "mysteri word"));
  EXPECT_TRUE(has(counts, "furnac nois"));
  EXPECT_TRUE(has(counts, "water heater")) << "no roles: every turn counts";
  EXPECT_TRUE(has(counts, "pilot light"));
  EXPECT_FALSE(has(counts, "heater pilot")) << "turns are separate";
}

TEST(DiscoverMiner, DigitsAndRedactedWordsBreakPhrases) {
  const PhraseCounts counts = mine({call_of(
      {{Role::unknown, "model 2000 heater, call me at five five five one two three four five six "
                       "seven thanks, account AB12345 locked"}})});
  EXPECT_FALSE(has(counts, "2000"));
  EXPECT_FALSE(has(counts, "model 2000 heater"));
  EXPECT_TRUE(has(counts, "model"));
  EXPECT_TRUE(has(counts, "heater"));
  EXPECT_TRUE(has(counts, "call")) << "before the spoken number";
  EXPECT_FALSE(has(counts, "seven")) << "spoken digits are redacted";
  EXPECT_FALSE(has(counts, "ab12345")) << "account code";
  EXPECT_TRUE(has(counts, "lock"));
  EXPECT_FALSE(has(counts, "account ab12345 lock"));
}

TEST(DiscoverMiner, RedactedRangesLocateReplacedSpans) {
  const std::string text = "call 555-867-5309 or mail me at jo@example.com please";
  const std::string redacted = redact(text);
  ASSERT_NE(redacted, text);
  const auto ranges = redacted_ranges(text, redacted);
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(text.substr(ranges[0].first, ranges[0].second - ranges[0].first), "555-867-5309");
  EXPECT_EQ(text.substr(ranges[1].first, ranges[1].second - ranges[1].first), "jo@example.com");
  EXPECT_TRUE(redacted_ranges("no personal data", "no personal data").empty());
  // At the very end, and when nothing aligns.
  const auto tail = redacted_ranges("call 555-867-5309", "call [PHONE]");
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0], (std::pair<std::size_t, std::size_t>{5, 17}));
  const auto odd = redacted_ranges("abc", "xyz");
  ASSERT_EQ(odd.size(), 1u);
  EXPECT_EQ(odd[0], (std::pair<std::size_t, std::size_t>{0, 3}));
}

TEST(DiscoverDescribe, CoverageUsesTheTaxonomyMatcher) {
  Taxonomy taxonomy;
  Topic cancel;
  cancel.id = "cancellation";
  cancel.label = "Cancellation";
  cancel.speaker = SpeakerFilter::customer;
  cancel.phrases = {"cancel", "promo*"};
  cancel.min_hits = 3; // ignored for coverage: one hit is enough
  Topic agent_only;
  agent_only.id = "script";
  agent_only.label = "Script";
  agent_only.speaker = SpeakerFilter::agent;
  agent_only.phrases = {"loyalty bonus"};
  Topic pricing;
  pricing.id = "pricing";
  pricing.label = "Pricing";
  pricing.phrases = {"price"};
  pricing.exclude = {"price match guarantee"};
  taxonomy.topics = {cancel, agent_only, pricing};
  CoverageChecker coverage(CompiledTaxonomy::compile(taxonomy));
  EXPECT_EQ(coverage.covered_by("cancelling my membership"), "cancellation");
  EXPECT_EQ(coverage.covered_by("promotional code"), "cancellation");
  EXPECT_EQ(coverage.covered_by("rate hike letter"), "");
  EXPECT_EQ(coverage.covered_by("loyalty bonus"), "") << "agent-only topic";
  EXPECT_EQ(coverage.covered_by("prices"), "pricing");
  EXPECT_EQ(coverage.covered_by("price match guarantee"), "") << "excluded";
}

TEST(DiscoverDescribe, TopicStubsAreValidTaxonomyTopics) {
  nlohmann::ordered_json topics = nlohmann::ordered_json::array();
  for (const char* phrase : {"rate hike letter", "i'm confused", "2024 plan", "josé's café"}) {
    topics.push_back(topic_stub(phrase));
  }
  EXPECT_EQ(topics[0]["id"], "rate_hike_letter");
  EXPECT_EQ(topics[0]["label"], "Rate hike letter");
  EXPECT_EQ(topics[0]["kind"], "concern");
  EXPECT_EQ(topics[0]["speaker"], "customer");
  EXPECT_EQ(topics[0]["phrases"][0], "rate hike letter");
  EXPECT_EQ(topics[1]["id"], "i_m_confused");
  EXPECT_EQ(topics[2]["id"], "topic_2024_plan");
  nlohmann::ordered_json taxonomy;
  taxonomy["schema_version"] = 1;
  taxonomy["topics"] = topics;
  const TaxonomyLoadResult loaded = parse_taxonomy(taxonomy.dump());
  EXPECT_TRUE(loaded.taxonomy) << (loaded.issues.empty() ? "" : loaded.issues[0].message);
}
