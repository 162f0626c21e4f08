// Caption transcripts: WebVTT and SRT. Speakers come from WebVTT voice tags
// (<v Name>), "Name:" and "[Name]" prefixes and "- Name:" dialogue lines;
// other tags are stripped, entities decoded, and consecutive cues of one
// speaker merge into one turn.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "callsight/formats.hpp"

#include "formats/registry.hpp"
#include "formats/turn_table.hpp"

namespace callsight::formats {
namespace {

using turn_table::ascii_lower;
using turn_table::is_ascii_digit;

constexpr std::string_view k_webvtt_label = "WebVTT";
constexpr std::string_view k_srt_label = "SRT";
constexpr std::size_t k_max_label_bytes = 40;
constexpr std::size_t k_max_entity_bytes = 10;

// Words of generic speaker labels ("Speaker 1", "spk_0", "S2", "Channel 1").
constexpr std::array<std::string_view, 10> k_generic_words{
    "speaker", "spk", "spkr", "person", "participant", "channel", "voice", "party", "s", "ch"};
// Capitalized words that end with a colon in captions but are not speakers
// (compared in lower case).
constexpr std::array<std::string_view, 20> k_not_names{
    "note",    "notes",   "re",       "ps",     "also",    "yes",    "no",
    "well",    "so",      "okay",     "ok",     "oh",      "and",    "but",
    "example", "warning", "question", "answer", "summary", "subject"};
// First words of bracketed sound descriptions ("[Music]", "[phone rings]").
constexpr std::array<std::string_view, 34> k_sound_words{
    "music",       "laughter", "laughs",     "laughing", "applause", "inaudible", "crosstalk",
    "silence",     "noise",    "background", "phone",    "ringing",  "rings",     "beep",
    "beeping",     "sighs",    "sigh",       "coughs",   "cough",    "pause",     "unintelligible",
    "indistinct",  "chuckles", "chuckling",  "static",   "hold",     "foreign",   "blank_audio",
    "overlapping", "typing",   "dial",       "clears",   "sound",    "no"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Lines at LF, CRLF or a lone CR, numbered from 1.
class LineReader {
public:
  explicit LineReader(std::string_view text) : m_text(text) {}

  bool next(std::string_view& line) {
    if (m_pos >= m_text.size()) {
      return false;
    }
    ++m_number;
    // Two memchr scans: find_first_of("\r\n") looks every byte up in the set,
    // and format detection reads lines of every transcript.
    const std::string_view rest = m_text.substr(m_pos);
    std::size_t end = rest.find('\n');
    if (const std::size_t cr = rest.substr(0, end).find('\r'); cr != std::string_view::npos) {
      end = cr;
    }
    if (end != std::string_view::npos) {
      end += m_pos;
    }
    if (end == std::string_view::npos) {
      line = m_text.substr(m_pos);
      m_pos = m_text.size();
      return true;
    }
    line = m_text.substr(m_pos, end - m_pos);
    m_pos =
        end + (m_text[end] == '\r' && end + 1 < m_text.size() && m_text[end + 1] == '\n' ? 2 : 1);
    return true;
  }

  std::size_t number() const { return m_number; }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_number = 0;
};

struct Timing {
  double start_s = 0;
  double end_s = 0;
};

// "00:01:02.500 --> 00:01:05.000 align:start" (WebVTT cue settings and SRT
// coordinates after the end time are ignored).
std::optional<Timing> parse_timing(std::string_view line) {
  const std::size_t arrow = line.find("-->");
  if (arrow == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view after = trim_space(line.substr(arrow + 3));
  const std::size_t end_size = std::min(after.find_first_of(" \t"), after.size());
  const auto start = turn_table::parse_clock(trim_space(line.substr(0, arrow)));
  const auto end = turn_table::parse_clock(after.substr(0, end_size));
  if (!start || !end) {
    return std::nullopt;
  }
  return Timing{*start, *end};
}

bool is_number_line(std::string_view line) {
  return !line.empty() && line.size() <= 9 && std::all_of(line.begin(), line.end(), is_ascii_digit);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// "#39" or "#x2019" -> the code point, when it is a valid non-NUL scalar value.
std::optional<std::uint32_t> numeric_entity(std::string_view name) {
  if (name.size() < 2 || name[0] != '#') {
    return std::nullopt;
  }
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 7) {
    return std::nullopt;
  }
  std::uint32_t cp = 0;
  for (const char c : digits) {
    int digit = -1;
    if (is_ascii_digit(c)) {
      digit = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    }
    if (digit < 0) {
      return std::nullopt;
    }
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
  }
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return std::nullopt;
  }
  return cp;
}

// &amp; &lt; &gt; &nbsp; &quot; &apos; &lrm; &rlm; and numeric references;
// anything else stays as written.
std::string decode_entities(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> k_named{{
      {"amp", "&"},
      {"lt", "<"},
      {"gt", ">"},
      {"nbsp", " "},
      {"quot", "\""},
      {"apos", "'"},
      {"lrm", ""},
      {"rlm", ""},
  }};
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, amp - i));
    i = amp + 1;
    const std::size_t semi = s.substr(i, k_max_entity_bytes).find(';');
    const std::string_view name = semi == std::string_view::npos ? "" : s.substr(i, semi);
    const auto named = std::find_if(k_named.begin(), k_named.end(),
                                    [name](const auto& entity) { return entity.first == name; });
    if (semi != std::string_view::npos && named != k_named.end()) {
      out.append(named->second);
      i += semi + 1;
    } else if (const auto cp = numeric_entity(name)) {
      append_utf8(out, *cp);
      i += semi + 1;
    } else {
      out.push_back('&');
    }
  }
  return out;
}

