// Call metrics: one pass over a call's turns for counts and questions, one
// sweep in start order for talk time, silences and interruptions.
#include "callsight/call_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "callsight/text.hpp"

namespace callsight {
namespace {

constexpr std::size_t k_roles = 3;
constexpr std::size_t k_max_fillers = 3;

enum class MetricKind : std::uint8_t { seconds, ratio, rate, count };

struct MetricInfo {
  std::string_view name;
  MetricKind kind;
};

// Indexed by Metric; the names are the enumerators' names.
constexpr std::array<MetricInfo, 27> k_metrics = {{
    {"duration_s", MetricKind::seconds},
    {"talk_s", MetricKind::seconds},
    {"agent_talk_s", MetricKind::seconds},
    {"customer_talk_s", MetricKind::seconds},
    {"unknown_talk_s", MetricKind::seconds},
    {"talk_ratio", MetricKind::ratio},
    {"silence_s", MetricKind::seconds},
    {"silence_count", MetricKind::count},
    {"silence_ratio", MetricKind::ratio},
    {"interruptions", MetricKind::count},
    {"interruptions_by_agent", MetricKind::count},
    {"interruptions_by_customer", MetricKind::count},
    {"agent_wpm", MetricKind::rate},
    {"customer_wpm", MetricKind::rate},
    {"longest_customer_monologue_s", MetricKind::seconds},
    {"longest_customer_turn_words", MetricKind::count},
    {"questions", MetricKind::count},
    {"agent_questions", MetricKind::count},
    {"customer_questions", MetricKind::count},
    {"words", MetricKind::count},
    {"agent_words", MetricKind::count},
    {"customer_words", MetricKind::count},
    {"turns", MetricKind::count},
    {"agent_turns", MetricKind::count},
    {"customer_turns", MetricKind::count},
    {"unknown_turns", MetricKind::count},
    {"timed_turns", MetricKind::count},
}};
static_assert(k_metrics.size() == static_cast<std::size_t>(Metric::timed_turns) + 1,
              "one name per Metric");

std::size_t role_slot(Role role) {
  switch (role) {
  case Role::agent:
    return 0;
  case Role::customer:
    return 1;
  case Role::unknown:
    break;
  }
  return 2;
}

bool usable(const std::optional<double>& time) {
  return time && std::isfinite(*time) && std::abs(*time) <= k_max_metric_time_s;
}

// NaN and negative settings act as 0; +infinity stays (never reached).
double non_negative(double value) {
  return value > 0.0 ? value : 0.0;
}

bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Multi-byte sentence marks (UTF-8): fullwidth and Arabic question marks,
// fullwidth exclamation mark, ideographic full stop.
constexpr std::string_view k_fullwidth_question = "\xEF\xBC\x9F";
constexpr std::string_view k_arabic_question = "\xD8\x9F";
constexpr std::string_view k_fullwidth_exclamation = "\xEF\xBC\x81";
constexpr std::string_view k_ideographic_stop = "\xE3\x80\x82";
constexpr std::string_view k_right_quote = "\xE2\x80\x99";

bool has_sentence_marks(std::string_view text) {
  return text.find_first_of(".!?") != std::string_view::npos ||
         text.find(k_fullwidth_question) != std::string_view::npos ||
         text.find(k_arabic_question) != std::string_view::npos ||
         text.find(k_fullwidth_exclamation) != std::string_view::npos ||
         text.find(k_ideographic_stop) != std::string_view::npos;
}

// The next word from `pos` in lower-case ASCII, typographic apostrophes
// folded to '; empty at the end of the text. Non-ASCII letters are kept as
// they are: no opener contains one, so such a word simply does not match.
std::string next_word(std::string_view text, std::size_t& pos) {
  std::string word;
  const auto word_byte = [&](std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    return is_ascii_alnum(c) || c >= 0x80 || c == '\'';
  };
  while (pos < text.size() && !word_byte(pos)) {
    ++pos;
  }
  while (pos < text.size() && word_byte(pos)) {
    if (text.substr(pos, k_right_quote.size()) == k_right_quote) {
      word.push_back('\'');
      pos += k_right_quote.size();
      continue;
    }
    const auto c = static_cast<unsigned char>(text[pos]);
    word.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    ++pos;
  }
  return word;
}

template <std::size_t N> bool contains(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool starts_with_opener(std::string_view text) {
  std::size_t pos = 0;
  for (std::size_t skipped = 0;; ++skipped) {
    const std::string word = next_word(text, pos);
    if (contains(k_question_openers, word)) {
      return true;
    }
    if (word.empty() || skipped == k_max_fillers || !contains(k_question_fillers, word)) {
      return false;
    }
  }
}

bool different_speakers(const Turn& a, const Turn& b) {
  return a.speaker != b.speaker || a.role != b.role;
}

// Keeps the `limit` longest gaps (ties: the earlier one), in time order.
void keep_longest(std::vector<SilenceGap>& gaps, std::size_t limit) {
  if (gaps.size() > limit) {
    const auto longer = [](const SilenceGap& a, const SilenceGap& b) {
      return a.duration_s != b.duration_s ? a.duration_s > b.duration_s
                                          : a.after_turn < b.after_turn;
    };
    std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(limit), gaps.end(),
                     longer);
    gaps.resize(limit);
    std::sort(gaps.begin(), gaps.end(), [](const SilenceGap& a, const SilenceGap& b) {
      return a.start_s != b.start_s ? a.start_s < b.start_s : a.after_turn < b.after_turn;
    });
  }
}

// State of the sweep over turns in start order.
struct Sweep {
  bool started = false;
  std::uint64_t visited = 0;
  double first_start = 0.0;
  double covered_until = 0.0;   ///< latest end (or start, for end-less turns) so far
  std::uint32_t floor_turn = 0; ///< the turn that reached covered_until
  double latest_end = -std::numeric_limits<double>::infinity();
  double latest_endless_start = -std::numeric_limits<double>::infinity();
  bool endless = false; ///< some turn has a start but no end
  double talk = 0.0;
  std::array<double, k_roles> role_covered{};
  std::array<bool, k_roles> role_started{};
  std::array<double, k_roles> role_talk{};
  std::uint64_t interruptions = 0;
  std::array<std::uint64_t, k_roles> role_interruptions{};
  double silence = 0.0;
  std::uint64_t silence_count = 0;
  std::vector<SilenceGap> gaps;
};

void visit(Sweep& sweep, const std::vector<Turn>& turns, std::uint32_t index, double gap_threshold,
           double min_overlap) {
  const Turn& turn = turns[index];
  const double start = *turn.start_s;
  const bool has_end = usable(turn.end_s);
  // An end before the start is bad engine output: a zero-length turn.
  const double end = has_end ? std::max(*turn.end_s, start) : start;
  const std::size_t slot = role_slot(turn.role);
  ++sweep.visited;
  if (has_end) {
    sweep.latest_end = std::max(sweep.latest_end, end);
  } else {
    sweep.endless = true;
    sweep.latest_endless_start = std::max(sweep.latest_endless_start, start);
  }
  if (!sweep.started) {
    sweep.started = true;
    sweep.first_start = start;
    sweep.covered_until = end;
    sweep.floor_turn = index;
    sweep.talk = end - start;
  } else {
    const double gap = start - sweep.covered_until;
    if (gap > gap_threshold) {
      sweep.silence += gap;
      ++sweep.silence_count;
      sweep.gaps.push_back(SilenceGap{sweep.covered_until, start, gap, turns[sweep.floor_turn].role,
                                      turn.role, sweep.floor_turn, index});
    } else {
      // Talking over the turn that holds the floor, for long enough.
      const double overlap = std::min(end, sweep.covered_until) - start;
      if (overlap > 0.0 && overlap >= min_overlap &&
          different_speakers(turns[sweep.floor_turn], turn)) {
        ++sweep.interruptions;
        ++sweep.role_interruptions[slot];
      }
    }
    // Only the part after what is already covered adds talk time.
    sweep.talk += std::max(0.0, end - std::max(start, sweep.covered_until));
    if (end > sweep.covered_until) {
      sweep.covered_until = end;
      sweep.floor_turn = index;
    }
  }
  if (has_end) {
    double& covered = sweep.role_covered[slot];
    if (!sweep.role_started[slot]) {
      sweep.role_started[slot] = true;
      covered = start;
    }
    sweep.role_talk[slot] += std::max(0.0, end - std::max(start, covered));
    covered = std::max(covered, end);
  }
}

double round_to(double value, double scale) {
  return std::round(value * scale) / scale;
}

bool is_ascii(std::string_view text) {
  std::uint64_t high = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, text.data() + i, 8);
    high |= chunk;
  }
  for (; i < text.size(); ++i) {
    high |= static_cast<unsigned char>(text[i]);
  }
  return (high & 0x8080808080808080ull) == 0;
}

