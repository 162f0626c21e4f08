// Unit tests for stored call records (src/store/record.cpp): every
// transcript-derived field survives the round trip, for every fixture format,
// topics are kept by id across taxonomy edits, and damaged records (many
// found by tests/fuzz/fuzz_store_record.cpp) are refused, not trusted.
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
  call.turns = 6; // the first turns below must point into the call
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

namespace {

// A record with a topic, a hit, a silence, a speaker and a longest turn: each
// index and enum the decoder must check is there to damage.
CallResult indexed_call() {
  CallResult call;
  call.call_id = "c";
  call.turns = 3;
  call.role_source = RoleSource::labels;
  call.tags.topics = {TopicMatch{0, 1, 0, 2, 4, 9}};
  call.tags.hits = {TopicHit{0, 2, 4, 9, 0, 12.5}};
  call.evidence = {"the pricing"};
  call.evidence_hits = {"pricing"};
  call.evidence_time = {12.5};
  call.metrics.turns = 3;
  call.metrics.longest_customer_monologue_turn = 1;
  call.metrics.silences = {SilenceGap{3.0, 9.0, 6.0, Role::agent, Role::customer, 0, 1}};
  call.sentiment.speakers = {SpeakerSentiment{"A", Role::agent, {}}};
  return call;
}

// The record of indexed_call() with one edit of its decoded CBOR.
std::string damaged_record(const CompiledTaxonomy& taxonomy,
                           const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json record = nlohmann::json::from_cbor(encode_call_record(indexed_call(), taxonomy));
  edit(record);
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_cbor(record);
  return {bytes.begin(), bytes.end()};
}

// The decoder's error for a record, "" when it decodes.
std::string decode_error(const std::string& bytes, const CompiledTaxonomy& taxonomy) {
  std::string error;
  if (decode_call_record(bytes, "x.txt", taxonomy, error)) {
    return "";
  }
  EXPECT_NE(error, "");
  return error;
}

} // namespace

TEST(StoreRecord, IndexedRecordRoundTrips) {
  // The undamaged base of the tests below decodes to itself.
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  std::string error;
  const std::optional<CallResult> back =
      decode_call_record(encode_call_record(indexed_call(), taxonomy), "x.txt", taxonomy, error);
  ASSERT_TRUE(back) << error;
  CallResult expected = indexed_call();
  expected.path = "x.txt";
  EXPECT_TRUE(*back == expected);
}

// Found by fuzz_store_record: turn indexes past the call's turns decoded, and
// the per-call writers and evidence code index turns with them.
TEST(StoreRecord, TurnIndexesPastTheCallAreDamage) {
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  using nlohmann::json;
  EXPECT_NE(
      decode_error(damaged_record(taxonomy, [](json& r) { r["topics"][0]["first_turn"] = 3; }),
                   taxonomy)
          .find("past the call's 3 turns"),
      std::string::npos);
  EXPECT_NE(
      decode_error(damaged_record(taxonomy, [](json& r) { r["topics"][0]["hit_list"][0][0] = 7; }),
                   taxonomy),
      "");
  EXPECT_NE(decode_error(
                damaged_record(
                    taxonomy, [](json& r) { r["metrics"]["longest_customer_monologue_turn"] = 3; }),
                taxonomy),
            "");
  EXPECT_NE(
      decode_error(
          damaged_record(taxonomy, [](json& r) { r["metrics"]["silences"][0]["after_turn"] = 40; }),
          taxonomy),
      "");
  // A call with no turns has no turn to point at.
  EXPECT_NE(decode_error(damaged_record(taxonomy, [](json& r) { r["turns"] = 0; }), taxonomy), "");
}

// Found by fuzz_store_record: a hit or evidence span ending before it begins
// (evidence code takes end - begin as a length).
TEST(StoreRecord, ReversedSpansAreDamage) {
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  using nlohmann::json;
  EXPECT_NE(decode_error(damaged_record(taxonomy, [](json& r) { r["topics"][0]["first_end"] = 3; }),
                         taxonomy),
            "");
  EXPECT_NE(
      decode_error(damaged_record(taxonomy, [](json& r) { r["topics"][0]["hit_list"][0][2] = 1; }),
                   taxonomy),
      "");
}

// Found by fuzz_store_record: enum values past the last enumerator decoded.
TEST(StoreRecord, EnumsOutOfRangeAreDamage) {
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  using nlohmann::json;
  for (const auto& edit : std::vector<std::function<void(json&)>>{
           [](json& r) { r["encoding"] = 4; }, [](json& r) { r["role_source"] = 200; },
           [](json& r) { r["sentiment"]["speakers"][0]["role"] = 3; },
           [](json& r) { r["metrics"]["silences"][0]["before_role"] = 255; },
           [](json& r) { r["sentiment"]["customer_trajectory"] = 4; },
           [](json& r) { r["sentiment"]["quarter_basis"] = 3; },
           [](json& r) { r["encoding"] = 256; }, // not even a byte
       }) {
    EXPECT_NE(decode_error(damaged_record(taxonomy, edit), taxonomy), "");
  }
  // The last enumerators are fine.
  EXPECT_EQ(decode_error(damaged_record(taxonomy, [](json& r) { r["encoding"] = 3; }), taxonomy),
            "");
}

