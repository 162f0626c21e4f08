// Partial summaries: a Summary's whole state as JSON and back, exactly (every
// counter an integer), so shards analyzed on different machines merge into
// the report one run would give.
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "callsight/aggregate.hpp"

namespace callsight {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* k_partial_format = "callsight-partial";

// --- reading with errors that name the field ---------------------------------

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw std::runtime_error(where + ": " + what);
}

std::string child(const std::string& where, const char* key) {
  return where.empty() ? std::string(key) : where + "." + key;
}

std::string item(const std::string& where, std::size_t i) {
  return where + "[" + std::to_string(i) + "]";
}

const json& field(const json& object, const char* key, const std::string& where) {
  if (!object.is_object()) {
    fail(where, "expected an object");
  }
  const auto it = object.find(key);
  if (it == object.end()) {
    fail(child(where, key), "missing");
  }
  return *it;
}

const json& array(const json& value, const std::string& where) {
  if (!value.is_array()) {
    fail(where, "expected an array");
  }
  return value;
}

const json& array_of(const json& value, std::size_t size, const std::string& where) {
  if (array(value, where).size() != size) {
    fail(where, "expected an array of " + std::to_string(size));
  }
  return value;
}

std::uint64_t as_u64(const json& value, const std::string& where) {
  if (!value.is_number_unsigned()) {
    fail(where, "expected a non-negative integer");
  }
  return value.get<std::uint64_t>();
}

std::int64_t as_i64(const json& value, const std::string& where) {
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    return value.get<std::int64_t>();
  }
  if (!value.is_number_unsigned() || value.get<std::uint64_t>() > INT64_MAX) {
    fail(where, "expected an integer");
  }
  return static_cast<std::int64_t>(value.get<std::uint64_t>());
}

std::string as_string(const json& value, const std::string& where) {
  if (!value.is_string()) {
    fail(where, "expected a string");
  }
  return value.get<std::string>();
}

std::uint64_t u64(const json& object, const char* key, const std::string& where) {
  return as_u64(field(object, key, where), child(where, key));
}

// --- field tables shared by writer and reader --------------------------------

// Every fingerprint field once, in the order written and compared.
#define CALLSIGHT_FINGERPRINT_FIELDS(X)                                                            \
  X(callsight)                                                                                     \
  X(taxonomy)                                                                                      \
  X(stemmer)                                                                                       \
  X(language)                                                                                      \
  X(group_by)                                                                                      \
  X(call_log)                                                                                      \
  X(column_map)                                                                                    \
  X(filename_pattern) X(spend) X(input_format) X(max_file_bytes) X(evidence_chars) X(redact)       \
      X(agent_speakers) X(agent_channel) X(gap_threshold_s) X(interruption_min_overlap_s)

ordered_json fingerprint_json(const PartialFingerprint& fingerprint) {
  ordered_json out = ordered_json::object();
#define CALLSIGHT_WRITE_FIELD(name) out[#name] = fingerprint.name;
  CALLSIGHT_FINGERPRINT_FIELDS(CALLSIGHT_WRITE_FIELD)
#undef CALLSIGHT_WRITE_FIELD
  return out;
}

template <typename T> void read_value(const json& in, const char* key, T& into) {
  const json& value = field(in, key, "fingerprint");
  try {
    value.get_to(into);
  } catch (const json::exception&) {
    fail(child("fingerprint", key), "unexpected value " + value.dump());
  }
}

PartialFingerprint read_fingerprint(const json& in) {
  PartialFingerprint fingerprint;
#define CALLSIGHT_READ_FIELD(name) read_value(in, #name, fingerprint.name);
  CALLSIGHT_FINGERPRINT_FIELDS(CALLSIGHT_READ_FIELD)
#undef CALLSIGHT_READ_FIELD
  return fingerprint;
}

template <typename T> struct U64Field {
  const char* name;
  std::uint64_t T::*member;
};

constexpr U64Field<MetricTotals> k_metric_fields[] = {
    {"timed_calls", &MetricTotals::timed_calls},
    {"duration_ms", &MetricTotals::duration_ms},
    {"silence_ms", &MetricTotals::silence_ms},
    {"silence_count", &MetricTotals::silence_count},
    {"role_timed_calls", &MetricTotals::role_timed_calls},
    {"agent_talk_ms", &MetricTotals::agent_talk_ms},
    {"customer_talk_ms", &MetricTotals::customer_talk_ms},
    {"interruptions_by_agent", &MetricTotals::interruptions_by_agent},
    {"interruptions_by_customer", &MetricTotals::interruptions_by_customer},
    {"agent_questions", &MetricTotals::agent_questions},
    {"customer_questions", &MetricTotals::customer_questions},
};

