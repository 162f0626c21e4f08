// Journeys: per-call records from joined results, then one pass over the
// records sorted by caller and date that builds every aggregate.
#include "callsight/journeys.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <tuple>

#include "util/decimal_fields.hpp"

namespace callsight {
namespace {

using util::digits_at;
using util::number_at;

// "Z", "+02:00", "+0200", "-05", or nothing; seconds east of UTC.
std::optional<int> zone_offset(std::string_view zone) {
  if (zone.empty() || zone == "Z" || zone == "z") {
    return 0;
  }
  if (zone[0] != '+' && zone[0] != '-') {
    return std::nullopt;
  }
  const int sign = zone[0] == '-' ? -1 : 1;
  zone.remove_prefix(1);
  if (!digits_at(zone, 0, 2)) {
    return std::nullopt;
  }
  const int hours = number_at(zone, 0, 2);
  int minutes = 0;
  if (zone.size() == 5 && zone[2] == ':' && digits_at(zone, 3, 2)) {
    minutes = number_at(zone, 3, 2);
  } else if (zone.size() == 4 && digits_at(zone, 2, 2)) {
    minutes = number_at(zone, 2, 2);
  } else if (zone.size() != 2) {
    return std::nullopt;
  }
  if (hours > 23 || minutes > 59) {
    return std::nullopt;
  }
  return sign * (hours * 3600 + minutes * 60);
}

} // namespace

std::optional<std::int64_t> parse_iso_datetime(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  if (text.size() < 10 || !digits_at(text, 0, 4) || text[4] != '-' || !digits_at(text, 5, 2) ||
      text[7] != '-' || !digits_at(text, 8, 2)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{
      std::chrono::year{number_at(text, 0, 4)},
      std::chrono::month{static_cast<unsigned>(number_at(text, 5, 2))},
      std::chrono::day{static_cast<unsigned>(number_at(text, 8, 2))}};
  if (!date.ok()) {
    return std::nullopt;
  }
  std::int64_t seconds = std::chrono::sys_days{date}.time_since_epoch().count() * 86400LL;
  std::string_view rest = text.substr(10);
  if (rest.empty()) {
    return seconds;
  }
  if ((rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') || !digits_at(rest, 1, 2) ||
      rest.size() < 6 || rest[3] != ':' || !digits_at(rest, 4, 2)) {
    return std::nullopt;
  }
  const int hour = number_at(rest, 1, 2);
  const int minute = number_at(rest, 4, 2);
  int second = 0;
  rest.remove_prefix(6);
  if (!rest.empty() && rest[0] == ':') {
    if (!digits_at(rest, 1, 2)) {
      return std::nullopt;
    }
    second = number_at(rest, 1, 2);
    rest.remove_prefix(3);
    if (!rest.empty() && (rest[0] == '.' || rest[0] == ',')) {
      std::size_t end = 1;
      while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') {
        ++end;
      }
      rest.remove_prefix(end); // fractions of a second do not order calls
    }
  }
  if (hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  if (!rest.empty() && rest[0] == ' ') {
    rest.remove_prefix(1);
  }
  const std::optional<int> offset = zone_offset(rest);
  if (!offset) {
    return std::nullopt;
  }
  return seconds + hour * 3600 + minute * 60 + second - *offset;
}

std::string_view to_string(CallOutcome outcome) {
  switch (outcome) {
  case CallOutcome::converted:
    return "converted";
  case CallOutcome::cancelled:
    return "cancelled";
  case CallOutcome::none:
    break;
  }
  return "none";
}

// --- extraction -----------------------------------------------------------------

namespace {

std::string column_list(const CallLog& log) {
  std::string columns;
  for (const std::string& column : log.columns()) {
    columns += (columns.empty() ? "" : ", ") + column;
  }
  return columns;
}

bool contains_cancel(std::string_view value) {
  std::string lowered(value);
  for (char& c : lowered) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lowered.find("cancel") != std::string::npos;
}

} // namespace

std::optional<JourneyExtractor>
JourneyExtractor::create(const CallLog& log, const CompiledTaxonomy& taxonomy,
                         std::string_view key_column, std::string_view channel_column,
                         std::string_view salt, std::string& error) {
  JourneyExtractor extractor(log, salt);
  // The canonical name of a column the option names, or "" and `error`.
  const auto resolve = [&](std::string_view column, std::string_view what) -> std::string {
    const int index = log.column_index(column);
    if (index < 0) {
      error = std::string(what) + " column '" + std::string(column) +
              "' is not in the call log (columns: " + column_list(log) + ")";
      return {};
    }
    return log.columns()[static_cast<std::size_t>(index)];
  };
  extractor.m_key_name = resolve(key_column, "caller key");
  if (extractor.m_key_name.empty()) {
    return std::nullopt;
  }
  extractor.m_kind = caller_key_kind(extractor.m_key_name);
  if (!channel_column.empty()) {
    extractor.m_channel_name = resolve(channel_column, "channel");
    if (extractor.m_channel_name.empty()) {
      return std::nullopt;
    }
  } else {
    for (const char* fallback : {"source", "campaign"}) {
      if (log.column_index(fallback) >= 0) {
        extractor.m_channel_name = fallback;
        break;
      }
    }
  }
  for (const Topic& topic : taxonomy.topics()) {
    extractor.m_outcome_topic.push_back(is_conversion_topic(topic));
    extractor.m_cancel_topic.push_back(
        topic.id.starts_with("cancel") ||
        (topic.kind == TopicKind::outcome && topic.outcome == OutcomeMeaning::cancellation));
  }
  extractor.m_has_converted_column = log.column_index("converted") >= 0;
  for (const char* status : {"outcome", "call_outcome", "status", "call_status", "disposition",
                             "result", "call_result"}) {
    if (log.column_index(status) >= 0) {
      extractor.m_status_name = status;
      break;
    }
  }
  return extractor;
}

std::optional<JourneyCall> JourneyExtractor::record(const CallResult& call) const {
  if (call.log_row < 0 || static_cast<std::size_t>(call.log_row) >= m_log->size()) {
    return std::nullopt;
  }
  const auto row = static_cast<std::size_t>(call.log_row);
  const std::string key = normalize_caller_key(m_log->value(row, m_key_name), m_kind);
  if (key.empty()) {
    return std::nullopt;
  }
  JourneyCall record;
  record.caller = m_hasher(key);
  record.order = call.index;
  record.date = std::string(m_log->value(row, "started_at"));
  if (!m_channel_name.empty()) {
    record.channel = std::string(m_log->value(row, m_channel_name));
  }
  record.campaign = std::string(m_log->value(row, "campaign"));
  record.call_id = call.call_id;
  record.customer_sentiment = call.sentiment.customer.mean();
  bool outcome_topic = false;
  bool cancel_topic = false;
  for (const TopicMatch& match : call.tags.topics) {
    record.topics.push_back(match.topic);
    outcome_topic = outcome_topic || m_outcome_topic[match.topic];
    cancel_topic = cancel_topic || m_cancel_topic[match.topic];
  }
  std::sort(record.topics.begin(), record.topics.end());
  const std::string_view converted =
      m_has_converted_column ? m_log->value(row, "converted") : std::string_view();
  if (decide_conversion(converted, outcome_topic).converted) {
    record.outcome = CallOutcome::converted;
  } else if (cancel_topic ||
             (!m_status_name.empty() && contains_cancel(m_log->value(row, m_status_name)))) {
    record.outcome = CallOutcome::cancelled;
  }
  return record;
}

// --- building -------------------------------------------------------------------

JourneyBuilder::JourneyBuilder(std::size_t topic_count, JourneyOptions options)
    : m_topic_count(topic_count), m_options(options) {}

std::uint32_t JourneyBuilder::intern(const std::string& name) {
  const auto [it, added] = m_name_ids.try_emplace(name, static_cast<std::uint32_t>(m_names.size()));
  if (added) {
    m_names.push_back(name);
  }
  return it->second;
}

void JourneyBuilder::add(JourneyCall call) {
  Stored stored;
  stored.caller = call.caller;
  stored.order = call.order;
  const std::optional<std::int64_t> time = parse_iso_datetime(call.date);
  stored.dated = time.has_value();
  stored.time = time.value_or(0);
  stored.text = m_text.size();
  stored.date_length = static_cast<std::uint32_t>(call.date.size());
  stored.id_length = static_cast<std::uint32_t>(call.call_id.size());
  m_text += call.date;
  m_text += call.call_id;
  stored.topics = m_topics.size();
  stored.topic_count = static_cast<std::uint32_t>(call.topics.size());
  m_topics.insert(m_topics.end(), call.topics.begin(), call.topics.end());
  stored.has_sentiment = call.customer_sentiment.has_value();
  stored.sentiment = call.customer_sentiment.value_or(0.0);
  stored.channel = intern(call.channel);
  stored.campaign = intern(call.campaign);
  stored.outcome = call.outcome;
  m_calls.push_back(stored);
}

JourneyCall JourneyBuilder::expand(const Stored& stored) const {
  JourneyCall call;
  call.caller = stored.caller;
  call.order = stored.order;
  call.date = m_text.substr(stored.text, stored.date_length);
  call.call_id = m_text.substr(stored.text + stored.date_length, stored.id_length);
  call.channel = m_names[stored.channel];
  call.campaign = m_names[stored.campaign];
  const auto topics = m_topics.begin() + static_cast<std::ptrdiff_t>(stored.topics);
  call.topics.assign(topics, topics + stored.topic_count);
  if (stored.has_sentiment) {
    call.customer_sentiment = stored.sentiment;
  }
  call.outcome = stored.outcome;
  return call;
}

namespace {

// Counts of the topics on the calls before one kind of event.
struct EventCounter {
  BeforeEvent result;
  std::vector<std::uint64_t> topic_calls;

  explicit EventCounter(std::size_t topics) : topic_calls(topics, 0) {}

  void add(const Journey& journey, std::optional<std::size_t> at) {
    if (!at) {
      return;
    }
    ++result.events;
    if (*at == 0) {
      ++result.on_first_call;
      return;
    }
    ++result.calls;
    for (const std::uint32_t topic : journey.calls[*at - 1].topics) {
      if (topic < topic_calls.size()) {
        ++topic_calls[topic];
      }
    }
  }

  BeforeEvent finish(const std::vector<std::uint64_t>& base, std::uint64_t min_calls) {
    for (std::uint32_t t = 0; t < topic_calls.size(); ++t) {
      if (topic_calls[t] == 0) {
        continue;
      }
      if (topic_calls[t] < min_calls) {
        ++result.suppressed;
        continue;
      }
      result.topics.push_back({t, topic_calls[t], base[t]});
    }
    std::stable_sort(result.topics.begin(), result.topics.end(),
                     [](const TopicLift& a, const TopicLift& b) { return a.calls > b.calls; });
    return std::move(result);
  }
};

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::max<std::size_t>(rank, 1) - 1]);
}

std::size_t depth_bucket(std::size_t calls) {
  return std::min<std::size_t>(calls, 4) - 1;
}

} // namespace

