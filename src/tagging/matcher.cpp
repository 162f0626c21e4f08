// Matcher: compiles taxonomy phrases to sequences of term ids and finds them
// in a call's tokens, applying speaker, exclusion, negation and min-hit rules.
#include "callsight/matcher.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <tuple>

#include "callsight/conditions.hpp"
#include "callsight/text.hpp"

namespace callsight {
namespace {

// Words that negate a phrase standing up to k_negation_window words after
// them in the same clause: "not too expensive", "never cancelled".
constexpr std::array<std::string_view, 44> k_english_negators{
    "not",      "no",      "never",     "don't",    "dont",    "doesn't", "doesnt", "didn't",
    "didnt",    "isn't",   "isnt",      "wasn't",   "wasnt",   "aren't",  "arent",  "weren't",
    "werent",   "won't",   "wont",      "wouldn't", "wouldnt", "can't",   "cant",   "cannot",
    "couldn't", "couldnt", "shouldn't", "shouldnt", "haven't", "havent",  "hasn't", "hasnt",
    "hadn't",   "hadnt",   "without",   "nothing",  "nobody",  "none",    "hardly", "neither",
    "nor",      "ain't",   "aint",      "n't"};
constexpr std::size_t k_negation_window = 3;
// Words the vocabulary gives the long-word id are exactly those too long to
// be a phrase word.
static_assert(Vocabulary::k_max_word_bytes == k_max_phrase_word_bytes);

bool role_allowed(SpeakerFilter filter, Role role) {
  switch (filter) {
  case SpeakerFilter::customer:
    return role != Role::agent;
  case SpeakerFilter::agent:
    return role != Role::customer;
  case SpeakerFilter::any:
    break;
  }
  return true;
}

} // namespace

CompiledTaxonomy CompiledTaxonomy::compile(const Taxonomy& taxonomy,
                                           const std::string& language_override) {
  CompiledTaxonomy compiled;
  compiled.m_name = taxonomy.name;
  compiled.m_topics = taxonomy.topics;
  const std::string& language = language_override.empty() ? taxonomy.language : language_override;
  Stemmer stemmer(language); // throws for an unknown language
  compiled.m_language = stemmer.language();

  auto term_id = [&](const PhraseTerm& term) {
    std::unordered_map<std::string, std::uint32_t>* table = nullptr;
    std::string key;
    switch (term.kind) {
    case TermKind::stem:
      table = &compiled.m_stem_terms;
      key = std::string(stemmer.stem(term.text));
      break;
    case TermKind::exact:
      table = &compiled.m_exact_terms;
      key = term.text;
      break;
    case TermKind::prefix:
      table = &compiled.m_prefix_terms;
      key = term.text;
      break;
    }
    const auto [it, inserted] = table->emplace(key, compiled.m_term_count);
    if (inserted) {
      ++compiled.m_term_count;
      compiled.m_root_children.push_back(k_no_node);
      if (term.kind == TermKind::prefix) {
        compiled.m_prefix_lengths.push_back(key.size());
      }
    }
    return it->second;
  };

  std::unordered_map<std::uint64_t, std::uint32_t> edges; // trie edges while building
  auto add_sequence = [&](SequenceEnd end, std::span<const PhraseTerm> terms) {
    std::uint32_t node = k_no_node;
    for (std::size_t k = 0; k < terms.size(); ++k) {
      const std::uint32_t term = term_id(terms[k]);
      if (k == 0) {
        node = compiled.m_root_children[term];
        if (node == k_no_node) {
          node = static_cast<std::uint32_t>(compiled.m_nodes.size());
          compiled.m_nodes.emplace_back();
          compiled.m_root_children[term] = node;
        }
        continue;
      }
      const std::uint64_t edge = (std::uint64_t{node} << 32) | term;
      const auto next = static_cast<std::uint32_t>(compiled.m_nodes.size());
      const auto [it, inserted] = edges.emplace(edge, next);
      if (inserted) {
        compiled.m_nodes[node].children += 1;
        compiled.m_nodes.emplace_back();
      }
      node = it->second;
    }
    compiled.m_nodes[node].ends.push_back(end);
  };

  ParsedPhrase parsed;
  auto add_pattern = [&](std::uint32_t topic, const std::string& text, PatternRole role) {
    if (const std::optional<PhraseError> error = parse_phrase(text, parsed)) {
      throw std::invalid_argument("topic '" + taxonomy.topics[topic].id + "': phrase '" + text +
                                  "': " + error->message);
    }
    const auto id = static_cast<std::uint32_t>(compiled.m_patterns.size());
    compiled.m_patterns.push_back(Pattern{topic, role, parsed.near_distance, text});
    const TopicPlan& plan = compiled.m_plans[topic];
    const std::uint8_t flags = static_cast<std::uint8_t>(
        (plan.turn_filter ? k_turn_filter : 0) | (plan.rule_root != UINT32_MAX ? k_rule : 0));
    const std::span<const PhraseTerm> terms(parsed.terms);
    if (parsed.near_distance == 0) {
      add_sequence(SequenceEnd{id, topic, Side::whole, role, flags}, terms);
    } else {
      add_sequence(SequenceEnd{id, topic, Side::near_a, role, flags},
                   terms.first(parsed.near_split));
      add_sequence(SequenceEnd{id, topic, Side::near_b, role, flags},
                   terms.subspan(parsed.near_split));
    }
    return id;
  };
  // Fills rule step `slot` from `node`; a leaf's polarity is the parity of
  // the "not"s above it.
  auto add_rule = [&](auto& self, std::uint32_t topic, const RuleNode& node, bool negative,
                      std::uint32_t slot) -> void {
    if (node.op == RuleOp::phrase) {
      const std::uint32_t pattern = add_pattern(
          topic, node.phrase, negative ? PatternRole::negative_leaf : PatternRole::leaf);
      compiled.m_rule_steps[slot] = RuleStep{RuleOp::phrase, 0, 0, pattern};
      return;
    }
    const auto first = static_cast<std::uint32_t>(compiled.m_rule_steps.size());
    const auto count = static_cast<std::uint32_t>(node.children.size());
    compiled.m_rule_steps.resize(first + count);
    compiled.m_rule_steps[slot] = RuleStep{node.op, first, count, 0};
    for (std::uint32_t i = 0; i < count; ++i) {
      self(self, topic, node.children[i], negative != (node.op == RuleOp::not_), first + i);
    }
  };

  compiled.m_plans.resize(taxonomy.topics.size());
  for (std::uint32_t t = 0; t < taxonomy.topics.size(); ++t) {
    const Topic& topic = taxonomy.topics[t];
    TopicPlan& plan = compiled.m_plans[t];
    plan.turn_filter = topic.window.has_value() || topic.when.min_confidence.has_value();
    plan.call_conditions = !topic.when.metrics.empty() || !topic.when.call_log.empty();
    plan.phrases = static_cast<std::uint32_t>(topic.phrases.size());
    compiled.m_has_windows = compiled.m_has_windows || topic.window.has_value();
    if (topic.rule) {
      plan.rule_root = static_cast<std::uint32_t>(compiled.m_rule_steps.size());
      compiled.m_rule_steps.emplace_back();
    }
    plan.patterns_begin = static_cast<std::uint32_t>(compiled.m_patterns.size());
    for (const std::string& phrase : topic.phrases) {
      add_pattern(t, phrase, PatternRole::phrase);
    }
    for (const std::string& phrase : topic.exclude) {
      add_pattern(t, phrase, PatternRole::exclude);
    }
    if (topic.rule) {
      add_rule(add_rule, t, *topic.rule, false, compiled.m_plans[t].rule_root);
    }
    compiled.m_plans[t].patterns_end = static_cast<std::uint32_t>(compiled.m_patterns.size());
  }
  compiled.build_edge_table(edges);
  std::sort(compiled.m_prefix_lengths.begin(), compiled.m_prefix_lengths.end());
  compiled.m_prefix_lengths.erase(
      std::unique(compiled.m_prefix_lengths.begin(), compiled.m_prefix_lengths.end()),
      compiled.m_prefix_lengths.end());
  return compiled;
}

bool CompiledTaxonomy::rule_holds(std::uint32_t topic,
                                  const std::vector<std::uint8_t>& pattern_hit) const {
  const std::uint32_t root = m_plans[topic].rule_root;
  return root == UINT32_MAX || eval_rule(root, pattern_hit);
}

bool CompiledTaxonomy::eval_rule(std::uint32_t index,
                                 const std::vector<std::uint8_t>& pattern_hit) const {
  const RuleStep& step = m_rule_steps[index];
  switch (step.op) {
  case RuleOp::phrase:
    return step.pattern < pattern_hit.size() && pattern_hit[step.pattern] != 0;
  case RuleOp::not_:
    return !eval_rule(step.first_child, pattern_hit);
  case RuleOp::all_of:
  case RuleOp::any_of:
    break;
  }
  const bool all = step.op == RuleOp::all_of;
  for (std::uint32_t i = 0; i < step.children; ++i) {
    if (eval_rule(step.first_child + i, pattern_hit) != all) {
      return !all;
    }
  }
  return all;
}

void CompiledTaxonomy::build_edge_table(
    const std::unordered_map<std::uint64_t, std::uint32_t>& edges) {
  std::size_t capacity = 16;
  while (capacity < edges.size() * 2) {
    capacity *= 2;
  }
  m_edges.assign(capacity, Edge{});
  m_edge_mask = capacity - 1;
  for (const auto& [key, child] : edges) {
    std::size_t i = edge_hash(key) & m_edge_mask;
    while (m_edges[i].child != k_no_node) {
      i = (i + 1) & m_edge_mask;
    }
    m_edges[i] = Edge{key, child};
  }
}

void CompiledTaxonomy::terms_for_word(std::string_view normalized, std::string_view stem,
                                      std::vector<std::uint32_t>& out) const {
  // Heterogeneous lookup would avoid these copies, but this runs once per
  // distinct word per thread (the result is cached), so clarity wins.
  if (auto it = m_stem_terms.find(std::string(stem)); it != m_stem_terms.end()) {
    out.push_back(it->second);
  }
  if (auto it = m_exact_terms.find(std::string(normalized)); it != m_exact_terms.end()) {
    out.push_back(it->second);
  }
  for (std::size_t length : m_prefix_lengths) {
    if (length > normalized.size()) {
      break;
    }
    if (auto it = m_prefix_terms.find(std::string(normalized.substr(0, length)));
        it != m_prefix_terms.end()) {
      out.push_back(it->second);
    }
  }
}

bool CompiledTaxonomy::is_negator(std::string_view normalized) const {
  auto listed = [](std::string_view word) {
    return std::find(k_english_negators.begin(), k_english_negators.end(), word) !=
           k_english_negators.end();
  };
  if (listed(normalized)) {
    return true;
  }
  // "nothing's broken", "nobody's called": a contracted 's or 've keeps the negation.
  for (std::string_view suffix : {"'s", "'ve", "'d", "'ll"}) {
    if (normalized.ends_with(suffix) &&
        listed(normalized.substr(0, normalized.size() - suffix.size()))) {
      return true;
    }
  }
  return false;
}

// --- Matcher ------------------------------------------------------------------

std::string_view to_string(HitFate fate) {
  switch (fate) {
  case HitFate::counted:
    return "counted";
  case HitFate::overlapping:
    return "overlapping";
  case HitFate::negated:
    return "negated";
  case HitFate::excluded:
    return "excluded";
  case HitFate::outside_window:
    return "outside_window";
  case HitFate::wrong_speaker:
    return "wrong_speaker";
  case HitFate::low_confidence:
    return "low_confidence";
  }
  return "unknown";
}

struct Matcher::Impl {
  using PatternRole = CompiledTaxonomy::PatternRole;
  using Side = CompiledTaxonomy::Side;
  static constexpr std::uint32_t k_none = UINT32_MAX;