constexpr U64Field<Totals> k_total_fields[] = {
    {"calls", &Totals::calls},
    {"files_failed", &Totals::files_failed},
    {"turns", &Totals::turns},
    {"words", &Totals::words},
    {"bytes", &Totals::bytes},
    {"invalid_utf8", &Totals::invalid_utf8},
    {"with_metadata", &Totals::with_metadata},
    {"conversions", &Totals::conversions},
    {"revenue_calls", &Totals::revenue_calls},
};

constexpr U64Field<GroupStats> k_group_fields[] = {
    {"calls", &GroupStats::calls},
    {"with_metadata", &GroupStats::with_metadata},
    {"conversions", &GroupStats::conversions},
    {"revenue_calls", &GroupStats::revenue_calls},
    {"words", &GroupStats::words},
};

constexpr U64Field<ConversionSources> k_source_fields[] = {
    {"call_log", &ConversionSources::call_log},
    {"transcript", &ConversionSources::transcript},
    {"none", &ConversionSources::none},
};

template <typename T, std::size_t N>
void write_fields(ordered_json& out, const T& value, const U64Field<T> (&fields)[N]) {
  for (const U64Field<T>& f : fields) {
    out[f.name] = value.*f.member;
  }
}

template <typename T, std::size_t N>
void read_fields(const json& in, T& value, const U64Field<T> (&fields)[N],
                 const std::string& where) {
  for (const U64Field<T>& f : fields) {
    value.*f.member = u64(in, f.name, where);
  }
}

// --- the parts of a Summary ---------------------------------------------------

ordered_json mean_json(const SentimentMean& mean) {
  return ordered_json::array({mean.sum_micros, mean.count});
}

SentimentMean read_mean(const json& in, const std::string& where) {
  array_of(in, 2, where);
  return SentimentMean{as_i64(in[0], item(where, 0)), as_u64(in[1], item(where, 1))};
}

// A struct of counters as an object of its own (metrics, conversion sources).
template <typename T, std::size_t N>
ordered_json fields_json(const T& value, const U64Field<T> (&fields)[N]) {
  ordered_json out = ordered_json::object();
  write_fields(out, value, fields);
  return out;
}

template <typename T, std::size_t N>
T read_object(const json& in, const U64Field<T> (&fields)[N], const std::string& where) {
  T value;
  read_fields(in, value, fields, where);
  return value;
}

ordered_json metrics_json(const MetricTotals& metrics) {
  return fields_json(metrics, k_metric_fields);
}

MetricTotals read_metrics(const json& in, const std::string& where) {
  return read_object(in, k_metric_fields, where);
}

ordered_json sources_json(const ConversionSources& sources) {
  return fields_json(sources, k_source_fields);
}

ConversionSources read_sources(const json& in, const std::string& where) {
  return read_object(in, k_source_fields, where);
}

ordered_json languages_json(const LanguageCounts& languages) {
  ordered_json out = ordered_json::object();
  for (const auto& [language, calls] : languages) {
    out[language] = calls;
  }
  return out;
}

LanguageCounts read_languages(const json& in, const std::string& where) {
  if (!in.is_object()) {
    fail(where, "expected an object");
  }
  LanguageCounts languages;
  for (const auto& [language, calls] : in.items()) {
    languages[language] = as_u64(calls, child(where, language.c_str()));
  }
  return languages;
}

ordered_json sentiment_json(const SentimentTotals& s) {
  ordered_json quarters = ordered_json::array();
  for (const SentimentMean& quarter : s.customer_quarters) {
    quarters.push_back(mean_json(quarter));
  }
  return {{"calls", s.calls},
          {"customer", mean_json(s.customer)},
          {"agent", mean_json(s.agent)},
          {"all", mean_json(s.all)},
          {"customer_quarters", quarters},
          {"trajectories", s.trajectories}};
}

