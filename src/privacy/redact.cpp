// Privacy: linear-time scanners that replace personal data in text with placeholders.
//
// How it works. The text is cut into tokens (runs of letters and digits,
// whitespace, single punctuation marks, placeholders already in the text). A
// first pass finds e-mail addresses from each "@" or spoken "at" with bounded
// look-back and look-ahead. A second, left-to-right pass handles account codes
// after their keywords and "number runs": digit groups and spoken digits joined
// by spaces, commas, dashes, dots or slashes. A run is classified as a whole and
// then skipped, so no token is scanned more than a constant number of times:
// linear time and no backtracking, whatever the input.
//
// Rules and decisions (the unit tests pin each one down):
// - [EMAIL]: "local@domain" as written (any TLD); with spaces around "@", or a
//   spoken "at" (and "dot", "underscore", "dash", "plus" inside the local part),
//   the domain must end in a known TLD or be a known mail provider ("jsmith at
//   gmail"), and a one-word local part must not be an ordinary word ("find us
//   at acme dot com" is a website, not an address, and stays).
// - [CARD]: 13-19 digits in any grouping (4-4-4-4, 4-6-5, one block, spoken)
//   that pass the Luhn check. A Luhn-invalid look-alike is not a card but is
//   still a long digit run, so it becomes [NUMBER]: nothing of 6+ digits leaks.
// - [SSN]: 3-2-4 digits whose area, group and serial are valid (not 000/666/9xx,
//   00, 0000); any 3-2-4, 9 digits in one block, or a lone 4-digit block ("last
//   four of my social") right after "SSN", "social security" or "social is".
// - [PHONE]: +country numbers (7-15 digits), North American 3-3-4 / (3) 3-4 /
//   1-3-3-4 / 10 or 11 digits in one block, 7-digit 3-4 local numbers,
//   0-prefixed national numbers of 10-11 digits (UK "020 7946 0958"), with an
//   optional extension ("ext. 12", "x12", "extension four"). Spoken digit runs of
//   10-11 digits are phones too.
// - [NUMBER]: a spoken digit run ("four one five five", "double five, triple
//   oh", "4 one 5 5") of >= 4 digits, and any other run of >= 6 digits. A run
//   glued to letters ("XR-2000-15", a model number) needs a block of 6 digits or
//   8 in total. Commas plus space and ". " split runs of digits (lists,
//   sentences), but not runs of spoken digits ("four one five, five five five").
// - [ACCOUNT]: after account, order, confirmation, member, policy, reference,
//   ticket, invoice, case, claim, booking, reservation, tracking, transaction,
//   loan, pin, id ... and up to six linking words ("number", "is", "#", "uh"),
//   a code of >= 4 characters with >= 2 digits: "AB-77123", "Q7X92K", "5 5 8 1
//   2", "a b seven seven one two". "card ... ending in 4432" gives [CARD].
// - Kept: prices ("$129", "49 dollars", "$1,250.00", "1234.56"), times
//   ("10:30"), dates ("10/05/2026", "2026-10-05", "10/2026"), years and year
//   ranges ("2019-2020"), thousands ("1,250,000"), small counts, a 5-digit ZIP
//   code (a region, which marketing reports need; ZIP+4 is 9 digits and goes),
//   model numbers ("R-410A", "SEER 16"), promo codes ("promo code SAVE20": not
//   an account keyword), ordinals ("5th"), number words other than digits
//   ("twenty", "thousand"), and website names ("visit acme.com").
// - Non-ASCII bytes are kept untouched; Unicode spaces, dashes, apostrophes and
//   currency signs count as their ASCII forms. Replacements always cover whole
//   tokens, so valid UTF-8 stays valid, and placeholders stop every rule, so
//   redact(redact(x)) == redact(x).
#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/privacy.hpp"

