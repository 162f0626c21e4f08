// The fixture of the store unit tests: a fresh folder of calls and a store
// path per test, a two-topic taxonomy (also for the trends tests), and ingest
// with its fingerprints.
#pragma once
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "callsight/store.hpp"

namespace callsight::testing_support {

namespace fs = std::filesystem;

/// Topics "pricing" (phrase "price") and "cancellation" (`cancel_phrases`).
inline CompiledTaxonomy two_topics(const std::vector<std::string>& cancel_phrases = {"cancel"}) {
  Taxonomy taxonomy;
  taxonomy.name = "test";
  Topic pricing;
  pricing.id = "pricing";
  pricing.label = "Pricing";
  pricing.phrases = {"price"};
  Topic cancel;
  cancel.id = "cancellation";
  cancel.label = "Cancellation";
  cancel.phrases = cancel_phrases;
  taxonomy.topics = {pricing, cancel};
  return CompiledTaxonomy::compile(taxonomy);
}

class StoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = fs::path(::testing::TempDir()) /
            ("callsight-store-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir / "calls");
    m_taxonomy = two_topics({"cancel"});
    m_options.inputs = {(m_dir / "calls").string()};
    m_options.threads = 2;
  }
  void TearDown() override { fs::remove_all(m_dir); }

  void write(const std::string& name, const std::string& date, const std::string& ask) {
    write_file(name,
               "Date: " + date + "\n\nAgent: Northwind, how can I help?\nCustomer: " + ask + "\n");
  }
  fs::path path(const std::string& name) const { return m_dir / "calls" / name; }
  void write_file(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
  }

  std::string db() const { return (m_dir / "store.db").string(); }

  IngestStats ingest(Store& store, const CompiledTaxonomy& taxonomy,
                     const AnalyzeOptions& options) {
    return store.ingest(options, taxonomy, taxonomy_fingerprint(taxonomy),
                        options_fingerprint(options, ""), AnalyzeSinks{});
  }
  IngestStats ingest(Store& store) { return ingest(store, m_taxonomy, m_options); }

  fs::path m_dir;
  CompiledTaxonomy m_taxonomy = two_topics({"cancel"});
  AnalyzeOptions m_options;
};

} // namespace callsight::testing_support
