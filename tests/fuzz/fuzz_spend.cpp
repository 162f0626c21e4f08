// Fuzz target: the spend CSV loader accepts any bytes without crashing, and a
// table it accepts answers every lookup consistently.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "callsight/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<callsight::SpendTable> table = callsight::SpendTable::parse(text, error);
  if (!table) {
    if (error.empty()) {
      std::abort(); // a refusal always says why
    }
    return 0;
  }
  if (table->dimension().empty()) {
    std::abort();
  }
  for (const char c : table->currency()) {
    if (std::islower(static_cast<unsigned char>(c)) != 0) {
      std::abort(); // documented as upper-cased
    }
  }
  for (const std::string& period : table->periods()) {
    if (period.empty()) {
      std::abort();
    }
  }
  for (const std::string& group : table->groups()) {
    // Every listed group has a known total over all periods.
    if (!table->spend_cents(group).has_value()) {
      std::abort();
    }
    for (const std::string& period : table->periods()) {
      (void)table->spend_cents(group, period);
    }
  }
  (void)table->spend_cents("no such group \x01");
  return 0;
}