// Any text: byte by byte, recognizing the full-width and Arabic marks.
std::uint64_t count_questions_unicode(std::string_view text) {
  std::uint64_t count = 0;
  bool content = false; // a word since the last sentence end
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = static_cast<unsigned char>(text[pos]);
    bool question = false;
    bool sentence_end = false;
    std::size_t length = 1;
    if (c == '?') {
      question = true;
    } else if (c == '.' || c == '!') {
      sentence_end = true;
    } else if (c < 0x80) {
      content = content || is_ascii_alnum(c);
    } else {
      const std::string_view rest = text.substr(pos);
      for (const std::string_view mark : {k_fullwidth_question, k_arabic_question}) {
        if (rest.starts_with(mark)) {
          question = true;
          length = mark.size();
        }
      }
      for (const std::string_view mark : {k_fullwidth_exclamation, k_ideographic_stop}) {
        if (rest.starts_with(mark)) {
          sentence_end = true;
          length = mark.size();
        }
      }
      content = content || !(question || sentence_end); // any other non-ASCII character
    }
    if (question && content) {
      ++count;
    }
    if (question || sentence_end) {
      content = false;
    }
    pos += length;
  }
  return count;
}

} // namespace

std::uint64_t count_questions(std::string_view text, bool punctuated) {
  if (!punctuated) {
    return starts_with_opener(text) ? 1 : 0;
  }
  if (!is_ascii(text)) {
    return count_questions_unicode(text);
  }
  // ASCII (nearly every English transcript): find each '?' with memchr and
  // look back only over its own sentence, instead of classifying every byte.
  std::uint64_t count = 0;
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* mark = begin; (mark = static_cast<const char*>(std::memchr(
                                      mark, '?', static_cast<std::size_t>(end - mark)))) != nullptr;
       ++mark) {
    for (const char* p = mark; p != begin;) {
      const auto c = static_cast<unsigned char>(*--p);
      if (c == '?' || c == '.' || c == '!') {
        break;
      }
      if (is_ascii_alnum(c)) {
        ++count;
        break;
      }
    }
  }
  return count;
}

