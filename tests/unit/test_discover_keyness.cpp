// Unit tests for src/discover keyness and reference tables: G2 against
// hand-computed values, exact and chain-rule reference frequencies, the
// frequency-list parser, and ranking (thresholds, subsumption, ties).
#include <cmath>

#include <gtest/gtest.h>

#include "callsight/discover.hpp"

using namespace callsight;

namespace {

PhraseEntry entry(std::uint64_t frequency, std::uint64_t calls, std::string surface) {
  PhraseEntry e;
  e.frequency = frequency;
  e.calls = calls;
  e.surfaces.emplace_back(std::move(surface), frequency);
  return e;
}

} // namespace

TEST(DiscoverKeyness, G2MatchesHandComputedValues) {
  // E = 1000 * 10 / 2000 = 5; G2 = 2 * 10 * ln(10 / 5) = 20 ln 2.
  EXPECT_NEAR(log_likelihood_g2(10, 1000, 0, 1000), 20 * std::log(2.0), 1e-9);
  // E1 = 100 * 15 / 1100, E2 = 1000 * 15 / 1100;
  // G2 = 2 (5 ln(5 / E1) + 10 ln(10 / E2)) = 6.78973...
  EXPECT_NEAR(log_likelihood_g2(5, 100, 10, 1000), 6.789731275, 1e-6);
}

TEST(DiscoverKeyness, G2IsNegativeWhenUnderRepresentedAndZeroWhenEqual) {
  EXPECT_NEAR(log_likelihood_g2(1, 1000, 10, 1000), -8.547243831, 1e-6);
  EXPECT_DOUBLE_EQ(log_likelihood_g2(4, 100, 40, 1000), 0.0);
  EXPECT_DOUBLE_EQ(log_likelihood_g2(4, 0, 40, 1000), 0.0);
  EXPECT_DOUBLE_EQ(log_likelihood_g2(0, 100, 0, 1000), 0.0);
}

TEST(DiscoverKeyness, ReferenceFrequencyIsExactOrChainEstimated) {
  PhraseCounts counts;
  counts.max_words = 2;
  counts.tokens = 1000;
  counts.phrases["rate hike"] = entry(10, 5, "rate hike");
  counts.phrases["hike letter"] = entry(4, 4, "hike letter");
  counts.phrases["hike"] = entry(20, 9, "hike");
  EXPECT_DOUBLE_EQ(counts.frequency("rate hike"), 10.0);
  EXPECT_DOUBLE_EQ(counts.frequency("letter"), 0.0);
  // f(rate hike letter) ~ f(rate hike) f(hike letter) / f(hike) = 10 * 4 / 20.
  EXPECT_DOUBLE_EQ(counts.frequency("rate hike letter"), 2.0);
  EXPECT_DOUBLE_EQ(counts.frequency("rate hike bill"), 0.0);
  counts.max_words = 4;
  EXPECT_DOUBLE_EQ(counts.frequency("rate hike letter"), 0.0); // counted exhaustively: absent
}

TEST(DiscoverKeyness, MergingAddsCountsAndKeepsTheEarliestSite) {
  PhraseCounts a;
  a.calls = 2;
  a.tokens = 10;
  a.phrases["cancel"] = entry(3, 2, "cancel");
  a.phrases["cancel"].first = PhraseSite{4, 0, 1, 0, 6};
  PhraseCounts b;
  b.calls = 1;
  b.tokens = 5;
  b.phrases["cancel"] = entry(4, 1, "cancelled");
  b.phrases["cancel"].first = PhraseSite{2, 0, 3, 5, 14};
  a += b;
  EXPECT_EQ(a.calls, 3u);
  EXPECT_EQ(a.tokens, 15u);
  const PhraseEntry& merged = a.phrases.at("cancel");
  EXPECT_EQ(merged.frequency, 7u);
  EXPECT_EQ(merged.calls, 3u);
  EXPECT_EQ(merged.first.file, 2u);
  EXPECT_EQ(merged.surface(), "cancelled");
  // A tie goes to the byte-wise smaller form.
  EXPECT_EQ(merged.surfaces.size(), 2u);
  a.phrases.at("cancel").add_surface("cancel", 1);
  EXPECT_EQ(a.phrases.at("cancel").surface(), "cancel");
}

