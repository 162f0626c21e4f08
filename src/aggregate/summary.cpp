// Summary: folds CallResults into totals, per-topic and per-group counters,
// all integers so that merging is exact and order-independent.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "callsight/aggregate.hpp"

#include "util/decimal_fields.hpp"

namespace callsight {
namespace {

void add_topic_counts(std::vector<TopicCounts>& into, const std::vector<TopicCounts>& from) {
  if (into.size() < from.size()) {
    into.resize(from.size());
  }
  for (std::size_t i = 0; i < from.size(); ++i) {
    into[i] += from[i];
  }
}

} // namespace

std::string_view to_string(ConversionSource source) {
  switch (source) {
  case ConversionSource::call_log:
    return "call_log";
  case ConversionSource::transcript:
    return "transcript";
  case ConversionSource::none:
    break;
  }
  return "none";
}

Conversion decide_conversion(std::string_view log_converted, bool conversion_topic_tagged) {
  // An empty cell is a call the log does not know about yet; "0" or "no" is
  // the log saying no, and it outranks what the agent said on the call.
  if (log_converted.find_first_not_of(" \t") != std::string_view::npos) {
    return {parse_truthy(log_converted), ConversionSource::call_log};
  }
  if (conversion_topic_tagged) {
    return {true, ConversionSource::transcript};
  }
  return {false, ConversionSource::none};
}

bool has_conversion_topic(const TagResult& tags, const std::vector<Topic>& topics) {
  return std::any_of(tags.topics.begin(), tags.topics.end(), [&](const TopicMatch& match) {
    return match.topic < topics.size() && is_conversion_topic(topics[match.topic]);
  });
}

void ConversionSources::add(ConversionSource source) {
  switch (source) {
  case ConversionSource::call_log:
    call_log += 1;
    break;
  case ConversionSource::transcript:
    transcript += 1;
    break;
  case ConversionSource::none:
    none += 1;
    break;
  }
}

ConversionSources& ConversionSources::operator+=(const ConversionSources& other) {
  call_log += other.call_log;
  transcript += other.transcript;
  none += other.none;
  return *this;
}

namespace {
std::uint64_t to_ms(double seconds) {
  return static_cast<std::uint64_t>(std::llround(seconds * 1000.0));
}
} // namespace

void MetricTotals::add(const CallMetrics& m) {
  if (m.duration_s) {
    timed_calls += 1;
    duration_ms += to_ms(*m.duration_s);
    silence_ms += to_ms(m.silence_s.value_or(0.0));
    silence_count += m.silence_count.value_or(0);
  }
  if (m.agent_talk_s && m.customer_talk_s) {
    role_timed_calls += 1;
    agent_talk_ms += to_ms(*m.agent_talk_s);
    customer_talk_ms += to_ms(*m.customer_talk_s);
    interruptions_by_agent += m.interruptions_by_agent.value_or(0);
    interruptions_by_customer += m.interruptions_by_customer.value_or(0);
  }
  agent_questions += m.agent_questions.value_or(0);
  customer_questions += m.customer_questions.value_or(0);
}

MetricTotals& MetricTotals::operator+=(const MetricTotals& o) {
  timed_calls += o.timed_calls;
  duration_ms += o.duration_ms;
  silence_ms += o.silence_ms;
  silence_count += o.silence_count;
  role_timed_calls += o.role_timed_calls;
  agent_talk_ms += o.agent_talk_ms;
  customer_talk_ms += o.customer_talk_ms;
  interruptions_by_agent += o.interruptions_by_agent;
  interruptions_by_customer += o.interruptions_by_customer;
  agent_questions += o.agent_questions;
  customer_questions += o.customer_questions;
  return *this;
}

void TopicCounts::add_example(TopicExample example) {
  // Keep the k earliest by input index, so the choice does not depend on
  // which thread or shard saw which call. After equal indexes (calls of one
  // file), so merging keeps a file's calls in their order.
  const auto at =
      std::upper_bound(examples.begin(), examples.end(), example.index,
                       [](std::uint64_t i, const TopicExample& e) { return i < e.index; });
  if (static_cast<std::size_t>(at - examples.begin()) >= k_topic_examples) {
    return;
  }
  examples.insert(at, std::move(example));
  if (examples.size() > k_topic_examples) {
    examples.pop_back();
  }
}

TopicCounts& TopicCounts::operator+=(const TopicCounts& other) {
  calls += other.calls;
  hits += other.hits;
  conversions += other.conversions;
  customer_sentiment += other.customer_sentiment;
  for (const TopicExample& example : other.examples) {
    add_example(example);
  }
  return *this;
}

static void add_language_counts(LanguageCounts& into, const LanguageCounts& from) {
  for (const auto& [language, calls] : from) {
    into[language] += calls;
  }
}

GroupStats& GroupStats::operator+=(const GroupStats& other) {
  calls += other.calls;
  with_metadata += other.with_metadata;
  conversions += other.conversions;
  conversion_sources += other.conversion_sources;
  revenue_calls += other.revenue_calls;
  revenue_cents += other.revenue_cents;
  words += other.words;
  add_topic_counts(topics, other.topics);
  metrics += other.metrics;
  sentiment += other.sentiment;
  add_language_counts(languages, other.languages);
  return *this;
}

Totals& Totals::operator+=(const Totals& other) {
  calls += other.calls;
  files_failed += other.files_failed;
  turns += other.turns;
  words += other.words;
  bytes += other.bytes;
  invalid_utf8 += other.invalid_utf8;
  with_metadata += other.with_metadata;
  conversions += other.conversions;
  conversion_sources += other.conversion_sources;
  revenue_calls += other.revenue_calls;
  revenue_cents += other.revenue_cents;
  metrics += other.metrics;
  sentiment += other.sentiment;
  add_language_counts(languages, other.languages);
  return *this;
}

Summary::Summary(std::size_t topic_count, std::vector<std::string> dimensions)
    : m_topic_count(topic_count), m_dimensions(std::move(dimensions)), m_topics(topic_count),
      m_groups(m_dimensions.size()) {}

void Summary::add(const CallResult& call) {
  m_totals.calls += 1;
  m_totals.turns += call.turns;
  m_totals.words += call.tags.words;
  m_totals.bytes += call.bytes;
  m_totals.invalid_utf8 += call.invalid_utf8;
  m_totals.with_metadata += call.has_metadata ? 1 : 0;
  if (call.log_row >= 0) {
    m_rows_used.mark(static_cast<std::size_t>(call.log_row));
  }
  m_totals.conversions += call.converted ? 1 : 0;
  m_totals.conversion_sources.add(call.conversion_source);
  m_totals.revenue_calls += call.has_revenue ? 1 : 0;
  m_totals.revenue_cents += call.revenue_cents;
  m_totals.metrics.add(call.metrics);
  m_totals.sentiment.add(call.sentiment);
  // "und" (ISO 639-2 undetermined): a result made without detection.
  const std::string& language =
      call.tags.language.language.empty() ? k_undetermined_language : call.tags.language.language;
  m_totals.languages[language] += 1;
  const std::optional<double> customer = call.sentiment.customer.mean();
  for (std::size_t i = 0; i < call.tags.topics.size(); ++i) {
    const TopicMatch& match = call.tags.topics[i];
    TopicCounts& topic = m_topics[match.topic];
    topic.calls += 1;
    topic.hits += match.hits;
    topic.conversions += call.converted ? 1 : 0;
    if (customer) {
      topic.customer_sentiment.add(*customer);
    }
    if (i < call.evidence.size() && topic.examples.size() < k_topic_examples) {
      topic.add_example(TopicExample{
          call.index, call.path,
          i < call.evidence_time.size() ? call.evidence_time[i] : std::nullopt, call.evidence[i]});
    }
  }
  for (std::size_t d = 0; d < m_dimensions.size(); ++d) {
    const std::string& value = d < call.group_values.size() && !call.group_values[d].empty()
                                   ? call.group_values[d]
                                   : std::string(k_unknown_group);
    GroupStats& group = m_groups[d][value];
    if (group.topics.size() < m_topic_count) {
      group.topics.resize(m_topic_count);
    }
    group.calls += 1;
    group.with_metadata += call.has_metadata ? 1 : 0;
    group.conversions += call.converted ? 1 : 0;
    group.conversion_sources.add(call.conversion_source);
    group.revenue_calls += call.has_revenue ? 1 : 0;
    group.revenue_cents += call.revenue_cents;
    group.words += call.tags.words;
    group.metrics.add(call.metrics);
    group.sentiment.add(call.sentiment);
    group.languages[language] += 1;
    for (const TopicMatch& match : call.tags.topics) {
      TopicCounts& topic = group.topics[match.topic];
      topic.calls += 1;
      topic.hits += match.hits;
      topic.conversions += call.converted ? 1 : 0;
    }
  }
}

void Summary::add_error(FileError error) {
  m_totals.files_failed += 1;
  m_errors.push_back(std::move(error));
}

Summary& Summary::operator+=(const Summary& other) {
  m_totals += other.m_totals;
  add_topic_counts(m_topics, other.m_topics);
  for (std::size_t d = 0; d < m_groups.size() && d < other.m_groups.size(); ++d) {
    for (const auto& [value, stats] : other.m_groups[d]) {
      m_groups[d][value] += stats;
    }
  }
  m_errors.insert(m_errors.end(), other.m_errors.begin(), other.m_errors.end());
  m_rows_used |= other.m_rows_used;
  return *this;
}

bool Summary::operator==(const Summary& other) const {
  return m_topic_count == other.m_topic_count && m_dimensions == other.m_dimensions &&
         m_totals == other.m_totals && m_topics == other.m_topics && m_groups == other.m_groups &&
         m_rows_used == other.m_rows_used && sorted_errors() == other.sorted_errors();
}

std::vector<FileError> Summary::sorted_errors() const {
  std::vector<FileError> errors = m_errors;
  std::stable_sort(errors.begin(), errors.end(), [](const FileError& a, const FileError& b) {
    return a.index != b.index ? a.index < b.index : a.path < b.path;
  });
  return errors;
}

std::string period_of(std::string_view iso, std::string_view period) {
  // YYYY-MM-DD at the start; anything after (time, zone) is ignored.
  using util::digits_at;
  using util::number_at;
  if (!digits_at(iso, 0, 4) || iso.size() < 10 || iso[4] != '-' || !digits_at(iso, 5, 2) ||
      iso[7] != '-' || !digits_at(iso, 8, 2)) {
    return {};
  }
  const int year = number_at(iso, 0, 4);
  const int month = number_at(iso, 5, 2);
  const int day = number_at(iso, 8, 2);
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return {};
  }
  if (period == "day") {
    return std::string(iso.substr(0, 10));
  }
  if (period == "month") {
    return std::string(iso.substr(0, 7));
  }
  if (period == "week") {
    // ISO 8601 week: the week with the year's first Thursday is week 1.
    const std::chrono::sys_days days{date};
    const std::chrono::weekday weekday{days};
    const int iso_weekday = static_cast<int>(weekday.iso_encoding()); // Mon=1..Sun=7
    const std::chrono::sys_days thursday = days + std::chrono::days{4 - iso_weekday};
    const std::chrono::year_month_day thursday_date{thursday};
    const std::chrono::sys_days jan1{thursday_date.year() / std::chrono::January / 1};
    const int week = static_cast<int>((thursday - jan1).count() / 7) + 1;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-W%02d", static_cast<int>(thursday_date.year()),
                  week);
    return buffer;
  }
  return {};
}

} // namespace callsight