CallMetrics compute_call_metrics(const Call& call, const MetricsOptions& options) {
  return compute_call_metrics(call, options, {});
}

CallMetrics compute_call_metrics(const Call& call, const MetricsOptions& options,
                                 std::span<const std::uint32_t> turn_words) {
  CallMetrics metrics;
  const std::vector<Turn>& turns = call.turns;
  const bool counted = turn_words.size() == turns.size();
  bool punctuated = false;
  for (const Turn& turn : turns) {
    if (has_sentence_marks(turn.text)) {
      punctuated = true;
      break;
    }
  }

  // Pass 1, in transcript order: counts, questions, the longest customer turn.
  std::array<std::uint64_t, k_roles> role_turns{};
  std::array<std::uint64_t, k_roles> role_timed{};
  std::array<std::uint64_t, k_roles> role_words{};
  std::array<std::uint64_t, k_roles> role_timed_words{};
  std::array<std::uint64_t, k_roles> role_questions{};
  std::vector<Token> tokens;
  bool sorted = true;
  bool any_start = false;
  double previous_start = 0.0;
  for (std::size_t i = 0; i < turns.size(); ++i) {
    const Turn& turn = turns[i];
    const std::size_t slot = role_slot(turn.role);
    std::uint64_t words = 0;
    if (counted) {
      words = turn_words[i];
    } else {
      tokenize(turn.text, tokens);
      words = tokens.size();
    }
    ++role_turns[slot];
    role_words[slot] += words;
    role_questions[slot] += count_questions(turn.text, punctuated);
    if (turn.role == Role::customer &&
        (!metrics.longest_customer_turn_words || words > *metrics.longest_customer_turn_words)) {
      metrics.longest_customer_turn_words = words;
      metrics.longest_customer_turn_words_turn = static_cast<std::uint32_t>(i);
    }
    if (usable(turn.start_s)) {
      sorted = sorted && (!any_start || *turn.start_s >= previous_start);
      any_start = true;
      previous_start = *turn.start_s;
      if (usable(turn.end_s)) {
        ++role_timed[slot];
        role_timed_words[slot] += words;
        const double length = std::max(0.0, *turn.end_s - *turn.start_s);
        if (turn.role == Role::customer && (!metrics.longest_customer_monologue_s ||
                                            length > *metrics.longest_customer_monologue_s)) {
          metrics.longest_customer_monologue_s = length;
          metrics.longest_customer_monologue_turn = static_cast<std::uint32_t>(i);
        }
      }
    }
  }
  const std::size_t agent = role_slot(Role::agent);
  const std::size_t customer = role_slot(Role::customer);
  const std::size_t unknown = role_slot(Role::unknown);
  metrics.turns = turns.size();
  metrics.agent_turns = role_turns[agent];
  metrics.customer_turns = role_turns[customer];
  metrics.unknown_turns = role_turns[unknown];
  metrics.timed_turns = role_timed[agent] + role_timed[customer] + role_timed[unknown];
  metrics.words = role_words[agent] + role_words[customer] + role_words[unknown];
  metrics.questions = role_questions[agent] + role_questions[customer] + role_questions[unknown];
  const bool has_roles = metrics.agent_turns + metrics.customer_turns > 0;
  const bool has_times = metrics.timed_turns > 0;
  if (has_roles) {
    metrics.agent_words = role_words[agent];
    metrics.customer_words = role_words[customer];
    metrics.agent_questions = role_questions[agent];
    metrics.customer_questions = role_questions[customer];
    if (!metrics.longest_customer_turn_words) {
      metrics.longest_customer_turn_words = 0; // the customer never spoke
    }
  }
  if (!any_start) {
    return metrics;
  }

  // Pass 2, in start order: everything that needs times.
  Sweep sweep;
  const double gap_threshold = non_negative(options.gap_threshold_s);
  const double min_overlap = non_negative(options.interruption_min_overlap_s);
  if (sorted) {
    for (std::size_t i = 0; i < turns.size(); ++i) {
      if (usable(turns[i].start_s)) {
        visit(sweep, turns, static_cast<std::uint32_t>(i), gap_threshold, min_overlap);
      }
    }
  } else {
    std::vector<std::uint32_t> order;
    for (std::size_t i = 0; i < turns.size(); ++i) {
      if (usable(turns[i].start_s)) {
        order.push_back(static_cast<std::uint32_t>(i));
      }
    }
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return *turns[a].start_s < *turns[b].start_s;
    });
    for (const std::uint32_t i : order) {
      visit(sweep, turns, i, gap_threshold, min_overlap);
    }
  }

  if (sweep.visited >= 2 || has_times) {
    metrics.duration_s = sweep.covered_until - sweep.first_start;
    // An end-less turn at or after the last known end: the call went on for
    // an unknown time after it.
    metrics.duration_lower_bound = sweep.endless && sweep.latest_endless_start >= sweep.latest_end;
  }
  if (!has_times) {
    return metrics; // starts alone say nothing about talk, silence or overlap
  }
  metrics.talk_s = sweep.talk;
  metrics.silence_s = sweep.silence;
  metrics.silence_count = sweep.silence_count;
  if (*metrics.duration_s > 0.0) {
    metrics.silence_ratio = sweep.silence / *metrics.duration_s;
  }
  keep_longest(sweep.gaps, options.max_silence_instances);
  metrics.silences = std::move(sweep.gaps);
  metrics.interruptions = sweep.interruptions;
  // A side with turns but none timed has an unknown talk time, not zero.
  const auto talk_of = [&](std::size_t slot) -> std::optional<double> {
    if (role_turns[slot] > 0 && role_timed[slot] == 0) {
      return std::nullopt;
    }
    return sweep.role_talk[slot];
  };
  metrics.unknown_talk_s = talk_of(unknown);
  if (!has_roles) {
    return metrics;
  }
  metrics.agent_talk_s = talk_of(agent);
  metrics.customer_talk_s = talk_of(customer);
  if (metrics.agent_talk_s) {
    metrics.interruptions_by_agent = sweep.role_interruptions[agent];
  }
  if (metrics.customer_talk_s) {
    metrics.interruptions_by_customer = sweep.role_interruptions[customer];
  }
  if (metrics.agent_talk_s && metrics.customer_talk_s &&
      *metrics.agent_talk_s + *metrics.customer_talk_s > 0.0) {
    metrics.talk_ratio = *metrics.agent_talk_s / (*metrics.agent_talk_s + *metrics.customer_talk_s);
  }
  const auto wpm_of = [&](std::size_t slot, const std::optional<double>& talk) {
    return talk && *talk > 0.0
               ? std::optional<double>(static_cast<double>(role_timed_words[slot]) * 60.0 / *talk)
               : std::nullopt;
  };
  metrics.agent_wpm = wpm_of(agent, metrics.agent_talk_s);
  metrics.customer_wpm = wpm_of(customer, metrics.customer_talk_s);
  return metrics;
}

