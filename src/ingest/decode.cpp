// Decodes raw transcript bytes (UTF-8, UTF-8 with BOM, UTF-16 LE/BE) to clean UTF-8.
//
// Output rules, the same for every source encoding so that one text in any
// encoding decodes to identical bytes:
// - a leading BOM is dropped;
// - CRLF and lone CR become LF;
// - NUL becomes a space. NUL is valid UTF-8, so it is not counted as invalid,
//   but it would cut the text short for C-string consumers (and for SQLite and
//   terminal output), and a space keeps word boundaries intact;
// - each maximal invalid subpart (Unicode's "substitution of maximal subparts",
//   the W3C/WHATWG practice) becomes U+FFFD and is counted: overlongs, UTF-8
//   encoded surrogates, code points above U+10FFFF, truncated sequences,
//   unpaired UTF-16 surrogates and an odd trailing byte of UTF-16.
#include <bit>
#include <cstring>

#include "callsight/ingest.hpp"

namespace callsight {
namespace {

constexpr char k_replacement[] = "\xEF\xBF\xBD"; // U+FFFD in UTF-8
constexpr std::size_t k_replacement_size = 3;
constexpr std::size_t k_sniff_bytes = 4096;
constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
constexpr std::uint64_t k_lows = 0x7F7F7F7F7F7F7F7FULL;
constexpr std::uint64_t k_highs = 0x8080808080808080ULL;

std::uint64_t load64(const unsigned char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

/// Sets bit 7 of exactly those bytes of `word` that are zero. No carry
/// crosses bytes, so the flags are exact, not just a yes/no answer.
constexpr std::uint64_t zero_bytes(std::uint64_t word) {
  return ~(((word & k_lows) + k_lows) | word | k_lows);
}

/// Flags (bit 7) the bytes that cannot be copied through as they are: high
/// bit set, CR or NUL. Zero for 8 bytes of plain ASCII.
constexpr std::uint64_t needs_attention(std::uint64_t word) {
  return (word & k_highs) | zero_bytes(word) | zero_bytes(word ^ (k_ones * '\r'));
}

/// 16 bytes in a vector register (SSE2 on x86-64, NEON on ARM): GCC and
/// Clang vector extensions, so no intrinsics and no per-target code.
using Bytes16 = unsigned char __attribute__((vector_size(16)));

/// The offset, from `i`, of the first 32-byte block of `p[i, n)` that may hold
/// a byte needing attention (high bit set, CR or NUL), or of the tail shorter
/// than a block. The word loop after it finds the exact byte; this skips
/// plain ASCII at a fraction of the word loop's instructions per byte.
std::size_t skip_plain_ascii(const unsigned char* p, std::size_t n, std::size_t i) {
  const Bytes16 zero{};
  const Bytes16 cr = zero + static_cast<unsigned char>('\r');
  while (i + 32 <= n) {
    Bytes16 a;
    Bytes16 b;
    std::memcpy(&a, p + i, sizeof a);
    std::memcpy(&b, p + i + 16, sizeof b);
    // A byte is flagged when its bit 7 is set: its own high bit, or a
    // comparison that came out true (all ones).
    const Bytes16 flags = a | b | (a == zero) | (a == cr) | (b == zero) | (b == cr);
    std::uint64_t halves[2];
    std::memcpy(halves, &flags, sizeof halves);
    if (((halves[0] | halves[1]) & k_highs) != 0) {
      break;
    }
    i += 32;
  }
  return i;
}

/// Memory offset of the first flagged byte in a nonzero flag word.
unsigned first_flagged_byte(std::uint64_t flags) {
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<unsigned>(std::countr_zero(flags)) / 8;
  } else {
    return static_cast<unsigned>(std::countl_zero(flags)) / 8;
  }
}

/// Length of the valid UTF-8 sequence at `p`, or 0 when invalid; then
/// `bad_length` is the maximal subpart to replace by one U+FFFD (at least 1).
/// Ranges from the Unicode table "Well-Formed UTF-8 Byte Sequences".
std::size_t utf8_sequence(const unsigned char* p, std::size_t available, std::size_t& bad_length) {
  const unsigned char lead = p[0];
  std::size_t continuation = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuation = 2;
    if (lead == 0xE0) {
      second_low = 0xA0; // below is an overlong 3-byte form
    } else if (lead == 0xED) {
      second_high = 0x9F; // above is a UTF-16 surrogate
    }
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuation = 3;
    if (lead == 0xF0) {
      second_low = 0x90; // below is an overlong 4-byte form
    } else if (lead == 0xF4) {
      second_high = 0x8F; // above is past U+10FFFF
    }
  } else {
    bad_length = 1; // stray continuation, C0/C1 overlong lead, or F5..FF
    return 0;
  }
  std::size_t i = 1;
  if (i < available && p[i] >= second_low && p[i] <= second_high) {
    ++i;
    while (i <= continuation && i < available && (p[i] & 0xC0) == 0x80) {
      ++i;
    }
  }
  if (i == continuation + 1) {
    return i;
  }
  bad_length = i;
  return 0;
}

/// Accumulates output as runs copied straight from the input, so clean text
/// costs one memcpy per run rather than one push_back per byte.
class Utf8Writer {
public:
  Utf8Writer(const unsigned char* input, std::string& out) : m_input(input), m_out(out) {}

