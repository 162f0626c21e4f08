// Unit tests for src/formats/roles.cpp: explicit, forced and inferred speaker roles.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "callsight/formats.hpp"
#include "callsight/roles.hpp"

using namespace callsight;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Call parse_file(const std::string& path) {
  ParseResult result = parse_plain_text(path, read_text(path));
  EXPECT_EQ(result.error, "") << path;
  return result.calls.empty() ? Call{} : result.calls.front();
}

Call fixture(const std::string& name) {
  return parse_file(std::string(CALLSIGHT_SOURCE_DIR) + "/tests/fixtures/roles/" + name);
}

Call sample_call(const std::string& id) {
  return parse_file(std::string(CALLSIGHT_SOURCE_DIR) + "/data/calls/" + id + ".txt");
}

// Roles of the turns spoken by `speaker` (all must agree).
Role role_of(const Call& call, const std::string& speaker) {
  Role role = Role::unknown;
  bool seen = false;
  for (const Turn& turn : call.turns) {
    if (turn.speaker == speaker) {
      EXPECT_TRUE(!seen || turn.role == role) << speaker;
      role = turn.role;
      seen = true;
    }
  }
  EXPECT_TRUE(seen) << speaker;
  return role;
}

Role channel_role(const Call& call, int channel) {
  for (const Turn& turn : call.turns) {
    if (turn.channel == channel) {
      return turn.role;
    }
  }
  ADD_FAILURE() << "no turn on channel " << channel;
  return Role::unknown;
}

bool mentions(const RoleDecision& decision, std::string_view text) {
  for (const std::string& line : decision.evidence) {
    if (line.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string joined(const RoleDecision& decision) {
  std::string out;
  for (const std::string& line : decision.evidence) {
    out += "  " + line + "\n";
  }
  return out;
}

// Multichannel engine output: no speaker labels, one channel per side.
Call channel_call(std::initializer_list<std::pair<int, std::string_view>> turns) {
  Call call;
  double t = 0;
  for (const auto& [channel, text] : turns) {
    Turn& turn = call.turns.emplace_back();
    turn.channel = channel;
    turn.start_s = t;
    turn.text = std::string(text);
    t += 4;
  }
  return call;
}

} // namespace

TEST(Roles, ExplicitRolesAreKept) {
  ParseResult parsed = parse_plain_text("c.txt", "Agent: Hello?\nCustomer: Thank you for calling, "
                                                 "how can I help?\nAgent: I need a plumber.\n");
  Call call = parsed.calls.front();
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::labels);
  EXPECT_DOUBLE_EQ(decision.confidence, 1.0);
  EXPECT_EQ(decision.agent_speaker, "Agent");
  EXPECT_EQ(call.role_source, RoleSource::labels);
  EXPECT_EQ(role_of(call, "Agent"), Role::agent);
  EXPECT_EQ(role_of(call, "Customer"), Role::customer);
}

TEST(Roles, TurnRolesWithoutSourceCountAsExplicit) {
  Call call = channel_call({{0, "Thank you for calling, how can I help?"}, {1, "I need help."}});
  call.turns[0].role = Role::customer; // an engine said so; the text is not asked
  call.turns[1].role = Role::agent;
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::labels);
  EXPECT_EQ(decision.agent_speaker, "channel 1");
  EXPECT_EQ(call.turns[0].role, Role::customer);
}

TEST(Roles, ForcedSpeakerIgnoresCaseAndSeparators) {
  Call call = fixture("speaker_outbound.txt");
  RoleOptions options;
  options.agent_speakers = {"spk_9", "speaker_1"};
  const RoleDecision decision = resolve_roles(call, options);
  EXPECT_EQ(decision.source, RoleSource::forced);
  EXPECT_DOUBLE_EQ(decision.confidence, 1.0);
  EXPECT_EQ(decision.agent_speaker, "Speaker 1");
  EXPECT_EQ(call.role_source, RoleSource::forced);
  EXPECT_DOUBLE_EQ(call.role_confidence, 1.0);
  EXPECT_EQ(role_of(call, "Speaker 1"), Role::agent);
  EXPECT_EQ(role_of(call, "Speaker 2"), Role::customer);
  EXPECT_TRUE(mentions(decision, "--agent-speaker")) << joined(decision);
}

