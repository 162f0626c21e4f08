// Unit tests for src/pipeline and src/report: end to end through the core
// library on temp folders: determinism across thread counts, encodings that
// must give identical results, broken files that do not stop the run.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "callsight/pipeline.hpp"
#include "callsight/report.hpp"

using namespace callsight;
namespace fs = std::filesystem;

namespace {

class PipelineTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = fs::path(::testing::TempDir()) /
            ("callsight-pipeline-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    Taxonomy taxonomy;
    taxonomy.name = "test";
    Topic pricing;
    pricing.id = "pricing";
    pricing.label = "Pricing";
    pricing.phrases = {"how much", "price", "expensive"};
    pricing.speaker = SpeakerFilter::customer;
    Topic cancel;
    cancel.id = "cancellation";
    cancel.label = "Cancellation";
    cancel.phrases = {"cancel"};
    taxonomy.topics = {pricing, cancel};
    m_taxonomy = CompiledTaxonomy::compile(taxonomy);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  void write(const std::string& name, const std::string& bytes) {
    const fs::path path = m_dir / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
  }

  // Summary JSON plus the per-call lines, as one string.
  std::string run(unsigned threads, const std::vector<std::string>& inputs,
                  Summary* out = nullptr) {
    AnalyzeOptions options;
    options.inputs = inputs;
    options.threads = threads;
    std::string calls;
    AnalyzeSinks sinks;
    sinks.on_call = [&](const CallResult& call) {
      calls += call_record_json(call, *m_taxonomy) + "\n";
    };
    sinks.on_error = [&](const FileError& error) {
      calls += error.path + ": " + error.reason + "\n";
    };
    Summary summary = analyze(options, *m_taxonomy, nullptr, sinks);
    std::ostringstream json;
    ReportContext context;
    context.taxonomy = &*m_taxonomy;
    context.taxonomy_source = "test";
    write_summary_json(json, summary, context);
    if (out != nullptr) {
      *out = summary;
    }
    return json.str() + calls;
  }

  fs::path m_dir;
  std::optional<CompiledTaxonomy> m_taxonomy;
};

std::string utf16le(const std::string& ascii, bool bom) {
  std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

} // namespace

TEST_F(PipelineTest, OutputIsIdenticalForAnyThreadCount) {
  for (int i = 0; i < 200; ++i) {
    std::string text = "Agent: Thanks for calling.\nCustomer: ";
    text += (i % 3 == 0) ? "How much is the tune-up?\n" : "I want to cancel.\n";
    text += (i % 7 == 0) ? "Customer: It's not too expensive.\n" : "Agent: Sure.\n";
    write("batch" + std::to_string(i % 5) + "/call-" + std::to_string(i) + ".txt", text);
  }
  write("batch2/broken.json", "{\"not\": \"a transcript\"}");
  const std::string one = run(1, {m_dir.string()});
  EXPECT_EQ(one, run(4, {m_dir.string()}));
  EXPECT_EQ(one, run(3, {m_dir.string()}));
  EXPECT_NE(one.find("\"calls\": 200"), std::string::npos);
  EXPECT_NE(one.find("broken.json: unrecognized transcript format"), std::string::npos);
}

TEST_F(PipelineTest, EncodingsGiveTheSameTags) {
  const std::string text = "Agent: Hello.\nCustomer: How much? I might cancel.\n";
  std::string crlf;
  for (char c : text) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  write("a/call.txt", text);
  write("b/call.txt", "\xEF\xBB\xBF" + text);
  write("c/call.txt", utf16le(text, true));
  write("d/call.txt", crlf);
  write("e/call.txt", utf16le(text, false));
  std::vector<std::string> records;
  for (const char* dir : {"a", "b", "c", "d", "e"}) {
    Summary summary(0, {});
    run(1, {(m_dir / dir).string()}, &summary);
    ASSERT_EQ(summary.totals().calls, 1u) << dir;
    EXPECT_EQ(summary.topics()[0].calls, 1u) << dir;
    EXPECT_EQ(summary.topics()[1].calls, 1u) << dir;
    EXPECT_EQ(summary.totals().words, 6u) << dir;
  }
}

TEST_F(PipelineTest, BrokenFilesAreReportedAndTheRunGoesOn) {
  write("good.txt", "Customer: what's the price\n");
  write("empty.txt", "");
  write("binary.txt", std::string("\x7f"
                                  "ELF\0\0\x01\x02",
                                  8));
  write("bom-only.txt", "\xEF\xBB\xBF");
  Summary summary(0, {});
  const std::string out = run(2, {m_dir.string(), (m_dir / "missing.txt").string()}, &summary);
  EXPECT_EQ(summary.totals().calls, 1u);
  EXPECT_EQ(summary.totals().files_failed, 4u);
  EXPECT_NE(out.find("empty.txt: empty transcript"), std::string::npos);
  EXPECT_NE(out.find("binary.txt: binary file"), std::string::npos);
  EXPECT_NE(out.find("missing.txt: no such file"), std::string::npos);
}

TEST_F(PipelineTest, MaxFileSizeIsEnforced) {
  write("big.txt", "Customer: " + std::string(5000, 'a') + "\n");
  AnalyzeOptions options;
  options.inputs = {m_dir.string()};
  options.max_file_bytes = 1000;
  std::vector<FileError> errors;
  AnalyzeSinks sinks;
  sinks.on_error = [&](const FileError& e) { errors.push_back(e); };
  const Summary summary = analyze(options, *m_taxonomy, nullptr, sinks);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].reason.find("1000"), std::string::npos);
  EXPECT_EQ(summary.totals().calls, 0u);
}

