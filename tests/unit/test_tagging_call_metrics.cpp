// Unit tests for src/tagging/call_metrics.cpp: talk time, silences,
// interruptions, speaking rate, questions, and absent values staying absent.
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "callsight/call_metrics.hpp"

using namespace callsight;

namespace {

Turn turn(Role role, std::optional<double> start, std::optional<double> end, std::string text) {
  Turn t;
  t.speaker = role == Role::agent ? "Agent" : role == Role::customer ? "Caller" : "Speaker";
  t.role = role;
  t.start_s = start;
  t.end_s = end;
  t.text = std::move(text);
  return t;
}

// A hand-built call; the expected numbers in the tests below are worked out
// from these times and texts by hand.
//   #  role      start  end    words  questions  notes
//   0  agent      0.00   4.00  11     1
//   1  customer   4.50  12.50  15     1          longest customer turn in time (8 s)
//   2  agent     12.00  14.00   6     0          talks over turn 1 by 0.5 s: agent interrupts
//   3  customer  18.00  20.00   1     0          gap 14 -> 18 = 4 s > 3: silence
//   4  agent     19.75  26.00   9     1          overlaps turn 3 by 0.25 s < 0.3: not counted
//   5  customer  25.00  30.00  17     2          overlaps turn 4 by 1 s: customer interrupts;
//                                                longest customer turn in words
//   6  agent     35.00  40.00  10     0          gap 30 -> 35 = 5 s: silence
//   7  customer  43.00  44.00   2     0          gap 40 -> 43 = exactly 3 s: not silence
Call sample_call() {
  Call call;
  call.call_id = "sample";
  call.role_source = RoleSource::labels;
  call.turns = {
      turn(Role::agent, 0.0, 4.0, "Thank you for calling Acme. How can I help you today?"),
      turn(Role::customer, 4.5, 12.5,
           "Hi, I want to cancel my plan. It costs too much. Can you do that?"),
      turn(Role::agent, 12.0, 14.0, "Sure, I can help with that."),
      turn(Role::customer, 18.0, 20.0, "Okay."),
      turn(Role::agent, 19.75, 26.0, "Let me check your account. Are you still there?"),
      turn(Role::customer, 25.0, 30.0,
           "Yes. Why is it so expensive? And what about the discount I was promised back in "
           "March??"),
      turn(Role::agent, 35.0, 40.0, "Because the promotion ended. I can offer ten percent off."),
      turn(Role::customer, 43.0, 44.0, "Great, thanks!"),
  };
  return call;
}

Call without_times(Call call) {
  for (Turn& t : call.turns) {
    t.start_s.reset();
    t.end_s.reset();
  }
  return call;
}

Call without_roles(Call call) {
  for (Turn& t : call.turns) {
    t.role = Role::unknown; // speakers keep their labels
  }
  call.role_source = RoleSource::none;
  return call;
}

} // namespace

