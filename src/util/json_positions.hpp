// JSON parsing that remembers where each value and key came from, so config
// and transcript errors can say `path: line:column: reason`.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace callsight {

/// A place in a source text. Line and column are 1-based, the column counts
/// bytes (a tab or a UTF-8 sequence advances it by its byte length). Line 0
/// means "no known place".
struct SourcePos {
  int line = 0;
  int column = 0;
  std::size_t offset = 0; ///< byte offset from the start of the text
};

/// Why a JSON text did not parse, and where: the start of the offending token
/// (for an unexpected token) or the byte at which the lexer gave up.
struct JsonError {
  int line = 0;
  int column = 0;
  std::size_t offset = 0;
  /// nlohmann's reason without its "[json.exception...] parse error at line
  /// L, column C: " prefix, e.g. "syntax error while parsing object -
  /// unexpected string literal; expected '}'".
  std::string message;
  /// Parsing stopped at the nesting limit: the text may be valid JSON.
  bool too_deep = false;
};

/// A member key that appeared twice in one object (the later one wins in
/// `JsonDocument::value`, as in nlohmann's own parser).
struct DuplicateKey {
  std::string pointer; ///< JSON pointer of the member, e.g. "/topics/0/id"
  SourcePos first;     ///< key position of the first occurrence
  SourcePos second;    ///< key position of the later occurrence
};

struct JsonDocument {
  nlohmann::json value;
  /// JSON pointer ("" for the root, "/topics/3/phrases/0") -> position of the
  /// first byte of the value: its opening quote, brace, bracket, digit or sign.
  std::map<std::string, SourcePos> positions;
  /// JSON pointer of an object member -> position of its key's opening quote.
  std::map<std::string, SourcePos> key_positions;
  std::vector<DuplicateKey> duplicate_keys;
};

/// Whether to build the pointer -> position maps. Small config files want
/// them; multi-megabyte transcripts only need the value (and error places).
enum class RecordPositions : std::uint8_t { no, yes };

/// Default nesting limit of parse_json_with_positions (--max-json-depth).
inline constexpr std::size_t k_default_max_json_depth = 256;

/// Parses `text` as strict JSON that may contain // and /* */ comments.
/// A UTF-8 BOM is skipped (offsets and columns still count its bytes).
/// On failure returns nullopt and fills `error`. With RecordPositions::no the
/// maps and `duplicate_keys` stay empty.
/// Arrays and objects nested more than `max_depth` deep are an error found
/// while parsing, at the bracket that crosses the limit: the document is never
/// built, so no later code can recurse over it or record one pointer string
/// per level (quadratic in the depth).
std::optional<JsonDocument>
parse_json_with_positions(std::string_view text, JsonError& error,
                          RecordPositions record = RecordPositions::yes,
                          std::size_t max_depth = k_default_max_json_depth);

/// Position of the value at `pointer`, or of its nearest recorded ancestor, or
/// {0, 0} when nothing is recorded.
SourcePos position_of(const JsonDocument& document, const std::string& pointer);
SourcePos position_of(const JsonDocument& document, const nlohmann::json::json_pointer& pointer);

/// Position of the key of member `pointer`; falls back like position_of.
SourcePos key_position_of(const JsonDocument& document, const std::string& pointer);

/// Line and column of a byte offset in `text` (an offset past the end is
/// clamped to the end).
SourcePos source_position(std::string_view text, std::size_t offset);

/// `pointer` extended by one member name, escaped per RFC 6901 (~ -> ~0, / -> ~1).
std::string pointer_append(std::string_view pointer, std::string_view key);
/// `pointer` extended by one array index.
std::string pointer_append(std::string_view pointer, std::size_t index);

/// "line:column: message", the tail of a `path: line:column: reason` report.
std::string describe(const JsonError& error);

} // namespace callsight