  // What the cache knows about one distinct word (indexed by its vocabulary id).
  struct WordInfo {
    std::uint32_t terms_begin = 0;
    std::uint32_t terms_count = 0;
    bool known = false; // filled in
    bool negator = false;
    bool starts_phrase = false; // some term is a phrase's first term
  };
  // One occurrence of a trie sequence (or, after combine_near, of a NEAR).
  struct PhraseMatch {
    std::uint32_t pattern;
    std::uint32_t topic;
    std::uint32_t start; // token index
    std::uint32_t length;
    Side side;
    PatternRole role;
    std::uint8_t flags;
  };
  struct TopicState {
    std::uint32_t hits = 0;
    std::uint32_t negated = 0;
    std::uint32_t first_turn = 0;
    std::uint32_t first_begin = 0;
    std::uint32_t first_end = 0;
    std::uint32_t last_end_token = 0; // dedupe overlapping hits in a turn
    std::uint32_t last_turn = k_none;
    // Topics with a rule: "phrases" entries reach min_hits on their own.
    std::uint32_t phrase_hits = 0;
    std::uint32_t phrase_last_end_token = 0;
    std::uint32_t phrase_last_turn = k_none;
    bool touched = false;
    std::vector<TopicHit> stored; // evidence, capped at k_max_stored_hits

