// Matcher: compiles taxonomy phrases to sequences of term ids and finds them
// in a call's tokens, applying speaker, exclusion, negation and min-hit rules.
#include "callsight/matcher.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <tuple>

#include "callsight/conditions.hpp"
#include "callsight/language.hpp"
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
// The other languages' negators, written for the project: the adverbs,
// determiners and prepositions that turn "I want to cancel" into its opposite.
constexpr std::array<std::string_view, 12> k_spanish_negators{
    "no", "nunca", "jamás",  "tampoco", "nada",    "nadie",
    "ni", "sin",   "ningún", "ninguna", "ninguno", "jamas"};
constexpr std::array<std::string_view, 9> k_french_negators{
    "ne", "pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "non"};
constexpr std::array<std::string_view, 12> k_german_negators{
    "nicht", "kein",    "keine",  "keinen", "keiner", "keinem",
    "nie",   "niemals", "nichts", "ohne",   "weder",  "niemand"};
constexpr std::array<std::string_view, 11> k_portuguese_negators{
    "não",    "nao",     "nunca", "jamais",  "nem",    "nada",
    "nenhum", "nenhuma", "sem",   "ninguém", "ninguem"};
constexpr std::array<std::string_view, 10> k_italian_negators{
    "non", "mai", "nessun", "nessuno", "nessuna", "niente", "nulla", "senza", "né", "ne"};
constexpr std::array<std::string_view, 7> k_dutch_negators{"niet",   "geen", "nooit",  "niets",
                                                           "zonder", "noch", "niemand"};

std::span<const std::string_view> negators_of(std::string_view language) {
  if (language == "english" || language == "porter") {
    return k_english_negators;
  }
  if (language == "spanish") {
    return k_spanish_negators;
  }
  if (language == "french") {
    return k_french_negators;
  }
  if (language == "german") {
    return k_german_negators;
  }
  if (language == "portuguese") {
    return k_portuguese_negators;
  }
  if (language == "italian") {
    return k_italian_negators;
  }
  if (language == "dutch") {
    return k_dutch_negators;
  }
  return {};
}
constexpr std::size_t k_negation_window = 3;

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
  // Lanes: the taxonomy's language, then each other language in file order.
  std::vector<std::unique_ptr<Stemmer>> stemmers; // one per lane
  auto add_lane = [&](const std::string& language) {
    stemmers.push_back(std::make_unique<Stemmer>(language)); // throws for an unknown language
    Lane lane;
    lane.language = stemmers.back()->language();
    lane.code = language_code(lane.language);
    lane.negators = negators_of(lane.language);
    lane.elided_negation = lane.language == "french";
    compiled.m_lanes.push_back(std::move(lane));
  };
  const std::string forced = stemmer_language_name(language_override);
  if (!language_override.empty() && forced.empty()) {
    throw std::invalid_argument("unknown stemmer language '" + language_override + "'");
  }
  bool forced_has_phrases = forced == stemmer_language_name(taxonomy.language);
  for (const Topic& topic : taxonomy.topics) {
    for (const LanguagePhrases& other : topic.translations) {
      forced_has_phrases = forced_has_phrases || stemmer_language_name(other.language) == forced;
    }
  }
  // A forced language the taxonomy has no phrases in: its own phrases are
  // read as written in it (what --language always meant for one-language
  // taxonomies).
  add_lane(forced.empty() || forced_has_phrases ? taxonomy.language : forced);
  for (const Topic& topic : taxonomy.topics) {
    for (const LanguagePhrases& other : topic.translations) {
      if (compiled.lane_of(other.language) == 0 &&
          stemmer_language_name(other.language) != compiled.m_lanes[0].language) {
        add_lane(other.language);
      }
    }
  }
  compiled.m_forced = forced.empty() ? std::string() : language_code(forced);

  std::uint32_t lane = 0; // of the pattern being added
  bool folded = false;    // its topic ignores accents
  std::string folded_text;
  auto term_id = [&](const PhraseTerm& term) {
    TermTable& terms = folded ? compiled.m_lanes[lane].folded : compiled.m_lanes[lane].plain;
    std::string_view text = term.text;
    if (folded) {
      folded_text.clear();
      fold_accents(term.text, folded_text);
      text = folded_text;
    }
    std::unordered_map<std::string, std::uint32_t>* table = nullptr;
    std::string key;
    switch (term.kind) {
    case TermKind::stem:
      table = &terms.stems;
      key = std::string(stemmers[lane]->stem(text));
      break;
    case TermKind::exact:
      table = &terms.exact;
      key = std::string(text);
      break;
    case TermKind::prefix:
      table = &terms.prefixes;
      key = std::string(text);
      break;
    }
    const auto [it, inserted] = table->emplace(key, compiled.m_term_count);
    if (inserted) {
      ++compiled.m_term_count;
      compiled.m_root_children.push_back(k_no_node);
      if (term.kind == TermKind::prefix) {
        terms.prefix_lengths.push_back(key.size());
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
      compiled.m_nodes[node].child_filter |= term_bit(term);
      if (inserted) {
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
    compiled.m_patterns.push_back(Pattern{topic, role, parsed.near_distance, text, lane});
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
    for (const LanguagePhrases& other : topic.translations) {
      plan.phrases += static_cast<std::uint32_t>(other.phrases.size());
    }
    compiled.m_has_windows = compiled.m_has_windows || topic.window.has_value();
    if (topic.rule) {
      plan.rule_root = static_cast<std::uint32_t>(compiled.m_rule_steps.size());
      compiled.m_rule_steps.emplace_back();
    }
    plan.patterns_begin = static_cast<std::uint32_t>(compiled.m_patterns.size());
    folded = topic.accent_insensitive;
    lane = 0;
    for (const std::string& phrase : topic.phrases) {
      add_pattern(t, phrase, PatternRole::phrase);
    }
    for (const std::string& phrase : topic.exclude) {
      add_pattern(t, phrase, PatternRole::exclude);
    }
    for (const LanguagePhrases& other : topic.translations) {
      lane = compiled.lane_of(other.language);
      for (const std::string& phrase : other.phrases) {
        add_pattern(t, phrase, PatternRole::phrase);
      }
      for (const std::string& phrase : other.exclude) {
        add_pattern(t, phrase, PatternRole::exclude);
      }
    }
    lane = 0; // rule leaves are in the taxonomy's language
    if (topic.rule) {
      add_rule(add_rule, t, *topic.rule, false, compiled.m_plans[t].rule_root);
    }
    compiled.m_plans[t].patterns_end = static_cast<std::uint32_t>(compiled.m_patterns.size());
  }
  compiled.build_edge_table(edges);
  for (Lane& each : compiled.m_lanes) {
    for (TermTable* table : {&each.plain, &each.folded}) {
      std::vector<std::size_t>& lengths = table->prefix_lengths;
      std::sort(lengths.begin(), lengths.end());
      lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
    }
  }
  return compiled;
}

std::uint32_t CompiledTaxonomy::lane_of(std::string_view code_or_name) const {
  const std::string name = stemmer_language_name(code_or_name);
  for (std::uint32_t i = 0; i < m_lanes.size(); ++i) {
    if (m_lanes[i].language == name) {
      return i;
    }
  }
  return 0;
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

void CompiledTaxonomy::terms_for_word(const TermTable& table, std::string_view normalized,
                                      std::string_view stem, std::vector<std::uint32_t>& out) {
  // Heterogeneous lookup would avoid these copies, but this runs once per
  // distinct word per thread (the result is cached), so clarity wins.
  if (auto it = table.stems.find(std::string(stem)); it != table.stems.end()) {
    out.push_back(it->second);
  }
  if (auto it = table.exact.find(std::string(normalized)); it != table.exact.end()) {
    out.push_back(it->second);
  }
  for (std::size_t length : table.prefix_lengths) {
    if (length > normalized.size()) {
      break;
    }
    if (auto it = table.prefixes.find(std::string(normalized.substr(0, length)));
        it != table.prefixes.end()) {
      out.push_back(it->second);
    }
  }
}

bool CompiledTaxonomy::is_negator(std::uint32_t lane, std::string_view normalized) const {
  const Lane& info = m_lanes[lane];
  auto listed = [&](std::string_view word) {
    return std::find(info.negators.begin(), info.negators.end(), word) != info.negators.end();
  };
  if (listed(normalized) || (info.elided_negation && normalized.starts_with("n'"))) {
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

  // What the cache knows about one distinct word.
  struct WordInfo {
    std::uint32_t terms_begin = 0;
    std::uint32_t terms_count = 0;
    bool negator = false;
    bool starts_phrase = false;  // some term is a phrase's first term
    std::uint64_t term_bits = 0; // CompiledTaxonomy::term_bit() of its terms
    StopwordMask stopword = 0;   // for language detection
    bool known = false;          // filled in (false: not looked up yet)
  };
  // The word cache of one language of the taxonomy, indexed by the word's
  // id in the tokens' Vocabulary: a token costs one array read, with no
  // indirection (memory latency, not instructions, is what tagging waits
  // on). It starts over with the vocabulary, so it is bounded by its size.
  struct LaneCache {
    explicit LaneCache(const std::string& language) : stemmer(language) {}
    Stemmer stemmer;
    std::vector<WordInfo> infos; // by vocabulary id
    std::vector<std::uint32_t> word_terms;
    std::uint64_t vocabulary_stamp = 0;
    // Before looking up tokens of `vocabulary`.
    void use(const Vocabulary& vocabulary) {
      if (vocabulary.stamp() != vocabulary_stamp) {
        vocabulary_stamp = vocabulary.stamp();
        infos.clear();
        word_terms.clear();
      }
      infos.resize(vocabulary.size());
    }
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
      : taxonomy(compiled), topic_states(compiled.topics().size()),
        pattern_hit(compiled.patterns().size(), 0) {
    for (const CompiledTaxonomy::Lane& each : compiled.lanes()) {
      lanes.push_back(std::make_unique<LaneCache>(each.language));
    }
    lane = lanes.front().get();
  }

  // What the current lane knows about the word `raw`.
  WordInfo make_info(std::string_view raw) {
    normalized.clear();
    normalize_word(raw, normalized);
    WordInfo info;
    info.terms_begin = static_cast<std::uint32_t>(lane->word_terms.size());
    scratch_terms.clear();
    const CompiledTaxonomy::Lane& terms = taxonomy.lanes()[lane_index];
    std::string_view stem;
    if (!terms.plain.empty()) {
      stem = lane->stemmer.stem(normalized);
      CompiledTaxonomy::terms_for_word(terms.plain, normalized, stem, scratch_terms);
    }
    if (!terms.folded.empty()) {
      folded.clear();
      fold_accents(normalized, folded);
      // Most words have no accent: their stem is already known.
      if (terms.plain.empty() || folded != normalized) {
        stem = lane->stemmer.stem(folded);
      }
      CompiledTaxonomy::terms_for_word(terms.folded, folded, stem, scratch_terms);
    }
    lane->word_terms.insert(lane->word_terms.end(), scratch_terms.begin(), scratch_terms.end());
    info.terms_count = static_cast<std::uint32_t>(scratch_terms.size());
    info.negator = taxonomy.is_negator(lane_index, normalized);
    info.stopword = StopwordIndex::built_in().mask(normalized);
    for (std::uint32_t term : scratch_terms) {
      info.starts_phrase =
          info.starts_phrase || taxonomy.root_child(term) != CompiledTaxonomy::k_no_node;
      info.term_bits |= CompiledTaxonomy::term_bit(term);
    }
    info.known = true;
    return info;
  }

  // Token index of a negator up to k_negation_window words before `start` in
  // its clause, or k_none.
  std::uint32_t negator_before(std::uint32_t start) const {
    const std::vector<WordInfo>& infos = lane->infos;
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

  // Every phrase occurrence in the current turn, in order of start word;
  // `starts`: the positions of its words that start some phrase.
  void find_matches(std::span<const std::uint32_t> starts) {
    const std::vector<WordInfo>& infos = lane->infos;
    const std::vector<std::uint32_t>& word_terms = lane->word_terms;
    matches.clear();
    for (const std::uint32_t i : starts) {
      const WordInfo& info = infos[token_words[i]];
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
    if (next >= token_words.size()) {
      return;
    }
    const WordInfo& info = lane->infos[token_words[next]];
    if ((taxonomy.child_filter(node) & info.term_bits) == 0) {
      return; // no term of the next word leads on from here (or no child at all)
    }
    const std::vector<std::uint32_t>& word_terms = lane->word_terms;
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

  void use_lane(std::uint32_t index) {
    lane_index = index;
    lane = lanes[index].get();
    lane->use(*vocabulary);
  }

  // Makes sure the current lane's cache knows the words of `turn` (tokens
  // and their vocabulary ids), and writes to `starts` (room for one per
  // token) the positions of the words that start some phrase; returns how
  // many. Adds stop-word evidence when given. Positions are kept without a
  // branch: about half the words of a call start some phrase, unpredictably.
  std::uint32_t lookup_turn(const Turn& turn, std::span<const Token> turn_tokens,
                            std::span<const std::uint32_t> ids, std::uint32_t* starts,
                            LanguageEvidence* turn_evidence) {
    std::uint32_t found = 0;
    std::vector<WordInfo>& infos = lane->infos;
    for (std::size_t i = 0; i < turn_tokens.size(); ++i) {
      WordInfo& info = infos[ids[i]];
      if (!info.known) {
        const std::string_view raw(turn.text.data() + turn_tokens[i].begin, turn_tokens[i].length);
        // An overlong word (they all share one id) is no phrase word.
        info = make_info(raw.size() > k_max_phrase_word_bytes ? std::string_view() : raw);
      }
      starts[found] = static_cast<std::uint32_t>(i);
      found += info.starts_phrase ? 1 : 0;
      if (turn_evidence != nullptr) {
        turn_evidence->add(info.stopword);
      }
    }
    if (turn_evidence != nullptr) {
      turn_evidence->words = static_cast<std::uint32_t>(turn_tokens.size());
    }
    return found;
  }

  template <bool Trace> TagResult tag(const Call& call, const TurnTokens& turn_tokens) {
    TagResult result;
    touched.clear();
    if (taxonomy.has_windows()) {
      span = call_span(call);
    }
    const auto turns = static_cast<std::uint32_t>(call.turns.size());
    // Pass 1: every word through the first lane's cache (the taxonomy's
    // language, or the forced one), gathering stop-word evidence. The caches
    // follow the tokens' vocabulary, which starts over only between calls
    // (bounded memory on unbounded vocabularies): the indexes below stay valid.
    const bool detect = taxonomy.forced_language().empty();
    const std::uint32_t first_lane = detect ? 0 : taxonomy.lane_of(taxonomy.forced_language());
    vocabulary = &turn_tokens.vocabulary();
    use_lane(first_lane);
    turn_starts.assign(turns, 0);
    call_starts.resize(turn_tokens.total_tokens());
    evidence.assign(detect ? turns : 0, LanguageEvidence{});
    std::size_t offset = 0; // of the turn's first token in the call
    for (std::uint32_t t = 0; t < turns; ++t) {
      const std::span<const Token> turn_tokens_t = turn_tokens.turn(t);
      result.words += turn_tokens_t.size();
      result.turn_words.push_back(static_cast<std::uint32_t>(turn_tokens_t.size()));
      turn_starts[t] = lookup_turn(call.turns[t], turn_tokens_t, turn_tokens.words(t),
                                   call_starts.data() + offset, detect ? &evidence[t] : nullptr);
      offset += turn_tokens_t.size();
    }
    LanguageDecision decision =
        detect ? detect_call_language(call, evidence, taxonomy.lanes().front().code)
               : forced_language(turns, taxonomy.forced_language());
    code_lanes.clear();
    for (const std::string& code : decision.codes) {
      code_lanes.push_back(taxonomy.lane_of(code));
    }
    // Pass 2: match each turn in its language's lane.
    offset = 0;
    for (std::uint32_t t = 0; t < turns; ++t) {
      const Turn& turn = call.turns[t];
      tokens = turn_tokens.turn(t);
      token_words = turn_tokens.words(t);
      const std::uint32_t turn_lane = code_lanes[decision.turn_language[t]];
      std::span<const std::uint32_t> starts(call_starts.data() + offset, turn_starts[t]);
      offset += tokens.size();
      if (turn_lane != lane_index) {
        use_lane(turn_lane);
      }
      if (turn_lane != first_lane) {
        lane_starts.resize(tokens.size());
        starts = std::span<const std::uint32_t>(
            lane_starts.data(),
            lookup_turn(turn, tokens, token_words, lane_starts.data(), nullptr));
      }
      if (starts.empty()) {
        continue;
      }
      find_matches(starts);
      score_turn<Trace>(t, turn);
    }
    result.language = std::move(decision.call);
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
  std::vector<std::unique_ptr<LaneCache>> lanes; // one per taxonomy lane
  LaneCache* lane = nullptr;                     // the current turn's
  std::uint32_t lane_index = 0;
  std::vector<std::uint32_t> scratch_terms;
  std::string normalized;
  std::string folded;
  TurnTokens own_turns;                       // for calls tagged without a TurnTokens
  std::span<const Token> tokens;              // the current turn's
  std::span<const std::uint32_t> token_words; // vocabulary id of each of the turn's words
  const Vocabulary* vocabulary = nullptr;     // of the call being tagged
  std::vector<std::uint32_t> call_starts; // pass 1: phrase-start positions, at each turn's offset
  std::vector<std::uint32_t> turn_starts; // pass 1: how many each turn has
  std::vector<std::uint32_t> lane_starts; // pass 2: those of a turn looked up in another lane
  std::vector<LanguageEvidence> evidence; // per turn
  std::vector<std::uint32_t> code_lanes;  // lane of each language of the call
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
