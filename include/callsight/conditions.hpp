// Topic conditions beyond phrases: where in a call hits count (windows), and
// the call-level "when" conditions on call metrics and call-log fields, which
// are checked after tagging, once metrics and the call-log join are known.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/call.hpp"
#include "callsight/call_metrics.hpp"
#include "callsight/matcher.hpp"
#include "callsight/taxonomy.hpp"

namespace callsight {

/// The extent of a call that windows are measured against.
struct CallSpan {
  std::size_t turns = 0;
  bool has_times = false; ///< some turn has a usable start time (see call_metrics.hpp)
  double start_s = 0.0;   ///< earliest usable start
  double end_s = 0.0;     ///< latest usable end (or start, for turns without an end)
};
CallSpan call_span(const Call& call);

enum class WindowVerdict : std::uint8_t {
  inside,
  outside,
  no_times, ///< a time window on a call (or turn) without usable times
};

/// Whether turn `turn_index` is inside `window`. Bounds are inclusive: a
/// first-window holds the turns that start at or before its cut, a
/// last-window the turns that end at or after its cut. Shares use times when
/// the call has them, else turn indexes (the first ceil(F x turns) turns).
WindowVerdict window_verdict(const Window& window, const CallSpan& span, std::uint32_t turn_index,
                             const Turn& turn);

/// "first_seconds 30", "last_share 0.25" ...
std::string describe(const Window& window);

/// A call field by canonical name ("campaign", "source" ...): the call-log
/// value, else the call's own field (transcript header, file-name pattern),
/// else "" (missing).
using FieldLookup = std::function<std::string(std::string_view field)>;

/// The first "when" condition of `topic` (metrics, then call_log) that fails,
/// described with the call's value ("duration_s >= 120 (is 95.2)",
/// "campaign in [spring_sale] (missing)"), or nullopt when all hold. A
/// missing metric or field fails every comparison, "!=" included.
std::optional<std::string> failed_condition(const Topic& topic, const CallMetrics& metrics,
                                            const FieldLookup& field);

/// Drops from `tags` the topics whose "when" metric or call-log conditions
/// fail, with their hits. A pure step: run it after call metrics and the
/// call-log join. Returns the positions in `tags.topics` (as it was) of the
/// dropped topics, ascending, so lists kept parallel to the topics can drop
/// the same entries; empty (no allocation) when nothing was dropped.
std::vector<std::size_t> apply_call_conditions(const CompiledTaxonomy& taxonomy, TagResult& tags,
                                               const CallMetrics& metrics,
                                               const FieldLookup& field);

/// A topic's rule with each leaf marked found or not, e.g.
/// `all_of("refund" [found], not("store credit" [not found]))`.
std::string describe_rule(const CompiledTaxonomy& taxonomy, std::uint32_t topic,
                          const std::vector<std::uint8_t>& pattern_hit);

} // namespace callsight
