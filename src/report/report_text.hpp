// Helpers shared by the Markdown and HTML writers: escaping, number formatting
// and tolerant access to the summary JSON (any field may be absent or null).
#pragma once
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace callsight {

/// A short Markdown summary of a summary JSON (schema_version 1) for e-mail and
/// chat. Absent sections are skipped; unknown fields are ignored.
void write_markdown_report(std::ostream& out, const nlohmann::ordered_json& summary);

/// A self-contained HTML report (inline CSS, SVG charts and a sorting script,
/// no network) of a summary JSON. Absent sections are skipped.
void write_html_report(std::ostream& out, const nlohmann::ordered_json& summary);

namespace report_text {

using Json = nlohmann::ordered_json;

// Control characters would break a table row or an HTML attribute: they become spaces.
inline bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

/// Text safe in HTML element content and in quoted attribute values.
inline std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out.push_back(is_control(static_cast<unsigned char>(c)) ? ' ' : c);
    }
  }
  return out;
}

/// Text that renders literally in Markdown, also inside a table cell: every
/// character with inline meaning gets a backslash, so `<script>` or `|x|` in a
/// campaign name can neither add HTML nor split a table column.
inline std::string markdown_escape(std::string_view text) {
  constexpr std::string_view k_special = "\\`*_[]<>|~";
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (const char c : text) {
    if (is_control(static_cast<unsigned char>(c))) {
      out.push_back(' ');
      continue;
    }
    if (k_special.find(c) != std::string_view::npos) {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

/// At most `max_chars` code points of UTF-8 text, with "…" when cut.
inline std::string truncate_text(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
      continue; // continuation byte
    }
    if (chars == max_chars) {
      return std::string(text.substr(0, i)) + "\u2026";
    }
    ++chars;
  }
  return std::string(text);
}

/// The text with an upper-case first ASCII letter ("campaign" -> "Campaign").
inline std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  }
  return text;
}

/// Digits with a comma every three places: "19,978".
inline std::string group_thousands(std::string digits) {
  const std::size_t start = !digits.empty() && digits[0] == '-' ? 1 : 0;
  for (std::size_t i = digits.size(); i > start + 3; i -= 3) {
    digits.insert(i - 3, 1, ',');
  }
  return digits;
}

inline std::string format_count(std::uint64_t value) {
  return group_thousands(std::to_string(value));
}

/// Fixed decimals, locale-independent ("0.5" with 2 places -> "0.50").
inline std::string format_fixed(double value, int places) {
  if (!std::isfinite(value)) {
    return "n/a";
  }
  char buffer[64];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, places);
  if (ec != std::errc()) {
    return "n/a";
  }
  std::string text(buffer, end);
  // "-0.0" after rounding reads as a change that is not there.
  if (text[0] == '-' && text.find_first_not_of("0.", 1) == std::string::npos) {
    text.erase(0, 1);
  }
  return text;
}

/// A share (0.375) as a percentage ("37.5%").
inline std::string format_percent(double share, int places = 1) {
  return format_fixed(share * 100.0, places) + "%";
}

/// Money with two decimals and thousands separators ("16,350.00").
inline std::string format_money(double value) {
  if (!std::isfinite(value) || std::fabs(value) >= 1e15) {
    return format_fixed(value, 2);
  }
  const long long cents = std::llround(value * 100.0);
  const unsigned long long magnitude = static_cast<unsigned long long>(cents < 0 ? -cents : cents);
  std::string whole = group_thousands(std::to_string(magnitude / 100));
  const auto rest = static_cast<unsigned>(magnitude % 100);
  whole.push_back('.');
  whole.push_back(static_cast<char>('0' + rest / 10));
  whole.push_back(static_cast<char>('0' + rest % 10));
  return cents < 0 ? "-" + whole : whole;
}

/// Seconds as m:ss, or h:mm:ss from an hour on ("3725" -> "1:02:05").
inline std::string format_duration(double seconds) {
  const auto total = static_cast<long long>(std::clamp(seconds, 0.0, 1e9));
  // Appending (not "0" + string) sidesteps a GCC 12 -Wrestrict false positive.
  const auto two = [](long long v) {
    std::string out = v < 10 ? "0" : "";
    return out.append(std::to_string(v));
  };
  return total >= 3600
             ? std::to_string(total / 3600) + ":" + two(total / 60 % 60) + ":" + two(total % 60)
             : std::to_string(total / 60) + ":" + two(total % 60);
}

