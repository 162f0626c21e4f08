// Fuzz target: PII redaction accepts any bytes, keeps valid UTF-8 valid, is
// idempotent, and gives the same result through a reused Redactor.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "callsight/privacy.hpp"

namespace {

bool valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    std::size_t length = 0;
    std::uint32_t min = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      min = 0x80;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      min = 0x800;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      min = 0x10000;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > n) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static callsight::Redactor reused; // scratch buffers carried over from earlier inputs
  callsight::RedactionStats stats;
  const std::string once = callsight::redact(text, &stats);
  if (reused.redact(text) != once) {
    std::abort();
  }
  if (valid_utf8(text) && !valid_utf8(once)) {
    std::abort();
  }
  callsight::RedactionStats again_stats;
  if (callsight::redact(once, &again_stats) != once || again_stats.total() != 0) {
    std::abort(); // idempotent, and nothing left to find
  }
  if (stats.total() == 0 && once != text) {
    std::abort(); // every change is counted
  }
  if (callsight::redact(text, callsight::RedactionMode::Off) != text) {
    std::abort();
  }
  return 0;
}
