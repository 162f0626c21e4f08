// Unit tests for src/tagging/sentiment: lexicon syntax and merge, negation,
// intensifiers, contrast, multi-word entries, per-call figures, and per-class
// precision/recall on the labelled turns in data/sentiment_labelled_turns.tsv.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "callsight/sentiment.hpp"

using namespace callsight;

namespace {

double score(std::string_view text) {
  SentimentScorer scorer(SentimentLexicon::built_in());
  return scorer.score_text(text);
}

SentimentLexicon parse_ok(std::string_view tsv) {
  std::string error;
  std::optional<SentimentLexicon> lexicon = SentimentLexicon::parse(tsv, error);
  EXPECT_TRUE(lexicon.has_value()) << error;
  return lexicon ? *lexicon : SentimentLexicon::built_in();
}

std::string parse_error(std::string_view tsv) {
  std::string error;
  EXPECT_FALSE(SentimentLexicon::parse(tsv, error).has_value()) << tsv;
  return error;
}

struct TurnSpec {
  Role role;
  std::string text;
  std::optional<double> start_s = std::nullopt;
  std::optional<double> end_s = std::nullopt;
  std::string speaker = {};
};

Call call_of(const std::vector<TurnSpec>& specs) {
  Call call;
  for (const TurnSpec& spec : specs) {
    Turn turn;
    turn.role = spec.role;
    turn.speaker = spec.speaker.empty() ? std::string(to_string(spec.role)) : spec.speaker;
    turn.text = spec.text;
    turn.start_s = spec.start_s;
    turn.end_s = spec.end_s;
    call.turns.push_back(std::move(turn));
  }
  return call;
}

CallSentiment score_call(const std::vector<TurnSpec>& specs) {
  SentimentScorer scorer(SentimentLexicon::built_in());
  return scorer.score_call(call_of(specs));
}

constexpr Role k_agent = Role::agent;
constexpr Role k_customer = Role::customer;
constexpr Role k_unknown = Role::unknown;

} // namespace

// --- lexicon ------------------------------------------------------------------

TEST(SentimentLexicon, BuiltInParsesAndIsSizeable) {
  const SentimentLexicon& lexicon = SentimentLexicon::built_in();
  EXPECT_GE(lexicon.count(SentimentEntryKind::term), 300u);
  EXPECT_GE(lexicon.count(SentimentEntryKind::intensifier), 20u);
  EXPECT_GE(lexicon.count(SentimentEntryKind::negator), 20u);
  EXPECT_GE(lexicon.count(SentimentEntryKind::contrast), 2u);
  EXPECT_GE(lexicon.count(SentimentEntryKind::concession), 2u);
  std::printf(
      "built-in lexicon: %zu terms, %zu intensifiers, %zu negators, %zu contrast, "
      "%zu concession\n",
      lexicon.count(SentimentEntryKind::term), lexicon.count(SentimentEntryKind::intensifier),
      lexicon.count(SentimentEntryKind::negator), lexicon.count(SentimentEntryKind::contrast),
      lexicon.count(SentimentEntryKind::concession));
}

TEST(SentimentLexicon, ParsesSectionsCommentsBomAndCrlf) {
  const SentimentLexicon lexicon = parse_ok("\xEF\xBB\xBF# a comment\r\n#\r\n"
                                            "splendid\t2\r\n"
                                            "\r\n"
                                            "#intensifiers\r\n"
                                            "mighty\t1.5\r\n"
                                            "#negators\r\n"
                                            "nay\r\n"
                                            "#contrast\r\n"
                                            "still\r\n"
                                            "whereas\tconcession\r\n"
                                            "#terms\r\n"
                                            "dreadful\t-2.5\r\n"
                                            "good morning\t0\r\n");
  EXPECT_EQ(lexicon.count(SentimentEntryKind::term), 2u); // the neutral phrase is not counted
  EXPECT_EQ(lexicon.count(SentimentEntryKind::intensifier), 1u);
  EXPECT_EQ(lexicon.count(SentimentEntryKind::negator), 1u);
  EXPECT_EQ(lexicon.count(SentimentEntryKind::contrast), 1u);
  EXPECT_EQ(lexicon.count(SentimentEntryKind::concession), 1u);
  SentimentScorer scorer(lexicon);
  EXPECT_GT(scorer.score_text("Splendid."), 0.0);
  EXPECT_GT(scorer.score_text("mighty splendid"), scorer.score_text("splendid"));
  EXPECT_LT(scorer.score_text("nay splendid"), 0.0);
  EXPECT_LT(scorer.score_text("dreadful"), 0.0);
}

