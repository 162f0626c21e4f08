// Stored call records: the transcript-derived part of a CallResult as CBOR.
// One field list per struct (`fields`) drives both directions, so a field
// cannot be written and forgotten on the way back.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "callsight/store.hpp"

namespace callsight {
namespace {

using nlohmann::json;

template <class IO> void fields(IO& io, SentimentMean& m) {
  io("sum_micros", m.sum_micros);
  io("count", m.count);
}

template <class IO> void fields(IO& io, TurnSentiment& t) {
  io("score", t.score);
  io("terms", t.terms);
}

template <class IO> void fields(IO& io, SpeakerSentiment& s) {
  io("speaker", s.speaker);
  io("role", s.role);
  io("sentiment", s.sentiment);
}

// Per-turn scores (CallSentiment::turns) and word counts (TagResult::turn_words)
// are intermediate: consumed by the means and metrics during analysis, never
// reported, and most of a record's size. They are not stored.
template <class IO> void fields(IO& io, CallSentiment& s) {
  io("all", s.all);
  io("agent", s.agent);
  io("customer", s.customer);
  io("unknown", s.unknown);
  io("speakers", s.speakers);
  io("customer_quarters", s.customer_quarters);
  io("quarter_basis", s.quarter_basis);
  io("customer_trajectory", s.customer_trajectory);
  io("customer_start", s.customer_start);
  io("customer_end", s.customer_end);
}

template <class IO> void fields(IO& io, SilenceGap& g) {
  io("start_s", g.start_s);
  io("end_s", g.end_s);
  io("duration_s", g.duration_s);
  io("before_role", g.before_role);
  io("after_role", g.after_role);
  io("before_turn", g.before_turn);
  io("after_turn", g.after_turn);
}

template <class IO> void fields(IO& io, CallMetrics& m) {
  io("turns", m.turns);
  io("agent_turns", m.agent_turns);
  io("customer_turns", m.customer_turns);
  io("unknown_turns", m.unknown_turns);
  io("timed_turns", m.timed_turns);
  io("words", m.words);
  io("questions", m.questions);
  io("agent_words", m.agent_words);
  io("customer_words", m.customer_words);
  io("agent_questions", m.agent_questions);
  io("customer_questions", m.customer_questions);
  io("longest_customer_turn_words", m.longest_customer_turn_words);
  io("longest_customer_turn_words_turn", m.longest_customer_turn_words_turn);
  io("duration_s", m.duration_s);
  io("duration_lower_bound", m.duration_lower_bound);
  io("talk_s", m.talk_s);
  io("unknown_talk_s", m.unknown_talk_s);
  io("silence_s", m.silence_s);
  io("silence_count", m.silence_count);
  io("silence_ratio", m.silence_ratio);
  io("silences", m.silences);
  io("interruptions", m.interruptions);
  io("agent_talk_s", m.agent_talk_s);
  io("customer_talk_s", m.customer_talk_s);
  io("talk_ratio", m.talk_ratio);
  io("interruptions_by_agent", m.interruptions_by_agent);
  io("interruptions_by_customer", m.interruptions_by_customer);
  io("agent_wpm", m.agent_wpm);
  io("customer_wpm", m.customer_wpm);
  io("longest_customer_monologue_s", m.longest_customer_monologue_s);
  io("longest_customer_monologue_turn", m.longest_customer_monologue_turn);
}

template <class IO> void fields(IO& io, LanguageShare& l) {
  io("language", l.language);
  io("words", l.words);
}

template <class IO> void fields(IO& io, CallLanguage& l) {
  io("language", l.language);
  io("confidence", l.confidence);
  io("reliable", l.reliable);
  io("forced", l.forced);
  io("languages", l.languages);
}

// Topics are written by id (see encode_call_record), not through this list.
template <class IO> void fields(IO& io, CallResult& c) {
  io("call_id", c.call_id);
  io("format", c.format);
  io("encoding", c.encoding);
  io("bytes", c.bytes);
  io("invalid_utf8", c.invalid_utf8);
  io("turns", c.turns);
  io("role_source", c.role_source);
  io("role_confidence", c.role_confidence);
  io("agent_speaker", c.agent_speaker);
  io("fields", c.fields);
  io("words", c.tags.words);
  io("language", c.tags.language);
  io("metrics", c.metrics);
  io("sentiment", c.sentiment);
}

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};
template <class T> struct is_array : std::false_type {};
template <class T, std::size_t N> struct is_array<std::array<T, N>> : std::true_type {};

struct Writer {
  json& out;
  template <class T> static json put(const T& value) {
    if constexpr (std::is_enum_v<T>) {
      return static_cast<std::underlying_type_t<T>>(value);
    } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string> ||
                         std::is_same_v<T, std::map<std::string, std::string>>) {
      return value;
    } else if constexpr (is_optional<T>::value) {
      return value ? put(*value) : json(nullptr);
    } else if constexpr (is_vector<T>::value || is_array<T>::value) {
      json list = json::array();
      for (const auto& item : value) {
        list.push_back(put(item));
      }
      return list;
    } else {
      json object = json::object();
      Writer writer{object};
      fields(writer, const_cast<T&>(value)); // the writer only reads
      return object;
    }
  }
  template <class T> void operator()(const char* key, const T& value) { out[key] = put(value); }
};