// Found by fuzz_store_record: a NaN role confidence (and other non-finite
// doubles) decoded; NaN also made the record unequal to itself.
TEST(StoreRecord, NonFiniteNumbersAreDamage) {
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  using nlohmann::json;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NE(decode_error(damaged_record(taxonomy, [&](json& r) { r["role_confidence"] = nan; }),
                         taxonomy),
            "");
  EXPECT_NE(decode_error(
                damaged_record(taxonomy, [&](json& r) { r["topics"][0]["evidence_time"] = -inf; }),
                taxonomy),
            "");
  EXPECT_NE(
      decode_error(
          damaged_record(taxonomy, [&](json& r) { r["metrics"]["silences"][0]["end_s"] = inf; }),
          taxonomy),
      "");
}

// Found by fuzz_store_record: a count of 2^64-1 decoded, and the per-call
// metrics JSON converts counts through double and back (undefined behavior).
TEST(StoreRecord, CountsBeyondDoublePrecisionAreDamage) {
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  using nlohmann::json;
  EXPECT_NE(decode_error(damaged_record(taxonomy,
                                        [](json& r) {
                                          r["metrics"]["words"] =
                                              std::numeric_limits<std::uint64_t>::max();
                                        }),
                         taxonomy),
            "");
  EXPECT_EQ(
      decode_error(
          damaged_record(taxonomy, [](json& r) { r["metrics"]["words"] = std::uint64_t{1} << 53; }),
          taxonomy),
      "");
}

// Integers are read as written: a float, a negative or a too-wide number in an
// integer field was converted (1e30 into a uint32_t is undefined behavior).
TEST(StoreRecord, IntegersOfTheWrongKindAreDamage) {
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  using nlohmann::json;
  for (const auto& edit : std::vector<std::function<void(json&)>>{
           [](json& r) { r["topics"][0]["first_begin"] = 1e30; },
           [](json& r) { r["topics"][0]["hits"] = -1; },
           [](json& r) { r["topics"][0]["negated"] = std::uint64_t{1} << 32; },
           [](json& r) { r["turns"] = 2.5; },
           [](json& r) { r["metrics"]["duration_lower_bound"] = 1; },
       }) {
    EXPECT_NE(decode_error(damaged_record(taxonomy, edit), taxonomy), "");
  }
  // A signed field takes negatives.
  EXPECT_EQ(decode_error(
                damaged_record(taxonomy, [](json& r) { r["sentiment"]["all"]["sum_micros"] = -5; }),
                taxonomy),
            "");
}

// A topic stored twice would be counted twice by every summary; lists and
// objects of the wrong shape were iterated anyway (a map of topics read as
// its values, a number as a one-entry list).
TEST(StoreRecord, WrongShapesAndRepeatedTopicsAreDamage) {
  const CompiledTaxonomy taxonomy = topics({"pricing", "cancellation"});
  using nlohmann::json;
  EXPECT_NE(
      decode_error(damaged_record(taxonomy, [](json& r) { r["topics"].push_back(r["topics"][0]); }),
                   taxonomy)
          .find("stored twice"),
      std::string::npos);
  for (const auto& edit : std::vector<std::function<void(json&)>>{
           [](json& r) {
             r["topics"] = json{{"a", r["topics"][0]}};
           },
           [](json& r) { r["metrics"]["silences"] = 5; },
           [](json& r) { r["metrics"] = json::array(); },
           [](json& r) { r["sentiment"]["customer_quarters"].erase(0); },
           [](json& r) {
             r["topics"][0]["hit_list"] = json{{"x", 1}};
           },
       }) {
    EXPECT_NE(decode_error(damaged_record(taxonomy, edit), taxonomy), "");
  }
}

// The CBOR reader recurses once per nesting level: a damaged record of nested
// arrays overflowed the stack instead of being refused.
TEST(StoreRecord, DeepNestingIsDamageNotAStackOverflow) {
  const CompiledTaxonomy taxonomy = topics({"pricing"});
  const std::string nested = std::string(1'000'000, '\x81') + '\x00';
  EXPECT_NE(decode_error(nested, taxonomy).find("nested deeper"), std::string::npos);
  const std::string in_a_map = "\xa1\x66topics" + nested;
  EXPECT_NE(decode_error(in_a_map, taxonomy).find("nested deeper"), std::string::npos);
}
