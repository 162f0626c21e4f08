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
#include "callsight/text.hpp"

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
  std::size_t term_count() const { return m_term_count; }

  // Phrases form a trie over term ids, so matching at a word costs one lookup
  // per term of the next word, however many phrases share a first word
  // ("i want", "i need", "i saw" ...).
  static constexpr std::uint32_t k_no_node = UINT32_MAX;
  /// Trie node reached by a phrase's first term, or k_no_node.
  std::uint32_t root_child(std::uint32_t term) const { return m_root_children[term]; }
  /// Node reached from `node` by `term`, or k_no_node. Hot: an inline probe
  /// of a flat open-addressing table.
  std::uint32_t child(std::uint32_t node, std::uint32_t term) const {
    const std::uint64_t key = (std::uint64_t{node} << 32) | term;
    for (std::size_t i = edge_hash(key) & m_edge_mask;; i = (i + 1) & m_edge_mask) {
      const Edge& edge = m_edges[i];
      if (edge.child == k_no_node || edge.key == key) {
        return edge.child;
      }
    }
  }
  bool has_children(std::uint32_t node) const { return m_nodes[node].children > 0; }
  /// Phrase ids that end at `node`.
  const std::vector<std::uint32_t>& phrases_ending_at(std::uint32_t node) const {
    return m_nodes[node].phrases;
  }

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
  struct Node {
    std::uint32_t children = 0;
    std::vector<std::uint32_t> phrases;
  };
  std::uint32_t m_term_count = 0;
  std::vector<std::uint32_t> m_root_children; ///< by term id
  std::vector<Node> m_nodes;
  struct Edge {
    std::uint64_t key = 0; ///< node << 32 | term
    std::uint32_t child = k_no_node;
  };
  static std::size_t edge_hash(std::uint64_t key) {
    key *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(key ^ (key >> 31));
  }
  void build_edge_table(const std::unordered_map<std::uint64_t, std::uint32_t>& edges);
  std::vector<Edge> m_edges;
  std::size_t m_edge_mask = 0;
  std::unordered_map<std::string, std::uint32_t> m_stem_terms;
  std::unordered_map<std::string, std::uint32_t> m_exact_terms;
  std::unordered_map<std::string, std::uint32_t> m_prefix_terms;
  std::vector<std::size_t> m_prefix_lengths; ///< distinct lengths, ascending
};

/// A topic found in a call (only topics that reached min_hits are reported).
struct TopicMatch {
  std::uint32_t topic = 0;       ///< index into CompiledTaxonomy::topics()
  std::uint32_t hits = 0;        ///< counted hits (not negated, not excluded)
  std::uint32_t negated = 0;     ///< hits suppressed by negation
  std::uint32_t first_turn = 0;  ///< turn index of the first counted hit
  std::uint32_t first_begin = 0; ///< byte offsets of that hit in the turn text
  std::uint32_t first_end = 0;
};

struct TagResult {
  std::vector<TopicMatch> topics; ///< ordered by topic index
  std::uint64_t words = 0;
  std::vector<std::uint32_t> turn_words; ///< words per turn, so call metrics need not re-tokenize
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
  /// Same, reusing tokens already made for the call (one per turn, in order).
  TagResult tag(const Call& call, const TurnTokens& tokens);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace callsight