TEST(CallMetrics, HandBuiltCallGivesExactValues) {
  const CallMetrics m = compute_call_metrics(sample_call());
  EXPECT_EQ(m.turns, 8u);
  EXPECT_EQ(m.agent_turns, 4u);
  EXPECT_EQ(m.customer_turns, 4u);
  EXPECT_EQ(m.unknown_turns, 0u);
  EXPECT_EQ(m.timed_turns, 8u);
  EXPECT_EQ(m.words, 71u); // 11 + 6 + 9 + 10 agent, 15 + 1 + 17 + 2 customer
  EXPECT_EQ(m.agent_words, 36u);
  EXPECT_EQ(m.customer_words, 35u);
  EXPECT_EQ(m.questions, 5u);
  EXPECT_EQ(m.agent_questions, 2u);
  EXPECT_EQ(m.customer_questions, 3u);

  ASSERT_TRUE(m.duration_s);
  EXPECT_DOUBLE_EQ(*m.duration_s, 44.0);
  EXPECT_FALSE(m.duration_lower_bound);
  // Agent: 4 + 2 + 6.25 + 5; customer: 8 + 2 + 5 + 1.
  EXPECT_DOUBLE_EQ(m.agent_talk_s.value(), 17.25);
  EXPECT_DOUBLE_EQ(m.customer_talk_s.value(), 16.0);
  EXPECT_DOUBLE_EQ(m.unknown_talk_s.value(), 0.0);
  // Anyone talking: 44 s minus the gaps 0.5 + 4 + 5 + 3.
  EXPECT_DOUBLE_EQ(m.talk_s.value(), 31.5);
  EXPECT_DOUBLE_EQ(m.talk_ratio.value(), 17.25 / 33.25);
  EXPECT_DOUBLE_EQ(m.silence_s.value(), 9.0);
  EXPECT_EQ(m.silence_count, 2u);
  EXPECT_DOUBLE_EQ(m.silence_ratio.value(), 9.0 / 44.0);
  ASSERT_EQ(m.silences.size(), 2u);
  EXPECT_DOUBLE_EQ(m.silences[0].start_s, 14.0);
  EXPECT_DOUBLE_EQ(m.silences[0].end_s, 18.0);
  EXPECT_DOUBLE_EQ(m.silences[0].duration_s, 4.0);
  EXPECT_EQ(m.silences[0].before_role, Role::agent);
  EXPECT_EQ(m.silences[0].after_role, Role::customer);
  EXPECT_EQ(m.silences[0].before_turn, 2u);
  EXPECT_EQ(m.silences[0].after_turn, 3u);
  EXPECT_DOUBLE_EQ(m.silences[1].start_s, 30.0);
  EXPECT_DOUBLE_EQ(m.silences[1].end_s, 35.0);
  EXPECT_DOUBLE_EQ(m.silences[1].duration_s, 5.0);
  EXPECT_EQ(m.silences[1].before_role, Role::customer);
  EXPECT_EQ(m.silences[1].after_role, Role::agent);
  EXPECT_EQ(m.silences[1].before_turn, 5u);
  EXPECT_EQ(m.silences[1].after_turn, 6u);
  EXPECT_EQ(m.interruptions, 2u);
  EXPECT_EQ(m.interruptions_by_agent, 1u);
  EXPECT_EQ(m.interruptions_by_customer, 1u);
  EXPECT_DOUBLE_EQ(m.agent_wpm.value(), 36.0 * 60.0 / 17.25);
  EXPECT_DOUBLE_EQ(m.customer_wpm.value(), 35.0 * 60.0 / 16.0);
  EXPECT_DOUBLE_EQ(m.longest_customer_monologue_s.value(), 8.0);
  EXPECT_EQ(m.longest_customer_monologue_turn, 1u);
  EXPECT_EQ(m.longest_customer_turn_words, 17u);
  EXPECT_EQ(m.longest_customer_turn_words_turn, 5u);
}

TEST(CallMetrics, WithoutTimesTimeMetricsAreAbsentCountsPresent) {
  const CallMetrics m = compute_call_metrics(without_times(sample_call()));
  EXPECT_EQ(m.turns, 8u);
  EXPECT_EQ(m.timed_turns, 0u);
  EXPECT_EQ(m.words, 71u);
  EXPECT_EQ(m.agent_questions, 2u);
  EXPECT_EQ(m.customer_questions, 3u);
  EXPECT_EQ(m.longest_customer_turn_words, 17u);
  EXPECT_EQ(m.longest_customer_turn_words_turn, 5u);
  EXPECT_FALSE(m.duration_s);
  EXPECT_FALSE(m.talk_s);
  EXPECT_FALSE(m.agent_talk_s);
  EXPECT_FALSE(m.customer_talk_s);
  EXPECT_FALSE(m.unknown_talk_s);
  EXPECT_FALSE(m.talk_ratio);
  EXPECT_FALSE(m.silence_s);
  EXPECT_FALSE(m.silence_count);
  EXPECT_FALSE(m.silence_ratio);
  EXPECT_TRUE(m.silences.empty());
  EXPECT_FALSE(m.interruptions);
  EXPECT_FALSE(m.interruptions_by_agent);
  EXPECT_FALSE(m.interruptions_by_customer);
  EXPECT_FALSE(m.agent_wpm);
  EXPECT_FALSE(m.customer_wpm);
  EXPECT_FALSE(m.longest_customer_monologue_s);
  EXPECT_FALSE(m.longest_customer_monologue_turn);
}