// A run of a cue line up to the next voice tag: the voice's annotation (the
// speaker) when a <v ...> tag opened it, and the text with all tags removed.
struct Piece {
  std::optional<std::string> voice;
  std::string text;
};

// "<v.loud Maria Lopez>" body "v.loud Maria Lopez" -> "Maria Lopez".
std::optional<std::string> voice_annotation(std::string_view body) {
  if (body.empty() || body[0] != 'v' ||
      (body.size() > 1 && body[1] != ' ' && body[1] != '\t' && body[1] != '.')) {
    return std::nullopt;
  }
  body.remove_prefix(1);
  if (!body.empty() && body[0] == '.') {
    body.remove_prefix(std::min(body.find_first_of(" \t"), body.size()));
  }
  return std::string(trim_space(body));
}

// Splits a cue line at WebVTT voice tags and removes every other markup:
// <i>, <b>, <u>, <c.class>, <font ...>, <00:00:01.000> timestamps, closing
// tags, and SRT's {\an8} overrides. A '<' that opens no tag is text.
std::vector<Piece> split_tags(std::string_view line) {
  std::vector<Piece> pieces(1);
  // The next '>' and '}' at or after i, found again only once i passes them,
  // so a line of many unclosed '<' stays linear.
  std::size_t next_angle = line.find('>');
  std::size_t next_brace = line.find('}');
  const auto next_of = [line](char wanted, std::size_t from, std::size_t& cached) {
    if (cached != std::string_view::npos && cached < from) {
      cached = line.find(wanted, from);
    }
    return cached;
  };
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == '<' && i + 1 < line.size()) {
      const char next = line[i + 1];
      const bool opens = next == '/' || is_ascii_digit(next) || (next >= 'a' && next <= 'z') ||
                         (next >= 'A' && next <= 'Z');
      const std::size_t close = opens ? next_of('>', i + 1, next_angle) : std::string_view::npos;
      const std::string_view body =
          close == std::string_view::npos ? std::string_view{} : line.substr(i + 1, close - i - 1);
      // A tag opening with a digit is a timestamp "<00:00:01.000>"; "<5 and >" is text.
      if (close != std::string_view::npos &&
          (!is_ascii_digit(next) || turn_table::parse_clock(body).has_value())) {
        if (auto voice = voice_annotation(body)) {
          pieces.push_back(Piece{std::move(voice), {}});
        }
        i = close + 1;
        continue;
      }
    } else if (c == '{' && i + 1 < line.size() && line[i + 1] == '\\') {
      if (const std::size_t close = next_of('}', i, next_brace); close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
    }
    pieces.back().text.push_back(c);
    ++i;
  }
  return pieces;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
      ++i;
    }
    const std::size_t begin = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') {
      ++i;
    }
    if (i > begin) {
      words.push_back(s.substr(begin, i - begin));
    }
  }
  return words;
}