SentimentTotals read_sentiment(const json& in, const std::string& where) {
  SentimentTotals s;
  s.calls = u64(in, "calls", where);
  s.customer = read_mean(field(in, "customer", where), child(where, "customer"));
  s.agent = read_mean(field(in, "agent", where), child(where, "agent"));
  s.all = read_mean(field(in, "all", where), child(where, "all"));
  const std::string quarters_at = child(where, "customer_quarters");
  const json& quarters = array_of(field(in, "customer_quarters", where), 4, quarters_at);
  for (std::size_t q = 0; q < 4; ++q) {
    s.customer_quarters[q] = read_mean(quarters[q], item(quarters_at, q));
  }
  const std::string trajectories_at = child(where, "trajectories");
  const json& trajectories = array_of(field(in, "trajectories", where), 4, trajectories_at);
  for (std::size_t t = 0; t < 4; ++t) {
    s.trajectories[t] = as_u64(trajectories[t], item(trajectories_at, t));
  }
  return s;
}

ordered_json topic_json(const TopicCounts& topic) {
  ordered_json examples = ordered_json::array();
  for (const TopicExample& example : topic.examples) {
    ordered_json entry = {{"index", example.index}, {"file", example.file}};
    if (example.time_s) {
      entry["time_s"] = *example.time_s;
    }
    entry["snippet"] = example.snippet;
    examples.push_back(std::move(entry));
  }
  return {{"calls", topic.calls},
          {"hits", topic.hits},
          {"conversions", topic.conversions},
          {"customer_sentiment", mean_json(topic.customer_sentiment)},
          {"examples", examples}};
}

TopicCounts read_topic(const json& in, const std::string& where) {
  TopicCounts topic;
  topic.calls = u64(in, "calls", where);
  topic.hits = u64(in, "hits", where);
  topic.conversions = u64(in, "conversions", where);
  topic.customer_sentiment =
      read_mean(field(in, "customer_sentiment", where), child(where, "customer_sentiment"));
  const std::string examples_at = child(where, "examples");
  const json& examples = array(field(in, "examples", where), examples_at);
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const std::string at = item(examples_at, i);
    TopicExample example;
    example.index = u64(examples[i], "index", at);
    example.file = as_string(field(examples[i], "file", at), child(at, "file"));
    if (const auto time = examples[i].find("time_s"); time != examples[i].end()) {
      if (!time->is_number()) {
        fail(child(at, "time_s"), "expected a number");
      }
      example.time_s = time->get<double>();
    }
    example.snippet = as_string(field(examples[i], "snippet", at), child(at, "snippet"));
    // Through add_example: a hand-edited file cannot break the earliest-k order.
    topic.add_example(std::move(example));
  }
  return topic;
}

// Call-log rows as [first, last] runs: compact whether few or most rows joined.
ordered_json rows_json(const RowUse& used) {
  ordered_json runs = ordered_json::array();
  const std::vector<std::size_t> rows = used.rows();
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t j = i;
    while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) {
      ++j;
    }
    runs.push_back(ordered_json::array({rows[i], rows[j]}));
    i = j + 1;
  }
  return runs;
}

RowUse read_rows(const json& in, const std::string& where) {
  constexpr std::uint64_t k_max_rows = 1ull << 28; // a bitmap this size is 32 MB
  RowUse used;
  array(in, where);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string at = item(where, i);
    array_of(in[i], 2, at);
    const std::uint64_t first = as_u64(in[i][0], item(at, 0));
    const std::uint64_t last = as_u64(in[i][1], item(at, 1));
    if (first > last || last >= k_max_rows) {
      fail(at, "expected [first, last] row numbers, first <= last < 2^28");
    }
    for (std::uint64_t row = first; row <= last; ++row) {
      used.mark(static_cast<std::size_t>(row));
    }
  }
  return used;
}

} // namespace

