// The data model every stage shares: a Call made of speaker Turns, plus the
// metadata a call log attaches to it.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callsight {

enum class Role : std::uint8_t { unknown, agent, customer };

std::string_view to_string(Role role);

/// One stretch of speech by one speaker.
struct Turn {
  std::string speaker; ///< label as written in the transcript ("Agent", "Maria", "Speaker 1")
  Role role = Role::unknown;
  std::optional<double> start_s; ///< seconds from call start, when the transcript says
  std::optional<double> end_s;
  std::optional<double> confidence; ///< mean ASR confidence of the turn's words, 0..1
  std::optional<int> channel;       ///< audio channel, for multichannel engine output
  std::string text;                 ///< UTF-8
};

/// How the agent/customer roles of a call's turns were decided.
enum class RoleSource : std::uint8_t {
  none,     ///< no roles known
  labels,   ///< explicit labels (Agent:, ParticipantRole AGENT, ...)
  inferred, ///< generic speakers resolved from what they say
  forced,   ///< --agent-speaker / --agent-channel
};

std::string_view to_string(RoleSource source);

/// A parsed transcript. `fields` holds metadata found in the transcript itself
/// (a header block such as `Call ID:` or `Date:`), keyed by lower-case name.
struct Call {
  std::string call_id; ///< from the transcript header, else the file stem
  std::string path;    ///< as given on the command line or found by discovery
  std::string format;  ///< parser that produced it ("text", ...)
  std::vector<Turn> turns;
  std::map<std::string, std::string> fields;
  RoleSource role_source = RoleSource::none;
  double role_confidence = 0.0; ///< 0..1; 1 for explicit labels
};

} // namespace callsight
