// Pipeline orchestration: one thread discovers files into a bounded queue,
// workers read/decode/parse/tag them, and per-call output is handed to the
// sinks in input order through a reorder window, so results never depend on
// the thread count and memory never grows with the corpus.
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "callsight/conditions.hpp"
#include "callsight/formats.hpp"
#include "callsight/ingest.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/privacy.hpp"

namespace callsight {

// started_at covers the call-log aliases (start_time, called_at, date ...);
// the others are transcript header and file-name fields.
constexpr const char* k_date_columns[] = {"started_at", "date", "start_time", "datetime"};

std::string log_datetime(const CallLog* log, long row) {
  if (log == nullptr || row < 0) {
    return {};
  }
  for (const char* column : k_date_columns) {
    const std::string_view value = log->value(static_cast<std::size_t>(row), column);
    if (!value.empty()) {
      return std::string(value);
    }
  }
  return {};
}

std::string fields_datetime(const std::map<std::string, std::string>& fields) {
  for (const char* column : k_date_columns) {
    if (auto it = fields.find(column); it != fields.end() && !it->second.empty()) {
      return it->second;
    }
  }
  return {};
}

namespace {

struct WorkItem {
  std::uint64_t index = 0;
  DiscoveredFile file;
  FileSelection selection;
};

// Work queue with back-pressure on both ends: the producer waits when the
// queue is full, and workers wait when they would run more than `window`
// items ahead of the oldest result not yet delivered.
class WorkQueue {
public:
  WorkQueue(std::size_t capacity, std::uint64_t window) : m_capacity(capacity), m_window(window) {}

  void push(WorkItem item) {
    std::unique_lock lock(m_mutex);
    if (m_items.size() >= m_capacity) {
      // Full: sleep until workers drained half of it, not until the next
      // pop, or producer and workers trade a wake-up (a futex call and a
      // context switch) for every file.
      m_producer_waiting = true;
      m_not_full.wait(lock, [&] { return m_items.size() <= m_capacity / 2 || m_aborted; });
      m_producer_waiting = false;
    }
    if (m_aborted) {
      return;
    }
    // Workers only wait on an empty queue (or on the window, which a push does
    // not change): waking them on every push costs a futex call per file.
    const bool was_empty = m_items.empty();
    m_items.push_back(std::move(item));
    if (was_empty) {
      m_changed.notify_all();
    }
  }

  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
  }

  bool pop(WorkItem& item) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] {
      return (!m_items.empty() && m_items.front().index < m_delivered + m_window) ||
             (m_items.empty() && m_closed);
    });
    if (m_items.empty()) {
      return false;
    }
    item = std::move(m_items.front());
    m_items.pop_front();
    if (m_producer_waiting && m_items.size() <= m_capacity / 2) {
      m_not_full.notify_one(); // only the producer waits on it
    }
    return true;
  }

  // After a worker failed: drop pending work and unblock everyone.
  void abort() {
    std::lock_guard lock(m_mutex);
    m_aborted = true;
    m_closed = true;
    m_items.clear();
    m_changed.notify_all();
    m_not_full.notify_all();
  }

  void set_delivered(std::uint64_t delivered) {
    std::lock_guard lock(m_mutex);
    m_delivered = delivered;
    m_changed.notify_all();
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::condition_variable m_not_full;
  std::deque<WorkItem> m_items;
  std::size_t m_capacity;
  std::uint64_t m_window;
  std::uint64_t m_delivered = 0;
  bool m_closed = false;
  bool m_aborted = false;
  bool m_producer_waiting = false;
};

// Hands results to the sinks strictly in input order.
class Reorderer {
public:
  struct Slot {
    bool ok = false;
    std::vector<CallResult> calls;
    FileError error;
    FileOutcome file; ///< for the on_file sink: everything but the calls and error
  };

  Reorderer(const AnalyzeSinks& sinks, WorkQueue& queue) : m_sinks(sinks), m_queue(queue) {}