    void reset() {
      std::vector<TopicHit> keep = std::move(stored);
      keep.clear();
      *this = TopicState{};
      stored = std::move(keep); // keeps its capacity for the next call
    }
  };

  explicit Impl(const CompiledTaxonomy& compiled)
      : taxonomy(compiled), stemmer(compiled.stemmer_language()),
        topic_states(compiled.topics().size()), pattern_hit(compiled.patterns().size(), 0) {}

  // The cache entry of the word with vocabulary id `id`, whose bytes are `raw`:
  // each distinct word is normalized and stemmed once.
  const WordInfo& word_info(std::uint32_t id, std::string_view raw) {
    WordInfo& info = infos[id];
    if (info.known) {
      return info;
    }
    if (id == Vocabulary::k_long_word) {
      raw = {}; // longer than any phrase word
    }
    normalized.clear();
    normalize_word(raw, normalized);
    info.known = true;
    info.terms_begin = static_cast<std::uint32_t>(word_terms.size());
    scratch_terms.clear();
    taxonomy.terms_for_word(normalized, stemmer.stem(normalized), scratch_terms);
    word_terms.insert(word_terms.end(), scratch_terms.begin(), scratch_terms.end());
    info.terms_count = static_cast<std::uint32_t>(scratch_terms.size());
    info.negator = taxonomy.is_negator(normalized);
    for (std::uint32_t term : scratch_terms) {
      info.starts_phrase =
          info.starts_phrase || taxonomy.root_child(term) != CompiledTaxonomy::k_no_node;
    }
    return info;
  }