// "spk_0", "Speaker 1", "SPEAKER_00", "S2": a generic word, an optional
// separator, and at most three digits.
bool is_generic_label(std::string_view label) {
  std::size_t i = 0;
  while (i < label.size() &&
         ((label[i] >= 'a' && label[i] <= 'z') || (label[i] >= 'A' && label[i] <= 'Z'))) {
    ++i;
  }
  if (!contains(k_generic_words, ascii_lower(label.substr(0, i)))) {
    return false;
  }
  if (i < label.size() && (label[i] == ' ' || label[i] == '_' || label[i] == '-')) {
    ++i;
  }
  const std::string_view digits = label.substr(i);
  return !digits.empty() && digits.size() <= 3 &&
         std::all_of(digits.begin(), digits.end(), is_ascii_digit);
}

// A speaker label before ':' or inside '[...]': a generic label ("Speaker
// 1", "SPEAKER_00", "spk_0"), a role word or two ("agent", "Customer
// Service"), or a capitalized name of up to four words ("Maria", "Tom
// Becker", "DR. SMITH"), but not a prose word ("Note:", "Well:").
bool is_speaker_label(std::string_view label) {
  if (label.empty() || label.size() > k_max_label_bytes) {
    return false;
  }
  const auto words = split_words(label);
  if (words.empty() || words.size() > 4) {
    return false;
  }
  if (is_generic_label(label) || (words.size() <= 2 && role_from_label(label) != Role::unknown)) {
    return true;
  }
  const auto capitalized = [](std::string_view word) {
    const auto c = static_cast<unsigned char>(word[0]);
    return (c >= 'A' && c <= 'Z') || c >= 0x80;
  };
  if (!std::all_of(words.begin(), words.end(), capitalized) ||
      contains(k_not_names, ascii_lower(words[0]))) {
    return false;
  }
  return std::all_of(label.begin(), label.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || is_ascii_digit(ch) ||
           ch == ' ' || ch == '.' || ch == '\'' || ch == '-' || ch == '_' || ch == '(' ||
           ch == ')' || ch == '&';
  });
}

bool is_sound_description(std::string_view inner) {
  const auto words = split_words(inner);
  return words.empty() || contains(k_sound_words, ascii_lower(words[0]));
}

// What the start of a cue line says about its speaker.
struct Prefix {
  bool dash = false;                  ///< "- " dialogue line: a new speaker
  std::optional<std::string> speaker; ///< from "Name:" or "[Name]"
  bool annotation_only = false;       ///< "[Music]", "(laughs)": no speech
  std::string_view rest;              ///< the spoken text after the prefix
};

Prefix read_prefix(std::string_view text) {
  Prefix prefix;
  std::string_view t = trim_space(text);
  if (!t.empty() && t[0] == '-' && (t.size() == 1 || t[1] == ' ' || t[1] == '\t')) {
    prefix.dash = true;
    t = trim_space(t.substr(1));
  }
  if (!t.empty() && (t[0] == '[' || t[0] == '(')) {
    const char close_char = t[0] == '[' ? ']' : ')';
    const std::size_t close = t.find(close_char);
    if (close != std::string_view::npos) {
      const std::string_view inner = trim_space(t.substr(1, close - 1));
      std::string_view after = trim_space(t.substr(close + 1));
      if (after.empty()) {
        prefix.annotation_only = true;
        return prefix;
      }
      if (close_char == ']' && !is_sound_description(inner) && is_speaker_label(inner)) {
        if (after[0] == ':') {
          after = trim_space(after.substr(1));
        }
        prefix.speaker = std::string(inner);
        prefix.rest = after;
        return prefix;
      }
    }
  }
  const std::size_t colon = t.substr(0, k_max_label_bytes + 1).find(':');
  if (colon != std::string_view::npos &&
      (colon + 1 == t.size() || t[colon + 1] == ' ' || t[colon + 1] == '\t')) {
    const std::string_view label = trim_space(t.substr(0, colon));
    if (is_speaker_label(label)) {
      prefix.speaker = std::string(label);
      t = trim_space(t.substr(colon + 1));
    }
  }
  prefix.rest = t;
  return prefix;
}