TEST(SentimentLexicon, ErrorsCarryLineNumbers) {
  EXPECT_EQ(parse_error("great\t2\n#adverbs\nvery\t1.3\n"),
            "line 2: unknown section '#adverbs' (sections are #terms, #intensifiers, #negators "
            "and #contrast; a comment starts with \"# \")");
  EXPECT_EQ(parse_error("# c\ngreat\tlots\n"), "line 2: score 'lots' is not a number in [-3, 3]");
  EXPECT_EQ(parse_error("great\t3.5\n"), "line 1: score '3.5' is not a number in [-3, 3]");
  EXPECT_EQ(parse_error("great\n"), "line 1: 'great' needs a score: term<TAB>score");
  EXPECT_EQ(parse_error("great\t2\t1\n"),
            "line 1: too many TAB-separated fields (expected term<TAB>value)");
  EXPECT_EQ(parse_error("\t2\n"), "line 1: empty term before the TAB");
  EXPECT_EQ(parse_error("Great\t2\n\ngreat\t1\n"), "line 3: 'great' is already listed on line 1");
  EXPECT_EQ(parse_error("thank you, so much\t2\n"),
            "line 1: 'thank you, so much' contains clause punctuation (, . ; : ! ? and the "
            "like), which no match crosses");
  EXPECT_EQ(parse_error("#intensifiers\nvery\t0\n"),
            "line 2: multiplier '0' is not a number in (0, 3]");
  EXPECT_EQ(parse_error("#negators\nnot\t1\n"),
            "line 2: a negator takes no value (only \"off\"), found '1'");
  EXPECT_EQ(parse_error("#contrast\nbut\tsometimes\n"),
            "line 2: contrast kind 'sometimes' is not \"contrast\", \"concession\" or \"off\"");
  EXPECT_EQ(parse_error("ok\t1\nbad\xFF\t-1\n"), "line 2: not valid UTF-8");
  EXPECT_EQ(parse_error("...\t1\n"), "line 1: '...' has no words");
  EXPECT_EQ(parse_error("a b c d e f g h i\t1\n"),
            "line 1: 'a b c d e f g h i' has more than 8 words");
  EXPECT_EQ(parse_error("nan\tnan\n"), "line 1: score 'nan' is not a number in [-3, 3]");
  EXPECT_EQ(parse_error("odd\t+-1\n"), "line 1: score '+-1' is not a number in [-3, 3]");
  EXPECT_EQ(parse_error(std::string(65, 'a') + "\t1\n"),
            "line 1: '" + std::string(65, 'a') + "' has a word longer than 64 bytes");
}

TEST(SentimentLexicon, ListsEveryErrorUpToALimit) {
  std::string text;
  for (int i = 0; i < 25; ++i) {
    text += "word" + std::to_string(i) + "\tx\n";
  }
  const std::string error = parse_error(text);
  EXPECT_NE(error.find("line 1: score 'x'"), std::string::npos);
  EXPECT_NE(error.find("line 20: score 'x'"), std::string::npos);
  EXPECT_EQ(error.find("line 21:"), std::string::npos);
  EXPECT_NE(error.find("... and 5 more"), std::string::npos);
}

TEST(SentimentLexicon, TermsAreNormalizedLikeText) {
  const SentimentLexicon lexicon = parse_ok("Don’t  LIKE\t-2\n+plus\t+1\n");
  SentimentScorer scorer(lexicon);
  EXPECT_LT(scorer.score_text("I don't like it"), 0.0);
  EXPECT_LT(scorer.score_text("I DON’T like it"), 0.0);
  EXPECT_GT(scorer.score_text("plus"), 0.0);
}

