// Unit tests for the progress counters the pipeline maintains and the text a
// terminal progress bar shows from them (src/pipeline/progress.cpp).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "callsight/discover.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/progress.hpp"
#include "callsight/taxonomy.hpp"

using namespace callsight;
namespace fs = std::filesystem;

namespace {

ProgressSnapshot make(std::uint64_t done, std::uint64_t found, bool known, std::uint64_t bytes,
                      double seconds) {
  ProgressSnapshot p;
  p.files_done = done;
  p.files_found = found;
  p.total_known = known;
  p.bytes_done = bytes;
  p.seconds = seconds;
  return p;
}

TEST(Progress, KnownTotalShowsRatesEtaAndBar) {
  // 500 of 1,000 files in 10 s: 50 files/s, 500 more files take 10 s.
  const std::string text = format_progress(make(500, 1000, true, 25'000'000, 10), 120);
  EXPECT_NE(text.find("500/1,000 files"), std::string::npos) << text;
  EXPECT_NE(text.find("50.0 files/s"), std::string::npos) << text;
  EXPECT_NE(text.find("2.5 MB/s"), std::string::npos) << text;
  EXPECT_NE(text.find("ETA 0:10"), std::string::npos) << text;
  ASSERT_EQ(text.front(), '[');
  const std::string bar = text.substr(1, text.find(']') - 1);
  EXPECT_EQ(bar.size(), 30u);
  EXPECT_EQ(std::count(bar.begin(), bar.end(), '#'), 15);
}

TEST(Progress, UnknownTotalWhileDiscoveringHasNoEtaNorBar) {
  const std::string text = format_progress(make(40, 90, false, 1'000'000, 2), 120);
  EXPECT_EQ(text.rfind("40/90+ files", 0), 0u) << text;
  EXPECT_EQ(text.find("ETA"), std::string::npos) << text;
  EXPECT_NE(text.find("20.0 files/s"), std::string::npos) << text;
}

TEST(Progress, LongEtaUsesHoursAndNarrowTerminalsTruncate) {
  // 1 file/s with 7,261 files left: 2:01:01.
  const std::string text = format_progress(make(10, 7271, true, 0, 10), 200);
  EXPECT_NE(text.find("ETA 2:01:01"), std::string::npos) << text;
  EXPECT_NE(text.find("7,271"), std::string::npos) << text;
  for (std::size_t width : {5u, 20u, 47u}) {
    const std::string narrow = format_progress(make(10, 7271, true, 0, 10), width);
    EXPECT_LE(narrow.size(), width);
    EXPECT_EQ(narrow.find('['), std::string::npos) << "no room for a bar: " << narrow;
  }
}

TEST(Progress, NoRatesBeforeTimePasses) {
  const std::string text = format_progress(make(0, 0, false, 0, 0), 80);
  EXPECT_EQ(text, "0/0+ files");
}

TEST(Progress, SnapshotNeverShowsMoreDoneThanFound) {
  ProgressCounters counters;
  counters.files_found = 3;
  counters.files_done = 5; // a worker finished before discovery published the count
  const ProgressSnapshot p = snapshot(counters, 1.0);
  EXPECT_EQ(p.files_found, 5u);
  EXPECT_FALSE(p.total_known);
}

TEST(Progress, AnalyzeCountsEveryFileAndByte) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("callsight-progress-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  const std::string call = "Agent: Thanks for calling.\nCustomer: How much is the plan?\n";
  std::ofstream(dir / "a.txt") << call;
  std::ofstream(dir / "sub" / "b.txt") << call << call;
  std::ofstream(dir / "c.txt") << ""; // empty: fails, still counted as done

  const TaxonomyLoadResult builtin = parse_taxonomy(default_taxonomy_json());
  ASSERT_TRUE(builtin.taxonomy.has_value());
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(*builtin.taxonomy);
  for (unsigned threads : {1u, 3u}) {
    ProgressCounters counters;
    AnalyzeOptions options;
    options.inputs = {dir.string()};
    options.threads = threads;
    options.progress = &counters;
    const Summary summary = analyze(options, compiled, nullptr, AnalyzeSinks{});
    EXPECT_TRUE(counters.discovery_done.load());
    EXPECT_EQ(counters.files_found.load(), 3u);
    EXPECT_EQ(counters.files_done.load(), 3u);
    EXPECT_EQ(counters.bytes_done.load(), 3 * call.size());
    EXPECT_EQ(summary.totals().calls, 2u);
  }
  fs::remove_all(dir);
}

TEST(Progress, DiscoverMiningCountsEveryFileAndByte) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("callsight-progress-mine-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string call = "Agent: Hello.\nCustomer: The rate hike letter worried me.\n";
  for (const char* name : {"a.txt", "b.txt", "c.txt", "d.txt"}) {
    std::ofstream(dir / name) << call;
  }
  ProgressCounters counters;
  AnalyzeOptions options;
  options.inputs = {dir.string()};
  options.threads = 2;
  options.progress = &counters;
  const MinedCorpus corpus = mine_corpus(options.inputs, options, MiningOptions{});
  EXPECT_EQ(corpus.counts.calls, 4u);
  EXPECT_TRUE(counters.discovery_done.load());
  EXPECT_EQ(counters.files_found.load(), 4u);
  EXPECT_EQ(counters.files_done.load(), 4u);
  EXPECT_EQ(counters.bytes_done.load(), 4 * call.size());
  fs::remove_all(dir);
}

} // namespace