TEST(Roles, ForcedSpeakerOverridesLabels) {
  ParseResult parsed =
      parse_plain_text("c.txt", "Agent: Thanks for calling.\nCustomer: Hi.\nAgent: Bye.\n");
  Call call = parsed.calls.front();
  RoleOptions options;
  options.agent_speakers = {"CUSTOMER"};
  const RoleDecision decision = resolve_roles(call, options);
  EXPECT_EQ(decision.source, RoleSource::forced);
  EXPECT_EQ(role_of(call, "Customer"), Role::agent);
  EXPECT_EQ(role_of(call, "Agent"), Role::customer);
  EXPECT_TRUE(mentions(decision, "overrides the transcript's own roles")) << joined(decision);
}

TEST(Roles, ForcedSpeakerNotInCallFallsBackToInference) {
  Call call = fixture("spk_inbound.txt");
  RoleOptions options;
  options.agent_speakers = {"Speaker 1"};
  const RoleDecision decision = resolve_roles(call, options);
  EXPECT_EQ(decision.source, RoleSource::inferred);
  EXPECT_EQ(decision.agent_speaker, "spk_0");
  EXPECT_TRUE(mentions(decision, "does not occur")) << joined(decision);
}

TEST(Roles, ForcedChannel) {
  Call call = channel_call({{0, "Thank you for calling, how can I help?"},
                            {1, "I need a quote."},
                            {0, "Let me check."}});
  call.turns.push_back(Turn{}); // a turn with neither label nor channel
  call.turns.back().text = "[inaudible]";
  RoleOptions options;
  options.agent_channel = 1;
  const RoleDecision decision = resolve_roles(call, options);
  EXPECT_EQ(decision.source, RoleSource::forced);
  EXPECT_EQ(decision.agent_speaker, "channel 1");
  EXPECT_EQ(call.turns[0].role, Role::customer);
  EXPECT_EQ(call.turns[1].role, Role::agent);
  EXPECT_EQ(call.turns[2].role, Role::customer);
  EXPECT_EQ(call.turns[3].role, Role::unknown);
  EXPECT_TRUE(mentions(decision, "--agent-channel")) << joined(decision);
}

TEST(Roles, ForcedSpeakerNamesAChannel) {
  Call call = channel_call({{0, "Hello?"}, {1, "Hi, it's Ben."}});
  RoleOptions options;
  options.agent_speakers = {" Channel_0 "};
  const RoleDecision decision = resolve_roles(call, options);
  EXPECT_EQ(decision.source, RoleSource::forced);
  EXPECT_EQ(decision.agent_speaker, "channel 0");
  EXPECT_EQ(channel_role(call, 0), Role::agent);
  EXPECT_EQ(channel_role(call, 1), Role::customer);
}

TEST(Roles, InfersSpkLabelsWithExactConfidence) {
  Call call = fixture("spk_inbound.txt");
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred);
  EXPECT_EQ(decision.agent_speaker, "spk_0");
  EXPECT_EQ(role_of(call, "spk_0"), Role::agent);
  EXPECT_EQ(role_of(call, "spk_1"), Role::customer);
  EXPECT_EQ(call.role_source, RoleSource::inferred);
  // Settled on each speaker's first three turns (margin >= 4), the rest unread.
  // spk_0: greeting 7 capped at 6 ("thank you for calling" 3, "this is" 1,
  // "how can i help" 3), service 3 ("let me check", "can i get your",
  // "i have an opening"), 0.5 for one "your" question, 0.5 for speaking
  // first, 0.65 - 0.5 for its share of the text: +10.15.
  // spk_1: 3 needs ("i'm calling because", "i need", "how much") and the
  // opposite share: -3.15. Margin 13.30: 0.5 + 0.49 * (1 - exp(-13.30 / 4)).
  EXPECT_TRUE(mentions(decision, "scores spk_0 +10.15, spk_1 -3.15")) << joined(decision);
  EXPECT_DOUBLE_EQ(decision.confidence, 0.972) << joined(decision);
  EXPECT_DOUBLE_EQ(call.role_confidence, decision.confidence);
  EXPECT_TRUE(mentions(decision, "spk_0 greets with the company script (\"thank you for calling\""))
      << joined(decision);
}

TEST(Roles, InfersAgentWhoSpeaksSecond) {
  Call call = fixture("ab_agent_second.txt");
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred) << joined(decision);
  EXPECT_EQ(decision.agent_speaker, "B");
  EXPECT_EQ(role_of(call, "A"), Role::customer);
  EXPECT_EQ(role_of(call, "B"), Role::agent);
  EXPECT_GE(decision.confidence, 0.5);
  EXPECT_LE(decision.confidence, 0.99);
}

