// Call metrics: talk time, talk ratio, silences, interruptions, speaking rate,
// monologues and questions per side, computed from a Call's turns where the
// transcript gives times; what the transcript cannot tell stays absent.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsight/call.hpp"

namespace callsight {

/// Definitions used below:
/// - A time is usable when it is finite and within +-k_max_metric_time_s;
///   anything else (NaN, infinity, absurd values) counts as absent.
/// - A turn is *timed* when it has usable start_s and end_s. A turn whose end
///   is before its start (bad engine output) is clamped to zero length at its
///   start; zero-length turns count as turns with no talk time.
/// - A call *has times* when at least one turn is timed, and *has roles* when
///   at least one turn is agent or customer. Metrics that need times or roles
///   are absent (std::nullopt, omitted from JSON) otherwise: never a 0 that
///   looks measured.
/// - Time metrics walk the turns in start order (transcript order when it is
///   already sorted, which every parser produces; otherwise one stable sort of
///   the turn indexes), so out-of-order turns still give sensible silences.
constexpr double k_max_metric_time_s = 1e7;

/// Negative or NaN thresholds act as 0 (then any gap counts, and any overlap
/// at all is an interruption).
struct MetricsOptions {
  /// Non-talk time counts stretches with nobody speaking that are strictly
  /// longer than this (a gap of exactly the threshold is not counted).
  double gap_threshold_s = 3.0;
  /// A turn is an interruption when it starts while a different speaker's
  /// turn is still going and the two overlap by at least this much.
  double interruption_min_overlap_s = 0.3;
  /// At most this many silence instances are listed (the longest ones, in time
  /// order); silence_s and silence_count always cover every gap.
  std::size_t max_silence_instances = 20;
};

/// One stretch of non-talk time longer than the gap threshold.
struct SilenceGap {
  double start_s = 0.0; ///< when the last speech before it ended
  double end_s = 0.0;   ///< when the next turn started
  double duration_s = 0.0;
  Role before_role = Role::unknown; ///< role of the turn that ended at start_s
  Role after_role = Role::unknown;  ///< role of the turn that starts at end_s
  std::uint32_t before_turn = 0;    ///< turn indexes into Call::turns
  std::uint32_t after_turn = 0;
  bool operator==(const SilenceGap&) const = default;
};

/// Every metric of one call. Plain integers are always known; optionals are
/// absent when the transcript lacks what they need (see each field).
struct CallMetrics {
  // Counts that need nothing but the turns.
  std::uint64_t turns = 0;
  std::uint64_t agent_turns = 0; ///< always present: the role tally itself
  std::uint64_t customer_turns = 0;
  std::uint64_t unknown_turns = 0;
  std::uint64_t timed_turns = 0; ///< turns with usable start and end
  std::uint64_t words = 0;       ///< callsight::tokenize words over all turns
  std::uint64_t questions = 0;   ///< over all turns, see count_questions()

  // Need roles.
  std::optional<std::uint64_t> agent_words;
  std::optional<std::uint64_t> customer_words;
  std::optional<std::uint64_t> agent_questions;
  std::optional<std::uint64_t> customer_questions;
  /// Words in the customer's longest turn (0 when the customer never speaks).
  std::optional<std::uint64_t> longest_customer_turn_words;
  std::optional<std::uint32_t> longest_customer_turn_words_turn; ///< its index

  /// Last speech minus first start. The last speech is the latest usable end,
  /// or a later start of a turn without an end, in which case the value is a
  /// lower bound (duration_lower_bound): the last turn's length is unknown.
  /// Needs a start and either some end or a second start.
  std::optional<double> duration_s;
  bool duration_lower_bound = false;

  // Need times.
  std::optional<double> talk_s;         ///< time anyone speaks (union of turns)
  std::optional<double> unknown_talk_s; ///< time speakers without a role speak
  std::optional<double> silence_s;      ///< sum of gaps over the threshold
  std::optional<std::uint64_t> silence_count;
  std::optional<double> silence_ratio;        ///< silence_s / duration_s, when that is > 0
  std::vector<SilenceGap> silences;           ///< longest gaps, in time order (capped)
  std::optional<std::uint64_t> interruptions; ///< by anyone, roles or not

