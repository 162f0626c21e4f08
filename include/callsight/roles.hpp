// Speaker roles: decides which generic speaker (spk_0, A/B, Speaker 1,
// channel 0/1) is the agent, from what each says, unless forced or labelled.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "callsight/call.hpp"

namespace callsight {

/// What the user knows about roles (`--agent-speaker`, `--agent-channel`).
struct RoleOptions {
  /// Labels forced to agent ("spk_0", "Speaker 1", "A"). Matching ignores
  /// case and treats ' ', '_' and '-' alike, so "speaker_1" names "Speaker 1".
  /// A turn with no label but a channel is named "channel N".
  std::vector<std::string> agent_speakers;
  /// Audio channel forced to agent, for multichannel engine output.
  std::optional<int> agent_channel;
};

/// How a call's roles were decided, for the per-call output.
struct RoleDecision {
  RoleSource source = RoleSource::none;
  double confidence = 0.0;   ///< 0 when none, 1 for labels or forced, else 0.5..0.99
  std::string agent_speaker; ///< label chosen as agent, "" if none
  /// Short human-readable reasons, e.g.
  /// `spk_0 greets with the company script ("thank you for calling")`.
  std::vector<std::string> evidence;
};

/// Sets `call.role_source`, `call.role_confidence` and every turn's role.
///  - Forced options win when they name a speaker or channel present in the
///    call: matching turns become agent, every other speaker customer.
///  - Otherwise explicit roles (role_source labels, or turns that already have
///    a role) are kept.
///  - Otherwise the distinct speakers (labels; the channel when a turn has no
///    label) are scored from what they say. When the evidence is too thin all
///    roles stay unknown (source none, confidence 0): topics restricted to one
///    side still count unknown turns, so no guess beats a wrong one.
/// Turns with neither a label nor a channel are never given a role.
/// Linear in the call's text; reads a bounded sample of each speaker's turns.
RoleDecision resolve_roles(Call& call, const RoleOptions& options = {});

} // namespace callsight