namespace callsight {

namespace {

constexpr std::array<std::string_view, k_pii_kind_count> k_placeholders = {
    "[EMAIL]", "[CARD]", "[SSN]", "[PHONE]", "[ACCOUNT]", "[NUMBER]"};
constexpr std::array<std::string_view, k_pii_kind_count> k_kind_names = {
    "email", "card", "ssn", "phone", "account", "number"};

// Inputs are redacted in pieces cut after a line break, which no rule crosses,
// so the result is the same as in one piece: about this big, so the token buffer
// stays in the CPU cache ...
constexpr std::size_t k_chunk_bytes = std::size_t{16} << 10;
// ... and at most this big, so token offsets fit 32 bits: a longer line is cut
// at a space (the only place where a cut could split a phone or an address).
constexpr std::size_t k_max_chunk_bytes = std::size_t{4} << 20;

// Bounds that keep every look-around constant-sized.
constexpr int k_max_link_words = 6;
constexpr int k_max_link_marks = 8;
constexpr int k_max_code_pieces = 32;
constexpr int k_max_local_atoms = 16;
constexpr int k_max_domain_steps = 24;
constexpr int k_ssn_window = 8;
constexpr std::size_t k_max_word = 16;

// ------------------------------------------------------------------ words

enum WordFlag : std::uint32_t {
  k_digit_word = 1u << 0,   // zero..nine, oh, o: value is the digit
  k_weak_digit = 1u << 1,   // oh, o: only a zero next to other digits
  k_multiplier = 1u << 2,   // double, triple: value is the repeat count
  k_hundred = 1u << 3,      // "eight hundred" in "one eight hundred ..."
  k_account_word = 1u << 4, // a code follows: account, order, ...
  k_card_word = 1u << 5,    // card: the code is a card number
  k_link = 1u << 6,         // may stand between keyword and code: is, number, uh
  k_strong_link = 1u << 7,  // number, no, code, ending: a year-like code counts
  k_at_word = 1u << 8,
  k_local_joiner = 1u << 9, // dot, underscore, dash, hyphen, plus in a local part
  k_dot_word = 1u << 10,    // dot, period between domain labels
  k_tld = 1u << 11,
  k_provider = 1u << 12,   // gmail, yahoo: a domain on its own
  k_local_stop = 1u << 13, // ordinary words before "at": "us at acme dot com"
  k_ext_word = 1u << 14,
  k_currency = 1u << 15,
  k_ssn_word = 1u << 16,
  k_social = 1u << 17,
  k_security = 1u << 18,
};

struct WordEntry {
  std::string_view word;
  std::uint32_t flags;
  std::int8_t value = -1;
};

constexpr std::uint32_t k_digit = k_digit_word;
constexpr std::uint32_t k_weak = k_digit_word | k_weak_digit;
constexpr std::uint32_t k_strong = k_link | k_strong_link;

// A word may appear more than once: its flags are merged.
constexpr WordEntry k_words[] = {
    {"zero", k_digit, 0},
    {"oh", k_weak, 0},
    {"o", k_weak, 0},
    {"one", k_digit, 1},
    {"two", k_digit, 2},
    {"three", k_digit, 3},
    {"four", k_digit, 4},
    {"five", k_digit, 5},
    {"six", k_digit, 6},
    {"seven", k_digit, 7},
    {"eight", k_digit, 8},
    {"nine", k_digit, 9},
    {"niner", k_digit, 9},
    {"double", k_multiplier, 2},
    {"triple", k_multiplier, 3},
    {"treble", k_multiplier, 3},
    {"quadruple", k_multiplier, 4},
    {"hundred", k_hundred},

    {"account", k_account_word},
    {"acct", k_account_word},
    {"order", k_account_word},
    {"confirmation", k_account_word},
    {"conf", k_account_word},
    {"member", k_account_word},
    {"membership", k_account_word},
    {"policy", k_account_word},
    {"reference", k_account_word},
    {"ref", k_account_word},
    {"ticket", k_account_word},
    {"invoice", k_account_word},
    {"case", k_account_word},
    {"claim", k_account_word},
    {"tracking", k_account_word},
    {"booking", k_account_word},
    {"reservation", k_account_word},
    {"pin", k_account_word},
    {"id", k_account_word},
    {"routing", k_account_word},
    {"iban", k_account_word},
    {"license", k_account_word},
    {"licence", k_account_word},
    {"passport", k_account_word},
    {"subscriber", k_account_word},
    {"loan", k_account_word},
    {"contract", k_account_word},
    {"transaction", k_account_word},
    {"receipt", k_account_word},
    {"rma", k_account_word},
    {"card", k_card_word},

    {"number", k_strong},
    {"numbers", k_strong},
    {"num", k_strong},
    {"no", k_strong},
    {"nbr", k_strong},
    {"nr", k_strong},
    {"code", k_strong},
    {"ending", k_strong},
    {"ends", k_strong},
    {"is", k_link},
    {"was", k_link},
    {"it", k_link},
    {"its", k_link},
    {"s", k_link},
    {"that", k_link},
    {"thats", k_link},
    {"uh", k_link},
    {"um", k_link},
    {"er", k_link},
    {"ah", k_link},
    {"yeah", k_link},
    {"yes", k_link},
    {"ok", k_link},
    {"okay", k_link},
    {"so", k_link},
    {"the", k_link},
    {"my", k_link},
    {"our", k_link},
    {"your", k_link},
    {"his", k_link},
    {"her", k_link},
    {"in", k_link},
    {"reads", k_link},
    {"be", k_link},
    {"should", k_link},
    {"i", k_link},
    {"have", k_link},
    {"got", k_link},
    {"has", k_link},
    {"please", k_link},
    {"here", k_link},

    {"at", k_at_word},
    {"dot", k_local_joiner | k_dot_word},
    {"period", k_local_joiner | k_dot_word},
    {"underscore", k_local_joiner},
    {"dash", k_local_joiner},
    {"hyphen", k_local_joiner},
    {"plus", k_local_joiner},

    {"com", k_tld},
    {"net", k_tld},
    {"org", k_tld},
    {"edu", k_tld},
    {"gov", k_tld},
    {"mil", k_tld},
    {"io", k_tld},
    {"co", k_tld},
    {"us", k_tld},
    {"uk", k_tld},
    {"ca", k_tld},
    {"au", k_tld},
    {"de", k_tld},
    {"fr", k_tld},
    {"es", k_tld},
    {"it", k_tld},
    {"nl", k_tld},
    {"ie", k_tld},
    {"nz", k_tld},
    {"in", k_tld},
    {"info", k_tld},
    {"biz", k_tld},
    {"me", k_tld},
    {"tv", k_tld},
    {"ai", k_tld},
    {"app", k_tld},
    {"dev", k_tld},
    {"mx", k_tld},
    {"br", k_tld},
    {"jp", k_tld},
    {"ch", k_tld},
    {"se", k_tld},
    {"dk", k_tld},
    {"no", k_tld},
    {"fi", k_tld},
    {"be", k_tld},
    {"pl", k_tld},
    {"eu", k_tld},
    {"xyz", k_tld},
    {"email", k_tld},
    {"online", k_tld},

    {"gmail", k_provider},
    {"googlemail", k_provider},
    {"yahoo", k_provider},
    {"ymail", k_provider},
    {"hotmail", k_provider},
    {"outlook", k_provider},
    {"aol", k_provider},
    {"icloud", k_provider},
    {"protonmail", k_provider},
    {"proton", k_provider},
    {"msn", k_provider},
    {"comcast", k_provider},
    {"verizon", k_provider},
    {"sbcglobal", k_provider},
    {"att", k_provider},
    {"gmx", k_provider},
    {"zoho", k_provider},
    {"yandex", k_provider},

    {"me", k_local_stop},
    {"us", k_local_stop},
    {"you", k_local_stop},
    {"him", k_local_stop},
    {"her", k_local_stop},
    {"them", k_local_stop},
    {"it", k_local_stop},
    {"we", k_local_stop},
    {"they", k_local_stop},
    {"i", k_local_stop},
    {"out", k_local_stop},
    {"up", k_local_stop},
    {"back", k_local_stop},
    {"here", k_local_stop},
    {"there", k_local_stop},
    {"look", k_local_stop},
    {"looking", k_local_stop},
    {"looked", k_local_stop},
    {"located", k_local_stop},
    {"available", k_local_stop},
    {"arrive", k_local_stop},
    {"arrived", k_local_stop},
    {"be", k_local_stop},
    {"is", k_local_stop},
    {"are", k_local_stop},
    {"was", k_local_stop},
    {"were", k_local_stop},
    {"am", k_local_stop},
    {"been", k_local_stop},
    {"call", k_local_stop},
    {"called", k_local_stop},
    {"calling", k_local_stop},
    {"reach", k_local_stop},
    {"reached", k_local_stop},
    {"text", k_local_stop},
    {"find", k_local_stop},
    {"found", k_local_stop},
    {"visit", k_local_stop},
    {"visited", k_local_stop},
    {"online", k_local_stop},
    {"website", k_local_stop},
    {"site", k_local_stop},
    {"store", k_local_stop},
    {"office", k_local_stop},
    {"home", k_local_stop},
    {"work", k_local_stop},
    {"stay", k_local_stop},
    {"stayed", k_local_stop},
    {"shop", k_local_stop},
    {"sign", k_local_stop},
    {"signed", k_local_stop},
    {"log", k_local_stop},
    {"logged", k_local_stop},
    {"meet", k_local_stop},
    {"see", k_local_stop},
    {"that", k_local_stop},
    {"this", k_local_stop},
    {"what", k_local_stop},
    {"which", k_local_stop},
    {"email", k_local_stop},
    {"mail", k_local_stop},
    {"message", k_local_stop},
    {"s", k_local_stop},
    {"re", k_local_stop},
    {"ve", k_local_stop},
    {"ll", k_local_stop},
    {"d", k_local_stop},
    {"m", k_local_stop},
    {"t", k_local_stop},
    {"and", k_local_stop},
    {"or", k_local_stop},
    {"but", k_local_stop},
    {"so", k_local_stop},
    {"not", k_local_stop},
    {"just", k_local_stop},
    {"only", k_local_stop},
    {"also", k_local_stop},
    {"all", k_local_stop},
    {"over", k_local_stop},
    {"good", k_local_stop},
    {"great", k_local_stop},
    {"live", k_local_stop},
    {"lives", k_local_stop},
    {"now", k_local_stop},
    {"today", k_local_stop},
    {"tomorrow", k_local_stop},

    {"ext", k_ext_word},
    {"extension", k_ext_word},
    {"x", k_ext_word},

    {"dollars", k_currency},
    {"dollar", k_currency},
    {"bucks", k_currency},
    {"cents", k_currency},
    {"cent", k_currency},
    {"usd", k_currency},
    {"percent", k_currency},
    {"euros", k_currency},
    {"euro", k_currency},
    {"pounds", k_currency},
    {"grand", k_currency},

    {"ssn", k_ssn_word},
    {"social", k_social},
    {"security", k_security},
};

// Open-addressing table from lower-case ASCII words to flags, built once. Keys
// are packed into two 64-bit integers, so a lookup compares integers, not bytes.
class WordLookup {
public:
  struct Key {
    std::array<std::uint64_t, 2> packed{};
    std::uint32_t length = 0;
    bool operator==(const Key& other) const = default;
  };
  struct Slot {
    Key key;
    std::uint32_t flags = 0;
    std::int8_t value = -1;
  };

  /// Adds lower-case ASCII byte `c` at position `at` (< 16) of `key`.
  static void pack(Key& key, std::size_t at, unsigned char c) {
    key.packed[at >> 3] |= std::uint64_t{c} << ((at & 7) * 8);
  }