TEST(SentimentLexicon, MergeOverridesAddsAndRemoves) {
  SentimentLexicon lexicon = SentimentLexicon::built_in();
  SentimentScorer before(lexicon);
  const SentimentLexicon extra = parse_ok("# a team's own words\n"
                                          "expensive\t1\n" // premium brand: a good sign
                                          "apex\t-1.5\n"   // a competitor
                                          "sorry\toff\n"   // agents apologise by script
                                          "#intensifiers\n"
                                          "great\t1.5\n"); // moves a term to intensifiers
  lexicon.merge(extra);
  SentimentScorer after(lexicon);
  EXPECT_LT(before.score_text("it's expensive"), 0.0);
  EXPECT_GT(after.score_text("it's expensive"), 0.0);
  EXPECT_EQ(before.score_text("apex"), 0.0);
  EXPECT_LT(after.score_text("apex"), 0.0);
  EXPECT_LT(before.score_text("sorry"), 0.0);
  EXPECT_EQ(after.score_turn("sorry").terms, 0u);
  EXPECT_GT(before.score_text("great"), 0.0);
  EXPECT_EQ(after.score_text("great"), 0.0);
  EXPECT_GT(after.score_text("great friendly staff"), after.score_text("friendly staff"));
  // The built-in lexicon and a scorer made from it keep the old entries.
  EXPECT_LT(SentimentScorer(SentimentLexicon::built_in()).score_text("it's expensive"), 0.0);
  const SentimentLexicon& base = SentimentLexicon::built_in();
  EXPECT_EQ(lexicon.count(SentimentEntryKind::term), base.count(SentimentEntryKind::term) - 1);
  EXPECT_EQ(lexicon.count(SentimentEntryKind::intensifier),
            base.count(SentimentEntryKind::intensifier) + 1);
}

// --- scoring one text -----------------------------------------------------------

TEST(SentimentScore, NoSentimentWordsScoresZero) {
  SentimentScorer scorer(SentimentLexicon::built_in());
  EXPECT_EQ(scorer.score_text(""), 0.0);
  EXPECT_EQ(scorer.score_text("It's 2218 Larkspur Lane, in Millbrook."), 0.0);
  EXPECT_EQ(scorer.score_turn("Can I get the phone number on the account?").terms, 0u);
  EXPECT_EQ(scorer.score_turn("Good morning, Northwind Home Services.").terms, 0u);
  EXPECT_EQ(scorer.score_turn("What's the best number to reach you?").terms, 0u);
}

TEST(SentimentScore, PolarityOfPlainWords) {
  EXPECT_GT(score("The tech was great."), 0.0);
  EXPECT_LT(score("This is ridiculous."), 0.0);
  EXPECT_LT(score("I'm so frustrated"), 0.0);
  EXPECT_GT(score("You've been really helpful, I appreciate it."), 0.0);
}

TEST(SentimentScore, NegationFlipsAndDamps) {
  EXPECT_LT(score("I'm not happy"), 0.0);
  const double not_bad = score("not bad");
  EXPECT_GT(not_bad, 0.0);
  EXPECT_LT(not_bad, score("good")); // only mildly positive
  EXPECT_LT(score("not happy"), 0.0);
  EXPECT_GT(score("not happy"), score("unhappy")); // damped
  EXPECT_GT(score("I never had a problem with you guys"), 0.0);
  EXPECT_LT(score("I don't think that's fair"), 0.0); // two words between
  EXPECT_GT(score("not too expensive"), 0.0);
  EXPECT_LT(score("NOT HAPPY"), 0.0);
  EXPECT_LT(score("I don’t like it"), 0.0); // curly apostrophe
}