namespace detail {

struct SummaryState {
  static ordered_json to_json(const Summary& summary) {
    ordered_json totals = ordered_json::object();
    write_fields(totals, summary.m_totals, k_total_fields);
    totals["conversion_sources"] = sources_json(summary.m_totals.conversion_sources);
    totals["revenue_cents"] = summary.m_totals.revenue_cents;
    totals["metrics"] = metrics_json(summary.m_totals.metrics);
    totals["sentiment"] = sentiment_json(summary.m_totals.sentiment);
    totals["languages"] = languages_json(summary.m_totals.languages);

    ordered_json topics = ordered_json::array();
    for (const TopicCounts& topic : summary.m_topics) {
      topics.push_back(topic_json(topic));
    }
    ordered_json groups = ordered_json::array();
    for (const auto& dimension : summary.m_groups) {
      ordered_json values = ordered_json::array();
      for (const auto& [value, stats] : dimension) {
        ordered_json group = {{"value", value}};
        write_fields(group, stats, k_group_fields);
        group["conversion_sources"] = sources_json(stats.conversion_sources);
        group["revenue_cents"] = stats.revenue_cents;
        group["metrics"] = metrics_json(stats.metrics);
        group["sentiment"] = sentiment_json(stats.sentiment);
        group["languages"] = languages_json(stats.languages);
        // Sparse: most groups raise few of the topics.
        ordered_json group_topics = ordered_json::array();
        for (std::size_t t = 0; t < stats.topics.size(); ++t) {
          if (!(stats.topics[t] == TopicCounts{})) {
            ordered_json entry = {{"topic", t}};
            entry.update(topic_json(stats.topics[t]));
            group_topics.push_back(std::move(entry));
          }
        }
        group["topics"] = group_topics;
        values.push_back(std::move(group));
      }
      groups.push_back(std::move(values));
    }
    ordered_json errors = ordered_json::array();
    for (const FileError& error : summary.sorted_errors()) {
      errors.push_back({{"index", error.index}, {"path", error.path}, {"reason", error.reason}});
    }
    return {{"topic_count", summary.m_topic_count},
            {"dimensions", summary.m_dimensions},
            {"totals", totals},
            {"topics", topics},
            {"groups", groups},
            {"errors", errors},
            {"rows_used", rows_json(summary.m_rows_used)}};
  }

  static Summary from_json(const json& in, const std::string& where) {
    constexpr std::uint64_t k_max_topics = 1u << 20;
    const std::uint64_t topic_count = u64(in, "topic_count", where);
    if (topic_count > k_max_topics) {
      fail(child(where, "topic_count"), "more topics than any taxonomy has");
    }
    const std::string dimensions_at = child(where, "dimensions");
    const json& dimensions_json = array(field(in, "dimensions", where), dimensions_at);
    std::vector<std::string> dimensions;
    for (std::size_t d = 0; d < dimensions_json.size(); ++d) {
      dimensions.push_back(as_string(dimensions_json[d], item(dimensions_at, d)));
    }
    Summary summary(static_cast<std::size_t>(topic_count), dimensions);

    const std::string totals_at = child(where, "totals");
    const json& totals = field(in, "totals", where);
    read_fields(totals, summary.m_totals, k_total_fields, totals_at);
    summary.m_totals.conversion_sources = read_sources(
        field(totals, "conversion_sources", totals_at), child(totals_at, "conversion_sources"));
    summary.m_totals.revenue_cents =
        as_i64(field(totals, "revenue_cents", totals_at), child(totals_at, "revenue_cents"));
    summary.m_totals.metrics =
        read_metrics(field(totals, "metrics", totals_at), child(totals_at, "metrics"));
    summary.m_totals.sentiment =
        read_sentiment(field(totals, "sentiment", totals_at), child(totals_at, "sentiment"));
    summary.m_totals.languages =
        read_languages(field(totals, "languages", totals_at), child(totals_at, "languages"));

    const std::string topics_at = child(where, "topics");
    const json& topics = array_of(field(in, "topics", where), topic_count, topics_at);
    for (std::size_t t = 0; t < topic_count; ++t) {
      summary.m_topics[t] = read_topic(topics[t], item(topics_at, t));
    }

    const std::string groups_at = child(where, "groups");
    const json& groups = array_of(field(in, "groups", where), dimensions.size(), groups_at);
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      const std::string dimension_at = item(groups_at, d);
      const json& values = array(groups[d], dimension_at);
      for (std::size_t v = 0; v < values.size(); ++v) {
        const std::string at = item(dimension_at, v);
        const std::string value = as_string(field(values[v], "value", at), child(at, "value"));
        if (summary.m_groups[d].contains(value)) {
          fail(child(at, "value"), "group '" + value + "' listed twice");
        }
        GroupStats& stats = summary.m_groups[d][value];
        read_fields(values[v], stats, k_group_fields, at);
        stats.conversion_sources = read_sources(field(values[v], "conversion_sources", at),
                                                child(at, "conversion_sources"));
        stats.revenue_cents =
            as_i64(field(values[v], "revenue_cents", at), child(at, "revenue_cents"));
        stats.metrics = read_metrics(field(values[v], "metrics", at), child(at, "metrics"));
        stats.sentiment = read_sentiment(field(values[v], "sentiment", at), child(at, "sentiment"));
        stats.languages = read_languages(field(values[v], "languages", at), child(at, "languages"));
        stats.topics.resize(static_cast<std::size_t>(topic_count));
        const std::string group_topics_at = child(at, "topics");
        const json& group_topics = array(field(values[v], "topics", at), group_topics_at);
        for (std::size_t i = 0; i < group_topics.size(); ++i) {
          const std::string topic_at = item(group_topics_at, i);
          const std::uint64_t t = u64(group_topics[i], "topic", topic_at);
          if (t >= topic_count) {
            fail(child(topic_at, "topic"), "topic " + std::to_string(t) + " out of range (" +
                                               std::to_string(topic_count) + " topics)");
          }
          stats.topics[t] = read_topic(group_topics[i], topic_at);
        }
      }
    }