// The last enumerator of each enum a record holds: a stored value past it is
// damage (to_string and tables indexed by role would misread it). A new enum
// field needs its overload here, or the Reader does not compile.
constexpr SourceEncoding last_enumerator(SourceEncoding) {
  return SourceEncoding::utf16be;
}
constexpr RoleSource last_enumerator(RoleSource) {
  return RoleSource::forced;
}
constexpr Role last_enumerator(Role) {
  return Role::customer;
}
constexpr QuarterBasis last_enumerator(QuarterBasis) {
  return QuarterBasis::position;
}
constexpr Trajectory last_enumerator(Trajectory) {
  return Trajectory::flat;
}

// Counts above 2^53 come from no transcript, and metrics pass through double
// (metric_value), where a larger count no longer converts back.
constexpr std::uint64_t k_max_count = std::uint64_t{1} << 53;

// Records nest 5 levels (record, topics, topic, hit_list, hit); the CBOR
// reader recurses once per level, so deep nesting would overflow the stack.
constexpr std::size_t k_max_depth = 16;

[[noreturn]] void damaged(const std::string& what) {
  throw std::runtime_error(what);
}

// nlohmann's DOM builder with a nesting limit: returning false stops the parse.
class BoundedDomParser : public nlohmann::detail::json_sax_dom_parser<json> {
public:
  using json_sax_dom_parser::json_sax_dom_parser;
  bool start_object(std::size_t len) {
    return ++m_depth <= k_max_depth && json_sax_dom_parser::start_object(len);
  }
  bool end_object() {
    --m_depth;
    return json_sax_dom_parser::end_object();
  }
  bool start_array(std::size_t len) {
    return ++m_depth <= k_max_depth && json_sax_dom_parser::start_array(len);
  }
  bool end_array() {
    --m_depth;
    return json_sax_dom_parser::end_array();
  }

private:
  std::size_t m_depth = 0;
};

json parse_record(std::string_view bytes) {
  json record;
  BoundedDomParser parser(record);
  if (!json::sax_parse(bytes, &parser, json::input_format_t::cbor)) {
    damaged("nested deeper than " + std::to_string(k_max_depth) + " levels");
  }
  return record;
}

// An integer stored for an integer field: no float, no sign or width change.
template <class T> T integer(const json& value) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number <= std::min<std::uint64_t>(std::numeric_limits<T>::max(), k_max_count)) {
      return static_cast<T>(number);
    }
  } else if (value.is_number_integer()) {
    const auto number = value.get<std::int64_t>();
    if constexpr (std::is_signed_v<T>) {
      if (number >= std::max<std::int64_t>(std::numeric_limits<T>::min(),
                                           -static_cast<std::int64_t>(k_max_count))) {
        return static_cast<T>(number);
      }
    }
  } else {
    damaged("expected an integer, found " + std::string(value.type_name()));
  }
  damaged("integer out of range: " + value.dump());
}