TEST(SentimentScore, NegationReachesThreeWordsInOneClause) {
  EXPECT_LT(score("not really that happy"), 0.0);          // happy is the 3rd word after
  EXPECT_GT(score("not that it matters, I'm happy"), 0.0); // the comma ends the clause
  EXPECT_GT(score("No, happy to help"), 0.0);
  EXPECT_GT(score("nothing we did made them happy"), 0.0); // 4th word: out of reach
}

TEST(SentimentScore, IntensifiersStrengthenAndSoften) {
  const double good = score("good");
  EXPECT_GT(score("very good"), good);
  EXPECT_GT(score("really really good"), score("really good"));
  EXPECT_LT(score("kind of good"), good);
  EXPECT_GT(score("kind of good"), 0.0);
  EXPECT_LT(score("extremely bad"), score("bad"));
  EXPECT_GT(score("a bit annoyed"), score("annoyed"));
  EXPECT_GT(score("really a great guy"), score("a great guy"));            // one word between
  EXPECT_EQ(score("very, good"), good);                                    // not across a comma
  EXPECT_EQ(score("very much of the good one"), score("of the good one")); // two between
}

TEST(SentimentScore, IntensifierAfterNegatorHedges) {
  EXPECT_LT(score("not very good"), 0.0);
  EXPECT_GT(score("not very good"), score("not good"));
  EXPECT_LT(score("really not good"), score("not good"));
}

TEST(SentimentScore, ButContrastWeighsTheSecondPart) {
  EXPECT_LT(score("the tech was nice but the bill is ridiculous"), 0.0);
  EXPECT_GT(score("the bill is ridiculous but the tech was nice"), 0.0);
  EXPECT_LT(score("The tech was nice. But the bill is ridiculous."), 0.0);
  EXPECT_GT(score("It was a little pricey, but honestly worth every penny."), 0.0);
  // Without the contrast word both parts weigh the same.
  EXPECT_GT(score("the tech was nice but the bill is high"), 0.0);
  EXPECT_LT(score("the tech was nice but the bill is high"), score("the tech was nice"));
  // "but" reaches only its own sentence (and the previous one when it starts one).
  EXPECT_GT(score("Great. Fine. I'm happy. Okay but the wait was annoying"),
            score("Okay but the wait was annoying"));
}

TEST(SentimentScore, ConcessionWeighsItsClauseLess) {
  EXPECT_LT(score("Although the tech was nice, the bill is ridiculous."), 0.0);
  EXPECT_LT(score("Although the tech was nice, the bill is ridiculous."),
            score("The tech was nice, the bill is ridiculous."));
  EXPECT_GT(score("I like it, even though it's pricey."), 0.0);
}

TEST(SentimentScore, MultiWordEntries) {
  EXPECT_LT(score("Honestly this is a waste of time"), 0.0);
  EXPECT_LT(score("I was on hold forever"), score("I was on hold"));
  EXPECT_LT(score("no one called me back"), 0.0);
  EXPECT_LT(score("Nobody called."), 0.0);
  EXPECT_GT(score("thank you so much"), score("thank you"));
  EXPECT_GT(score("that works"), 0.0);
  EXPECT_GT(score("No problem at all"), 0.0); // not "no" negating "problem"
  EXPECT_GT(score("I can't thank you enough"), score("thank you"));
  EXPECT_LT(score("the tech was a no-show"), 0.0);
  EXPECT_LT(score("nothing but problems"), score("problems")); // "nothing but" intensifies
  EXPECT_LT(score("He was anything but helpful"), 0.0);
  // A multi-word entry does not match across clause punctuation.
  EXPECT_EQ(score("waste, of time"), score("waste"));
}

TEST(SentimentScore, StaysWithinBoundsAndIsRepeatable) {
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "great amazing perfect ";
  }
  SentimentScorer scorer(SentimentLexicon::built_in());
  const double high = scorer.score_text(text);
  EXPECT_GT(high, 0.99);
  EXPECT_LE(high, 1.0);
  EXPECT_EQ(scorer.score_text(text), high); // second time through the word cache
  EXPECT_GE(scorer.score_text("worst worst worst worst worst worst worst worst"), -1.0);
  // One strong word sits at the documented half-saturation point.
  EXPECT_NEAR(scorer.score_text("worst"), -0.5, 1e-12);
}