    const std::string errors_at = child(where, "errors");
    const json& errors = array(field(in, "errors", where), errors_at);
    for (std::size_t i = 0; i < errors.size(); ++i) {
      const std::string at = item(errors_at, i);
      summary.m_errors.push_back(FileError{
          u64(errors[i], "index", at), as_string(field(errors[i], "path", at), child(at, "path")),
          as_string(field(errors[i], "reason", at), child(at, "reason"))});
    }
    summary.m_rows_used = read_rows(field(in, "rows_used", where), child(where, "rows_used"));
    return summary;
  }
};

} // namespace detail

std::optional<FingerprintDifference> fingerprint_difference(const PartialFingerprint& a,
                                                            const PartialFingerprint& b) {
  if (a == b) {
    return std::nullopt;
  }
  const ordered_json left = fingerprint_json(a);
  const ordered_json right = fingerprint_json(b);
  for (const auto& [key, value] : left.items()) {
    if (value != right.at(key)) {
      return FingerprintDifference{key, value.dump(), right.at(key).dump()};
    }
  }
  return std::nullopt; // unreachable: == compares the same fields
}

std::string content_fingerprint(std::string_view bytes) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(shard_hash(bytes)));
  return std::string("fnv1a64:") + hex + ":" + std::to_string(bytes.size());
}

void write_partial_summary(std::ostream& out, const Summary& summary, const ShardSpec& shard,
                           const PartialFingerprint& fingerprint) {
  const ordered_json partial = {{"format", k_partial_format},
                                {"version", k_partial_version},
                                {"shard", shard.to_string()},
                                {"fingerprint", fingerprint_json(fingerprint)},
                                {"summary", detail::SummaryState::to_json(summary)}};
  // Invalid UTF-8 (only possible in file names) is replaced, as the reports do.
  out << partial.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
}

std::optional<PartialSummary> parse_partial_summary(std::string_view text, std::string& error) {
  try {
    const json in = json::parse(text);
    const auto format = in.is_object() ? in.find("format") : in.end();
    if (format == in.end() || !format->is_string() ||
        format->get<std::string>() != k_partial_format) {
      error = "not a callsight partial summary (\"format\" is not \"" +
              std::string(k_partial_format) + "\"; write one with analyze --format partial)";
      return std::nullopt;
    }
    const std::uint64_t version = u64(in, "version", "");
    if (version != k_partial_version) {
      error = "partial format version " + std::to_string(version) +
              " is not supported (this callsight reads version " +
              std::to_string(k_partial_version) + ")";
      return std::nullopt;
    }
    std::string shard_error;
    const std::optional<ShardSpec> shard =
        parse_shard_spec(as_string(field(in, "shard", ""), "shard"), shard_error);
    if (!shard) {
      fail("shard", shard_error);
    }
    PartialSummary partial;
    partial.shard = *shard;
    partial.fingerprint = read_fingerprint(field(in, "fingerprint", ""));
    partial.summary = detail::SummaryState::from_json(field(in, "summary", ""), "summary");
    if (partial.summary.dimensions() != partial.fingerprint.group_by) {
      fail("summary.dimensions", "differ from fingerprint.group_by");
    }
    return partial;
  } catch (const json::exception& e) { // syntax, or a number out of range (1e999)
    error = std::string("not valid JSON: ") + e.what();
  } catch (const std::exception& e) {
    error = e.what();
  }
  return std::nullopt;
}

} // namespace callsight