TEST(CallMetrics, WithoutRolesSideMetricsAreAbsent) {
  const CallMetrics m = compute_call_metrics(without_roles(sample_call()));
  EXPECT_EQ(m.agent_turns, 0u); // the tally itself is always there
  EXPECT_EQ(m.customer_turns, 0u);
  EXPECT_EQ(m.unknown_turns, 8u);
  EXPECT_EQ(m.words, 71u);
  EXPECT_EQ(m.questions, 5u);
  EXPECT_FALSE(m.agent_words);
  EXPECT_FALSE(m.customer_words);
  EXPECT_FALSE(m.agent_questions);
  EXPECT_FALSE(m.customer_questions);
  EXPECT_FALSE(m.longest_customer_turn_words);
  EXPECT_FALSE(m.agent_talk_s);
  EXPECT_FALSE(m.customer_talk_s);
  EXPECT_FALSE(m.talk_ratio);
  EXPECT_FALSE(m.interruptions_by_agent);
  EXPECT_FALSE(m.interruptions_by_customer);
  EXPECT_FALSE(m.agent_wpm);
  EXPECT_FALSE(m.customer_wpm);
  EXPECT_FALSE(m.longest_customer_monologue_s);
  // Times alone still give the call-level numbers; speakers differ by label.
  EXPECT_DOUBLE_EQ(m.duration_s.value(), 44.0);
  EXPECT_DOUBLE_EQ(m.talk_s.value(), 31.5);
  // Union of all turns: one speaker-less bucket.
  EXPECT_DOUBLE_EQ(m.unknown_talk_s.value(), 31.5);
  EXPECT_DOUBLE_EQ(m.silence_s.value(), 9.0);
  EXPECT_EQ(m.interruptions, 2u);
}

TEST(CallMetrics, InterruptionsBySideAndWhatIsNotOne) {
  Call call;
  call.turns = {
      // The agent holds the floor 0..20; the customer starts over it twice.
      turn(Role::agent, 0.0, 20.0, "a long explanation"),
      turn(Role::customer, 5.0, 5.125, "mhm"),      // 0.125 s over: a backchannel, not counted
      turn(Role::customer, 10.0, 12.0, "wait, no"), // 2 s over the agent: counted
      turn(Role::agent, 15.0, 16.0, "as I said"),   // the agent's own turn overlapping: no
      turn(Role::customer, 19.0, 25.0, "but"),      // 1 s over the agent: counted
      turn(Role::agent, 24.0, 26.0, "okay"),        // 1 s over the customer: counted
      turn(Role::agent, 25.5, 27.0, "so"),          // same speaker as the floor: no
      turn(Role::customer, 26.75, 27.0, "right"),   // exactly the minimum over: counted
      turn(Role::customer, 27.0, 28.0, "yes"),      // starts as the agent stops: no overlap
  };
  MetricsOptions options;
  options.interruption_min_overlap_s = 0.25;
  const CallMetrics m = compute_call_metrics(call, options);
  EXPECT_EQ(m.interruptions, 4u);
  EXPECT_EQ(m.interruptions_by_customer, 3u);
  EXPECT_EQ(m.interruptions_by_agent, 1u);
  // The agent's overlapping turns count once: 0..20 and 24..27.
  EXPECT_DOUBLE_EQ(m.agent_talk_s.value(), 23.0);
  // Customer: 0.125 + 2 + 6 + 0.25 + 1, crosstalk with the agent included.
  EXPECT_DOUBLE_EQ(m.customer_talk_s.value(), 9.375);
  EXPECT_DOUBLE_EQ(m.talk_s.value(), 28.0);
  EXPECT_EQ(m.silence_count, 0u);

  MetricsOptions strict;
  strict.interruption_min_overlap_s = 1.5;
  EXPECT_EQ(compute_call_metrics(call, strict).interruptions, 1u); // only the 2 s one
  MetricsOptions any;
  any.interruption_min_overlap_s = -1.0; // acts as 0: any overlap at all
  EXPECT_EQ(compute_call_metrics(call, any).interruptions, 5u);
}

