// Journey outputs: the summary JSON's `journeys` section, its CSV table, and
// one JSON line per caller. Only hashed caller keys ever reach them.
#include <cmath>

#include "callsight/csv.hpp"
#include "callsight/journeys.hpp"
#include "callsight/report.hpp"

#include "report/report_numbers.hpp"

namespace callsight {
namespace {

using nlohmann::ordered_json;

constexpr std::array<const char*, 4> k_depth_buckets = {"1", "2", "3", "4+"};
constexpr std::array<const char*, 4> k_gap_buckets = {"under_1_day", "1_to_7_days", "7_to_30_days",
                                                      "30_days_or_more"};

// Unknown channels read as the summary's groups do.
std::string channel_name(const std::string& channel) {
  return channel.empty() ? std::string(k_unknown_group) : channel;
}

double share(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : round_ratio(static_cast<double>(part) / static_cast<double>(whole));
}

ordered_json optional_share(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? ordered_json(nullptr) : ordered_json(share(part, whole));
}

// Share of the calls before the event, over the share of all linked calls.
std::optional<double> lift(const TopicLift& topic, std::uint64_t event_calls,
                           std::uint64_t all_calls) {
  if (event_calls == 0 || all_calls == 0 || topic.base_calls == 0) {
    return std::nullopt;
  }
  const double before = static_cast<double>(topic.calls) / static_cast<double>(event_calls);
  const double base = static_cast<double>(topic.base_calls) / static_cast<double>(all_calls);
  return round_ratio(before / base);
}

ordered_json before_event_json(const BeforeEvent& event, const JourneyStats& stats,
                               const CompiledTaxonomy& taxonomy) {
  ordered_json topics = ordered_json::array();
  for (const TopicLift& topic : event.topics) {
    const Topic& info = taxonomy.topics()[topic.topic];
    const std::optional<double> ratio = lift(topic, event.calls, stats.calls);
    topics.push_back({{"id", info.id},
                      {"kind", std::string(to_string(info.kind))},
                      {"calls", topic.calls},
                      {"share", share(topic.calls, event.calls)},
                      {"base_calls", topic.base_calls},
                      {"base_share", share(topic.base_calls, stats.calls)},
                      {"lift", ratio ? ordered_json(*ratio) : ordered_json(nullptr)}});
  }
  return {{"events", event.events},
          {"on_first_call", event.on_first_call},
          {"calls_before", event.calls},
          {"min_calls", stats.min_topic_calls},
          {"topics_suppressed", event.suppressed},
          {"topics", topics}};
}

ordered_json depth_json(const ConversionDepth& depth) {
  ordered_json calls;
  for (std::size_t i = 0; i < k_depth_buckets.size(); ++i) {
    calls[k_depth_buckets[i]] = depth.calls[i];
  }
  return {{"converted", depth.converted}, {"calls", calls}};
}

ordered_json hours_json(const std::optional<double>& hours) {
  return hours ? ordered_json(round_ratio(*hours)) : ordered_json(nullptr);
}

} // namespace

nlohmann::ordered_json journeys_to_json(const JourneyStats& stats,
                                        const CompiledTaxonomy& taxonomy) {
  ordered_json section = {{"caller_key", stats.caller_key},
                          {"channel", stats.channel},
                          {"calls", stats.calls},
                          {"calls_without_key", stats.calls_without_key},
                          {"calls_without_date", stats.calls_without_date},
                          {"callers", stats.callers},
                          {"repeat_callers", stats.repeat_callers},
                          {"repeat_rate", optional_share(stats.repeat_callers, stats.callers)},
                          {"converted", stats.converted},
                          {"conversion_rate", optional_share(stats.converted, stats.callers)},
                          {"cancelled", stats.cancelled}};
  ordered_json repeats = ordered_json::array();
  for (const ChannelRepeat& repeat : stats.repeat_by_channel) {
    repeats.push_back({{"channel", channel_name(repeat.channel)},
                       {"callers", repeat.callers},
                       {"repeat_callers", repeat.repeat_callers},
                       {"repeat_rate", share(repeat.repeat_callers, repeat.callers)}});
  }
  section["repeat_by_channel"] = repeats;
  ordered_json depths = ordered_json::array();
  for (std::size_t i = 1; i < stats.calls_to_conversion.size(); ++i) {
    ordered_json entry = {{"first_touch", channel_name(stats.calls_to_conversion[i].first_touch)}};
    entry.update(depth_json(stats.calls_to_conversion[i]));
    depths.push_back(std::move(entry));
  }
  section["calls_to_conversion"] = {{"all", stats.calls_to_conversion.empty()
                                                ? depth_json({})
                                                : depth_json(stats.calls_to_conversion[0])},
                                    {"by_first_touch", depths}};
  section["before_conversion"] = before_event_json(stats.before_conversion, stats, taxonomy);
  section["before_cancellation"] = before_event_json(stats.before_cancellation, stats, taxonomy);
  ordered_json pairs = ordered_json::array();
  for (const TouchPair& pair : stats.touch_pairs) {
    pairs.push_back({{"first_touch", channel_name(pair.first_touch)},
                     {"last_touch", channel_name(pair.last_touch)},
                     {"journeys", pair.journeys},
                     {"share", share(pair.journeys, stats.converted)}});
  }
  section["first_last_touch"] = pairs;
  ordered_json roles = ordered_json::array();
  for (const ChannelRole& role : stats.channel_roles) {
    roles.push_back({{"channel", channel_name(role.channel)},
                     {"first_touch", role.first_touch},
                     {"follow_up", role.follow_up},
                     {"closer", role.closer}});
  }
  section["channel_roles"] = roles;
  ordered_json histogram;
  for (std::size_t i = 0; i < k_gap_buckets.size(); ++i) {
    histogram[k_gap_buckets[i]] = stats.gaps.histogram[i];
  }
  section["time_between_calls"] = {{"gaps", stats.gaps.gaps},
                                   {"median_hours", hours_json(stats.gaps.median_hours)},
                                   {"p90_hours", hours_json(stats.gaps.p90_hours)},
                                   {"histogram", histogram}};
  return section;
}

std::string journey_record_json(const Journey& journey, const CompiledTaxonomy& taxonomy) {
  ordered_json calls = ordered_json::array();
  for (const JourneyCall& call : journey.calls) {
    ordered_json topics = ordered_json::array();
    for (const std::uint32_t topic : call.topics) {
      topics.push_back(taxonomy.topics()[topic].id);
    }
    calls.push_back(
        {{"date", call.date.empty() ? ordered_json(nullptr) : ordered_json(call.date)},
         {"channel", channel_name(call.channel)},
         {"campaign", call.campaign.empty() ? ordered_json(nullptr) : ordered_json(call.campaign)},
         {"call_id", call.call_id},
         {"topics", topics},
         {"customer_sentiment", call.customer_sentiment
                                    ? ordered_json(round_ratio(*call.customer_sentiment))
                                    : ordered_json(nullptr)},
         {"outcome", std::string(to_string(call.outcome))}});
  }
  const auto position = [](const std::optional<std::size_t>& at) {
    return at ? ordered_json(*at + 1) : ordered_json(nullptr);
  };
  const ordered_json record = {{"caller", format_caller_hash(journey.caller)},
                               {"calls", calls},
                               {"converted", journey.converted_at.has_value()},
                               {"calls_to_conversion", position(journey.converted_at)},
                               {"cancelled", journey.cancelled_at.has_value()},
                               {"calls_to_cancellation", position(journey.cancelled_at)},
                               {"first_touch", channel_name(journey.first_touch)},
                               {"last_touch", channel_name(journey.last_touch)}};
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_journeys_csv(std::ostream& out, const JourneyStats& stats,
                        const CompiledTaxonomy& taxonomy) {
  // One tidy table: `count` of `total` (their ratio in `share`); topic rows
  // add the base share over all linked calls and the lift.
  write_csv_row(out, {"journey_table", "channel", "other", "topic", "count", "total", "share",
                      "base_share", "lift"});
  const auto row = [&](const char* table, const std::string& channel, const std::string& other,
                       const std::string& topic, std::uint64_t count, std::uint64_t total,
                       const std::string& base_share = {}, const std::string& lift_text = {}) {
    write_csv_row(out,
                  {table, channel, other, topic, std::to_string(count), std::to_string(total),
                   total == 0 ? "" : format_ratio(share(count, total)), base_share, lift_text});
  };
  row("repeat_callers", "all", "", "", stats.repeat_callers, stats.callers);
  for (const ChannelRepeat& repeat : stats.repeat_by_channel) {
    row("repeat_callers", channel_name(repeat.channel), "", "", repeat.repeat_callers,
        repeat.callers);
  }
  for (std::size_t i = 0; i < stats.calls_to_conversion.size(); ++i) {
    const ConversionDepth& depth = stats.calls_to_conversion[i];
    for (std::size_t b = 0; b < k_depth_buckets.size(); ++b) {
      row("calls_to_conversion", i == 0 ? "all" : channel_name(depth.first_touch),
          k_depth_buckets[b], "", depth.calls[b], depth.converted);
    }
  }
  const auto event_rows = [&](const char* table, const BeforeEvent& event) {
    for (const TopicLift& topic : event.topics) {
      const std::optional<double> ratio = lift(topic, event.calls, stats.calls);
      row(table, "", "", taxonomy.topics()[topic.topic].id, topic.calls, event.calls,
          format_ratio(share(topic.base_calls, stats.calls)), ratio ? format_ratio(*ratio) : "");
    }
  };
  event_rows("before_conversion", stats.before_conversion);
  event_rows("before_cancellation", stats.before_cancellation);
  for (const TouchPair& pair : stats.touch_pairs) {
    row("first_last_touch", channel_name(pair.first_touch), channel_name(pair.last_touch), "",
        pair.journeys, stats.converted);
  }
  std::uint64_t follow_ups = 0;
  for (const ChannelRole& role : stats.channel_roles) {
    follow_ups += role.follow_up;
  }
  // Each role's share: of all journeys, of all follow-up calls, of all closes.
  for (const ChannelRole& role : stats.channel_roles) {
    row("channel_roles", channel_name(role.channel), "first_touch", "", role.first_touch,
        stats.callers);
    row("channel_roles", channel_name(role.channel), "follow_up", "", role.follow_up, follow_ups);
    row("channel_roles", channel_name(role.channel), "closer", "", role.closer, stats.converted);
  }
  for (std::size_t b = 0; b < k_gap_buckets.size(); ++b) {
    row("time_between_calls", "", k_gap_buckets[b], "", stats.gaps.histogram[b], stats.gaps.gaps);
  }
}

} // namespace callsight
