// Tests for decode_to_utf8: BOMs, UTF-16 detection, invalid input, line endings.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "callsight/ingest.hpp"

namespace {

using callsight::decode_to_utf8;
using callsight::SourceEncoding;

const std::string k_fffd = "\xEF\xBF\xBD";

/// Encodes UTF-8 text as UTF-16 (no BOM); enough of an encoder for tests.
std::string to_utf16(std::u16string_view text, bool big_endian) {
  std::string out;
  for (const char16_t unit : text) {
    const auto high = static_cast<char>(unit >> 8);
    const auto low = static_cast<char>(unit & 0xFF);
    if (big_endian) {
      out += high;
      out += low;
    } else {
      out += low;
      out += high;
    }
  }
  return out;
}

std::string bytes(std::initializer_list<unsigned char> list) {
  return std::string(list.begin(), list.end());
}

TEST(IngestDecode, EncodingNames) {
  EXPECT_EQ(callsight::to_string(SourceEncoding::utf8), "utf-8");
  EXPECT_EQ(callsight::to_string(SourceEncoding::utf8_bom), "utf-8-bom");
  EXPECT_EQ(callsight::to_string(SourceEncoding::utf16le), "utf-16le");
  EXPECT_EQ(callsight::to_string(SourceEncoding::utf16be), "utf-16be");
}

TEST(IngestDecode, PlainAsciiPassesThrough) {
  const std::string text = "Agent: Thanks for calling, how can I help?\nCaller: Pricing.\n";
  const auto decoded = decode_to_utf8(text);
  EXPECT_EQ(decoded.text, text);
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf8);
  EXPECT_EQ(decoded.invalid_sequences, 0U);
}

TEST(IngestDecode, EmptyInput) {
  const auto decoded = decode_to_utf8("");
  EXPECT_EQ(decoded.text, "");
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf8);
  EXPECT_EQ(decoded.invalid_sequences, 0U);
}

TEST(IngestDecode, ValidMultibyteUtf8PassesThrough) {
  // 2-, 3- and 4-byte forms, including the edges of each range.
  const std::string text =
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xC2\x80 \xDF\xBF \xE0\xA0\x80 "
      "\xED\x9F\xBF \xEE\x80\x80 \xEF\xBF\xBF \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF";
  const auto decoded = decode_to_utf8(text);
  EXPECT_EQ(decoded.text, text);
  EXPECT_EQ(decoded.invalid_sequences, 0U);
}

TEST(IngestDecode, Utf8BomIsStripped) {
  const auto decoded = decode_to_utf8("\xEF\xBB\xBFhello \xC3\xA9");
  EXPECT_EQ(decoded.text, "hello \xC3\xA9");
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf8_bom);
  EXPECT_EQ(decoded.invalid_sequences, 0U);
}

TEST(IngestDecode, Utf16LeWithBom) {
  const auto decoded = decode_to_utf8("\xFF\xFE" + to_utf16(u"Hi \u00e9\u20ac", false));
  EXPECT_EQ(decoded.text, "Hi \xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf16le);
  EXPECT_EQ(decoded.invalid_sequences, 0U);
}

TEST(IngestDecode, Utf16BeWithBom) {
  const auto decoded = decode_to_utf8("\xFE\xFF" + to_utf16(u"Hi \u00e9\u20ac", true));
  EXPECT_EQ(decoded.text, "Hi \xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf16be);
  EXPECT_EQ(decoded.invalid_sequences, 0U);
}

TEST(IngestDecode, BomOnlyGivesEmptyText) {
  EXPECT_EQ(decode_to_utf8("\xEF\xBB\xBF").text, "");
  EXPECT_EQ(decode_to_utf8("\xFF\xFE").text, "");
  EXPECT_EQ(decode_to_utf8("\xFE\xFF").encoding, SourceEncoding::utf16be);
}

TEST(IngestDecode, Utf16LeWithoutBomIsDetected) {
  const auto decoded = decode_to_utf8(to_utf16(u"Agent: hello there, caf\u00e9\n", false));
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf16le);
  EXPECT_EQ(decoded.text, "Agent: hello there, caf\xC3\xA9\n");
  EXPECT_EQ(decoded.invalid_sequences, 0U);
}

TEST(IngestDecode, Utf16BeWithoutBomIsDetected) {
  const auto decoded = decode_to_utf8(to_utf16(u"Agent: hello there\n", true));
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf16be);
  EXPECT_EQ(decoded.text, "Agent: hello there\n");
}

TEST(IngestDecode, Utf8WithAFewNulsIsNotMistakenForUtf16) {
  const char text[] = "Agent: hello\0 there, this is ordinary text\n";
  const auto decoded = decode_to_utf8(std::string_view(text, sizeof text - 1));
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf8);
  EXPECT_EQ(decoded.text, "Agent: hello  there, this is ordinary text\n");
}