TEST(CallMetrics, OutOfOrderAndNegativeDurationsAreClamped) {
  Call call;
  call.turns = {
      turn(Role::customer, 20.0, 25.0, "third in time"),
      turn(Role::agent, 0.0, 5.0, "first in time"),
      turn(Role::agent, 10.0, 8.0, "ends before it starts"), // zero length at 10
      turn(Role::customer, 12.0, 12.0, "zero length"),
  };
  const CallMetrics m = compute_call_metrics(call);
  EXPECT_DOUBLE_EQ(m.duration_s.value(), 25.0);
  EXPECT_DOUBLE_EQ(m.agent_talk_s.value(), 5.0);
  EXPECT_DOUBLE_EQ(m.customer_talk_s.value(), 5.0);
  EXPECT_DOUBLE_EQ(m.talk_s.value(), 10.0);
  // In start order: gaps 5 -> 10, 10 -> 12 (2 s, under the threshold), 12 -> 20.
  EXPECT_EQ(m.silence_count, 2u);
  EXPECT_DOUBLE_EQ(m.silence_s.value(), 13.0);
  ASSERT_EQ(m.silences.size(), 2u);
  EXPECT_EQ(m.silences[0].before_turn, 1u);
  EXPECT_EQ(m.silences[0].after_turn, 2u);
  EXPECT_EQ(m.silences[1].before_turn, 3u);
  EXPECT_EQ(m.silences[1].after_turn, 0u);
  EXPECT_DOUBLE_EQ(m.longest_customer_monologue_s.value(), 5.0);
  EXPECT_EQ(m.longest_customer_monologue_turn, 0u);
  EXPECT_EQ(m.interruptions, 0u);
  // Nothing is negative, and the parts add up to the duration.
  EXPECT_DOUBLE_EQ(m.talk_s.value() + m.silence_s.value() + 2.0, m.duration_s.value());
}

TEST(CallMetrics, ZeroLengthTurnsGiveNoRateRatherThanInfinity) {
  Call call;
  call.turns = {
      turn(Role::agent, 1.0, 1.0, "hello there"),
      turn(Role::customer, 2.0, 1.0, "hi"),
  };
  const CallMetrics m = compute_call_metrics(call);
  EXPECT_DOUBLE_EQ(m.agent_talk_s.value(), 0.0);
  EXPECT_DOUBLE_EQ(m.customer_talk_s.value(), 0.0);
  EXPECT_FALSE(m.talk_ratio);
  EXPECT_FALSE(m.agent_wpm);
  EXPECT_FALSE(m.customer_wpm);
  EXPECT_DOUBLE_EQ(m.duration_s.value(), 1.0);
  EXPECT_DOUBLE_EQ(m.longest_customer_monologue_s.value(), 0.0);
}

TEST(CallMetrics, GapAtExactlyTheThresholdIsNotSilence) {
  Call call;
  call.turns = {
      turn(Role::agent, 0.0, 1.0, "one"), turn(Role::customer, 4.0, 5.0, "two"), // gap 3.0
      turn(Role::agent, 8.5, 9.0, "three"),                                      // gap 3.5
  };
  CallMetrics m = compute_call_metrics(call);
  EXPECT_EQ(m.silence_count, 1u);
  EXPECT_DOUBLE_EQ(m.silence_s.value(), 3.5);

  MetricsOptions options;
  options.gap_threshold_s = 2.5;
  m = compute_call_metrics(call, options);
  EXPECT_EQ(m.silence_count, 2u);
  EXPECT_DOUBLE_EQ(m.silence_s.value(), 6.5);
  EXPECT_DOUBLE_EQ(m.silence_ratio.value(), 6.5 / 9.0);

  options.gap_threshold_s = 3.5;
  EXPECT_EQ(compute_call_metrics(call, options).silence_count, 0u);
  options.gap_threshold_s = std::numeric_limits<double>::quiet_NaN(); // acts as 0
  EXPECT_EQ(compute_call_metrics(call, options).silence_count, 2u);
}

