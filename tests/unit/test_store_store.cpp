// Unit tests for the SQLite store (src/store/store.cpp, store_report.cpp):
// change detection by size/mtime then content hash, re-tagging on taxonomy or
// option changes, history of missing files, stable read order, windows with
// the call log's dates, schema checks and a busy store.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <unistd.h>

#include "callsight/store.hpp"

#include "store_test_fixture.hpp"

using namespace callsight;
using callsight::testing_support::StoreTest;
using callsight::testing_support::two_topics;
namespace fs = std::filesystem;

TEST_F(StoreTest, AnalyzesOnlyNewAndChangedFiles) {
  write("a.txt", "2026-11-02", "What is the price?");
  write("b.txt", "2026-11-03", "I want to cancel.");
  Store store(db());
  IngestStats stats = ingest(store);
  EXPECT_EQ(stats.files_seen, 2u);
  EXPECT_EQ(stats.files_analyzed, 2u);
  EXPECT_EQ(stats.calls_written, 2u);

  write("c.txt", "2026-11-04", "What is the price?");
  stats = ingest(store);
  EXPECT_EQ(stats.files_analyzed, 1u);
  EXPECT_EQ(stats.files_skipped, 2u);
  EXPECT_EQ(
      store.counts(taxonomy_fingerprint(m_taxonomy), options_fingerprint(m_options, "")).calls, 3u);

  // A new mtime with the same bytes: read and hashed, not analyzed.
  fs::last_write_time(m_dir / "calls" / "a.txt",
                      fs::last_write_time(m_dir / "calls" / "a.txt") + std::chrono::seconds(5));
  stats = ingest(store);
  EXPECT_EQ(stats.files_unchanged, 1u);
  EXPECT_EQ(stats.files_analyzed, 0u);
  EXPECT_EQ(stats.files_skipped, 2u);
  stats = ingest(store);
  EXPECT_EQ(stats.files_skipped, 3u);

  // New bytes: analyzed again, its call replaced.
  write("a.txt", "2026-11-02", "What is the price? I might cancel.");
  stats = ingest(store);
  EXPECT_EQ(stats.files_analyzed, 1u);
  std::vector<std::string> seen;
  store.scan_calls(
      m_taxonomy, [](const StoredCallKey&) { return true; },
      [&](CallResult&& call) {
        seen.push_back(fs::path(call.path).filename().string() + ":" +
                       std::to_string(call.tags.topics.size()));
      });
  EXPECT_EQ(seen, (std::vector<std::string>{"a.txt:2", "b.txt:1", "c.txt:1"}));
}

TEST_F(StoreTest, TaxonomyAndOptionChangesReTagPresentFilesOnly) {
  write("a.txt", "2026-11-02", "I want to terminate my plan.");
  write("b.txt", "2026-11-03", "I want to cancel.");
  Store store(db());
  ingest(store);
  fs::rename(m_dir / "calls" / "b.txt", m_dir / "b.txt");

  const CompiledTaxonomy wider = two_topics({"cancel", "terminate"});
  EXPECT_NE(taxonomy_fingerprint(wider), taxonomy_fingerprint(m_taxonomy));
  IngestStats stats = ingest(store, wider, m_options);
  EXPECT_TRUE(stats.taxonomy_changed);
  EXPECT_EQ(stats.files_retagged, 1u);
  EXPECT_EQ(stats.files_missing, 1u);
  const StoreCounts counts =
      store.counts(taxonomy_fingerprint(wider), options_fingerprint(m_options, ""));
  EXPECT_EQ(counts.files_stale, 1u); // b.txt keeps its old tags
  EXPECT_EQ(counts.calls, 2u);       // and its call: history

  AnalyzeOptions unredacted = m_options;
  unredacted.redact = false;
  EXPECT_NE(options_fingerprint(unredacted, ""), options_fingerprint(m_options, ""));
  EXPECT_NE(options_fingerprint(m_options, "^(?<call_id>\\d+)"),
            options_fingerprint(m_options, ""));
  EXPECT_EQ(options_fingerprint(m_options, ""), options_fingerprint(AnalyzeOptions{m_options}, ""));
  stats = ingest(store, wider, unredacted);
  EXPECT_TRUE(stats.options_changed);
  EXPECT_FALSE(stats.taxonomy_changed);
  EXPECT_EQ(stats.files_analyzed, 1u);
}

TEST_F(StoreTest, FailedFilesAreRememberedAndReportedWhileTheyStay) {
  write("a.txt", "2026-11-02", "What is the price?");
  std::ofstream(m_dir / "calls" / "bad.txt", std::ios::binary)
      << std::string("PK\3\4\0\0\0\0binary\0\0\1", 17);
  Store store(db());
  IngestStats stats = ingest(store);
  ASSERT_EQ(stats.errors.size(), 1u);
  EXPECT_EQ(fs::path(stats.errors[0].path).filename(), "bad.txt");
  stats = ingest(store); // skipped, still an error
  EXPECT_EQ(stats.files_skipped, 2u);
  ASSERT_EQ(stats.errors.size(), 1u);
  EXPECT_NE(stats.errors[0].reason.find("binary"), std::string::npos);
  EXPECT_EQ(store.errors().size(), 1u);
}

