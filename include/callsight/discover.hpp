// Discover: mines candidate phrases (1-4 words) from customer turns, ranks
// them by keyness (signed Dunning log-likelihood G2) against a reference
// corpus, and flags those no taxonomy topic covers, with a topic stub to paste.
#pragma once
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsight/aggregate.hpp"
#include "callsight/call.hpp"
#include "callsight/matcher.hpp"
#include "callsight/pipeline.hpp"
#include "callsight/store.hpp"
#include "callsight/text.hpp"

namespace callsight {

inline constexpr std::size_t k_max_phrase_words = 4;

/// Where a phrase occurs; ordered by input order, so the earliest site wins
/// whatever the thread count.
struct PhraseSite {
  std::uint64_t file = UINT64_MAX; ///< input order of the file; UINT64_MAX: none
  std::uint32_t call = 0;          ///< call within the file
  std::uint32_t turn = 0;
  std::uint32_t begin = 0; ///< byte offsets in the turn text
  std::uint32_t end = 0;
  auto operator<=>(const PhraseSite&) const = default;
};

struct PhraseEntry {
  std::uint64_t frequency = 0; ///< occurrences
  std::uint64_t calls = 0;     ///< calls with at least one occurrence
  /// Surface forms (normalized words joined by spaces) and their occurrences.
  std::vector<std::pair<std::string, std::uint64_t>> surfaces;
  PhraseSite first; ///< earliest occurrence in input order

  /// The most frequent surface form; ties go to the byte-wise smallest.
  std::string_view surface() const;
  void add_surface(std::string_view surface, std::uint64_t count);
};

/// Phrase counts of one corpus, keyed by the stems of the phrase's words
/// joined with single spaces ("rate hike letter"). Any table of this shape
/// can be a reference: a mined baseline folder, a shipped frequency list, or
/// an earlier period from a store. Adding tables (+=) sums everything, so the
/// result does not depend on the order.
struct PhraseCounts {
  std::uint64_t calls = 0;
  std::uint64_t tokens = 0; ///< every word of the mined turns, stopwords included
  /// Phrases of up to this many words are counted exhaustively; longer ones
  /// are estimated (see frequency()).
  std::size_t max_words = k_max_phrase_words;
  std::unordered_map<std::string, PhraseEntry> phrases;

  PhraseCounts& operator+=(const PhraseCounts& other);

  /// Occurrences of the phrase `key`. Up to max_words words: the count (0
  /// when absent). Longer: estimated with the Markov chain rule over
  /// max_words-grams, e.g. for max_words 2: f(a b c) ~ f(a b) f(b c) / f(b).
  double frequency(std::string_view key) const;
};

/// Signed log-likelihood G2 (Dunning 1993; Rayson and Garside 2000) of a
/// phrase seen `target` times in `target_total` words against `reference`
/// times in `reference_total` words: positive when the phrase is relatively
/// more frequent in the target, negative when less, 0 when equal or when a
/// total is 0. Frequencies may be fractional (estimated).
double log_likelihood_g2(double target, double target_total, double reference,
                         double reference_total);

/// One word a line; '#' starts a comment line; words are normalized.
std::unordered_set<std::string> parse_word_list(std::string_view text);

/// The built-in English stopword list (data/stopwords_en.txt).
std::string_view default_stopwords_en();

/// The built-in English background frequency list (data/background_en.tsv).
std::string_view default_background_en();

/// Parses a frequency list: comment lines start with '#'; the first other
/// line is "@tokens<TAB>N" (words in the corpus the counts come from); then
/// "phrase<TAB>count" lines, phrases of 1 to 4 words. Each phrase is stemmed
/// with `stemmer`; counts of phrases with the same stems add up. The table's
/// max_words is its longest phrase. nullopt and `error` ("line N: reason")
/// when malformed.
std::optional<PhraseCounts> parse_frequency_list(std::string_view text, Stemmer& stemmer,
                                                 std::string& error);

/// What phrase mining keeps.
struct MiningOptions {
  std::string language = "english"; ///< Snowball stemmer language
  /// Normalized words that may not start or end a phrase (they may stand inside).
  std::unordered_set<std::string> stopwords;
  std::size_t max_words = k_max_phrase_words;
};

/// Mines one thread's calls into a PhraseCounts. Not thread-safe: one per
/// thread (it owns a stemmer and a word cache).
///
/// Phrases are runs of 1..max_words words of customer turns (every turn of a
/// call whose roles are all unknown; unknown turns of a call with roles are
/// skipped) that do not cross a clause break, do not start or end with a
/// stopword, and contain no digits-only word and no word redaction would
/// replace (phone numbers, spoken digit runs, account codes ...).
class PhraseMiner {
public:
  explicit PhraseMiner(const MiningOptions& options);
  ~PhraseMiner();
  PhraseMiner(const PhraseMiner&) = delete;
  PhraseMiner& operator=(const PhraseMiner&) = delete;