std::string_view to_string(Metric metric) {
  const auto index = static_cast<std::size_t>(metric);
  return index < k_metrics.size() ? k_metrics[index].name : std::string_view();
}

std::optional<Metric> metric_from_name(std::string_view name) {
  for (std::size_t i = 0; i < k_metrics.size(); ++i) {
    if (k_metrics[i].name == name) {
      return static_cast<Metric>(i);
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> metric_names() {
  std::vector<std::string_view> names;
  names.reserve(k_metrics.size());
  for (const MetricInfo& info : k_metrics) {
    names.push_back(info.name);
  }
  return names;
}

std::optional<double> metric_value(const CallMetrics& m, Metric metric) {
  const auto count = [](std::uint64_t value) {
    return std::optional<double>(static_cast<double>(value));
  };
  const auto optional_count = [](const std::optional<std::uint64_t>& value) {
    return value ? std::optional<double>(static_cast<double>(*value)) : std::nullopt;
  };
  switch (metric) {
  case Metric::duration_s:
    return m.duration_s;
  case Metric::talk_s:
    return m.talk_s;
  case Metric::agent_talk_s:
    return m.agent_talk_s;
  case Metric::customer_talk_s:
    return m.customer_talk_s;
  case Metric::unknown_talk_s:
    return m.unknown_talk_s;
  case Metric::talk_ratio:
    return m.talk_ratio;
  case Metric::silence_s:
    return m.silence_s;
  case Metric::silence_count:
    return optional_count(m.silence_count);
  case Metric::silence_ratio:
    return m.silence_ratio;
  case Metric::interruptions:
    return optional_count(m.interruptions);
  case Metric::interruptions_by_agent:
    return optional_count(m.interruptions_by_agent);
  case Metric::interruptions_by_customer:
    return optional_count(m.interruptions_by_customer);
  case Metric::agent_wpm:
    return m.agent_wpm;
  case Metric::customer_wpm:
    return m.customer_wpm;
  case Metric::longest_customer_monologue_s:
    return m.longest_customer_monologue_s;
  case Metric::longest_customer_turn_words:
    return optional_count(m.longest_customer_turn_words);
  case Metric::questions:
    return count(m.questions);
  case Metric::agent_questions:
    return optional_count(m.agent_questions);
  case Metric::customer_questions:
    return optional_count(m.customer_questions);
  case Metric::words:
    return count(m.words);
  case Metric::agent_words:
    return optional_count(m.agent_words);
  case Metric::customer_words:
    return optional_count(m.customer_words);
  case Metric::turns:
    return count(m.turns);
  case Metric::agent_turns:
    return count(m.agent_turns);
  case Metric::customer_turns:
    return count(m.customer_turns);
  case Metric::unknown_turns:
    return count(m.unknown_turns);
  case Metric::timed_turns:
    return count(m.timed_turns);
  }
  return std::nullopt;
}

std::optional<double> metric_value(const CallMetrics& metrics, std::string_view name) {
  const std::optional<Metric> metric = metric_from_name(name);
  return metric ? metric_value(metrics, *metric) : std::nullopt;
}

nlohmann::ordered_json metrics_json(const CallMetrics& metrics) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < k_metrics.size(); ++i) {
    const auto metric = static_cast<Metric>(i);
    const std::optional<double> value = metric_value(metrics, metric);
    if (!value) {
      continue;
    }
    const MetricInfo& info = k_metrics[i];
    switch (info.kind) {
    case MetricKind::seconds:
      out[info.name] = round_to(*value, 1000.0);
      break;
    case MetricKind::ratio:
      out[info.name] = round_to(*value, 10000.0);
      break;
    case MetricKind::rate:
      out[info.name] = round_to(*value, 10.0);
      break;
    case MetricKind::count:
      out[info.name] = static_cast<std::uint64_t>(*value);
      break;
    }
    if (metric == Metric::duration_s && metrics.duration_lower_bound) {
      out["duration_lower_bound"] = true;
    } else if (metric == Metric::longest_customer_monologue_s &&
               metrics.longest_customer_monologue_turn) {
      out["longest_customer_monologue_turn"] = *metrics.longest_customer_monologue_turn;
    } else if (metric == Metric::longest_customer_turn_words &&
               metrics.longest_customer_turn_words_turn) {
      out["longest_customer_turn_words_turn"] = *metrics.longest_customer_turn_words_turn;
    }
  }
  if (!metrics.silences.empty()) {
    nlohmann::ordered_json silences = nlohmann::ordered_json::array();
    for (const SilenceGap& gap : metrics.silences) {
      nlohmann::ordered_json item;
      item["start_s"] = round_to(gap.start_s, 1000.0);
      item["end_s"] = round_to(gap.end_s, 1000.0);
      item["duration_s"] = round_to(gap.duration_s, 1000.0);
      item["before"] = std::string(to_string(gap.before_role));
      item["after"] = std::string(to_string(gap.after_role));
      item["before_turn"] = gap.before_turn;
      item["after_turn"] = gap.after_turn;
      silences.push_back(std::move(item));
    }
    out["silences"] = std::move(silences);
  }
  return out;
}

} // namespace callsight
