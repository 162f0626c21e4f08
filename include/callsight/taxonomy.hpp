// Taxonomy: the configurable definition of what a "customer concern" is.
// Loaded from JSON with comments and validated with line:column diagnostics.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/call_metrics.hpp"

namespace callsight {

enum class TopicKind : std::uint8_t { concern, intent, outcome, source, competitor, product };
enum class SpeakerFilter : std::uint8_t { any, customer, agent };
enum class NegationMode : std::uint8_t { suppress, ignore };
/// What a topic of kind outcome says happened on the call (`"outcome"`):
/// only `conversion` counts as a converted call when the call log does not
/// say (decide_conversion); `cancellation` marks a cancelled journey.
enum class OutcomeMeaning : std::uint8_t { neutral, conversion, cancellation, quote, callback };

std::string_view to_string(TopicKind kind);
std::string_view to_string(OutcomeMeaning meaning);
std::string_view to_string(SpeakerFilter speaker);
std::string_view to_string(NegationMode mode);

/// A topic's boolean rule (docs/TAXONOMY.md): a phrase leaf, or a group.
/// A leaf is true in a call when its phrase has a counted hit there.
enum class RuleOp : std::uint8_t { phrase, all_of, any_of, not_ };
std::string_view to_string(RuleOp op);

struct RuleNode {
  RuleOp op = RuleOp::phrase;
  std::string phrase;             ///< leaf text (phrase syntax, NEAR included)
  std::vector<RuleNode> children; ///< all_of / any_of: one or more; not: exactly one
};

/// Where in a call hits count. Seconds and shares of time use the turns'
/// start/end times; turns and shares of turns use turn indexes.
enum class WindowKind : std::uint8_t {
  first_seconds,
  last_seconds,
  first_turns,
  last_turns,
  first_share,
  last_share
};
std::string_view to_string(WindowKind kind);

struct Window {
  WindowKind kind = WindowKind::first_turns;
  double value = 0.0; ///< seconds (> 0), turns (integer >= 1) or share (0 < F <= 1)
};

enum class CompareOp : std::uint8_t { lt, le, gt, ge, eq, ne };
std::string_view to_string(CompareOp op); ///< "<", "<=", ">", ">=", "==", "!="

/// `"metrics": {"duration_s": {">=": 120}}`: false when the metric is absent.
struct MetricCondition {
  Metric metric = Metric::duration_s;
  CompareOp op = CompareOp::ge;
  double value = 0.0;
};

/// `"call_log": {"source": ["google", "bing"]}`: the field (a canonical
/// call-log column name, else a transcript or file-name field) equals one of
/// `values`, ignoring case; false when the call has no such field.
struct FieldCondition {
  std::string field;
  std::vector<std::string> values;
};

/// A topic's `"when"`: every condition must hold for the topic to count.
struct TopicConditions {
  std::vector<MetricCondition> metrics;
  std::vector<FieldCondition> call_log;
  /// Turns whose ASR confidence is known and below this are skipped.
  std::optional<double> min_confidence;
  bool empty() const { return metrics.empty() && call_log.empty() && !min_confidence; }
};

/// A topic's phrases in a language other than the taxonomy's own
/// (`"phrases": {"en": [...], "es": [...]}`).
struct LanguagePhrases {
  std::string language; ///< code or Snowball name, as written
  std::vector<std::string> phrases;
  std::vector<std::string> exclude;
};

struct Topic {
  std::string id;
  std::string label;
  TopicKind kind = TopicKind::concern;
  /// Kind outcome only; neutral when the taxonomy leaves it out.
  OutcomeMeaning outcome = OutcomeMeaning::neutral;
  std::string description;
  SpeakerFilter speaker = SpeakerFilter::any;
  std::vector<std::string> phrases; ///< in the taxonomy's language
  std::vector<std::string> exclude; ///< in the taxonomy's language
  /// Phrases in other languages, by language code; rule leaves are always in
  /// the taxonomy's language.
  std::vector<LanguagePhrases> translations;
  /// Accents and other marks are ignored on both sides ("annulé" = "annule").
  bool accent_insensitive = false;
  std::uint32_t min_hits = 1;
  NegationMode negation = NegationMode::suppress;
  std::optional<RuleNode> rule; ///< must hold as well as min_hits of `phrases`
  std::optional<Window> window; ///< only hits inside it count
  TopicConditions when;         ///< call-level conditions
};

/// A tagged topic of this kind makes a call converted when the call log does
/// not say (see decide_conversion in aggregate.hpp).
inline bool is_conversion_topic(const Topic& topic) {
  return topic.kind == TopicKind::outcome && topic.outcome == OutcomeMeaning::conversion;
}

struct Taxonomy {
  int schema_version = 1;
  std::string name;
  std::string language = "en";     ///< of "phrases" lists, rules and a topic's first language
  bool accent_insensitive = false; ///< the default of every topic's accent_insensitive
  std::vector<Topic> topics;
};

/// One problem found in a taxonomy file, located in the source text.
struct TaxonomyIssue {
  int line = 0;   ///< 1-based; 0 when the problem has no single place
  int column = 0; ///< 1-based, in bytes
  std::string message;
  /// Warnings point at likely mistakes that do not stop the taxonomy from
  /// working (the same phrase in two topics); errors make it unusable.
  bool warning = false;
};

struct TaxonomyLoadResult {
  std::optional<Taxonomy> taxonomy; ///< set only when no issue is an error
  std::vector<TaxonomyIssue> issues;
  bool has_errors() const;
};

/// Parses and validates taxonomy JSON (comments allowed). Unknown fields,
/// wrong types, bad enum values and operators, bad or duplicate ids, empty
/// topics and groups, malformed phrases and NEAR, phrases that can never
/// match, repeated phrases, rules that can only match by absence and an
/// `outcome` on a topic not of kind outcome are all reported, each with its
/// line and column, in file order; an outcome topic without `outcome` is a
/// warning (it counts as neutral).
TaxonomyLoadResult parse_taxonomy(std::string_view json_text);

/// The taxonomy built into the binary (data/taxonomy.json at build time).
std::string_view default_taxonomy_json();

/// Parsed phrase syntax: words, each stemmed, exact ("quoted") or a prefix (word*).
enum class TermKind : std::uint8_t { stem, exact, prefix };
struct PhraseTerm {
  TermKind kind = TermKind::stem;
  std::string text; ///< normalized word, without quotes or '*'
};

/// The matcher never looks up text words longer than this many bytes, so a
/// phrase word longer than this can never match.
inline constexpr std::size_t k_max_phrase_word_bytes = 64;
/// NEAR/n allows 1 to this many words between its two sides.
inline constexpr std::uint32_t k_max_near_distance = 50;

/// A phrase word that the tokenizer does not keep as one word.
struct PhraseWordNote {
  enum class Kind : std::uint8_t {
    dropped,  ///< no letters or digits ("&", "--"): ignored
    split,    ///< several words ("e-mail" is "e mail"): matched as those words
    too_long, ///< over k_max_phrase_word_bytes: can never match
  };
  Kind kind = Kind::dropped;
  std::size_t offset = 0; ///< byte offset of the word in the phrase
  std::string word;       ///< as written
  std::string words;      ///< split: the words it is matched as, space-separated
};

/// A parsed phrase: `A` or `A NEAR/n B`.
struct ParsedPhrase {
  std::vector<PhraseTerm> terms;   ///< the words of A, then those of B
  std::uint32_t near_split = 0;    ///< with NEAR: how many of `terms` belong to A; else 0
  std::uint32_t near_distance = 0; ///< n of NEAR/n (1..k_max_near_distance); 0 without NEAR
  std::vector<PhraseWordNote> notes;
};

/// Why a phrase does not parse, and where: a byte offset into the phrase, or
/// k_whole_phrase for problems of the phrase as a whole.
inline constexpr std::size_t k_whole_phrase = static_cast<std::size_t>(-1);
struct PhraseError {
  std::string message;
  std::size_t offset = k_whole_phrase;
};

/// Splits a phrase into terms. Errors: unbalanced quote, lone '*', '*' inside
/// a word or quoted text, no words, and a NEAR without a distance, with a
/// distance outside 1..k_max_near_distance, with no words on one side, or
/// twice. `NEAR/n` is an operator only in capitals and outside quotes.
std::optional<PhraseError> parse_phrase(std::string_view phrase, ParsedPhrase& out);

} // namespace callsight
