// Fuzz target: call metrics over arbitrary turns (bad times, overlaps, any
// order, any text) are finite, never negative, consistent with each other,
// and the JSON never holds a null.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "callsight/call_metrics.hpp"
#include "callsight/text.hpp"

namespace {

// Reads the input as a little program of turns.
class Reader {
public:
  Reader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
  bool done() const { return m_pos >= m_size; }
  std::uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
  std::string text(std::size_t length) {
    const std::size_t n = std::min(length, m_size - std::min(m_pos, m_size));
    std::string out(reinterpret_cast<const char*>(m_data + m_pos), n);
    m_pos += n;
    return out;
  }

private:
  const std::uint8_t* m_data;
  std::size_t m_size;
  std::size_t m_pos = 0;
};

std::optional<double> read_time(Reader& in, std::uint8_t selector) {
  switch (selector & 7u) {
  case 0:
    return std::nullopt;
  case 1:
    return std::numeric_limits<double>::quiet_NaN();
  case 2:
    return (selector & 8u) ? std::numeric_limits<double>::infinity()
                           : -std::numeric_limits<double>::infinity();
  case 3:
    return (selector & 8u) ? 1e300 : -1e6;
  default: {
    const double value = static_cast<double>(in.byte() | (in.byte() << 8)) / 8.0;
    return (selector & 8u) ? -value : value;
  }
  }
}

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_value(const std::optional<double>& value) {
  if (value) {
    check(std::isfinite(*value) && *value >= 0.0);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  callsight::MetricsOptions options;
  options.gap_threshold_s = static_cast<double>(in.byte()) / 16.0;
  options.interruption_min_overlap_s = static_cast<double>(in.byte()) / 64.0;
  options.max_silence_instances = in.byte() % 8;
  callsight::Call call;
  while (!in.done() && call.turns.size() < 512) {
    const std::uint8_t flags = in.byte();
    callsight::Turn turn;
    turn.role = static_cast<callsight::Role>(flags % 3);
    turn.speaker = (flags & 0x80u) ? "B" : "A";
    turn.start_s = read_time(in, in.byte());
    turn.end_s = read_time(in, in.byte());
    turn.text = in.text(in.byte() % 48);
    call.turns.push_back(std::move(turn));
  }

  const callsight::CallMetrics m = callsight::compute_call_metrics(call, options);
  for (const auto name : callsight::metric_names()) {
    check_value(callsight::metric_value(m, name));
  }
  check(m.turns == call.turns.size());
  check(m.agent_turns + m.customer_turns + m.unknown_turns == m.turns);
  check(m.timed_turns <= m.turns);
  check(m.silences.size() <= options.max_silence_instances);
  if (m.talk_ratio) {
    check(*m.talk_ratio <= 1.0);
  }
  if (m.silence_count) {
    check(m.silences.size() <= *m.silence_count);
  }
  if (m.duration_s && m.talk_s && m.silence_s) {
    const double slack = 1e-9 * (1.0 + *m.duration_s) * (1.0 + static_cast<double>(m.turns));
    check(*m.talk_s + *m.silence_s <= *m.duration_s + slack);
  }
  for (const callsight::SilenceGap& gap : m.silences) {
    check(gap.duration_s > options.gap_threshold_s && gap.end_s > gap.start_s);
    check(gap.before_turn < call.turns.size() && gap.after_turn < call.turns.size());
  }
  if (m.interruptions && m.interruptions_by_agent && m.interruptions_by_customer) {
    check(*m.interruptions_by_agent + *m.interruptions_by_customer <= *m.interruptions);
  }

  // Precomputed word counts give the same result as tokenizing.
  std::vector<std::uint32_t> counts;
  std::vector<callsight::Token> tokens;
  for (const callsight::Turn& turn : call.turns) {
    callsight::tokenize(turn.text, tokens);
    counts.push_back(static_cast<std::uint32_t>(tokens.size()));
  }
  const callsight::CallMetrics again = callsight::compute_call_metrics(call, options, counts);
  const nlohmann::ordered_json json = callsight::metrics_json(m);
  check(callsight::metrics_json(again) == json);
  for (const auto& item : json.items()) {
    check(!item.value().is_null());
  }
  return 0;
}