  // Token index of a negator up to k_negation_window words before `start` in
  // its clause, or k_none.
  std::uint32_t negator_before(std::uint32_t start) const {
    std::size_t checked = 0;
    std::uint32_t i = start;
    while (checked < k_negation_window && i > 0 && !tokens[i].clause_start) {
      --i;
      if (infos[token_words[i]].negator) {
        return i;
      }
      ++checked;
    }
    return k_none;
  }

  // Every phrase occurrence in the current turn, in order of start word.
  void find_matches() {
    matches.clear();
    for (std::uint32_t i = 0; i < token_words.size(); ++i) {
      const WordInfo& info = infos[token_words[i]];
      if (!info.starts_phrase) {
        continue;
      }
      for (std::uint32_t k = 0; k < info.terms_count; ++k) {
        const std::uint32_t node = taxonomy.root_child(word_terms[info.terms_begin + k]);
        if (node != CompiledTaxonomy::k_no_node) {
          walk(node, i, 1);
        }
      }
    }
  }

  // Depth-first through the trie from `node`, reached by words [start, start + length).
  void walk(std::uint32_t node, std::uint32_t start, std::uint32_t length) {
    for (const CompiledTaxonomy::SequenceEnd& end : taxonomy.sequences_ending_at(node)) {
      matches.push_back(
          PhraseMatch{end.pattern, end.topic, start, length, end.side, end.role, end.flags});
    }
    const std::uint32_t next = start + length;
    if (next >= token_words.size() || !taxonomy.has_children(node)) {
      return;
    }
    const WordInfo& info = infos[token_words[next]];
    for (std::uint32_t k = 0; k < info.terms_count; ++k) {
      const std::uint32_t child = taxonomy.child(node, word_terms[info.terms_begin + k]);
      if (child != CompiledTaxonomy::k_no_node) {
        walk(child, start, length + 1);
      }
    }
  }