TEST(CallMetrics, SilenceInstancesKeepTheLongestInTimeOrder) {
  Call call;
  const double gaps[] = {4.0, 9.0, 5.0, 9.0, 6.0};
  double t = 0.0;
  for (const double gap : gaps) {
    call.turns.push_back(turn(Role::agent, t, t + 1.0, "x"));
    t += 1.0 + gap;
  }
  call.turns.push_back(turn(Role::customer, t, t + 1.0, "y"));
  MetricsOptions options;
  options.max_silence_instances = 3;
  const CallMetrics m = compute_call_metrics(call, options);
  EXPECT_EQ(m.silence_count, 5u);
  EXPECT_DOUBLE_EQ(m.silence_s.value(), 33.0);
  ASSERT_EQ(m.silences.size(), 3u);
  EXPECT_DOUBLE_EQ(m.silences[0].duration_s, 9.0);
  EXPECT_EQ(m.silences[0].after_turn, 2u);
  EXPECT_DOUBLE_EQ(m.silences[1].duration_s, 9.0);
  EXPECT_EQ(m.silences[1].after_turn, 4u);
  EXPECT_DOUBLE_EQ(m.silences[2].duration_s, 6.0);
  EXPECT_EQ(m.silences[2].after_turn, 5u);
  EXPECT_EQ(m.silences[2].after_role, Role::customer);

  options.max_silence_instances = 0;
  const CallMetrics none = compute_call_metrics(call, options);
  EXPECT_TRUE(none.silences.empty());
  EXPECT_EQ(none.silence_count, 5u);
}

TEST(CallMetrics, StartsOnlyGiveALowerBoundDurationAndNothingElseTimed) {
  Call call;
  call.turns = {
      turn(Role::agent, 2.0, std::nullopt, "hello"),
      turn(Role::customer, 9.0, std::nullopt, "hi"),
      turn(Role::agent, 30.0, std::nullopt, "bye"),
  };
  CallMetrics m = compute_call_metrics(call);
  EXPECT_DOUBLE_EQ(m.duration_s.value(), 28.0);
  EXPECT_TRUE(m.duration_lower_bound);
  EXPECT_EQ(m.timed_turns, 0u);
  EXPECT_FALSE(m.talk_s);
  EXPECT_FALSE(m.silence_s);
  EXPECT_FALSE(m.interruptions);
  EXPECT_FALSE(m.agent_talk_s);
  EXPECT_FALSE(m.longest_customer_monologue_s);

  call.turns.resize(1); // one start: no span at all
  m = compute_call_metrics(call);
  EXPECT_FALSE(m.duration_s);
  EXPECT_FALSE(m.duration_lower_bound);
}

TEST(CallMetrics, PartlyTimedCallsMeasureWhatIsTimed) {
  Call call;
  call.turns = {
      turn(Role::agent, std::nullopt, std::nullopt, "hello"),
      turn(Role::customer, 3.0, 7.0, "hi there"),
      turn(Role::agent, 8.0, std::nullopt, "okay"), // its length is unknown
  };
  const CallMetrics m = compute_call_metrics(call);
  EXPECT_EQ(m.timed_turns, 1u);
  EXPECT_DOUBLE_EQ(m.customer_talk_s.value(), 4.0);
  EXPECT_FALSE(m.agent_talk_s); // the agent spoke, but for how long is unknown
  EXPECT_FALSE(m.talk_ratio);
  EXPECT_FALSE(m.interruptions_by_agent);
  EXPECT_EQ(m.interruptions_by_customer, 0u);
  EXPECT_FALSE(m.agent_wpm);
  EXPECT_DOUBLE_EQ(m.customer_wpm.value(), 30.0); // 2 words in 4 s
  EXPECT_DOUBLE_EQ(m.duration_s.value(), 5.0);    // 3 .. at least 8
  EXPECT_TRUE(m.duration_lower_bound);
  EXPECT_EQ(m.silence_count, 0u);

  // A side with no turns at all has a real zero.
  Call one_sided;
  one_sided.turns = {turn(Role::customer, 0.0, 6.0, "hello is anyone there")};
  const CallMetrics s = compute_call_metrics(one_sided);
  EXPECT_DOUBLE_EQ(s.agent_talk_s.value(), 0.0);
  EXPECT_DOUBLE_EQ(s.talk_ratio.value(), 0.0);
  EXPECT_FALSE(s.agent_wpm);
  EXPECT_EQ(s.agent_words, 0u);
}

TEST(CallMetrics, UnusableTimesCountAsAbsent) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  Call call;
  call.turns = {
      turn(Role::agent, nan, 4.0, "a"),
      turn(Role::customer, 1.0, inf, "b"),
      turn(Role::agent, -inf, 1e300, "c"),
      turn(Role::customer, 2.0, 2.0 * k_max_metric_time_s, "d"),
  };
  const CallMetrics m = compute_call_metrics(call);
  EXPECT_EQ(m.timed_turns, 0u);
  EXPECT_FALSE(m.talk_s);
  EXPECT_DOUBLE_EQ(m.duration_s.value(), 1.0);
  EXPECT_TRUE(m.duration_lower_bound);
  EXPECT_EQ(metrics_json(m).dump().find("null"), std::string::npos);
}