// Appends `text` with whitespace runs collapsed to one space, separated from
// what `out` already holds by a space.
void append_text(std::string& out, std::string_view text) {
  bool pending_space = !out.empty();
  for (const char c : text) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
  }
}

struct Segment {
  std::string speaker; ///< "" when unknown
  std::string text;
};

struct Cue {
  Timing timing;
  std::vector<std::string_view> lines;
};

// Turns cues into turns as they are read: a cue line opening with a voice
// tag, a speaker prefix or a dialogue dash starts a new speaker; a cue with
// none continues the speaker of the cue before it.
class TurnBuilder {
public:
  TurnBuilder(std::string_view path, std::string_view format) : m_groups(path, format) {}

  void add(const Cue& cue) {
    std::vector<Segment> segments;
    for (const std::string_view line : cue.lines) {
      std::vector<Piece> pieces = split_tags(line);
      for (std::size_t k = 0; k < pieces.size(); ++k) {
        std::string text = decode_entities(pieces[k].text);
        std::string_view rest = text;
        if (pieces[k].voice) {
          segments.push_back(Segment{std::move(*pieces[k].voice), {}});
        } else if (k == 0) {
          const Prefix prefix = read_prefix(text);
          if (prefix.annotation_only) {
            continue;
          }
          if (prefix.dash || prefix.speaker) {
            segments.push_back(Segment{prefix.speaker.value_or(""), {}});
          }
          rest = prefix.rest;
        }
        if (trim_space(rest).empty()) {
          continue;
        }
        if (segments.empty()) {
          segments.push_back(Segment{m_previous_speaker, {}});
        }
        append_text(segments.back().text, rest);
      }
    }
    if (!segments.empty()) {
      m_previous_speaker = segments.back().speaker;
    }
    for (Segment& segment : segments) {
      add_segment(segment, cue.timing);
    }
  }

  ParseResult finish() && { return std::move(m_groups).finish(); }

private:
  void add_segment(Segment& segment, const Timing& timing) {
    if (segment.text.empty()) {
      return;
    }
    std::vector<Turn>& turns = m_groups.call("").turns;
    // Consecutive cues of one named speaker are one turn; cues with no
    // speaker stay apart so their times stay usable.
    if (!turns.empty() && !segment.speaker.empty() && turns.back().speaker == segment.speaker) {
      Turn& turn = turns.back();
      append_text(turn.text, segment.text);
      turn.end_s = std::max(turn.end_s.value_or(timing.end_s), timing.end_s);
      return;
    }
    Turn turn;
    turn.speaker = std::move(segment.speaker);
    turn.role = turn.speaker.empty() ? Role::unknown : role_from_label(turn.speaker);
    turn.start_s = timing.start_s;
    turn.end_s = timing.end_s;
    turn.text = std::move(segment.text);
    turns.push_back(std::move(turn));
  }

  turn_table::CallGroups m_groups;
  std::string m_previous_speaker;
};

// `example` shows the format's own timing line ("00:00:01,000 --> ..." in SRT).
std::string timing_error(std::string_view label, std::size_t line, std::string_view text,
                         std::string_view example) {
  return turn_table::line_error(label, line,
                                "malformed cue timing " + turn_table::excerpt(text) +
                                    " (expected " + std::string(example) + ")");
}

bool starts_with_word(std::string_view line, std::string_view word) {
  return line.starts_with(word) &&
         (line.size() == word.size() || line[word.size()] == ' ' || line[word.size()] == '\t');
}

bool has_webvtt_header(std::string_view text) {
  return text.starts_with("WEBVTT") && (text.size() == 6 || text[6] == ' ' || text[6] == '\t' ||
                                        text[6] == '\n' || text[6] == '\r');
}

bool recognizes_webvtt(std::string_view path, std::string_view text) {
  return has_webvtt_header(text) || turn_table::has_extension(path, "vtt");
}