  /// Copies input bytes [m_run_start, end) and starts the next run at `resume`.
  void flush(std::size_t end, std::size_t resume) {
    m_out.append(reinterpret_cast<const char*>(m_input) + m_run_start, end - m_run_start);
    m_run_start = resume;
  }

private:
  const unsigned char* m_input;
  std::string& m_out;
  std::size_t m_run_start = 0;
};

std::size_t decode_utf8(std::string_view bytes, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  out.reserve(n);
  Utf8Writer writer(p, out);
  std::size_t invalid = 0;
  std::size_t i = 0;
  while (i < n) {
    // Fast path: skip plain ASCII 32, then 8 bytes at a time and jump
    // straight to the first byte that needs a look.
    std::uint64_t flags = 0;
    i = skip_plain_ascii(p, n, i);
    while (i + 8 <= n) {
      flags = needs_attention(load64(p + i));
      if (flags != 0) {
        break;
      }
      i += 8;
    }
    if (flags != 0) {
      i += first_flagged_byte(flags);
    }
    if (i >= n) {
      break;
    }
    const unsigned char c = p[i];
    if (c >= 0x80) {
      // Stay here while non-ASCII continues (CJK, emoji runs), rather than
      // going back to the word test for every character.
      do {
        std::size_t bad_length = 0;
        const std::size_t length = utf8_sequence(p + i, n - i, bad_length);
        if (length != 0) {
          i += length;
        } else {
          writer.flush(i, i + bad_length);
          out.append(k_replacement, k_replacement_size);
          ++invalid;
          i += bad_length;
        }
      } while (i < n && p[i] >= 0x80);
    } else if (c == '\r') {
      const std::size_t skip = (i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
      writer.flush(i, i + skip);
      out.push_back('\n');
      i += skip;
    } else if (c == '\0') {
      writer.flush(i, i + 1);
      out.push_back(' ');
      ++i;
    } else {
      ++i;
    }
  }
  writer.flush(n, n);
  return invalid;
}

/// Writes code point `cp` (valid scalar value) as UTF-8; returns the new end.
char* put_utf8(char* out, std::uint32_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

char* put_replacement(char* out) {
  std::memcpy(out, k_replacement, k_replacement_size);
  return out + k_replacement_size;
}

template <bool BigEndian> std::uint32_t load_unit(const unsigned char* p) {
  return BigEndian ? (std::uint32_t{p[0]} << 8) | p[1] : (std::uint32_t{p[1]} << 8) | p[0];
}

template <bool BigEndian> std::size_t decode_utf16(std::string_view bytes, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t units = bytes.size() / 2;
  // Worst case is 3 output bytes per 2 input bytes (BMP above U+07FF, or a
  // replacement); surrogate pairs give 4 for 4. Write into one buffer sized
  // for that and trim at the end, instead of growing per character.
  out.resize(units * 3 + k_replacement_size);
  char* const begin = out.data();
  char* w = begin;
  std::size_t invalid = 0;
  // Masks for four code units loaded as one 64-bit word. They depend on where
  // each unit's high byte lands in the word: that follows from the source
  // byte order and the host byte order together.
  constexpr bool k_high_byte_first = BigEndian == (std::endian::native == std::endian::little);
  constexpr std::uint64_t k_high_bytes =
      k_high_byte_first ? 0x00FF00FF00FF00FFULL : 0xFF00FF00FF00FF00ULL;
  constexpr std::uint64_t k_not_ascii =
      k_high_byte_first ? 0x80FF80FF80FF80FFULL : 0xFF80FF80FF80FF80ULL;
  constexpr std::uint64_t k_cr_units =
      k_high_byte_first ? 0x0D000D000D000D00ULL : 0x000D000D000D000DULL;
  constexpr unsigned k_low_offset = BigEndian ? 1 : 0;
  std::size_t u = 0;
  while (u < units) {
    // Fast path: four ASCII units (not NUL, not CR) become four bytes.
    while (u + 4 <= units) {
      const unsigned char* q = p + 2 * u;
      const std::uint64_t word = load64(q);
      // Each unit must be below 0x80 with a low byte that is neither NUL nor
      // CR. High bytes are forced to 0xFF so the zero-byte tests see only
      // the low bytes.
      if ((word & k_not_ascii) != 0 || zero_bytes(word | k_high_bytes) != 0 ||
          zero_bytes((word ^ k_cr_units) | k_high_bytes) != 0) {
        break;
      }
      w[0] = static_cast<char>(q[k_low_offset]);
      w[1] = static_cast<char>(q[2 + k_low_offset]);
      w[2] = static_cast<char>(q[4 + k_low_offset]);
      w[3] = static_cast<char>(q[6 + k_low_offset]);
      w += 4;
      u += 4;
    }
    if (u >= units) {
      break;
    }
    const std::uint32_t unit = load_unit<BigEndian>(p + 2 * u);
    ++u;
    if (unit == '\r') {
      if (u < units && load_unit<BigEndian>(p + 2 * u) == '\n') {
        ++u;
      }
      *w++ = '\n';
    } else if (unit == 0) {
      *w++ = ' ';
    } else if (unit < 0xD800 || unit > 0xDFFF) {
      w = put_utf8(w, unit);
    } else if (unit <= 0xDBFF && u < units) {
      const std::uint32_t low = load_unit<BigEndian>(p + 2 * u);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        ++u;
        w = put_utf8(w, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
      } else {
        w = put_replacement(w); // high surrogate not followed by a low one
        ++invalid;
      }
    } else {
      w = put_replacement(w); // lone low surrogate, or high one at the end
      ++invalid;
    }
  }
  if (bytes.size() % 2 != 0) {
    w = put_replacement(w); // half a code unit
    ++invalid;
  }
  out.resize(static_cast<std::size_t>(w - begin));
  return invalid;
}

/// Without a BOM: UTF-16 text in a Latin script has a NUL in every code
/// unit's high byte. Counts pairs that look like an ASCII character in LE
/// (x, 0) or BE (0, x) order over the first 4 KiB; 30% of pairs is far above
/// what UTF-8 text ever shows and tolerant of non-ASCII stretches.
SourceEncoding sniff_encoding(std::string_view bytes) {
  const std::size_t sniff = bytes.size() < k_sniff_bytes ? bytes.size() : k_sniff_bytes;
  const std::size_t pairs = sniff / 2;
  // No NUL byte at all (nearly every file): cannot be UTF-16; memchr is far
  // cheaper than counting pairs on every transcript.
  if (pairs == 0 || std::memchr(bytes.data(), 0, sniff) == nullptr) {
    return SourceEncoding::utf8;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t little = 0;
  std::size_t big = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    const unsigned char first = p[2 * i];
    const unsigned char second = p[2 * i + 1];
    little += (first != 0 && first < 0x80 && second == 0) ? 1 : 0;
    big += (first == 0 && second != 0 && second < 0x80) ? 1 : 0;
  }
  const auto enough = [pairs](std::size_t count) { return count * 10 >= pairs * 3; };
  if (little > big && enough(little)) {
    return SourceEncoding::utf16le;
  }
  if (big > little && enough(big)) {
    return SourceEncoding::utf16be;
  }
  return SourceEncoding::utf8;
}

bool starts_with_bytes(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

} // namespace

std::string_view to_string(SourceEncoding encoding) {
  switch (encoding) {
  case SourceEncoding::utf8:
    return "utf-8";
  case SourceEncoding::utf8_bom:
    return "utf-8-bom";
  case SourceEncoding::utf16le:
    return "utf-16le";
  case SourceEncoding::utf16be:
    return "utf-16be";
  }
  return "unknown";
}

DecodedText decode_to_utf8(std::string_view bytes) {
  DecodedText result;
  std::string_view body = bytes;
  if (starts_with_bytes(bytes, "\xEF\xBB\xBF")) {
    result.encoding = SourceEncoding::utf8_bom;
    body.remove_prefix(3);
  } else if (starts_with_bytes(bytes, "\xFF\xFE")) {
    result.encoding = SourceEncoding::utf16le;
    body.remove_prefix(2);
  } else if (starts_with_bytes(bytes, "\xFE\xFF")) {
    result.encoding = SourceEncoding::utf16be;
    body.remove_prefix(2);
  } else {
    result.encoding = sniff_encoding(bytes);
  }
  switch (result.encoding) {
  case SourceEncoding::utf8:
  case SourceEncoding::utf8_bom:
    result.invalid_sequences = decode_utf8(body, result.text);
    break;
  case SourceEncoding::utf16le:
    result.invalid_sequences = decode_utf16<false>(body, result.text);
    break;
  case SourceEncoding::utf16be:
    result.invalid_sequences = decode_utf16<true>(body, result.text);
    break;
  }
  return result;
}

} // namespace callsight
