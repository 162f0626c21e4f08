// The SQLite store: schema and migrations, fingerprints, incremental ingest
// through the pipeline's file hooks, and reading calls back in a stable order.
#include "callsight/store.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>

#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "callsight/ingest.hpp"
#include "callsight/version.hpp"

namespace callsight {
namespace {

// Bump when the record layout or the meaning of a stored field changes: it
// is part of the taxonomy fingerprint, so present files are re-analyzed.
constexpr int k_record_format = 3; // 2: hit lists, tags before "when"; 3: no per-turn data

// Explicit migrations: k_migrations[v] takes a store from user_version v to v+1.
constexpr std::array<const char*, k_store_schema_version> k_migrations = {
    R"sql(
CREATE TABLE files(
  id            INTEGER PRIMARY KEY,
  path          TEXT NOT NULL UNIQUE,
  size          INTEGER NOT NULL,
  mtime_ns      INTEGER NOT NULL,
  content_hash  INTEGER NOT NULL,
  taxonomy_hash INTEGER NOT NULL,
  options_hash  INTEGER NOT NULL,
  analyzed_at   TEXT NOT NULL,
  error         TEXT
);
CREATE TABLE calls(
  file_id   INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  ordinal   INTEGER NOT NULL,
  call_id   TEXT NOT NULL,
  call_date TEXT NOT NULL,
  record    BLOB NOT NULL,
  PRIMARY KEY(file_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX calls_by_date ON calls(call_date);
)sql"};

// SQLite keeps 64-bit integers signed; hashes go in and out bit for bit.
std::int64_t to_sql(std::uint64_t value) {
  std::int64_t out = 0;
  std::memcpy(&out, &value, sizeof out);
  return out;
}
std::uint64_t from_sql(std::int64_t value) {
  std::uint64_t out = 0;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

class Statement {
public:
  Statement(sqlite3* db, const char* sql, const std::string& store) : m_db(db), m_store(store) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) {
      throw StoreError(StoreError::Kind::unusable,
                       "store " + store + ": " + sqlite3_errmsg(db) + " (" + sql + ")");
    }
  }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t value) {
    sqlite3_bind_int64(m_stmt, i, value);
    return *this;
  }
  Statement& bind(int i, std::string_view text) {
    sqlite3_bind_text(m_stmt, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_blob(int i, std::string_view bytes) {
    sqlite3_bind_blob(m_stmt, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_null(int i) {
    sqlite3_bind_null(m_stmt, i);
    return *this;
  }
  /// True while there is a row; throws on errors (busy included).
  bool step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      sqlite3_reset(m_stmt);
      return false;
    }
    sqlite3_reset(m_stmt);
    throw_error(m_db, rc, m_store);
  }
  void reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
  bool is_null(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
  std::string text(int column) const {
    const auto* data = sqlite3_column_text(m_stmt, column);
    return data == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(data),
                             static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
  }
  std::string_view blob(int column) const {
    const void* data = sqlite3_column_blob(m_stmt, column);
    return data == nullptr
               ? std::string_view()
               : std::string_view(static_cast<const char*>(data),
                                  static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
  }

  [[noreturn]] static void throw_error(sqlite3* db, int rc, const std::string& store) {
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      throw StoreError(StoreError::Kind::busy,
                       "store " + store + " is busy (another callsight run?)");
    }
    throw StoreError(StoreError::Kind::unusable, "store " + store + ": " + sqlite3_errmsg(db));
  }

private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  const std::string& m_store;
};

void mix(std::string& canonical, std::string_view field) {
  // Length-prefixed, so ("ab","c") and ("a","bc") differ.
  canonical += std::to_string(field.size());
  canonical += ':';
  canonical += field;
}

void mix_rule(std::string& canonical, const RuleNode& node) {
  mix(canonical, to_string(node.op));
  mix(canonical, node.phrase);
  mix(canonical, "children " + std::to_string(node.children.size()));
  for (const RuleNode& child : node.children) {
    mix_rule(canonical, child);
  }
}

// Rule, window and "when" conditions: all change what a topic's tags are.
void mix_conditions(std::string& canonical, const Topic& topic) {
  mix(canonical, topic.rule ? "rule" : "no rule");
  if (topic.rule) {
    mix_rule(canonical, *topic.rule);
  }
  mix(canonical, topic.window ? std::string(to_string(topic.window->kind)) + " " +
                                    std::to_string(topic.window->value)
                              : std::string("no window"));
  mix(canonical, "metrics " + std::to_string(topic.when.metrics.size()));
  for (const MetricCondition& condition : topic.when.metrics) {
    mix(canonical, std::to_string(static_cast<int>(condition.metric)) + " " +
                       std::string(to_string(condition.op)) + " " +
                       std::to_string(condition.value));
  }
  mix(canonical, "call_log " + std::to_string(topic.when.call_log.size()));
  for (const FieldCondition& condition : topic.when.call_log) {
    mix(canonical, condition.field);
    mix(canonical, "values " + std::to_string(condition.values.size()));
    for (const std::string& value : condition.values) {
      mix(canonical, value);
    }
  }
  mix(canonical, topic.when.min_confidence ? std::to_string(*topic.when.min_confidence) : "");
}

} // namespace

std::uint64_t taxonomy_fingerprint(const CompiledTaxonomy& taxonomy) {
  std::string canonical;
  mix(canonical, "record " + std::to_string(k_record_format));
  mix(canonical, version());
  mix(canonical, taxonomy.name());
  mix(canonical, taxonomy.stemmer_language());
  mix(canonical, "forced " + taxonomy.forced_language());
  for (const Topic& topic : taxonomy.topics()) {
    for (std::string_view field : {std::string_view(topic.id), std::string_view(topic.label),
                                   to_string(topic.kind), std::string_view(topic.description),
                                   to_string(topic.speaker), to_string(topic.negation)}) {
      mix(canonical, field);
    }
    mix(canonical, std::to_string(topic.min_hits));
    mix(canonical, "phrases " + std::to_string(topic.phrases.size()));
    for (const std::string& phrase : topic.phrases) {
      mix(canonical, phrase);
    }
    mix(canonical, "exclude " + std::to_string(topic.exclude.size()));
    for (const std::string& phrase : topic.exclude) {
      mix(canonical, phrase);
    }
    mix(canonical, "translations " + std::to_string(topic.translations.size()));
    for (const LanguagePhrases& translation : topic.translations) {
      mix(canonical, translation.language);
      mix(canonical, "phrases " + std::to_string(translation.phrases.size()));
      for (const std::string& phrase : translation.phrases) {
        mix(canonical, phrase);
      }
      mix(canonical, "exclude " + std::to_string(translation.exclude.size()));
      for (const std::string& phrase : translation.exclude) {
        mix(canonical, phrase);
      }
    }
    mix(canonical, topic.accent_insensitive ? "accent-insensitive" : "accent-sensitive");
    mix_conditions(canonical, topic);
  }
  return content_hash(canonical);
}

std::uint64_t options_fingerprint(const AnalyzeOptions& options,
                                  std::string_view filename_pattern) {
  std::string canonical;
  mix(canonical, options.input_format);
  mix(canonical, std::to_string(options.max_file_bytes));
  mix(canonical, std::to_string(options.limits.max_turns));
  mix(canonical, std::to_string(options.limits.max_json_depth));
  mix(canonical, std::to_string(options.evidence_chars));
  mix(canonical, options.redact ? "redact" : "keep");
  mix(canonical, "agents " + std::to_string(options.roles.agent_speakers.size()));
  for (const std::string& speaker : options.roles.agent_speakers) {
    mix(canonical, speaker);
  }
  mix(canonical, options.roles.agent_channel ? std::to_string(*options.roles.agent_channel) : "");
  mix(canonical, std::to_string(options.metrics.gap_threshold_s));
  mix(canonical, std::to_string(options.metrics.interruption_min_overlap_s));
  mix(canonical, std::to_string(options.metrics.max_silence_instances));
  mix(canonical, filename_pattern);
  return content_hash(canonical);
}

struct Store::Impl {
  std::string path;
  StoreOptions options;
  sqlite3* db = nullptr;

  void exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      sqlite3_free(message);
      Statement::throw_error(db, rc, path);
    }
  }

  std::int64_t scalar(const char* sql) {
    Statement statement(db, sql, path);
    return statement.step() ? statement.integer(0) : 0;
  }

  // The schema version, refusing stores this build cannot read: a newer
  // schema, or tables that are not ours.
  int readable_version() {
    const auto version = static_cast<int>(scalar("PRAGMA user_version"));
    if (version > k_store_schema_version) {
      throw StoreError(StoreError::Kind::unusable,
                       "store " + path + " has schema version " + std::to_string(version) +
                           ", newer than this callsight understands (" +
                           std::to_string(k_store_schema_version) + ")");
    }
    if (version == 0 && scalar("SELECT count(*) FROM sqlite_master") > 0) {
      throw StoreError(StoreError::Kind::unusable,
                       "store " + path + " is an SQLite database but not a callsight store");
    }
    return version;
  }

  // A reader cannot migrate: it needs a store that `analyze --store` wrote
  // with this schema.
  void check_current_schema() {
    const int version = readable_version();
    if (version == 0) {
      throw StoreError(StoreError::Kind::unusable,
                       "store " + path + " is empty: not a callsight store");
    }
    if (version < k_store_schema_version) {
      throw StoreError(StoreError::Kind::unusable,
                       "store " + path + " has the older schema version " +
                           std::to_string(version) +
                           ": run callsight analyze --store once to upgrade it");
    }
  }

  void migrate() {
    // The whole migration in one write transaction: a half-created schema is
    // never visible, and two first runs cannot both create it.
    exec("BEGIN IMMEDIATE");
    try {
      const int version = readable_version();
      for (int v = version; v < k_store_schema_version; ++v) {
        exec(k_migrations[static_cast<std::size_t>(v)]);
        exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
      }
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
};

Store::Store(const std::string& path, const StoreOptions& options)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->path = path;
  m_impl->options = options;
  struct stat info {};
  if (options.read_only && ::stat(path.c_str(), &info) != 0) {
    throw StoreError(StoreError::Kind::unusable, "store " + path + ": " + errno_reason(errno) +
                                                     " (callsight analyze --store creates it)");
  }
  // FULLMUTEX: the discovery thread looks files up while a worker thread
  // writes a batch; SQLite serializes the two on this one connection.
  const int mode =
      options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &m_impl->db, mode | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message =
        m_impl->db != nullptr ? sqlite3_errmsg(m_impl->db) : sqlite3_errstr(rc);
    sqlite3_close(m_impl->db);
    throw StoreError(StoreError::Kind::unusable, "store " + path + ": " + message);
  }
  try {
    sqlite3_busy_timeout(m_impl->db, static_cast<int>(options.busy_timeout.count()));
    sqlite3_extended_result_codes(m_impl->db, 1);
    // A file that is not a database fails here with "file is not a database".
    if (options.read_only) {
      m_impl->check_current_schema();
    } else {
      m_impl->exec("PRAGMA journal_mode=WAL");
      m_impl->exec("PRAGMA synchronous=NORMAL");
      m_impl->exec("PRAGMA foreign_keys=ON");
      m_impl->migrate();
    }
  } catch (...) {
    sqlite3_close(m_impl->db);
    throw;
  }
}

Store::~Store() {
  sqlite3_close(m_impl->db);
}

const std::string& Store::path() const {
  return m_impl->path;
}

IngestStats Store::ingest(const AnalyzeOptions& options, const CompiledTaxonomy& taxonomy,
                          std::uint64_t taxonomy_hash, std::uint64_t options_hash,
                          const AnalyzeSinks& sinks) {
  Impl& s = *m_impl;
  IngestStats stats;
  const std::uint64_t stored_before =
      static_cast<std::uint64_t>(s.scalar("SELECT count(*) FROM files"));
  std::uint64_t found_in_store = 0;
  std::string select_failure; // an exception on the discovery thread, re-thrown below
  std::mutex errors_mutex;

  Statement lookup(s.db,
                   "SELECT size, mtime_ns, content_hash, taxonomy_hash, options_hash, error "
                   "FROM files WHERE path = ?",
                   s.path);
  Statement upsert(s.db,
                   "INSERT INTO files(path, size, mtime_ns, content_hash, taxonomy_hash, "
                   "options_hash, analyzed_at, error) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                   "ON CONFLICT(path) DO UPDATE SET size = ?2, mtime_ns = ?3, content_hash = ?4, "
                   "taxonomy_hash = ?5, options_hash = ?6, analyzed_at = ?7, error = ?8 "
                   "RETURNING id",
                   s.path);
  Statement touch(s.db, "UPDATE files SET size = ?2, mtime_ns = ?3 WHERE path = ?1", s.path);
  Statement drop_calls(s.db, "DELETE FROM calls WHERE file_id = ?", s.path);
  Statement add_call(s.db,
                     "INSERT INTO calls(file_id, ordinal, call_id, call_date, record) "
                     "VALUES(?, ?, ?, ?, ?)",
                     s.path);

  AnalyzeSinks hooks;
  hooks.on_error = sinks.on_error;
  hooks.on_call = sinks.on_call;
  hooks.select = [&](const DiscoveredFile& file) -> FileSelection {
    FileSelection selection;
    if (!select_failure.empty()) {
      selection.analyze = false;
      return selection;
    }
    try {
      stats.files_seen += 1;
      struct stat info {};
      const bool stat_ok = ::stat(file.path.c_str(), &info) == 0;
      selection.mtime_ns = stat_ok ? static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 +
                                         info.st_mtim.tv_nsec
                                   : 0;
      lookup.reset();
      lookup.bind(1, file.path);
      if (!lookup.step()) {
        return selection; // new file
      }
      found_in_store += 1;
      const bool same_taxonomy = from_sql(lookup.integer(3)) == taxonomy_hash;
      const bool same_options = from_sql(lookup.integer(4)) == options_hash;
      const bool failed = !lookup.is_null(5);
      const std::string error = failed ? lookup.text(5) : std::string();
      const bool same_stat = stat_ok &&
                             lookup.integer(0) == static_cast<std::int64_t>(info.st_size) &&
                             lookup.integer(1) == selection.mtime_ns;
      const std::uint64_t hash = from_sql(lookup.integer(2));
      lookup.reset();
      if (!same_taxonomy || !same_options) {
        stats.taxonomy_changed |= !same_taxonomy;
        stats.options_changed |= !same_options;
        stats.files_retagged += failed ? 0 : 1;
        return selection;
      }
      if (same_stat) {
        stats.files_skipped += 1;
        if (failed) {
          std::lock_guard lock(errors_mutex);
          stats.errors.push_back({0, file.path, error});
        }
        selection.analyze = false;
        return selection;
      }
      if (!failed) {
        selection.known_hash = hash;
      }
    } catch (const std::exception& e) {
      select_failure = e.what();
      selection.analyze = false;
    }
    return selection;
  };

  // Batches: one write transaction per batch_files files or batch_time.
  bool in_batch = false;
  std::size_t batch_size = 0;
  auto batch_started = std::chrono::steady_clock::now();
  auto commit = [&] {
    if (in_batch) {
      s.exec("COMMIT");
      in_batch = false;
    }
  };
  const std::string analyzed_at = utc_now();
  hooks.on_file = [&](FileOutcome&& file) {
    if (!in_batch) {
      s.exec("BEGIN IMMEDIATE");
      in_batch = true;
      batch_size = 0;
      batch_started = std::chrono::steady_clock::now();
    }
    if (file.unchanged) {
      stats.files_unchanged += 1;
      touch.reset();
      touch.bind(1, file.path)
          .bind(2, static_cast<std::int64_t>(file.size))
          .bind(3, file.mtime_ns)
          .step();
    } else {
      stats.files_analyzed += 1;
      upsert.reset();
      upsert.bind(1, file.path)
          .bind(2, static_cast<std::int64_t>(file.size))
          .bind(3, file.mtime_ns)
          .bind(4, to_sql(file.content_hash))
          .bind(5, to_sql(taxonomy_hash))
          .bind(6, to_sql(options_hash))
          .bind(7, analyzed_at);
      if (file.error.empty()) {
        upsert.bind_null(8);
      } else {
        upsert.bind(8, file.error);
        std::lock_guard lock(errors_mutex);
        stats.errors.push_back({0, file.path, file.error});
      }
      upsert.step();
      const std::int64_t file_id = upsert.integer(0);
      while (upsert.step()) {
      }
      drop_calls.reset();
      drop_calls.bind(1, file_id).step();
      for (std::size_t i = 0; i < file.calls.size(); ++i) {
        const CallResult& call = file.calls[i];
        add_call.reset();
        add_call.bind(1, file_id)
            .bind(2, static_cast<std::int64_t>(i))
            .bind(3, call.call_id)
            .bind(4, fields_datetime(call.fields))
            .bind_blob(5, encode_call_record(call, taxonomy))
            .step();
        stats.calls_written += 1;
      }
    }
    batch_size += 1;
    if (batch_size >= s.options.batch_files ||
        std::chrono::steady_clock::now() - batch_started >= s.options.batch_time) {
      commit();
    }
  };

  try {
    analyze(options, taxonomy, nullptr, hooks);
    if (!select_failure.empty()) {
      throw StoreError(StoreError::Kind::unusable, select_failure);
    }
    // Also after a cancel: every delivered file is complete, keep it.
    commit();
  } catch (...) {
    if (in_batch) {
      sqlite3_exec(s.db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    throw;
  }
  stats.files_missing = stored_before - std::min(stored_before, found_in_store);
  stats.files_failed = stats.errors.size();
  std::sort(stats.errors.begin(), stats.errors.end(),
            [](const FileError& a, const FileError& b) { return a.path < b.path; });
  for (std::size_t i = 0; i < stats.errors.size(); ++i) {
    stats.errors[i].index = i;
  }
  return stats;
}

StoreCounts Store::counts(std::uint64_t taxonomy_hash, std::uint64_t options_hash) {
  StoreCounts counts;
  Statement statement(m_impl->db,
                      "SELECT count(*), count(error), "
                      "sum(taxonomy_hash != ?1 OR options_hash != ?2) FROM files",
                      m_impl->path);
  statement.bind(1, to_sql(taxonomy_hash)).bind(2, to_sql(options_hash));
  if (statement.step()) {
    counts.files = static_cast<std::uint64_t>(statement.integer(0));
    counts.files_failed = static_cast<std::uint64_t>(statement.integer(1));
    counts.files_stale = static_cast<std::uint64_t>(statement.integer(2));
  }
  statement.reset();
  counts.calls = static_cast<std::uint64_t>(m_impl->scalar("SELECT count(*) FROM calls"));
  return counts;
}

std::vector<FileError> Store::errors() {
  std::vector<FileError> errors;
  Statement statement(m_impl->db,
                      "SELECT path, error FROM files WHERE error IS NOT NULL ORDER BY path",
                      m_impl->path);
  while (statement.step()) {
    errors.push_back({errors.size(), statement.text(0), statement.text(1)});
  }
  return errors;
}

void Store::scan_calls(const CompiledTaxonomy& taxonomy,
                       const std::function<bool(const StoredCallKey&)>& want,
                       const std::function<void(CallResult&&)>& visit) {
  // One statement is one read snapshot: a concurrent run's batches cannot split the view.
  Statement statement(m_impl->db,
                      "SELECT f.path, c.ordinal, c.call_id, c.call_date, c.record "
                      "FROM calls c JOIN files f ON f.id = c.file_id ORDER BY f.path, c.ordinal",
                      m_impl->path);
  std::uint64_t index = 0;
  std::string path;
  std::string call_id;
  std::string call_date;
  while (statement.step()) {
    path = statement.text(0);
    call_id = statement.text(2);
    call_date = statement.text(3);
    const StoredCallKey key{path, static_cast<std::uint32_t>(statement.integer(1)), call_id,
                            call_date};
    const std::uint64_t position = index++;
    if (!want(key)) {
      continue;
    }
    std::string error;
    std::optional<CallResult> call = decode_call_record(statement.blob(4), path, taxonomy, error);
    if (!call) {
      throw StoreError(StoreError::Kind::unusable, "store " + m_impl->path + ": " + path +
                                                       " call " + std::to_string(key.ordinal) +
                                                       ": " + error);
    }
    call->index = position;
    visit(std::move(*call));
  }
}

void Store::calls_in(const DateRange& range, const CompiledTaxonomy& taxonomy,
                     const std::function<void(CallResult&&)>& visit) {
  scan_calls(
      taxonomy,
      [&](const StoredCallKey& key) {
        const std::optional<Date> date = parse_iso_date(key.call_date);
        return date && range.contains(*date);
      },
      visit);
}

StoredWindowCalls Store::window_calls(const ReportWindow& window) {
  StoredWindowCalls out;
  // One statement is one read snapshot, as in scan_calls; failed files have no calls.
  Statement statement(m_impl->db,
                      "SELECT f.path, f.content_hash, c.ordinal, c.call_date "
                      "FROM calls c JOIN files f ON f.id = c.file_id ORDER BY f.path, c.ordinal",
                      m_impl->path);
  while (statement.step()) {
    const std::optional<Date> date = parse_iso_date(statement.text(3));
    if (!date) {
      out.calls_without_date += 1;
      continue;
    }
    const bool current = window.current.contains(*date);
    if (!current && !window.previous.contains(*date)) {
      continue;
    }
    std::vector<StoredFileCalls>& files = current ? out.current : out.previous;
    (current ? out.current_calls : out.previous_calls) += 1;
    std::string path = statement.text(0);
    if (files.empty() || files.back().path != path) {
      files.push_back({std::move(path), from_sql(statement.integer(1)), {}});
    }
    files.back().ordinals.push_back(static_cast<std::uint32_t>(statement.integer(2)));
  }
  return out;
}

} // namespace callsight