TEST(DiscoverKeyness, FrequencyListIsStemmedAndMerged) {
  Stemmer stemmer("english");
  std::string error;
  const auto counts = parse_frequency_list(
      "# comment\n@tokens\t5000\nthank you\t90\ncancelled\t3\ncancel\t4\r\n", stemmer, error);
  ASSERT_TRUE(counts) << error;
  EXPECT_EQ(counts->tokens, 5000u);
  EXPECT_EQ(counts->max_words, 2u);
  EXPECT_DOUBLE_EQ(counts->frequency("thank you"), 90.0);
  EXPECT_DOUBLE_EQ(counts->frequency("cancel"), 7.0);
  EXPECT_EQ(counts->phrases.at("cancel").surface(), "cancel");
}

TEST(DiscoverKeyness, FrequencyListErrorsNameTheLine) {
  Stemmer stemmer("english");
  std::string error;
  EXPECT_FALSE(parse_frequency_list("thank you\t9\n", stemmer, error));
  EXPECT_EQ(error, "line 1: the first line must be '@tokens<TAB>N' (words in the source corpus, "
                   "N > 0)");
  EXPECT_FALSE(parse_frequency_list("@tokens\t9\nhello 3\n", stemmer, error));
  EXPECT_EQ(error, "line 2: expected two tab-separated fields: phrase and count");
  EXPECT_FALSE(parse_frequency_list("@tokens\t9\na b c d e\t3\n", stemmer, error));
  EXPECT_EQ(error, "line 2: a phrase needs 1 to 4 words");
  EXPECT_FALSE(parse_frequency_list("@tokens\t9\nhi\t-3\n", stemmer, error));
  EXPECT_EQ(error, "line 2: count '-3' is not a whole number");
  EXPECT_FALSE(parse_frequency_list("", stemmer, error));
  EXPECT_FALSE(error.empty());
}

TEST(DiscoverKeyness, BuiltInListsParse) {
  Stemmer stemmer("english");
  std::string error;
  const auto background = parse_frequency_list(default_background_en(), stemmer, error);
  ASSERT_TRUE(background) << error;
  EXPECT_GT(background->tokens, 10000u);
  EXPECT_GT(background->frequency("thank you"), 10.0);
  const auto stopwords = parse_word_list(default_stopwords_en());
  EXPECT_TRUE(stopwords.count("the") > 0 && stopwords.count("don't") > 0);
  EXPECT_EQ(stopwords.count("cancel"), 0u);
}

TEST(DiscoverRank, KeepsOverRepresentedPhrasesAndDropsSubsumedOnes) {
  PhraseCounts target;
  target.tokens = 2000;
  target.calls = 60;
  target.phrases["rate hike letter"] = entry(20, 20, "rate hike letter");
  target.phrases["rate hike"] = entry(22, 21, "rate hike"); // mostly inside the longer one
  target.phrases["hike"] = entry(40, 30, "hikes");          // often alone: kept
  target.phrases["furnac"] = entry(50, 40, "furnace");      // as common as in the reference
  target.phrases["rare"] = entry(30, 2, "rare");            // too few calls
  target.phrases["letter"] = entry(21, 20, "letter");       // subsumed
  PhraseCounts reference;
  reference.tokens = 2000;
  reference.phrases["furnac"] = entry(50, 40, "furnace");
  reference.phrases["hike"] = entry(2, 2, "hike");
  const auto ranked = rank_phrases(target, reference, RankOptions{});
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].key, "hike");
  EXPECT_EQ(ranked[0].phrase, "hikes");
  ASSERT_TRUE(ranked[0].growth);
  EXPECT_NEAR(*ranked[0].growth, 40.5 / 2.5, 1e-9);
  EXPECT_EQ(ranked[1].key, "rate hike letter");
  EXPECT_FALSE(ranked[1].growth); // "new"
  EXPECT_NEAR(ranked[1].g2, 40 * std::log(2.0), 1e-9);

  RankOptions one;
  one.top = 1;
  EXPECT_EQ(rank_phrases(target, reference, one).size(), 1u);
  // Below the threshold a longer phrase subsumes nothing: "rate hike" (G2 30.5) returns.
  RankOptions strict;
  strict.min_g2 = 30;
  const auto kept = rank_phrases(target, reference, strict);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[1].key, "rate hike");
}

TEST(DiscoverRank, TiesAreBrokenByCallsThenKey) {
  PhraseCounts target;
  target.tokens = 1000;
  target.phrases["beta"] = entry(10, 5, "beta");
  target.phrases["alpha"] = entry(10, 5, "alpha");
  target.phrases["gamma"] = entry(10, 6, "gamma");
  PhraseCounts reference;
  reference.tokens = 1000;
  const auto ranked = rank_phrases(target, reference, RankOptions{});
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].key, "gamma");
  EXPECT_EQ(ranked[1].key, "alpha");
  EXPECT_EQ(ranked[2].key, "beta");
}
