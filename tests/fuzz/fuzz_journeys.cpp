// Fuzz target: caller-key normalization, ISO date parsing and the journey
// builder on arbitrary bytes, with the invariants the outputs rely on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "callsight/journeys.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace callsight;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const CallerKeyKind kind :
       {CallerKeyKind::phone, CallerKeyKind::email, CallerKeyKind::id, CallerKeyKind::automatic}) {
    const std::string key = normalize_caller_key(text, kind);
    // Normalizing twice changes nothing, so any spelling maps to one key.
    check(normalize_caller_key(key, kind) == key);
    if (kind == CallerKeyKind::phone && !key.empty()) {
      check(key.size() >= 7 && key.find_first_not_of("0123456789") == std::string::npos);
    }
    if (kind == CallerKeyKind::email && !key.empty()) {
      check(key.find('@') != std::string::npos);
    }
  }
  (void)parse_iso_datetime(text);

  // Calls from the bytes: caller, channel and outcome from one byte each,
  // the date from the following bytes.
  JourneyBuilder builder(4, JourneyOptions{1});
  std::uint64_t added = 0;
  for (std::size_t i = 0; i + 3 <= size; i += 3 + (data[i + 2] % 20)) {
    JourneyCall call;
    call.caller = data[i] % 7;
    call.order = i;
    call.channel = std::string(1, static_cast<char>('a' + data[i + 1] % 3));
    call.outcome = static_cast<CallOutcome>(data[i + 1] % 3);
    call.date = std::string(text.substr(i + 3, data[i + 2] % 20));
    if (data[i + 2] % 2 == 0) {
      call.topics.push_back(data[i + 2] % 4);
    }
    builder.add(std::move(call));
    ++added;
  }
  std::uint64_t visited = 0;
  const JourneyStats stats = builder.finish([&](const Journey& journey) {
    check(!journey.calls.empty());
    visited += journey.calls.size();
  });
  check(visited == added && stats.calls == added);
  check(stats.repeat_callers <= stats.callers && stats.converted <= stats.callers);
  check(stats.before_conversion.calls + stats.before_conversion.on_first_call ==
        stats.before_conversion.events);
  std::uint64_t histogram = 0;
  for (const std::uint64_t count : stats.gaps.histogram) {
    histogram += count;
  }
  check(histogram == stats.gaps.gaps);
  return 0;
}