TEST_F(PipelineTest, CallLogJoinAndGroups) {
  write("calls/c1.txt", "Customer: how much\n");
  write("calls/c2.txt", "Customer: cancel it\n");
  write("calls/c3.txt", "Customer: hello\n");
  std::string error;
  const auto log = CallLog::parse("call_id,file,campaign,started_at,converted,revenue\n"
                                  "c1,,tv,2026-10-05T10:00:00,1,100.50\n"
                                  ",calls/c2.txt,radio,2026-10-12T10:00:00,0,\n",
                                  error);
  ASSERT_TRUE(log) << error;
  AnalyzeOptions options;
  options.inputs = {(m_dir / "calls").string()};
  options.group_by = {"campaign", "week"};
  const Summary summary = analyze(options, *m_taxonomy, &*log, AnalyzeSinks{});
  EXPECT_EQ(summary.totals().with_metadata, 2u);
  EXPECT_EQ(summary.totals().conversions, 1u);
  EXPECT_EQ(summary.totals().revenue_cents, 10050);
  EXPECT_EQ(summary.groups(0).at("tv").topics[0].calls, 1u);
  EXPECT_EQ(summary.groups(0).at("radio").topics[1].calls, 1u);
  EXPECT_EQ(summary.groups(0).at(k_unknown_group).calls, 1u);
  EXPECT_EQ(summary.groups(1).at("2026-W41").calls, 1u);
  EXPECT_EQ(summary.groups(1).at("2026-W42").calls, 1u);
}

TEST(Report, CsvLongFormIsQuotedAndNeutralized) {
  Taxonomy taxonomy;
  Topic t;
  t.id = "pricing";
  t.label = "Pricing, cost";
  t.phrases = {"price"};
  taxonomy.topics = {t};
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(taxonomy);
  Summary summary(1, {"campaign"});
  CallResult call;
  call.tags.topics.push_back(TopicMatch{0, 1, 0, 0, 0, 0});
  call.group_values = {"=HYPERLINK(\"x\")"};
  call.has_metadata = true;
  call.converted = true;
  call.conversion_source = ConversionSource::call_log;
  call.has_revenue = true;
  call.revenue_cents = 12345;
  summary.add(call);
  std::ostringstream csv;
  ReportContext context;
  context.taxonomy = &compiled;
  context.taxonomy_source = "built-in";
  context.metadata_source = "log.csv";
  write_summary_csv(csv, summary, context);
  EXPECT_EQ(csv.str(),
            "dimension,group,calls,conversions,conversion_rate,revenue,topic,topic_label,"
            "topic_kind,topic_calls,topic_share,topic_hits,spend,cost_per_call,cost_per_conversion,"
            "topic_cost_per_call,conversion_source_call_log,conversion_source_transcript,"
            "conversion_source_none,calls_with_revenue,revenue_per_call,topic_conversions,"
            "topic_conversion_rate,topic_conversion_lift,languages\n"
            "all,all,1,1,1,123.45,pricing,\"Pricing, cost\",concern,1,1,1,,,,,1,0,0,1,123.45,1,1,"
            "1,und:1\n"
            "campaign,\"'=HYPERLINK(\"\"x\"\")\",1,1,1,123.45,pricing,\"Pricing, cost\",concern,1,"
            "1,1,,,,,1,0,0,1,123.45,1,1,1,und:1\n");
}

