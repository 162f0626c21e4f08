// Unit tests for partial summaries (src/aggregate/summary_state.cpp) and shard
// membership (src/pipeline/shard.cpp): exact round trips, merges of parsed
// partials equal to one summary, fingerprints, bad partials. Sharded pipeline
// runs are tested in test_pipeline_analyze.cpp.
#include <sstream>

#include <gtest/gtest.h>

#include "callsight/aggregate.hpp"
#include "callsight/shard.hpp"

using namespace callsight;

namespace {

// A call exercising every counter: metrics, sentiment, topics with evidence,
// metadata with a call-log row, group values.
CallResult rich_call(std::uint64_t index, std::vector<std::uint32_t> topics,
                     std::vector<std::string> groups, long log_row, std::int64_t cents) {
  CallResult call;
  call.index = index;
  call.path = "calls/call-" + std::to_string(index) + ".txt";
  call.turns = 3 + index;
  call.bytes = 100 * (index + 1);
  call.invalid_utf8 = index % 2;
  call.tags.words = 40 + index;
  for (const std::uint32_t t : topics) {
    call.tags.topics.push_back(TopicMatch{t, 1 + t, 0, 0, 0, 0});
    call.evidence.push_back("snippet " + std::to_string(index) + "/" + std::to_string(t) +
                            " \"quoted\" \xc3\xa9");
    call.evidence_time.push_back(index % 3 == 0 ? std::nullopt
                                                : std::optional<double>(1.25 * (index + 1)));
  }
  call.metrics.duration_s = 60.5 + static_cast<double>(index);
  call.metrics.silence_s = 2.0;
  call.metrics.silence_count = 1;
  call.metrics.agent_talk_s = 20.0;
  call.metrics.customer_talk_s = 30.125;
  call.metrics.interruptions_by_agent = index % 2;
  call.metrics.interruptions_by_customer = 1;
  call.metrics.agent_questions = 2;
  call.metrics.customer_questions = index;
  call.sentiment.customer.add(0.25 - 0.1 * static_cast<double>(index));
  call.sentiment.agent.add(0.5);
  call.sentiment.all.add(0.125);
  call.sentiment.customer_quarters[index % 4].add(-0.375);
  call.sentiment.customer_trajectory = static_cast<Trajectory>(index % 4);
  call.has_metadata = log_row >= 0;
  call.log_row = log_row;
  call.converted = index % 3 == 1;
  call.conversion_source = static_cast<ConversionSource>(index % 3);
  call.has_revenue = cents != 0;
  call.revenue_cents = cents;
  call.group_values = std::move(groups);
  return call;
}

std::vector<CallResult> corpus() {
  return {rich_call(0, {0, 2}, {"tv", "2026-W41"}, 0, 18900),
          rich_call(1, {0}, {"radio", "2026-W41"}, 1, -250),
          rich_call(2, {1}, {"", "2026-W42"}, -1, 0),
          rich_call(3, {0, 1, 2}, {"tv", ""}, 2, 5000),
          rich_call(5, {2}, {"search", "2026-W42"}, 200, 120),
          rich_call(6, {0}, {"tv", "2026-W43"}, 70, 0)};
}

PartialFingerprint sample_fingerprint() {
  PartialFingerprint fingerprint;
  fingerprint.callsight = "0.1.0";
  fingerprint.taxonomy = content_fingerprint("{\"topics\": []}");
  fingerprint.stemmer = "english";
  fingerprint.group_by = {"campaign", "week"};
  fingerprint.call_log = content_fingerprint("call_id\n1\n");
  fingerprint.column_map = "call_id=Ref";
  fingerprint.input_format = "auto";
  fingerprint.max_file_bytes = 64ull << 20;
  fingerprint.evidence_chars = 160;
  fingerprint.agent_speakers = {"spk_0"};
  fingerprint.agent_channel = 1;
  fingerprint.gap_threshold_s = 3.0;
  fingerprint.interruption_min_overlap_s = 0.3;
  return fingerprint;
}

// The sample fingerprint with the summary's dimensions, unless one is given.
std::string serialize(const Summary& summary, ShardSpec shard = {},
                      std::optional<PartialFingerprint> fingerprint = std::nullopt) {
  if (!fingerprint) {
    fingerprint = sample_fingerprint();
    fingerprint->group_by = summary.dimensions();
  }
  std::ostringstream out;
  write_partial_summary(out, summary, shard, *fingerprint);
  return out.str();
}

PartialSummary round_trip(const std::string& text) {
  std::string error;
  std::optional<PartialSummary> parsed = parse_partial_summary(text, error);
  EXPECT_TRUE(parsed) << error;
  return parsed ? std::move(*parsed) : PartialSummary{};
}

std::string parse_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_partial_summary(text, error)) << text;
  return error;
}

} // namespace

