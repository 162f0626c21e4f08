// Labels CSV of `callsight eval`: columns, topic ids, splits, notes, joins,
// and errors that name the line.
#include <gtest/gtest.h>

#include "callsight/eval.hpp"

namespace callsight {
namespace {

std::vector<Topic> topics() {
  std::vector<Topic> out;
  for (const char* id : {"pricing", "refund", "callback"}) {
    Topic topic;
    topic.id = id;
    out.push_back(topic);
  }
  return out;
}

TEST(EvalLabels, ParsesTopicsSplitAndNote) {
  std::string error;
  const auto labels =
      LabelSet::parse("Call ID,Topics,Split,Note,labeller\n"
                      "a, callback ; pricing;;pricing ,TRAIN,\"pricing=how much\",\n"
                      ",,,,\n"
                      "b,,test,nothing here,ann\n",
                      topics(), error);
  ASSERT_TRUE(labels) << error;
  ASSERT_EQ(labels->rows().size(), 2u);
  EXPECT_TRUE(labels->has_split());
  const LabelRow& a = labels->rows()[0];
  EXPECT_EQ(a.line, 2u);
  EXPECT_EQ(a.key, "a");
  EXPECT_EQ(a.topics, (std::vector<std::uint32_t>{0, 2})); // sorted, duplicates dropped
  EXPECT_EQ(a.split, "train");
  const LabelRow& b = labels->rows()[1];
  EXPECT_EQ(b.line, 4u); // the blank row is skipped but counted
  EXPECT_TRUE(b.topics.empty());
  EXPECT_EQ(b.note, "nothing here");
}

TEST(EvalLabels, JoinsByCallIdOrFile) {
  std::string error;
  const auto by_id = LabelSet::parse("call_id,topics\nx1,refund\n", topics(), error);
  ASSERT_TRUE(by_id) << error;
  EXPECT_EQ(by_id->find("x1", "calls/x1.txt"), 0);
  EXPECT_EQ(by_id->find("x2", "calls/x2.txt"), -1);
  const auto by_file = LabelSet::parse("file,topics\ntrain/x1.vtt,refund\n", topics(), error);
  ASSERT_TRUE(by_file) << error;
  EXPECT_EQ(by_file->rows()[0].key, "train/x1.vtt");
  EXPECT_EQ(by_file->find("x1", "data/train/x1.vtt"), 0); // path suffix
  EXPECT_FALSE(by_file->has_split());
}

TEST(EvalLabels, ErrorsNameTheLine) {
  std::string error;
  EXPECT_FALSE(LabelSet::parse("call_id,topics\na,pricing\nb,refund;prcing\n", topics(), error));
  EXPECT_EQ(error, "line 3: unknown topic 'prcing' (known: pricing, refund, callback)");
  EXPECT_FALSE(LabelSet::parse("call_id,topics,split\na,pricing,dev\n", topics(), error));
  EXPECT_EQ(error, "line 2: split 'dev' is neither train nor test");
  EXPECT_FALSE(LabelSet::parse("call_id,tags\na,pricing\n", topics(), error));
  EXPECT_NE(error.find("line 1: the labels need a call_id or file column and a topics column"),
            std::string::npos);
  EXPECT_FALSE(LabelSet::parse("", topics(), error));
  EXPECT_EQ(error, "line 1: empty file");
  EXPECT_FALSE(LabelSet::parse("call_id,topics\na,pricing\na,refund\n", topics(), error));
  EXPECT_NE(error.find("line 3: duplicate call_id 'a'"), std::string::npos) << error;
  EXPECT_FALSE(LabelSet::parse("call_id,topics\na,pricing,extra\n", topics(), error));
  EXPECT_NE(error.find("line 2:"), std::string::npos) << error;
}

TEST(EvalLabels, NoteForTopic) {
  const std::string note =
      "pricing=\"what do you charge\"; trap: agent offers a coupon; refund = money back";
  EXPECT_EQ(note_for_topic(note, "pricing"), "what do you charge");
  EXPECT_EQ(note_for_topic(note, "refund"), "money back");
  EXPECT_EQ(note_for_topic(note, "callback"), "trap: agent offers a coupon");
  EXPECT_EQ(note_for_topic("pricing=how much", "callback"), "");
  EXPECT_EQ(note_for_topic("  heard a cancel  ", "callback"), "heard a cancel");
}

} // namespace
} // namespace callsight