  WordLookup() {
    for (const WordEntry& entry : k_words) {
      Key key;
      for (std::size_t i = 0; i < entry.word.size(); ++i) {
        pack(key, i, static_cast<unsigned char>(entry.word[i]));
      }
      key.length = static_cast<std::uint32_t>(entry.word.size());
      std::size_t i = hash(key);
      while (m_slots[i].key.length != 0 && !(m_slots[i].key == key)) {
        i = (i + 1) & k_mask;
      }
      Slot& slot = m_slots[i];
      slot.key = key;
      slot.flags |= entry.flags;
      if (entry.value >= 0) {
        slot.value = entry.value;
      }
    }
  }

  /// The slot for `key` (flags 0 when unknown).
  const Slot& find(const Key& key) const {
    for (std::size_t i = hash(key);; i = (i + 1) & k_mask) {
      const Slot& slot = m_slots[i];
      if (slot.key.length == 0 || slot.key == key) {
        return slot;
      }
    }
  }

private:
  static constexpr std::size_t k_bits = 10; // 1024 slots, > 2x the number of words
  static constexpr std::size_t k_mask = (std::size_t{1} << k_bits) - 1;

  static std::size_t hash(const Key& key) {
    const std::uint64_t h = (key.packed[0] ^ (key.packed[1] * 0xC2B2AE3D27D4EB4Full) ^ key.length) *
                            0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(h >> (64 - k_bits));
  }

  std::array<Slot, std::size_t{1} << k_bits> m_slots{};
};

const WordLookup& word_lookup() {
  static const WordLookup table;
  return table;
}

// ------------------------------------------------------------------ tokens

enum class TokKind : std::uint8_t { End, Space, Newline, Punct, Alnum, Placeholder };

struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t flags = 0; // WordFlag bits of a short ASCII word
  TokKind kind = TokKind::End;
  char ch = 0;                // Punct: the mark, Unicode dashes/quotes folded to ASCII
  std::uint8_t digits = 0;    // Alnum: ASCII digits (saturating)
  std::uint8_t digit_run = 0; // Alnum: longest run of ASCII digits (saturating)
  bool other = false;         // Alnum: holds a letter or a non-ASCII byte
  bool non_ascii = false;     // Alnum: holds a non-ASCII byte
  bool upper = false;         // Alnum: ASCII letters only, all upper case
  std::int8_t value = -1;     // digit of a digit word, count of a multiplier
  bool in_email = false;      // part of an address found by the first pass
  std::uint32_t size() const { return end - begin; }
};

enum ByteClass : std::uint8_t { k_other, k_space, k_newline, k_digit_byte, k_letter, k_high };

constexpr std::array<ByteClass, 256> k_byte_class = [] {
  std::array<ByteClass, 256> table{};
  for (int c = 0; c < 256; ++c) {
    ByteClass cls = k_other;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      cls = k_space;
    } else if (c == '\n') {
      cls = k_newline;
    } else if (c >= '0' && c <= '9') {
      cls = k_digit_byte;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      cls = k_letter;
    } else if (c >= 0x80) {
      cls = k_high;
    }
    table[static_cast<std::size_t>(c)] = cls;
  }
  return table;
}();

// A Unicode character that acts as ASCII: its length and ASCII stand-in
// (' ' for spaces), or length 0.
struct Special {
  std::uint8_t length = 0;
  char ch = 0;
};

Special special_at(const unsigned char* p, std::size_t left) {
  if (left >= 2 && p[0] == 0xC2) {
    if (p[1] == 0xA0) {
      return {2, ' '}; // no-break space
    }
    if (p[1] == 0xA3) {
      return {2, '$'}; // pound sign
    }
    return {};
  }
  if (left >= 3 && p[0] == 0xE2) {
    if (p[1] == 0x80) {
      if ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF) {
        return {3, ' '}; // en/em/thin/narrow spaces
      }
      if (p[2] >= 0x90 && p[2] <= 0x95) {
        return {3, '-'}; // hyphens and dashes
      }
      if (p[2] == 0x98 || p[2] == 0x99) {
        return {3, '\''};
      }
      if (p[2] == 0x9C || p[2] == 0x9D) {
        return {3, '"'};
      }
      return {};
    }
    if (p[1] == 0x81 && p[2] == 0x9F) {
      return {3, ' '};
    }
    if (p[1] == 0x82 && p[2] == 0xAC) {
      return {3, '$'}; // euro sign
    }
    if (p[1] == 0x88 && p[2] == 0x92) {
      return {3, '-'}; // minus sign
    }
    return {};
  }
  if (left >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
    return {3, ' '}; // ideographic space
  }
  if (left >= 3 && p[0] == 0xEF && p[1] == 0xBC && p[2] == 0xA0) {
    return {3, '@'}; // fullwidth commercial at
  }
  return {};
}

std::uint8_t saturate(std::uint32_t n) {
  return static_cast<std::uint8_t>(std::min<std::uint32_t>(n, 255));
}

// Cuts `text` into tokens; `marks` gets the index of every "@" and "at".
void lex(std::string_view text, std::vector<Token>& out, std::vector<std::uint32_t>& marks) {
  const WordLookup& words = word_lookup();
  marks.clear();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  out.clear();
  std::size_t i = 0;
  while (i < n) {
    Token& t = out.emplace_back(); // filled in place: no copy of a stack token
    t.begin = static_cast<std::uint32_t>(i);
    const ByteClass cls = k_byte_class[s[i]];
    const Special first = cls == k_high ? special_at(s + i, n - i) : Special{};
    if (cls == k_space || cls == k_newline || first.ch == ' ') {
      bool newline = false;
      while (i < n) {
        const ByteClass c = k_byte_class[s[i]];
        if (c == k_space || c == k_newline) {
          newline = newline || c == k_newline;
          ++i;
        } else if (c == k_high) {
          const Special sp = special_at(s + i, n - i);
          if (sp.ch != ' ') {
            break;
          }
          i += sp.length;
        } else {
          break;
        }
      }
      t.kind = newline ? TokKind::Newline : TokKind::Space;
    } else if (first.length != 0) {
      t.kind = TokKind::Punct;
      t.ch = first.ch;
      i += first.length;
      if (t.ch == '@') {
        marks.push_back(static_cast<std::uint32_t>(out.size() - 1));
      }
    } else if (cls == k_other) {
      t.kind = TokKind::Punct;
      t.ch = static_cast<char>(s[i]);
      ++i;
      if (t.ch == '@') {
        marks.push_back(static_cast<std::uint32_t>(out.size() - 1));
      } else if (t.ch == '[') {
        for (const std::string_view placeholder : k_placeholders) {
          if (text.substr(t.begin, placeholder.size()) == placeholder) {
            t.kind = TokKind::Placeholder;
            i = t.begin + placeholder.size();
            break;
          }
        }
      }
    } else {
      t.kind = TokKind::Alnum;
      WordLookup::Key key;
      std::uint32_t digits = 0;
      std::uint32_t run = 0;
      std::uint32_t longest = 0;
      bool lower_seen = false;
      for (std::size_t length = 0; i < n; ++i, ++length) {
        const unsigned char b = s[i];
        const ByteClass c = k_byte_class[b];
        if (c == k_letter) {
          t.other = true;
          lower_seen = lower_seen || b >= 'a';
          run = 0;
          if (length < 16) {
            WordLookup::pack(key, length, b | 0x20);
          }
        } else if (c == k_digit_byte) {
          ++digits;
          longest = std::max(longest, ++run);
        } else if (c == k_high && special_at(s + i, n - i).length == 0) {
          t.other = true;
          t.non_ascii = true;
          run = 0;
        } else {
          break;
        }
      }
      t.digits = saturate(digits);
      t.digit_run = saturate(longest);
      t.upper = digits == 0 && !t.non_ascii && !lower_seen;
      key.length = static_cast<std::uint32_t>(i - t.begin);
      if (digits == 0 && !t.non_ascii && key.length <= k_max_word) {
        const WordLookup::Slot& slot = words.find(key);
        t.flags = slot.flags;
        t.value = slot.value;
        if ((t.flags & k_at_word) != 0) {
          marks.push_back(static_cast<std::uint32_t>(out.size() - 1));
        }
      }
    }
    t.end = static_cast<std::uint32_t>(i);
  }
  Token end;
  end.begin = end.end = static_cast<std::uint32_t>(n);
  out.push_back(end); // sentinel: look-ahead never runs off the end
}

