// Helpers the speech-engine JSON parsers (AWS, Google, Azure, Rev.ai) share
// to build a Call: alternative member spellings, mean confidences, explicit
// role words, and the finished result. Internal to src/formats.
#pragma once
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callsight/call.hpp"
#include "callsight/formats.hpp"

#include "formats/json_access.hpp"

namespace callsight::formats {

/// A new call of `format` read from `path`; `id` is the document's own id or
/// job name, empty when it has none (then the file stem is used).
inline Call new_call(std::string_view path, std::string_view format, std::string_view id) {
  Call call;
  call.path = std::string(path);
  call.format = std::string(format);
  call.call_id = id.empty() ? call_id_from_path(path) : std::string(id);
  return call;
}

/// The first of `keys` that `object` has, else the first of `keys` (so that a
/// missing member is reported under its usual name). Engines spell one member
/// several ways: protobuf JSON "startTime" or "start_time", Azure
/// "offsetMilliseconds" or the older "offset".
inline std::string_view first_key(const nlohmann::json& object,
                                  std::initializer_list<std::string_view> keys) {
  for (const std::string_view key : keys) {
    if (has_member(object, key)) {
      return key;
    }
  }
  return *keys.begin();
}

/// `value` when it is finite: a sum of two huge offsets must not become inf.
inline std::optional<double> finite(double value) {
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

/// An engine confidence limited to 0..1 (engines and hand-edited files
/// overshoot); nullopt stays nullopt.
inline std::optional<double> clamped(std::optional<double> confidence) {
  return confidence ? std::optional<double>(clamp_unit(*confidence)) : std::nullopt;
}

/// The mean of the confidences added so far (each limited to 0..1).
class MeanConfidence {
public:
  void add(std::optional<double> confidence) {
    if (confidence) {
      m_sum += clamp_unit(*confidence);
      ++m_count;
    }
  }
  std::optional<double> value() const {
    return m_count == 0 ? std::nullopt : std::optional<double>(m_sum / m_count);
  }

private:
  double m_sum = 0;
  long m_count = 0;
};

/// The role an engine states explicitly: AWS "AGENT"/"CUSTOMER", Google CCAI
/// "HUMAN_AGENT"/"AUTOMATED_AGENT"/"END_USER". Anything else is unknown.
inline Role explicit_role(std::string_view word) {
  if (word == "AGENT" || word == "HUMAN_AGENT" || word == "AUTOMATED_AGENT" ||
      word == "ANY_AGENT") {
    return Role::agent;
  }
  if (word == "CUSTOMER" || word == "END_USER") {
    return Role::customer;
  }
  return Role::unknown;
}

/// The finished result (json_access.hpp's single_call: turns without text
/// dropped, none left is "empty transcript (no text)"), recording that roles
/// came from explicit labels when any turn carries one.
inline ParseResult finish_call(Call call) {
  ParseResult result = single_call(std::move(call));
  for (Call& finished : result.calls) {
    const bool labelled = std::any_of(finished.turns.begin(), finished.turns.end(),
                                      [](const Turn& turn) { return turn.role != Role::unknown; });
    if (labelled) {
      finished.role_source = RoleSource::labels;
      finished.role_confidence = 1.0;
    }
  }
  return result;
}

} // namespace callsight::formats