TEST(CallMetrics, EmptyCallHasCountsOnly) {
  const CallMetrics m = compute_call_metrics(Call{});
  EXPECT_EQ(m.turns, 0u);
  EXPECT_EQ(m.words, 0u);
  EXPECT_FALSE(m.duration_s);
  EXPECT_FALSE(m.agent_questions);
  EXPECT_FALSE(m.longest_customer_turn_words);
  EXPECT_EQ(metrics_json(m).dump(),
            R"({"questions":0,"words":0,"turns":0,"agent_turns":0,"customer_turns":0,)"
            R"("unknown_turns":0,"timed_turns":0})");
}

TEST(CallMetrics, CustomerWhoNeverSpeaksHasZeroWordsAndNoMonologue) {
  Call call;
  call.turns = {turn(Role::agent, 0.0, 5.0, "hello, anyone?")};
  const CallMetrics m = compute_call_metrics(call);
  EXPECT_EQ(m.longest_customer_turn_words, 0u);
  EXPECT_FALSE(m.longest_customer_turn_words_turn);
  EXPECT_FALSE(m.longest_customer_monologue_s);
  EXPECT_EQ(m.customer_questions, 0u);
  EXPECT_EQ(m.agent_questions, 1u);
}

TEST(CallMetrics, PrecomputedWordCountsAreUsedWhenTheyFit) {
  const Call call = sample_call();
  const std::vector<std::uint32_t> counts = {1, 2, 3, 4, 5, 6, 7, 8};
  const CallMetrics m = compute_call_metrics(call, {}, counts);
  EXPECT_EQ(m.words, 36u);
  EXPECT_EQ(m.agent_words, 1u + 3u + 5u + 7u);
  EXPECT_EQ(m.customer_words, 2u + 4u + 6u + 8u);
  EXPECT_EQ(m.longest_customer_turn_words_turn, 7u);
  EXPECT_DOUBLE_EQ(m.customer_wpm.value(), 20.0 * 60.0 / 16.0);

  const std::vector<std::uint32_t> wrong_size = {1, 2, 3};
  EXPECT_EQ(compute_call_metrics(call, {}, wrong_size).words, 71u); // tokenized instead
}

TEST(CallMetricsQuestions, PunctuatedTextCountsSentencesEndingInQuestionMarks) {
  EXPECT_EQ(count_questions("How much is it?", true), 1u);
  EXPECT_EQ(count_questions("Really?? Why?! Okay.", true), 2u);
  EXPECT_EQ(count_questions("Is it 1.5? Or 2.5?", true), 2u);
  EXPECT_EQ(count_questions("[?] okay", true), 0u); // no word before the mark
  EXPECT_EQ(count_questions("What do you mean", true), 0u);
  EXPECT_EQ(count_questions("¿Cuánto cuesta? Gracias.", true), 1u);
  EXPECT_EQ(count_questions("\xE5\xA4\x9A\xE5\xB0\x91\xE9\x92\xB1\xEF\xBC\x9F", true), 1u);
  EXPECT_EQ(count_questions("\xD9\x83\xD9\x85\xD8\x9F", true), 1u);
  EXPECT_EQ(count_questions("", true), 0u);
  EXPECT_EQ(count_questions("?", true), 0u);
}

// ASCII text takes a memchr fast path; appending a non-ASCII character after
// the last mark forces the general path without changing the answer.
TEST(CallMetricsQuestions, AsciiFastPathAgreesWithTheGeneralPath) {
  std::mt19937 random(7);
  const std::string alphabet = "ab1 ?.!,?";
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const std::size_t length = random() % 24;
    for (std::size_t i = 0; i < length; ++i) {
      text += alphabet[random() % alphabet.size()];
    }
    EXPECT_EQ(count_questions(text, true), count_questions(text + " \u00e9", true)) << text;
  }
}