TEST(SentimentScore, PolarityClasses) {
  EXPECT_EQ(classify_polarity(0.3), Polarity::positive);
  EXPECT_EQ(classify_polarity(-0.3), Polarity::negative);
  EXPECT_EQ(classify_polarity(0.0), Polarity::neutral);
  EXPECT_EQ(classify_polarity(0.2, 0.25), Polarity::neutral);
  EXPECT_EQ(to_string(Polarity::negative), "negative");
}

// --- per call ----------------------------------------------------------------

TEST(SentimentCall, MeansPerRoleAndSpeakerSkipNeutralTurns) {
  const CallSentiment s = score_call({
      {k_agent, "Thanks for calling, how can I help?", {}, {}, "Maria"},
      {k_customer, "My furnace is broken and I'm really frustrated.", {}, {}, "Dana"},
      {k_agent, "Can I get the address?", {}, {}, "Maria"},
      {k_customer, "2218 Larkspur Lane.", {}, {}, "Dana"},
      {k_customer, "Okay, great, thank you so much.", {}, {}, "Dana"},
      {k_unknown, "Sorry, who is this?", {}, {}, "Speaker 3"},
  });
  ASSERT_EQ(s.turns.size(), 6u);
  EXPECT_EQ(s.turns[2].terms, 0u);
  EXPECT_EQ(s.turns[3].terms, 0u);
  EXPECT_EQ(s.agent.count, 1u);
  EXPECT_EQ(s.customer.count, 2u);
  EXPECT_EQ(s.unknown.count, 1u);
  EXPECT_EQ(s.all.count, 4u);
  EXPECT_NEAR(*s.customer.mean(), (s.turns[1].score + s.turns[4].score) / 2, 1e-6);
  EXPECT_NEAR(*s.agent.mean(), s.turns[0].score, 1e-6);
  EXPECT_LT(*s.unknown.mean(), 0.0);
  ASSERT_EQ(s.speakers.size(), 3u);
  EXPECT_EQ(s.speakers[0].speaker, "Maria");
  EXPECT_EQ(s.speakers[0].role, Role::agent);
  EXPECT_EQ(s.speakers[1].speaker, "Dana");
  EXPECT_EQ(s.speakers[1].sentiment, s.customer);
  EXPECT_EQ(s.speakers[2].speaker, "Speaker 3");
}

TEST(SentimentCall, QuartersByPositionWithoutTimes) {
  const CallSentiment s = score_call({
      {k_customer, "This is ridiculous."}, // quarter 0
      {k_agent, "I'm sorry."},
      {k_customer, "It's a mess."}, // quarter 1
      {k_agent, "Let me fix it."},
      {k_customer, "Okay."}, // neutral: left out
      {k_agent, "Done."},
      {k_customer, "Thank you so much, that's great."}, // quarter 3
      {k_agent, "My pleasure."},
  });
  EXPECT_EQ(s.quarter_basis, QuarterBasis::position);
  EXPECT_EQ(s.customer_quarters[0].count, 1u);
  EXPECT_LT(*s.customer_quarters[0].mean(), 0.0);
  EXPECT_EQ(s.customer_quarters[1].count, 1u);
  EXPECT_FALSE(s.customer_quarters[2].mean().has_value());
  EXPECT_GT(*s.customer_quarters[3].mean(), 0.0);
}