// Missing keys keep their defaults, so a record written before a field existed
// still reads (such files are re-analyzed anyway when present). Present values
// must have the type and range the encoder writes.
struct Reader {
  const json& in;
  template <class T> static void get(const json& value, T& into) {
    if constexpr (std::is_enum_v<T>) {
      const auto raw = integer<std::underlying_type_t<T>>(value);
      if (raw > static_cast<std::underlying_type_t<T>>(last_enumerator(T{}))) {
        damaged("enum value out of range: " + std::to_string(raw));
      }
      into = static_cast<T>(raw);
    } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string> ||
                         std::is_same_v<T, std::map<std::string, std::string>>) {
      into = value.get<T>(); // throws for any other type
    } else if constexpr (std::is_integral_v<T>) {
      into = integer<T>(value);
    } else if constexpr (std::is_floating_point_v<T>) {
      // Later code rounds seconds and ratios to integers: no NaN or infinity.
      if (!value.is_number()) {
        damaged("expected a number, found " + std::string(value.type_name()));
      }
      if (!std::isfinite(value.get<double>())) {
        damaged("a number is NaN or infinite");
      }
      into = value.get<T>();
    } else if constexpr (is_optional<T>::value) {
      if (value.is_null()) {
        into.reset();
      } else {
        get(value, into.emplace());
      }
    } else if constexpr (is_vector<T>::value) {
      into.assign(array(value).size(), {});
      for (std::size_t i = 0; i < value.size(); ++i) {
        get(value[i], into[i]);
      }
    } else if constexpr (is_array<T>::value) {
      if (array(value).size() != into.size()) {
        damaged("expected " + std::to_string(into.size()) + " entries, found " +
                std::to_string(value.size()));
      }
      for (std::size_t i = 0; i < into.size(); ++i) {
        get(value[i], into[i]);
      }
    } else {
      if (!value.is_object()) {
        damaged("expected an object, found " + std::string(value.type_name()));
      }
      Reader reader{value};
      fields(reader, into);
    }
  }
  template <class T> void operator()(const char* key, T& into) {
    if (const auto it = in.find(key); it != in.end()) {
      get(*it, into);
    }
  }
  static const json& array(const json& value) {
    if (!value.is_array()) {
      damaged("expected an array, found " + std::string(value.type_name()));
    }
    return value;
  }
};

// The array under `key`, empty when absent.
const json& list_at(const json& object, const char* key) {
  static const json none = json::array();
  const auto it = object.find(key);
  return it == object.end() ? none : Reader::array(*it);
}

// A turn index must point into the call's turns: evidence snippets, metrics
// and reports index turns with it.
void check_turn(std::uint64_t turn, std::uint64_t turns, const std::string& what) {
  if (turn >= turns) {
    damaged(what + " " + std::to_string(turn) + " past the call's " + std::to_string(turns) +
            " turns");
  }
}

void check_span(std::uint32_t begin, std::uint32_t end, const char* what) {
  if (begin > end) {
    damaged(std::string(what) + " ends before it begins");
  }
}

void check_turns(const CallMetrics& metrics, std::uint64_t turns) {
  for (const SilenceGap& gap : metrics.silences) {
    check_turn(gap.before_turn, turns, "silence before turn");
    check_turn(gap.after_turn, turns, "silence after turn");
  }
  if (metrics.longest_customer_turn_words_turn) {
    check_turn(*metrics.longest_customer_turn_words_turn, turns, "longest customer turn");
  }
  if (metrics.longest_customer_monologue_turn) {
    check_turn(*metrics.longest_customer_monologue_turn, turns, "longest customer monologue");
  }
}

} // namespace

std::string encode_call_record(const CallResult& call, const CompiledTaxonomy& taxonomy) {
  json record = json::object();
  Writer writer{record};
  fields(writer, const_cast<CallResult&>(call));
  json topics = json::array();
  for (std::size_t i = 0; i < call.tags.topics.size(); ++i) {
    const TopicMatch& match = call.tags.topics[i];
    topics.push_back(
        {{"id", taxonomy.topics()[match.topic].id},
         {"hits", match.hits},
         {"negated", match.negated},
         {"first_turn", match.first_turn},
         {"first_begin", match.first_begin},
         {"first_end", match.first_end},
         {"evidence", i < call.evidence.size() ? call.evidence[i] : std::string()},
         {"evidence_hit", i < call.evidence_hits.size() ? call.evidence_hits[i] : std::string()},
         {"evidence_time", Writer::put(i < call.evidence_time.size() ? call.evidence_time[i]
                                                                     : std::optional<double>())}});
  }
  // Hits name their phrase by text, not by pattern index, so a record still
  // reads (minus the phrases that left) under an edited taxonomy.
  // topics[i] is call.tags.topics[i]: find a hit's entry by topic index.
  for (const TopicHit& hit : call.tags.hits) {
    for (std::size_t i = 0; i < call.tags.topics.size(); ++i) {
      if (call.tags.topics[i].topic == hit.topic) {
        // [turn, begin, end, phrase, start_s]: an array, as hits are many.
        topics[i]["hit_list"].push_back(
            json::array({hit.turn, hit.begin, hit.end, taxonomy.patterns()[hit.pattern].text,
                         Writer::put(hit.start_s)}));
        break;
      }
    }
  }
  record["topics"] = std::move(topics);
  const std::vector<std::uint8_t> bytes = json::to_cbor(record);
  return {bytes.begin(), bytes.end()};
}

