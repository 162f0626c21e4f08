// Unit tests for src/tagging/matcher: stemming, prefixes, exact forms,
// multi-word phrases, negation, exclusions, speaker restriction, min hits.
#include <gtest/gtest.h>

#include "callsight/matcher.hpp"

using namespace callsight;

namespace {

Topic topic(std::string id, std::vector<std::string> phrases) {
  Topic t;
  t.id = id;
  t.label = id;
  t.phrases = std::move(phrases);
  return t;
}

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

// Hits per topic id for one call.
std::map<std::string, std::uint32_t> tag(const std::vector<Topic>& topics, const Call& call) {
  Taxonomy taxonomy;
  taxonomy.topics = topics;
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(taxonomy);
  Matcher matcher(compiled);
  std::map<std::string, std::uint32_t> hits;
  for (const TopicMatch& m : matcher.tag(call).topics) {
    hits[compiled.topics()[m.topic].id] = m.hits;
  }
  return hits;
}

std::map<std::string, std::uint32_t> tag_text(const std::vector<Topic>& topics,
                                              const std::string& text) {
  return tag(topics, call_of({{Role::customer, text}}));
}

using Hits = std::map<std::string, std::uint32_t>;

} // namespace

TEST(Matcher, StemmedWordsMatchInflections) {
  const std::vector<Topic> topics{topic("cancellation", {"cancel"})};
  EXPECT_EQ(tag_text(topics, "I cancelled it. Cancellation fee? Cancelling now."),
            (Hits{{"cancellation", 3}}));
  EXPECT_EQ(tag_text(topics, "The canal is nice."), Hits{});
}

TEST(Matcher, MultiWordPhrasesNeedConsecutiveWords) {
  const std::vector<Topic> topics{topic("pricing", {"how much"})};
  EXPECT_EQ(tag_text(topics, "So how much is it? How MUCH!"), (Hits{{"pricing", 2}}));
  EXPECT_EQ(tag_text(topics, "how very much"), Hits{});
}

TEST(Matcher, PrefixWildcardAndExactForms) {
  const std::vector<Topic> topics{topic("refund", {"refund*"}), topic("quote", {"\"quote\""})};
  EXPECT_EQ(tag_text(topics, "Refunds, refunded, refund."), (Hits{{"refund", 3}}));
  EXPECT_EQ(tag_text(topics, "they quoted me"), Hits{});
  EXPECT_EQ(tag_text(topics, "a Quote please"), (Hits{{"quote", 1}}));
}

TEST(Matcher, NegationSuppressesHits) {
  const std::vector<Topic> topics{topic("pricing", {"expensive"}),
                                  topic("cancellation", {"cancel"}),
                                  topic("technical_problem", {"problem"})};
  EXPECT_EQ(tag_text(topics, "It's not too expensive."), Hits{});
  EXPECT_EQ(tag_text(topics, "I never cancelled anything."), Hits{});
  EXPECT_EQ(tag_text(topics, "I've never had a problem with you guys."), Hits{});
  EXPECT_EQ(tag_text(topics, "I don't want to cancel."), Hits{});
  EXPECT_EQ(tag_text(topics, "I didn’t cancel."), Hits{}); // typographic apostrophe
  EXPECT_EQ(tag_text(topics, "Nothing's expensive here."), Hits{});
  // A clause break ends the negation's reach.
  EXPECT_EQ(tag_text(topics, "No, it is expensive."), (Hits{{"pricing", 1}}));
  // Out of the three-word window.
  EXPECT_EQ(tag_text(topics, "Not that I mind but it's expensive"), (Hits{{"pricing", 1}}));
}

TEST(Matcher, NegationCanBeIgnoredPerTopic) {
  Topic t = topic("technical_problem", {"not working"});
  t.negation = NegationMode::ignore;
  EXPECT_EQ(tag_text({t}, "it's just not working"), (Hits{{"technical_problem", 1}}));
}

TEST(Matcher, NegatedOnlyTopicIsNotReportedButCountsNegations) {
  Taxonomy taxonomy;
  taxonomy.topics = {topic("pricing", {"expensive"})};
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(taxonomy);
  Matcher matcher(compiled);
  const TagResult result =
      matcher.tag(call_of({{Role::customer, "not expensive. Well, expensive later."}}));
  ASSERT_EQ(result.topics.size(), 1u);
  EXPECT_EQ(result.topics[0].hits, 1u);
  EXPECT_EQ(result.topics[0].negated, 1u);
}

TEST(Matcher, ExclusionsDropOverlappingHits) {
  Topic t = topic("pricing", {"price"});
  t.exclude = {"price match guarantee"};
  EXPECT_EQ(tag_text({t}, "We have a price match guarantee."), Hits{});
  EXPECT_EQ(tag_text({t}, "Price match guarantee, but what's the price?"), (Hits{{"pricing", 1}}));
}

