// Unit tests for mining a store's windows (mine_stored_calls, mine_files):
// only the stored calls of the window are mined, even within a file holding
// several calls; a file that is gone, changed since it was stored, or parses
// into fewer calls is an error naming why.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "callsight/discover.hpp"
#include "callsight/ingest.hpp"
#include "callsight/store.hpp"

#include "store_test_fixture.hpp"

using namespace callsight;
namespace fs = std::filesystem;

namespace {

class DiscoverStoreTest : public callsight::testing_support::StoreTest {
protected:
  DiscoverStoreTest() { m_mining.stopwords = parse_word_list(default_stopwords_en()); }

  // Ingests the folder, then lists the stored calls of ISO weeks 46 and 45.
  StoredWindowCalls store_weeks() {
    Store store(db());
    ingest(store);
    std::string error;
    const std::optional<ReportWindow> window = make_report_window(
        "week", std::nullopt, parse_iso_date("2026-11-15"), *parse_iso_date("2030-01-01"), error);
    EXPECT_TRUE(window) << error;
    return store.window_calls(*window);
  }

  MiningOptions m_mining;
};

} // namespace

TEST_F(DiscoverStoreTest, MinesOnlyTheWindowsCallsOfAFileWithSeveral) {
  // One turn table, two calls: m1 in W45, m2 in W46.
  write_file("multi.csv", "call_id,date,speaker,text\n"
                          "m1,2026-11-03,Customer,I want the loyalty bonus please\n"
                          "m1,2026-11-03,Agent,Sure thing\n"
                          "m2,2026-11-10,Customer,The smart meter fee again\n"
                          "m2,2026-11-10,Agent,Sure thing\n");
  const StoredWindowCalls stored = store_weeks();
  ASSERT_EQ(stored.current.size(), 1u);
  EXPECT_EQ(stored.current[0].ordinals, std::vector<std::uint32_t>{1});
  ASSERT_EQ(stored.previous.size(), 1u);
  EXPECT_EQ(stored.previous[0].ordinals, std::vector<std::uint32_t>{0});

  const MinedCorpus current = mine_stored_calls(stored.current, m_options, m_mining);
  EXPECT_TRUE(current.errors.empty());
  EXPECT_EQ(current.counts.calls, 1u);
  ASSERT_EQ(current.counts.phrases.count("smart meter fee"), 1u);
  EXPECT_EQ(current.counts.phrases.at("smart meter fee").first.call, 1u) << "its place in the file";
  EXPECT_EQ(current.counts.phrases.count("loyalti bonus"), 0u) << "the W45 call was mined";
  const MinedCorpus previous = mine_stored_calls(stored.previous, m_options, m_mining);
  EXPECT_EQ(previous.counts.calls, 1u);
  EXPECT_EQ(previous.counts.phrases.count("loyalti bonus"), 1u);
  EXPECT_EQ(previous.counts.phrases.count("smart meter fee"), 0u);
}

TEST_F(DiscoverStoreTest, GoneChangedOrReparsedFilesAreErrors) {
  for (const char* name : {"a.txt", "b.txt", "c.txt"}) {
    write(name, "2026-11-10", "The smart meter fee again.");
  }
  const StoredWindowCalls stored = store_weeks();
  ASSERT_EQ(stored.current.size(), 3u);
  fs::remove(path("a.txt"));
  write("b.txt", "2026-11-11", "Something else entirely.");
  const MinedCorpus mined = mine_stored_calls(stored.current, m_options, m_mining);
  EXPECT_EQ(mined.counts.calls, 1u);
  ASSERT_EQ(mined.errors.size(), 2u);
  EXPECT_EQ(mined.errors[0].path, path("a.txt").string());
  EXPECT_EQ(mined.errors[0].reason,
            "its stored calls cannot be re-read: no such file or directory");
  EXPECT_EQ(mined.errors[1].path, path("b.txt").string());
  EXPECT_NE(mined.errors[1].reason.find("changed since it was stored"), std::string::npos)
      << mined.errors[1].reason;

  // Same bytes, but a call the file no longer parses into.
  std::ifstream in(path("c.txt"), std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  const MinedCorpus reparsed =
      mine_files({{path("c.txt").string(), {}, std::vector<std::uint32_t>{3}, content_hash(bytes)}},
                 m_options, m_mining);
  ASSERT_EQ(reparsed.errors.size(), 1u);
  EXPECT_NE(reparsed.errors[0].reason.find("the store has call 4 of this file but it now parses "
                                           "into 1 calls"),
            std::string::npos)
      << reparsed.errors[0].reason;
  EXPECT_EQ(reparsed.counts.calls, 0u);
}
