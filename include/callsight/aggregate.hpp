// Aggregation: per-call results folded into a mergeable Summary. Every counter
// is an integer (money in cents), so merging per-thread or per-shard summaries
// in any order gives identical totals.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "callsight/call_metrics.hpp"
#include "callsight/ingest.hpp"
#include "callsight/matcher.hpp"
#include "callsight/metadata.hpp"
#include "callsight/sentiment.hpp"

namespace callsight {

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
  bool has_metadata = false;                        ///< a call-log row was joined
  long log_row = -1;                                ///< that row's index in the call log
  bool converted = false;
  std::int64_t revenue_cents = 0;
  std::vector<std::string> group_values; ///< one per Summary dimension
};

/// A redacted snippet showing a topic, kept for the report's examples.
struct TopicExample {
  std::uint64_t index = 0; ///< input order: the earliest calls are kept, whatever the threads
  std::string file;
  std::optional<double> time_s;
  std::string snippet;
};

struct TopicCounts {
  std::uint64_t calls = 0;            ///< calls tagged with the topic
  std::uint64_t hits = 0;             ///< counted hits over those calls
  SentimentMean customer_sentiment;   ///< mean customer sentiment of those calls
  std::vector<TopicExample> examples; ///< the first k_topic_examples in input order
  void add_example(TopicExample example);
  TopicCounts& operator+=(const TopicCounts& other);
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
};

struct GroupStats {
  std::uint64_t calls = 0;
  std::uint64_t with_metadata = 0; ///< calls joined to a call-log row: the base of conversion rates
  std::uint64_t conversions = 0;
  std::int64_t revenue_cents = 0;
  std::uint64_t words = 0;
  std::vector<TopicCounts> topics;
  MetricTotals metrics;
  SentimentTotals sentiment;
  GroupStats& operator+=(const GroupStats& other);
};

struct FileError {
  std::uint64_t index = 0; ///< input order, so reports list errors stably
  std::string path;
  std::string reason;
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
  std::int64_t revenue_cents = 0;
  MetricTotals metrics;
  SentimentTotals sentiment;
  Totals& operator+=(const Totals& other);
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

private:
  std::size_t m_topic_count;
  std::vector<std::string> m_dimensions;
  Totals m_totals;
  std::vector<TopicCounts> m_topics;
  std::vector<std::map<std::string, GroupStats>> m_groups;
  std::vector<FileError> m_errors;
  RowUse m_rows_used;
};

/// Example snippets kept per topic in the summary.
inline constexpr std::size_t k_topic_examples = 2;

/// Value used for a call that has no value for a dimension.
inline constexpr const char* k_unknown_group = "(none)";

/// Calendar periods derived from an ISO date-time ("2026-10-05T09:14:00"):
/// "day" -> "2026-10-05", "week" -> "2026-W41" (ISO week), "month" -> "2026-10".
/// Returns "" when the value is not an ISO date or the period is unknown.
std::string period_of(std::string_view iso_datetime, std::string_view period);

} // namespace callsight
