// Fuzz target: taxonomy loading and validation never crash, whatever
// validates also compiles, and the compiled rules (NEAR, rule trees, windows,
// conditions) tag a fixed call the same with and without a trace.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "callsight/conditions.hpp"
#include "callsight/explain.hpp"
#include "callsight/matcher.hpp"
#include "callsight/taxonomy.hpp"

namespace {

callsight::Call sample_call() {
  callsight::Call call;
  const char* texts[] = {"Hi, I want to cancel my account, it's not too expensive.",
                         "We can refund it or give store credit, price match included.",
                         "No no no, a refund please; my e-mail is on file.", "You're booked."};
  for (int i = 0; i < 4; ++i) {
    callsight::Turn turn;
    turn.role = i % 2 == 0 ? callsight::Role::customer : callsight::Role::agent;
    turn.text = texts[i];
    if (i != 2) {
      turn.start_s = i * 10.0;
      turn.end_s = i * 10.0 + 8.0;
    }
    turn.confidence = i == 1 ? 0.5 : 0.9;
    call.turns.push_back(turn);
  }
  return call;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const callsight::TaxonomyLoadResult loaded = callsight::parse_taxonomy(text);
  if (!loaded.taxonomy || loaded.has_errors()) {
    return 0;
  }
  try {
    const auto compiled = callsight::CompiledTaxonomy::compile(*loaded.taxonomy);
    static const callsight::Call call = sample_call();
    callsight::Matcher matcher(compiled);
    callsight::TagResult plain = matcher.tag(call);
    callsight::TagTrace trace;
    const callsight::TagResult traced = matcher.tag(call, trace);
    if (plain.topics.size() != traced.topics.size() || plain.hits.size() != traced.hits.size()) {
      std::abort();
    }
    const callsight::CallMetrics metrics = callsight::compute_call_metrics(call);
    const callsight::FieldLookup field = [](std::string_view) { return std::string("x"); };
    callsight::explain_call(compiled, call, trace, metrics, field);
    callsight::apply_call_conditions(compiled, plain, metrics, field);
  } catch (const std::invalid_argument&) {
    // An unknown stemmer language is reported at compile time: allowed.
  }
  return 0;
}