// Blocks separated by blank lines: the header, NOTE/STYLE/REGION blocks
// (skipped), and cues of an optional identifier line, a timing line and text.
ParseResult parse_webvtt(std::string_view path, std::string_view text) {
  TurnBuilder builder(path, k_webvtt.name);
  LineReader reader(text);
  std::string_view line;
  bool in_header = has_webvtt_header(text);
  std::vector<std::string_view> block;
  std::size_t block_line = 0;
  bool more = true;
  while (more) {
    more = reader.next(line);
    if (more && !trim_space(line).empty()) {
      if (block.empty()) {
        block_line = reader.number();
      }
      block.push_back(line);
      continue;
    }
    if (block.empty()) {
      continue;
    }
    const bool skip = starts_with_word(block[0], "NOTE") || starts_with_word(block[0], "STYLE") ||
                      starts_with_word(block[0], "REGION");
    // A cue's timing is its first line, or its second after an identifier
    // (or after the header line when no blank line follows it).
    std::size_t timing_at = block.size();
    if (!in_header && block[0].find("-->") != std::string_view::npos) {
      timing_at = 0;
    } else if (block.size() > 1 && block[1].find("-->") != std::string_view::npos) {
      timing_at = 1;
    }
    in_header = false;
    if (!skip && timing_at < block.size()) {
      const auto timing = parse_timing(block[timing_at]);
      if (!timing) {
        return ParseResult{{},
                           timing_error(k_webvtt_label, block_line + timing_at,
                                        trim_space(block[timing_at]),
                                        "00:00:01.000 --> 00:00:04.000")};
      }
      builder.add(
          Cue{*timing, {block.begin() + static_cast<std::ptrdiff_t>(timing_at) + 1, block.end()}});
    }
    block.clear();
  }
  return std::move(builder).finish();
}

// The first non-empty line of `text` and the line after it.
std::pair<std::string_view, std::string_view> first_two_lines(std::string_view text) {
  LineReader reader(text);
  std::string_view line;
  while (reader.next(line)) {
    if (!trim_space(line).empty()) {
      std::string_view second;
      reader.next(second);
      return {trim_space(line), trim_space(second)};
    }
  }
  return {};
}

bool recognizes_srt(std::string_view path, std::string_view text) {
  if (turn_table::has_extension(path, "srt")) {
    return true;
  }
  const auto [first, second] = first_two_lines(text);
  return is_number_line(first) && parse_timing(second).has_value();
}

// Cues of an index line, a timing line and text. Blank lines inside cue text
// are tolerated: a cue ends where the next timing line begins, and a bare
// number on the last line before that timing line is the next cue's index.
ParseResult parse_srt(std::string_view path, std::string_view text) {
  TurnBuilder builder(path, k_srt.name);
  LineReader reader(text);
  std::string_view line;
  std::optional<Cue> cue;
  while (reader.next(line)) {
    const std::string_view t = trim_space(line);
    if (!t.empty() && is_ascii_digit(t[0]) && t.find("-->") != std::string_view::npos) {
      const auto timing = parse_timing(t);
      if (!timing) {
        return ParseResult{
            {}, timing_error(k_srt_label, reader.number(), t, "00:00:01,000 --> 00:00:04,000")};
      }
      if (cue) {
        if (!cue->lines.empty() && is_number_line(cue->lines.back())) {
          cue->lines.pop_back();
        }
        builder.add(*cue);
      }
      cue = Cue{*timing, {}};
      continue;
    }
    if (cue && !t.empty()) {
      cue->lines.push_back(t);
    }
  }
  if (cue) {
    builder.add(*cue);
  }
  return std::move(builder).finish();
}

} // namespace

const TextFormat k_webvtt{"webvtt",
                          "WebVTT captions (.vtt): voice tags <v Name>, \"Name:\" prefixes",
                          recognizes_webvtt, parse_webvtt};

const TextFormat k_srt{"srt", "SubRip captions (.srt): \"Name:\", \"[Name]\", \"- Name:\" speakers",
                       recognizes_srt, parse_srt};

} // namespace callsight::formats