bool luhn(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      d -= d > 9 ? 9 : 0;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool is_year(int value) {
  return value >= 1900 && value <= 2099;
}

// ------------------------------------------------------------------ runs

// Separator between two items of a number run.
enum SepFlag : std::uint16_t {
  k_sep_space = 1u << 0,
  k_sep_comma = 1u << 1,
  k_sep_dot = 1u << 2,
  k_sep_dash = 1u << 3,
  k_sep_slash = 1u << 4,
  k_sep_open = 1u << 5,  // "(" right before the next item
  k_sep_close = 1u << 6, // ")" right after the previous item
  k_sep_plus = 1u << 7,  // "+" right before the next item
};

struct Sep {
  std::uint16_t flags = 0;
  std::uint32_t next = 0; // first token of the next item

  bool has(std::uint16_t f) const { return (flags & f) != 0; }
  // ", " and ". ": a list or a new sentence, not one number
  bool weak() const { return has(k_sep_space) && has(k_sep_comma | k_sep_dot); }
  bool thousands() const { return flags == k_sep_comma; }
  bool glue(std::uint16_t mark) const { return flags == mark; }
  bool bracket() const { return has(k_sep_open | k_sep_close | k_sep_plus); }
  // Where a generic digit run ends (a phone, card or SSN may still cross it).
  bool splits_run() const { return weak() || thousands() || bracket(); }
};

enum class ItemKind : std::uint8_t { Digits, Spoken, Weak, Code };

// One item of a number run (a digit block, a spoken digit, "double five"), or a
// piece of an account code.
struct Group {
  std::uint32_t first = 0; // tokens
  std::uint32_t last = 0;
  std::uint32_t lead = 0; // the "(" or "+" before `first`, else `first`
  std::uint32_t digit_begin = 0;
  std::uint32_t digit_count = 0;
  std::uint32_t chars = 0; // code pieces: characters counted toward the code length
  Sep sep;                 // before this item (none for the first)
  ItemKind kind = ItemKind::Digits;
  bool paren = false;
  bool plus = false;
};

struct EmailSpan {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
};

bool is_glue_char(char c) {
  return c == '-' || c == '.' || c == '/' || c == '_' || c == '+';
}

} // namespace

// ------------------------------------------------------------------ redactor

struct Redactor::State {
  std::vector<Token> m_tokens;
  std::vector<EmailSpan> m_emails;
  std::vector<std::uint32_t> m_marks; // tokens that are "@" or "at"
  std::vector<Group> m_groups;
  std::string m_digits; // digits of the current run, groups point into it
  std::string_view m_text;
  std::string* m_out = nullptr;
  RedactionStats* m_stats = nullptr;
  std::uint32_t m_copied = 0;
  int m_ssn_window = 0; // tokens left in which a number is read as an SSN

  void run(std::string_view text, std::string& out, RedactionStats* stats) {
    m_text = text;
    m_out = &out;
    m_stats = stats;
    m_copied = 0;
    m_ssn_window = 0;
    lex(text, m_tokens, m_marks);
    find_emails();
    scan();
    out.append(text.substr(m_copied));
  }

  // ---------------------------------------------------------------- helpers

  bool is_punct(std::uint32_t i, char c) const {
    const Token& t = m_tokens[i];
    return t.kind == TokKind::Punct && t.ch == c;
  }
  bool is_space(std::uint32_t i) const { return m_tokens[i].kind == TokKind::Space; }
  // A free token of ASCII digits only.
  bool is_digit_token(std::uint32_t i) const {
    const Token& t = m_tokens[i];
    return t.kind == TokKind::Alnum && !t.other && !t.in_email;
  }
  // Word flags of a free token (0 for anything else).
  std::uint32_t word(std::uint32_t i) const {
    const Token& t = m_tokens[i];
    return t.kind == TokKind::Alnum && !t.in_email ? t.flags : 0;
  }
  // An ASCII letter/digit run not yet claimed by an address.
  bool is_atom(std::uint32_t i) const {
    const Token& t = m_tokens[i];
    return t.kind == TokKind::Alnum && !t.non_ascii && !t.in_email;
  }
  // What glues a digit run into a code: letters, digits or a placeholder.
  bool glueable(std::uint32_t i) const {
    const TokKind kind = m_tokens[i].kind;
    return kind == TokKind::Alnum || kind == TokKind::Placeholder;
  }

  void emit(std::uint32_t begin, std::uint32_t end, PiiKind kind) {
    assert(begin >= m_copied && end >= begin); // spans come in text order
    m_out->append(m_text.substr(m_copied, begin - m_copied));
    m_out->append(k_placeholders[static_cast<std::size_t>(kind)]);
    m_copied = end;
    if (m_stats != nullptr) {
      ++m_stats->counts[static_cast<std::size_t>(kind)];
    }
    m_ssn_window = 0;
  }
  void emit_tokens(std::uint32_t first, std::uint32_t last, PiiKind kind) {
    emit(m_tokens[first].begin, m_tokens[last].end, kind);
  }

  // ---------------------------------------------------------------- e-mail

  // Marks addresses around every "@" and spoken "at"; each look-around is bounded.
  void find_emails() {
    m_emails.clear();
    const auto count = static_cast<std::uint32_t>(m_tokens.size() - 1);
    std::uint32_t floor = 0; // an address may not reuse tokens of the previous one
    for (const std::uint32_t k : m_marks) {
      if (k < floor || k == 0 || k + 1 >= count) {
        continue;
      }
      const Token& t = m_tokens[k];
      const bool written = t.kind == TokKind::Punct;
      const bool space_before = is_space(k - 1);
      const bool space_after = is_space(k + 1);
      if (!written && !(space_before && space_after)) {
        continue;
      }
      const bool loose = !written || space_before || space_after; // needs a real TLD
      const std::uint32_t local_end = space_before ? k - 1 : k;
      if (local_end == 0 || local_end - 1 < floor || !is_atom(local_end - 1)) {
        continue;
      }
      std::uint32_t start = local_end - 1;
      int atoms = 1;
      while (atoms < k_max_local_atoms) {
        if (start >= floor + 2 && is_atom(start - 2) &&
            m_tokens[start - 1].kind == TokKind::Punct &&
            std::string_view("._-+%").find(m_tokens[start - 1].ch) != std::string_view::npos) {
          start -= 2; // "john.smith", "jane_d", "john+promo"
        } else if (!written && start >= floor + 4 && is_space(start - 1) &&
                   (word(start - 2) & k_local_joiner) != 0 && is_space(start - 3) &&
                   is_atom(start - 4)) {
          start -= 4; // "john dot smith"
        } else if (!written && start >= floor + 2 && m_tokens[start].size() == 1 &&
                   is_space(start - 1) && is_atom(start - 2) && m_tokens[start - 2].size() == 1) {
          start -= 2; // spelled out: "j o h n"
        } else {
          break;
        }
        ++atoms;
      }
      const std::uint32_t domain = space_after ? k + 2 : k + 1;
      if (!is_atom(domain)) {
        continue;
      }
      std::uint32_t end = domain;
      std::uint32_t tld_end = 0;
      for (int step = 0; step < k_max_domain_steps; ++step) {
        std::uint32_t label = 0;
        if (is_punct(end + 1, '-') && is_atom(end + 2)) {
          end += 2; // "my-shop": the same label
          continue;
        }
        if (is_punct(end + 1, '.') && is_atom(end + 2)) {
          label = end + 2;
        } else if (is_space(end + 1) && (word(end + 2) & k_dot_word) != 0 && is_space(end + 3) &&
                   is_atom(end + 4)) {
          label = end + 4;
        } else {
          break;
        }
        end = label;
        const Token& l = m_tokens[label];
        const bool tld =
            (l.flags & k_tld) != 0 || (!loose && l.digits == 0 && l.size() >= 2 && l.size() <= 24);
        if (tld) {
          tld_end = label;
        }
      }
      std::uint32_t last = 0;
      if (tld_end != 0) {
        last = tld_end;
      } else if (!loose || (word(domain) & k_provider) != 0) {
        last = domain; // "john@localhost", "jsmith at gmail"
      } else {
        continue;
      }
      if (loose && atoms == 1 && (word(start) & k_local_stop) != 0) {
        continue; // "find us at acme dot com" names a website
      }
      for (std::uint32_t i = start; i <= last; ++i) {
        m_tokens[i].in_email = true;
      }
      m_emails.push_back({start, last});
      floor = last + 1;
    }
  }