  /// Adds `call` (call number `call_index` of file number `file_index`).
  void add(const Call& call, std::uint64_t file_index, std::uint32_t call_index,
           PhraseCounts& counts);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Byte ranges of `original` that redaction replaced by placeholders in
/// `redacted`, in order.
std::vector<std::pair<std::size_t, std::size_t>> redacted_ranges(std::string_view original,
                                                                 std::string_view redacted);

/// The mined corpus: its counts, the files in input order (for examples) and
/// the files that could not be used.
struct MinedCorpus {
  PhraseCounts counts;
  std::vector<std::string> files;
  std::vector<FileError> errors; ///< in input order
};

/// One file to mine.
struct MiningInput {
  std::string path;
  std::string error; ///< found while listing it: reported, not read
  /// The calls to mine, by their order in the file; nullopt: every call.
  std::optional<std::vector<std::uint32_t>> calls;
  /// content_hash() the bytes must have (the calls were chosen from a store
  /// that read these bytes); other bytes make the file an error.
  std::optional<std::uint64_t> content_hash;
};

/// Reads, parses (options.input_format, filename_pattern, roles) and mines
/// `inputs` with options.threads workers; `files` of the result are their
/// paths in this order. The result does not depend on the thread count.
/// Stops early when options.cancel is set.
MinedCorpus mine_files(const std::vector<MiningInput>& inputs, const AnalyzeOptions& options,
                       const MiningOptions& mining);

/// mine_files over every transcript under `inputs` (files and folders).
MinedCorpus mine_corpus(const std::vector<std::string>& inputs, const AnalyzeOptions& options,
                        const MiningOptions& mining);

/// mine_files over the stored calls of `files` (Store::window_calls), re-read
/// from their stored paths: a file that is gone, unreadable, changed since it
/// was stored or no longer parses is an error of the result.
MinedCorpus mine_stored_calls(const std::vector<StoredFileCalls>& files,
                              const AnalyzeOptions& options, const MiningOptions& mining);

/// A phrase more frequent in the target than in the reference.
struct RankedPhrase {
  std::string key;    ///< stems joined by spaces
  std::string phrase; ///< most common surface form
  std::size_t words = 0;
  std::uint64_t calls = 0;
  std::uint64_t frequency = 0;
  double reference_frequency = 0; ///< may be estimated (fractional)
  double g2 = 0;
  /// Target rate over reference rate, both add-0.5 smoothed; nullopt
  /// ("new") when the reference has no occurrence.
  std::optional<double> growth;
  PhraseSite first;
};

struct RankOptions {
  std::uint64_t min_calls = 3;
  std::size_t top = 50;
  double min_g2 = 10.83; ///< chi-square critical value for p < 0.001, 1 d.f.
  /// A phrase is dropped when a longer candidate containing it accounts for
  /// at least this share of its occurrences ("hike" inside "rate hike").
  double subsume_share = 0.75;
};

/// Over-represented phrases with at least min_calls calls and G2 >= min_g2,
/// without those subsumed by a longer candidate, highest G2 first (ties:
/// more calls, then key), at most `top`.
std::vector<RankedPhrase> rank_phrases(const PhraseCounts& target, const PhraseCounts& reference,
                                       const RankOptions& options);

/// The first topic (in taxonomy order) that would tag the phrase itself,
/// spoken by a customer, ignoring min_hits; "" when none. Stems, prefixes,
/// exact forms and exclusions behave as in `analyze`.
class CoverageChecker {
public:
  explicit CoverageChecker(const CompiledTaxonomy& taxonomy);
  std::string covered_by(std::string_view phrase);

private:
  CompiledTaxonomy m_taxonomy;
  Matcher m_matcher;
};

/// A taxonomy topic for an uncovered phrase, ready to paste into "topics":
/// id (a slug of the phrase), label, kind concern, speaker customer, phrases.
nlohmann::ordered_json topic_stub(std::string_view phrase);

/// A ranked phrase with what the report says about it.
struct DiscoveredPhrase {
  RankedPhrase ranked;
  double share = 0;       ///< of the target's calls
  std::string covered_by; ///< topic id, "" when uncovered
  std::string example_file;
  std::string example; ///< redacted unless redaction is off
};

struct DiscoverReport {
  std::uint64_t calls = 0;
  std::uint64_t words = 0;
  std::uint64_t files_failed = 0;
  std::string reference_kind;   ///< "baseline", "background" or "store"
  std::string reference_source; ///< folders, list or store path
  /// With a store reference: the target is `current`, the reference `previous`.
  std::optional<ReportWindow> window;
  std::uint64_t calls_without_date = 0; ///< stored calls neither window can hold
  std::uint64_t reference_calls = 0;
  std::uint64_t reference_words = 0;
  std::string language;
  std::string taxonomy_source;
  RankOptions rank;
  std::vector<DiscoveredPhrase> phrases;
  std::vector<FileError> errors;
};

/// Fills coverage and a redacted example snippet (about `width` bytes, from
/// the earliest call in input order, re-read from `files`) for each phrase.
std::vector<DiscoveredPhrase>
describe_phrases(const std::vector<RankedPhrase>& ranked, const PhraseCounts& target,
                 const std::vector<std::string>& files, const AnalyzeOptions& options,
                 const CompiledTaxonomy& taxonomy, std::size_t width = 160);

nlohmann::ordered_json discover_to_json(const DiscoverReport& report);
void write_discover_json(std::ostream& out, const DiscoverReport& report);
/// One row per phrase; cells guarded against formula injection.
void write_discover_csv(std::ostream& out, const DiscoverReport& report);
/// A table of phrases and the topic stubs of the uncovered ones.
void write_discover_markdown(std::ostream& out, const DiscoverReport& report);

} // namespace callsight