TEST(Roles, InfersOutboundCallWhereCustomerAnswersHello) {
  Call call = fixture("speaker_outbound.txt");
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred) << joined(decision);
  EXPECT_EQ(decision.agent_speaker, "Speaker 2");
  EXPECT_EQ(role_of(call, "Speaker 1"), Role::customer);
  EXPECT_EQ(role_of(call, "Speaker 2"), Role::agent);
  EXPECT_TRUE(mentions(decision, "Speaker 1 answers the phone with \"Hello?\""))
      << joined(decision);
}

TEST(Roles, InfersChannelsAgentFirst) {
  Call call = channel_call({{0, "Thanks for calling Metro Movers, this is Ana speaking."},
                            {1, "Hi, I'm calling about a quote for a move on the fifth."},
                            {0, "Sure, I can help. Can I get your current address?"},
                            {1, "12 Elm Street. How much would a two bedroom be?"},
                            {0, "Around nine hundred. You're all set for an estimate."}});
  call.turns.push_back(Turn{}); // neither label nor channel: never given a role
  call.turns.back().text = "[music]";
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred) << joined(decision);
  EXPECT_EQ(decision.agent_speaker, "channel 0");
  EXPECT_EQ(channel_role(call, 0), Role::agent);
  EXPECT_EQ(channel_role(call, 1), Role::customer);
  EXPECT_EQ(call.turns.back().role, Role::unknown);
}

TEST(Roles, InfersChannelsOutbound) {
  Call call = channel_call({{0, "Hello?"},
                            {1, "Hi, this is Ben calling from Metro Movers about your estimate."},
                            {0, "Oh, yes. I want to move on the fifth."},
                            {1, "Great, I can book the crew. Is there anything else?"},
                            {0, "No, thanks."}});
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred) << joined(decision);
  EXPECT_EQ(decision.agent_speaker, "channel 1");
  EXPECT_EQ(channel_role(call, 0), Role::customer);
  EXPECT_EQ(channel_role(call, 1), Role::agent);
}

// The customer's "thank you for calling me back" is not the company script.
TEST(Roles, CustomerThankingForACallbackIsNotTheAgent) {
  Call call = channel_call({{0, "Hi, is this Maya? It's Luis from Crestview Roofing."},
                            {1, "Oh, thank you for calling me back so fast!"},
                            {0, "Of course. Is it the leak over the garage?"},
                            {1, "Yes, my roof started dripping again last night."},
                            {0, "I can get you on the schedule for Thursday morning."}});
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred) << joined(decision);
  EXPECT_EQ(decision.agent_speaker, "channel 0") << joined(decision);
  EXPECT_FALSE(mentions(decision, "channel 1 greets")) << joined(decision);
}

TEST(Roles, NoEvidenceStaysUnknown) {
  Call call = fixture("no_evidence.txt");
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::none);
  EXPECT_DOUBLE_EQ(decision.confidence, 0.0);
  EXPECT_EQ(decision.agent_speaker, "");
  EXPECT_EQ(call.role_source, RoleSource::none);
  EXPECT_DOUBLE_EQ(call.role_confidence, 0.0);
  for (const Turn& turn : call.turns) {
    EXPECT_EQ(turn.role, Role::unknown);
  }
  EXPECT_TRUE(mentions(decision, "too little evidence")) << joined(decision);
}

TEST(Roles, OneSpeakerOrNoLabelsStaysUnknown) {
  Call unlabelled = sample_call("call-0015"); // paragraphs, no labels
  EXPECT_EQ(resolve_roles(unlabelled).source, RoleSource::none);
  Call call = channel_call({{0, "Thank you for calling, how can I help?"}, {0, "Hello?"}});
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::none);
  EXPECT_TRUE(mentions(decision, "only one speaker")) << joined(decision);
}

TEST(Roles, ThreeSpeakersLeavesTheBystanderUnknown) {
  Call call = fixture("three_speakers.txt");
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred) << joined(decision);
  EXPECT_EQ(decision.agent_speaker, "spk_0");
  EXPECT_EQ(role_of(call, "spk_0"), Role::agent);
  EXPECT_EQ(role_of(call, "spk_1"), Role::customer);
  EXPECT_EQ(role_of(call, "spk_2"), Role::unknown);
  EXPECT_TRUE(mentions(decision, "spk_2 left unknown")) << joined(decision);
}

// Only a bounded sample of each speaker is read, so a very long call costs
// about as much as a short one.
TEST(Roles, HugeCallIsResolved) {
  Call call;
  for (int i = 0; i < 100000; ++i) {
    Turn& turn = call.turns.emplace_back();
    turn.speaker = i % 2 == 0 ? "SPEAKER_01" : "SPEAKER_00";
    turn.text = i % 2 == 0 ? "Thanks for calling, how can I help? Let me check that for you."
                           : "Hi, I'm calling about my bill, I need to change the card.";
  }
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.source, RoleSource::inferred);
  EXPECT_EQ(decision.agent_speaker, "SPEAKER_01");
  EXPECT_EQ(call.turns[99999].role, Role::customer);
}

