// The fixed input of the micro-benchmarks: a small synthetic corpus made by
// callsight_gen_corpus (seed 42, the same generator and vocabulary as
// bench/run.sh), its 1,000-phrase taxonomy, and what the pipeline stages
// derive from it, built once per process.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "callsight/call.hpp"
#include "callsight/matcher.hpp"

namespace callsight::bench {

/// Calls in the sample: enough text for a 1 MB tokenizer body, small enough
/// to generate in well under a second.
inline constexpr std::uint64_t k_sample_calls = 300;
inline constexpr std::uint64_t k_sample_seed = 42;
inline constexpr std::size_t k_body_bytes = 1'000'000;

struct SampleFile {
  std::string path;  ///< "0000/call-0000001.txt", relative to the corpus
  std::string bytes; ///< the file as generated (plain text, Agent:/Customer:)
};

struct Sample {
  std::vector<SampleFile> files;
  std::uint64_t file_bytes = 0;
  /// Each file parsed, roles resolved: what the matcher sees in the pipeline.
  std::vector<Call> calls;
  /// The same calls with "Speaker 1"/"Speaker 2" instead of Agent/Customer
  /// and no roles, so resolve_roles has to infer them.
  std::vector<Call> generic_calls;
  /// Turn texts of the calls, one per line, cut at a line end to at most
  /// k_body_bytes.
  std::string body;
  /// Distinct words of `body` in order of first appearance (raw bytes).
  std::vector<std::string_view> distinct_words;
  std::string big_taxonomy_json; ///< from --big-taxonomy
  CompiledTaxonomy default_taxonomy;
  CompiledTaxonomy big_taxonomy;
};

/// The sample, generated on first use. On failure it prints why (naming the
/// generator or file) and exits with status 2: a benchmark over a missing
/// input would only measure nothing.
const Sample& sample();

/// Marks the benchmark failed with `message` (shown in its row) and makes the
/// process exit non-zero at the end, so scripts notice.
void fail(benchmark::State& state, const std::string& message);

/// Whether fail() was called.
bool any_failed();

/// Sets the throughput counters every per-call benchmark reports: items and
/// bytes per second over `items_per_pass` / `bytes_per_pass` each iteration,
/// and, unless `calls_per_pass` is 0, "s/call": the time of one iteration
/// divided by `calls_per_pass`.
void set_rates(benchmark::State& state, std::uint64_t items_per_pass, std::uint64_t bytes_per_pass,
               std::uint64_t calls_per_pass);

} // namespace callsight::bench