JourneyStats JourneyBuilder::finish(const std::function<void(const Journey&)>& visit) {
  JourneyStats stats;
  stats.calls = m_calls.size();
  stats.calls_without_key = m_unlinked;
  stats.min_topic_calls = m_options.min_topic_calls;
  stats.topic_calls.assign(m_topic_count, 0);
  for (const Stored& call : m_calls) {
    stats.calls_without_date += call.dated ? 0 : 1;
  }
  for (const std::uint32_t topic : m_topics) {
    if (topic < m_topic_count) {
      ++stats.topic_calls[topic];
    }
  }
  // Undated calls after the dated ones of their caller.
  std::sort(m_calls.begin(), m_calls.end(), [](const Stored& a, const Stored& b) {
    return std::make_tuple(a.caller, !a.dated, a.time, a.order) <
           std::make_tuple(b.caller, !b.dated, b.time, b.order);
  });

  std::map<std::string, ChannelRepeat> repeats;
  std::map<std::string, ConversionDepth> depths;
  ConversionDepth all_depths;
  std::map<std::pair<std::string, std::string>, std::uint64_t> pairs;
  std::map<std::string, ChannelRole> roles;
  EventCounter before_conversion(m_topic_count);
  EventCounter before_cancellation(m_topic_count);
  std::vector<std::int64_t> gaps;
  const auto role = [&](const std::string& channel) -> ChannelRole& {
    ChannelRole& entry = roles[channel];
    entry.channel = channel;
    return entry;
  };

  Journey journey;
  for (std::size_t begin = 0; begin < m_calls.size();) {
    std::size_t end = begin;
    journey = Journey{};
    journey.caller = m_calls[begin].caller;
    for (; end < m_calls.size() && m_calls[end].caller == journey.caller; ++end) {
      const Stored& call = m_calls[end];
      const std::size_t at = journey.calls.size();
      if (call.outcome == CallOutcome::converted && !journey.converted_at) {
        journey.converted_at = at;
      }
      if (call.outcome == CallOutcome::cancelled && !journey.cancelled_at) {
        journey.cancelled_at = at;
      }
      if (end > begin && call.dated && m_calls[end - 1].dated) {
        gaps.push_back(call.time - m_calls[end - 1].time);
      }
      journey.calls.push_back(expand(call));
    }
    journey.first_touch = journey.calls.front().channel;
    journey.last_touch =
        journey.calls[journey.converted_at.value_or(journey.calls.size() - 1)].channel;

    ++stats.callers;
    const bool repeat = journey.calls.size() > 1;
    stats.repeat_callers += repeat ? 1 : 0;
    ChannelRepeat& channel_repeat = repeats[journey.first_touch];
    channel_repeat.channel = journey.first_touch;
    ++channel_repeat.callers;
    channel_repeat.repeat_callers += repeat ? 1 : 0;

    ++role(journey.first_touch).first_touch;
    const std::size_t follow_end = journey.converted_at.value_or(journey.calls.size());
    for (std::size_t i = 1; i < follow_end; ++i) {
      ++role(journey.calls[i].channel).follow_up;
    }
    if (journey.converted_at) {
      ++stats.converted;
      ++role(journey.last_touch).closer;
      const std::size_t bucket = depth_bucket(*journey.converted_at + 1);
      ConversionDepth& depth = depths[journey.first_touch];
      depth.first_touch = journey.first_touch;
      ++depth.converted;
      ++depth.calls[bucket];
      ++all_depths.converted;
      ++all_depths.calls[bucket];
      ++pairs[{journey.first_touch, journey.last_touch}];
    }
    stats.cancelled += journey.cancelled_at ? 1 : 0;
    before_conversion.add(journey, journey.converted_at);
    before_cancellation.add(journey, journey.cancelled_at);
    if (visit) {
      visit(journey);
    }
    begin = end;
  }

  for (auto& [channel, entry] : repeats) {
    stats.repeat_by_channel.push_back(std::move(entry));
  }
  stats.calls_to_conversion.push_back(all_depths);
  for (auto& [channel, entry] : depths) {
    stats.calls_to_conversion.push_back(std::move(entry));
  }
  stats.before_conversion = before_conversion.finish(stats.topic_calls, m_options.min_topic_calls);
  stats.before_cancellation =
      before_cancellation.finish(stats.topic_calls, m_options.min_topic_calls);
  for (const auto& [pair, count] : pairs) {
    stats.touch_pairs.push_back({pair.first, pair.second, count});
  }
  for (auto& [channel, entry] : roles) {
    stats.channel_roles.push_back(std::move(entry));
  }
  std::sort(gaps.begin(), gaps.end());
  stats.gaps.gaps = gaps.size();
  for (const std::int64_t gap : gaps) {
    constexpr std::int64_t k_day = 86400;
    const std::size_t bucket = gap < k_day ? 0 : gap < 7 * k_day ? 1 : gap < 30 * k_day ? 2 : 3;
    ++stats.gaps.histogram[bucket];
  }
  if (!gaps.empty()) {
    stats.gaps.median_hours = percentile(gaps, 0.5) / 3600.0;
    stats.gaps.p90_hours = percentile(gaps, 0.9) / 3600.0;
  }
  *this = JourneyBuilder(m_topic_count, m_options);
  return stats;
}

} // namespace callsight
