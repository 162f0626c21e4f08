// Pipeline: discover -> read/decode -> parse -> tag -> aggregate, over a pool
// of worker threads, with per-call output delivered in input order.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "callsight/aggregate.hpp"
#include "callsight/call_metrics.hpp"
#include "callsight/formats.hpp"
#include "callsight/ingest.hpp"
#include "callsight/matcher.hpp"
#include "callsight/metadata.hpp"
#include "callsight/progress.hpp"
#include "callsight/roles.hpp"
#include "callsight/shard.hpp"

namespace callsight {

struct AnalyzeOptions {
  std::vector<std::string> inputs; ///< files, directories, or "-" for stdin
  std::string input_format = "auto";
  std::uint64_t max_file_bytes = 64ull << 20;
  ParseLimits limits;                ///< --max-turns, --max-json-depth
  unsigned threads = 0;              ///< 0: all cores
  std::vector<std::string> group_by; ///< call-log columns or day/week/month
  std::size_t evidence_chars = 160;  ///< snippet length around a hit
  /// When set and it becomes true (a signal handler), discovery stops and the
  /// workers finish the file in hand and return; the summary is then partial.
  const std::atomic<bool>* cancel = nullptr;
  /// Fields taken from file names (call_id, date, campaign ...); may be null.
  const FilenamePattern* filename_pattern = nullptr;
  /// --agent-speaker / --agent-channel; otherwise roles are inferred.
  RoleOptions roles;
  MetricsOptions metrics; ///< silence threshold, interruption overlap
  /// Evidence snippets leave the tool with phone numbers, e-mails, cards,
  /// SSNs, account numbers and spoken digit runs replaced (--no-redact: off).
  bool redact = true;
  /// --shard i/N: only files of this shard are analyzed; the others still
  /// take their input index, so indexes match a one-machine run.
  ShardSpec shard;
  /// When set, bumped as files are found and finished (a progress bar reads it).
  ProgressCounters* progress = nullptr;
};

/// What a selection hook says about a discovered file (incremental runs).
struct FileSelection {
  bool analyze = true; ///< false: skip the file (not read, not counted)
  /// Content hash the caller already has for this file: when the bytes hash to
  /// it, the file is not analyzed again and its outcome says `unchanged`.
  std::optional<std::uint64_t> known_hash;
  std::int64_t mtime_ns = 0; ///< passed through to the outcome
};

/// One selected file, whole, for sinks that keep files (the store).
struct FileOutcome {
  std::uint64_t index = 0;
  std::string path;
  std::uint64_t size = 0; ///< bytes read
  std::int64_t mtime_ns = 0;
  std::uint64_t content_hash = 0; ///< content_hash() of the bytes (0 when unreadable)
  bool unchanged = false;         ///< bytes hashed to FileSelection::known_hash: not analyzed
  std::string error;              ///< why the file could not be used; empty on success
  std::vector<CallResult> calls;  ///< transcript-derived results (not joined to the call log)
};

/// Callbacks run on one thread at a time, in input order, except `select`,
/// which runs on the discovery thread as files are found.
struct AnalyzeSinks {
  /// A file could not be used; the run goes on.
  std::function<void(const FileError&)> on_error;
  /// A call was analyzed (e.g. to write its JSONL record).
  std::function<void(const CallResult&)> on_call;
  /// Decides per discovered file whether it is read at all; default: all are.
  std::function<FileSelection(const DiscoveredFile&)> select;
  /// Each selected file with its calls, after on_call/on_error for it. When
  /// set, files are hashed and their calls are left unjoined and out of the
  /// returned summary: the sink owns them.
  std::function<void(FileOutcome&&)> on_file;
};

/// Runs the whole analysis. `call_log` may be null. Deterministic: the
/// summary and the order of callbacks do not depend on the thread count.
Summary analyze(const AnalyzeOptions& options, const CompiledTaxonomy& taxonomy,
                const CallLog* call_log, const AnalyzeSinks& sinks);

/// The calls of one file, decoded, parsed and with speaker roles resolved:
/// what tagging (analyze_bytes) and phrase mining (discover) start from.
struct FileCalls {
  SourceEncoding encoding = SourceEncoding::utf8;
  std::size_t invalid_sequences = 0; ///< invalid UTF-8 replaced while decoding
  std::vector<Call> calls;
  std::vector<RoleDecision> roles; ///< one per call
};

/// Decodes and parses the raw bytes of one file (no I/O) with
/// `options.input_format`, applies `options.filename_pattern` and resolves
/// roles with `options.roles`. Returns false and sets `error` when the file is
/// not a usable transcript.
bool parse_calls(const std::string& path, std::string_view bytes, const AnalyzeOptions& options,
                 FileCalls& out, std::string& error);

/// A snippet of about `width` bytes around [begin, end) of `text`, cut at word
/// boundaries, on one line, with "..." where it was cut.
std::string evidence_snippet(std::string_view text, std::size_t begin, std::size_t end,
                             std::size_t width);

/// Whether a caller will use the evidence of a topic (a snippet is made and
/// redacted per topic of a call, which costs more than finding the topic).
using EvidenceWanted = std::function<bool(std::uint32_t topic)>;

/// Analyzes the raw bytes of one file (no I/O): decode, parse, tag, join.
/// Appends one result per call in the file. Returns false and sets `error`
/// when the file is not a usable transcript. With `wanted`, the evidence and
/// evidence_hits of topics it refuses are left empty (one entry per topic
/// still); without it every topic gets both.
bool analyze_bytes(const std::string& path, std::string_view bytes, const AnalyzeOptions& options,
                   Matcher& matcher, const CallLog* call_log, std::vector<CallResult>& results,
                   std::string& error, const EvidenceWanted& wanted = {});

/// The transcript-derived half of analyze_bytes: decode, parse, roles, tags,
/// metrics, sentiment, evidence (for every matched topic, before "when"
/// conditions). Depends only on the bytes, the taxonomy and the options, so
/// the store can keep it; nothing from the call log is set.
bool analyze_transcript(const std::string& path, std::string_view bytes,
                        const AnalyzeOptions& options, Matcher& matcher,
                        std::vector<CallResult>& results, std::string& error,
                        const EvidenceWanted& wanted = {});

/// The other half: the call-log row (converted, revenue), the topics' "when"
/// conditions (which may drop topics and their evidence) and the group values
/// of `options.group_by`. Cheap, and redone at every report because call logs
/// change (conversions arrive later). `call_log` may be null.
void join_call(CallResult& result, const AnalyzeOptions& options, const CompiledTaxonomy& taxonomy,
               const CallLog* call_log);

/// When a call happened, as written: the call-log row's started_at (or date,
/// start_time, datetime), "" without a row or value.
std::string log_datetime(const CallLog* log, long row);
/// Same from the call's own fields (transcript header, file-name pattern).
std::string fields_datetime(const std::map<std::string, std::string>& fields);

} // namespace callsight