  // Need times and roles.
  /// A side's talk time is the union of its turns' intervals: its own turns
  /// that overlap count once, crosstalk with the other side counts for both.
  std::optional<double> agent_talk_s;
  std::optional<double> customer_talk_s;
  /// agent_talk_s / (agent_talk_s + customer_talk_s); absent when both are 0.
  std::optional<double> talk_ratio;
  /// Interruptions whose interrupter is the agent (over anyone else); absent,
  /// like the talk time, when the side has turns but none of them is timed.
  std::optional<std::uint64_t> interruptions_by_agent;
  std::optional<std::uint64_t> interruptions_by_customer;
  /// Words of a side's timed turns per minute of its talk time; absent when
  /// that talk time is 0.
  std::optional<double> agent_wpm;
  std::optional<double> customer_wpm;
  /// Length of the customer's longest timed turn (parsers already merge a
  /// speaker's consecutive segments into one turn); absent when the customer
  /// has no timed turn.
  std::optional<double> longest_customer_monologue_s;
  std::optional<std::uint32_t> longest_customer_monologue_turn;
  bool operator==(const CallMetrics&) const = default;
};

/// Computes every metric in linear time: one pass in transcript order for the
/// counts (one tokenize per turn), one sweep in start order for the times.
/// `turn_words`, when its size equals the number of turns, gives each turn's
/// word count (callsight::tokenize tokens) so a caller that already tokenized
/// need not do it twice; otherwise it is ignored and the turns are tokenized.
CallMetrics compute_call_metrics(const Call& call, const MetricsOptions& options,
                                 std::span<const std::uint32_t> turn_words);
CallMetrics compute_call_metrics(const Call& call, const MetricsOptions& options = {});

/// Questions in one turn's text. Punctuated text: each sentence ending in '?'
/// (also fullwidth U+FF1F and Arabic U+061F) counts once, however many marks
/// ("what??" is one; a '?' with no word before it, as in "[?]", is none).
/// Unpunctuated text (`punctuated` false: the whole call has no . ! ?, as raw
/// ASR output) counts 1 when the turn's first word, after up to three fillers
/// ("um", "so", "okay" ...), is a question opener (k_question_openers). Such
/// text has no sentence boundaries, so a turn counts at most one question.
std::uint64_t count_questions(std::string_view text, bool punctuated);

/// English words that open a spoken question, for unpunctuated transcripts.
/// Deliberately small: openers that often start statements or commands
/// ("have a nice day", "don't worry", "can't complain") are left out.
inline constexpr std::string_view k_question_openers[] = {
    "what",  "what's", "when",   "where",   "where's", "why",  "who",   "who's",
    "whose", "which",  "how",    "how's",   "is",      "are",  "was",   "were",
    "do",    "does",   "did",    "can",     "could",   "will", "would", "should",
    "isn't", "aren't", "wasn't", "doesn't", "didn't"};
/// Words skipped before looking for an opener in unpunctuated text.
inline constexpr std::string_view k_question_fillers[] = {"um", "uh", "so",   "and",  "but", "okay",
                                                          "ok", "oh", "well", "yeah", "hi",  "hey"};

/// Metrics addressable by name (taxonomy conditions, reports). The order is
/// the order of metric_names() and of metrics_json(); append, never reorder.
enum class Metric : std::uint8_t {
  duration_s,
  talk_s,
  agent_talk_s,
  customer_talk_s,
  unknown_talk_s,
  talk_ratio,
  silence_s,
  silence_count,
  silence_ratio,
  interruptions,
  interruptions_by_agent,
  interruptions_by_customer,
  agent_wpm,
  customer_wpm,
  longest_customer_monologue_s,
  longest_customer_turn_words,
  questions,
  agent_questions,
  customer_questions,
  words,
  agent_words,
  customer_words,
  turns,
  agent_turns,
  customer_turns,
  unknown_turns,
  timed_turns,
};

/// Stable snake_case name of a metric (the enumerator's name).
std::string_view to_string(Metric metric);
/// The metric with that exact name, or nullopt (so a taxonomy can reject a
/// misspelled condition when it is loaded, and look names up only once).
std::optional<Metric> metric_from_name(std::string_view name);
/// Every metric name, in enum order.
std::vector<std::string_view> metric_names();

/// A metric's value as a number (counts converted), or nullopt when absent.
std::optional<double> metric_value(const CallMetrics& metrics, Metric metric);
/// Same by name; nullopt for an unknown name as well.
std::optional<double> metric_value(const CallMetrics& metrics, std::string_view name);

/// The per-call JSON object: every present metric under its name, in
/// metric_names() order; absent metrics are omitted, not null. Seconds are
/// rounded to milliseconds, ratios to 4 places, words per minute to 0.1.
/// Extra keys, each only when it applies: duration_lower_bound (true),
/// longest_customer_monologue_turn, longest_customer_turn_words_turn, and
/// silences (array of {start_s, end_s, duration_s, before, after, before_turn,
/// after_turn}, only when non-empty).
nlohmann::ordered_json metrics_json(const CallMetrics& metrics);

} // namespace callsight