TEST(Roles, ResolvingTwiceGivesTheSameAnswer) {
  Call call = fixture("ab_agent_second.txt");
  const RoleDecision first = resolve_roles(call);
  const RoleDecision second = resolve_roles(call);
  EXPECT_EQ(second.source, RoleSource::inferred);
  EXPECT_EQ(second.agent_speaker, first.agent_speaker);
  EXPECT_DOUBLE_EQ(second.confidence, first.confidence);
  EXPECT_EQ(second.evidence, first.evidence);
}

// data/README.md: the first-named speaker is the agent, except in call-0013
// (an outbound callback) where Speaker 2 is.
TEST(Roles, SampleCallsWithNamesOrSpeakerLabels) {
  const std::vector<std::pair<std::string, std::string>> truth = {
      {"call-0005", "Speaker 1"}, {"call-0008", "Maria"},     {"call-0013", "Speaker 2"},
      {"call-0020", "Keisha"},    {"call-0024", "Speaker 1"}, {"call-0030", "Dev"},
      {"call-0031", "Speaker 1"}, {"call-0035", "Renee"},     {"call-0042", "Speaker 1"},
      {"call-0045", "Jordan"}};
  int right = 0;
  for (const auto& [id, agent] : truth) {
    Call call = sample_call(id);
    const RoleDecision decision = resolve_roles(call);
    std::printf("  %s agent=%-10s confidence=%.3f\n", id.c_str(), decision.agent_speaker.c_str(),
                decision.confidence);
    EXPECT_EQ(decision.source, RoleSource::inferred) << id << "\n" << joined(decision);
    EXPECT_EQ(decision.agent_speaker, agent) << id << "\n" << joined(decision);
    EXPECT_GE(decision.confidence, 0.5);
    EXPECT_LE(decision.confidence, 0.99);
    for (const Turn& turn : call.turns) {
      EXPECT_EQ(turn.role, turn.speaker == agent ? Role::agent : Role::customer) << id;
    }
    right += static_cast<int>(decision.agent_speaker == agent);
  }
  std::printf("  %d of %zu right\n", right, truth.size());
}

// Every labelled sample call with its labels replaced by generic ones must
// come out as labelled. The agent is spk_1, so "spk_0 is the agent" cannot
// pass; the agent still speaks first in these calls, a weak cue (0.5).
TEST(Roles, SampleCallsRelabelledAsGenericSpeakers) {
  int right = 0;
  int labelled = 0;
  double lowest = 1.0;
  for (int n = 1; n <= 48; ++n) {
    char id[32];
    std::snprintf(id, sizeof id, "call-%04d", n);
    const Call original = sample_call(id);
    if (original.role_source != RoleSource::labels) {
      continue;
    }
    ++labelled;
    Call call = original;
    call.role_source = RoleSource::none;
    for (Turn& turn : call.turns) {
      // Header lines the parser kept as unlabelled text stay unlabelled.
      if (turn.role != Role::unknown) {
        turn.speaker = turn.role == Role::agent ? "spk_1" : "spk_0";
      }
      turn.role = Role::unknown;
    }
    const RoleDecision decision = resolve_roles(call);
    const bool ok = decision.agent_speaker == "spk_1";
    EXPECT_TRUE(ok) << id << "\n" << joined(decision);
    for (std::size_t i = 0; ok && i < call.turns.size(); ++i) {
      EXPECT_EQ(call.turns[i].role, original.turns[i].role) << id << " turn " << i;
    }
    right += static_cast<int>(ok);
    lowest = std::min(lowest, decision.confidence);
  }
  std::printf("  relabelled: %d of %d right, lowest confidence %.3f\n", right, labelled, lowest);
  EXPECT_EQ(labelled, 36);
}

// Curly quotes and dashes separate words; the curly apostrophe joins them.
TEST(Roles, PhrasesMatchAcrossTypography) {
  Call call = channel_call({{0, "“Thank you for calling” — how can I help?"},
                            {1, "I’m calling about my bill—I need a copy."}});
  const RoleDecision decision = resolve_roles(call);
  EXPECT_EQ(decision.agent_speaker, "channel 0") << joined(decision);
  EXPECT_TRUE(mentions(decision, "(\"thank you for calling\", \"how can i help\")"))
      << joined(decision);
  EXPECT_TRUE(mentions(decision, "(\"i'm calling about\", \"my bill\", \"i need\")"))
      << joined(decision);
}
