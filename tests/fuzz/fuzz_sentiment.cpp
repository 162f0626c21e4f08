// Fuzz target: sentiment scoring of arbitrary text stays in [-1, 1] and never
// crashes, and lexicon parsing of arbitrary bytes either fails with
// line-numbered errors or gives a lexicon that scores and merges safely.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "callsight/ingest.hpp"
#include "callsight/sentiment.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_score(double score) {
  check(std::isfinite(score) && score >= -1.0 && score <= 1.0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // Text: scored as one turn and as a call of line-turns with odd times.
  const std::string text = callsight::decode_to_utf8(bytes).text;
  static callsight::SentimentScorer scorer(callsight::SentimentLexicon::built_in());
  const callsight::TurnSentiment turn = scorer.score_turn(text);
  check_score(turn.score);
  check(turn.terms > 0 || turn.score == 0.0);
  check(scorer.score_text(text) == turn.score); // the word cache changes nothing

  callsight::Call call;
  std::size_t start = 0;
  for (std::size_t n = 0; start <= text.size() && n < 64; ++n) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    callsight::Turn t;
    t.role = static_cast<callsight::Role>(n % 3);
    t.speaker = "s" + std::to_string(n % 4);
    t.text = text.substr(start, end - start);
    if (size > 0 && data[0] % 2 == 0) {
      t.start_s = static_cast<double>(n) * (data[n % size] - 100);
      if (data[0] % 4 == 0) {
        t.end_s = *t.start_s + data[(n + 1) % size] - 10.0;
      }
    }
    call.turns.push_back(std::move(t));
    start = end + 1;
  }
  const callsight::CallSentiment result = scorer.score_call(call);
  check(result.turns.size() == call.turns.size());
  for (const callsight::SentimentMean* mean :
       {&result.all, &result.agent, &result.customer, &result.unknown, &result.customer_quarters[0],
        &result.customer_quarters[3]}) {
    if (const auto value = mean->mean()) {
      check(*value >= -1.0 && *value <= 1.0);
    }
  }

  // Lexicon: the raw bytes as a lexicon file.
  std::string error;
  const std::optional<callsight::SentimentLexicon> lexicon =
      callsight::SentimentLexicon::parse(bytes, error);
  if (!lexicon) {
    check(error.starts_with("line "));
    return 0;
  }
  check(error.empty());
  callsight::SentimentScorer own(*lexicon);
  check_score(own.score_text(text));
  callsight::SentimentLexicon merged = callsight::SentimentLexicon::built_in();
  merged.merge(*lexicon);
  callsight::SentimentScorer merged_scorer(merged);
  check_score(merged_scorer.score_text(text));
  return 0;
}