TEST(CallMetricsQuestions, UnpunctuatedTextUsesOpeners) {
  EXPECT_EQ(count_questions("how much does it cost", false), 1u);
  EXPECT_EQ(count_questions("Can you hold", false), 1u);
  EXPECT_EQ(count_questions("um so what\xE2\x80\x99s the price", false), 1u);
  EXPECT_EQ(count_questions("  isn't it included", false), 1u);
  EXPECT_EQ(count_questions("i want to cancel", false), 0u);
  EXPECT_EQ(count_questions("have a nice day", false), 0u);
  EXPECT_EQ(count_questions("don't worry about it", false), 0u);
  EXPECT_EQ(count_questions("um uh so okay what", false), 0u); // more than three fillers
  EXPECT_EQ(count_questions("", false), 0u);
}

TEST(CallMetricsQuestions, OpenersApplyOnlyWhenTheWholeCallIsUnpunctuated) {
  Call call;
  call.turns = {
      turn(Role::agent, std::nullopt, std::nullopt, "thanks for calling how can i help"),
      turn(Role::customer, std::nullopt, std::nullopt, "yeah is the sale still on"),
      turn(Role::agent, std::nullopt, std::nullopt, "it is"),
  };
  CallMetrics m = compute_call_metrics(call);
  EXPECT_EQ(m.agent_questions, 0u); // an opener mid-turn cannot be seen without punctuation
  EXPECT_EQ(m.customer_questions, 1u);

  call.turns[2].text = "It is.";
  m = compute_call_metrics(call);
  EXPECT_EQ(m.questions, 0u); // punctuated call: no '?', no questions
}

TEST(CallMetricsNames, EveryNameResolvesAndMatchesTheFields) {
  const CallMetrics m = compute_call_metrics(sample_call());
  const std::vector<std::string_view> names = metric_names();
  ASSERT_EQ(names.size(), 27u);
  std::set<std::string_view> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  for (const std::string_view name : names) {
    const std::optional<Metric> metric = metric_from_name(name);
    ASSERT_TRUE(metric) << name;
    EXPECT_EQ(to_string(*metric), name);
    for (const char c : name) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
    }
  }
  const auto value = [&](std::string_view name) {
    const std::optional<double> v = metric_value(m, name);
    EXPECT_TRUE(v) << name;
    return v.value_or(-1.0);
  };
  EXPECT_DOUBLE_EQ(value("duration_s"), 44.0);
  EXPECT_DOUBLE_EQ(value("talk_s"), 31.5);
  EXPECT_DOUBLE_EQ(value("agent_talk_s"), 17.25);
  EXPECT_DOUBLE_EQ(value("customer_talk_s"), 16.0);
  EXPECT_DOUBLE_EQ(value("unknown_talk_s"), 0.0);
  EXPECT_DOUBLE_EQ(value("talk_ratio"), 17.25 / 33.25);
  EXPECT_DOUBLE_EQ(value("silence_s"), 9.0);
  EXPECT_DOUBLE_EQ(value("silence_count"), 2.0);
  EXPECT_DOUBLE_EQ(value("silence_ratio"), 9.0 / 44.0);
  EXPECT_DOUBLE_EQ(value("interruptions"), 2.0);
  EXPECT_DOUBLE_EQ(value("interruptions_by_agent"), 1.0);
  EXPECT_DOUBLE_EQ(value("interruptions_by_customer"), 1.0);
  EXPECT_DOUBLE_EQ(value("agent_wpm"), 36.0 * 60.0 / 17.25);
  EXPECT_DOUBLE_EQ(value("customer_wpm"), 35.0 * 60.0 / 16.0);
  EXPECT_DOUBLE_EQ(value("longest_customer_monologue_s"), 8.0);
  EXPECT_DOUBLE_EQ(value("longest_customer_turn_words"), 17.0);
  EXPECT_DOUBLE_EQ(value("questions"), 5.0);
  EXPECT_DOUBLE_EQ(value("agent_questions"), 2.0);
  EXPECT_DOUBLE_EQ(value("customer_questions"), 3.0);
  EXPECT_DOUBLE_EQ(value("words"), 71.0);
  EXPECT_DOUBLE_EQ(value("agent_words"), 36.0);
  EXPECT_DOUBLE_EQ(value("customer_words"), 35.0);
  EXPECT_DOUBLE_EQ(value("turns"), 8.0);
  EXPECT_DOUBLE_EQ(value("agent_turns"), 4.0);
  EXPECT_DOUBLE_EQ(value("customer_turns"), 4.0);
  EXPECT_DOUBLE_EQ(value("unknown_turns"), 0.0);
  EXPECT_DOUBLE_EQ(value("timed_turns"), 8.0);

  EXPECT_FALSE(metric_from_name("Duration_s"));
  EXPECT_FALSE(metric_from_name(""));
  EXPECT_FALSE(metric_value(m, "talk time"));
  // Absent stays absent through metric_value.
  const CallMetrics untimed = compute_call_metrics(without_times(sample_call()));
  EXPECT_FALSE(metric_value(untimed, "talk_ratio"));
  EXPECT_FALSE(metric_value(untimed, Metric::silence_count));
  EXPECT_DOUBLE_EQ(metric_value(untimed, Metric::customer_questions).value(), 3.0);
}