TEST(SentimentCall, QuartersByTimeWhenEveryTurnHasOne) {
  // By index the last customer turn would be in quarter 3; by time (a long
  // agent explanation follows it) it is in quarter 1.
  const CallSentiment s = score_call({
      {k_customer, "This is ridiculous.", 0.0, 10.0},
      {k_agent, "I'm sorry.", 10.0, 12.0},
      {k_customer, "Oh, great, thank you.", 20.0, 30.0},
      {k_agent, "So the way the plan works is...", 30.0, 100.0},
  });
  EXPECT_EQ(s.quarter_basis, QuarterBasis::time);
  EXPECT_EQ(s.customer_quarters[0].count, 1u);
  EXPECT_EQ(s.customer_quarters[1].count, 1u);
  EXPECT_GT(*s.customer_quarters[1].mean(), 0.0);
  EXPECT_EQ(s.customer_quarters[3].count, 0u);

  // One turn without a time: positions for the whole call.
  const CallSentiment mixed = score_call({
      {k_customer, "This is ridiculous.", 0.0, 10.0},
      {k_agent, "I'm sorry."},
      {k_customer, "Oh, great, thank you.", 20.0, 30.0},
      {k_agent, "So the way the plan works is...", 30.0, 100.0},
  });
  EXPECT_EQ(mixed.quarter_basis, QuarterBasis::position);
  EXPECT_EQ(mixed.customer_quarters[2].count, 1u);

  // Times that never advance: positions.
  const CallSentiment flat_times = score_call({{k_customer, "great", 5.0}, {k_agent, "ok", 5.0}});
  EXPECT_EQ(flat_times.quarter_basis, QuarterBasis::position);
  EXPECT_EQ(score_call({}).quarter_basis, QuarterBasis::none);
}

TEST(SentimentCall, TrajectoryImproved) {
  const CallSentiment s = score_call({
      {k_customer, "I'm furious, nobody showed up."},
      {k_agent, "I'm so sorry."},
      {k_customer, "It's the second time, it's a mess."},
      {k_customer, "Okay, that works."},
      {k_customer, "Thank you so much, you've been wonderful."},
  });
  EXPECT_EQ(s.customer_trajectory, Trajectory::improved);
  ASSERT_TRUE(s.customer_start && s.customer_end);
  EXPECT_LT(*s.customer_start, 0.0);
  EXPECT_GT(*s.customer_end, 0.0);
  EXPECT_EQ(to_string(s.customer_trajectory), "improved");
}

TEST(SentimentCall, TrajectoryWorsened) {
  const CallSentiment s = score_call({
      {k_customer, "Hi, great to reach you, thanks."},
      {k_customer, "Okay, sounds good."},
      {k_customer, "Wait, two weeks? That's ridiculous."},
      {k_customer, "This is unacceptable, I'm really upset."},
  });
  EXPECT_EQ(s.customer_trajectory, Trajectory::worsened);
}

TEST(SentimentCall, TrajectoryFlat) {
  const CallSentiment s = score_call({
      {k_customer, "Great, thanks."},
      {k_customer, "Perfect."},
      {k_customer, "Great, thank you."},
  });
  EXPECT_EQ(s.customer_trajectory, Trajectory::flat);
}

TEST(SentimentCall, TrajectoryUnknownWithTooFewCustomerTurnsOrNoRoles) {
  const CallSentiment few = score_call({
      {k_customer, "This is ridiculous."},
      {k_customer, "My address is 14 Birch Court."}, // neutral: does not count
      {k_customer, "Thank you so much."},
      {k_agent, "Great!"},
  });
  EXPECT_EQ(few.customer_trajectory, Trajectory::unknown);
  EXPECT_FALSE(few.customer_start.has_value());

  const CallSentiment no_roles = score_call({
      {k_unknown, "This is ridiculous."},
      {k_unknown, "I'm sorry."},
      {k_unknown, "It's a mess."},
      {k_unknown, "Thank you so much."},
  });
  EXPECT_EQ(no_roles.customer_trajectory, Trajectory::unknown);
  EXPECT_EQ(no_roles.customer.count, 0u);
  EXPECT_EQ(no_roles.unknown.count, 4u);
  for (const SentimentMean& quarter : no_roles.customer_quarters) {
    EXPECT_EQ(quarter.count, 0u);
  }
}

