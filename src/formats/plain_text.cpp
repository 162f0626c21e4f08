// Plain-text transcripts: speaker labels ("Agent:", "Caller:", "Speaker 1:",
// "Maria:"), optional [00:01:02] / (01:02) timestamps before or after the
// label, continuation lines, an optional header block ("Call ID: ...",
// "Date: ..."), and text with no labels at all (one turn per paragraph).
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <unordered_map>

#include <utf8proc.h>

#include "callsight/formats.hpp"

#include "formats/registry.hpp"
#include "util/trim.hpp"

namespace callsight {
namespace {

constexpr std::size_t k_max_label_bytes = 40;

constexpr std::array<std::string_view, 24> k_agent_words{
    "agent",     "rep",         "representative", "csr",          "advisor",    "adviser",
    "operator",  "associate",   "support",        "receptionist", "dispatcher", "dispatch",
    "sales",     "salesperson", "consultant",     "specialist",   "staff",      "employee",
    "attendant", "concierge",   "host",           "coordinator",  "counselor",  "scheduler"};
constexpr std::array<std::string_view, 14> k_customer_words{
    "customer", "caller",    "client",   "prospect", "patient", "buyer", "guest",
    "member",   "homeowner", "consumer", "visitor",  "tenant",  "lead",  "user"};
constexpr std::array<std::string_view, 10> k_generic_words{
    "speaker", "spk", "spkr", "person", "participant", "channel", "voice", "party", "s", "ch"};
// Capitalized words that end with a colon in prose but are not speakers.
constexpr std::array<std::string_view, 22> k_not_names{
    "Note", "Notes", "Summary",  "Subject", "Re",      "Ps",     "Http", "Https",
    "Also", "Yes",   "No",       "Well",    "So",      "Okay",   "Ok",   "Oh",
    "And",  "But",   "Question", "Answer",  "Example", "Warning"};
// Header keys (normalized) accepted before the first turn.
constexpr std::array<std::string_view, 22> k_header_keys{
    "call_id",         "callid",    "call",     "date",      "time",   "started_at", "start_time",
    "started",         "start",     "duration", "campaign",  "source", "medium",     "keyword",
    "tracking_number", "caller_id", "phone",    "direction", "title",  "subject",    "recorded",
    "recording"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + ('a' - 'A'));
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  return trim_if(s, [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; });
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Parses "H:MM:SS", "MM:SS" or "HH:MM:SS.mmm" at the start of `s`.
std::optional<double> parse_clock(std::string_view s, std::size_t& consumed) {
  std::array<int, 3> parts{};
  std::size_t count = 0;
  std::size_t i = 0;
  while (count < 3) {
    std::size_t digits = 0;
    int value = 0;
    while (i < s.size() && is_digit(s[i]) && digits < 3) {
      value = value * 10 + (s[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || (count > 0 && digits != 2)) {
      return std::nullopt;
    }
    parts[count++] = value;
    if (i < s.size() && s[i] == ':' && i + 1 < s.size() && is_digit(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (count < 2) {
    return std::nullopt;
  }
  double seconds =
      count == 3 ? parts[0] * 3600.0 + parts[1] * 60.0 + parts[2] : parts[0] * 60.0 + parts[1];
  if (i < s.size() && (s[i] == '.' || s[i] == ',') && i + 1 < s.size() && is_digit(s[i + 1])) {
    ++i;
    double scale = 0.1;
    while (i < s.size() && is_digit(s[i])) {
      seconds += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  consumed = i;
  return seconds;
}

// A timestamp in brackets, parentheses or bare, e.g. "[00:01:02]", "(01:02)".
std::optional<double> parse_timestamp(std::string_view s, std::size_t& consumed) {
  if (s.empty()) {
    return std::nullopt;
  }
  const char open = s[0];
  const char close = open == '[' ? ']' : open == '(' ? ')' : '\0';
  const std::size_t start = close != '\0' ? 1 : 0;
  std::size_t used = 0;
  const auto seconds = parse_clock(s.substr(start), used);
  if (!seconds) {
    return std::nullopt;
  }
  std::size_t end = start + used;
  if (close != '\0') {
    if (end >= s.size() || s[end] != close) {
      return std::nullopt;
    }
    ++end;
  }
  consumed = end;
  return seconds;
}

bool starts_with_uppercase(std::string_view word) {
  if (word.empty()) {
    return false;
  }
  const auto c = static_cast<unsigned char>(word[0]);
  if (c < 0x80) {
    return c >= 'A' && c <= 'Z';
  }
  utf8proc_int32_t cp = 0;
  if (utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(word.data()),
                       static_cast<utf8proc_ssize_t>(word.size()), &cp) <= 0) {
    return false;
  }
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

bool is_name_word(std::string_view word) {
  if (!starts_with_uppercase(word) || contains(k_not_names, word)) {
    return false;
  }
  for (unsigned char c : word) {
    const bool ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                    c == '\'' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '_' || s[i] == '-')) {
      ++i;
    }
    const std::size_t begin = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '_' && s[i] != '-') {
      ++i;
    }
    if (i > begin) {
      words.push_back(s.substr(begin, i - begin));
    }
  }
  return words;
}

// "Speaker 1", "SPEAKER_00", "spk_0", "Channel 2", "S1", "A".
bool is_generic_label(std::string_view label) {
  if (label.size() == 1 && label[0] >= 'A' && label[0] <= 'Z') {
    return true;
  }
  std::string lowered = ascii_lower(label);
  std::size_t split = 0;
  while (split < lowered.size() && lowered[split] >= 'a' && lowered[split] <= 'z') {
    ++split;
  }
  const std::string_view word(lowered.data(), split);
  std::string_view rest = std::string_view(lowered).substr(split);
  while (!rest.empty() && (rest[0] == ' ' || rest[0] == '_' || rest[0] == '-')) {
    rest.remove_prefix(1);
  }
  if (!contains(k_generic_words, word) || rest.empty() || rest.size() > 2) {
    return false;
  }
  return std::all_of(rest.begin(), rest.end(),
                     [](char c) { return is_digit(c) || (c >= 'a' && c <= 'z'); }) &&
         (is_digit(rest[0]) || rest.size() == 1);
}

enum class LabelKind { none, role, generic, name };

struct LineInfo {
  std::string_view text; // whole line, trimmed
  LabelKind kind = LabelKind::none;
  std::string_view speaker; // into the transcript text
  Role role = Role::unknown;
  std::optional<double> start_s;
  std::string_view rest; // text after the label
};

LabelKind classify_label(std::string_view label, Role& role) {
  role = Role::unknown;
  if (label.empty() || label.size() > k_max_label_bytes) {
    return LabelKind::none;
  }
  if (is_generic_label(label)) {
    return LabelKind::generic;
  }
  // Parenthesized detail after a role word: "Agent (Maria)".
  std::string_view head = label;
  if (const std::size_t paren = head.find('('); paren != std::string_view::npos) {
    head = trim(head.substr(0, paren));
  }
  const auto words = split_words(head);
  if (words.empty() || words.size() > 4) {
    return LabelKind::none;
  }
  role = role_from_label(head);
  if (role != Role::unknown) {
    return LabelKind::role;
  }
  if (words.size() <= 3 && std::all_of(words.begin(), words.end(), is_name_word)) {
    return LabelKind::name;
  }
  return LabelKind::none;
}

// Labels repeat on every line of a call ("Agent", "Customer"): remember how
// each was classified so the word splitting runs once per distinct label.
// Labels are views into the transcript, which outlives the memo.
class LabelMemo {
public:
  LabelKind classify(std::string_view label, Role& role) {
    for (std::size_t i = 0; i < m_size; ++i) {
      if (m_entries[i].label == label) {
        role = m_entries[i].role;
        return m_entries[i].kind;
      }
    }
    const LabelKind kind = classify_label(label, role);
    if (m_size < m_entries.size()) {
      m_entries[m_size++] = Entry{label, kind, role};
    }
    return kind;
  }

private:
  struct Entry {
    std::string_view label;
    LabelKind kind = LabelKind::none;
    Role role = Role::unknown;
  };
  std::array<Entry, 16> m_entries{};
  std::size_t m_size = 0;
};

// The colon that ends a label, stepping over a bracketed timestamp inside
// the label; npos when none starts within the first k_max_label_bytes + 17
// bytes (room for the label and a timestamp).
std::size_t find_label_colon(std::string_view s) {
  const std::size_t reach = std::min(s.size(), k_max_label_bytes + 17);
  if (reach == 0) {
    return std::string_view::npos;
  }
  // Most lines have no bracket before their first colon (or no colon near
  // the start at all): memchr answers those without a byte loop.
  const void* first = std::memchr(s.data(), ':', reach);
  if (first == nullptr) {
    return std::string_view::npos;
  }
  const auto first_colon = static_cast<std::size_t>(static_cast<const char*>(first) - s.data());
  if (std::none_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(first_colon),
                   [](char c) { return c == '[' || c == '('; })) {
    return first_colon;
  }
  for (std::size_t i = 0; i < reach; ++i) {
    if (s[i] == '[' || s[i] == '(') {
      const std::size_t end = s.find(s[i] == '[' ? ']' : ')', i);
      if (end == std::string_view::npos) {
        break;
      }
      i = end;
      continue;
    }
    if (s[i] == ':') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Reads the optional timestamp and speaker label at the start of a line.
LineInfo read_line(std::string_view raw, LabelMemo& memo) {
  LineInfo info;
  info.text = trim(raw);
  std::string_view s = info.text;
  std::optional<double> time;
  if (!s.empty() && (s[0] == '[' || s[0] == '(' || is_digit(s[0]))) {
    std::size_t used = 0;
    if (auto t = parse_timestamp(s, used);
        t && (used == s.size() || s[used] == ' ' || s[used] == '\t' || s[used] == ']')) {
      time = t;
      s = trim(s.substr(used));
      if (!s.empty() && (s[0] == '-' || s[0] == '|')) {
        s = trim(s.substr(1));
      }
    }
  }
  const std::size_t colon = find_label_colon(s);
  if (colon == std::string_view::npos ||
      (colon + 1 < s.size() && s[colon + 1] != ' ' && s[colon + 1] != '\t')) {
    info.rest = s;
    info.start_s = time;
    return info;
  }
  std::string_view label = trim(s.substr(0, colon));
  // A timestamp after the label: "Agent [00:01:02]:" or "Caller (01:02):".
  if (!label.empty() && (label.back() == ']' || label.back() == ')')) {
    const char open = label.back() == ']' ? '[' : '(';
    const std::size_t at = label.rfind(open);
    std::size_t used = 0;
    if (at != std::string_view::npos) {
      if (auto t = parse_timestamp(label.substr(at), used); t && at + used == label.size()) {
        time = t;
        label = trim(label.substr(0, at));
      }
    }
  }
  // WhisperX text output: "[SPEAKER_00]: ..." puts the label in brackets.
  if (label.size() > 2 && label.front() == '[' && label.back() == ']') {
    label = trim(label.substr(1, label.size() - 2));
  }
  Role role = Role::unknown;
  const LabelKind kind = memo.classify(label, role);
  info.start_s = time;
  if (kind == LabelKind::none) {
    info.rest = s;
    return info;
  }
  info.kind = kind;
  info.speaker = label;
  info.role = role;
  info.rest = trim(s.substr(colon + 1));
  return info;
}

std::string header_key(std::string_view key) {
  std::string out;
  for (char c : key) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c + ('a' - 'A')));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') {
    out.pop_back();
  }
  return out;
}

// "Call ID: call-0012" before the first turn -> fields["call_id"].
bool read_header(std::string_view line, std::map<std::string, std::string>& fields) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 32) {
    return false;
  }
  std::string key = header_key(line.substr(0, colon));
  if (!contains(k_header_keys, key)) {
    return false;
  }
  if (key == "callid" || key == "call") {
    key = "call_id";
  }
  fields[key] = std::string(trim(line.substr(colon + 1)));
  return true;
}

bool only_punctuation(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c));
  });
}

} // namespace