  // Adds one match per occurrence of a NEAR's first side that has the other
  // side within its distance (the closest one, either order, not
  // overlapping), spanning both; then restores start order.
  void combine_near() {
    near_parts.clear();
    for (const PhraseMatch& m : matches) {
      if (m.side != Side::whole) {
        near_parts.push_back(m);
      }
    }
    std::sort(near_parts.begin(), near_parts.end(), [](const PhraseMatch& a, const PhraseMatch& b) {
      return std::tie(a.pattern, a.side, a.start) < std::tie(b.pattern, b.side, b.start);
    });
    const auto& patterns = taxonomy.patterns();
    for (std::size_t i = 0; i < near_parts.size();) {
      const std::uint32_t pattern = near_parts[i].pattern;
      std::size_t b_begin = i;
      while (b_begin < near_parts.size() && near_parts[b_begin].pattern == pattern &&
             near_parts[b_begin].side == Side::near_a) {
        ++b_begin;
      }
      std::size_t b_end = b_begin;
      while (b_end < near_parts.size() && near_parts[b_end].pattern == pattern) {
        ++b_end;
      }
      const std::uint32_t distance = patterns[pattern].near_distance;
      for (std::size_t a = i; a < b_begin; ++a) {
        const PhraseMatch& first = near_parts[a];
        // Every B of one pattern has the same length, so B ends ascend with
        // starts: only Bs starting in [a.start - distance - length, a.end +
        // distance] can be close enough.
        std::size_t b = b_begin;
        if (b < b_end) {
          const std::uint32_t reach = distance + near_parts[b_begin].length;
          const std::uint32_t lowest = first.start > reach ? first.start - reach : 0;
          b = static_cast<std::size_t>(
              std::lower_bound(
                  near_parts.begin() + static_cast<std::ptrdiff_t>(b_begin),
                  near_parts.begin() + static_cast<std::ptrdiff_t>(b_end), lowest,
                  [](const PhraseMatch& m, std::uint32_t value) { return m.start < value; }) -
              near_parts.begin());
        }
        std::uint32_t best_start = 0;
        std::uint32_t best_length = k_none;
        const std::uint32_t a_end = first.start + first.length;
        for (; b < b_end && near_parts[b].start <= a_end + distance; ++b) {
          const PhraseMatch& second = near_parts[b];
          const std::uint32_t b_stop = second.start + second.length;
          std::uint32_t gap = 0;
          if (second.start >= a_end) {
            gap = second.start - a_end;
          } else if (b_stop <= first.start) {
            gap = first.start - b_stop;
          } else {
            continue; // the two sides overlap
          }
          const std::uint32_t span_start = std::min(first.start, second.start);
          const std::uint32_t span_length = std::max(a_end, b_stop) - span_start;
          if (gap <= distance && span_length < best_length) {
            best_start = span_start;
            best_length = span_length;
          }
        }
        if (best_length != k_none) {
          matches.push_back(PhraseMatch{pattern, first.topic, best_start, best_length, Side::whole,
                                        first.role, first.flags});
        }
      }
      i = b_end;
    }
    std::stable_sort(matches.begin(), matches.end(),
                     [](const PhraseMatch& a, const PhraseMatch& b) { return a.start < b.start; });
  }

  // The exclude pattern of the hit's topic that overlaps it, or k_none.
  std::uint32_t excluder(const PhraseMatch& hit) const {
    for (const PhraseMatch& other : matches) {
      if (other.role == PatternRole::exclude && other.side == Side::whole &&
          other.topic == hit.topic && other.start < hit.start + hit.length &&
          hit.start < other.start + other.length) {
        return other.pattern;
      }
    }
    return k_none;
  }

  // Window and min_confidence of a topic that has them.
  HitFate turn_fate(const Topic& topic, std::uint32_t turn_index, const Turn& turn) const {
    if (topic.window &&
        window_verdict(*topic.window, span, turn_index, turn) != WindowVerdict::inside) {
      return HitFate::outside_window;
    }
    if (topic.when.min_confidence && turn.confidence &&
        *turn.confidence < *topic.when.min_confidence) {
      return HitFate::low_confidence;
    }
    return HitFate::counted;
  }

  void trace_hit(const PhraseMatch& m, std::uint32_t turn_index, HitFate fate,
                 std::uint32_t detail_begin = 0, std::uint32_t detail_end = 0) {
    const Token& last = tokens[m.start + m.length - 1];
    trace->hits.push_back(TracedHit{m.topic, m.pattern, turn_index, tokens[m.start].begin,
                                    last.begin + last.length, fate, detail_begin, detail_end});
  }
  void trace_negated(const PhraseMatch& m, std::uint32_t turn_index, std::uint32_t negator) {
    trace_hit(m, turn_index, HitFate::negated, tokens[negator].begin,
              tokens[negator].begin + tokens[negator].length);
  }