  void deliver(std::uint64_t index, Slot slot) {
    std::lock_guard lock(m_mutex);
    m_pending.emplace(index, std::move(slot));
    const std::uint64_t before = m_next;
    for (auto it = m_pending.begin(); it != m_pending.end() && it->first == m_next;
         it = m_pending.erase(it), ++m_next) {
      if (it->second.ok) {
        if (m_sinks.on_call) {
          for (const CallResult& call : it->second.calls) {
            m_sinks.on_call(call);
          }
        }
      } else if (m_sinks.on_error) {
        m_sinks.on_error(it->second.error);
      }
      if (m_sinks.on_file && !it->second.file.path.empty()) { // not another shard's file
        FileOutcome& file = it->second.file;
        file.calls = std::move(it->second.calls);
        file.error = std::move(it->second.error.reason);
        m_sinks.on_file(std::move(file));
      }
    }
    if (m_next != before) {
      m_queue.set_delivered(m_next);
    }
  }

private:
  const AnalyzeSinks& m_sinks;
  WorkQueue& m_queue;
  std::mutex m_mutex;
  std::map<std::uint64_t, Slot> m_pending;
  std::uint64_t m_next = 0;
};

bool has_nul(std::string_view bytes) {
  return std::memchr(bytes.data(), '\0', std::min<std::size_t>(bytes.size(), 8192)) != nullptr;
}

bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

} // namespace

std::string evidence_snippet(std::string_view text, std::size_t begin, std::size_t end,
                             std::size_t width) {
  const std::size_t hit = end - begin;
  const std::size_t margin = width > hit ? (width - hit) / 2 : 0;
  std::size_t from = begin > margin ? begin - margin : 0;
  std::size_t to = std::min(text.size(), end + margin);
  if (from > 0) {
    const std::size_t space = text.find_first_of(" \n", from);
    from = space != std::string_view::npos && space < begin ? space + 1 : from;
  }
  if (to < text.size()) {
    const std::size_t space = text.find_last_of(" \n", to);
    to = space != std::string_view::npos && space >= end ? space : to;
  }
  while (from > 0 && is_utf8_continuation(text[from])) {
    --from;
  }
  while (to < text.size() && is_utf8_continuation(text[to])) {
    ++to;
  }
  std::string out;
  if (from > 0) {
    out += "...";
  }
  const std::size_t body = out.size();
  out.append(text.substr(from, to - from));
  std::replace_if(
      out.begin() + static_cast<std::ptrdiff_t>(body), out.end(),
      [](char c) { return c == '\n' || c == '\t'; }, ' ');
  if (to < text.size()) {
    out += "...";
  }
  return out;
}