TEST(SentimentTotals, MergeIsOrderIndependent) {
  const CallSentiment a = score_call({{k_customer, "ridiculous"}, {k_agent, "sorry"}});
  const CallSentiment b = score_call({{k_customer, "great, thank you so much"}});
  const CallSentiment c = score_call({{k_customer, "kind of annoyed"},
                                      {k_customer, "okay"},
                                      {k_customer, "a mess"},
                                      {k_customer, "not bad, not bad at all"}});
  SentimentTotals one;
  one.add(a);
  one.add(b);
  one.add(c);
  SentimentTotals left;
  left.add(c);
  SentimentTotals right;
  right.add(b);
  right.add(a);
  left += right;
  EXPECT_EQ(one, left);
  EXPECT_EQ(one.calls, 3u);
  EXPECT_EQ(one.customer.count, 3u);
  EXPECT_EQ(one.agent.count, 1u);
  EXPECT_EQ(one.trajectories[static_cast<std::size_t>(Trajectory::unknown)], 2u);
  EXPECT_EQ(one.trajectories[static_cast<std::size_t>(Trajectory::improved)], 1u);
}

// --- the labelled set --------------------------------------------------------

namespace {

struct Labelled {
  std::string id;
  std::string text;
  Polarity label = Polarity::neutral;
  double score = 0.0;
};

std::vector<Labelled> load_labelled() {
  std::ifstream in(std::string(CALLSIGHT_SOURCE_DIR) + "/data/sentiment_labelled_turns.tsv");
  EXPECT_TRUE(in.good());
  std::vector<Labelled> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    std::vector<std::string> fields;
    std::stringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) {
      fields.push_back(field);
    }
    EXPECT_EQ(fields.size(), 4u) << line;
    if (fields.size() != 4) {
      continue;
    }
    Labelled row;
    row.id = fields[0];
    row.text = fields[3];
    EXPECT_TRUE(fields[1] == "agent" || fields[1] == "customer") << line;
    if (fields[2] == "positive") {
      row.label = Polarity::positive;
    } else if (fields[2] == "negative") {
      row.label = Polarity::negative;
    } else {
      EXPECT_EQ(fields[2], "neutral") << line;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

struct ClassStats {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  int support = 0;
};

struct Evaluation {
  std::array<ClassStats, 3> classes; // by Polarity
  double accuracy = 0;
  double macro_f1 = 0;
};

Evaluation evaluate(const std::vector<Labelled>& rows, std::size_t begin, std::size_t end,
                    double threshold) {
  std::array<std::array<int, 3>, 3> confusion{}; // [label][predicted]
  for (std::size_t i = begin; i < end; ++i) {
    const auto predicted = classify_polarity(rows[i].score, threshold);
    ++confusion[static_cast<std::size_t>(rows[i].label)][static_cast<std::size_t>(predicted)];
  }
  Evaluation e;
  int correct = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    int predicted = 0;
    int actual = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      predicted += confusion[j][k];
      actual += confusion[k][j];
    }
    const int hits = confusion[k][k];
    correct += hits;
    ClassStats& c = e.classes[k];
    c.support = actual;
    c.precision = predicted > 0 ? static_cast<double>(hits) / predicted : 0.0;
    c.recall = actual > 0 ? static_cast<double>(hits) / actual : 0.0;
    c.f1 = c.precision + c.recall > 0 ? 2 * c.precision * c.recall / (c.precision + c.recall) : 0;
    e.macro_f1 += c.f1 / 3;
  }
  e.accuracy = end > begin ? static_cast<double>(correct) / static_cast<double>(end - begin) : 0;
  return e;
}

void print_table(const char* title, const Evaluation& e) {
  std::printf("%s\n  %-9s %9s %9s %9s %8s\n", title, "class", "precision", "recall", "F1",
              "support");
  for (auto p : {Polarity::positive, Polarity::negative, Polarity::neutral}) {
    const ClassStats& c = e.classes[static_cast<std::size_t>(p)];
    std::printf("  %-9s %9.3f %9.3f %9.3f %8d\n", std::string(to_string(p)).c_str(), c.precision,
                c.recall, c.f1, c.support);
  }
  std::printf("  accuracy %.3f, macro F1 %.3f\n", e.accuracy, e.macro_f1);
}

} // namespace