TEST(SummaryState, RoundTripKeepsEveryCounterExampleErrorAndRow) {
  Summary summary(3, {"campaign", "week"});
  for (const CallResult& call : corpus()) {
    summary.add(call);
  }
  summary.add_error(FileError{7, "calls/z.bin", "binary file"});
  summary.add_error(FileError{4, "calls/empty.txt", "empty file"});
  // The corpus really exercises what the round trip must keep.
  ASSERT_GT(summary.totals().metrics.duration_ms, 0u);
  ASSERT_GT(summary.totals().sentiment.customer.count, 0u);
  ASSERT_LT(summary.totals().sentiment.customer.sum_micros, 0);
  ASSERT_EQ(summary.topics()[0].examples.size(), k_topic_examples);
  ASSERT_EQ(summary.rows_used().count(), 5u);
  ASSERT_GT(summary.totals().conversion_sources.transcript, 0u);
  ASSERT_GT(summary.totals().conversion_sources.none, 0u);
  ASSERT_GT(summary.totals().revenue_calls, 0u);
  ASSERT_GT(summary.topics()[0].conversions, 0u);

  const PartialSummary parsed = round_trip(serialize(summary, ShardSpec{2, 3}));
  EXPECT_EQ(parsed.shard, (ShardSpec{2, 3}));
  EXPECT_EQ(parsed.fingerprint, sample_fingerprint());
  EXPECT_TRUE(parsed.summary == summary);
  EXPECT_EQ(parsed.summary.totals(), summary.totals());
  EXPECT_EQ(parsed.summary.topics(), summary.topics());
  EXPECT_EQ(parsed.summary.groups(0), summary.groups(0));
  EXPECT_EQ(parsed.summary.groups(1), summary.groups(1));
  EXPECT_EQ(parsed.summary.sorted_errors(), summary.sorted_errors());
  EXPECT_EQ(parsed.summary.rows_used().rows(), (std::vector<std::size_t>{0, 1, 2, 70, 200}));
  // Written again, byte for byte the same.
  EXPECT_EQ(serialize(parsed.summary, ShardSpec{2, 3}), serialize(summary, ShardSpec{2, 3}));
}

TEST(SummaryState, EqualityNoticesAChangedCounter) {
  Summary a(3, {"campaign", "week"});
  Summary b(3, {"campaign", "week"});
  for (const CallResult& call : corpus()) {
    a.add(call);
    b.add(call);
  }
  EXPECT_TRUE(a == b);
  CallResult extra = corpus()[0];
  extra.metrics.agent_questions = 1;
  b.add(extra);
  EXPECT_FALSE(a == b);
  const PartialSummary parsed = round_trip(serialize(b));
  EXPECT_FALSE(parsed.summary == a);
}

TEST(SummaryState, OutputDoesNotDependOnErrorOrder) {
  Summary a(1, {});
  Summary b(1, {});
  a.add_error(FileError{1, "a", "x"});
  a.add_error(FileError{9, "b", "y"});
  b.add_error(FileError{9, "b", "y"});
  b.add_error(FileError{1, "a", "x"});
  EXPECT_EQ(serialize(a), serialize(b));
}

TEST(SummaryState, MergedPartialsEqualOneSummary) {
  const std::vector<CallResult> calls = corpus();
  Summary whole(3, {"campaign", "week"});
  std::vector<Summary> shards(3, Summary(3, {"campaign", "week"}));
  for (const CallResult& call : calls) {
    whole.add(call);
    shards[call.index % 3].add(call);
  }
  whole.add_error(FileError{4, "calls/4.txt", "empty file"});
  shards[1].add_error(FileError{4, "calls/4.txt", "empty file"});
  Summary merged(3, {"campaign", "week"});
  for (std::uint32_t i = 0; i < 3; ++i) {
    merged += round_trip(serialize(shards[i], ShardSpec{i + 1, 3})).summary;
  }
  EXPECT_TRUE(merged == whole);
  EXPECT_EQ(serialize(merged), serialize(whole));
}

