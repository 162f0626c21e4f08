// Tagging: a taxonomy compiled to integer term ids, and a per-thread Matcher
// that finds topic hits in a Call's turns.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "callsight/call.hpp"
#include "callsight/language.hpp"
#include "callsight/taxonomy.hpp"
#include "callsight/text.hpp"

namespace callsight {

/// Immutable after compile(); shared read-only by every worker thread.
class CompiledTaxonomy {
public:
  /// What a phrase string is for in its topic.
  enum class PatternRole : std::uint8_t {
    phrase,        ///< an entry of "phrases": its hits count
    exclude,       ///< an entry of "exclude": drops the topic's hits it overlaps
    leaf,          ///< a rule leaf under an even number of "not": its hits count
    negative_leaf, ///< a rule leaf under an odd number of "not": only its presence matters
  };
  /// One phrase string of the taxonomy, compiled.
  struct Pattern {
    std::uint32_t topic = 0;
    PatternRole role = PatternRole::phrase;
    std::uint32_t near_distance = 0; ///< n of `A NEAR/n B`; 0 without NEAR
    std::string text;                ///< as written in the taxonomy
    std::uint32_t lane = 0;          ///< the language it is matched in (see lanes())
  };
  /// Terms of one language's phrases, by the form a text word must have.
  struct TermTable {
    std::unordered_map<std::string, std::uint32_t> stems;
    std::unordered_map<std::string, std::uint32_t> exact;
    std::unordered_map<std::string, std::uint32_t> prefixes;
    std::vector<std::size_t> prefix_lengths; ///< distinct lengths, ascending
    bool empty() const { return stems.empty() && exact.empty() && prefixes.empty(); }
  };
  /// One language of the taxonomy. Lane 0 is the taxonomy's own language
  /// (or, when --language names a language the taxonomy has no phrases in,
  /// that language: the old meaning of --language); text in a language
  /// without a lane is matched in lane 0.
  struct Lane {
    std::string language; ///< Snowball name
    std::string code;     ///< ISO 639-1 code, or the Snowball name when none
    TermTable plain;      ///< terms of accent-sensitive topics
    TermTable folded;     ///< terms of accent-insensitive topics, accents folded
    std::span<const std::string_view> negators;
    bool elided_negation = false; ///< French "n'": a word starting with it negates
  };
  /// Which side of a NEAR a trie sequence is.
  enum class Side : std::uint8_t { whole, near_a, near_b };
  static constexpr std::uint8_t k_turn_filter = 1; ///< the topic has a window or min_confidence
  static constexpr std::uint8_t k_rule = 2;        ///< the topic has a rule
  /// The end of a run of consecutive words in the trie: a whole pattern or
  /// one side of a NEAR. Carries what scoring needs so the hot loop need not
  /// look the pattern up.
  struct SequenceEnd {
    std::uint32_t pattern = 0;
    std::uint32_t topic = 0;
    Side side = Side::whole;
    PatternRole role = PatternRole::phrase;
    std::uint8_t flags = 0; ///< k_turn_filter | k_rule of its topic
  };
  /// A flattened rule node (see RuleNode); children are consecutive steps.
  struct RuleStep {
    RuleOp op = RuleOp::phrase;
    std::uint32_t first_child = 0;
    std::uint32_t children = 0;
    std::uint32_t pattern = 0; ///< RuleOp::phrase
  };
  /// Per topic: what it needs beyond plain phrase matching. Topics with no
  /// rule, window or condition pay nothing for these features.
  struct TopicPlan {
    std::uint32_t patterns_begin = 0; ///< the topic's patterns are [begin, end)
    std::uint32_t patterns_end = 0;
    std::uint32_t phrases = 0;            ///< entries of "phrases"
    std::uint32_t rule_root = UINT32_MAX; ///< index into rule_steps(), or none
    bool turn_filter = false;             ///< a window or min_confidence
    bool call_conditions = false;         ///< metric or call-log conditions
  };

  /// Stems every phrase with its language's stemmer. `language_override`
  /// (--language) forces every call into that language: no detection.
  /// Throws std::invalid_argument for an unknown language.
  static CompiledTaxonomy compile(const Taxonomy& taxonomy,
                                  const std::string& language_override = {});

  const std::vector<Topic>& topics() const { return m_topics; }
  const std::string& name() const { return m_name; }
  /// Snowball name of lane 0 (the taxonomy's language, or a forced one).
  const std::string& stemmer_language() const { return m_lanes.front().language; }
  const std::vector<Lane>& lanes() const { return m_lanes; }
  /// The lane of a language code or name; 0 when the taxonomy has none for it.
  std::uint32_t lane_of(std::string_view code_or_name) const;
  /// ISO code every call is forced into (--language), or "".
  const std::string& forced_language() const { return m_forced; }
  const std::vector<Pattern>& patterns() const { return m_patterns; }
  const std::vector<TopicPlan>& plans() const { return m_plans; }
  const std::vector<RuleStep>& rule_steps() const { return m_rule_steps; }
  /// Whether a topic's rule holds, given which patterns have a counted hit
  /// (indexed by pattern id). True for a topic without a rule.
  bool rule_holds(std::uint32_t topic, const std::vector<std::uint8_t>& pattern_hit) const;
  bool has_windows() const { return m_has_windows; }
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
  /// One bit of a 64-bit filter per term: a word whose terms' bits miss a
  /// node's child_filter() continues no phrase there, and costs no probe
  /// (a node without children has an empty filter).
  static std::uint64_t term_bit(std::uint32_t term) {
    return std::uint64_t{1} << ((term * 0x9E3779B9u) >> 26);
  }
  std::uint64_t child_filter(std::uint32_t node) const { return m_nodes[node].child_filter; }
  /// Sequences that end at `node`.
  const std::vector<SequenceEnd>& sequences_ending_at(std::uint32_t node) const {
    return m_nodes[node].ends;
  }