Role role_from_label(std::string_view label) {
  const auto words = split_words(label);
  if (words.empty()) {
    return Role::unknown;
  }
  const std::string first = ascii_lower(words[0]);
  // "Customer Service" and "Customer Care" are the company's side.
  if (first == "customer" && words.size() > 1) {
    const std::string second = ascii_lower(words[1]);
    if (second == "service" || second == "care" || second == "support" || second == "success") {
      return Role::agent;
    }
  }
  if (contains(k_agent_words, first)) {
    return Role::agent;
  }
  if (contains(k_customer_words, first)) {
    return Role::customer;
  }
  return Role::unknown;
}

namespace {

// Distinct speaker names counted by the census; a name first seen after this
// many others is treated as text. Real calls have a handful of speakers, and
// the cap keeps a file of millions of one-off "Name:" lines from filling memory.
constexpr std::size_t k_max_counted_names = 256;

// Pending turns a thread keeps room for between files (a few hundred KB).
constexpr std::size_t k_kept_pending_turns = 4096;

// Calls `visit` with every line of `text` (the last one may be empty).
template <class Visit> void for_each_line(std::string_view text, Visit visit) {
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    if (!visit(text.substr(pos, end - pos))) {
      return;
    }
    pos = end + 1;
  }
}

// What only a look at every line can tell: which names label two or more
// lines (a stray "Tuesday: works for me" is text, not a speaker), and whether
// the transcript has any speaker label at all.
struct NameCensus {
  std::unordered_map<std::string_view, int> counts;
  bool labelled = false;