  template <bool Trace> void score_turn(std::uint32_t turn_index, const Turn& turn) {
    const auto& topics = taxonomy.topics();
    bool any_exclusion = false;
    bool any_near = false;
    for (const PhraseMatch& m : matches) {
      any_exclusion = any_exclusion || m.role == PatternRole::exclude;
      any_near = any_near || m.side != Side::whole;
    }
    if (any_near) {
      combine_near();
    }
    for (const PhraseMatch& m : matches) {
      if (m.role == PatternRole::exclude || m.side != Side::whole) {
        continue;
      }
      const Topic& topic = topics[m.topic];
      HitFate fate = HitFate::counted;
      if (!role_allowed(topic.speaker, turn.role)) {
        fate = HitFate::wrong_speaker;
      } else if ((m.flags & CompiledTaxonomy::k_turn_filter) != 0) {
        fate = turn_fate(topic, turn_index, turn);
      }
      std::uint32_t excluded_by = k_none;
      if (fate == HitFate::counted && any_exclusion) {
        excluded_by = excluder(m);
        fate = excluded_by != k_none ? HitFate::excluded : fate;
      }
      if (fate != HitFate::counted) {
        if constexpr (Trace) {
          trace_hit(m, turn_index, fate, excluded_by, 0);
        }
        continue;
      }
      TopicState& state = topic_states[m.topic];
      if (!state.touched) {
        state.touched = true;
        touched.push_back(m.topic);
      }
      const bool suppress = topic.negation == NegationMode::suppress;
      std::uint32_t negator = k_none;
      if ((m.flags & CompiledTaxonomy::k_rule) != 0) {
        // A rule leaf is true once it has a hit, even one that overlaps a
        // hit already counted; "phrases" reach min_hits on their own.
        negator = suppress ? negator_before(m.start) : k_none;
        if (negator == k_none) {
          pattern_hit[m.pattern] = 1;
          if (m.role == PatternRole::phrase &&
              !(state.phrase_last_turn == turn_index && m.start < state.phrase_last_end_token)) {
            ++state.phrase_hits;
            state.phrase_last_turn = turn_index;
            state.phrase_last_end_token = m.start + m.length;
          }
        }
        if (m.role == PatternRole::negative_leaf) {
          if constexpr (Trace) {
            negator == k_none ? trace_hit(m, turn_index, HitFate::counted)
                              : trace_negated(m, turn_index, negator);
          }
          continue;
        }
      }
      if (state.last_turn == turn_index && m.start < state.last_end_token) {
        if constexpr (Trace) {
          trace_hit(m, turn_index, HitFate::overlapping);
        }
        continue; // overlaps a hit already counted for this topic
      }
      if (suppress && (m.flags & CompiledTaxonomy::k_rule) == 0) {
        negator = negator_before(m.start);
      }
      if (negator != k_none) {
        ++state.negated;
        if constexpr (Trace) {
          trace_negated(m, turn_index, negator);
        }
        continue;
      }
      const std::uint32_t begin = tokens[m.start].begin;
      const Token& last = tokens[m.start + m.length - 1];
      const std::uint32_t end = last.begin + last.length;
      if (state.hits == 0) {
        state.first_turn = turn_index;
        state.first_begin = begin;
        state.first_end = end;
      }
      ++state.hits;
      state.last_turn = turn_index;
      state.last_end_token = m.start + m.length;
      if (state.stored.size() < k_max_stored_hits) {
        state.stored.push_back(TopicHit{m.topic, turn_index, begin, end, m.pattern, turn.start_s});
      }
      if constexpr (Trace) {
        trace_hit(m, turn_index, HitFate::counted);
      }
    }
  }

  template <bool Trace> TagResult tag(const Call& call) {
    tokenize_turns(call.turns, own_turns);
    return tag<Trace>(call, own_turns);
  }