TEST(Matcher, SpeakerRestriction) {
  Topic customer_only = topic("promotion", {"coupon"});
  customer_only.speaker = SpeakerFilter::customer;
  Topic agent_only = topic("converted", {"all set"});
  agent_only.speaker = SpeakerFilter::agent;
  const Call call = call_of({{Role::agent, "We have a coupon. You're all set."},
                             {Role::customer, "You're all set? Great."}});
  EXPECT_EQ(tag({customer_only, agent_only}, call), (Hits{{"converted", 1}}));
  // Unknown roles do not exclude anything.
  const Call unknown = call_of({{Role::unknown, "coupon"}});
  EXPECT_EQ(tag({customer_only}, unknown), (Hits{{"promotion", 1}}));
}

TEST(Matcher, MinHits) {
  Topic t = topic("complaint", {"frustrated"});
  t.min_hits = 2;
  EXPECT_EQ(tag_text({t}, "I'm frustrated."), Hits{});
  EXPECT_EQ(tag_text({t}, "I'm frustrated. So frustrated."), (Hits{{"complaint", 2}}));
}

TEST(Matcher, OverlappingPhrasesOfOneTopicCountOnce) {
  const std::vector<Topic> topics{topic("cancellation", {"cancel", "cancel my plan"})};
  EXPECT_EQ(tag_text(topics, "cancel my plan"), (Hits{{"cancellation", 1}}));
}

TEST(Matcher, EvidenceLocatesFirstCountedHit) {
  Taxonomy taxonomy;
  taxonomy.topics = {topic("pricing", {"how much"})};
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(taxonomy);
  Matcher matcher(compiled);
  const TagResult result =
      matcher.tag(call_of({{Role::agent, "Hello."}, {Role::customer, "Um, how much is it?"}}));
  ASSERT_EQ(result.topics.size(), 1u);
  EXPECT_EQ(result.topics[0].first_turn, 1u);
  EXPECT_EQ(result.topics[0].first_begin, 4u);
  EXPECT_EQ(result.topics[0].first_end, 12u);
  EXPECT_EQ(result.words, 6u);
}

TEST(Matcher, CompileRejectsUnknownLanguage) {
  Taxonomy taxonomy;
  taxonomy.language = "klingon";
  taxonomy.topics = {topic("x", {"y"})};
  EXPECT_THROW(CompiledTaxonomy::compile(taxonomy), std::invalid_argument);
  EXPECT_NO_THROW(CompiledTaxonomy::compile(taxonomy, "en"));
}

TEST(Matcher, ManyDistinctWordsKeepWorking) {
  // More distinct words than the cache holds between turns is handled by
  // clearing between turns; results must not change.
  const std::vector<Topic> topics{topic("pricing", {"price"})};
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    text += "w" + std::to_string(i) + " ";
  }
  text += "price";
  EXPECT_EQ(tag_text(topics, text), (Hits{{"pricing", 1}}));
}

// The matcher's word cache is indexed by vocabulary ids: tokens from another
// TurnTokens (another vocabulary, other ids for the same words) must not
// reuse what it learnt from the first.
TEST(Matcher, TokensFromAnyVocabularyGiveTheSameTopics) {
  Taxonomy taxonomy;
  taxonomy.topics = {topic("pricing", {"too expensive", "price"}),
                     topic("cancellation", {"cancel"})};
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(taxonomy);
  Matcher matcher(compiled);
  const Call pricing = call_of({{Role::customer, "The price is too expensive."}});
  const Call cancelling = call_of({{Role::customer, "Cancel it, the price went up."}});
  auto topics_of = [&](const TagResult& result) {
    std::map<std::string, std::uint32_t> hits;
    for (const TopicMatch& m : result.topics) {
      hits[compiled.topics()[m.topic].id] = m.hits;
    }
    return hits;
  };
  TurnTokens first;
  TurnTokens second;
  second.add_turn("unrelated words shift every id"); // same words, other ids below
  for (int round = 0; round < 2; ++round) {
    tokenize_turns(pricing.turns, first);
    EXPECT_EQ(topics_of(matcher.tag(pricing, first)), (Hits{{"pricing", 2}}));
    tokenize_turns(cancelling.turns, second);
    EXPECT_EQ(topics_of(matcher.tag(cancelling, second)),
              (Hits{{"cancellation", 1}, {"pricing", 1}}));
    EXPECT_EQ(topics_of(matcher.tag(pricing)), (Hits{{"pricing", 2}}));
  }
}
