// Tests for analyze_bytes on hostile bytes: whatever a file holds, it is
// either analyzed or refused with a reason, never half-counted.
#include <string>

#include <gtest/gtest.h>

#include "callsight/pipeline.hpp"

namespace callsight {
namespace {

class HostileBytes : public ::testing::Test {
protected:
  HostileBytes()
      : taxonomy(CompiledTaxonomy::compile(*parse_taxonomy(default_taxonomy_json()).taxonomy)),
        matcher(taxonomy) {}

  // analyze_bytes' error, or "" when the file was analyzed.
  std::string refusal(std::string_view bytes, const std::string& path = "call.txt") {
    std::vector<CallResult> results;
    std::string error;
    const bool ok = analyze_bytes(path, bytes, options, matcher, nullptr, results, error);
    EXPECT_EQ(ok, !results.empty()) << path;
    return ok ? std::string() : error;
  }

  AnalyzeOptions options;
  CompiledTaxonomy taxonomy;
  Matcher matcher;
};

std::string labelled_turns(std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += i % 2 == 0 ? "Agent: hello\n" : "Customer: how much is it\n";
  }
  return text;
}

TEST_F(HostileBytes, MostlyInvalidUtf8IsNotText) {
  std::string blob;
  for (int i = 0; i < 4000; ++i) {
    blob.push_back(static_cast<char>(0x80 + i % 128)); // no NUL, almost no valid UTF-8
  }
  EXPECT_EQ(refusal(blob), "not text: 4000 invalid UTF-8 sequences in 4000 bytes (binary, or "
                           "an encoding other than UTF-8/UTF-16)");
  // A few stray Latin-1 bytes in real text are replaced and counted, not refused.
  EXPECT_EQ(refusal("Customer: caf\xe9, how much is the cr\xe8me?\n"), "");
  EXPECT_EQ(refusal("Agent: hello\n" + blob.substr(0, 3)), "");
}

TEST_F(HostileBytes, NulBytesAndEmptyFiles) {
  static constexpr char k_nul[] = "Agent: hi\0there\n";
  EXPECT_EQ(refusal(std::string_view(k_nul, sizeof k_nul - 1)),
            "binary file (contains NUL bytes), not a transcript");
  EXPECT_EQ(refusal(""), "empty transcript (no text)");
  EXPECT_EQ(refusal("\xEF\xBB\xBF"), "empty transcript (no text)");
  EXPECT_EQ(refusal("\r\n\r\n\n"), "empty transcript (no text)");
}

TEST_F(HostileBytes, TurnLimitIsTheFileError) {
  options.limits.max_turns = 5;
  EXPECT_EQ(refusal(labelled_turns(5)), "");
  EXPECT_EQ(refusal(labelled_turns(6)), "6 turns, over the 5-turn limit (--max-turns)");
}

} // namespace
} // namespace callsight
