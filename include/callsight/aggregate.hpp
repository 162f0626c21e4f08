// Aggregation: per-call results folded into a mergeable Summary. Every counter
// is an integer (money in cents), so merging per-thread or per-shard summaries
// in any order gives identical totals.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "callsight/call_metrics.hpp"
#include "callsight/ingest.hpp"
#include "callsight/matcher.hpp"
#include "callsight/metadata.hpp"
#include "callsight/sentiment.hpp"
#include "callsight/shard.hpp"

namespace callsight {

namespace detail {
struct SummaryState; // reads and writes a Summary's whole state (summary_state.cpp)
} // namespace detail

/// Where a call's converted / not converted came from.
enum class ConversionSource : std::uint8_t { none, call_log, transcript };
std::string_view to_string(ConversionSource source); ///< "none", "call_log", "transcript"

struct Conversion {
  bool converted = false;
  ConversionSource source = ConversionSource::none;
  bool operator==(const Conversion&) const = default;
};

/// The one rule for whether a call converted, used by the summary (through
/// the pipeline) and by caller journeys: the call log's `converted` cell when
/// it is not empty (parse_truthy; source call_log), else converted when a
/// conversion outcome topic was tagged (is_conversion_topic; source
/// transcript), else not converted with source none. `log_converted` is ""
/// when the call has no call-log row or the log no converted column.
Conversion decide_conversion(std::string_view log_converted, bool conversion_topic_tagged);

/// Whether `tags` holds a topic that is_conversion_topic among `topics`
/// (the taxonomy the tags index).
bool has_conversion_topic(const TagResult& tags, const std::vector<Topic>& topics);

/// Everything the pipeline learned about one call.
struct CallResult {
  std::uint64_t index = 0; ///< position in input order
  std::string call_id;
  std::string path;
  std::string format;
  SourceEncoding encoding = SourceEncoding::utf8;
  std::uint64_t bytes = 0;
  std::uint64_t invalid_utf8 = 0;
  std::uint64_t turns = 0;
  RoleSource role_source = RoleSource::none;
  double role_confidence = 0.0;
  std::string agent_speaker; ///< label resolved as the agent, when inferred or forced
  TagResult tags;
  CallMetrics metrics;
  CallSentiment sentiment;
  std::vector<std::string> evidence;      ///< one snippet per tags.topics entry
  std::vector<std::string> evidence_hits; ///< the words that matched, per tags.topics entry
  std::vector<std::optional<double>> evidence_time; ///< start of the evidence turn, when known
  std::map<std::string, std::string> fields;        ///< the call's own fields (header, file name)
  bool has_metadata = false;                        ///< a call-log row was joined
  long log_row = -1;                                ///< that row's index in the call log
  bool converted = false;                           ///< decide_conversion
  ConversionSource conversion_source = ConversionSource::none;
  bool has_revenue = false; ///< the call-log row has a revenue amount (parse_money_cents)
  std::int64_t revenue_cents = 0;
  std::vector<std::string> group_values; ///< one per Summary dimension
  bool operator==(const CallResult&) const = default;
};

/// A redacted snippet showing a topic, kept for the report's examples.
struct TopicExample {
  std::uint64_t index = 0; ///< input order: the earliest calls are kept, whatever the threads
  std::string file;
  std::optional<double> time_s;
  std::string snippet;
  bool operator==(const TopicExample&) const = default;
};

struct TopicCounts {
  std::uint64_t calls = 0;            ///< calls tagged with the topic
  std::uint64_t hits = 0;             ///< counted hits over those calls
  std::uint64_t conversions = 0;      ///< those calls that converted
  SentimentMean customer_sentiment;   ///< mean customer sentiment of those calls
  std::vector<TopicExample> examples; ///< the first k_topic_examples in input order
  void add_example(TopicExample example);
  TopicCounts& operator+=(const TopicCounts& other);
  bool operator==(const TopicCounts&) const = default;
};

/// Call metrics summed over calls, in integer milliseconds so merging is exact.
struct MetricTotals {
  std::uint64_t timed_calls = 0; ///< calls with a known duration
  std::uint64_t duration_ms = 0;
  std::uint64_t silence_ms = 0;
  std::uint64_t silence_count = 0;
  std::uint64_t role_timed_calls = 0; ///< calls with agent and customer talk times
  std::uint64_t agent_talk_ms = 0;
  std::uint64_t customer_talk_ms = 0;
  std::uint64_t interruptions_by_agent = 0;
  std::uint64_t interruptions_by_customer = 0;
  std::uint64_t agent_questions = 0;
  std::uint64_t customer_questions = 0;
  void add(const CallMetrics& metrics);
  MetricTotals& operator+=(const MetricTotals& other);
  bool operator==(const MetricTotals&) const = default;
};

/// Calls counted by the source of their conversion decision.
struct ConversionSources {
  std::uint64_t call_log = 0;
  std::uint64_t transcript = 0;
  std::uint64_t none = 0;
  void add(ConversionSource source);
  ConversionSources& operator+=(const ConversionSources& other);
  bool operator==(const ConversionSources&) const = default;
};

/// Calls per main language (ISO code), for the language mix of a group.
using LanguageCounts = std::map<std::string, std::uint64_t>;
/// The language of a call result made without detection.
inline const std::string k_undetermined_language = "und";

struct GroupStats {
  std::uint64_t calls = 0;         ///< the base of conversion rates
  std::uint64_t with_metadata = 0; ///< calls joined to a call-log row
  std::uint64_t conversions = 0;
  ConversionSources conversion_sources;
  std::uint64_t revenue_calls = 0; ///< calls with a revenue amount: the base of revenue per call
  std::int64_t revenue_cents = 0;
  std::uint64_t words = 0;
  std::vector<TopicCounts> topics;
  MetricTotals metrics;
  SentimentTotals sentiment;
  LanguageCounts languages;
  GroupStats& operator+=(const GroupStats& other);
  bool operator==(const GroupStats&) const = default;
};

struct FileError {
  std::uint64_t index = 0; ///< input order, so reports list errors stably
  std::string path;
  std::string reason;
  bool operator==(const FileError&) const = default;
};

struct Totals {
  std::uint64_t calls = 0;
  std::uint64_t files_failed = 0;
  std::uint64_t turns = 0;
  std::uint64_t words = 0;
  std::uint64_t bytes = 0;
  std::uint64_t invalid_utf8 = 0;
  std::uint64_t with_metadata = 0;
  std::uint64_t conversions = 0;
  ConversionSources conversion_sources;
  std::uint64_t revenue_calls = 0;
  std::int64_t revenue_cents = 0;
  MetricTotals metrics;
  SentimentTotals sentiment;
  LanguageCounts languages;
  Totals& operator+=(const Totals& other);
  bool operator==(const Totals&) const = default;
};

class Summary {
public:
  Summary(std::size_t topic_count, std::vector<std::string> dimensions);