TEST(SentimentLabelledTurns, PerClassPrecisionAndRecall) {
  std::vector<Labelled> rows = load_labelled();
  ASSERT_GE(rows.size(), 300u);
  SentimentScorer scorer(SentimentLexicon::built_in());
  for (Labelled& row : rows) {
    row.score = scorer.score_text(row.text);
  }
  const std::size_t split = rows.size() * 2 / 3;

  // Tune the symmetric threshold on the first two thirds only. Scores come in
  // steps, so several thresholds tie: take the middle of the best run.
  std::vector<double> best;
  double best_f1 = -1.0;
  for (int step = 0; step <= 30; ++step) {
    const double threshold = step / 100.0;
    const double f1 = evaluate(rows, 0, split, threshold).macro_f1;
    if (f1 > best_f1 + 1e-12) {
      best_f1 = f1;
      best.clear();
    }
    if (f1 > best_f1 - 1e-12) {
      best.push_back(threshold);
    }
  }
  const double best_threshold = best[best.size() / 2];
  const Evaluation tuning = evaluate(rows, 0, split, best_threshold);
  const Evaluation held_out = evaluate(rows, split, rows.size(), best_threshold);
  const Evaluation whole = evaluate(rows, 0, rows.size(), best_threshold);
  std::printf("threshold tuned on rows 1-%zu: %.2f (shipped default %.2f)\n", split, best_threshold,
              k_polarity_threshold);
  print_table("tuning part (first 2/3):", tuning);
  print_table("held out (last 1/3):", held_out);
  print_table("whole set:", whole);
  if (std::getenv("CALLSIGHT_SENTIMENT_ERRORS") != nullptr) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Polarity predicted = classify_polarity(rows[i].score, best_threshold);
      if (predicted != rows[i].label) {
        std::printf("  %s %s %-8s -> %-8s %+.3f  %s\n", rows[i].id.c_str(),
                    i < split ? "tune" : "held", std::string(to_string(rows[i].label)).c_str(),
                    std::string(to_string(predicted)).c_str(), rows[i].score, rows[i].text.c_str());
      }
    }
  }

  // Floors: 0.70 on the part the threshold was tuned on, 0.60 held out.
  for (const ClassStats& c : tuning.classes) {
    EXPECT_GE(c.precision, 0.70);
    EXPECT_GE(c.recall, 0.70);
  }
  for (const ClassStats& c : held_out.classes) {
    EXPECT_GE(c.precision, 0.60);
    EXPECT_GE(c.recall, 0.60);
  }
  // The shipped default stays close to what the tuning part prefers.
  EXPECT_GE(evaluate(rows, 0, split, k_polarity_threshold).macro_f1, best_f1 - 0.03);
}

// The scorer remembers lexicon lookups by vocabulary id: switching between
// its own tokens and a caller's (other ids for the same words) must not mix
// them up.
TEST(Sentiment, TokensFromAnyVocabularyScoreTheSame) {
  const Call call = call_of({{Role::customer, "This is terrible, I am not happy at all."},
                             {Role::agent, "I am so sorry, we will fix it today, great."}});
  SentimentScorer fresh(SentimentLexicon::built_in());
  const CallSentiment expected = fresh.score_call(call);
  ASSERT_GT(expected.all.count, 0u);
  const double expected_text = score("Great, thanks, that was very helpful");
  SentimentScorer scorer(SentimentLexicon::built_in());
  TurnTokens tokens;
  tokens.add_turn("other words first, so the same words get other ids");
  for (int round = 0; round < 2; ++round) {
    EXPECT_DOUBLE_EQ(scorer.score_text("Great, thanks, that was very helpful"), expected_text);
    tokenize_turns(call.turns, tokens);
    const CallSentiment scored = scorer.score_call(call, tokens);
    EXPECT_EQ(scored.all, expected.all);
    EXPECT_EQ(scored.customer, expected.customer);
    EXPECT_EQ(scored.agent, expected.agent);
  }
}