TEST(SummaryState, CallsOfOneFileKeepTheirExampleOrderThroughMerges) {
  // Two calls of one file share an input index; a merge must not swap them.
  CallResult first = rich_call(4, {0}, {}, -1, 0);
  CallResult second = rich_call(4, {0}, {}, -1, 0);
  first.evidence[0] = "first call";
  second.evidence[0] = "second call";
  Summary worker(1, {});
  worker.add(first);
  worker.add(second);
  Summary total(1, {});
  total += worker;
  ASSERT_EQ(total.topics()[0].examples.size(), 2u);
  EXPECT_EQ(total.topics()[0].examples[0].snippet, "first call");
  Summary merged(1, {});
  merged += round_trip(serialize(total)).summary;
  EXPECT_EQ(merged.topics()[0].examples[0].snippet, "first call");
  EXPECT_EQ(merged.topics()[0].examples[1].snippet, "second call");
}

TEST(SummaryState, FingerprintDifferenceNamesTheField) {
  const PartialFingerprint a = sample_fingerprint();
  EXPECT_FALSE(fingerprint_difference(a, a));
  PartialFingerprint b = a;
  b.taxonomy = content_fingerprint("other");
  auto diff = fingerprint_difference(a, b);
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->field, "taxonomy");
  EXPECT_EQ(diff->left, "\"" + a.taxonomy + "\"");
  b = a;
  b.agent_channel = -1;
  diff = fingerprint_difference(a, b);
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->field, "agent_channel");
  EXPECT_EQ(diff->right, "-1");
  b = a;
  b.redact = false;
  EXPECT_EQ(fingerprint_difference(a, b)->field, "redact");
  // A difference survives the file: the parsed fingerprints still differ.
  Summary summary(1, {"campaign", "week"});
  const PartialSummary parsed = round_trip(serialize(summary, {}, b));
  EXPECT_EQ(fingerprint_difference(a, parsed.fingerprint)->field, "redact");
}

TEST(SummaryState, ContentHashTellsContentAndSizeApart) {
  EXPECT_EQ(content_fingerprint("abc"), content_fingerprint(std::string("abc")));
  EXPECT_NE(content_fingerprint("abc"), content_fingerprint("abd"));
  EXPECT_NE(content_fingerprint("abc"), content_fingerprint("abc "));
  EXPECT_TRUE(content_fingerprint("abc").starts_with("fnv1a64:"));
  EXPECT_TRUE(content_fingerprint("abc").ends_with(":3"));
}

