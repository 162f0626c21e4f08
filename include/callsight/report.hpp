// Reports: summary JSON, CSV in long form, one JSON line per call, and atomic
// file output (temp file + fsync + rename) so a crash never leaves half a report.
#pragma once
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "callsight/aggregate.hpp"
#include "callsight/journeys.hpp"
#include "callsight/matcher.hpp"
#include "callsight/store.hpp"
#include "callsight/trends.hpp"

namespace callsight {

/// The `store` section: what this run did to the store, and what it holds.
struct StoreReport {
  std::string path;
  bool scanned = false; ///< PATHs were given (else the report only read the store)
  IngestStats ingest;
  StoreCounts counts;
};

/// What a report says about the run besides the counts.
struct ReportContext {
  const CompiledTaxonomy* taxonomy = nullptr;
  std::string taxonomy_source;       ///< "built-in" or the file path
  std::string metadata_source;       ///< call-log path, or "" when none
  const CallLog* call_log = nullptr; ///< for joined / unmatched row counts
  const SpendTable* spend = nullptr; ///< adds spend and cost ratios to its dimension's groups
  std::string spend_source;
  // Reports from the store (--store): each section only when set.
  const ReportWindow* window = nullptr;
  std::uint64_t previous_calls = 0;     ///< calls in window->previous
  std::uint64_t calls_without_date = 0; ///< stored calls no window can hold
  const Trends* trends = nullptr;
  const std::vector<Alert>* alerts = nullptr;
  const StoreReport* store = nullptr;
  const JourneyStats* journeys = nullptr; ///< adds the `journeys` section (--caller-key)
};

/// The `window` section: the period, each window's label, days and calls.
nlohmann::ordered_json window_json(const ReportWindow& window, std::uint64_t current_calls,
                                   std::uint64_t previous_calls, std::uint64_t calls_without_date);

/// The window, trends, alerts and store sections of the summary JSON (those
/// the context has), added to `report`. Shapes in docs/NIGHTLY.md.
void add_store_sections(nlohmann::ordered_json& report, const ReportContext& context);

/// Spend figures of one group, when the spend table covers it.
struct GroupSpend {
  std::int64_t spend_cents = 0;
  std::optional<double> cost_per_call;
  std::optional<double> cost_per_conversion;
};

/// Spend of group `value` of dimension `dimension`, or nullopt when the
/// context has no spend table for that dimension or value.
std::optional<GroupSpend> group_spend(const ReportContext& context, std::string_view dimension,
                                      std::string_view value, std::uint64_t calls,
                                      std::uint64_t conversions);
/// spend / count rounded to cents, or nullopt when count is 0 (also revenue
/// per call with a revenue amount).
std::optional<double> cost_per(std::int64_t spend_cents, std::uint64_t count);

/// How much likelier calls carrying a topic converted than all `calls` of
/// their group (`conversions` of them): the topic's conversion rate over the
/// group's, rounded like every ratio; nullopt when either rate is unknown or
/// the group has no conversion.
std::optional<double> conversion_lift(const TopicCounts& topic, std::uint64_t calls,
                                      std::uint64_t conversions);

/// The summary as JSON, fields in documented order.
nlohmann::ordered_json summary_to_json(const Summary& summary, const ReportContext& context);

/// Pretty JSON with a trailing newline.
void write_summary_json(std::ostream& out, const Summary& summary, const ReportContext& context);

/// One row per group x topic, plus the "all" group first (columns in README,
/// "Outputs"; new columns are added at the end).
void write_summary_csv(std::ostream& out, const Summary& summary, const ReportContext& context);

/// One row per group (the "all" group first), one column per topic holding
/// the number of calls that raised it: the spreadsheet-ready wide form.
void write_summary_csv_wide(std::ostream& out, const Summary& summary,
                            const ReportContext& context);

/// Per-call CSV: the header row, then one row per call (one column per topic
/// with its hit count).
void write_call_csv_header(std::ostream& out, const CompiledTaxonomy& taxonomy);
void write_call_csv_row(std::ostream& out, const CallResult& call,
                        const CompiledTaxonomy& taxonomy);

/// One compact JSON object (no newline) describing a call.
std::string call_record_json(const CallResult& call, const CompiledTaxonomy& taxonomy);

/// The summary JSON's `journeys` section (shape in README, "Caller journeys").
nlohmann::ordered_json journeys_to_json(const JourneyStats& stats,
                                        const CompiledTaxonomy& taxonomy);
/// One compact JSON object (no newline) for one caller's journey: the hashed
/// key, the calls in order, conversion and cancellation, first and last touch.
std::string journey_record_json(const Journey& journey, const CompiledTaxonomy& taxonomy);
/// The journey aggregates as one tidy CSV table (header included); appended
/// to the long-form summary CSV after an empty line.
void write_journeys_csv(std::ostream& out, const JourneyStats& stats,
                        const CompiledTaxonomy& taxonomy);

/// Rounds a ratio to 4 decimals so reports stay short and stable.
double round_ratio(double value);

/// Output that only appears under its final name once complete. Writes go to
/// a temporary file beside the target; commit() flushes, fsyncs and renames.
/// Without commit() (error, exception) the temporary file is removed and any
/// previous file at the target is left untouched.
class AtomicFile {
public:
  /// "-" writes to standard output; devices and FIFOs are written in place.
  /// Throws std::runtime_error naming the path when the temp file cannot be created.
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream();
  /// Throws std::system_error (with the errno, e.g. EPIPE) naming the path on
  /// any write/flush/rename error.
  void commit();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace callsight