/// Member `key` of an object, or nullptr when `object` is no object or lacks it.
inline const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

/// A numeric member; nullopt when absent, null or not a number.
inline std::optional<double> number_at(const Json& object, std::string_view key) {
  const Json* value = member(object, key);
  if (value == nullptr || !value->is_number()) {
    return std::nullopt;
  }
  const double number = value->get<double>();
  return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
}

/// A non-negative count; 0 when absent or not a number.
inline std::uint64_t count_at(const Json& object, std::string_view key) {
  const std::optional<double> value = number_at(object, key);
  if (!value || *value <= 0.0) {
    return 0;
  }
  if (*value >= static_cast<double>(std::numeric_limits<std::uint64_t>::max())) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return static_cast<std::uint64_t>(*value);
}

/// A string member; numbers are printed, anything else gives `fallback`.
inline std::string string_at(const Json& object, std::string_view key,
                             std::string_view fallback = "") {
  const Json* value = member(object, key);
  if (value != nullptr && value->is_string()) {
    return value->get<std::string>();
  }
  if (value != nullptr && value->is_number()) {
    return value->dump();
  }
  return std::string(fallback);
}

/// An array member, or an empty array when absent or of another type.
inline const Json& array_at(const Json& object, std::string_view key) {
  static const Json k_empty = Json::array();
  const Json* value = member(object, key);
  return value != nullptr && value->is_array() ? *value : k_empty;
}

/// An object member, or an empty object when absent or of another type.
inline const Json& object_at(const Json& object, std::string_view key) {
  static const Json k_empty = Json::object();
  const Json* value = member(object, key);
  return value != nullptr && value->is_object() ? *value : k_empty;
}

/// A language mix ({"en": 45, "es": 3} in the summary JSON) as "en 45, es 3",
/// most calls first; "" when absent.
inline std::string language_mix(const Json& object) {
  const Json& languages = object_at(object, "languages");
  std::vector<std::pair<std::string, std::uint64_t>> mix;
  for (const auto& [language, calls] : languages.items()) {
    mix.emplace_back(language, count_at(languages, language));
  }
  std::stable_sort(mix.begin(), mix.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [language, calls] : mix) {
    out += (out.empty() ? "" : ", ") + language + " " + format_count(calls);
  }
  return out;
}

/// A Content-Security-Policy source for inline content: 'sha256-BASE64'.
/// Defined in html_report.cpp.
std::string csp_hash(std::string_view content);

/// Dimensions whose values are periods ("2026-W41") rather than categories.
inline bool is_time_dimension(std::string_view dimension) {
  return dimension == "day" || dimension == "week" || dimension == "month";
}

/// The group value of calls that lack the dimension.
inline constexpr std::string_view k_no_value = "(none)";

/// What the reports need to know about a topic of the taxonomy.
struct TopicInfo {
  std::string id;
  std::string label;
  std::string kind;
  std::uint64_t calls = 0;
  double share = 0.0;
  std::size_t concern_index = 0; ///< position among concern topics: picks a stable colour
  std::string outcome;           ///< outcome topics: conversion, cancellation ...
  std::uint64_t conversions = 0; ///< calls carrying the topic that converted
  std::optional<double> conversion_rate;
  std::optional<double> conversion_lift; ///< over the rate of all calls
};

/// Kinds shown as "concerns": what callers worry about, including competitors.
inline bool is_concern_kind(std::string_view kind) {
  return kind == "concern" || kind == "competitor";
}

/// The summary's topics in taxonomy order.
inline std::vector<TopicInfo> topic_catalog(const Json& summary) {
  std::vector<TopicInfo> topics;
  std::size_t concerns = 0;
  for (const Json& topic : array_at(summary, "topics")) {
    TopicInfo info;
    info.id = string_at(topic, "id");
    info.label = string_at(topic, "label", info.id);
    info.kind = string_at(topic, "kind");
    info.calls = count_at(topic, "calls");
    info.share = number_at(topic, "share").value_or(0.0);
    info.outcome = string_at(topic, "outcome");
    info.conversions = count_at(topic, "conversions");
    info.conversion_rate = number_at(topic, "conversion_rate");
    info.conversion_lift = number_at(topic, "conversion_lift");
    if (is_concern_kind(info.kind)) {
      info.concern_index = concerns++;
    }
    topics.push_back(std::move(info));
  }
  return topics;
}

