// JSON parsing with source positions: nlohmann's SAX parser fed through an
// iterator that reports how far the lexer has read, so every value and key
// can be mapped back to the line and column where it starts.
#include "util/json_positions.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

namespace callsight {
namespace {

using Json = nlohmann::json;

// Iterator over the text that publishes its position on every step. nlohmann
// copies the iterator into its input adapter, so the parser cannot be asked
// where it is; this shared cursor is how the SAX handler finds out.
class TrackingIterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator() = default;
  TrackingIterator(const char* pos, const char** published) : m_pos(pos), m_published(published) {}

  reference operator*() const { return *m_pos; }
  TrackingIterator& operator++() {
    ++m_pos;
    *m_published = m_pos;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const TrackingIterator& a, const TrackingIterator& b) {
    return a.m_pos == b.m_pos;
  }

private:
  const char* m_pos = nullptr;
  const char** m_published = nullptr;
};

// Turns byte offsets into line/column. Offsets arrive in increasing order
// while parsing, so newlines are counted once, incrementally.
class LineCounter {
public:
  explicit LineCounter(std::string_view text) : m_text(text) {}

  SourcePos at(std::size_t offset) {
    if (offset > m_text.size()) {
      offset = m_text.size();
    }
    if (offset < m_scanned) {
      m_scanned = 0;
      m_line = 1;
      m_line_start = 0;
    }
    const char* const data = m_text.data();
    const char* p = data + m_scanned;
    const char* const end = data + offset;
    while (p < end) {
      const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (found == nullptr) {
        break;
      }
      p = static_cast<const char*>(found) + 1;
      ++m_line;
      m_line_start = static_cast<std::size_t>(p - data);
    }
    m_scanned = offset;
    return SourcePos{m_line, static_cast<int>(offset - m_line_start + 1), offset};
  }

private:
  std::string_view m_text;
  std::size_t m_scanned = 0;
  std::size_t m_line_start = 0;
  int m_line = 1;
};

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool is_word_char(char c) {
  return is_number_char(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Offset of the opening quote of the string whose closing quote is at `close`.
std::size_t string_start(std::string_view text, std::size_t close) {
  std::size_t i = close;
  while (i > 0) {
    i = text.rfind('"', i - 1);
    if (i == std::string_view::npos) {
      return close;
    }
    std::size_t slashes = 0;
    while (slashes < i && text[i - slashes - 1] == '\\') {
      ++slashes;
    }
    if (slashes % 2 == 0) {
      return i;
    }
  }
  return close;
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Where to point for a parse error. The lexer's position is just past the
// last byte it read: for an unexpected but well-formed token (the usual
// missing comma) that token's end, so step back to its start; for a token the
// lexer rejected, the byte it choked on, or the start of a misspelled literal.
std::size_t error_offset(std::string_view text, std::size_t lexer_position, bool bad_literal) {
  if (lexer_position == 0) {
    return 0;
  }
  if (lexer_position > text.size()) {
    return text.size(); // the lexer read past the end: unexpected end of input
  }
  std::size_t last = lexer_position - 1;
  if (text[last] == '"') {
    return last == 0 ? 0 : string_start(text, last);
  }
  if (bad_literal && !is_word_char(text[last]) && last > 0 && is_ascii_letter(text[last - 1])) {
    --last; // "tru}": the lexer gave up on the '}', the typo is "tru"
  }
  if (is_word_char(text[last])) {
    while (last > 0 && is_word_char(text[last - 1])) {
      --last;
    }
  }
  return last;
}

// Offset of the '[' or '{' that opens level `max_depth + 1`, for the error
// report when parsing stopped at the nesting limit without tracking where the
// lexer was. Skips strings and comments the way the parser does.
std::size_t depth_crossing_offset(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        i += text[i] == '\\' ? 1 : 0;
      }
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = std::min(text.find('\n', i), text.size());
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const std::size_t close = text.find("*/", i + 2);
      i = close == std::string_view::npos ? text.size() : close + 1;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return i;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return text.size();
}

// nlohmann's "last read" for a bad literal holds everything since the last
// string or number token ('"a": T'); show only the literal itself.
void fix_literal_last_read(std::string& message, std::string_view literal) {
  constexpr std::string_view k_marker = "invalid literal; last read: '";
  const std::size_t at = message.find(k_marker);
  if (at == std::string::npos) {
    return;
  }
  // Keep what follows the quoted text, e.g. "; expected string literal".
  const std::size_t suffix = message.rfind("'; expected ");
  const std::string tail = suffix != std::string::npos && suffix >= at + k_marker.size()
                               ? message.substr(suffix + 1)
                               : "";
  message.resize(at + k_marker.size());
  for (const char c : literal) {
    if (static_cast<unsigned char>(c) <= 0x1F) {
      static constexpr char k_hex[] = "0123456789ABCDEF";
      message += "<U+00";
      message.push_back(k_hex[(c >> 4) & 0xF]);
      message.push_back(k_hex[c & 0xF]);
      message.push_back('>');
    } else {
      message.push_back(c);
    }
  }
  message.push_back('\'');
  message += tail;
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: reason" -> "reason".
std::string trim_exception_message(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    const std::size_t close = what.find("] ");
    if (close != std::string_view::npos) {
      what.remove_prefix(close + 2);
    }
  }
  if (what.starts_with("parse error")) {
    const std::size_t colon = what.find(": ");
    if (colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    }
  }
  return std::string(what);
}

void append_escaped_segment(std::string& pointer, std::string_view key) {
  pointer.push_back('/');
  for (const char c : key) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

// Builds the DOM from SAX events (the public json API, so JSON_DIAGNOSTICS
// builds keep their parent links) and, when asked, records positions keyed by
// JSON pointer. The pointer of the current value is kept in one string that
// grows and shrinks with the nesting, so no path is rebuilt per event.
class PositionHandler {
public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  PositionHandler(std::string_view text, const char* const* cursor, JsonDocument& document,
                  std::size_t max_depth)
      : m_text(text), m_cursor(cursor), m_lines(text), m_document(document),
        m_max_depth(max_depth) {}

  bool null() { return add_scalar(nullptr, literal_start(4)); }
  bool boolean(bool value) { return add_scalar(value, literal_start(value ? 4 : 5)); }
  bool number_integer(number_integer_t value) { return add_scalar(value, number_start()); }
  bool number_unsigned(number_unsigned_t value) { return add_scalar(value, number_start()); }
  bool number_float(number_float_t value, const string_t& /*text*/) {
    return add_scalar(value, number_start());
  }
  bool string(string_t& value) { return add_scalar(std::move(value), quoted_start()); }
  // Never called for JSON text; present because the SAX interface requires it.
  bool binary(binary_t& value) {
    return add_scalar(Json::binary(std::move(value)), literal_start(0));
  }

  bool start_object(std::size_t /*size*/) { return open(Json::object(), false); }
  bool start_array(std::size_t /*size*/) { return open(Json::array(), true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& key) {
    Frame& frame = m_frames.back();
    if (m_cursor != nullptr) {
      m_pointer.resize(frame.pointer_length);
      append_escaped_segment(m_pointer, key);
      const SourcePos pos = m_lines.at(quoted_start());
      auto [it, inserted] = m_document.key_positions.try_emplace(m_pointer, pos);
      if (!inserted) {
        m_document.duplicate_keys.push_back(DuplicateKey{m_pointer, it->second, pos});
        it->second = pos;
      }
    }
    auto [it, inserted] = frame.container->emplace(std::move(key), nullptr);
    if (!inserted) {
      it.value() = nullptr; // the later member replaces the earlier one
    }
    m_member = &it.value();
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const Json::exception& error) {
    m_error_position = position;
    m_error_message = trim_exception_message(error.what());
    return false;
  }

  std::size_t error_position() const { return m_error_position; }
  const std::string& error_message() const { return m_error_message; }
  /// True when parsing stopped at the nesting limit (not a syntax error).
  bool too_deep() const { return m_too_deep; }

private:
  struct Frame {
    Json* container = nullptr;
    bool is_array = false;
    std::size_t next_index = 0;
    std::size_t pointer_length = 0; ///< length of the container's own pointer
  };

  std::size_t cursor() const { return static_cast<std::size_t>(*m_cursor - m_text.data()); }
  std::size_t literal_start(std::size_t length) const {
    return m_cursor == nullptr ? 0 : cursor() - length;
  }
  std::size_t quoted_start() const {
    return m_cursor == nullptr ? 0 : string_start(m_text, cursor() - 1);
  }
  // The lexer reads one byte past a number (unless it ends the text) to see
  // that the number is over; step over that byte, then back over the digits.
  std::size_t number_start() const {
    if (m_cursor == nullptr) {
      return 0;
    }
    std::size_t i = cursor();
    if (i > 0 && !is_number_char(m_text[i - 1])) {
      --i;
    }
    while (i > 0 && is_number_char(m_text[i - 1])) {
      --i;
    }
    return i;
  }

  // Records the position of the value about to be added at the current
  // pointer (extended by the array index when inside an array).
  void record(std::size_t start) {
    if (m_frames.empty()) {
      m_pointer.clear();
    } else if (Frame& frame = m_frames.back(); frame.is_array) {
      m_pointer.resize(frame.pointer_length);
      m_pointer.push_back('/');
      m_pointer += std::to_string(frame.next_index);
    }
    m_document.positions.insert_or_assign(m_pointer, m_lines.at(start));
  }

  Json* add(Json&& value) {
    if (m_frames.empty()) {
      m_document.value = std::move(value);
      return &m_document.value;
    }
    Frame& frame = m_frames.back();
    if (frame.is_array) {
      ++frame.next_index;
      frame.container->push_back(std::move(value));
      return &frame.container->back();
    }
    *m_member = std::move(value);
    return m_member;
  }

  bool add_scalar(Json&& value, std::size_t start) {
    if (m_cursor != nullptr) {
      record(start);
    }
    add(std::move(value));
    return true;
  }

  bool open(Json&& empty, bool is_array) {
    if (m_frames.size() >= m_max_depth) {
      // Stopping the SAX parser here keeps the cost linear and the DOM shallow.
      m_too_deep = true;
      m_error_message = "nested deeper than " + std::to_string(m_max_depth) + " levels";
      return false;
    }
    if (m_cursor != nullptr) {
      record(cursor() - 1);
    }
    // Pointers into the parent stay valid: nothing is added to the parent
    // until this container is closed.
    Json* container = add(std::move(empty));
    m_frames.push_back(Frame{container, is_array, 0, m_pointer.size()});
    return true;
  }

  bool close() {
    m_frames.pop_back();
    return true;
  }

  std::string_view m_text;
  const char* const* m_cursor; ///< null when positions are not recorded
  LineCounter m_lines;
  JsonDocument& m_document;
  std::vector<Frame> m_frames;
  std::string m_pointer;
  Json* m_member = nullptr;
  std::size_t m_max_depth;
  std::size_t m_error_position = 0;
  std::string m_error_message;
  bool m_too_deep = false;
};

} // namespace

std::optional<JsonDocument> parse_json_with_positions(std::string_view text, JsonError& error,
                                                      RecordPositions record,
                                                      std::size_t max_depth) {
  JsonDocument document;
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* published = begin;
  bool ok = false;
  std::size_t error_position = 0;
  std::string error_message;
  bool too_deep = false;
  if (record == RecordPositions::yes) {
    PositionHandler handler(text, &published, document, max_depth);
    ok = Json::sax_parse(TrackingIterator(begin, &published), TrackingIterator(end, &published),
                         &handler, Json::input_format_t::json, true, true);
    error_position = handler.error_position();
    error_message = handler.error_message();
    too_deep = handler.too_deep();
  } else {
    PositionHandler handler(text, nullptr, document, max_depth);
    ok = Json::sax_parse(begin, end, &handler, Json::input_format_t::json, true, true);
    error_position = handler.error_position();
    error_message = handler.error_message();
    too_deep = handler.too_deep();
  }
  if (ok) {
    return document;
  }
  if (too_deep) {
    const SourcePos pos = source_position(text, depth_crossing_offset(text, max_depth));
    error = JsonError{pos.line, pos.column, pos.offset, std::move(error_message), true};
    return std::nullopt;
  }
  const bool bad_literal = error_message.find("invalid literal") != std::string::npos;
  const std::size_t offset = error_offset(text, error_position, bad_literal);
  if (bad_literal) {
    fix_literal_last_read(error_message,
                          text.substr(offset, std::min(error_position, text.size()) - offset));
  }
  const SourcePos pos = source_position(text, offset);
  error = JsonError{pos.line, pos.column, pos.offset, std::move(error_message), false};
  return std::nullopt;
}

SourcePos position_of(const JsonDocument& document, const std::string& pointer) {
  std::string current = pointer;
  while (true) {
    const auto it = document.positions.find(current);
    if (it != document.positions.end()) {
      return it->second;
    }
    if (current.empty()) {
      return {};
    }
    const std::size_t slash = current.rfind('/');
    current.resize(slash == std::string::npos ? 0 : slash);
  }
}

SourcePos position_of(const JsonDocument& document, const nlohmann::json::json_pointer& pointer) {
  return position_of(document, pointer.to_string());
}

SourcePos key_position_of(const JsonDocument& document, const std::string& pointer) {
  const auto it = document.key_positions.find(pointer);
  return it != document.key_positions.end() ? it->second : position_of(document, pointer);
}

SourcePos source_position(std::string_view text, std::size_t offset) {
  return LineCounter(text).at(offset);
}

std::string pointer_append(std::string_view pointer, std::string_view key) {
  std::string result(pointer);
  append_escaped_segment(result, key);
  return result;
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  std::string result(pointer);
  result.push_back('/');
  result += std::to_string(index);
  return result;
}

std::string describe(const JsonError& error) {
  return std::to_string(error.line) + ":" + std::to_string(error.column) + ": " + error.message;
}

} // namespace callsight