  // ---------------------------------------------------------------- runs

  // The separator after token `last` when an item may follow it: up to four
  // tokens of spaces and at most one of , - . / plus "(" ")" "+" in place.
  bool scan_sep(std::uint32_t last, Sep& sep) const {
    sep = Sep{};
    std::uint32_t j = last + 1;
    int marks = 0;
    for (int count = 0; count < 4; ++count, ++j) {
      const Token& t = m_tokens[j];
      if (t.in_email) {
        break;
      }
      if (t.kind == TokKind::Space) {
        if ((sep.flags & (k_sep_open | k_sep_plus)) != 0) {
          return false; // "(" and "+" must touch the next item
        }
        sep.flags |= k_sep_space;
        continue;
      }
      if (t.kind != TokKind::Punct) {
        break;
      }
      std::uint16_t flag = 0;
      switch (t.ch) {
      case ',':
        flag = k_sep_comma;
        break;
      case '.':
        flag = k_sep_dot;
        break;
      case '-':
        flag = k_sep_dash;
        break;
      case '/':
        flag = k_sep_slash;
        break;
      case '(':
        flag = k_sep_open;
        break;
      case ')':
        flag = k_sep_close;
        break;
      case '+':
        flag = k_sep_plus;
        break;
      default:
        break;
      }
      if (flag == 0 || (sep.flags & flag) != 0) {
        break;
      }
      if (flag == k_sep_close && j != last + 1) {
        return false; // ")" must touch the previous item
      }
      if ((sep.flags & (k_sep_open | k_sep_plus)) != 0) {
        return false; // "(" and "+" must touch the next item
      }
      if (flag != k_sep_open && flag != k_sep_close && flag != k_sep_plus && ++marks > 1) {
        return false;
      }
      sep.flags |= flag;
    }
    if (j == last + 1) {
      return false;
    }
    sep.next = j;
    return true;
  }

  // Parses one item at token `i`, appending its digits to m_digits.
  bool parse_item(std::uint32_t i, const Group* prev, Group& item) {
    const Token& t = m_tokens[i];
    if (t.kind != TokKind::Alnum || t.in_email) {
      return false;
    }
    item.first = item.last = item.lead = i;
    item.digit_begin = static_cast<std::uint32_t>(m_digits.size());
    if (!t.other) {
      m_digits.append(m_text.substr(t.begin, t.size()));
      item.kind = ItemKind::Digits;
    } else if ((t.flags & k_digit_word) != 0) {
      m_digits.push_back(static_cast<char>('0' + t.value));
      item.kind = (t.flags & k_weak_digit) != 0 ? ItemKind::Weak : ItemKind::Spoken;
    } else if ((t.flags & k_multiplier) != 0) {
      std::uint32_t j = i + 1;
      if (is_space(j) || is_punct(j, '-')) {
        ++j; // "double five", "double-oh"
      }
      char digit = 0;
      if ((word(j) & k_digit_word) != 0) {
        digit = static_cast<char>('0' + m_tokens[j].value);
      } else if (is_digit_token(j) && m_tokens[j].size() == 1) {
        digit = m_text[m_tokens[j].begin];
      } else {
        return false;
      }
      m_digits.append(static_cast<std::size_t>(t.value), digit);
      item.last = j;
      item.kind = ItemKind::Spoken;
    } else if ((t.flags & k_hundred) != 0 && prev != nullptr && prev->kind == ItemKind::Spoken &&
               prev->digit_count == 1) {
      m_digits.append("00"); // "one eight hundred ..."
      item.kind = ItemKind::Spoken;
    } else {
      return false;
    }
    item.digit_count = static_cast<std::uint32_t>(m_digits.size()) - item.digit_begin;
    item.chars = item.digit_count;
    return true;
  }

  // Whether another item follows token `last` without a comma or period between.
  bool continues(std::uint32_t last) {
    Sep sep;
    if (!scan_sep(last, sep) || sep.has(k_sep_comma | k_sep_dot)) {
      return false;
    }
    Group item;
    const std::size_t mark = m_digits.size();
    const bool found = parse_item(sep.next, nullptr, item);
    m_digits.resize(mark);
    return found;
  }

  // Collects the number run starting at token `start` ("(" or "+" may lead).
  bool gather_run(std::uint32_t start) {
    m_groups.clear();
    m_digits.clear();
    const bool paren = is_punct(start, '(');
    const bool plus = is_punct(start, '+');
    Group first;
    if (!parse_item(paren || plus ? start + 1 : start, nullptr, first)) {
      return false;
    }
    first.lead = start;
    first.paren = paren;
    first.plus = plus;
    m_groups.push_back(first);
    Sep sep;
    while (scan_sep(m_groups.back().last, sep)) {
      Group next;
      const std::size_t mark = m_digits.size();
      if (!parse_item(sep.next, &m_groups.back(), next) ||
          (sep.weak() &&
           (next.kind == ItemKind::Digits) != (m_groups.back().kind == ItemKind::Digits)) ||
          (sep.weak() && next.kind == ItemKind::Weak && !continues(next.last))) {
        // "1234567, five five five five" are two numbers; in "... zero five.
        // Oh, I see" the "oh" is an exclamation
        m_digits.resize(mark);
        break;
      }
      next.sep = sep;
      next.paren = sep.has(k_sep_open);
      next.plus = sep.has(k_sep_plus);
      next.lead = next.paren || next.plus ? sep.next - 1 : sep.next;
      m_groups.push_back(next);
    }
    return true;
  }

  std::uint32_t nd(std::size_t g) const { return m_groups[g].digit_count; }
  char digit0(std::size_t g) const { return m_digits[m_groups[g].digit_begin]; }
  int value(std::size_t g) const { // of a group of at most 4 digits
    int v = 0;
    for (std::uint32_t i = 0; i < nd(g); ++i) {
      v = v * 10 + (m_digits[m_groups[g].digit_begin + i] - '0');
    }
    return v;
  }
  bool lengths(std::size_t i, std::initializer_list<std::uint32_t> want) const {
    if (i + want.size() > m_groups.size()) {
      return false;
    }
    for (const std::uint32_t n : want) {
      if (nd(i++) != n) {
        return false;
      }
    }
    return true;
  }
  // Separators before groups i+1..j are all fine for a phone or SSN.
  bool seps_ok(std::size_t i, std::size_t j, bool allow_weak) const {
    for (std::size_t g = i + 1; g <= j; ++g) {
      const Sep& sep = m_groups[g].sep;
      if (sep.has(k_sep_plus) || (!allow_weak && sep.weak())) {
        return false;
      }
    }
    return true;
  }

