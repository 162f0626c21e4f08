// Unit tests for src/aggregate: adding calls, merging summaries, periods.
#include <gtest/gtest.h>

#include "callsight/aggregate.hpp"

using namespace callsight;

namespace {

CallResult call(std::vector<std::string> groups, std::vector<std::uint32_t> topics,
                bool converted = false, std::int64_t cents = 0) {
  CallResult result;
  result.turns = 2;
  result.bytes = 100;
  result.tags.words = 10;
  for (std::uint32_t t : topics) {
    result.tags.topics.push_back(TopicMatch{t, 2, 0, 0, 0, 0});
  }
  result.group_values = std::move(groups);
  result.has_metadata = true;
  result.converted = converted;
  result.revenue_cents = cents;
  return result;
}

} // namespace

TEST(Summary, CountsTotalsTopicsAndGroups) {
  Summary summary(3, {"campaign"});
  summary.add(call({"tv"}, {0, 2}, true, 18900));
  summary.add(call({"tv"}, {0}));
  summary.add(call({""}, {1}));
  EXPECT_EQ(summary.totals().calls, 3u);
  EXPECT_EQ(summary.totals().conversions, 1u);
  EXPECT_EQ(summary.totals().revenue_cents, 18900);
  EXPECT_EQ(summary.topics()[0].calls, 2u);
  EXPECT_EQ(summary.topics()[0].hits, 4u);
  const auto& groups = summary.groups(0);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups.at("tv").calls, 2u);
  EXPECT_EQ(groups.at("tv").topics[2].calls, 1u);
  EXPECT_EQ(groups.at(k_unknown_group).calls, 1u);
}

TEST(Summary, MergeEqualsSingleSummaryInAnyOrder) {
  std::vector<CallResult> calls = {call({"a"}, {0}, true, 100), call({"b"}, {1}),
                                   call({"a"}, {0, 1}, false, 0), call({"c"}, {}, true, 250)};
  Summary whole(2, {"campaign"});
  for (const auto& c : calls) {
    whole.add(c);
  }
  Summary left(2, {"campaign"});
  Summary right(2, {"campaign"});
  left.add(calls[3]);
  left.add(calls[1]);
  right.add(calls[0]);
  right.add(calls[2]);
  right.add_error(FileError{7, "x.txt", "bad"});
  whole.add_error(FileError{7, "x.txt", "bad"});
  right += left;
  EXPECT_EQ(right.totals().calls, whole.totals().calls);
  EXPECT_EQ(right.totals().revenue_cents, 350);
  EXPECT_EQ(right.totals().files_failed, 1u);
  for (std::size_t t = 0; t < 2; ++t) {
    EXPECT_EQ(right.topics()[t].calls, whole.topics()[t].calls);
  }
  EXPECT_EQ(right.groups(0).at("a").calls, 2u);
  EXPECT_EQ(right.groups(0).at("a").topics[0].hits, whole.groups(0).at("a").topics[0].hits);
}

TEST(Summary, ErrorsSortedByInputOrder) {
  Summary summary(1, {});
  summary.add_error(FileError{5, "b", "x"});
  summary.add_error(FileError{2, "a", "y"});
  const auto errors = summary.sorted_errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "a");
}

TEST(Periods, DayWeekMonth) {
  EXPECT_EQ(period_of("2026-10-05T09:14:00", "day"), "2026-10-05");
  EXPECT_EQ(period_of("2026-10-05T09:14:00", "month"), "2026-10");
  EXPECT_EQ(period_of("2026-10-05", "week"), "2026-W41");
  EXPECT_EQ(period_of("2027-01-01", "week"), "2026-W53"); // Friday: belongs to 2026's last week
  EXPECT_EQ(period_of("2024-12-30", "week"), "2025-W01"); // Monday of 2025's first week
  EXPECT_EQ(period_of("2026-02-30", "day"), "");
  EXPECT_EQ(period_of("yesterday", "day"), "");
  EXPECT_EQ(period_of("2026-10-05", "year"), "");
}

TEST(Summary, KeepsTheEarliestExamplesWhateverTheMergeOrder) {
  auto call_at = [](std::uint64_t index) {
    CallResult c = call({}, {0});
    c.index = index;
    c.path = "c" + std::to_string(index) + ".txt";
    c.evidence = {"snippet " + std::to_string(index)};
    return c;
  };
  Summary late(1, {});
  Summary early(1, {});
  late.add(call_at(9));
  late.add(call_at(4));
  early.add(call_at(7));
  early.add(call_at(2));
  late += early;
  const auto& examples = late.topics()[0].examples;
  ASSERT_EQ(examples.size(), k_topic_examples);
  EXPECT_EQ(examples[0].file, "c2.txt");
  EXPECT_EQ(examples[1].file, "c4.txt");
}
