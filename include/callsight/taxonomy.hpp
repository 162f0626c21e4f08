// Taxonomy: the configurable definition of what a "customer concern" is.
// Loaded from JSON with comments and validated with line:column diagnostics.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callsight {

enum class TopicKind : std::uint8_t { concern, intent, outcome, source, competitor, product };
enum class SpeakerFilter : std::uint8_t { any, customer, agent };
enum class NegationMode : std::uint8_t { suppress, ignore };

std::string_view to_string(TopicKind kind);
std::string_view to_string(SpeakerFilter speaker);
std::string_view to_string(NegationMode mode);

struct Topic {
  std::string id;
  std::string label;
  TopicKind kind = TopicKind::concern;
  std::string description;
  SpeakerFilter speaker = SpeakerFilter::any;
  std::vector<std::string> phrases;
  std::vector<std::string> exclude;
  std::uint32_t min_hits = 1;
  NegationMode negation = NegationMode::suppress;
};

struct Taxonomy {
  int schema_version = 1;
  std::string name;
  std::string language = "en";
  std::vector<Topic> topics;
};

/// One problem found in a taxonomy file, located in the source text.
struct TaxonomyIssue {
  int line = 0;   ///< 1-based; 0 when the problem has no single place
  int column = 0; ///< 1-based, in bytes
  std::string message;
};

struct TaxonomyLoadResult {
  std::optional<Taxonomy> taxonomy; ///< set only when there are no issues
  std::vector<TaxonomyIssue> issues;
};

/// Parses and validates taxonomy JSON (comments allowed). Unknown fields,
/// wrong types, bad enum values, bad or duplicate ids, empty topics and
/// malformed phrases are all reported, each with its line and column.
TaxonomyLoadResult parse_taxonomy(std::string_view json_text);

/// The taxonomy built into the binary (data/taxonomy.json at build time).
std::string_view default_taxonomy_json();

/// Parsed phrase syntax: words, each stemmed, exact ("quoted") or a prefix (word*).
enum class TermKind : std::uint8_t { stem, exact, prefix };
struct PhraseTerm {
  TermKind kind = TermKind::stem;
  std::string text; ///< normalized word, without quotes or '*'
};

/// Splits a phrase into terms; returns an error message for malformed syntax
/// (unbalanced quote, lone '*', '*' inside a word or quoted text, no words).
std::string parse_phrase(std::string_view phrase, std::vector<PhraseTerm>& terms);

} // namespace callsight