namespace {

std::string group_value(const std::string& dimension, const CallResult& call, const CallLog* log,
                        long row) {
  if (dimension == "day" || dimension == "week" || dimension == "month") {
    std::string when = log_datetime(log, row);
    if (when.empty()) {
      when = fields_datetime(call.fields);
    }
    return when.empty() ? std::string() : period_of(when, dimension);
  }
  if (log != nullptr && row >= 0) {
    const std::string_view value = log->value(static_cast<std::size_t>(row), dimension);
    if (!value.empty()) {
      return std::string(value);
    }
  }
  if (auto it = call.fields.find(dimension); it != call.fields.end()) {
    return it->second;
  }
  return {};
}

// The transcript-derived part of a call's result: everything that depends only
// on the file's bytes, the taxonomy and the analysis options (what the store
// keeps). Evidence is kept for every matched topic; join_call drops the topics
// whose "when" conditions fail.
// The call's strings and fields move into the result once tagging, metrics
// and sentiment are done with them (the call is dropped after this).
CallResult analyze_call(const std::string& path, Call& call, const FileCalls& file,
                        std::size_t bytes, const AnalyzeOptions& options, Matcher& matcher,
                        const EvidenceWanted& wanted) {
  CallResult result;
  result.encoding = file.encoding;
  result.bytes = bytes;
  result.invalid_utf8 = file.invalid_sequences;
  result.turns = call.turns.size();
  result.role_source = call.role_source;
  result.role_confidence = call.role_confidence;
  // Tokenized once for the matcher, the sentiment scorer and the metrics.
  thread_local TurnTokens tokens;
  tokenize_turns(call.turns, tokens);
  result.tags = matcher.tag(call, tokens);
  result.metrics = compute_call_metrics(call, options.metrics, result.tags.turn_words);
  // One scorer per worker thread: it keeps caches and is not thread-safe.
  thread_local SentimentScorer sentiment(SentimentLexicon::built_in());
  result.sentiment = sentiment.score_call(call, tokens);
  result.call_id = std::move(call.call_id);
  result.path = call.path == path ? std::move(call.path) : path;
  result.format = std::move(call.format);
  result.fields = std::move(call.fields);
  const std::size_t topics = result.tags.topics.size();
  result.evidence.reserve(topics);
  result.evidence_hits.reserve(topics);
  result.evidence_time.reserve(topics);
  for (const TopicMatch& match : result.tags.topics) {
    result.evidence_time.push_back(call.turns[match.first_turn].start_s);
    // Snippets and their redaction cost more than tagging a topic: make only
    // those the caller will use (the rest stay empty).
    if (wanted && !wanted(match.topic)) {
      result.evidence.emplace_back();
      result.evidence_hits.emplace_back();
      continue;
    }
    std::string text = evidence_snippet(call.turns[match.first_turn].text, match.first_begin,
                                        match.first_end, options.evidence_chars);
    result.evidence.push_back(options.redact ? redact(text) : std::move(text));
    // The hit alone tells a taxonomy author which phrase fired (eval's errors).
    const std::string_view hit =
        std::string_view(call.turns[match.first_turn].text)
            .substr(match.first_begin, match.first_end - match.first_begin);
    result.evidence_hits.push_back(options.redact ? redact(hit) : std::string(hit));
  }
  return result;
}

} // namespace

void join_call(CallResult& result, const AnalyzeOptions& options, const CompiledTaxonomy& taxonomy,
               const CallLog* call_log) {
  result.has_metadata = false;
  result.log_row = -1;
  result.has_revenue = false;
  result.revenue_cents = 0;
  result.group_values.clear();
  long row = -1;
  if (call_log != nullptr) {
    row = call_log->find(result.call_id, result.path);
    if (row >= 0) {
      const auto r = static_cast<std::size_t>(row);
      result.has_metadata = true;
      result.log_row = row;
      const std::optional<std::int64_t> revenue = parse_money_cents(call_log->value(r, "revenue"));
      result.has_revenue = revenue.has_value();
      result.revenue_cents = revenue.value_or(0);
    }
  }
  // Topics' "when" conditions need the metrics and the call-log row; the
  // evidence lists run parallel to the topics and lose the same entries.
  const std::vector<std::size_t> dropped =
      apply_call_conditions(taxonomy, result.tags, result.metrics, [&](std::string_view field) {
        return group_value(std::string(field), result, call_log, row);
      });
  // Back to front, so earlier positions stay valid.
  for (auto it = dropped.rbegin(); it != dropped.rend(); ++it) {
    const auto at = static_cast<std::ptrdiff_t>(*it);
    result.evidence.erase(result.evidence.begin() + at);
    result.evidence_hits.erase(result.evidence_hits.begin() + at);
    result.evidence_time.erase(result.evidence_time.begin() + at);
  }
  // After the conditions: a conversion topic they dropped does not convert.
  const Conversion conversion = decide_conversion(
      row >= 0 ? call_log->value(static_cast<std::size_t>(row), "converted") : std::string_view(),
      has_conversion_topic(result.tags, taxonomy.topics()));
  result.converted = conversion.converted;
  result.conversion_source = conversion.source;
  result.group_values.reserve(options.group_by.size());
  for (const std::string& dimension : options.group_by) {
    result.group_values.push_back(group_value(dimension, result, call_log, row));
  }
}

