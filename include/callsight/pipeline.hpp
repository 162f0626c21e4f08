// Pipeline: discover -> read/decode -> parse -> tag -> aggregate, over a pool
// of worker threads, with per-call output delivered in input order.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
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

/// Callbacks run on one thread at a time, in input order.
struct AnalyzeSinks {
  /// A file could not be used; the run goes on.
  std::function<void(const FileError&)> on_error;
  /// A call was analyzed (e.g. to write its JSONL record).
  std::function<void(const CallResult&)> on_call;
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

} // namespace callsight
