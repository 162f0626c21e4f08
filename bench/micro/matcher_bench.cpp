// Tagging: Matcher::tag over the sample's parsed calls (roles resolved, as in
// the pipeline), with the built-in taxonomy and with the generator's
// 1,000-phrase taxonomy. The matcher is warmed by one pass first: in a run
// each worker keeps its Matcher, so after a few calls its word cache knows
// nearly every word.
#include "sample.hpp"

namespace callsight::bench {
namespace {

void BM_MatcherTag(benchmark::State& state, bool big) {
  const Sample& s = sample();
  const CompiledTaxonomy& taxonomy = big ? s.big_taxonomy : s.default_taxonomy;
  Matcher matcher(taxonomy);
  std::uint64_t topics = 0;
  for (const Call& call : s.calls) {
    topics += matcher.tag(call).topics.size();
  }
  if (topics == 0) {
    fail(state, "no topic found in " + std::to_string(s.calls.size()) + " calls");
    return;
  }
  for (auto _ : state) {
    for (const Call& call : s.calls) {
      TagResult result = matcher.tag(call);
      benchmark::DoNotOptimize(result.topics);
    }
  }
  set_rates(state, s.calls.size(), s.file_bytes, s.calls.size());
  state.counters["topics/call"] = static_cast<double>(topics) / static_cast<double>(s.calls.size());
  state.counters["phrases"] = static_cast<double>(taxonomy.patterns().size());
}
BENCHMARK_CAPTURE(BM_MatcherTag, default_taxonomy, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MatcherTag, big_1000_phrases, true)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace callsight::bench