bool parse_calls(const std::string& path, std::string_view bytes, const AnalyzeOptions& options,
                 FileCalls& out, std::string& error) {
  const DecodedText decoded = decode_to_utf8(bytes);
  if (decoded.encoding == SourceEncoding::utf8 && has_nul(bytes)) {
    error = "binary file (contains NUL bytes), not a transcript";
    return false;
  }
  // Without NUL bytes a file can still be mostly bytes that are not UTF-8: a
  // binary blob or a legacy code page, which would count as a call of noise.
  if (decoded.encoding == SourceEncoding::utf8 && decoded.invalid_sequences * 4 > bytes.size()) {
    error = "not text: " + std::to_string(decoded.invalid_sequences) +
            " invalid UTF-8 sequences in " + std::to_string(bytes.size()) +
            " bytes (binary, or an encoding other than UTF-8/UTF-16)";
    return false;
  }
  ParseResult parsed = parse_transcript(path, decoded.text, options.input_format, options.limits);
  if (!parsed.error.empty()) {
    error = parsed.error;
    return false;
  }
  out.encoding = decoded.encoding;
  out.invalid_sequences = decoded.invalid_sequences;
  out.calls = std::move(parsed.calls);
  out.roles.clear();
  std::map<std::string, std::string> name_fields;
  if (options.filename_pattern != nullptr) {
    options.filename_pattern->apply(path, name_fields);
  }
  for (Call& call : out.calls) {
    // A file-name pattern is explicit configuration: its fields win over the
    // file stem, and fill in what a transcript header did not say.
    for (const auto& [name, value] : name_fields) {
      if (name == "call_id" && out.calls.size() == 1) {
        call.call_id = value;
      } else {
        call.fields.emplace(name, value);
      }
    }
    // Roles before tagging: speaker-restricted topics depend on them.
    out.roles.push_back(resolve_roles(call, options.roles));
  }
  return true;
}

bool analyze_transcript(const std::string& path, std::string_view bytes,
                        const AnalyzeOptions& options, Matcher& matcher,
                        std::vector<CallResult>& results, std::string& error,
                        const EvidenceWanted& wanted) {
  FileCalls file;
  if (!parse_calls(path, bytes, options, file, error)) {
    return false;
  }
  for (std::size_t i = 0; i < file.calls.size(); ++i) {
    // Byte counts belong to the file: give them to its first call only, so
    // totals still add up to the corpus size.
    const std::size_t call_bytes = i == 0 ? bytes.size() : 0;
    results.push_back(
        analyze_call(path, file.calls[i], file, call_bytes, options, matcher, wanted));
    results.back().agent_speaker = file.roles[i].agent_speaker;
  }
  return true;
}

bool analyze_bytes(const std::string& path, std::string_view bytes, const AnalyzeOptions& options,
                   Matcher& matcher, const CallLog* call_log, std::vector<CallResult>& results,
                   std::string& error, const EvidenceWanted& wanted) {
  const std::size_t first = results.size();
  if (!analyze_transcript(path, bytes, options, matcher, results, error, wanted)) {
    return false;
  }
  for (std::size_t i = first; i < results.size(); ++i) {
    join_call(results[i], options, matcher.taxonomy(), call_log);
  }
  return true;
}

