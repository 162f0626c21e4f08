// Reports of `callsight eval`: JSON for tools and CI, Markdown for people.
// Both carry the same content: scores per topic, averages, every error.
#include "callsight/eval.hpp"
#include "callsight/report.hpp"

#include "report/report_text.hpp"

namespace callsight {
namespace {

using Json = nlohmann::ordered_json;
using report_text::format_fixed;
using report_text::markdown_escape;

Json ratio_json(std::optional<double> value) {
  return value ? Json(round_ratio(*value)) : Json(nullptr);
}

Json averages_json(const ScoreAverages& averages) {
  Json out;
  out["precision"] = ratio_json(averages.precision);
  out["recall"] = ratio_json(averages.recall);
  out["f1"] = ratio_json(averages.f1);
  return out;
}

std::string ratio_text(std::optional<double> value) {
  return value ? format_fixed(*value, 3) : "n/a";
}

// Evidence in a table cell: one line, escaped, quoted so its edges show.
std::string in_quotes(std::string_view text) {
  return "\u201c" + markdown_escape(text) + "\u201d";
}

} // namespace

Json eval_to_json(const EvalResult& result, const EvalReportContext& context) {
  const std::vector<Topic>& topics = context.taxonomy->topics();
  Json out;
  out["schema_version"] = 1;
  out["taxonomy"] = context.taxonomy->name();
  out["taxonomy_source"] = context.taxonomy_source;
  out["labels"] = context.labels_source;
  out["split"] = std::string(to_string(context.split));
  Json calls;
  calls["scored"] = result.calls_scored;
  calls["other_split"] = result.calls_other_split;
  calls["without_label"] = result.calls_without_label;
  out["calls"] = std::move(calls);
  Json unmatched = Json::array();
  for (const UnmatchedLabel& label : result.labels_without_call) {
    unmatched.push_back({{"line", label.line}, {"key", label.key}});
  }
  out["labels_without_call"] = std::move(unmatched);
  Json per_topic = Json::array();
  ScoreCounts sum;
  for (std::size_t t = 0; t < result.topics.size(); ++t) {
    const ScoreCounts& counts = result.topics[t];
    sum += counts;
    Json topic;
    topic["id"] = topics[t].id;
    topic["label"] = topics[t].label;
    topic["tp"] = counts.tp;
    topic["fp"] = counts.fp;
    topic["fn"] = counts.fn;
    topic["support"] = counts.support();
    topic["precision"] = ratio_json(counts.precision());
    topic["recall"] = ratio_json(counts.recall());
    topic["f1"] = ratio_json(counts.f1());
    per_topic.push_back(std::move(topic));
  }
  out["topics"] = std::move(per_topic);
  Json micro = averages_json(micro_average(result.topics));
  micro["tp"] = sum.tp;
  micro["fp"] = sum.fp;
  micro["fn"] = sum.fn;
  micro["support"] = sum.support();
  out["micro"] = std::move(micro);
  out["macro"] = averages_json(macro_average(result.topics));
  Json errors = Json::array();
  for (const EvalMistake& mistake : result.mistakes) {
    Json error;
    error["call_id"] = mistake.call_id;
    error["file"] = mistake.file;
    error["topic"] = topics[mistake.topic].id;
    error["type"] = mistake.false_positive ? "false_positive" : "false_negative";
    if (mistake.false_positive) {
      error["hit"] = mistake.hit;
      error["evidence"] = mistake.evidence;
      error["time"] = mistake.time_s ? Json(*mistake.time_s) : Json(nullptr);
    } else {
      error["note"] = mistake.note;
    }
    errors.push_back(std::move(error));
  }
  out["errors"] = std::move(errors);
  Json failed = Json::array();
  for (const FileError& error : result.failed_files) {
    failed.push_back({{"file", error.path}, {"reason", error.reason}});
  }
  out["failed_files"] = std::move(failed);
  return out;
}

void write_eval_json(std::ostream& out, const EvalResult& result,
                     const EvalReportContext& context) {
  out << eval_to_json(result, context).dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void write_eval_markdown(std::ostream& out, const EvalResult& result,
                         const EvalReportContext& context) {
  const std::vector<Topic>& topics = context.taxonomy->topics();
  out << "# Tag quality\n\n";
  out << "- labels: " << markdown_escape(context.labels_source)
      << ", split: " << to_string(context.split) << "\n";
  out << "- taxonomy: " << markdown_escape(context.taxonomy->name()) << " ("
      << markdown_escape(context.taxonomy_source) << ")\n";
  out << "- calls scored: " << result.calls_scored
      << "; labelled for another split: " << result.calls_other_split
      << "; without a label row: " << result.calls_without_label.size()
      << "; label rows without a call: " << result.labels_without_call.size()
      << "; files failed: " << result.failed_files.size() << "\n\n";

  out << "| topic | TP | FP | FN | precision | recall | F1 | support |\n";
  out << "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  ScoreCounts sum;
  for (std::size_t t = 0; t < result.topics.size(); ++t) {
    const ScoreCounts& counts = result.topics[t];
    sum += counts;
    out << "| " << markdown_escape(topics[t].id) << " | " << counts.tp << " | " << counts.fp
        << " | " << counts.fn << " | " << ratio_text(counts.precision()) << " | "
        << ratio_text(counts.recall()) << " | " << ratio_text(counts.f1()) << " | "
        << counts.support() << " |\n";
  }
  const ScoreAverages micro = micro_average(result.topics);
  const ScoreAverages macro = macro_average(result.topics);
  out << "| **micro average** | " << sum.tp << " | " << sum.fp << " | " << sum.fn << " | "
      << ratio_text(micro.precision) << " | " << ratio_text(micro.recall) << " | "
      << ratio_text(micro.f1) << " | " << sum.support() << " |\n";
  out << "| **macro average** | | | | " << ratio_text(macro.precision) << " | "
      << ratio_text(macro.recall) << " | " << ratio_text(macro.f1) << " | |\n\n";
  out << "n/a: undefined (no call tagged, no call labelled, or neither); macro averages "
         "leave those topics out.\n";

  std::size_t false_positives = 0;
  for (const EvalMistake& mistake : result.mistakes) {
    false_positives += mistake.false_positive ? 1 : 0;
  }
  const std::size_t false_negatives = result.mistakes.size() - false_positives;
  out << "\n## Errors (" << result.mistakes.size() << ": " << false_positives << " false positive"
      << (false_positives == 1 ? "" : "s") << ", " << false_negatives << " false negative"
      << (false_negatives == 1 ? "" : "s") << ")\n\n";
  if (!result.mistakes.empty()) {
    out << "| call | topic | error | why |\n|---|---|---|---|\n";
    for (const EvalMistake& mistake : result.mistakes) {
      out << "| " << markdown_escape(mistake.call_id) << " | "
          << markdown_escape(topics[mistake.topic].id) << " | ";
      if (mistake.false_positive) {
        out << "FP | fired on " << in_quotes(mistake.hit) << " in " << in_quotes(mistake.evidence);
      } else {
        out << "FN | missing: "
            << (mistake.note.empty() ? std::string("(no note)") : in_quotes(mistake.note));
      }
      out << " |\n";
    }
  }
  if (!result.calls_without_label.empty()) {
    out << "\n## Calls without a label row (" << result.calls_without_label.size() << ")\n\n";
    for (const std::string& file : result.calls_without_label) {
      out << "- " << markdown_escape(file) << "\n";
    }
  }
  if (!result.labels_without_call.empty()) {
    out << "\n## Label rows without a call (" << result.labels_without_call.size() << ")\n\n";
    for (const UnmatchedLabel& label : result.labels_without_call) {
      out << "- line " << label.line << ": " << markdown_escape(label.key) << "\n";
    }
  }
  if (!result.failed_files.empty()) {
    out << "\n## Files that failed (" << result.failed_files.size() << ")\n\n";
    for (const FileError& error : result.failed_files) {
      out << "- " << markdown_escape(error.path) << ": " << markdown_escape(error.reason) << "\n";
    }
  }
}

} // namespace callsight
