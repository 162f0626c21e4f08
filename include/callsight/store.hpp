// Store: a SQLite history of analyzed files and their calls, so nightly runs
// analyze only new or changed files and reports can cover any window of the
// past with trends against the window before.
//
// Schema (PRAGMA user_version 1; migrations in store.cpp are explicit steps):
//   files(id, path UNIQUE, size, mtime_ns, content_hash, taxonomy_hash,
//         options_hash, analyzed_at, error)        -- error NULL when usable
//   calls(file_id, ordinal, call_id, call_date, record)  -- PRIMARY KEY(file_id, ordinal)
// `record` is the transcript-derived CallResult (encode_call_record): what
// depends only on the file's bytes, the taxonomy and the analysis options.
// The call-log join is redone at every report, because call logs change.
//
// Change detection per file: same size and mtime (and same taxonomy and
// options hashes) -> not read; otherwise read and hashed (XXH3): same hash ->
// only size/mtime updated; different -> re-analyzed, its calls replaced in one
// transaction. A changed taxonomy or option hash re-analyzes every file still
// present. Files no longer found keep their calls (history).
//
// Durability: WAL journal, synchronous=NORMAL, one transaction per batch of
// files (256 files or about a second): kill -9 loses at most the batch in
// flight, which the next run redoes. Concurrent runs wait up to the busy
// timeout for each other's batches, then fail with StoreError::busy.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/aggregate.hpp"
#include "callsight/matcher.hpp"
#include "callsight/metadata.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/trends.hpp"