  template <bool Trace> TagResult tag(const Call& call, const TurnTokens& turn_tokens) {
    TagResult result;
    touched.clear();
    if (taxonomy.has_windows()) {
      span = call_span(call);
    }
    // The cache is indexed by the tokens' vocabulary ids: a vocabulary that
    // started over (bounding its memory) or another one means starting over.
    const Vocabulary& vocabulary = turn_tokens.vocabulary();
    if (vocabulary.stamp() != vocabulary_stamp) {
      vocabulary_stamp = vocabulary.stamp();
      infos.clear();
      word_terms.clear();
    }
    infos.resize(std::max<std::size_t>(infos.size(), vocabulary.size()));
    for (std::uint32_t t = 0; t < call.turns.size(); ++t) {
      const Turn& turn = call.turns[t];
      tokens = turn_tokens.turn(t);
      token_words = turn_tokens.words(t);
      result.words += tokens.size();
      result.turn_words.push_back(static_cast<std::uint32_t>(tokens.size()));
      bool any_terms = false;
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string_view raw(turn.text.data() + tokens[i].begin, tokens[i].length);
        const WordInfo& info = word_info(token_words[i], raw); // fills the cache: not in ||
        any_terms = any_terms || info.terms_count > 0;
      }
      if (!any_terms) {
        continue;
      }
      find_matches();
      score_turn<Trace>(t, turn);
    }
    std::sort(touched.begin(), touched.end());
    if constexpr (Trace) {
      trace->pattern_hit = pattern_hit;
    }
    for (std::uint32_t topic : touched) {
      TopicState& state = topic_states[topic];
      const CompiledTaxonomy::TopicPlan& plan = taxonomy.plans()[topic];
      const bool has_rule = plan.rule_root != k_none;
      const bool rule_holds = !has_rule || taxonomy.rule_holds(topic, pattern_hit);
      // With "phrases", they alone must reach min_hits; a rule-only topic
      // counts the hits of its rule's phrases.
      const std::uint32_t counted = has_rule && plan.phrases > 0 ? state.phrase_hits : state.hits;
      const bool fired =
          state.hits > 0 && counted >= taxonomy.topics()[topic].min_hits && rule_holds;
      if (fired) {
        result.topics.push_back(TopicMatch{topic, state.hits, state.negated, state.first_turn,
                                           state.first_begin, state.first_end});
        result.hits.insert(result.hits.end(), state.stored.begin(), state.stored.end());
      }
      if constexpr (Trace) {
        trace->topics.push_back(
            TopicTrace{topic, state.hits, counted, state.negated, rule_holds, fired});
      }
      if (has_rule) {
        std::fill(pattern_hit.begin() + plan.patterns_begin,
                  pattern_hit.begin() + plan.patterns_end, 0);
      }
      state.reset();
    }
    return result;
  }

  const CompiledTaxonomy& taxonomy;
  Stemmer stemmer;
  std::uint64_t vocabulary_stamp = 0; // of the vocabulary `infos` is indexed by
  std::vector<WordInfo> infos;
  std::vector<std::uint32_t> word_terms;
  std::vector<std::uint32_t> scratch_terms;
  std::string normalized;
  TurnTokens own_turns;                       // for calls tagged without a TurnTokens
  std::span<const Token> tokens;              // the current turn's
  std::span<const std::uint32_t> token_words; // their vocabulary ids
  std::vector<PhraseMatch> matches;
  std::vector<PhraseMatch> near_parts;
  std::vector<TopicState> topic_states;
  std::vector<std::uint32_t> touched;
  std::vector<std::uint8_t> pattern_hit; // per pattern, for rules; reset per touched topic
  CallSpan span;                         // of the call being tagged, when windows need it
  TagTrace* trace = nullptr;
};

Matcher::Matcher(const CompiledTaxonomy& taxonomy) : m_impl(std::make_unique<Impl>(taxonomy)) {}
Matcher::~Matcher() = default;

TagResult Matcher::tag(const Call& call) {
  return m_impl->tag<false>(call);
}

const CompiledTaxonomy& Matcher::taxonomy() const {
  return m_impl->taxonomy;
}

TagResult Matcher::tag(const Call& call, TagTrace& trace) {
  trace = TagTrace{};
  m_impl->trace = &trace;
  TagResult result = m_impl->tag<true>(call);
  m_impl->trace = nullptr;
  return result;
}

TagResult Matcher::tag(const Call& call, const TurnTokens& tokens) {
  return m_impl->tag<false>(call, tokens);
}

} // namespace callsight
