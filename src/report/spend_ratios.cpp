// Ratios shared by the JSON and CSV reports: what a group cost, per call,
// per converted call, and per call that raised a concern; a topic's
// conversion lift.
#include <cmath>

#include "callsight/report.hpp"

namespace callsight {

std::optional<double> cost_per(std::int64_t spend_cents, std::uint64_t count) {
  if (count == 0) {
    return std::nullopt;
  }
  // Round half away from zero to whole cents, then express in currency units.
  const double cents = static_cast<double>(spend_cents) / static_cast<double>(count);
  return std::round(cents) / 100.0;
}

std::optional<GroupSpend> group_spend(const ReportContext& context, std::string_view dimension,
                                      std::string_view value, std::uint64_t calls,
                                      std::uint64_t conversions) {
  if (context.spend == nullptr || context.spend->dimension() != dimension) {
    return std::nullopt;
  }
  const std::optional<std::int64_t> cents = context.spend->spend_cents(value);
  if (!cents) {
    return std::nullopt;
  }
  return GroupSpend{*cents, cost_per(*cents, calls), cost_per(*cents, conversions)};
}

std::optional<double> conversion_lift(const TopicCounts& topic, std::uint64_t calls,
                                      std::uint64_t conversions) {
  if (topic.calls == 0 || calls == 0 || conversions == 0) {
    return std::nullopt;
  }
  // (topic conversions / topic calls) / (conversions / calls), one division.
  return round_ratio(static_cast<double>(topic.conversions) * static_cast<double>(calls) /
                     (static_cast<double>(topic.calls) * static_cast<double>(conversions)));
}

} // namespace callsight