  void add(const CallResult& call);
  void add_error(FileError error);
  /// Merges another summary of the same taxonomy and dimensions.
  Summary& operator+=(const Summary& other);

  const Totals& totals() const { return m_totals; }
  const std::vector<TopicCounts>& topics() const { return m_topics; }
  const std::vector<std::string>& dimensions() const { return m_dimensions; }
  /// Groups of dimension `d`, ordered by value.
  const std::map<std::string, GroupStats>& groups(std::size_t d) const { return m_groups[d]; }
  /// File errors ordered by input index.
  std::vector<FileError> sorted_errors() const;
  /// Call-log rows joined to at least one call.
  const RowUse& rows_used() const { return m_rows_used; }

  /// Same counters, groups, examples, errors (in input order) and rows used.
  bool operator==(const Summary& other) const;

private:
  friend struct detail::SummaryState;
  std::size_t m_topic_count;
  std::vector<std::string> m_dimensions;
  Totals m_totals;
  std::vector<TopicCounts> m_topics;
  std::vector<std::map<std::string, GroupStats>> m_groups;
  std::vector<FileError> m_errors;
  RowUse m_rows_used;
};

// --- partial summaries: one shard's state, combined by `callsight merge` -----

/// Everything that must agree between shards for their partials to merge into
/// the report one run over all files would give. Files are identified by
/// content_hash, so each host may keep its copy at its own path.
struct PartialFingerprint {
  std::string callsight;             ///< version of the tool
  std::string taxonomy;              ///< content_hash of the taxonomy text
  std::string stemmer;               ///< Snowball language actually used
  std::string language = "auto";     ///< --language (ISO code), or "auto": detected
  std::vector<std::string> group_by; ///< Summary dimensions
  std::string call_log;              ///< content_hash of --metadata; "" without
  std::string column_map;            ///< --column-map as given
  std::string filename_pattern;      ///< --filename-pattern as given
  std::string spend;                 ///< content_hash of --spend; "" without
  std::string input_format;
  std::uint64_t max_file_bytes = 0;
  std::uint64_t evidence_chars = 0;
  bool redact = true;
  std::vector<std::string> agent_speakers;
  int agent_channel = -1; ///< -1: none forced
  double gap_threshold_s = 0.0;
  double interruption_min_overlap_s = 0.0;
  bool operator==(const PartialFingerprint&) const = default;
};

/// A field two fingerprints disagree on, with both values as JSON text.
struct FingerprintDifference {
  std::string field;
  std::string left;
  std::string right;
};

/// The first field (in declaration order) where `a` and `b` differ.
std::optional<FingerprintDifference> fingerprint_difference(const PartialFingerprint& a,
                                                            const PartialFingerprint& b);

/// "fnv1a64:<16 hex digits>:<size>" of some bytes (a taxonomy, a call log):
/// tells files apart without naming where they are.
std::string content_fingerprint(std::string_view bytes);

/// Version of the partial-summary file layout.
/// 2: conversion sources, calls with revenue and per-topic conversions.
inline constexpr int k_partial_version = 2;

/// One shard's Summary as read back from a partial file.
struct PartialSummary {
  ShardSpec shard;
  PartialFingerprint fingerprint;
  Summary summary{0, {}};
};

/// Writes the partial file: one line of JSON, {"format": "callsight-partial",
/// "version", "shard": "i/N", "fingerprint", "summary"} where "summary" holds
/// every counter as an integer (cents, milliseconds, sentiment micros), the
/// examples and errors with their input index and the call-log rows used, so
/// merging partials is exact. Deterministic: errors are written in input order.
void write_partial_summary(std::ostream& out, const Summary& summary, const ShardSpec& shard,
                           const PartialFingerprint& fingerprint);

/// Parses a partial file. On failure returns nullopt and sets `error` to the
/// reason, naming the field ("summary.topics[3].calls: expected a non-negative
/// integer").
std::optional<PartialSummary> parse_partial_summary(std::string_view text, std::string& error);

/// Example snippets kept per topic in the summary.
inline constexpr std::size_t k_topic_examples = 2;

/// Value used for a call that has no value for a dimension.
inline constexpr const char* k_unknown_group = "(none)";

/// Calendar periods derived from an ISO date-time ("2026-10-05T09:14:00"):
/// "day" -> "2026-10-05", "week" -> "2026-W41" (ISO week), "month" -> "2026-10".
/// Returns "" when the value is not an ISO date or the period is unknown.
std::string period_of(std::string_view iso_datetime, std::string_view period);

} // namespace callsight