/// The topic with `id`, or nullptr.
inline const TopicInfo* find_topic(const std::vector<TopicInfo>& topics, std::string_view id) {
  const auto found =
      std::find_if(topics.begin(), topics.end(), [&](const TopicInfo& t) { return t.id == id; });
  return found == topics.end() ? nullptr : &*found;
}

/// The label of topic `id`, or the id itself when the taxonomy does not list it.
inline std::string topic_label(const std::vector<TopicInfo>& topics, std::string_view id) {
  const TopicInfo* topic = find_topic(topics, id);
  return topic != nullptr ? topic->label : std::string(id);
}

/// Topics of the kinds accepted by `keep` with at least one call, by calls
/// (descending), then in taxonomy order.
template <typename Keep>
std::vector<const TopicInfo*> ranked_topics(const std::vector<TopicInfo>& topics, Keep keep) {
  std::vector<const TopicInfo*> ranked;
  for (const TopicInfo& topic : topics) {
    if (topic.calls > 0 && keep(topic.kind)) {
      ranked.push_back(&topic);
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const TopicInfo* a, const TopicInfo* b) { return a->calls > b->calls; });
  return ranked;
}

/// The "Heard of us: " that every label of `topics` starts with, or "" when
/// they share no such prefix: a chart titled "How callers heard of us" needs
/// only "TV", "radio", ...
inline std::string shared_label_prefix(const std::vector<const TopicInfo*>& topics) {
  if (topics.size() < 2) {
    return "";
  }
  const std::string& first = topics.front()->label;
  const std::size_t colon = first.find(": ");
  if (colon == std::string::npos) {
    return "";
  }
  const std::string prefix = first.substr(0, colon + 2);
  for (const TopicInfo* topic : topics) {
    if (topic->label.size() <= prefix.size() ||
        topic->label.compare(0, prefix.size(), prefix) != 0) {
      return "";
    }
  }
  return prefix;
}

/// A group's concern topics ({id, calls, share}) by calls, then in JSON order.
inline std::vector<const Json*> group_concerns(const Json& group,
                                               const std::vector<TopicInfo>& topics) {
  std::vector<const Json*> concerns;
  for (const Json& topic : array_at(group, "topics")) {
    const TopicInfo* info = find_topic(topics, string_at(topic, "id"));
    if (info != nullptr && is_concern_kind(info->kind) && count_at(topic, "calls") > 0) {
      concerns.push_back(&topic);
    }
  }
  std::stable_sort(concerns.begin(), concerns.end(), [](const Json* a, const Json* b) {
    return count_at(*a, "calls") > count_at(*b, "calls");
  });
  return concerns;
}

/// The first and last period of the first time dimension: {dimension, first, last}.
struct PeriodRange {
  std::string dimension;
  std::string first;
  std::string last;
  std::size_t periods = 0;
};

/// Period values of a time dimension in order (ISO forms sort as text), without "(none)".
inline std::vector<const Json*> period_values(const Json& dimension_groups) {
  std::vector<const Json*> periods;
  for (const Json& group : array_at(dimension_groups, "values")) {
    if (string_at(group, "value") != k_no_value) {
      periods.push_back(&group);
    }
  }
  std::stable_sort(periods.begin(), periods.end(), [](const Json* a, const Json* b) {
    return string_at(*a, "value") < string_at(*b, "value");
  });
  return periods;
}

inline std::optional<PeriodRange> period_range(const Json& summary) {
  for (const Json& dimension : array_at(summary, "groups")) {
    const std::string name = string_at(dimension, "dimension");
    if (!is_time_dimension(name)) {
      continue;
    }
    const std::vector<const Json*> periods = period_values(dimension);
    if (periods.empty()) {
      continue;
    }
    return PeriodRange{name, string_at(*periods.front(), "value"),
                       string_at(*periods.back(), "value"), periods.size()};
  }
  return std::nullopt;
}

/// One topic's move between two periods, from the "trends" section.
struct TopicChange {
  std::string label;
  std::optional<double> previous_share;
  std::optional<double> current_share;
  double change = 0.0; ///< in share of calls (0.25 = 25 points)
};

