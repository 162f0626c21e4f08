// Scoring for `callsight eval`: per-topic confusion counts, precision, recall
// and F1, micro and macro averages, and the list of disagreements.
#include <algorithm>

#include "callsight/eval.hpp"

namespace callsight {
namespace {

std::optional<double> ratio(std::uint64_t numerator, std::uint64_t denominator) {
  if (denominator == 0) {
    return std::nullopt;
  }
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

} // namespace

std::optional<double> ScoreCounts::precision() const {
  return ratio(tp, tp + fp);
}

std::optional<double> ScoreCounts::recall() const {
  return ratio(tp, tp + fn);
}

std::optional<double> ScoreCounts::f1() const {
  return ratio(2 * tp, 2 * tp + fp + fn);
}

ScoreCounts& ScoreCounts::operator+=(const ScoreCounts& other) {
  tp += other.tp;
  fp += other.fp;
  fn += other.fn;
  return *this;
}

ScoreAverages micro_average(const std::vector<ScoreCounts>& topics) {
  ScoreCounts sum;
  for (const ScoreCounts& topic : topics) {
    sum += topic;
  }
  return {sum.precision(), sum.recall(), sum.f1()};
}

ScoreAverages macro_average(const std::vector<ScoreCounts>& topics) {
  const auto mean = [&](std::optional<double> (ScoreCounts::*measure)() const) {
    double total = 0.0;
    std::size_t count = 0;
    for (const ScoreCounts& topic : topics) {
      if (const std::optional<double> value = (topic.*measure)()) {
        total += *value;
        ++count;
      }
    }
    return count == 0 ? std::nullopt : std::optional<double>(total / static_cast<double>(count));
  };
  return {mean(&ScoreCounts::precision), mean(&ScoreCounts::recall), mean(&ScoreCounts::f1)};
}

std::string_view to_string(EvalSplit split) {
  switch (split) {
  case EvalSplit::train:
    return "train";
  case EvalSplit::test:
    return "test";
  case EvalSplit::all:
    break;
  }
  return "all";
}

Evaluator::Evaluator(const CompiledTaxonomy& taxonomy, const LabelSet& labels, EvalSplit split)
    : m_taxonomy(taxonomy), m_labels(labels), m_split(split),
      m_row_used(labels.rows().size(), false) {
  m_result.topics.resize(taxonomy.topics().size());
}

void Evaluator::add(const CallResult& call) {
  const long found = m_labels.find(call.call_id, call.path);
  if (found < 0) {
    m_result.calls_without_label.push_back(call.path);
    return;
  }
  const auto row_index = static_cast<std::size_t>(found);
  const LabelRow& row = m_labels.rows()[row_index];
  if (m_split != EvalSplit::all && row.split != to_string(m_split)) {
    ++m_result.calls_other_split;
    return;
  }
  m_row_used[row_index] = true;
  ++m_result.calls_scored;

  // Both lists are in ascending topic order: one merge pass finds TP, FP, FN.
  const std::vector<TopicMatch>& predicted = call.tags.topics;
  std::size_t p = 0;
  std::size_t l = 0;
  while (p < predicted.size() || l < row.topics.size()) {
    const std::uint32_t next_predicted =
        p < predicted.size() ? predicted[p].topic : static_cast<std::uint32_t>(-1);
    const std::uint32_t next_labelled =
        l < row.topics.size() ? row.topics[l] : static_cast<std::uint32_t>(-1);
    if (next_predicted == next_labelled) {
      ++m_result.topics[next_predicted].tp;
      ++p;
      ++l;
    } else if (next_predicted < next_labelled) {
      ++m_result.topics[next_predicted].fp;
      EvalMistake mistake{call.call_id, call.path, next_predicted, true, {}, {}, {}, {}};
      if (p < call.evidence.size()) {
        mistake.evidence = call.evidence[p];
      }
      if (p < call.evidence_hits.size()) {
        mistake.hit = call.evidence_hits[p];
      }
      if (p < call.evidence_time.size()) {
        mistake.time_s = call.evidence_time[p];
      }
      m_result.mistakes.push_back(std::move(mistake));
      ++p;
    } else {
      ++m_result.topics[next_labelled].fn;
      m_result.mistakes.push_back(
          EvalMistake{call.call_id,
                      call.path,
                      next_labelled,
                      false,
                      {},
                      {},
                      {},
                      note_for_topic(row.note, m_taxonomy.topics()[next_labelled].id)});
      ++l;
    }
  }
}

void Evaluator::add_error(const FileError& error) {
  m_result.failed_files.push_back(error);
}

EvalResult Evaluator::finish() {
  const std::vector<LabelRow>& rows = m_labels.rows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool in_split = m_split == EvalSplit::all || rows[i].split == to_string(m_split);
    if (in_split && !m_row_used[i]) {
      m_result.labels_without_call.push_back({rows[i].line, rows[i].key});
    }
  }
  std::sort(m_result.failed_files.begin(), m_result.failed_files.end(),
            [](const FileError& a, const FileError& b) { return a.index < b.index; });
  return std::move(m_result);
}

} // namespace callsight
