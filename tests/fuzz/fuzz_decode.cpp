// Fuzz target: the decoder must accept any bytes and always produce valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <utf8proc.h>

#include "callsight/ingest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const callsight::DecodedText decoded = callsight::decode_to_utf8(bytes);
  // Valid UTF-8 throughout, and no CR left behind.
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(decoded.text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(decoded.text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0 || cp == '\r') {
      std::abort();
    }
    p += n;
    left -= n;
  }
  return 0;
}
