// Explanations of tagging decisions, built from a matcher trace: the reasons
// are worded here, once, for both text and JSON output.
#include "callsight/explain.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace callsight {
namespace {

std::string seconds_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f s", value);
  return buffer;
}

std::string occurrence_why(const CompiledTaxonomy& taxonomy, const Call& call,
                           const TracedHit& hit) {
  const Topic& topic = taxonomy.topics()[hit.topic];
  const Turn& turn = call.turns[hit.turn];
  switch (hit.fate) {
  case HitFate::counted:
    return taxonomy.patterns()[hit.pattern].role == CompiledTaxonomy::PatternRole::negative_leaf
               ? "found, under \"not\""
               : std::string();
  case HitFate::overlapping:
    return "overlaps a hit already counted";
  case HitFate::negated:
    return "negated by \"" + turn.text.substr(hit.detail_begin, hit.detail_end - hit.detail_begin) +
           "\"";
  case HitFate::excluded:
    return "excluded by \"" + taxonomy.patterns()[hit.detail_begin].text + "\"";
  case HitFate::wrong_speaker:
    return "wrong speaker: the topic counts " + std::string(to_string(topic.speaker)) +
           " turns, this one is " + std::string(to_string(turn.role));
  case HitFate::low_confidence: {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "below min_confidence %g (turn confidence %.2f)",
                  topic.when.min_confidence.value_or(0.0), turn.confidence.value_or(0.0));
    return buffer;
  }
  case HitFate::outside_window: {
    const CallSpan span = call_span(call);
    std::string why = "outside window " + describe(*topic.window);
    if (window_verdict(*topic.window, span, hit.turn, turn) == WindowVerdict::no_times) {
      why += span.has_times ? ": the turn has no time" : ": the call has no times";
    } else if (turn.start_s && (topic.window->kind == WindowKind::first_seconds ||
                                topic.window->kind == WindowKind::last_seconds)) {
      why += " (turn starts at " + seconds_text(*turn.start_s) + ")";
    }
    return why;
  }
  }
  return {};
}

} // namespace

std::vector<TopicExplanation> explain_call(const CompiledTaxonomy& taxonomy, const Call& call,
                                           const TagTrace& trace, const CallMetrics& metrics,
                                           const FieldLookup& field) {
  std::map<std::uint32_t, TopicExplanation> topics;
  for (const TracedHit& hit : trace.hits) {
    TopicExplanation& topic = topics[hit.topic];
    topic.topic = hit.topic;
    topic.occurrences.push_back({hit, occurrence_why(taxonomy, call, hit)});
  }
  for (auto& [topic_index, topic] : topics) {
    const std::uint32_t index = topic_index; // lambdas cannot capture bindings in clang 14
    const Topic& definition = taxonomy.topics()[index];
    const auto traced = std::find_if(trace.topics.begin(), trace.topics.end(),
                                     [&](const TopicTrace& entry) { return entry.topic == index; });
    if (taxonomy.plans()[index].rule_root != UINT32_MAX) {
      topic.rule = describe_rule(taxonomy, index, trace.pattern_hit);
    }
    if (traced == trace.topics.end() || traced->hits == 0) {
      topic.verdict = "not tagged: no counted hit";
      continue;
    }
    topic.hits = traced->hits;
    if (traced->min_hits_count < definition.min_hits) {
      topic.verdict = "not tagged: " + std::to_string(traced->min_hits_count) + " of min_hits " +
                      std::to_string(definition.min_hits);
    } else if (!traced->rule_holds) {
      topic.verdict = "not tagged: the rule does not hold";
    } else if (const std::optional<std::string> failed =
                   failed_condition(definition, metrics, field)) {
      topic.verdict = "not tagged: condition failed: " + *failed;
    } else {
      topic.tagged = true;
      topic.verdict =
          "tagged (" + std::to_string(traced->hits) + (traced->hits == 1 ? " hit)" : " hits)");
    }
  }
  std::vector<TopicExplanation> out;
  for (auto& [index, topic] : topics) {
    out.push_back(std::move(topic));
  }
  return out;
}

} // namespace callsight
