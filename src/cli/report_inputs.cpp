// The inputs `analyze` and `merge` share: taxonomy (compiled for a stemmer
// language), call log, spend table, and the writer that renders a Summary in
// each report format. One loader, so a merged report is rendered exactly as
// a single run renders it.
#include <spdlog/spdlog.h>

#include "callsight/text.hpp"

#include "cli/commands.hpp"
#include "report/report_text.hpp"

namespace callsight::cli {

ReportContext ReportInputs::context(const ReportInputArgs& args) const {
  ReportContext context;
  context.taxonomy = &*taxonomy;
  context.taxonomy_source = args.taxonomy.empty() ? "built-in" : args.taxonomy;
  context.metadata_source = args.metadata;
  context.call_log = call_log ? &*call_log : nullptr;
  context.spend = spend ? &*spend : nullptr;
  context.spend_source = args.spend;
  return context;
}

std::optional<CompiledTaxonomy> load_compiled_taxonomy(const std::string& path,
                                                       const std::string& language,
                                                       std::string* source_text) {
  if (!language.empty() && stemmer_language_name(language).empty()) {
    std::string known;
    for (const std::string& name : stemmer_languages()) {
      known += (known.empty() ? "" : ", ") + name;
    }
    spdlog::error("--language: unknown language '{}' (known: {})", language, known);
    return std::nullopt;
  }
  const std::optional<Taxonomy> taxonomy = load_taxonomy(path, false, source_text);
  if (!taxonomy) {
    spdlog::error("the taxonomy has problems (listed above); run 'callsight taxonomy check {}'",
                  path.empty() ? "FILE" : path);
    return std::nullopt;
  }
  try {
    return CompiledTaxonomy::compile(*taxonomy, stemmer_language_name(language));
  } catch (const std::exception& e) {
    spdlog::error("taxonomy: {}", e.what());
    return std::nullopt;
  }
}

bool load_report_inputs(const ReportInputArgs& args, ReportInputs& out) {
  std::string taxonomy_text;
  out.taxonomy = load_compiled_taxonomy(args.taxonomy, args.language, &taxonomy_text);
  if (!out.taxonomy) {
    return false;
  }
  out.taxonomy_hash = content_fingerprint(taxonomy_text);

  if (!args.metadata.empty()) {
    std::string error;
    ColumnMap column_map;
    if (!args.column_map.empty()) {
      auto parsed = parse_column_map(args.column_map, error);
      if (!parsed) {
        spdlog::error("--column-map: {}", error);
        return false;
      }
      column_map = std::move(*parsed);
    }
    const std::optional<std::string> text = read_config_text(args.metadata);
    if (!text) {
      return false;
    }
    out.call_log = CallLog::parse(*text, error, column_map);
    if (!out.call_log) {
      spdlog::error("{}: {}", args.metadata, error);
      return false;
    }
    out.call_log_hash = content_fingerprint(*text);
  } else if (!args.column_map.empty()) {
    spdlog::error("--column-map renames call-log columns: it needs --metadata");
    return false;
  }
  if (!args.spend.empty()) {
    const std::optional<std::string> text = read_config_text(args.spend);
    if (!text) {
      return false;
    }
    std::string error;
    out.spend = SpendTable::parse(*text, error);
    if (!out.spend) {
      spdlog::error("{}: {}", args.spend, error);
      return false;
    }
    out.spend_hash = content_fingerprint(*text);
  }
  return true;
}

std::vector<std::string> report_formats() {
  return {"json", "csv", "csv-wide", "md", "html"};
}

void write_report(std::ostream& out, const std::string& format, const Summary& summary,
                  const ReportContext& context) {
  if (format == "csv") {
    write_summary_csv(out, summary, context);
  } else if (format == "csv-wide") {
    write_summary_csv_wide(out, summary, context);
  } else if (format == "md") {
    write_markdown_report(out, summary_to_json(summary, context));
  } else if (format == "html") {
    write_html_report(out, summary_to_json(summary, context));
  } else {
    write_summary_json(out, summary, context);
  }
}

} // namespace callsight::cli
