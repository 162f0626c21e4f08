// Evaluation: how well the tagger agrees with topics a person assigned to
// calls. Labels come from a CSV; per-call results from the pipeline are scored
// per topic (precision, recall, F1), averaged, and every disagreement is kept
// with its evidence so a taxonomy author sees why.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsight/aggregate.hpp"
#include "callsight/matcher.hpp"
#include "callsight/metadata.hpp"

namespace callsight {

/// True/false positives and false negatives of one topic (or of all topics
/// summed), and the ratios they give. A ratio whose denominator is zero is
/// undefined (nullopt), never a made-up 0 or 1.
struct ScoreCounts {
  std::uint64_t tp = 0;
  std::uint64_t fp = 0;
  std::uint64_t fn = 0;

  /// Calls labelled with the topic.
  std::uint64_t support() const { return tp + fn; }
  /// tp / (tp + fp); undefined when the tagger never predicted the topic.
  std::optional<double> precision() const;
  /// tp / (tp + fn); undefined when no call is labelled with the topic.
  std::optional<double> recall() const;
  /// 2tp / (2tp + fp + fn), the harmonic mean of precision and recall;
  /// undefined only when tp, fp and fn are all 0 (nothing to get wrong).
  std::optional<double> f1() const;
  ScoreCounts& operator+=(const ScoreCounts& other);
};

struct ScoreAverages {
  std::optional<double> precision;
  std::optional<double> recall;
  std::optional<double> f1;
};

/// Micro average: the ratios of the counts summed over topics, so frequent
/// topics weigh more.
ScoreAverages micro_average(const std::vector<ScoreCounts>& topics);
/// Macro average: the mean of each topic's ratio, every topic weighing the
/// same; a topic whose ratio is undefined is left out of that ratio's mean.
ScoreAverages macro_average(const std::vector<ScoreCounts>& topics);

enum class EvalSplit : std::uint8_t { all, train, test };
std::string_view to_string(EvalSplit split);

/// One row of the labels file.
struct LabelRow {
  std::size_t line = 0;              ///< 1-based line in the labels file
  std::string key;                   ///< the call id, or the file when the row has no call id
  std::vector<std::uint32_t> topics; ///< taxonomy topic indexes, ascending, distinct
  std::string split;                 ///< "train", "test" or "" (no split)
  std::string note;                  ///< what the labeller heard
};

/// Hand-assigned topics per call, from CSV with a header: `call_id` and/or
/// `file` (the call-log names and aliases, joined the same way: call id, path,
/// path suffix, file name), `topics` (topic ids separated by ';', empty for
/// none), and optional `split` (train / test) and `note`. Other columns are
/// ignored.
class LabelSet {
public:
  /// Errors ("line N: reason"): no key or topics column, an unknown topic id
  /// (listing the known ones), an unknown split, ragged or duplicate rows.
  static std::optional<LabelSet> parse(std::string_view csv_text, const std::vector<Topic>& topics,
                                       std::string& error);

  const std::vector<LabelRow>& rows() const { return m_rows; }
  bool has_split() const { return m_has_split; }
  /// Index of the row of a call, or -1.
  long find(std::string_view call_id, std::string_view path) const;

private:
  std::vector<LabelRow> m_rows;
  bool m_has_split = false;
  std::optional<CallLog> m_join; ///< the same join as a call log's
};

/// The labeller's words for one topic. A note holds items separated by ';':
/// `topic=words` items (quotes around the words optional) belong to that
/// topic, other items are free text about the call. Returns the topic's item,
/// else the free-text items, else "".
std::string note_for_topic(std::string_view note, std::string_view topic_id);

/// A disagreement between the tagger and the labels on one call and topic.
struct EvalMistake {
  std::string call_id;
  std::string file;
  std::uint32_t topic = 0;
  bool false_positive = false; ///< tagged but not labelled; else labelled but missed
  std::string evidence;        ///< false positive: the snippet around the first hit
  std::string hit;             ///< false positive: the words that matched
  std::optional<double> time_s;
  std::string note; ///< false negative: the labeller's note for the topic
};

/// A label row that no analyzed call matched.
struct UnmatchedLabel {
  std::size_t line = 0;
  std::string key;
};

struct EvalResult {
  std::vector<ScoreCounts> topics; ///< by taxonomy topic index
  std::uint64_t calls_scored = 0;
  std::uint64_t calls_other_split = 0;             ///< labelled, but for another split
  std::vector<std::string> calls_without_label;    ///< files, in input order
  std::vector<UnmatchedLabel> labels_without_call; ///< rows of the chosen split, file order
  std::vector<EvalMistake> mistakes;               ///< input order, then topic order
  std::vector<FileError> failed_files;             ///< input order
};

/// Scores per-call results against a label set. Feed calls in input order
/// (the pipeline's on_call does), then take the result.
class Evaluator {
public:
  Evaluator(const CompiledTaxonomy& taxonomy, const LabelSet& labels, EvalSplit split);
  void add(const CallResult& call);
  void add_error(const FileError& error);
  EvalResult finish();

private:
  const CompiledTaxonomy& m_taxonomy;
  const LabelSet& m_labels;
  EvalSplit m_split;
  std::vector<bool> m_row_used;
  EvalResult m_result;
};

/// What the eval report says besides the scores.
struct EvalReportContext {
  const CompiledTaxonomy* taxonomy = nullptr;
  std::string taxonomy_source; ///< "built-in" or the file path
  std::string labels_source;
  EvalSplit split = EvalSplit::all;
};

/// The evaluation as JSON (schema_version 1); undefined ratios are null.
nlohmann::ordered_json eval_to_json(const EvalResult& result, const EvalReportContext& context);
void write_eval_json(std::ostream& out, const EvalResult& result, const EvalReportContext& context);
/// The same content as Markdown: a table per topic, the averages, then every
/// error with its evidence or the labeller's note.
void write_eval_markdown(std::ostream& out, const EvalResult& result,
                         const EvalReportContext& context);

} // namespace callsight
