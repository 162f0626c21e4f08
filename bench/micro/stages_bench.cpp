// The other per-call stages of analyze_bytes, each alone on the sample, and
// analyze_bytes end to end, so the time of one call can be split by stage.
// Every benchmark does one pass over the sample's calls per iteration and
// reports "s/call"; bytes are the calls' file bytes (for redact: the
// snippets' bytes).
#include <vector>

#include "callsight/call_metrics.hpp"
#include "callsight/formats.hpp"
#include "callsight/ingest.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/privacy.hpp"
#include "callsight/roles.hpp"
#include "callsight/sentiment.hpp"

#include "sample.hpp"

namespace callsight::bench {
namespace {

void set_call_rates(benchmark::State& state, const Sample& s) {
  set_rates(state, s.calls.size(), s.file_bytes, s.calls.size());
}

// Times `stage(item)` over every item (one per call of the sample) per iteration.
template <class Items, class Stage>
void time_per_call(benchmark::State& state, Items& items, Stage stage) {
  for (auto _ : state) {
    for (auto& item : items) {
      auto result = stage(item);
      benchmark::DoNotOptimize(result);
    }
  }
  set_call_rates(state, sample());
}

void BM_Decode(benchmark::State& state) {
  time_per_call(state, sample().files,
                [](const SampleFile& file) { return decode_to_utf8(file.bytes); });
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

// Plain-text parse with format detection, as analyze_bytes calls it.
void BM_ParseTranscript(benchmark::State& state) {
  time_per_call(state, sample().files, [](const SampleFile& file) {
    return parse_transcript(file.path, file.bytes, "auto");
  });
}
BENCHMARK(BM_ParseTranscript)->Unit(benchmark::kMillisecond);

// Agent:/Customer: labels: the roles are already known and are kept (the
// sample's path through analyze_bytes).
void BM_ResolveRoles_Labels(benchmark::State& state) {
  std::vector<Call> calls = sample().calls;
  time_per_call(state, calls, [](Call& call) { return resolve_roles(call); });
}
BENCHMARK(BM_ResolveRoles_Labels)->Unit(benchmark::kMillisecond);

// "Speaker 1"/"Speaker 2": roles inferred from what each speaker says. Roles
// found in one pass would be kept by the next, so each call is reset first
// (a few stores per turn).
void BM_ResolveRoles_Inferred(benchmark::State& state) {
  const Sample& s = sample();
  std::vector<Call> calls = s.generic_calls;
  std::uint64_t inferred = 0;
  for (auto _ : state) {
    inferred = 0;
    for (Call& call : calls) {
      call.role_source = RoleSource::none;
      call.role_confidence = 0.0;
      for (Turn& turn : call.turns) {
        turn.role = Role::unknown;
      }
      const RoleDecision decision = resolve_roles(call);
      inferred += decision.source == RoleSource::inferred ? 1 : 0;
    }
    benchmark::DoNotOptimize(inferred);
  }
  set_call_rates(state, s);
  state.counters["inferred_share"] =
      static_cast<double>(inferred) / static_cast<double>(calls.size());
}
BENCHMARK(BM_ResolveRoles_Inferred)->Unit(benchmark::kMillisecond);

// With the per-turn word counts the matcher already produced, as in the
// pipeline (the sample has no times, so the time metrics stay absent).
void BM_CallMetrics(benchmark::State& state) {
  const Sample& s = sample();
  Matcher matcher(s.default_taxonomy);
  std::vector<std::vector<std::uint32_t>> turn_words;
  for (const Call& call : s.calls) {
    turn_words.push_back(matcher.tag(call).turn_words);
  }
  const MetricsOptions options;
  for (auto _ : state) {
    for (std::size_t i = 0; i < s.calls.size(); ++i) {
      CallMetrics metrics = compute_call_metrics(s.calls[i], options, turn_words[i]);
      benchmark::DoNotOptimize(metrics.words);
    }
  }
  set_call_rates(state, s);
}
BENCHMARK(BM_CallMetrics)->Unit(benchmark::kMillisecond);

// One scorer kept across calls (warmed by one pass), as each worker keeps one.
void BM_SentimentScoreCall(benchmark::State& state) {
  const Sample& s = sample();
  SentimentScorer scorer(SentimentLexicon::built_in());
  std::uint64_t scored = 0;
  for (const Call& call : s.calls) {
    scored += scorer.score_call(call).all.count;
  }
  if (scored == 0) {
    fail(state, "no turn of the sample has a sentiment term");
    return;
  }
  time_per_call(state, s.calls, [&](const Call& call) { return scorer.score_call(call); });
}
BENCHMARK(BM_SentimentScoreCall)->Unit(benchmark::kMillisecond);

AnalyzeOptions analyze_options(bool redact) {
  AnalyzeOptions options;
  options.redact = redact;
  return options;
}

// The evidence snippets analyze_bytes redacts: the same calls analyzed with
// redaction off give them unredacted, one per topic found.
void BM_RedactSnippets(benchmark::State& state) {
  const Sample& s = sample();
  Matcher matcher(s.default_taxonomy);
  const AnalyzeOptions options = analyze_options(false);
  std::vector<std::string> snippets;
  std::uint64_t bytes = 0;
  std::vector<CallResult> results;
  std::string error;
  for (const SampleFile& file : s.files) {
    results.clear();
    if (!analyze_bytes(file.path, file.bytes, options, matcher, nullptr, results, error)) {
      fail(state, file.path + ": " + error);
      return;
    }
    for (std::string& snippet : results.front().evidence) {
      bytes += snippet.size();
      snippets.push_back(std::move(snippet));
    }
  }
  RedactionStats stats;
  for (auto _ : state) {
    for (const std::string& snippet : snippets) {
      std::string redacted = redact(snippet, &stats);
      benchmark::DoNotOptimize(redacted);
    }
  }
  set_rates(state, snippets.size(), bytes, s.calls.size());
  state.counters["snippets/call"] =
      static_cast<double>(snippets.size()) / static_cast<double>(s.calls.size());
}
BENCHMARK(BM_RedactSnippets)->Unit(benchmark::kMillisecond);

// Decode, parse, roles, tag, metrics, sentiment, snippets and redaction of
// one file's bytes; the Matcher warmed by one pass, as in a long run.
void BM_AnalyzeBytes(benchmark::State& state, bool big) {
  const Sample& s = sample();
  Matcher matcher(big ? s.big_taxonomy : s.default_taxonomy);
  const AnalyzeOptions options = analyze_options(true);
  std::vector<CallResult> results;
  std::string error;
  for (const SampleFile& file : s.files) {
    if (!analyze_bytes(file.path, file.bytes, options, matcher, nullptr, results, error)) {
      fail(state, file.path + ": " + error);
      return;
    }
  }
  for (auto _ : state) {
    for (const SampleFile& file : s.files) {
      results.clear();
      analyze_bytes(file.path, file.bytes, options, matcher, nullptr, results, error);
      benchmark::DoNotOptimize(results);
    }
  }
  set_call_rates(state, s);
}
BENCHMARK_CAPTURE(BM_AnalyzeBytes, default_taxonomy, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_AnalyzeBytes, big_1000_phrases, true)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace callsight::bench
