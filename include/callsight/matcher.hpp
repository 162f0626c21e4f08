// Tagging: a taxonomy compiled to integer term ids, and a per-thread Matcher
// that finds topic hits in a Call's turns.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "callsight/call.hpp"
#include "callsight/taxonomy.hpp"

namespace callsight {

/// Immutable after compile(); shared read-only by every worker thread.
class CompiledTaxonomy {
public:
  struct CompiledPhrase {
    std::uint32_t topic = 0;
    bool exclusion = false;
    std::vector<std::uint32_t> terms; ///< term ids, in order
  };

  /// Stems every phrase with the taxonomy's language (or `language_override`
  /// when not empty). Throws std::invalid_argument for an unknown language.
  static CompiledTaxonomy compile(const Taxonomy& taxonomy,
                                 const std::string& language_override = {});

  const std::vector<Topic>& topics() const { return m_topics; }
  const std::string& name() const { return m_name; }
  const std::string& stemmer_language() const { return m_language; }
  const std::vector<CompiledPhrase>& phrases() const { return m_phrases; }
  /// Phrase ids whose first term is `term`.
  const std::vector<std::uint32_t>& phrases_starting_with(std::uint32_t term) const {
    return m_by_first_term[term];
  }
  std::size_t term_count() const { return m_by_first_term.size(); }

  /// Appends to `out` the ids of every term a word satisfies, given its
  /// normalized form and its stem. Used to fill the per-thread word cache.
  void terms_for_word(std::string_view normalized, std::string_view stem,
                      std::vector<std::uint32_t>& out) const;
  bool is_negator(std::string_view normalized) const;

private:
  std::string m_name;
  std::string m_language;
  std::vector<Topic> m_topics;
  std::vector<CompiledPhrase> m_phrases;
  std::vector<std::vector<std::uint32_t>> m_by_first_term;
  std::unordered_map<std::string, std::uint32_t> m_stem_terms;
  std::unordered_map<std::string, std::uint32_t> m_exact_terms;
  std::unordered_map<std::string, std::uint32_t> m_prefix_terms;
  std::vector<std::size_t> m_prefix_lengths; ///< distinct lengths, ascending
};

/// A topic found in a call (only topics that reached min_hits are reported).
struct TopicMatch {
  std::uint32_t topic = 0;      ///< index into CompiledTaxonomy::topics()
  std::uint32_t hits = 0;       ///< counted hits (not negated, not excluded)
  std::uint32_t negated = 0;    ///< hits suppressed by negation
  std::uint32_t first_turn = 0; ///< turn index of the first counted hit
  std::uint32_t first_begin = 0; ///< byte offsets of that hit in the turn text
  std::uint32_t first_end = 0;
};

struct TagResult {
  std::vector<TopicMatch> topics; ///< ordered by topic index
  std::uint64_t words = 0;
};

/// Per-thread matcher: owns a stemmer and a cache from each distinct word to
/// the terms it satisfies, so each word is normalized and stemmed once.
class Matcher {
public:
  explicit Matcher(const CompiledTaxonomy& taxonomy);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  TagResult tag(const Call& call);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace callsight
