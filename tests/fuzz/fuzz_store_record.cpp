// Fuzz target: the store's per-call record decoder (decode_call_record, what
// Store::scan_calls runs on every row) on arbitrary bytes, as a damaged or
// foreign database file gives it. A decoded record must hold what the code
// after it trusts without checking: topics in taxonomy order and in range,
// evidence lists parallel to them, hits of those topics with patterns of their
// own topic, turn indexes below the turn count, enums in range, finite numbers;
// it must encode and decode to itself, and go through the call-log join, a
// Summary and the per-call JSON writer.
//
// Seeds: at start-up the sample calls (data/calls) are analyzed and their
// records written to the first corpus directory given (scripts/fuzz.sh gives
// build-fuzz/corpus/fuzz_store_record), so the seeds always carry the current
// record format.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "callsight/pipeline.hpp"
#include "callsight/report.hpp"
#include "callsight/store.hpp"

namespace {

using namespace callsight;
namespace fs = std::filesystem;

// Names the broken invariant, since inlining hides the line of the abort.
#define CHECK(condition)                                                                           \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      std::fprintf(stderr, "invariant broken: %s\n", #condition);                                  \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)

const CompiledTaxonomy& taxonomy() {
  static const CompiledTaxonomy compiled =
      CompiledTaxonomy::compile(*parse_taxonomy(default_taxonomy_json()).taxonomy);
  return compiled;
}

template <class E> void check_enum(E value, E last) {
  CHECK(static_cast<unsigned>(value) <= static_cast<unsigned>(last));
}

// Every number of the record as written back: floats finite (NaN would also
// break the round trip's equality; infinities would not).
void check_finite(const nlohmann::json& value) {
  if (value.is_number_float()) {
    CHECK(std::isfinite(value.get<double>()));
  }
  if (value.is_structured()) {
    for (const nlohmann::json& item : value) {
      check_finite(item);
    }
  }
}

void check_invariants(const CallResult& call) {
  const auto& topics = taxonomy().topics();
  const auto& patterns = taxonomy().patterns();
  const std::size_t matched = call.tags.topics.size();
  CHECK(call.evidence.size() == matched && call.evidence_hits.size() == matched &&
        call.evidence_time.size() == matched);
  for (std::size_t i = 0; i < matched; ++i) {
    const TopicMatch& match = call.tags.topics[i];
    CHECK(match.topic < topics.size());
    CHECK(i == 0 || call.tags.topics[i - 1].topic < match.topic);
    CHECK(match.first_turn < call.turns);
    CHECK(match.first_begin <= match.first_end);
  }
  for (std::size_t i = 0; i < call.tags.hits.size(); ++i) {
    const TopicHit& hit = call.tags.hits[i];
    CHECK(i == 0 || call.tags.hits[i - 1].topic <= hit.topic);
    CHECK(std::any_of(call.tags.topics.begin(), call.tags.topics.end(),
                      [&](const TopicMatch& match) { return match.topic == hit.topic; }));
    CHECK(hit.pattern < patterns.size() && patterns[hit.pattern].topic == hit.topic);
    CHECK(hit.turn < call.turns);
    CHECK(hit.begin <= hit.end);
  }
  for (const SilenceGap& gap : call.metrics.silences) {
    CHECK(gap.before_turn < call.turns);
    CHECK(gap.after_turn < call.turns);
    check_enum(gap.before_role, Role::customer);
    check_enum(gap.after_role, Role::customer);
  }
  for (const auto& turn : {call.metrics.longest_customer_turn_words_turn,
                           call.metrics.longest_customer_monologue_turn}) {
    CHECK(!turn || *turn < call.turns);
  }
  for (const SpeakerSentiment& speaker : call.sentiment.speakers) {
    check_enum(speaker.role, Role::customer);
  }
  check_enum(call.encoding, SourceEncoding::utf16be);
  check_enum(call.role_source, RoleSource::forced);
  check_enum(call.sentiment.customer_trajectory, Trajectory::flat);
  check_enum(call.sentiment.quarter_basis, QuarterBasis::position);
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Records of the sample calls, written into `corpus` (skipped when they are there).
void write_seeds(const fs::path& corpus) {
  AnalyzeOptions options;
  Matcher matcher(taxonomy());
  std::vector<CallResult> results;
  std::string error;
  for (const auto& entry : fs::directory_iterator(fs::path(CALLSIGHT_SOURCE_DIR) / "data/calls")) {
    if (entry.is_regular_file()) {
      analyze_transcript(entry.path().string(), read_bytes(entry.path()), options, matcher, results,
                         error);
    }
  }
  for (const CallResult& result : results) {
    const fs::path seed = corpus / ("seed-" + fs::path(result.path).stem().string() + "-" +
                                    std::to_string(result.index) + ".cbor");
    if (!fs::exists(seed)) {
      std::ofstream(seed, std::ios::binary) << encode_call_record(result, taxonomy());
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  // The first argument that is a directory is the corpus libFuzzer writes to.
  for (int i = 1; i < *argc; ++i) {
    const std::string_view arg = (*argv)[i];
    std::error_code ignored;
    if (!arg.starts_with("-") && fs::is_directory(arg, ignored)) {
      write_seeds(arg);
      break;
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<CallResult> call = decode_call_record(bytes, "x.txt", taxonomy(), error);
  if (!call) {
    CHECK(!error.empty()); // a refusal always says why
    return 0;
  }
  CHECK(call->path == "x.txt");
  check_invariants(*call);
  const std::string encoded = encode_call_record(*call, taxonomy());
  check_finite(nlohmann::json::from_cbor(encoded));
  const std::optional<CallResult> again = decode_call_record(encoded, "x.txt", taxonomy(), error);
  CHECK(again);
  CHECK(*again == *call);

  // What a store report does with the record next.
  CallResult joined = *call;
  join_call(joined, AnalyzeOptions{}, taxonomy(), nullptr);
  Summary summary(taxonomy().topics().size(), {});
  summary.add(joined);
  (void)call_record_json(joined, taxonomy());
  return 0;
}
