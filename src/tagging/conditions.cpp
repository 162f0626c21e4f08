// Windows and call-level conditions of topics: pure functions of a call's
// turns, metrics and fields, so the pipeline can run them wherever the data
// they need is known.
#include "callsight/conditions.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "callsight/text.hpp"

namespace callsight {
namespace {

std::optional<double> usable(const std::optional<double>& time) {
  if (time && std::isfinite(*time) && std::abs(*time) <= k_max_metric_time_s) {
    return time;
  }
  return std::nullopt;
}

// Shortest form of a value rounded to 4 decimals: 120, 0.4, 95.25.
std::string number_text(double value) {
  const double rounded = std::round(value * 1e4) / 1e4;
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, rounded == 0.0 ? 0.0 : rounded);
  return std::string(buffer, result.ptr);
}

bool compare(double value, CompareOp op, double limit) {
  switch (op) {
  case CompareOp::lt:
    return value < limit;
  case CompareOp::le:
    return value <= limit;
  case CompareOp::gt:
    return value > limit;
  case CompareOp::ge:
    return value >= limit;
  case CompareOp::eq:
    return value == limit;
  case CompareOp::ne:
    return value != limit;
  }
  return false;
}

// Case-insensitive comparison form of a field value: trimmed, case-folded.
std::string comparable(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    return {};
  }
  const std::size_t end = text.find_last_not_of(" \t");
  return normalize_text(text.substr(begin, end - begin + 1));
}

std::string values_text(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i > 0 ? ", " : "") + values[i];
  }
  return out + "]";
}

void describe_step(const CompiledTaxonomy& taxonomy, std::uint32_t index,
                   const std::vector<std::uint8_t>& pattern_hit, std::string& out) {
  const CompiledTaxonomy::RuleStep& step = taxonomy.rule_steps()[index];
  if (step.op == RuleOp::phrase) {
    out += '"' + taxonomy.patterns()[step.pattern].text + '"';
    const bool found = step.pattern < pattern_hit.size() && pattern_hit[step.pattern] != 0;
    out += found ? " [found]" : " [not found]";
    return;
  }
  out += to_string(step.op);
  out += '(';
  for (std::uint32_t i = 0; i < step.children; ++i) {
    if (i > 0) {
      out += ", ";
    }
    describe_step(taxonomy, step.first_child + i, pattern_hit, out);
  }
  out += ')';
}

} // namespace

CallSpan call_span(const Call& call) {
  CallSpan span;
  span.turns = call.turns.size();
  for (const Turn& turn : call.turns) {
    const std::optional<double> start = usable(turn.start_s);
    if (!start) {
      continue;
    }
    const double end = std::max(*start, usable(turn.end_s).value_or(*start));
    span.start_s = span.has_times ? std::min(span.start_s, *start) : *start;
    span.end_s = span.has_times ? std::max(span.end_s, end) : end;
    span.has_times = true;
  }
  return span;
}

WindowVerdict window_verdict(const Window& window, const CallSpan& span, std::uint32_t turn_index,
                             const Turn& turn) {
  const auto by_index = [&](bool first, double count) {
    const bool inside =
        first ? turn_index < count
              : static_cast<double>(turn_index) >= static_cast<double>(span.turns) - count;
    return inside ? WindowVerdict::inside : WindowVerdict::outside;
  };
  const bool first = window.kind == WindowKind::first_seconds ||
                     window.kind == WindowKind::first_turns ||
                     window.kind == WindowKind::first_share;
  switch (window.kind) {
  case WindowKind::first_turns:
  case WindowKind::last_turns:
    return by_index(first, window.value);
  case WindowKind::first_share:
  case WindowKind::last_share:
    if (!span.has_times) {
      return by_index(first, std::ceil(window.value * static_cast<double>(span.turns)));
    }
    break;
  case WindowKind::first_seconds:
  case WindowKind::last_seconds:
    break;
  }
  const std::optional<double> start = usable(turn.start_s);
  if (!span.has_times || !start) {
    return WindowVerdict::no_times;
  }
  const double end = std::max(*start, usable(turn.end_s).value_or(*start));
  const double duration = span.end_s - span.start_s;
  bool inside = false;
  switch (window.kind) {
  case WindowKind::first_seconds:
    inside = *start <= window.value;
    break;
  case WindowKind::last_seconds:
    inside = end >= span.end_s - window.value;
    break;
  case WindowKind::first_share:
    inside = *start <= span.start_s + window.value * duration;
    break;
  case WindowKind::last_share:
    inside = end >= span.end_s - window.value * duration;
    break;
  case WindowKind::first_turns:
  case WindowKind::last_turns:
    break;
  }
  return inside ? WindowVerdict::inside : WindowVerdict::outside;
}

std::string describe(const Window& window) {
  return std::string(to_string(window.kind)) + " " + number_text(window.value);
}

std::optional<std::string> failed_condition(const Topic& topic, const CallMetrics& metrics,
                                            const FieldLookup& field) {
  for (const MetricCondition& condition : topic.when.metrics) {
    const std::optional<double> value = metric_value(metrics, condition.metric);
    if (!value || !compare(*value, condition.op, condition.value)) {
      return std::string(to_string(condition.metric)) + " " + std::string(to_string(condition.op)) +
             " " + number_text(condition.value) + " (" +
             (value ? "is " + number_text(*value) : std::string("absent")) + ")";
    }
  }
  for (const FieldCondition& condition : topic.when.call_log) {
    const std::string value = field ? field(condition.field) : std::string();
    const std::string have = comparable(value);
    const bool match =
        !have.empty() &&
        std::any_of(condition.values.begin(), condition.values.end(),
                    [&](const std::string& want) { return comparable(want) == have; });
    if (!match) {
      return condition.field + " in " + values_text(condition.values) + " (" +
             (have.empty() ? std::string("missing") : "is " + value) + ")";
    }
  }
  return std::nullopt;
}

std::vector<std::size_t> apply_call_conditions(const CompiledTaxonomy& taxonomy, TagResult& tags,
                                               const CallMetrics& metrics,
                                               const FieldLookup& field) {
  const auto fails = [&](std::uint32_t topic) {
    return taxonomy.plans()[topic].call_conditions &&
           failed_condition(taxonomy.topics()[topic], metrics, field).has_value();
  };
  bool any = false;
  for (const TopicMatch& match : tags.topics) {
    any = any || taxonomy.plans()[match.topic].call_conditions;
  }
  if (!any) {
    return {};
  }
  std::vector<std::uint8_t> dropped(taxonomy.topics().size(), 0);
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < tags.topics.size(); ++i) {
    if (fails(tags.topics[i].topic)) {
      dropped[tags.topics[i].topic] = 1;
      positions.push_back(i);
    }
  }
  std::erase_if(tags.topics, [&](const TopicMatch& match) { return dropped[match.topic] != 0; });
  std::erase_if(tags.hits, [&](const TopicHit& hit) { return dropped[hit.topic] != 0; });
  return positions;
}

std::string describe_rule(const CompiledTaxonomy& taxonomy, std::uint32_t topic,
                          const std::vector<std::uint8_t>& pattern_hit) {
  const std::uint32_t root = taxonomy.plans()[topic].rule_root;
  std::string out;
  if (root != UINT32_MAX) {
    describe_step(taxonomy, root, pattern_hit, out);
  }
  return out;
}

} // namespace callsight