  bool match_card(std::size_t i, std::size_t& j) const {
    if (m_groups[i].plus) {
      return false;
    }
    // Luhn sums of every prefix in one pass: plain[p] and twice[p] add the
    // digits at even/odd positions, plain or doubled; which ones are doubled
    // depends on the parity of the prefix length.
    std::array<int, 2> plain{};
    std::array<int, 2> twice{};
    const char* digits = m_digits.data() + m_groups[i].digit_begin;
    std::uint32_t total = 0;
    bool found = false;
    for (std::size_t g = i; g < m_groups.size(); ++g) {
      if (g > i && m_groups[g].sep.bracket()) {
        break;
      }
      if (total + nd(g) > 19) {
        break;
      }
      for (const std::uint32_t end = total + nd(g); total < end; ++total) {
        const int d = digits[total] - '0';
        plain[total & 1] += d;
        twice[total & 1] += d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      const std::uint32_t last = (total - 1) & 1; // the check digit's parity is never doubled
      if (total >= 13 && (plain[last] + twice[last ^ 1]) % 10 == 0) {
        j = g; // the longest valid prefix
        found = true;
      }
    }
    return found;
  }

  bool match_ssn(std::size_t i, bool context, std::size_t& j) const {
    if (m_groups[i].plus || m_groups[i].paren) {
      return false;
    }
    if (lengths(i, {3, 2, 4}) && seps_ok(i, i + 2, true) && !m_groups[i + 1].sep.bracket() &&
        !m_groups[i + 2].sep.bracket()) {
      const int area = value(i);
      const bool valid =
          area != 0 && area != 666 && area < 900 && value(i + 1) != 0 && value(i + 2) != 0;
      if (valid || context) {
        j = i + 2;
        return true;
      }
    }
    // "social security number is 123456789", "last four of my social is 6789".
    // The 4-digit block must stand alone, judged by its own neighbours only.
    if (context && (nd(i) == 9 || (i == 0 && nd(i) == 4 && !glued_left(m_groups[i].first) &&
                                   !glued_right(m_groups[i].last)))) {
      j = i;
      return true;
    }
    return false;
  }

  bool match_phone(std::size_t i, std::size_t& j) const {
    const std::size_t n = m_groups.size();
    const bool one = nd(i) == 1 && digit0(i) == '1';
    if (m_groups[i].plus) {
      if (one && lengths(i + 1, {3, 3, 4}) && seps_ok(i, i + 3, true)) {
        j = i + 3;
        return true;
      }
      std::uint32_t total = 0;
      std::uint32_t best = 0;
      for (std::size_t g = i; g < n; ++g) {
        if (g > i && !seps_ok(g - 1, g, false)) {
          break;
        }
        total += nd(g);
        if (total > 15) {
          break;
        }
        best = total;
        j = g;
      }
      return best >= 7;
    }
    if (digit0(i) == '0' && nd(i) >= 2 && nd(i) <= 5) {
      // national numbers with a trunk 0: "020 7946 0958"
      std::uint32_t total = 0;
      for (std::size_t g = i; g < n && g < i + 4; ++g) {
        if ((g > i && !seps_ok(g - 1, g, false)) || nd(g) < 2 || nd(g) > 5) {
          break;
        }
        total += nd(g);
        if (total >= 10) {
          if (total <= 11 && g > i) {
            j = g;
            return true;
          }
          break;
        }
      }
    }
    if (one && lengths(i + 1, {3, 3, 4}) && seps_ok(i, i + 3, true)) {
      j = i + 3;
      return true;
    }
    if (lengths(i, {3, 3, 4}) && seps_ok(i, i + 2, true)) {
      j = i + 2;
      return true;
    }
    if (nd(i) == 10 || (nd(i) == 11 && (digit0(i) == '1' || digit0(i) == '0'))) {
      j = i;
      return true;
    }
    if ((one && lengths(i + 1, {10})) || lengths(i, {3, 7}) || lengths(i, {3, 4})) {
      if (seps_ok(i, i + 1, false)) {
        j = i + 1;
        return true;
      }
    }
    return false;
  }

  // Dates, month-year, year ranges: numbers that are not personal.
  bool match_date(std::size_t i, std::size_t& j) const {
    const std::size_t n = m_groups.size();
    if (i + 1 >= n || m_groups[i].plus || m_groups[i].paren) {
      return false;
    }
    const Sep& s1 = m_groups[i + 1].sep;
    const std::uint32_t a = nd(i);
    const std::uint32_t b = nd(i + 1);
    const bool glue1 = s1.glue(k_sep_slash) || s1.glue(k_sep_dash) || s1.glue(k_sep_dot);
    if (glue1 && i + 2 < n && m_groups[i + 2].sep.flags == s1.flags) {
      const std::uint32_t c = nd(i + 2);
      if (a <= 2 && b <= 2 && (c == 2 || c == 4)) {
        const int x = value(i);
        const int y = value(i + 1);
        if (x >= 1 && y >= 1 && x <= 31 && y <= 31 && (x <= 12 || y <= 12)) {
          j = i + 2; // 10/05/2026, 5.10.26
          return true;
        }
      }
      if (a == 4 && b <= 2 && c <= 2 && is_year(value(i)) && value(i + 1) >= 1 &&
          value(i + 1) <= 12 && value(i + 2) >= 1 && value(i + 2) <= 31) {
        j = i + 2; // 2026-10-05
        return true;
      }
    }
    const bool month_year = s1.glue(k_sep_slash) || s1.glue(k_sep_dash);
    if (month_year &&
        ((a == 4 && b <= 2 && is_year(value(i)) && value(i + 1) >= 1 && value(i + 1) <= 12) ||
         (a <= 2 && b == 4 && is_year(value(i + 1)) && value(i) >= 1 && value(i) <= 12))) {
      j = i + 1; // 2026-10, 10/2026
      return true;
    }
    if (s1.glue(k_sep_slash) && a <= 2 && b <= 2) {
      j = i + 1; // 10/05
      return true;
    }
    if (a == 4 && b == 4 && !s1.splits_run() && is_year(value(i)) && is_year(value(i + 1))) {
      j = i + 1; // 2019-2020
      return true;
    }
    return false;
  }

  // 1,250,000 and 1,250.00; 1234.56.
  bool match_quantity(std::size_t i, std::size_t& j) const {
    const std::size_t n = m_groups.size();
    std::size_t g = i;
    if (nd(i) <= 3) {
      while (g + 1 < n && m_groups[g + 1].sep.thousands() && nd(g + 1) == 3) {
        ++g;
      }
    }
    if (g + 1 < n && m_groups[g + 1].sep.glue(k_sep_dot) && nd(g + 1) <= 2 &&
        (g > i || nd(i) <= 7)) {
      ++g;
    }
    if (g == i) {
      return false;
    }
    j = g;
    return true;
  }

  // "$129", "49 dollars", "15 %": a price or share, kept whole.
  bool is_price() const {
    const Group& front = m_groups.front();
    if (front.paren || front.plus) {
      return false;
    }
    std::uint32_t before = front.first;
    if (before > 0 && is_space(before - 1)) {
      --before;
    }
    bool price = before > 0 && is_punct(before - 1, '$');
    std::uint32_t after = m_groups.back().last + 1;
    if (is_space(after)) {
      ++after;
    }
    price = price || (is_punct(after, '%') && !m_tokens[after].in_email) ||
            (word(after) & k_currency) != 0;
    if (!price) {
      return false;
    }
    std::size_t j = 0;
    return (m_groups.size() == 1 && nd(0) <= 7) ||
           (match_quantity(0, j) && j + 1 == m_groups.size());
  }

  // Whether the digits starting at token `first` touch letters, digits or a
  // placeholder, directly or through one of - . / _ + ("XR-2000", "ZIP+4").
  // A neighbour that is redacted stays glueable (it becomes a placeholder), so
  // the answer is the same on redacted text: that keeps redaction idempotent.
  bool glued_left(std::uint32_t first) const {
    if (first == 0) {
      return false;
    }
    const Token& before = m_tokens[first - 1];
    return glueable(first - 1) || (before.kind == TokKind::Punct && is_glue_char(before.ch) &&
                                   first > 1 && glueable(first - 2));
  }
  bool glued_right(std::uint32_t last) const {
    const Token& after = m_tokens[last + 1];
    return glueable(last + 1) ||
           (after.kind == TokKind::Punct && is_glue_char(after.ch) && glueable(last + 2));
  }

  // Whether a generic number ends before group `g`: at ", " and ". " (a list,
  // a new sentence) unless both sides are single digits ("5 5 5, 0 1 0, 1 2 3 4"
  // is dictated), and at brackets and thousands commas.
  bool splits_leftover(std::size_t g) const {
    const Sep& sep = m_groups[g].sep;
    if (sep.weak() && !sep.bracket() && nd(g - 1) == 1 && nd(g) == 1) {
      return false;
    }
    return sep.splits_run();
  }

  // Leftover digit groups a..b of the run: a generic long number or kept.
  void flush_leftover(std::size_t a, std::size_t b) {
    std::size_t p = a;
    while (p <= b) {
      std::size_t q = p;
      while (q < b && !splits_leftover(q + 1)) {
        ++q;
      }
      std::uint32_t total = 0;
      std::uint32_t longest = 0;
      for (std::size_t g = p; g <= q; ++g) {
        total += nd(g);
        longest = std::max(longest, nd(g));
      }
      const std::uint32_t first = m_groups[p].first;
      const std::uint32_t last = m_groups[q].last;
      // A run glued to letters is a model or part number unless it is long.
      const bool glued = glued_left(first) || glued_right(last);
      if (glued ? (longest >= 6 || total >= 8) : total >= 6) {
        // digit by digit, "5 5 5 0 1 0 1 2 3 4" is dictated like a spoken phone
        const bool phone = !glued && (total == 10 || (total == 11 && digit0(p) == '1'));
        emit_tokens(first, last, phone ? PiiKind::Phone : PiiKind::Number);
      }
      p = q + 1;
    }
  }

  // "ext. 12", "x12", "extension four two" after token `last`: the extension's
  // last token, or 0.
  std::uint32_t parse_ext(std::uint32_t last) const {
    std::uint32_t p = last + 1;
    if (is_punct(p, ',')) {
      ++p;
    }
    if (is_space(p)) {
      ++p;
    }
    const Token& t = m_tokens[p];
    if (t.kind != TokKind::Alnum || t.in_email) {
      return 0;
    }
    if ((t.flags & k_ext_word) != 0) {
      ++p;
      if (is_punct(p, '.')) {
        ++p;
      }
      if (is_space(p)) {
        ++p;
      }
      if (is_punct(p, '#') || is_punct(p, ':')) {
        ++p;
        if (is_space(p)) {
          ++p;
        }
      }
      if (is_digit_token(p) && m_tokens[p].size() <= 6) {
        return p;
      }
      if ((word(p) & k_digit_word) == 0) {
        return 0;
      }
      std::uint32_t q = p;
      for (int count = 1; count < 6; ++count) {
        std::uint32_t next = q + 1;
        if (is_space(next) || is_punct(next, '-')) {
          ++next;
        }
        if ((word(next) & k_digit_word) == 0) {
          break;
        }
        q = next;
      }
      return q;
    }
    // "x12", "ext12"
    const std::string_view text = m_text.substr(t.begin, t.size());
    std::size_t letters = 0;
    if (!t.non_ascii && (text[0] | 0x20) == 'x') {
      letters = 1;
    } else if (!t.non_ascii && text.size() > 3 && (text[0] | 0x20) == 'e' &&
               (text[1] | 0x20) == 'x' && (text[2] | 0x20) == 't') {
      letters = 3;
    }
    const std::size_t digits = text.size() - letters;
    if (letters == 0 || digits == 0 || digits > 6 || t.digits != digits) {
      return 0;
    }
    return p;
  }

  // Classifies the gathered run; returns the token after it.
  std::uint32_t process_run() {
    const bool ssn = m_ssn_window > 0;
    m_ssn_window = 0;
    bool spoken = false;
    bool strong = false;
    for (const Group& g : m_groups) {
      spoken = spoken || g.kind != ItemKind::Digits;
      strong = strong || g.kind != ItemKind::Weak;
    }
    const std::uint32_t end = m_groups.back().last + 1;
    if (!strong) {
      return end; // "oh oh oh": an exclamation
    }
    if (spoken) {
      return classify_spoken(ssn);
    }
    if (is_price()) {
      return end;
    }
    const std::size_t n = m_groups.size();
    std::uint32_t next = end;
    std::size_t leftover = n; // first group of the pending leftover, n when none
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i;
      PiiKind kind = PiiKind::Number;
      bool keep = false;
      if (match_date(i, j)) {
        keep = true;
      } else if (match_card(i, j)) {
        kind = PiiKind::Card;
      } else if (match_ssn(i, ssn, j)) {
        kind = PiiKind::Ssn;
      } else if (match_phone(i, j)) {
        kind = PiiKind::Phone;
      } else if (match_quantity(i, j)) {
        keep = true;
      } else {
        leftover = std::min(leftover, i);
        ++i;
        continue;
      }
      if (leftover < n) {
        flush_leftover(leftover, i - 1);
        leftover = n;
      }
      if (!keep) {
        std::uint32_t last = m_groups[j].last;
        if (kind == PiiKind::Phone && j + 1 == n) {
          if (const std::uint32_t ext = parse_ext(last); ext != 0) {
            last = ext;
            next = ext + 1;
          }
        }
        emit_tokens(m_groups[i].lead, last, kind);
      }
      i = j + 1;
    }
    if (leftover < n) {
      flush_leftover(leftover, n - 1);
    }
    return next;
  }