TEST_F(StoreTest, SummariesUseTheCallLogDateAndTheWindow) {
  write("a.txt", "2026-11-02", "What is the price?"); // W45 by its own date
  write("b.txt", "2026-11-10", "I want to cancel.");  // W46
  write("c.txt", "not a date", "I want to cancel.");  // the call log dates it in W46
  write("d.txt", "not a date", "What is the price?"); // no date at all
  Store store(db());
  ingest(store);
  std::string error;
  const std::optional<CallLog> log =
      CallLog::parse("call_id,started_at,converted\nc,2026-11-11T09:00:00,1\n", error);
  ASSERT_TRUE(log) << error;
  const std::optional<ReportWindow> window = make_report_window(
      "week", std::nullopt, parse_iso_date("2026-11-15"), *parse_iso_date("2030-01-01"), error);
  ASSERT_TRUE(window) << error;
  std::vector<std::string> current_calls;
  const StoreSummaries summaries =
      summarize_store(store, m_options, m_taxonomy, &*log, window, {},
                      [&](const CallResult& call) { current_calls.push_back(call.call_id); });
  EXPECT_EQ(current_calls, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(summaries.current.totals().calls, 2u);
  EXPECT_EQ(summaries.current.totals().conversions, 1u); // joined at report time
  EXPECT_EQ(summaries.current.topics()[1].calls, 2u);
  EXPECT_EQ(summaries.previous.totals().calls, 1u);
  EXPECT_EQ(summaries.calls_without_date, 1u);

  // Without a window: every call. calls_in: by the stored date only.
  const StoreSummaries all =
      summarize_store(store, m_options, m_taxonomy, nullptr, std::nullopt, {}, nullptr);
  EXPECT_EQ(all.current.totals().calls, 4u);
  std::vector<std::string> in_w46;
  store.calls_in(window->current, m_taxonomy,
                 [&](CallResult&& call) { in_w46.push_back(call.call_id); });
  EXPECT_EQ(in_w46, (std::vector<std::string>{"b"}));
}

TEST_F(StoreTest, RefusesWhatIsNotAStoreOfThisVersion) {
  std::ofstream(db()) << "just some text, not SQLite";
  try {
    Store store(db());
    FAIL() << "opened a text file";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreError::Kind::unusable);
    EXPECT_NE(std::string(e.what()).find("not a database"), std::string::npos) << e.what();
  }
  fs::remove(db());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  EXPECT_THROW(Store store(db()), StoreError);
  fs::remove(db());
  { Store created(db()); }
  ASSERT_EQ(sqlite3_open(db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  try {
    Store store(db());
    FAIL() << "opened a newer schema";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this callsight"), std::string::npos);
  }
}

TEST_F(StoreTest, ReopensItsOwnStoreAndReportsBusyWithinTheTimeout) {
  write("a.txt", "2026-11-02", "What is the price?");
  {
    Store store(db());
    ingest(store);
  }
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  StoreOptions quick;
  quick.busy_timeout = std::chrono::milliseconds(50);
  try {
    Store store(db(), quick);
    FAIL() << "opened a store another connection holds";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreError::Kind::busy);
    EXPECT_EQ(std::string(e.what()), "store " + db() + " is busy (another callsight run?)");
  }
  sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  Store store(db(), quick);
  EXPECT_EQ(ingest(store).files_skipped, 1u);
}

TEST_F(StoreTest, WindowCallsByOwnDateFromAReadOnlyStore) {
  write("a.txt", "2026-11-02", "What is the price?"); // W45
  write("b.txt", "2026-11-10", "I want to cancel.");  // W46
  write("c.txt", "2026-11-12", "What is the price?"); // W46
  write("d.txt", "not a date", "I want to cancel.");  // neither
  write("e.txt", "2026-10-20", "I want to cancel.");  // before both
  {
    Store store(db());
    ingest(store);
  }
  StoreOptions read_only;
  read_only.read_only = true;
  Store store(db(), read_only);
  std::string error;
  const std::optional<ReportWindow> window = make_report_window(
      "week", std::nullopt, parse_iso_date("2026-11-15"), *parse_iso_date("2030-01-01"), error);
  ASSERT_TRUE(window) << error;
  const StoredWindowCalls calls = store.window_calls(*window);
  const auto paths = [](const std::vector<StoredFileCalls>& files) {
    std::vector<std::string> out;
    for (const StoredFileCalls& file : files) {
      out.push_back(fs::path(file.path).filename().string());
      EXPECT_EQ(file.ordinals, std::vector<std::uint32_t>{0}) << file.path;
    }
    return out;
  };
  EXPECT_EQ(paths(calls.current), (std::vector<std::string>{"b.txt", "c.txt"}));
  EXPECT_EQ(paths(calls.previous), (std::vector<std::string>{"a.txt"}));
  EXPECT_EQ(calls.current_calls, 2u);
  EXPECT_EQ(calls.previous_calls, 1u);
  EXPECT_EQ(calls.calls_without_date, 1u);
  std::ifstream in(calls.previous[0].path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  EXPECT_EQ(calls.previous[0].content_hash, content_hash(bytes));
  // Read-only means read-only: an ingest with something new cannot write it.
  write("f.txt", "2026-11-13", "What is the price?");
  try {
    ingest(store);
    FAIL() << "a read-only store took a write";
  } catch (const std::runtime_error& e) { // the pipeline passes a sink's failure on
    EXPECT_NE(std::string(e.what()).find("readonly database"), std::string::npos) << e.what();
  }
}

TEST_F(StoreTest, ReadOnlyOpeningNeedsAnExistingStoreOfThisVersion) {
  StoreOptions read_only;
  read_only.read_only = true;
  try {
    Store store(db(), read_only);
    FAIL() << "opened a missing store";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreError::Kind::unusable);
    EXPECT_EQ(std::string(e.what()), "store " + db() +
                                         ": no such file or directory (callsight analyze --store "
                                         "creates it)");
  }
  EXPECT_FALSE(fs::exists(db())) << "a reader created the store";
  std::ofstream(db()).close(); // an empty file is an empty SQLite database
  try {
    Store store(db(), read_only);
    FAIL() << "opened an empty database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("is empty: not a callsight store"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(fs::file_size(db()), 0u) << "a reader created the schema";
}
