// Unit tests for stored call records (src/store/record.cpp): every
// transcript-derived field survives the round trip, for every fixture format,
// and topics are kept by id across taxonomy edits.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "callsight/pipeline.hpp"
#include "callsight/store.hpp"

using namespace callsight;
namespace fs = std::filesystem;

namespace {

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

CompiledTaxonomy built_in() {
  return CompiledTaxonomy::compile(*parse_taxonomy(default_taxonomy_json()).taxonomy);
}

// Every transcript-derived result of the fixtures and the sample calls.
std::vector<CallResult> fixture_results(const CompiledTaxonomy& taxonomy) {
  std::vector<fs::path> files;
  for (const char* dir : {"/tests/fixtures/formats", "/data/calls"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(std::string(CALLSIGHT_SOURCE_DIR) + dir)) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  AnalyzeOptions options;
  Matcher matcher(taxonomy);
  std::vector<CallResult> results;
  // Long pauses and crosstalk, which no fixture has: silences and interruptions.
  std::string error;
  analyze_transcript("gaps.vtt",
                     "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Agent>Thanks for calling, how "
                     "can I help?\n\n00:00:09.000 --> 00:00:15.000\n<v Customer>How much is the "
                     "price? I want to cancel.\n\n00:00:14.000 --> 00:00:20.000\n<v Agent>Let "
                     "me check that for you.\n\n00:00:31.000 --> 00:00:33.000\n<v "
                     "Customer>Okay, thanks, that is great.\n",
                     options, matcher, results, error);
  for (const fs::path& file : files) {
    analyze_transcript(file.string(), read_bytes(file), options, matcher, results, error);
  }
  return results;
}

CompiledTaxonomy topics(const std::vector<std::string>& ids) {
  Taxonomy taxonomy;
  taxonomy.name = "t";
  for (const std::string& id : ids) {
    Topic topic;
    topic.id = id;
    topic.label = id;
    topic.phrases = {id};
    taxonomy.topics.push_back(topic);
  }
  return CompiledTaxonomy::compile(taxonomy);
}

} // namespace

TEST(StoreRecord, RoundTripKeepsEveryField) {
  const CompiledTaxonomy taxonomy = built_in();
  const std::vector<CallResult> results = fixture_results(taxonomy);
  ASSERT_GT(results.size(), 60u);
  // The fixtures exercise what the record must carry, so equality means something.
  std::size_t with_silences = 0, with_speakers = 0, with_topics = 0, with_times = 0,
              with_fields = 0, with_agent = 0, with_utf16 = 0;
  for (const CallResult& original : results) {
    std::string error;
    const std::string bytes = encode_call_record(original, taxonomy);
    const std::optional<CallResult> back =
        decode_call_record(bytes, original.path, taxonomy, error);
    ASSERT_TRUE(back) << original.path << ": " << error;
    // Everything but the intermediate per-turn data, which is not stored.
    CallResult expected = original;
    expected.tags.turn_words.clear();
    expected.sentiment.turns.clear();
    EXPECT_TRUE(*back == expected) << original.path << " call " << original.call_id;
    EXPECT_EQ(back->metrics, expected.metrics) << original.path;
    EXPECT_EQ(back->sentiment, expected.sentiment) << original.path;
    EXPECT_EQ(back->tags, expected.tags) << original.path;
    with_silences += original.metrics.silences.empty() ? 0 : 1;
    with_speakers += original.sentiment.speakers.empty() ? 0 : 1;
    with_topics += original.tags.topics.empty() ? 0 : 1;
    with_times += original.evidence_time.empty() || !original.evidence_time[0] ? 0 : 1;
    with_fields += original.fields.empty() ? 0 : 1;
    with_agent += original.agent_speaker.empty() ? 0 : 1;
    with_utf16 += original.encoding == SourceEncoding::utf8 ? 0 : 1;
  }
  EXPECT_GT(with_silences, 0u);
  EXPECT_GT(with_speakers, 0u);
  EXPECT_GT(with_topics, 10u);
  EXPECT_GT(with_times, 0u);
  EXPECT_GT(with_fields, 0u);
  EXPECT_GT(with_agent, 0u);
}

TEST(StoreRecord, JoinFieldsAreNotStored) {
  const CompiledTaxonomy taxonomy = topics({"price"});
  CallResult call;
  call.call_id = "c1";
  call.path = "/elsewhere/c1.txt";
  call.index = 7;
  call.has_metadata = true;
  call.log_row = 3;
  call.converted = true;
  call.revenue_cents = 4900;
  call.group_values = {"spring"};
  std::string error;
  const std::optional<CallResult> back =
      decode_call_record(encode_call_record(call, taxonomy), "calls/c1.txt", taxonomy, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->call_id, "c1");
  EXPECT_EQ(back->path, "calls/c1.txt");
  EXPECT_EQ(back->index, 0u);
  EXPECT_FALSE(back->has_metadata);
  EXPECT_EQ(back->log_row, -1);
  EXPECT_FALSE(back->converted);
  EXPECT_EQ(back->revenue_cents, 0);
  EXPECT_TRUE(back->group_values.empty());
}

TEST(StoreRecord, TopicsAreKeptByIdAcrossTaxonomyEdits) {
  const CompiledTaxonomy before = topics({"pricing", "cancellation", "refunds"});
  CallResult call;
  call.tags.topics = {TopicMatch{0, 2, 0, 1, 4, 9}, TopicMatch{1, 1, 1, 3, 0, 6},
                      TopicMatch{2, 1, 0, 5, 2, 8}};
  call.evidence = {"how much", "cancel", "refund"};
  call.evidence_time = {1.5, std::nullopt, 30.0};
  const std::string bytes = encode_call_record(call, before);
  // Reordered, one topic removed, one added.
  const CompiledTaxonomy after = topics({"refunds", "complaints", "pricing"});
  std::string error;
  const std::optional<CallResult> back = decode_call_record(bytes, "x.txt", after, error);
  ASSERT_TRUE(back) << error;
  ASSERT_EQ(back->tags.topics.size(), 2u);
  EXPECT_EQ(back->tags.topics[0], (TopicMatch{0, 1, 0, 5, 2, 8})); // refunds, now first
  EXPECT_EQ(back->tags.topics[1], (TopicMatch{2, 2, 0, 1, 4, 9})); // pricing
  EXPECT_EQ(back->evidence, (std::vector<std::string>{"refund", "how much"}));
  EXPECT_EQ(back->evidence_time, (std::vector<std::optional<double>>{30.0, 1.5}));
}

TEST(StoreRecord, DamagedRecordsAreErrorsNotCrashes) {
  const CompiledTaxonomy taxonomy = topics({"pricing"});
  std::string error;
  EXPECT_FALSE(decode_call_record("", "x.txt", taxonomy, error));
  EXPECT_NE(error.find("damaged stored call record"), std::string::npos);
  error.clear();
  EXPECT_FALSE(decode_call_record("\x83\x01\x02", "x.txt", taxonomy, error)); // a CBOR array
  EXPECT_NE(error, "");
  // Truncated valid record.
  CallResult call;
  call.call_id = "c";
  const std::string bytes = encode_call_record(call, taxonomy);
  error.clear();
  EXPECT_FALSE(decode_call_record(std::string_view(bytes).substr(0, bytes.size() / 2), "x.txt",
                                  taxonomy, error));
  EXPECT_NE(error, "");
}
