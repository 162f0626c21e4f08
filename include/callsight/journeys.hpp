// Caller journeys: the calls of one caller, linked by a caller key from the
// call log (phone number, customer id or e-mail), in date order, with what each
// call was about and how it ended; and what marketing reads from them: repeat
// callers per channel, calls before a conversion, the concerns raised on the call
// before a conversion or a cancellation, first- and last-touch channels, time
// between calls.
//
// Privacy: a caller key is normalized and hashed with a per-installation salt
// (HMAC-SHA-256, 16 hex digits kept) as soon as it is read; raw keys are never
// stored in a JourneyCall nor printed.
//
// Sources: JourneyBuilder consumes a sequence of JourneyCall records and does
// not care where they come from: this run's pipeline (AnalyzeSinks::on_call ->
// JourneyExtractor::record) or calls read back from a store of earlier nights,
// so journeys can span runs. It keeps only these small records (no transcript,
// no evidence), so memory grows with the number of linked calls (about 120
// bytes each), not with their size.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "callsight/aggregate.hpp"
#include "callsight/matcher.hpp"
#include "callsight/metadata.hpp"

namespace callsight {

// --- caller keys ----------------------------------------------------------------

/// How a key value is normalized before hashing.
enum class CallerKeyKind : std::uint8_t {
  phone,     ///< digits only; a 10-digit number gets the NANP country code 1
  email,     ///< trimmed, ASCII lower-cased; must hold an '@'
  id,        ///< trimmed, otherwise as written
  automatic, ///< per value: e-mail when it holds '@', phone when phone-shaped, else id
};

std::string_view to_string(CallerKeyKind kind);

/// The kind a call-log column implies: caller_number -> phone, email -> email,
/// customer_id -> id, anything else -> automatic.
CallerKeyKind caller_key_kind(std::string_view canonical_column);

/// The normalized key, or "" when the value identifies nobody: empty, a
/// placeholder ("anonymous", "unknown", "private", "restricted", "unavailable",
/// "n/a", "none", "null", "-"), a phone with fewer than 7 digits, an e-mail
/// without '@'. Phones: "+1 (555) 201-3344", "555.201.3344" and "15552013344"
/// all give "15552013344"; an extension ("x12", "ext. 12") is dropped; other
/// numbers keep their digits as written (no country code is guessed).
std::string normalize_caller_key(std::string_view value, CallerKeyKind kind);

/// Bytes of a new salt, and the fewest a salt file may hold.
inline constexpr std::size_t k_salt_bytes = 32;
inline constexpr std::size_t k_min_salt_bytes = 16;

/// HMAC-SHA-256 of normalized keys under one salt, first 8 bytes big-endian:
/// their 16-digit hex form (format_caller_hash) is what outputs show. Keyed
/// once, so a hash costs one short MAC. Thread-safe; copies share the key.
class CallerHasher {
public:
  explicit CallerHasher(std::string_view salt);
  std::uint64_t operator()(std::string_view normalized_key) const;

private:
  struct Impl;
  std::shared_ptr<const Impl> m_impl;
};

/// CallerHasher(salt)(normalized_key), for one-off use.
std::uint64_t hash_caller_key(std::string_view normalized_key, std::string_view salt);
/// 16 lower-case hex digits.
std::string format_caller_hash(std::uint64_t hash);

/// $XDG_CONFIG_HOME/callsight/salt (when XDG_CONFIG_HOME is an absolute path),
/// else $HOME/.config/callsight/salt; "" when neither is set.
std::string default_salt_path();

struct Salt {
  std::string bytes;
  bool created = false;            ///< the file did not exist and was made now
  bool readable_by_others = false; ///< group or other permission bits are set
};

/// Reads the salt file at `path` (its bytes as they are, at least
/// k_min_salt_bytes). When it does not exist and `create` is true, writes
/// k_salt_bytes random bytes there first (mode 0600, folders 0700, published
/// atomically so concurrent runs agree on one salt). nullopt and `error` (naming
/// the file) on failure.
std::optional<Salt> load_salt(const std::string& path, bool create, std::string& error);

// --- per-call records -----------------------------------------------------------

enum class CallOutcome : std::uint8_t { none, converted, cancelled };

std::string_view to_string(CallOutcome outcome);

/// What a journey needs of one call.
struct JourneyCall {
  std::uint64_t caller = 0; ///< hash_caller_key of the caller's key
  std::uint64_t order = 0;  ///< input order (CallResult::index, or a store's scan order)
  std::string date;         ///< as written in the call log, "" when unknown
  std::string channel;      ///< "" when unknown
  std::string campaign;
  std::string call_id;
  std::vector<std::uint32_t> topics; ///< tagged topics, taxonomy indices, ascending
  std::optional<double> customer_sentiment;
  CallOutcome outcome = CallOutcome::none;
};

/// Seconds since 1970-01-01 of an ISO 8601 date or date-time: "2026-10-05",
/// "2026-10-05T09:14", "2026-10-05 09:14:00.250", with "Z" or "+02:00" /
/// "-0500" (converted to UTC; a time without a zone is taken as UTC, so a log
/// in one local zone stays consistent). nullopt for anything else.
std::optional<std::int64_t> parse_iso_datetime(std::string_view text);

/// Turns joined per-call results into JourneyCall records. The caller key,
/// date, channel and campaign come from the call-log row a call was joined to
/// (CallResult::log_row); calls without a row or a usable key give no record.
///
/// Outcome of a call: converted by decide_conversion (the call log's
/// `converted` cell, or when it is empty a tagged conversion outcome topic);
/// else cancelled when a topic whose id starts with "cancel" (the default
/// taxonomy's `cancellation`) or a cancellation outcome topic was tagged, or
/// the log's outcome / status / disposition / result column contains "cancel";
/// else none.
class JourneyExtractor {
public:
  /// `key_column` and `channel_column` are call-log column names (aliases
  /// accepted); an empty `channel_column` means source, else campaign. Error
  /// (listing the log's columns) when a column is not in the log.
  static std::optional<JourneyExtractor>
  create(const CallLog& log, const CompiledTaxonomy& taxonomy, std::string_view key_column,
         std::string_view channel_column, std::string_view salt, std::string& error);