TEST(IngestDecode, SurrogatePairsBecomeFourByteUtf8) {
  // U+1F600 and U+10FFFF, the highest code point.
  const auto decoded = decode_to_utf8("\xFF\xFE" + to_utf16(u"a\U0001F600b\U0010FFFF", false));
  EXPECT_EQ(decoded.text, "a\xF0\x9F\x98\x80"
                          "b\xF4\x8F\xBF\xBF");
  EXPECT_EQ(decoded.invalid_sequences, 0U);
  const auto big = decode_to_utf8("\xFE\xFF" + to_utf16(u"a\U0001F600b", true));
  EXPECT_EQ(big.text, "a\xF0\x9F\x98\x80"
                      "b");
}

TEST(IngestDecode, UnpairedSurrogatesAreReplacedAndCounted) {
  // Lone high surrogate before 'b', lone low surrogate, high surrogate at end.
  const std::u16string units = {u'a', char16_t(0xD83D), u'b', char16_t(0xDE00),
                                u'c', char16_t(0xD83D)};
  const auto decoded = decode_to_utf8("\xFF\xFE" + to_utf16(units, false));
  EXPECT_EQ(decoded.text, "a" + k_fffd + "b" + k_fffd + "c" + k_fffd);
  EXPECT_EQ(decoded.invalid_sequences, 3U);
}

TEST(IngestDecode, OddTrailingByteOfUtf16IsReplaced) {
  const auto decoded = decode_to_utf8("\xFF\xFE" + to_utf16(u"ab", false) + "c");
  EXPECT_EQ(decoded.text, "ab" + k_fffd);
  EXPECT_EQ(decoded.invalid_sequences, 1U);
}

TEST(IngestDecode, OverlongEncodingsAreRejected) {
  // "/" as 2, 3 and 4 bytes: every byte is its own maximal subpart, because
  // no lead byte here admits the continuation byte that follows it.
  EXPECT_EQ(decode_to_utf8("\xC0\xAF").invalid_sequences, 2U);
  EXPECT_EQ(decode_to_utf8("\xE0\x80\xAF").invalid_sequences, 3U);
  EXPECT_EQ(decode_to_utf8("\xF0\x80\x80\xAF").invalid_sequences, 4U);
  EXPECT_EQ(decode_to_utf8("x\xC1\xBFy").text, "x" + k_fffd + k_fffd + "y");
}

TEST(IngestDecode, EncodedSurrogatesAndOutOfRangeAreRejected) {
  EXPECT_EQ(decode_to_utf8("\xED\xA0\x80").invalid_sequences, 3U);     // U+D800
  EXPECT_EQ(decode_to_utf8("\xF4\x90\x80\x80").invalid_sequences, 4U); // U+110000
  EXPECT_EQ(decode_to_utf8("\xF5\x80\x80\x80").invalid_sequences, 4U);
}

TEST(IngestDecode, TruncatedSequenceIsOneReplacement) {
  // The maximal subpart of a cut-off sequence is replaced once.
  auto decoded = decode_to_utf8("abc\xE2\x82");
  EXPECT_EQ(decoded.text, "abc" + k_fffd);
  EXPECT_EQ(decoded.invalid_sequences, 1U);

  decoded = decode_to_utf8("\xF0\x9F\x98 ok");
  EXPECT_EQ(decoded.text, k_fffd + " ok");
  EXPECT_EQ(decoded.invalid_sequences, 1U);

  decoded = decode_to_utf8("end\xF0");
  EXPECT_EQ(decoded.text, "end" + k_fffd);
  EXPECT_EQ(decoded.invalid_sequences, 1U);
}

TEST(IngestDecode, InvalidBytesAreCountedExactly) {
  const auto decoded = decode_to_utf8("a\xff"
                                      "b\xfe");
  EXPECT_EQ(decoded.text, "a" + k_fffd + "b" + k_fffd);
  EXPECT_EQ(decoded.invalid_sequences, 2U);
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf8);
}

TEST(IngestDecode, InvalidBytesInsideLongAsciiRuns) {
  // Exercises the 8-byte fast path on both sides of each bad byte.
  const std::string run(37, 'x');
  const auto decoded = decode_to_utf8(run + "\x80" + run + "\xC3\xA9" + run + "\xFF");
  EXPECT_EQ(decoded.text, run + k_fffd + run + "\xC3\xA9" + run + k_fffd);
  EXPECT_EQ(decoded.invalid_sequences, 2U);
}