Summary analyze(const AnalyzeOptions& options, const CompiledTaxonomy& taxonomy,
                const CallLog* call_log, const AnalyzeSinks& sinks) {
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, threads);
  // A file sink (the store) takes the calls itself: they are not joined or summed here.
  const bool keep_files = static_cast<bool>(sinks.on_file);
  const bool ordered_sinks =
      static_cast<bool>(sinks.on_call) || static_cast<bool>(sinks.on_error) || keep_files;
  // Without sinks nothing waits for order, so workers never wait for each other.
  const std::uint64_t window = ordered_sinks ? 4096 : UINT64_MAX / 2;
  WorkQueue queue(std::max<std::size_t>(64, threads * 16), window);
  Reorderer reorderer(sinks, queue);

  std::vector<Summary> partials(threads, Summary(taxonomy.topics().size(), options.group_by));
  std::vector<std::thread> workers;
  std::mutex failure_mutex;
  std::string failure; // an unexpected exception in a worker, re-thrown below

  for (unsigned w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      try {
        Matcher matcher(taxonomy);
        Summary& summary = partials[w];
        // Without per-call output, evidence only feeds the summary's examples:
        // a worker takes its calls in input order, so once its summary holds
        // a topic's examples, no later call of its own will replace them.
        EvidenceWanted wanted;
        if (!sinks.on_call && !keep_files) { // the store keeps every call's evidence
          wanted = [&summary](std::uint32_t topic) {
            return summary.topics()[topic].examples.size() < k_topic_examples;
          };
        }
        WorkItem item;
        while (queue.pop(item)) {
          if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
            queue.abort();
            break;
          }
          Reorderer::Slot slot;
          std::string error = item.file.error;
          if (error.empty()) {
            ReadResult read = read_file(item.file.path, options.max_file_bytes, options.cancel);
            if (options.progress != nullptr) {
              options.progress->bytes_done.fetch_add(read.bytes.size(), std::memory_order_relaxed);
            }
            if (!read.error.empty()) {
              error = read.error;
            } else if (keep_files) {
              slot.file.size = read.bytes.size();
              slot.file.content_hash = content_hash(read.bytes);
              slot.file.unchanged = item.selection.known_hash == slot.file.content_hash;
              slot.ok =
                  slot.file.unchanged || analyze_transcript(item.file.path, read.bytes, options,
                                                            matcher, slot.calls, error);
            } else if (analyze_bytes(item.file.path, read.bytes, options, matcher, call_log,
                                     slot.calls, error, wanted)) {
              slot.ok = true;
            }
          }
          if (keep_files) {
            slot.file.index = item.index;
            slot.file.path = item.file.path;
            slot.file.mtime_ns = item.selection.mtime_ns;
            for (CallResult& call : slot.calls) {
              call.index = item.index;
            }
            if (!slot.ok) {
              slot.error = FileError{item.index, item.file.path, error};
            }
          } else if (slot.ok) {
            for (CallResult& call : slot.calls) {
              call.index = item.index;
              summary.add(call);
            }
          } else {
            slot.error = FileError{item.index, item.file.path, error};
            summary.add_error(slot.error);
          }
          if (ordered_sinks) {
            reorderer.deliver(item.index, std::move(slot));
          }
          if (options.progress != nullptr) {
            options.progress->files_done.fetch_add(1, std::memory_order_relaxed);
          }
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(failure_mutex);
        if (failure.empty()) {
          failure = e.what();
        }
        queue.abort();
      }
    });
  }

  std::uint64_t index = 0;
  for (const std::string& input : options.inputs) { // one at a time: the shard key needs the root
    discover_files(
        {input},
        [&](DiscoveredFile&& file) {
          if (!options.shard.selects(input, file.path)) {
            // Another shard's file: deliver its index empty so in-order delivery goes on.
            if (ordered_sinks) {
              Reorderer::Slot empty;
              empty.ok = true;
              reorderer.deliver(index, std::move(empty));
            }
            ++index;
            return;
          }
          FileSelection selection;
          if (sinks.select && file.error.empty()) {
            selection = sinks.select(file);
            if (!selection.analyze) {
              return;
            }
          }
          spdlog::debug("queued {}", file.path);
          queue.push(WorkItem{index++, std::move(file), std::move(selection)});
          if (options.progress != nullptr) {
            options.progress->files_found.fetch_add(1, std::memory_order_relaxed);
          }
        },
        options.cancel);
  }
  if (options.progress != nullptr) {
    options.progress->discovery_done.store(true, std::memory_order_release);
  }
  queue.close();
  for (std::thread& worker : workers) {
    worker.join();
  }
  if (!failure.empty()) {
    throw std::runtime_error(failure);
  }
  Summary total(taxonomy.topics().size(), options.group_by);
  for (const Summary& partial : partials) {
    total += partial;
  }
  return total;
}

} // namespace callsight