struct TopicChanges {
  std::string previous; ///< period names; "" when not given
  std::string current;
  std::vector<TopicChange> topics; ///< largest move first; topics that did not move are left out
};

/// The "trends" section, or nullopt without one. Expected shape (written by the
/// trends stage):
///   "trends": {"dimension": "week", "current": "2026-W46", "previous": "2026-W45",
///              "topics": [{"id", "current_share", "previous_share", "change"?}]}
/// `change` (a share difference) defaults to current_share - previous_share;
/// the store's trends give `change_pp` (points), read as change / 100. A bare
/// array is read as "topics".
inline std::optional<TopicChanges> topic_changes(const Json& summary,
                                                 const std::vector<TopicInfo>& topics) {
  const Json* trends = member(summary, "trends");
  if (trends == nullptr || !(trends->is_object() || trends->is_array())) {
    return std::nullopt;
  }
  TopicChanges changes{string_at(*trends, "previous"), string_at(*trends, "current"), {}};
  for (const Json& entry : trends->is_array() ? *trends : array_at(*trends, "topics")) {
    TopicChange change;
    const std::string id = string_at(entry, "id", string_at(entry, "topic"));
    change.label = string_at(entry, "label", topic_label(topics, id));
    change.previous_share = number_at(entry, "previous_share");
    change.current_share = number_at(entry, "current_share");
    std::optional<double> delta = number_at(entry, "change");
    if (const std::optional<double> points = number_at(entry, "change_pp"); !delta && points) {
      delta = *points / 100.0;
    }
    if (!delta && change.previous_share && change.current_share) {
      delta = *change.current_share - *change.previous_share;
    }
    if (delta && *delta != 0.0) {
      change.change = *delta;
      changes.topics.push_back(std::move(change));
    }
  }
  std::stable_sort(changes.topics.begin(), changes.topics.end(),
                   [](const TopicChange& a, const TopicChange& b) {
                     return std::fabs(a.change) > std::fabs(b.change);
                   });
  return changes;
}

/// One fired alert, from the "alerts" section (reports from the store):
///   "alerts": [{"rule", "topic", "label", "dimension"?, "value"?, "current_calls",
///               "previous_calls", "current_share", "previous_share", "change_pp",
///               "p_value", "scope_calls"}]
struct AlertLine {
  std::string rule;
  std::string label; ///< the topic's label
  std::string scope; ///< "" overall, else "campaign spring"
  std::optional<double> previous_share;
  std::optional<double> current_share;
  double change = 0.0; ///< in share of calls, as TopicChange::change
  std::optional<double> p_value;
};

inline std::vector<AlertLine> alert_lines(const Json& summary,
                                          const std::vector<TopicInfo>& topics) {
  std::vector<AlertLine> lines;
  for (const Json& entry : array_at(summary, "alerts")) {
    AlertLine line;
    line.rule = string_at(entry, "rule");
    line.label = string_at(entry, "label", topic_label(topics, string_at(entry, "topic")));
    if (const std::string dimension = string_at(entry, "dimension"); !dimension.empty()) {
      line.scope = dimension + " " + string_at(entry, "value");
    }
    line.previous_share = number_at(entry, "previous_share");
    line.current_share = number_at(entry, "current_share");
    line.change = number_at(entry, "change_pp").value_or(0.0) / 100.0;
    line.p_value = number_at(entry, "p_value");
    lines.push_back(std::move(line));
  }
  return lines;
}

/// A change in share as signed points ("+37.5", "-25.0").
inline std::string format_points(double change) {
  std::string out = change > 0 ? "+" : "";
  return out.append(format_fixed(change * 100.0, 1));
}

/// The dimension a report leads with: "campaign" when grouped by it, else the first.
inline const Json* primary_dimension(const Json& summary) {
  const Json& groups = array_at(summary, "groups");
  for (const Json& dimension : groups) {
    if (string_at(dimension, "dimension") == "campaign") {
      return &dimension;
    }
  }
  for (const Json& dimension : groups) {
    if (!is_time_dimension(string_at(dimension, "dimension"))) {
      return &dimension;
    }
  }
  return groups.empty() ? nullptr : &groups[0];
}

} // namespace report_text
} // namespace callsight