TEST(IngestDecode, SpecialBytesAreFoundAtEveryOffsetOfTheFastPaths) {
  // The fast paths test 32 bytes, then 8 bytes (4 UTF-16 units) at once;
  // put a byte that needs handling at every offset of such blocks and after
  // them (two 32-byte blocks and a tail).
  const std::string base(75, 'x');
  for (std::size_t at = 0; at < base.size(); ++at) {
    const std::string head = base.substr(0, at);
    const std::string tail = base.substr(at + 1);
    EXPECT_EQ(decode_to_utf8(head + "\r" + tail).text, head + "\n" + tail) << at;
    EXPECT_EQ(decode_to_utf8(head + std::string(1, '\0') + tail).text, head + " " + tail) << at;
    const auto bad = decode_to_utf8(head + "\x80" + tail);
    EXPECT_EQ(bad.text, head + k_fffd + tail) << at;
    EXPECT_EQ(bad.invalid_sequences, 1U) << at;

    std::u16string units(base.begin(), base.end());
    for (const char16_t special : {u'\r', u'\0', u'\u00e9', char16_t(0x0100), char16_t(0xDC00)}) {
      units[at] = special;
      const std::string expected = special == u'\r'    ? "\n"
                                   : special == u'\0'  ? " "
                                   : special == 0xDC00 ? k_fffd
                                   : special == 0x0100 ? "\xC4\x80"
                                                       : "\xC3\xA9";
      EXPECT_EQ(decode_to_utf8("\xFF\xFE" + to_utf16(units, false)).text, head + expected + tail)
          << at;
      EXPECT_EQ(decode_to_utf8("\xFE\xFF" + to_utf16(units, true)).text, head + expected + tail)
          << at;
    }
  }
}

TEST(IngestDecode, CrlfAndLoneCrBecomeLf) {
  const auto decoded = decode_to_utf8("one\r\ntwo\rthree\n\r\r\nfour\r");
  EXPECT_EQ(decoded.text, "one\ntwo\nthree\n\n\nfour\n");
  EXPECT_EQ(decoded.invalid_sequences, 0U);
  EXPECT_EQ(decode_to_utf8("\xFF\xFE" + to_utf16(u"a\r\nb\rc", false)).text, "a\nb\nc");
}

TEST(IngestDecode, NulBecomesSpaceWithoutCountingAsInvalid) {
  // Long enough that one NUL does not look like UTF-16 (see the test above).
  const char input[] = "Caller: a\0b and more words";
  const auto decoded = decode_to_utf8(std::string_view(input, sizeof input - 1));
  EXPECT_EQ(decoded.text, "Caller: a b and more words");
  EXPECT_EQ(decoded.encoding, SourceEncoding::utf8);
  EXPECT_EQ(decoded.invalid_sequences, 0U);
  const std::u16string units = {u'a', u'\0', u'b'};
  EXPECT_EQ(decode_to_utf8("\xFE\xFF" + to_utf16(units, true)).text, "a b");
}

TEST(IngestDecode, SameTextInEveryEncodingDecodesIdentically) {
  // Long enough to cross the fast paths; mixes ASCII, accents, CJK and emoji.
  std::u16string text16;
  std::string text8;
  for (int i = 0; i < 50; ++i) {
    text16 += u"Agent: Thanks for calling, this is Ren\u00e9e.\n";
    text16 += u"Customer: The \u20ac price \u4fa1\u683c is too high \U0001F620\n";
    text8 += "Agent: Thanks for calling, this is Ren\xC3\xA9"
             "e.\n";
    text8 += "Customer: The \xE2\x82\xAC price \xE4\xBE\xA1\xE6\xA0\xBC is too high "
             "\xF0\x9F\x98\xA0\n";
  }
  std::string crlf;
  for (const char c : text8) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  std::u16string crlf16;
  for (const char16_t c : text16) {
    if (c == u'\n') {
      crlf16 += u'\r';
    }
    crlf16 += c;
  }

  const std::string variants[] = {
      text8,
      "\xEF\xBB\xBF" + text8,
      crlf,
      "\xEF\xBB\xBF" + crlf,
      "\xFF\xFE" + to_utf16(text16, false),
      "\xFE\xFF" + to_utf16(text16, true),
      to_utf16(text16, false),
      to_utf16(text16, true),
      "\xFF\xFE" + to_utf16(crlf16, false),
      to_utf16(crlf16, true),
  };
  for (const auto& variant : variants) {
    const auto decoded = decode_to_utf8(variant);
    EXPECT_EQ(decoded.text, text8) << "encoding " << callsight::to_string(decoded.encoding);
    EXPECT_EQ(decoded.invalid_sequences, 0U);
  }
}

TEST(IngestDecode, ArbitraryBytesNeverBreakTheOutput) {
  // Every byte value in every position of short inputs: output must always be
  // valid UTF-8 (decoding it again changes nothing and finds nothing invalid).
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 7) {
      const std::string input = bytes({static_cast<unsigned char>(a), static_cast<unsigned char>(b),
                                       0xE2, 0x82, static_cast<unsigned char>(b)});
      const auto decoded = decode_to_utf8(input);
      const auto again = decode_to_utf8(decoded.text);
      ASSERT_EQ(again.invalid_sequences, 0U) << a << " " << b;
      ASSERT_EQ(again.text, decoded.text) << a << " " << b;
    }
  }
}

} // namespace