  /// The record of a joined call, or nullopt when it has no usable key.
  std::optional<JourneyCall> record(const CallResult& call) const;

  const std::string& key_column() const { return m_key_name; }
  /// The channel column used, "" when the log has neither source nor campaign.
  const std::string& channel_column() const { return m_channel_name; }

private:
  JourneyExtractor(const CallLog& log, std::string_view salt) : m_log(&log), m_hasher(salt) {}

  const CallLog* m_log;
  CallerHasher m_hasher;
  std::string m_key_name;
  std::string m_channel_name;
  CallerKeyKind m_kind = CallerKeyKind::automatic;
  std::vector<bool> m_outcome_topic; ///< per topic: is_conversion_topic
  std::vector<bool>
      m_cancel_topic; ///< per topic: id starts with "cancel", or a cancellation outcome
  bool m_has_converted_column = false;
  std::string m_status_name; ///< outcome/status column, "" when none
};

// --- journeys and what they add up to -------------------------------------------

/// One caller's calls, ordered by date (parse_iso_datetime), then input order;
/// calls without a readable date follow the dated ones in input order.
struct Journey {
  std::uint64_t caller = 0;
  std::vector<JourneyCall> calls;
  std::optional<std::size_t> converted_at; ///< index of the first converted call
  std::optional<std::size_t> cancelled_at; ///< index of the first cancelled call
  /// Channel of the first call, and of the converting call (converted
  /// journeys) or of the last call (others).
  std::string first_touch;
  std::string last_touch;
};

struct JourneyOptions {
  /// Topics raised on fewer of the calls before an event than this are not
  /// listed in TopicLift tables (too few to mean anything); they are counted.
  std::uint64_t min_topic_calls = 3;
};

struct ChannelRepeat {
  std::string channel;
  std::uint64_t callers = 0;        ///< callers whose first call came through the channel
  std::uint64_t repeat_callers = 0; ///< ... who called again
};

/// Converted journeys by the number of calls up to and including the
/// converting one: 1, 2, 3, 4 or more.
struct ConversionDepth {
  std::string first_touch; ///< "" for all journeys together
  std::uint64_t converted = 0;
  std::array<std::uint64_t, 4> calls{};
};

struct TopicLift {
  std::uint32_t topic = 0;
  std::uint64_t calls = 0;      ///< calls before the event that raised the topic
  std::uint64_t base_calls = 0; ///< linked calls that raised it
};

/// The calls immediately before an event (conversion or cancellation).
struct BeforeEvent {
  std::uint64_t events = 0;        ///< journeys with the event
  std::uint64_t on_first_call = 0; ///< ... where it came on the first call: no call before
  std::uint64_t calls = 0;         ///< calls before an event (events - on_first_call)
  std::uint64_t suppressed = 0;    ///< topics raised on 1 .. min_topic_calls-1 of them
  std::vector<TopicLift> topics;   ///< the others, by calls, then taxonomy order
};

struct TouchPair {
  std::string first_touch;
  std::string last_touch;
  std::uint64_t journeys = 0;
};

/// The part a channel plays in journeys.
struct ChannelRole {
  std::string channel;
  std::uint64_t first_touch = 0; ///< journeys whose first call came through it
  std::uint64_t follow_up = 0;   ///< later calls before a conversion (or the end)
  std::uint64_t closer = 0;      ///< converting calls
};

/// Time between consecutive dated calls of a caller.
struct CallGaps {
  std::uint64_t gaps = 0;
  std::optional<double> median_hours; ///< nearest-rank percentiles
  std::optional<double> p90_hours;
  /// < 1 day, 1-7 days, 7-30 days, >= 30 days (lower bounds inclusive).
  std::array<std::uint64_t, 4> histogram{};
};

struct JourneyStats {
  std::string caller_key;               ///< call-log column of the key (set by the builder's owner)
  std::string channel;                  ///< call-log column of the channel, likewise
  std::uint64_t calls = 0;              ///< linked calls (with a caller key)
  std::uint64_t calls_without_key = 0;  ///< calls seen without a row or a usable key
  std::uint64_t calls_without_date = 0; ///< linked calls whose date could not be read
  std::uint64_t callers = 0;
  std::uint64_t repeat_callers = 0;
  std::uint64_t converted = 0; ///< journeys with a converted call
  std::uint64_t cancelled = 0; ///< journeys with a cancelled call
  std::uint64_t min_topic_calls = 0;
  std::vector<std::uint64_t> topic_calls;           ///< linked calls per topic (the base rates)
  std::vector<ChannelRepeat> repeat_by_channel;     ///< by channel name
  std::vector<ConversionDepth> calls_to_conversion; ///< all first, then by first touch
  BeforeEvent before_conversion;
  BeforeEvent before_cancellation;
  std::vector<TouchPair> touch_pairs;     ///< converted journeys, by first then last touch
  std::vector<ChannelRole> channel_roles; ///< by channel name
  CallGaps gaps;
};

/// Collects JourneyCall records in any order and from any source, then builds
/// the journeys. Not thread-safe: feed it from one thread (the ordered sinks).
/// Records are kept compact (about 75 bytes plus the date, call id and topic
/// ids; channel and campaign names stored once), and a journey's JourneyCalls
/// are rebuilt only while it is visited.
class JourneyBuilder {
public:
  explicit JourneyBuilder(std::size_t topic_count, JourneyOptions options = {});

