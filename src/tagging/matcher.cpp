// Matcher: compiles taxonomy phrases to sequences of term ids and finds them
// in a call's tokens, applying speaker, exclusion, negation and min-hit rules.
#include "callsight/matcher.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "callsight/text.hpp"

#include "util/word_table.hpp"

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

// Words that exceed this are not words a phrase can match; skip the cache.
constexpr std::size_t k_max_word_bytes = 64;
// The word cache is cleared when it grows past this many entries, so memory
// stays bounded on corpora with unbounded vocabularies (ids, numbers, typos).
constexpr std::size_t k_max_cached_words = 1u << 20;

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

  std::vector<PhraseTerm> terms;
  std::unordered_map<std::uint64_t, std::uint32_t> edges; // trie edges while building
  auto add_phrase = [&](std::uint32_t topic, const std::string& phrase, bool exclusion) {
    const std::string error = parse_phrase(phrase, terms);
    if (!error.empty()) {
      throw std::invalid_argument("topic '" + taxonomy.topics[topic].id + "': phrase '" + phrase +
                                  "': " + error);
    }
    CompiledPhrase compiled_phrase{topic, exclusion, {}};
    for (const PhraseTerm& term : terms) {
      compiled_phrase.terms.push_back(term_id(term));
    }
    const auto id = static_cast<std::uint32_t>(compiled.m_phrases.size());
    std::uint32_t node = compiled.m_root_children[compiled_phrase.terms.front()];
    if (node == k_no_node) {
      node = static_cast<std::uint32_t>(compiled.m_nodes.size());
      compiled.m_nodes.emplace_back();
      compiled.m_root_children[compiled_phrase.terms.front()] = node;
    }
    for (std::size_t k = 1; k < compiled_phrase.terms.size(); ++k) {
      const std::uint64_t edge = (std::uint64_t{node} << 32) | compiled_phrase.terms[k];
      const auto next = static_cast<std::uint32_t>(compiled.m_nodes.size());
      const auto [it, inserted] = edges.emplace(edge, next);
      if (inserted) {
        compiled.m_nodes[node].children += 1;
        compiled.m_nodes.emplace_back();
      }
      node = it->second;
    }
    compiled.m_nodes[node].phrases.push_back(id);
    compiled.m_phrases.push_back(std::move(compiled_phrase));
  };
  for (std::uint32_t t = 0; t < taxonomy.topics.size(); ++t) {
    for (const std::string& phrase : taxonomy.topics[t].phrases) {
      add_phrase(t, phrase, false);
    }
    for (const std::string& phrase : taxonomy.topics[t].exclude) {
      add_phrase(t, phrase, true);
    }
  }
  compiled.build_edge_table(edges);
  std::sort(compiled.m_prefix_lengths.begin(), compiled.m_prefix_lengths.end());
  compiled.m_prefix_lengths.erase(
      std::unique(compiled.m_prefix_lengths.begin(), compiled.m_prefix_lengths.end()),
      compiled.m_prefix_lengths.end());
  return compiled;
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

struct Matcher::Impl {
  // What the cache knows about one distinct word (keyed by its raw bytes).
  struct WordInfo {
    std::uint32_t terms_begin = 0;
    std::uint32_t terms_count = 0;
    bool negator = false;
    bool starts_phrase = false; // some term is a phrase's first term
  };
  struct PhraseMatch {
    std::uint32_t phrase;
    std::uint32_t start; // token index
    std::uint32_t length;
  };
  struct TopicState {
    std::uint32_t hits = 0;
    std::uint32_t negated = 0;
    std::uint32_t first_turn = 0;
    std::uint32_t first_begin = 0;
    std::uint32_t first_end = 0;
    std::uint32_t last_end_token = 0; // dedupe overlapping hits in a turn
    std::uint32_t last_turn = UINT32_MAX;
    bool touched = false;
  };

  explicit Impl(const CompiledTaxonomy& compiled)
      : taxonomy(compiled), stemmer(compiled.stemmer_language()),
        topic_states(compiled.topics().size()) {}

  // `readable`: bytes that may be read from raw.data(), for the one-load key head.
  const WordInfo& word_info(std::string_view raw, std::size_t readable) {
    std::uint32_t index = words.find(raw, WordTable::head_of(raw, readable));
    if (index != WordTable::k_missing) {
      return infos[index];
    }
    normalized.clear();
    normalize_word(raw, normalized);
    WordInfo info;
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
    index = static_cast<std::uint32_t>(infos.size());
    infos.push_back(info);
    words.insert(raw, index);
    return infos[index];
  }