TEST(SummaryState, BadPartialsAreRefusedWithTheField) {
  Summary summary(2, {"campaign"});
  summary.add(rich_call(0, {1}, {"tv"}, 0, 100));
  const std::string good = serialize(summary);
  ASSERT_TRUE(round_trip(good).summary == summary);

  EXPECT_NE(parse_error("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_error("{\"format\": \"callsight-summary\"}").find("not a callsight partial"),
            std::string::npos);
  auto edited = [&](const std::string& from, const std::string& to) {
    const std::size_t at = good.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    std::string text = good;
    return text.replace(at, from.size(), to);
  };
  // Version 1 partials lack the conversion counters: refused by version.
  EXPECT_NE(parse_error(edited("\"version\":2", "\"version\":1")).find("version 1"),
            std::string::npos);
  EXPECT_EQ(parse_error(edited("\"conversion_sources\":{\"call_log\":0",
                               "\"conversion_sources\":{\"call_log\":-1")),
            "summary.totals.conversion_sources.call_log: expected a non-negative integer");
  EXPECT_EQ(parse_error(edited("\"revenue_calls\":1,", "")),
            "summary.totals.revenue_calls: missing");
  EXPECT_NE(parse_error(edited("\"shard\":\"1/1\"", "\"shard\":\"0/3\"")).find("shard"),
            std::string::npos);
  EXPECT_EQ(parse_error(edited("\"topics\":[{\"calls\":0", "\"topics\":[{\"calls\":-1")),
            "summary.topics[0].calls: expected a non-negative integer");
  EXPECT_EQ(parse_error(edited("\"topics\":[{\"calls\":0", "\"topics\":[{\"calz\":0")),
            "summary.topics[0].calls: missing");
  EXPECT_EQ(parse_error(edited("\"topic\":1", "\"topic\":7")),
            "summary.groups[0][0].topics[0].topic: topic 7 out of range (2 topics)");
  EXPECT_EQ(parse_error(edited("\"topic_count\":2", "\"topic_count\":3")),
            "summary.topics: expected an array of 3");
  EXPECT_EQ(parse_error(edited("\"stemmer\":\"english\"", "\"stemmer\":5")),
            "fingerprint.stemmer: unexpected value 5");
  EXPECT_EQ(parse_error(edited("\"rows_used\":[[0,0]]", "\"rows_used\":[[3,1]]")),
            "summary.rows_used[0]: expected [first, last] row numbers, first <= last < 2^28");
  EXPECT_NE(parse_error(edited("\"gap_threshold_s\":3.0", "\"gap_threshold_s\":1e999"))
                .find("not valid JSON"),
            std::string::npos);
  EXPECT_EQ(parse_error(edited("\"dimensions\":[\"campaign\"]", "\"dimensions\":[\"agent\"]")),
            "summary.dimensions: differ from fingerprint.group_by");
}

TEST(Shard, ParsesSpecs) {
  std::string error;
  EXPECT_EQ(parse_shard_spec("2/4", error), (ShardSpec{2, 4}));
  EXPECT_EQ(parse_shard_spec("1/1", error), (ShardSpec{1, 1}));
  for (const char* bad :
       {"", "2", "0/4", "5/4", "1/0", "a/4", "2/4x", "-1/4", " 2/4", "2/", "/4", "1/1000001"}) {
    error.clear();
    EXPECT_FALSE(parse_shard_spec(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  EXPECT_EQ((ShardSpec{3, 8}).to_string(), "3/8");
}

TEST(Shard, KeyIsThePathRelativeToItsInput) {
  EXPECT_EQ(shard_key("calls", "calls/sub/a.txt"), "sub/a.txt");
  EXPECT_EQ(shard_key("calls/", "calls/sub/a.txt"), "sub/a.txt");
  EXPECT_EQ(shard_key("/mnt/corpus/calls", "/mnt/corpus/calls/sub/a.txt"), "sub/a.txt");
  EXPECT_EQ(shard_key(".", "./a.txt"), "a.txt");
  // An input that is a file is keyed by its name, wherever it is mounted.
  EXPECT_EQ(shard_key("/data/calls/a.txt", "/data/calls/a.txt"), "a.txt");
  EXPECT_EQ(shard_key("a.txt", "a.txt"), "a.txt");
}

TEST(Shard, HashIsStable) {
  // Part of the partial format: hosts with different builds must agree.
  // Values from an independent FNV-1a + fmix64 implementation (Python).
  EXPECT_EQ(shard_hash(""), 0xefd01f60ba992926ULL);
  EXPECT_EQ(shard_hash("call-0001.txt"), 0xf9b1967468dcace5ULL);
}

TEST(Shard, EveryFileIsInExactlyOneShardAndShardsAreBalanced) {
  constexpr std::uint32_t k_count = 4;
  constexpr int k_files = 8000;
  std::array<int, k_count> sizes{};
  for (int i = 0; i < k_files; ++i) {
    const std::string path = "calls/2026-10/call-" + std::to_string(i) + ".txt";
    int owners = 0;
    for (std::uint32_t s = 1; s <= k_count; ++s) {
      if ((ShardSpec{s, k_count}).selects("calls", path)) {
        ++owners;
        ++sizes[s - 1];
      }
    }
    ASSERT_EQ(owners, 1) << path;
  }
  for (const int size : sizes) {
    EXPECT_NEAR(size, k_files / k_count, k_files / k_count / 10);
  }
  EXPECT_TRUE(ShardSpec{}.selects("x", "x/anything"));
}

TEST(RowUse, RowsAndEqualityIgnoreTrailingEmptyWords) {
  RowUse a;
  RowUse b;
  for (const std::size_t row : {0, 63, 64, 130}) {
    a.mark(row);
    b.mark(row);
  }
  EXPECT_EQ(a.rows(), (std::vector<std::size_t>{0, 63, 64, 130}));
  RowUse wide;
  wide.mark(1000);
  RowUse empty;
  b |= empty;
  EXPECT_TRUE(a == b);
  RowUse grown = a;
  grown |= RowUse{}; // no growth
  EXPECT_TRUE(grown == a);
  EXPECT_FALSE(a == wide);
  a |= wide;
  EXPECT_FALSE(a == b);
}