  void add(JourneyCall call);
  /// A call that could not be linked (no call-log row or no usable key).
  void add_unlinked() { ++m_unlinked; }

  /// Orders the calls, calls `visit` once per journey in caller-hash order and
  /// returns the aggregates. Deterministic whatever order the calls came in
  /// (given distinct `order` values). The builder is left empty.
  JourneyStats finish(const std::function<void(const Journey&)>& visit = {});

private:
  struct Stored {
    std::uint64_t caller = 0;
    std::uint64_t order = 0;
    std::int64_t time = 0;    ///< parse_iso_datetime of the date, when `dated`
    std::uint64_t text = 0;   ///< offset in m_text of the date, then the call id
    std::uint64_t topics = 0; ///< offset in m_topics
    double sentiment = 0.0;
    std::uint32_t date_length = 0;
    std::uint32_t id_length = 0;
    std::uint32_t topic_count = 0;
    std::uint32_t channel = 0; ///< index in m_names
    std::uint32_t campaign = 0;
    bool dated = false;
    bool has_sentiment = false;
    CallOutcome outcome = CallOutcome::none;
  };

  std::uint32_t intern(const std::string& name);
  JourneyCall expand(const Stored& stored) const;

  std::size_t m_topic_count;
  JourneyOptions m_options;
  std::vector<Stored> m_calls;
  std::string m_text;
  std::vector<std::uint32_t> m_topics;
  std::vector<std::string> m_names;
  std::unordered_map<std::string, std::uint32_t> m_name_ids;
  std::uint64_t m_unlinked = 0;
};

} // namespace callsight