  std::uint32_t classify_spoken(bool ssn) {
    const std::size_t count = m_digits.size();
    std::uint32_t last = m_groups.back().last;
    PiiKind kind = PiiKind::Number;
    if (ssn && (count == 9 || count == 4)) {
      kind = PiiKind::Ssn;
    } else if (count >= 13 && count <= 19 && luhn(m_digits)) {
      kind = PiiKind::Card;
    } else if (count == 10 || count == 11) {
      kind = PiiKind::Phone;
    } else if (count < 4) {
      return last + 1;
    }
    if (kind == PiiKind::Phone || (kind == PiiKind::Number && count >= 7)) {
      if (const std::uint32_t ext = parse_ext(last); ext != 0) {
        last = ext;
        kind = PiiKind::Phone;
      }
    }
    emit_tokens(m_groups.front().lead, last, kind);
    return last + 1;
  }

  // ---------------------------------------------------------------- accounts

  // A code piece at token `i`: a digit item, a mixed letter-digit token, a
  // single letter or a short upper-case block ("AB").
  bool parse_piece(std::uint32_t i, const Group* prev, Group& piece) {
    if (parse_item(i, prev, piece)) {
      return true;
    }
    const Token& t = m_tokens[i];
    if (t.kind != TokKind::Alnum || t.in_email || t.non_ascii) {
      return false;
    }
    if (t.digits == 0 && t.size() != 1 && !(t.upper && t.size() <= 4)) {
      return false;
    }
    piece = Group{};
    piece.first = piece.last = piece.lead = i;
    piece.kind = ItemKind::Code;
    piece.digit_count = t.digits;
    piece.chars = t.size();
    return true;
  }