  /// Appends to `out` the ids of every term of `table` a word satisfies,
  /// given its normalized (or, for a folded table, folded) form and the stem
  /// of that form. Used to fill the per-thread word cache.
  static void terms_for_word(const TermTable& table, std::string_view normalized,
                             std::string_view stem, std::vector<std::uint32_t>& out);
  bool is_negator(std::uint32_t lane, std::string_view normalized) const;

private:
  std::string m_name;
  std::vector<Lane> m_lanes;
  std::string m_forced;
  std::vector<Topic> m_topics;
  std::vector<Pattern> m_patterns;
  std::vector<TopicPlan> m_plans;
  std::vector<RuleStep> m_rule_steps;
  bool m_has_windows = false;
  struct Node {
    std::uint64_t child_filter = 0; ///< term_bit() of every child's term
    std::vector<SequenceEnd> ends;
  };
  bool eval_rule(std::uint32_t step, const std::vector<std::uint8_t>& pattern_hit) const;
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
};

/// A topic found in a call (only topics that reached min_hits are reported).
struct TopicMatch {
  std::uint32_t topic = 0;       ///< index into CompiledTaxonomy::topics()
  std::uint32_t hits = 0;        ///< counted hits (not negated, not excluded)
  std::uint32_t negated = 0;     ///< hits suppressed by negation
  std::uint32_t first_turn = 0;  ///< turn index of the first counted hit
  std::uint32_t first_begin = 0; ///< byte offsets of that hit in the turn text
  std::uint32_t first_end = 0;
  bool operator==(const TopicMatch&) const = default;
};

/// Evidence of one counted hit.
struct TopicHit {
  std::uint32_t topic = 0;       ///< index into CompiledTaxonomy::topics()
  std::uint32_t turn = 0;        ///< turn index
  std::uint32_t begin = 0;       ///< byte offsets in the turn text
  std::uint32_t end = 0;         ///< (a NEAR hit spans both sides)
  std::uint32_t pattern = 0;     ///< index into CompiledTaxonomy::patterns()
  std::optional<double> start_s; ///< the turn's start time, when known
  bool operator==(const TopicHit&) const = default;
};

/// At most this many hits per topic per call keep their evidence; all count.
inline constexpr std::uint32_t k_max_stored_hits = 32;

struct TagResult {
  std::vector<TopicMatch> topics; ///< ordered by topic index
  std::vector<TopicHit> hits;     ///< evidence of the topics' hits, by topic, in call order
  std::uint64_t words = 0;
  std::vector<std::uint32_t> turn_words; ///< words per turn, so call metrics need not re-tokenize
  CallLanguage language;                 ///< detected (or forced) language of the call
  bool operator==(const TagResult&) const = default;
};

/// What became of one phrase occurrence (for `callsight taxonomy test`).
enum class HitFate : std::uint8_t {
  counted,        ///< a hit (of a negative rule leaf: only makes the leaf true)
  overlapping,    ///< overlaps a hit already counted for the topic
  negated,        ///< a negator stands before it (negation "suppress")
  excluded,       ///< overlaps an exclude phrase of the topic
  outside_window, ///< its turn is outside the topic's window
  wrong_speaker,  ///< its turn's role is not the topic's speaker
  low_confidence, ///< its turn's ASR confidence is below min_confidence
};
std::string_view to_string(HitFate fate);

struct TracedHit {
  std::uint32_t topic = 0;
  std::uint32_t pattern = 0;
  std::uint32_t turn = 0;
  std::uint32_t begin = 0; ///< byte offsets in the turn text
  std::uint32_t end = 0;
  HitFate fate = HitFate::counted;
  /// negated: byte offsets of the negator; excluded: the exclude pattern id.
  std::uint32_t detail_begin = 0;
  std::uint32_t detail_end = 0;
};

/// The verdict on a topic that had any phrase occurrence in the call.
struct TopicTrace {
  std::uint32_t topic = 0;
  std::uint32_t hits = 0; ///< counted hits (phrases and positive rule leaves)
  /// The count min_hits is held against: hits of "phrases" entries, or of
  /// the rule's phrases in a topic without "phrases".
  std::uint32_t min_hits_count = 0;
  std::uint32_t negated = 0;
  bool rule_holds = true; ///< true without a rule
  bool fired = false;     ///< in TagResult::topics (before call conditions)
};

/// Everything tag() decided, occurrence by occurrence.
struct TagTrace {
  std::vector<TracedHit> hits;           ///< in turn order, then by position
  std::vector<TopicTrace> topics;        ///< by topic index
  std::vector<std::uint8_t> pattern_hit; ///< per pattern: has a counted hit
};

/// Per-thread matcher: owns a stemmer and a cache from each distinct word to
/// the terms it satisfies, so each word is normalized and stemmed once.
class Matcher {
public:
  explicit Matcher(const CompiledTaxonomy& taxonomy);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  /// Topics that reach min_hits (and whose rule holds), with their evidence.
  /// Speaker, window, min_confidence, exclusions and negation apply here;
  /// call-level conditions ("when" metrics and call_log) do not: see
  /// apply_call_conditions().
  TagResult tag(const Call& call);
  /// Same, reusing tokens already made for the call (one per turn, in order).
  TagResult tag(const Call& call, const TurnTokens& tokens);
  /// The same, also explaining every phrase occurrence in `trace`.
  TagResult tag(const Call& call, TagTrace& trace);
  const CompiledTaxonomy& taxonomy() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace callsight
