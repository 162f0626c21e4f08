// Writers of the discover report: JSON (the reference form), CSV (one row per
// phrase) and Markdown (a table plus the topic stubs to paste).
#include <cmath>

#include "callsight/csv.hpp"
#include "callsight/discover.hpp"
#include "callsight/report.hpp"

#include "report/report_numbers.hpp"
#include "report/report_text.hpp"

namespace callsight {
namespace {

using Json = nlohmann::ordered_json;

double rounded(double value, int places) {
  const double scale = std::pow(10.0, places);
  return std::round(value * scale) / scale;
}

Json growth_json(const RankedPhrase& phrase) {
  return phrase.growth ? Json(rounded(*phrase.growth, 2)) : Json("new");
}

std::string growth_text(const RankedPhrase& phrase) {
  return phrase.growth ? format_ratio(rounded(*phrase.growth, 2)) : std::string("new");
}

} // namespace

Json discover_to_json(const DiscoverReport& report) {
  Json json;
  json["schema_version"] = 1;
  json["report"] = "discover";
  json["target"] = {
      {"calls", report.calls}, {"words", report.words}, {"files_failed", report.files_failed}};
  json["reference"] = {{"kind", report.reference_kind}, {"source", report.reference_source}};
  if (report.window) {
    json["reference"]["window"] = report.window->previous.label;
  }
  json["reference"]["calls"] = report.reference_calls;
  json["reference"]["words"] = report.reference_words;
  if (report.window) {
    json["window"] = window_json(*report.window, report.calls, report.reference_calls,
                                 report.calls_without_date);
  }
  json["options"] = {{"language", report.language},
                     {"taxonomy", report.taxonomy_source},
                     {"min_calls", report.rank.min_calls},
                     {"min_g2", report.rank.min_g2},
                     {"top", report.rank.top}};
  Json phrases = Json::array();
  for (const DiscoveredPhrase& p : report.phrases) {
    Json item;
    item["phrase"] = p.ranked.phrase;
    item["key"] = p.ranked.key;
    item["words"] = p.ranked.words;
    item["calls"] = p.ranked.calls;
    item["share"] = rounded(p.share, 4);
    item["frequency"] = p.ranked.frequency;
    item["reference_frequency"] = rounded(p.ranked.reference_frequency, 2);
    item["g2"] = rounded(p.ranked.g2, 2);
    item["growth"] = growth_json(p.ranked);
    item["covered_by"] = p.covered_by.empty() ? Json(nullptr) : Json(p.covered_by);
    item["example"] = {{"file", p.example_file}, {"snippet", p.example}};
    item["topic_stub"] = p.covered_by.empty() ? topic_stub(p.ranked.phrase) : Json(nullptr);
    phrases.push_back(std::move(item));
  }
  json["phrases"] = std::move(phrases);
  Json errors = Json::array();
  for (const FileError& error : report.errors) {
    errors.push_back({{"file", error.path}, {"reason", error.reason}});
  }
  json["errors"] = std::move(errors);
  return json;
}

void write_discover_json(std::ostream& out, const DiscoverReport& report) {
  out << discover_to_json(report).dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void write_discover_csv(std::ostream& out, const DiscoverReport& report) {
  write_csv_row(out,
                {"rank", "phrase", "key", "words", "calls", "share", "frequency",
                 "reference_frequency", "g2", "growth", "covered_by", "example_file", "example",
                 "topic_stub", "reference_kind", "reference_source", "window", "reference_window"});
  // Every row names its reference, as tidy CSV repeats its dimension.
  const std::string window = report.window ? report.window->current.label : std::string();
  const std::string reference_window =
      report.window ? report.window->previous.label : std::string();
  std::size_t rank = 0;
  for (const DiscoveredPhrase& p : report.phrases) {
    const std::string stub =
        p.covered_by.empty()
            ? topic_stub(p.ranked.phrase).dump(-1, ' ', false, Json::error_handler_t::replace)
            : std::string();
    write_csv_row(out, {std::to_string(++rank), p.ranked.phrase, p.ranked.key,
                        std::to_string(p.ranked.words), std::to_string(p.ranked.calls),
                        format_ratio(rounded(p.share, 4)), std::to_string(p.ranked.frequency),
                        format_ratio(rounded(p.ranked.reference_frequency, 2)),
                        format_ratio(rounded(p.ranked.g2, 2)), growth_text(p.ranked), p.covered_by,
                        p.example_file, p.example, stub, report.reference_kind,
                        report.reference_source, window, reference_window});
  }
}

void write_discover_markdown(std::ostream& out, const DiscoverReport& report) {
  using report_text::markdown_escape;
  out << "# Emerging phrases\n\n";
  if (report.window) {
    const auto range = [](const DateRange& r) {
      return r.label + " (" + format_iso_date(r.first) + " to " + format_iso_date(r.last) + ")";
    };
    out << report.calls << " calls of " << range(report.window->current) << " (" << report.words
        << " customer words) against the " << report.reference_calls
        << " calls of the window before, " << range(report.window->previous) << ", in the store "
        << markdown_escape(report.reference_source) << " (" << report.reference_words << " words).";
  } else {
    out << report.calls << " calls (" << report.words << " customer words) against the "
        << report.reference_kind << " " << markdown_escape(report.reference_source) << " ("
        << report.reference_words << " words).";
  }
  out << " Ranked by log-likelihood G2; growth is the rate against the reference (\"new\": "
      << "absent from it).\n\n";
  if (report.phrases.empty()) {
    out << "No phrase is over-represented in at least " << report.rank.min_calls << " calls.\n";
  } else {
    out << "| # | phrase | calls | share | growth | G2 | covered by | example |\n"
        << "|---:|---|---:|---:|---:|---:|---|---|\n";
    std::size_t rank = 0;
    for (const DiscoveredPhrase& p : report.phrases) {
      out << "| " << ++rank << " | " << markdown_escape(p.ranked.phrase) << " | " << p.ranked.calls
          << " | " << format_ratio(rounded(p.share * 100, 1)) << "% | " << growth_text(p.ranked)
          << " | " << format_ratio(rounded(p.ranked.g2, 1)) << " | "
          << (p.covered_by.empty() ? std::string("-") : markdown_escape(p.covered_by)) << " | "
          << markdown_escape(p.example) << " (" << markdown_escape(p.example_file) << ") |\n";
    }
    Json stubs = Json::array();
    for (const DiscoveredPhrase& p : report.phrases) {
      if (p.covered_by.empty()) {
        stubs.push_back(topic_stub(p.ranked.phrase));
      }
    }
    if (!stubs.empty()) {
      out << "\nTopic stubs for the uncovered phrases (paste into the taxonomy's \"topics\"):\n\n"
          << "```json\n"
          << stubs.dump(2, ' ', false, Json::error_handler_t::replace) << "\n```\n";
    }
  }
  if (!report.errors.empty()) {
    out << "\n" << report.errors.size() << " files could not be used:\n\n";
    for (const FileError& error : report.errors) {
      out << "- " << markdown_escape(error.path) << ": " << markdown_escape(error.reason) << "\n";
    }
  }
}

} // namespace callsight