  bool is_speaker(std::string_view name) const {
    const auto it = counts.find(name);
    return it != counts.end() && it->second >= 2;
  }
};

NameCensus take_census(std::string_view text, LabelMemo& memo) {
  NameCensus census;
  for_each_line(text, [&](std::string_view raw) {
    const LineInfo line = read_line(raw, memo);
    if (line.kind == LabelKind::name) {
      if (const auto it = census.counts.find(line.speaker); it != census.counts.end()) {
        ++it->second;
      } else if (census.counts.size() < k_max_counted_names) {
        census.counts.emplace(line.speaker, 1);
      }
    } else if (line.kind != LabelKind::none) {
      census.labelled = true;
    }
    return true;
  });
  for (const auto& [name, count] : census.counts) {
    census.labelled = census.labelled || count >= 2;
  }
  return census;
}

// A turn while the file is parsed: views into the text, so that each turn's
// text is copied once, into a string of its final size, when parsing ends
// (rather than grown line by line inside a vector of Turns that regrows).
struct PendingTurn {
  std::string_view speaker;
  Role role = Role::unknown;
  std::optional<double> start_s;
  std::string_view text; ///< its first line with text; empty: none yet
  std::string joined;    ///< all its lines joined by '\n', once it has two or more
};

// Collects turns with at most `max_turns` that have text in memory: past the
// limit it only counts them (for the error message), so a file of millions
// of tiny turns costs no more memory than the limit allows.
class TurnCollector {
public:
  TurnCollector(std::vector<PendingTurn>& pending, std::size_t max_turns)
      : m_turns(pending), m_max_turns(max_turns) {
    m_turns.clear();
  }