TEST(CallMetricsJson, PresentValuesInOrderRoundedWithSilences) {
  const nlohmann::ordered_json json = metrics_json(compute_call_metrics(sample_call()));
  const std::string expected =
      R"({"duration_s":44.0,"talk_s":31.5,"agent_talk_s":17.25,"customer_talk_s":16.0,)"
      R"("unknown_talk_s":0.0,"talk_ratio":0.5188,"silence_s":9.0,"silence_count":2,)"
      R"("silence_ratio":0.2045,"interruptions":2,"interruptions_by_agent":1,)"
      R"("interruptions_by_customer":1,"agent_wpm":125.2,"customer_wpm":131.3,)"
      R"("longest_customer_monologue_s":8.0,"longest_customer_monologue_turn":1,)"
      R"("longest_customer_turn_words":17,"longest_customer_turn_words_turn":5,)"
      R"("questions":5,"agent_questions":2,"customer_questions":3,"words":71,)"
      R"("agent_words":36,"customer_words":35,"turns":8,"agent_turns":4,"customer_turns":4,)"
      R"("unknown_turns":0,"timed_turns":8,"silences":[)"
      R"({"start_s":14.0,"end_s":18.0,"duration_s":4.0,"before":"agent","after":"customer",)"
      R"("before_turn":2,"after_turn":3},)"
      R"({"start_s":30.0,"end_s":35.0,"duration_s":5.0,"before":"customer","after":"agent",)"
      R"("before_turn":5,"after_turn":6}]})";
  EXPECT_EQ(json.dump(), expected);
}

TEST(CallMetricsJson, AbsentValuesAreOmittedNotNull) {
  const nlohmann::ordered_json untimed =
      metrics_json(compute_call_metrics(without_times(sample_call())));
  for (const char* key :
       {"duration_s", "talk_s", "agent_talk_s", "talk_ratio", "silence_s", "silence_count",
        "interruptions", "agent_wpm", "longest_customer_monologue_s",
        "longest_customer_monologue_turn", "silences", "duration_lower_bound"}) {
    EXPECT_FALSE(untimed.contains(key)) << key;
  }
  EXPECT_EQ(untimed.at("customer_questions"), 3);
  EXPECT_EQ(untimed.at("longest_customer_turn_words"), 17);

  const nlohmann::ordered_json roleless =
      metrics_json(compute_call_metrics(without_roles(sample_call())));
  for (const char* key :
       {"agent_talk_s", "customer_talk_s", "talk_ratio", "agent_wpm", "agent_questions",
        "agent_words", "interruptions_by_agent", "longest_customer_turn_words"}) {
    EXPECT_FALSE(roleless.contains(key)) << key;
  }
  EXPECT_EQ(roleless.at("interruptions"), 2);
  for (const auto& [key, value] : roleless.items()) {
    EXPECT_FALSE(value.is_null()) << key;
  }
  Call starts_only;
  starts_only.turns = {turn(Role::agent, 0.0, std::nullopt, "a"),
                       turn(Role::customer, 5.0, std::nullopt, "b")};
  const nlohmann::ordered_json lower = metrics_json(compute_call_metrics(starts_only));
  EXPECT_EQ(lower.at("duration_lower_bound"), true);
  EXPECT_EQ(lower.at("duration_s"), 5.0);
}
