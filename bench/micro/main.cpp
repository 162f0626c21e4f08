// callsight_microbench: Google Benchmark's usual command line, plus a non-zero
// exit status when a benchmark found its input or its result wrong.
#include <string>

#include "sample.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 2;
  }
  // Built before any timing, and described in the output's context so a
  // recorded run says what it measured.
  const callsight::bench::Sample& s = callsight::bench::sample();
  benchmark::AddCustomContext(
      "sample",
      std::to_string(s.files.size()) + " plain-text calls from callsight_gen_corpus --seed " +
          std::to_string(callsight::bench::k_sample_seed) + ", " + std::to_string(s.file_bytes) +
          " bytes; tokenizer body " + std::to_string(s.body.size()) + " bytes, " +
          std::to_string(s.distinct_words.size()) + " distinct words");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return callsight::bench::any_failed() ? 1 : 0;
}