  /// Forgets everything collected, for a second pass.
  void reset() {
    m_turns.clear();
    m_with_text = 0;
    m_opened = false;
    m_open_has_text = false;
    m_counting = false;
  }
  bool any() const { return m_opened; }
  bool counting() const { return m_counting; }
  std::size_t with_text() const { return m_with_text; }

  void open(std::string_view speaker, Role role, std::optional<double> start_s) {
    m_opened = true;
    m_open_has_text = false;
    if (m_counting) {
      return;
    }
    // A turn left without text is dropped at the end anyway; dropping it now
    // keeps label-only lines from piling up.
    if (!m_turns.empty() && m_turns.back().text.empty()) {
      m_turns.pop_back();
    }
    PendingTurn& turn = m_turns.emplace_back();
    turn.speaker = speaker;
    turn.role = role;
    turn.start_s = start_s;
  }

  // Returns false when the text makes one turn too many and `can_count` is
  // false (the caller then parses again, knowing more); true otherwise.
  bool append(std::string_view text, bool can_count) {
    if (text.empty()) {
      return true;
    }
    if (!m_open_has_text) {
      m_open_has_text = true;
      if (++m_with_text > m_max_turns && !m_counting) {
        if (!can_count) {
          return false;
        }
        m_counting = true;
        m_turns.clear(); // the call is refused: free its turns now
      }
    }
    if (!m_counting) {
      PendingTurn& turn = m_turns.back();
      if (turn.text.empty()) {
        turn.text = text;
      } else {
        if (turn.joined.empty()) {
          turn.joined.reserve(turn.text.size() + 1 + text.size());
          turn.joined.append(turn.text);
        }
        turn.joined.push_back('\n');
        turn.joined.append(text);
      }
    }
    return true;
  }

  /// The turns with text, in order.
  void finish(std::vector<Turn>& turns) {
    std::size_t count = 0;
    for (const PendingTurn& pending : m_turns) {
      count += pending.text.empty() ? 0 : 1;
    }
    turns.reserve(count);
    for (PendingTurn& pending : m_turns) {
      if (pending.text.empty()) {
        continue;
      }
      Turn& turn = turns.emplace_back();
      turn.speaker = std::string(pending.speaker);
      turn.role = pending.role;
      turn.start_s = pending.start_s;
      turn.text = pending.joined.empty() ? std::string(pending.text) : std::move(pending.joined);
    }
    m_turns.clear();
  }

private:
  std::vector<PendingTurn>& m_turns;
  std::size_t m_max_turns;
  std::size_t m_with_text = 0;
  bool m_opened = false;
  bool m_open_has_text = false;
  bool m_counting = false;
};