  bool negated_before(std::uint32_t start) const {
    std::size_t checked = 0;
    std::uint32_t i = start;
    while (checked < k_negation_window && i > 0 && !tokens[i].clause_start) {
      --i;
      if (infos[token_words[i]].negator) {
        return true;
      }
      ++checked;
    }
    return false;
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
    for (std::uint32_t phrase : taxonomy.phrases_ending_at(node)) {
      matches.push_back(PhraseMatch{phrase, start, length});
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

  bool excluded(const PhraseMatch& hit) const {
    const auto& phrases = taxonomy.phrases();
    const std::uint32_t topic = phrases[hit.phrase].topic;
    for (const PhraseMatch& other : matches) {
      const auto& phrase = phrases[other.phrase];
      if (phrase.exclusion && phrase.topic == topic && other.start < hit.start + hit.length &&
          hit.start < other.start + other.length) {
        return true;
      }
    }
    return false;
  }

  void score_turn(std::uint32_t turn_index, const Turn& turn) {
    const auto& phrases = taxonomy.phrases();
    const auto& topics = taxonomy.topics();
    bool any_exclusion = false;
    for (const PhraseMatch& m : matches) {
      any_exclusion = any_exclusion || phrases[m.phrase].exclusion;
    }
    for (const PhraseMatch& m : matches) {
      const auto& phrase = phrases[m.phrase];
      if (phrase.exclusion) {
        continue;
      }
      const Topic& topic = topics[phrase.topic];
      if (!role_allowed(topic.speaker, turn.role)) {
        continue;
      }
      if (any_exclusion && excluded(m)) {
        continue;
      }
      TopicState& state = topic_states[phrase.topic];
      if (state.last_turn == turn_index && m.start < state.last_end_token) {
        continue; // overlaps a hit already counted for this topic
      }
      if (!state.touched) {
        state.touched = true;
        touched.push_back(phrase.topic);
      }
      if (topic.negation == NegationMode::suppress && negated_before(m.start)) {
        ++state.negated;
        continue;
      }
      if (state.hits == 0) {
        state.first_turn = turn_index;
        state.first_begin = tokens[m.start].begin;
        const Token& last = tokens[m.start + m.length - 1];
        state.first_end = last.begin + last.length;
      }
      ++state.hits;
      state.last_turn = turn_index;
      state.last_end_token = m.start + m.length;
    }
  }

  TagResult tag(const Call& call) {
    tokenize_turns(call.turns, own_turns);
    return tag(call, own_turns);
  }

  TagResult tag(const Call& call, const TurnTokens& turn_tokens) {
    TagResult result;
    touched.clear();
    for (std::uint32_t t = 0; t < call.turns.size(); ++t) {
      const Turn& turn = call.turns[t];
      if (words.size() >= k_max_cached_words) {
        // Bounded memory on unbounded vocabularies; only between turns, since
        // token_words holds indexes into the cache.
        words.clear();
        infos.clear();
        word_terms.clear();
      }
      tokens = turn_tokens.turn(t);
      result.words += tokens.size();
      result.turn_words.push_back(static_cast<std::uint32_t>(tokens.size()));
      token_words.resize(tokens.size());
      bool any_terms = false;
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string_view raw(turn.text.data() + tokens[i].begin, tokens[i].length);
        if (raw.size() > k_max_word_bytes) {
          token_words[i] = empty_word();
          continue;
        }
        const WordInfo& info = word_info(raw, turn.text.size() - tokens[i].begin);
        token_words[i] = static_cast<std::uint32_t>(&info - infos.data());
        any_terms = any_terms || info.terms_count > 0;
      }
      if (!any_terms) {
        continue;
      }
      find_matches();
      score_turn(t, turn);
    }
    std::sort(touched.begin(), touched.end());
    for (std::uint32_t topic : touched) {
      TopicState& state = topic_states[topic];
      if (state.hits > 0 && state.hits >= taxonomy.topics()[topic].min_hits) {
        result.topics.push_back(TopicMatch{topic, state.hits, state.negated, state.first_turn,
                                           state.first_begin, state.first_end});
      }
      state = TopicState{};
    }
    return result;
  }

  // Index of the cache entry for a word with no terms, used for overlong words.
  std::uint32_t empty_word() {
    return static_cast<std::uint32_t>(&word_info(std::string_view(), 0) - infos.data());
  }

  const CompiledTaxonomy& taxonomy;
  Stemmer stemmer;
  WordTable words;
  std::vector<WordInfo> infos;
  std::vector<std::uint32_t> word_terms;
  std::vector<std::uint32_t> scratch_terms;
  std::string normalized;
  TurnTokens own_turns;          // for calls tagged without a TurnTokens
  std::span<const Token> tokens; // the current turn's
  std::vector<std::uint32_t> token_words;
  std::vector<PhraseMatch> matches;
  std::vector<TopicState> topic_states;
  std::vector<std::uint32_t> touched;
};

Matcher::Matcher(const CompiledTaxonomy& taxonomy) : m_impl(std::make_unique<Impl>(taxonomy)) {}
Matcher::~Matcher() = default;

TagResult Matcher::tag(const Call& call) {
  return m_impl->tag(call);
}

TagResult Matcher::tag(const Call& call, const TurnTokens& tokens) {
  return m_impl->tag(call, tokens);
}

} // namespace callsight
