// Metrics of `callsight eval`: hand-computed precision, recall and F1, micro
// versus macro averages, undefined ratios, and the Evaluator's bookkeeping.
#include <gtest/gtest.h>

#include "callsight/eval.hpp"

namespace callsight {
namespace {

TEST(EvalScores, HandComputedRatios) {
  const ScoreCounts counts{6, 2, 4}; // P = 6/8, R = 6/10, F1 = 12/18
  EXPECT_EQ(counts.support(), 10u);
  EXPECT_DOUBLE_EQ(*counts.precision(), 0.75);
  EXPECT_DOUBLE_EQ(*counts.recall(), 0.6);
  EXPECT_DOUBLE_EQ(*counts.f1(), 2.0 / 3.0);
  // F1 is the harmonic mean of P and R.
  EXPECT_NEAR(*counts.f1(), 2 * 0.75 * 0.6 / (0.75 + 0.6), 1e-12);
}

TEST(EvalScores, ZeroDenominatorsAreUndefinedNotZero) {
  const ScoreCounts nothing{0, 0, 0};
  EXPECT_FALSE(nothing.precision());
  EXPECT_FALSE(nothing.recall());
  EXPECT_FALSE(nothing.f1());
  const ScoreCounts never_predicted{0, 0, 3}; // missed every labelled call
  EXPECT_FALSE(never_predicted.precision());
  EXPECT_DOUBLE_EQ(*never_predicted.recall(), 0.0);
  EXPECT_DOUBLE_EQ(*never_predicted.f1(), 0.0);
  const ScoreCounts never_labelled{0, 2, 0}; // only false alarms
  EXPECT_DOUBLE_EQ(*never_labelled.precision(), 0.0);
  EXPECT_FALSE(never_labelled.recall());
  EXPECT_DOUBLE_EQ(*never_labelled.f1(), 0.0);
}

TEST(EvalScores, MicroWeighsCountsMacroWeighsTopics) {
  // A frequent, good topic and a rare, bad one.
  const std::vector<ScoreCounts> topics{{90, 10, 0}, {0, 0, 10}, {0, 0, 0}};
  const ScoreAverages micro = micro_average(topics);
  EXPECT_DOUBLE_EQ(*micro.precision, 0.9);    // 90 / 100
  EXPECT_DOUBLE_EQ(*micro.recall, 0.9);       // 90 / 100
  EXPECT_DOUBLE_EQ(*micro.f1, 180.0 / 200.0); // 2*90 / (180 + 10 + 10)
  const ScoreAverages macro = macro_average(topics);
  EXPECT_DOUBLE_EQ(*macro.precision, 0.9);          // only the first topic predicted
  EXPECT_DOUBLE_EQ(*macro.recall, (1.0 + 0.0) / 2); // the third topic has no support
  EXPECT_DOUBLE_EQ(*macro.f1, (180.0 / 190.0 + 0.0) / 2);
}

TEST(EvalScores, AveragesOfNothingAreUndefined) {
  EXPECT_FALSE(micro_average({}).f1);
  EXPECT_FALSE(macro_average({{0, 0, 0}}).precision);
}

Taxonomy three_topics() {
  Taxonomy taxonomy;
  taxonomy.name = "t";
  for (const char* id : {"pricing", "refund", "callback"}) {
    Topic topic;
    topic.id = id;
    topic.label = id;
    topic.phrases = {id};
    taxonomy.topics.push_back(topic);
  }
  return taxonomy;
}

CallResult tagged(std::string call_id, std::vector<std::uint32_t> topics) {
  CallResult call;
  call.call_id = call_id;
  call.path = "calls/" + call_id + ".txt";
  for (const std::uint32_t topic : topics) {
    call.tags.topics.push_back(TopicMatch{topic, 1, 0, 0, 0, 0});
    call.evidence.push_back("evidence " + std::to_string(topic));
    call.evidence_hits.push_back("hit " + std::to_string(topic));
    call.evidence_time.push_back(std::nullopt);
  }
  return call;
}

TEST(EvalScores, EvaluatorCountsAndListsErrors) {
  const Taxonomy taxonomy = three_topics();
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(taxonomy);
  std::string error;
  const auto labels = LabelSet::parse("call_id,topics,split,note\n"
                                      "a,pricing;refund,train,refund=money back\n"
                                      "b,,train,\n"
                                      "c,callback,test,\n"
                                      "d,pricing,train,\n",
                                      taxonomy.topics, error);
  ASSERT_TRUE(labels) << error;
  Evaluator evaluator(compiled, *labels, EvalSplit::train);
  evaluator.add(tagged("a", {0, 2})); // pricing TP, refund FN, callback FP
  evaluator.add(tagged("b", {}));     // nothing either way
  evaluator.add(tagged("c", {2}));    // test split: not scored
  evaluator.add(tagged("x", {0}));    // no label row
  evaluator.add_error(FileError{7, "calls/broken.txt", "empty file"});
  const EvalResult result = evaluator.finish();
  EXPECT_EQ(result.calls_scored, 2u);
  EXPECT_EQ(result.calls_other_split, 1u);
  ASSERT_EQ(result.calls_without_label.size(), 1u);
  EXPECT_EQ(result.calls_without_label[0], "calls/x.txt");
  ASSERT_EQ(result.labels_without_call.size(), 1u); // d, line 5
  EXPECT_EQ(result.labels_without_call[0].line, 5u);
  EXPECT_EQ(result.labels_without_call[0].key, "d");
  EXPECT_EQ(result.topics[0].tp, 1u);
  EXPECT_EQ(result.topics[1].fn, 1u);
  EXPECT_EQ(result.topics[2].fp, 1u);
  ASSERT_EQ(result.mistakes.size(), 2u);
  EXPECT_EQ(result.mistakes[0].topic, 1u); // topic order within a call
  EXPECT_FALSE(result.mistakes[0].false_positive);
  EXPECT_EQ(result.mistakes[0].note, "money back");
  EXPECT_TRUE(result.mistakes[1].false_positive);
  EXPECT_EQ(result.mistakes[1].hit, "hit 2");
  EXPECT_EQ(result.mistakes[1].evidence, "evidence 2");
  ASSERT_EQ(result.failed_files.size(), 1u);
}

} // namespace
} // namespace callsight
