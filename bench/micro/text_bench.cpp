// Text stage: the tokenizer over a 1 MB call body, and what a word costs
// without the matcher's per-thread word cache (normalize + stem every time)
// against what it costs with it.
//
// The matcher exposes no hook to its cache, so the cached benchmarks drive
// the same WordTable (src/util/word_table.hpp) the same way Matcher::Impl
// does: key = the raw token bytes, looked up with a one-load head; a miss
// normalizes, stems, asks the taxonomy for the word's terms and inserts.
#include <vector>

#include "callsight/text.hpp"

#include "sample.hpp"
#include "util/word_table.hpp"

namespace callsight::bench {
namespace {

std::uint64_t bytes_of(const std::vector<std::string_view>& words) {
  std::uint64_t bytes = 0;
  for (std::string_view word : words) {
    bytes += word.size();
  }
  return bytes;
}

void BM_Tokenize(benchmark::State& state) {
  const Sample& s = sample();
  std::vector<Token> tokens;
  for (auto _ : state) {
    tokenize(s.body, tokens);
    benchmark::DoNotOptimize(tokens);
  }
  if (tokens.size() < s.body.size() / 10) {
    fail(state, "the 1 MB body gave only " + std::to_string(tokens.size()) + " tokens");
    return;
  }
  set_rates(state, tokens.size(), s.body.size(), 0);
  state.counters["tokens"] = static_cast<double>(tokens.size());
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMicrosecond);

// Cold: every word is new, so each is normalized and stemmed.
void BM_NormalizeStem_Cold(benchmark::State& state) {
  const Sample& s = sample();
  Stemmer stemmer(s.default_taxonomy.stemmer_language());
  std::string normalized;
  std::size_t stem_bytes = 0;
  for (auto _ : state) {
    stem_bytes = 0;
    for (std::string_view word : s.distinct_words) {
      normalized.clear();
      normalize_word(word, normalized);
      stem_bytes += stemmer.stem(normalized).size();
    }
    benchmark::DoNotOptimize(stem_bytes);
  }
  set_rates(state, s.distinct_words.size(), bytes_of(s.distinct_words), 0);
  state.counters["words"] = static_cast<double>(s.distinct_words.size());
}
BENCHMARK(BM_NormalizeStem_Cold)->Unit(benchmark::kMicrosecond);

// What the matcher's cache does for one token: find it, or on a miss
// normalize, stem, look up its taxonomy terms and negator flag, and insert.
class WordCache {
public:
  explicit WordCache(const CompiledTaxonomy& taxonomy)
      : m_taxonomy(taxonomy), m_stemmer(taxonomy.stemmer_language()) {}

  std::uint32_t lookup(std::string_view raw, std::size_t readable) {
    const std::uint32_t found = m_words.find(raw, WordTable::head_of(raw, readable));
    if (found != WordTable::k_missing) {
      ++m_hits;
      return found;
    }
    m_normalized.clear();
    normalize_word(raw, m_normalized);
    m_terms.clear();
    m_taxonomy.terms_for_word(m_normalized, m_stemmer.stem(m_normalized), m_terms);
    const auto value = static_cast<std::uint32_t>(m_terms.size()) +
                       (m_taxonomy.is_negator(m_normalized) ? 1u << 31 : 0u);
    m_words.insert(raw, value);
    return value;
  }

  /// Looks up every token of `text`; returns a sum of the values, to be kept.
  /// hits() then counts the hits of this pass.
  std::uint64_t lookup_all(std::string_view text, const std::vector<Token>& tokens) {
    m_hits = 0;
    std::uint64_t sum = 0;
    for (const Token& token : tokens) {
      sum += lookup(text.substr(token.begin, token.length), text.size() - token.begin);
    }
    return sum;
  }

  void clear() { m_words.clear(); }
  /// Hits since construction or the start of the last lookup_all().
  std::uint64_t hits() const { return m_hits; }
  std::size_t size() const { return m_words.size(); }

private:
  const CompiledTaxonomy& m_taxonomy;
  Stemmer m_stemmer;
  WordTable m_words;
  std::string m_normalized;
  std::vector<std::uint32_t> m_terms;
  std::uint64_t m_hits = 0;
};

// Every word a miss: the whole cost of a word the cache has not seen.
void BM_WordCache_Miss(benchmark::State& state) {
  const Sample& s = sample();
  WordCache cache(s.default_taxonomy);
  std::uint64_t sum = 0;
  for (auto _ : state) {
    cache.clear();
    for (std::string_view word : s.distinct_words) {
      sum += cache.lookup(word, word.size());
    }
    benchmark::DoNotOptimize(sum);
  }
  if (cache.hits() != 0) {
    fail(state, "distinct words hit the cache");
    return;
  }
  set_rates(state, s.distinct_words.size(), bytes_of(s.distinct_words), 0);
}
BENCHMARK(BM_WordCache_Miss)->Unit(benchmark::kMicrosecond);

// Every token of the body through the cache. `warm`: the cache already knows
// every word, the matcher's steady state after its first calls (all hits).
// Otherwise it starts empty at each pass: misses at each word's first use,
// hits after, in the body's own proportion.
void BM_WordCache_Body(benchmark::State& state, bool warm) {
  const Sample& s = sample();
  WordCache cache(s.default_taxonomy);
  std::vector<Token> tokens;
  tokenize(s.body, tokens);
  cache.lookup_all(s.body, tokens);
  std::uint64_t sum = 0;
  for (auto _ : state) {
    if (!warm) {
      cache.clear();
    }
    sum += cache.lookup_all(s.body, tokens);
    benchmark::DoNotOptimize(sum);
  }
  if (cache.size() != s.distinct_words.size()) {
    fail(state, "the cache does not hold every distinct word of the body");
    return;
  }
  set_rates(state, tokens.size(), s.body.size(), 0);
  state.counters["hit_rate"] =
      static_cast<double>(cache.hits()) / static_cast<double>(tokens.size());
}
BENCHMARK_CAPTURE(BM_WordCache_Body, warm, true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WordCache_Body, from_empty, false)->Unit(benchmark::kMicrosecond);

} // namespace
} // namespace callsight::bench
