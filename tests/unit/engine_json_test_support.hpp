// Test helpers shared by the engine format tests (AWS, Google, Azure, Rev.ai,
// Whisper, AssemblyAI, Deepgram ...):
// loading fixtures, parsing through a registry entry, and comparing turns.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

#include "formats/registry.hpp"

namespace callsight::test {

/// tests/fixtures/formats/<relative> parsed as JSON (discarded when malformed).
inline nlohmann::json load_fixture(const std::string& relative) {
  std::ifstream in(std::string(CALLSIGHT_TEST_FIXTURES) + "/formats/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream out;
  out << in.rdbuf();
  return nlohmann::json::parse(out.str(), nullptr, false);
}

/// The one call `format` reads from a fixture it recognizes.
inline Call parse_fixture(const formats::JsonFormat& format, const std::string& relative) {
  const nlohmann::json doc = load_fixture(relative);
  EXPECT_TRUE(format.recognizes(doc)) << relative;
  ParseResult result = format.parse("calls/" + relative, doc);
  EXPECT_EQ(result.error, "") << relative;
  EXPECT_EQ(result.calls.size(), 1u) << relative;
  return result.calls.empty() ? Call{} : std::move(result.calls.front());
}

/// The error `format` gives for a JSON text (which must parse as JSON).
inline std::string parse_error(const formats::JsonFormat& format, std::string_view json_text,
                               std::string_view path = "calls/bad.json") {
  const ParseResult result = format.parse(path, nlohmann::json::parse(json_text));
  EXPECT_TRUE(result.calls.empty()) << json_text;
  return result.error;
}

/// A turn as a test expects it; nullopt times/confidence must be absent.
struct ExpectedTurn {
  ExpectedTurn(std::string_view speaker_, std::optional<double> start_, std::optional<double> end_,
               std::optional<double> confidence_, std::string_view text_,
               Role role_ = Role::unknown, std::optional<int> channel_ = std::nullopt)
      : speaker(speaker_), start(start_), end(end_), confidence(confidence_), text(text_),
        role(role_), channel(channel_) {}

  std::string_view speaker;
  std::optional<double> start;
  std::optional<double> end;
  std::optional<double> confidence;
  std::string_view text;
  Role role;
  std::optional<int> channel;
};

inline void expect_optional_near(std::optional<double> actual, std::optional<double> expected,
                                 double tolerance, std::string_view what) {
  ASSERT_EQ(actual.has_value(), expected.has_value()) << what;
  if (expected) {
    EXPECT_NEAR(*actual, *expected, tolerance) << what;
  }
}

inline void expect_turns(const Call& call, const std::vector<ExpectedTurn>& expected) {
  ASSERT_EQ(call.turns.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("turn " + std::to_string(i));
    const Turn& turn = call.turns[i];
    const ExpectedTurn& want = expected[i];
    EXPECT_EQ(turn.speaker, want.speaker);
    EXPECT_EQ(turn.text, want.text);
    EXPECT_EQ(turn.role, want.role);
    EXPECT_EQ(turn.channel, want.channel);
    expect_optional_near(turn.start_s, want.start, 1e-6, "start");
    expect_optional_near(turn.end_s, want.end, 1e-6, "end");
    expect_optional_near(turn.confidence, want.confidence, 1e-4, "confidence");
  }
}

/// `format` recognizes every JSON fixture in tests/fixtures/formats/<own_dir>
/// and none of the other formats' JSON fixtures.
inline void expect_only_own_fixtures(const formats::JsonFormat& format, std::string_view own_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(CALLSIGHT_TEST_FIXTURES) / "formats")) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::size_t own = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (doc.is_discarded()) {
      continue;
    }
    const bool mine = file.parent_path().filename() == own_dir;
    own += mine ? 1 : 0;
    EXPECT_EQ(format.recognizes(doc), mine) << format.name << " on " << file;
  }
  EXPECT_GT(own, 0u) << own_dir;
}

} // namespace callsight::test