// Builds the turns in one pass over the lines. Without a census (the usual
// first try) it assumes there are no name labels and that labels, if any,
// start right after the header block; it returns false as soon as the file
// breaks that assumption or passes the turn limit, and the caller parses
// again with a census. With a census it always finishes.
bool build_turns(std::string_view text, LabelMemo& memo, const NameCensus* census,
                 TurnCollector& turns, std::map<std::string, std::string>& fields) {
  bool labelled = census != nullptr && census->labelled;
  bool unlabelled_body = false; // a paragraph turn opened before any label
  bool in_header = true;
  bool paragraph_break = true;
  bool complete = true;
  for_each_line(text, [&](std::string_view raw) {
    LineInfo line = read_line(raw, memo);
    if (line.kind == LabelKind::name) {
      if (census == nullptr) {
        return complete = false;
      }
      if (!census->is_speaker(line.speaker)) {
        line.kind = LabelKind::none;
        line.rest = line.text;
      }
    }
    if (census == nullptr && line.kind != LabelKind::none) {
      if (unlabelled_body) {
        return complete = false; // those paragraphs would have been one turn
      }
      labelled = true;
    }
    if (line.text.empty()) {
      paragraph_break = true;
      return true;
    }
    if (in_header && line.kind != LabelKind::role && line.kind != LabelKind::generic &&
        read_header(line.text, fields)) {
      return true;
    }
    if (line.kind != LabelKind::none) {
      in_header = false;
      turns.open(line.speaker, line.role, line.start_s);
      paragraph_break = false;
      return complete = turns.append(line.rest, census != nullptr);
    }
    if (only_punctuation(line.text)) {
      return true; // separators such as "-----"
    }
    in_header = false;
    // Without labels each paragraph is a turn; with labels an unlabelled line
    // continues the turn before it (or opens one with no speaker).
    if (!turns.any() || (!labelled && paragraph_break)) {
      turns.open({}, Role::unknown, line.start_s);
      unlabelled_body = unlabelled_body || !labelled;
    }
    paragraph_break = false;
    return complete = turns.append(line.rest, census != nullptr);
  });
  return complete;
}

} // namespace

ParseResult parse_plain_text(std::string_view path, std::string_view text) {
  return parse_plain_text(path, text, ParseLimits{});
}

ParseResult parse_plain_text(std::string_view path, std::string_view text,
                             const ParseLimits& limits) {
  ParseResult result;
  Call& call = result.calls.emplace_back();
  call.path = std::string(path);
  call.format = "text";

  // Lines are read as they come, never stored: memory is the turns (at most
  // --max-turns of them) and their text. Most transcripts take one pass; a
  // file with name labels, or text before its first label, takes a census of
  // the names first and a second pass.
  LabelMemo memo;
  // One scratch list per thread: steady state, parsing allocates only the
  // turns' own strings. A huge file's list is not kept for the next one.
  thread_local std::vector<PendingTurn> pending;
  TurnCollector turns(pending, limits.max_turns);
  if (!build_turns(text, memo, nullptr, turns, call.fields)) {
    turns.reset();
    call.fields.clear();
    const NameCensus census = take_census(text, memo);
    build_turns(text, memo, &census, turns, call.fields);
  }
  const bool over_limit = turns.counting();
  if (!over_limit) {
    turns.finish(call.turns);
  }
  if (pending.capacity() > k_kept_pending_turns) {
    std::vector<PendingTurn>().swap(pending);
  } else {
    pending.clear();
  }
  if (over_limit) {
    result.error = formats::turn_limit_error(turns.with_text(), limits.max_turns);
    result.calls.clear();
    return result;
  }

  if (auto it = call.fields.find("call_id"); it != call.fields.end() && !it->second.empty()) {
    call.call_id = it->second;
  } else {
    call.call_id = call_id_from_path(path);
  }
  if (call.turns.empty()) {
    result.error = "empty transcript (no text)";
    result.calls.clear();
  } else if (call.turns.front().role != Role::unknown || call.turns.back().role != Role::unknown) {
    call.role_source = RoleSource::labels;
    call.role_confidence = 1.0;
  }
  return result;
}

namespace formats {

namespace {
bool accepts_any_text(std::string_view, std::string_view) {
  return true;
}
} // namespace

const TextFormat k_plain_text{"text",
                              "plain text with optional speaker labels and timestamps, or none",
                              accepts_any_text, parse_plain_text};

} // namespace formats
} // namespace callsight