namespace callsight {

class StoreError : public std::runtime_error {
public:
  enum class Kind : std::uint8_t {
    busy,     ///< another process held the store past the busy timeout
    unusable, ///< not a callsight store, newer schema, I/O error ...
  };
  StoreError(Kind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  Kind kind() const { return m_kind; }

private:
  Kind m_kind;
};

/// Schema version this build writes (PRAGMA user_version).
inline constexpr int k_store_schema_version = 1;

/// Hash of what tagging depends on in a taxonomy: name, stemmer language and
/// every topic field, plus the record format and the callsight version.
std::uint64_t taxonomy_fingerprint(const CompiledTaxonomy& taxonomy);
/// Hash of the analysis options that change stored results: input format,
/// size cap, roles, metric thresholds, redaction, evidence length and the
/// file-name pattern (`filename_pattern`: its text, "" when none).
std::uint64_t options_fingerprint(const AnalyzeOptions& options, std::string_view filename_pattern);

/// The transcript-derived part of a call as bytes (CBOR), topics by id so a
/// record survives a taxonomy edit. `path`, `index` and the join fields are
/// not kept.
std::string encode_call_record(const CallResult& call, const CompiledTaxonomy& taxonomy);
/// The reverse, with `path` set; topics no longer in `taxonomy` are dropped
/// (with their evidence). nullopt and `error` set for a damaged record: any
/// bytes are refused or give a record whose topics are distinct and ascending,
/// evidence lists parallel to them, hits of those topics, turn indexes below
/// `turns`, spans not reversed, enums in range, doubles finite and counts at
/// most 2^53, so later code may index with them (fuzzed: fuzz_store_record).
std::optional<CallResult> decode_call_record(std::string_view bytes, const std::string& path,
                                             const CompiledTaxonomy& taxonomy, std::string& error);

struct StoreOptions {
  std::chrono::milliseconds busy_timeout{30000};
  /// Open an existing store for reading only: no file, schema or journal mode
  /// is created or changed (a reader such as `discover` must not migrate).
  bool read_only = false;
  std::size_t batch_files = 256;
  std::chrono::milliseconds batch_time{1000};
};

/// What an incremental run did; printed in the log and the report's `store`.
struct IngestStats {
  std::uint64_t files_seen = 0;      ///< found under the given paths
  std::uint64_t files_analyzed = 0;  ///< read and analyzed (new, changed, re-tagged or failing)
  std::uint64_t files_skipped = 0;   ///< same size and mtime: not read
  std::uint64_t files_unchanged = 0; ///< read, same content hash: only mtime updated
  std::uint64_t files_failed = 0;    ///< present files that cannot be used (now or before)
  std::uint64_t files_retagged = 0;  ///< analyzed again because taxonomy or options changed
  std::uint64_t files_missing = 0;   ///< in the store but not found this run (calls kept)
  std::uint64_t calls_written = 0;
  bool taxonomy_changed = false; ///< some stored file had another taxonomy hash
  bool options_changed = false;
  std::vector<FileError> errors; ///< present files that failed, by path
};

/// Store-wide counts after a run.
struct StoreCounts {
  std::uint64_t files = 0;
  std::uint64_t files_failed = 0;
  std::uint64_t files_stale = 0; ///< tagged with another taxonomy or options (not re-read)
  std::uint64_t calls = 0;
};

/// The cheap columns of a stored call, seen before its record is decoded.
struct StoredCallKey {
  const std::string& path;
  std::uint32_t ordinal;
  const std::string& call_id;
  const std::string& call_date; ///< date-time from the call's own fields, "" when unknown
};

/// A stored file's calls that fall into a window, cheap columns only.
struct StoredFileCalls {
  std::string path;
  std::uint64_t content_hash = 0;      ///< of the bytes the calls were read from
  std::vector<std::uint32_t> ordinals; ///< the calls' order within the file, ascending
};

/// Which stored calls each window of a report holds, by their own date.
struct StoredWindowCalls {
  std::vector<StoredFileCalls> current;  ///< by path
  std::vector<StoredFileCalls> previous; ///< by path
  std::uint64_t current_calls = 0;
  std::uint64_t previous_calls = 0;
  std::uint64_t calls_without_date = 0; ///< stored calls with no date of their own
};

class Store {
public:
  /// Opens or creates the store (and its schema); with options.read_only,
  /// opens an existing store of this schema version only. Throws StoreError.
  Store(const std::string& path, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const;

  /// Runs the pipeline over `options.inputs`, analyzing only what the store
  /// lacks, and records the results. `taxonomy_hash` and `options_hash` come
  /// from the fingerprint functions. `sinks.on_error` sees each new failure.
  /// Stops early, keeping what is committed, when options.cancel is set.
  IngestStats ingest(const AnalyzeOptions& options, const CompiledTaxonomy& taxonomy,
                     std::uint64_t taxonomy_hash, std::uint64_t options_hash,
                     const AnalyzeSinks& sinks);

  StoreCounts counts(std::uint64_t taxonomy_hash, std::uint64_t options_hash);
  /// Every stored file that could not be used, ordered by path.
  std::vector<FileError> errors();

  /// Visits stored calls in (path, ordinal) order, whatever the order they
  /// were stored in. `want` sees the cheap columns; only calls it accepts are
  /// decoded and given to `visit` (unjoined; index = position in that order).
  void scan_calls(const CompiledTaxonomy& taxonomy,
                  const std::function<bool(const StoredCallKey&)>& want,
                  const std::function<void(CallResult&&)>& visit);

  /// Stored calls whose own date falls in `range` (no call log consulted), in
  /// (path, ordinal) order: e.g. the previous period as a reference.
  void calls_in(const DateRange& range, const CompiledTaxonomy& taxonomy,
                const std::function<void(CallResult&&)>& visit);

  /// The files and call ordinals of the stored calls whose own date (no call
  /// log consulted) falls in each window, read in one snapshot; no record is
  /// decoded. For readers that go back to the transcripts (discover).
  StoredWindowCalls window_calls(const ReportWindow& window);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Calls of a report read back from the store and joined to the call log.
struct StoreSummaries {
  Summary current;                      ///< the window (every stored call without a window)
  Summary previous;                     ///< the window before (empty without a window)
  std::uint64_t calls_without_date = 0; ///< left out of a windowed report
};

/// Reads the store for a report: each call's date is the call log's
/// started_at when it has a row, else the call's own; calls in the window
/// (or all without one) are joined (join_call with `options.group_by`) and
/// summed. `on_call` sees the current window's calls in order. `errors` are
/// added to the current summary.
StoreSummaries summarize_store(Store& store, const AnalyzeOptions& options,
                               const CompiledTaxonomy& taxonomy, const CallLog* call_log,
                               const std::optional<ReportWindow>& window,
                               const std::vector<FileError>& errors,
                               const std::function<void(const CallResult&)>& on_call);

} // namespace callsight
