// Sentiment: a lexicon scorer for phone-call language (negation, intensifiers,
// "but" contrast) that scores each turn, each speaker and role, each quarter of
// a call, and the customer's trajectory from the start of the call to its end.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/call.hpp"
#include "callsight/text.hpp"

namespace callsight {

namespace detail {
struct SentimentData; // entries and their compiled tables, defined in sentiment.cpp
} // namespace detail

/// What a lexicon entry does. The file syntax is documented in the header of
/// data/sentiment_lexicon.tsv.
enum class SentimentEntryKind : std::uint8_t {
  term,        ///< carries a score in [-3, 3]; 0 marks a neutral phrase ("good morning")
  intensifier, ///< multiplies the next term ("very" 1.3, "kind of" 0.6)
  negator,     ///< flips and damps terms up to 3 words later in the same clause
  contrast,    ///< "but": the words after it in the sentence weigh more, before it less
  concession,  ///< "although": its own clause weighs less, what follows it more
};

/// Words and weights the scorer uses. Immutable once built and cheap to copy
/// (the compiled tables are shared); one lexicon serves every thread.
class SentimentLexicon {
public:
  /// Parses lexicon text. On failure returns nullopt and sets `error` to one
  /// "line N: message" per problem, newline-separated (at most 20 listed).
  static std::optional<SentimentLexicon> parse(std::string_view tsv, std::string& error);

  /// The lexicon shipped in the binary (data/sentiment_lexicon.tsv).
  static const SentimentLexicon& built_in();

  /// Adds `extra`'s entries; an entry for the same words replaces this one
  /// whatever its section, and an entry with the value "off" removes it.
  void merge(const SentimentLexicon& extra);

  /// Active entries of one kind (removed and neutral entries not counted).
  std::size_t count(SentimentEntryKind kind) const;
  /// Active entries of every kind.
  std::size_t size() const;

private:
  friend class SentimentScorer;
  SentimentLexicon();
  std::shared_ptr<const detail::SentimentData> m_data;
};

/// A mean kept as an exact fixed-point sum (micro-units), so that merging
/// partial means in any order, on any thread count or shard split, gives
/// byte-identical reports.
struct SentimentMean {
  std::int64_t sum_micros = 0;
  std::uint64_t count = 0;

  void add(double score);
  std::optional<double> mean() const; ///< nullopt when nothing was added
  SentimentMean& operator+=(const SentimentMean& other);
  bool operator==(const SentimentMean&) const = default;
};

/// One turn's score.
struct TurnSentiment {
  double score = 0.0;      ///< in [-1, 1]; 0 when no sentiment term matched
  std::uint32_t terms = 0; ///< sentiment terms matched; 0 = neutral turn
  bool operator==(const TurnSentiment&) const = default;
};

/// Mean sentiment of one speaker label (in order of first appearance).
struct SpeakerSentiment {
  std::string speaker;
  Role role = Role::unknown;
  SentimentMean sentiment;
  bool operator==(const SpeakerSentiment&) const = default;
};

enum class Trajectory : std::uint8_t { unknown, improved, worsened, flat };
std::string_view to_string(Trajectory trajectory);

/// How turns were assigned to quarters of the call.
enum class QuarterBasis : std::uint8_t {
  none,     ///< the call has no turns
  time,     ///< every turn has a start time: by the turn's midpoint in the call's time span
  position, ///< otherwise by the turn's index among all turns
};
std::string_view to_string(QuarterBasis basis);

/// Everything the scorer says about one call. Means are over the turns with
/// at least one sentiment term: neutral turns (names, addresses, "okay") would
/// only pull every mean toward 0. Turns with Role::unknown count as "unknown";
/// a call without roles has no customer figures and an unknown trajectory.
struct CallSentiment {
  std::vector<TurnSentiment> turns; ///< one per Call::turns entry
  SentimentMean all;
  SentimentMean agent;
  SentimentMean customer;
  SentimentMean unknown;
  std::vector<SpeakerSentiment> speakers;
  std::array<SentimentMean, 4> customer_quarters;
  QuarterBasis quarter_basis = QuarterBasis::none;
  /// Mean of the customer's first third of scored turns against the last
  /// third; needs k_min_trajectory_turns scored customer turns.
  Trajectory customer_trajectory = Trajectory::unknown;
  std::optional<double> customer_start; ///< the two means compared, when known
  std::optional<double> customer_end;
  bool operator==(const CallSentiment&) const = default;
};

/// Fewest scored customer turns for a trajectory; fewer gives `unknown`.
inline constexpr std::size_t k_min_trajectory_turns = 3;
/// |end - start| at or below this is `flat`.
inline constexpr double k_trajectory_threshold = 0.2;

/// Per-thread scorer: keeps its own word cache and scratch buffers, so it is
/// not thread-safe; make one per worker. Holds a share of the lexicon's tables.
class SentimentScorer {
public:
  explicit SentimentScorer(const SentimentLexicon& lexicon);
  ~SentimentScorer();
  SentimentScorer(const SentimentScorer&) = delete;
  SentimentScorer& operator=(const SentimentScorer&) = delete;

  /// Score of one stretch of text in [-1, 1]: S / (|S| + 3), where S sums each
  /// term's score after intensifiers, negation and contrast. A raw sum of +-3
  /// (one strong word) maps to +-0.5. 0 when no term matches.
  double score_text(std::string_view text);
  TurnSentiment score_turn(std::string_view text);
  CallSentiment score_call(const Call& call);
  /// Same, reusing tokens already made for the call (one per turn, in order).
  CallSentiment score_call(const Call& call, const TurnTokens& tokens);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

enum class Polarity : std::uint8_t { negative, neutral, positive };
std::string_view to_string(Polarity polarity);

/// Turn scores above +threshold are positive, below -threshold negative.
/// The default was tuned on data/sentiment_labelled_turns.tsv (first 2/3).
inline constexpr double k_polarity_threshold = 0.05;
Polarity classify_polarity(double score, double threshold = k_polarity_threshold);

/// Sentiment over many calls (per topic, per group, per shard), merged with
/// += in any order to the same result.
struct SentimentTotals {
  std::uint64_t calls = 0;
  SentimentMean customer; ///< over calls: mean of each call's customer mean
  SentimentMean agent;
  SentimentMean all;
  std::array<SentimentMean, 4> customer_quarters;
  std::array<std::uint64_t, 4> trajectories{}; ///< indexed by Trajectory

  void add(const CallSentiment& call);
  SentimentTotals& operator+=(const SentimentTotals& other);
  bool operator==(const SentimentTotals&) const = default;
};

} // namespace callsight