std::optional<CallResult> decode_call_record(std::string_view bytes, const std::string& path,
                                             const CompiledTaxonomy& taxonomy, std::string& error) {
  try {
    const json record = parse_record(bytes);
    if (!record.is_object()) {
      error = "stored call record is not an object";
      return std::nullopt;
    }
    CallResult call;
    Reader reader{record};
    fields(reader, call);
    call.path = path;
    check_turns(call.metrics, call.turns);
    const auto& topics = taxonomy.topics();
    std::vector<std::uint8_t> seen(topics.size(), 0);
    std::vector<std::size_t> order;
    for (const json& topic : list_at(record, "topics")) {
      const std::string id = topic.at("id").get<std::string>();
      const auto found =
          std::find_if(topics.begin(), topics.end(), [&](const Topic& t) { return t.id == id; });
      if (found == topics.end()) {
        continue; // the topic left the taxonomy
      }
      TopicMatch match;
      match.topic = static_cast<std::uint32_t>(found - topics.begin());
      // Summaries would count a repeated topic twice.
      if (std::exchange(seen[match.topic], 1) != 0) {
        damaged("topic " + id + " stored twice");
      }
      Reader::get(topic.at("hits"), match.hits);
      Reader::get(topic.at("negated"), match.negated);
      Reader::get(topic.at("first_turn"), match.first_turn);
      Reader::get(topic.at("first_begin"), match.first_begin);
      Reader::get(topic.at("first_end"), match.first_end);
      check_turn(match.first_turn, call.turns, "topic " + id + " turn");
      check_span(match.first_begin, match.first_end, "topic evidence");
      call.tags.topics.push_back(match);
      call.evidence.push_back(topic.at("evidence").get<std::string>());
      call.evidence_hits.push_back(topic.value("evidence_hit", std::string()));
      for (const json& stored : list_at(topic, "hit_list")) {
        const std::string phrase = stored.at(3).get<std::string>();
        const auto& patterns = taxonomy.patterns();
        const auto pattern = std::find_if(patterns.begin(), patterns.end(), [&](const auto& p) {
          return p.topic == match.topic && p.text == phrase;
        });
        if (pattern == patterns.end()) {
          continue;
        }
        TopicHit hit;
        hit.topic = match.topic;
        hit.pattern = static_cast<std::uint32_t>(pattern - patterns.begin());
        Reader::get(stored.at(0), hit.turn);
        Reader::get(stored.at(1), hit.begin);
        Reader::get(stored.at(2), hit.end);
        Reader::get(stored.at(4), hit.start_s);
        check_turn(hit.turn, call.turns, "hit turn");
        check_span(hit.begin, hit.end, "hit");
        call.tags.hits.push_back(hit);
      }
      Reader::get(topic.at("evidence_time"), call.evidence_time.emplace_back());
    }
    // Topics stay in taxonomy order, as the matcher gives them, even when the
    // taxonomy was reordered since the record was written.
    order.resize(call.tags.topics.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return call.tags.topics[a].topic < call.tags.topics[b].topic;
    });
    CallResult sorted = call;
    for (std::size_t i = 0; i < order.size(); ++i) {
      sorted.tags.topics[i] = call.tags.topics[order[i]];
      sorted.evidence[i] = call.evidence[order[i]];
      sorted.evidence_hits[i] = call.evidence_hits[order[i]];
      sorted.evidence_time[i] = call.evidence_time[order[i]];
    }
    std::stable_sort(sorted.tags.hits.begin(), sorted.tags.hits.end(),
                     [](const TopicHit& a, const TopicHit& b) { return a.topic < b.topic; });
    return sorted;
  } catch (const std::exception& e) {
    error = std::string("damaged stored call record: ") + e.what();
    return std::nullopt;
  }
}

} // namespace callsight