  // After an account keyword at `k`: links, then a code. On success emits it
  // and sets `next` to the token after it.
  bool try_account(std::uint32_t k, std::uint32_t& next) {
    std::uint32_t p = k + 1;
    int words = 0;
    int marks = 0;
    bool strong = false;
    for (;; ++p) {
      const Token& t = m_tokens[p];
      if (t.in_email) {
        return false;
      }
      if (t.kind == TokKind::Space || t.kind == TokKind::Punct) {
        if (t.kind == TokKind::Punct &&
            std::string_view("#:.,-'\"").find(t.ch) == std::string_view::npos) {
          return false;
        }
        strong = strong || t.ch == '#' || t.ch == ':';
        if (++marks > k_max_link_marks) {
          return false;
        }
        continue;
      }
      if (t.kind != TokKind::Alnum || (t.flags & k_link) == 0) {
        break;
      }
      strong = strong || (t.flags & k_strong_link) != 0;
      if (++words > k_max_link_words) {
        return false;
      }
    }
    m_groups.clear();
    m_digits.clear();
    Group piece;
    if (!parse_piece(p, nullptr, piece)) {
      return false;
    }
    m_groups.push_back(piece);
    Sep sep;
    while (static_cast<int>(m_groups.size()) < k_max_code_pieces &&
           scan_sep(m_groups.back().last, sep) && !sep.bracket()) {
      const std::size_t mark = m_digits.size();
      if (!parse_piece(sep.next, &m_groups.back(), piece)) {
        m_digits.resize(mark);
        break;
      }
      const auto spoken = [](const Group& g) {
        return g.kind == ItemKind::Spoken || g.kind == ItemKind::Weak;
      };
      if (sep.weak() && !(spoken(m_groups.back()) && spoken(piece))) {
        m_digits.resize(mark);
        break; // "12345, 2 of them": a comma ends a written code
      }
      piece.sep = sep;
      m_groups.push_back(piece);
    }
    while (!m_groups.empty() && m_groups.back().kind == ItemKind::Code &&
           m_groups.back().digit_count == 0) {
      m_groups.pop_back(); // trailing letters: "55812 I think"
    }
    std::uint32_t chars = 0;
    std::uint32_t digits = 0;
    bool all_digits = true;
    for (const Group& g : m_groups) {
      chars += g.chars;
      digits += g.digit_count;
      all_digits = all_digits && g.kind == ItemKind::Digits;
    }
    if (digits < 2 || chars < 4) {
      return false;
    }
    PiiKind kind = (m_tokens[k].flags & k_card_word) != 0 ? PiiKind::Card : PiiKind::Account;
    if (all_digits) {
      std::size_t j = 0;
      if (is_price() || (match_date(0, j) && j + 1 == m_groups.size()) ||
          (match_quantity(0, j) && j + 1 == m_groups.size()) ||
          (!strong && m_groups.size() == 1 && nd(0) == 4 && is_year(value(0)))) {
        return false; // "order is 1500 dollars", "in any case 2019"
      }
      if (digits >= 13 && digits <= 19 && luhn(m_digits)) {
        kind = PiiKind::Card;
      } else if (m_ssn_window > 0 && (digits == 9 || digits == 4)) {
        kind = PiiKind::Ssn;
      }
    }
    next = m_groups.back().last + 1;
    emit_tokens(m_groups.front().first, m_groups.back().last, kind);
    return true;
  }

  // ---------------------------------------------------------------- main pass

  // "ssn", "social security", "social is/number": the next number is an SSN.
  void note_ssn_context(std::uint32_t k) {
    const std::uint32_t flags = m_tokens[k].flags;
    if ((flags & k_ssn_word) != 0) {
      m_ssn_window = k_ssn_window;
    } else if ((flags & k_social) != 0) {
      const std::uint32_t after = is_space(k + 1) ? k + 2 : k + 1;
      if ((word(after) & (k_security | k_link)) != 0 || is_punct(after, '\'')) {
        m_ssn_window = k_ssn_window;
      }
    }
  }

  bool run_starts(std::uint32_t k) const {
    const Token& t = m_tokens[k];
    if (!t.other) {
      return true;
    }
    if ((t.flags & (k_digit_word | k_multiplier)) == 0) {
      return false;
    }
    if ((t.flags & k_weak_digit) != 0) {
      // "oh, five five ..." is an exclamation before the number
      Sep sep;
      return scan_sep(k, sep) && !sep.has(k_sep_comma | k_sep_dot);
    }
    return true;
  }

  void scan() {
    const auto count = static_cast<std::uint32_t>(m_tokens.size() - 1);
    std::size_t email = 0;
    std::uint32_t k = 0;
    while (k < count) {
      const Token& t = m_tokens[k];
      if (t.in_email) {
        const EmailSpan& span = m_emails[email++];
        emit_tokens(span.first, span.last, PiiKind::Email);
        k = span.last + 1;
        continue;
      }
      switch (t.kind) {
      case TokKind::Space:
        ++k;
        continue;
      case TokKind::Newline:
      case TokKind::Placeholder:
      case TokKind::End:
        m_ssn_window = 0;
        ++k;
        continue;
      case TokKind::Punct:
        // "(555) ...", "+44 ...", but not the "+" of "ZIP+4"
        if ((t.ch == '(' || t.ch == '+') && is_digit_token(k + 1) && (k == 0 || !glueable(k - 1)) &&
            gather_run(k)) {
          k = process_run();
          continue;
        }
        break;
      case TokKind::Alnum: {
        if ((t.flags & (k_account_word | k_card_word)) != 0) {
          std::uint32_t next = 0;
          if (try_account(k, next)) {
            k = next;
            continue;
          }
        }
        if (run_starts(k) && gather_run(k)) {
          k = process_run();
          continue;
        }
        if (t.other && t.digit_run >= 6) {
          emit_tokens(k, k, PiiKind::Number); // "A1234567", "ID5550101234"
          ++k;
          continue;
        }
        if (m_ssn_window > 0) {
          --m_ssn_window;
        }
        note_ssn_context(k);
        ++k;
        continue;
      }
      }
      if (m_ssn_window > 0) {
        --m_ssn_window;
      }
      ++k;
    }
  }
};

// ------------------------------------------------------------------ public API

std::string_view pii_placeholder(PiiKind kind) {
  return k_placeholders[static_cast<std::size_t>(kind)];
}

std::string_view pii_kind_name(PiiKind kind) {
  return k_kind_names[static_cast<std::size_t>(kind)];
}

std::uint64_t RedactionStats::total() const {
  std::uint64_t sum = 0;
  for (const std::uint64_t count : counts) {
    sum += count;
  }
  return sum;
}

RedactionStats& RedactionStats::operator+=(const RedactionStats& other) {
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] += other.counts[i];
  }
  return *this;
}

Redactor::Redactor() : m_state(std::make_unique<State>()) {}
Redactor::~Redactor() = default;
Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;

std::string Redactor::redact(std::string_view text, RedactionStats* stats) {
  std::string out;
  redact_into(text, out, stats);
  return out;
}

void Redactor::redact_into(std::string_view text, std::string& out, RedactionStats* stats) {
  out.reserve(out.size() + text.size());
  while (text.size() > k_chunk_bytes) {
    std::size_t cut = text.rfind('\n', k_chunk_bytes);
    if (cut == std::string_view::npos) {
      cut = text.find('\n', k_chunk_bytes);
    }
    if (cut == std::string_view::npos || cut >= k_max_chunk_bytes) {
      if (text.size() <= k_max_chunk_bytes) {
        break;
      }
      cut = text.rfind(' ', k_max_chunk_bytes);
      if (cut == std::string_view::npos || cut < k_max_chunk_bytes / 2) {
        cut = k_max_chunk_bytes; // no space either: at a UTF-8 character boundary
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
          --cut;
        }
        cut = std::max<std::size_t>(cut, 1) - 1;
      }
    }
    m_state->run(text.substr(0, cut + 1), out, stats);
    text.remove_prefix(cut + 1);
  }
  m_state->run(text, out, stats);
}

std::string redact(std::string_view text, RedactionStats* stats) {
  thread_local Redactor redactor;
  return redactor.redact(text, stats);
}

std::string redact(std::string_view text, RedactionMode mode, RedactionStats* stats) {
  if (mode == RedactionMode::Off) {
    return std::string(text);
  }
  return redact(text, stats);
}

} // namespace callsight