TEST(Report, AtomicFileReplacesOnlyOnCommit) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("callsight-atomic-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string target = (dir / "report.json").string();
  std::ofstream(target) << "previous";
  {
    AtomicFile file(target);
    file.stream() << "half written";
    // destroyed without commit: the previous report must survive
  }
  std::ifstream in(target);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "previous");
  {
    AtomicFile file(target);
    file.stream() << "new";
    file.commit();
  }
  std::ifstream again(target);
  std::string updated((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  EXPECT_EQ(updated, "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  EXPECT_THROW(AtomicFile((dir / "no-such-dir" / "x.json").string()), std::runtime_error);
  fs::remove_all(dir);
}

// Regression (found by the benchmark harness): writing a report to /dev/null
// as root renamed a regular file over the device. Devices, FIFOs and sockets
// are written in place; a symlink's target is replaced, not the link.
TEST(Report, AtomicFileWritesDevicesInPlaceAndFollowsLinks) {
  {
    AtomicFile sink("/dev/null");
    sink.stream() << "discarded";
    sink.commit();
  }
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));

  const fs::path dir =
      fs::path(::testing::TempDir()) / ("callsight-link-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "real.json") << "old";
  fs::create_symlink(dir / "real.json", dir / "link.json");
  {
    AtomicFile file((dir / "link.json").string());
    file.stream() << "new";
    file.commit();
  }
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  std::ifstream in(dir / "real.json");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "new");
  EXPECT_THROW(AtomicFile(dir.string()), std::runtime_error);
  fs::remove_all(dir);
}

TEST_F(PipelineTest, ShardedRunsMergeIntoTheOneMachineSummary) {
  for (int i = 0; i < 30; ++i) {
    write((i % 3 == 0 ? "sub/call-" : "call-") + std::to_string(i) + ".txt",
          "Agent: Thanks for calling.\nCustomer: How much is it? I may cancel, call " +
              std::to_string(i) + ".\n");
  }
  write("empty.txt", "");
  write("sub/nul.txt", std::string("Agent:\0\0hello", 13));
  // Per-call sinks on: the reorder window must step over other shards' indexes.
  const auto run_shard = [&](ShardSpec shard, unsigned threads, std::vector<std::uint64_t>& seen) {
    AnalyzeOptions options;
    options.inputs = {m_dir.string()};
    options.threads = threads;
    options.shard = shard;
    AnalyzeSinks sinks;
    sinks.on_call = [&](const CallResult& call) { seen.push_back(call.index); };
    sinks.on_error = [&](const FileError& error) { seen.push_back(error.index); };
    return analyze(options, *m_taxonomy, nullptr, sinks);
  };
  const auto partial = [](const Summary& summary, ShardSpec shard) {
    std::ostringstream out;
    write_partial_summary(out, summary, shard, PartialFingerprint{});
    return out.str();
  };
  std::vector<std::uint64_t> all_indexes;
  const Summary whole = run_shard({}, 2, all_indexes);
  ASSERT_EQ(whole.totals().calls, 30u);
  ASSERT_EQ(whole.totals().files_failed, 2u);
  ASSERT_EQ(all_indexes.size(), 32u);

  Summary merged(2, {});
  std::set<std::uint64_t> shard_indexes;
  std::uint64_t calls = 0;
  for (std::uint32_t i = 1; i <= 3; ++i) {
    std::vector<std::uint64_t> seen;
    std::vector<std::uint64_t> seen_j1;
    const Summary shard = run_shard({i, 3}, 2, seen);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_GT(shard.totals().calls, 0u) << "shard " << i << " is empty";
    calls += shard.totals().calls;
    for (const std::uint64_t index : seen) {
      EXPECT_TRUE(shard_indexes.insert(index).second) << "index " << index << " in two shards";
    }
    EXPECT_EQ(partial(shard, {i, 3}), partial(run_shard({i, 3}, 1, seen_j1), {i, 3}))
        << "shard " << i << " differs between -j1 and -j2";
    std::string error;
    const std::optional<PartialSummary> parsed =
        parse_partial_summary(partial(shard, {i, 3}), error);
    ASSERT_TRUE(parsed) << error;
    merged += parsed->summary;
  }
  EXPECT_EQ(calls, whole.totals().calls);
  EXPECT_EQ(shard_indexes, std::set<std::uint64_t>(all_indexes.begin(), all_indexes.end()));
  EXPECT_TRUE(merged == whole);
}
