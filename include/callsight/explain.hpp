// Explanations for `callsight taxonomy test`: per topic of one call, whether
// it was tagged and why (not), and the fate of every phrase occurrence.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "callsight/conditions.hpp"

namespace callsight {

struct OccurrenceExplanation {
  TracedHit hit;
  std::string why; ///< "" for a counted hit; else why it does not count
};

struct TopicExplanation {
  std::uint32_t topic = 0;
  bool tagged = false;
  std::uint32_t hits = 0;
  std::string verdict; ///< "tagged (2 hits)" or "not tagged: <reason>"
  std::string rule;    ///< describe_rule(), when the topic has a rule
  std::vector<OccurrenceExplanation> occurrences;
};

/// Every topic with a phrase occurrence in `call`, by topic index, from the
/// trace of Matcher::tag(call, trace) plus the call-level conditions.
std::vector<TopicExplanation> explain_call(const CompiledTaxonomy& taxonomy, const Call& call,
                                           const TagTrace& trace, const CallMetrics& metrics,
                                           const FieldLookup& field);

} // namespace callsight
