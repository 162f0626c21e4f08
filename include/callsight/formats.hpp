// Transcript formats: detection and one parser per format, each producing a Call.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "callsight/call.hpp"

namespace callsight {

/// Outcome of parsing: the calls in a file (usually one; a CSV or JSONL of
/// turns may hold several, keyed by call id), or the reason it is not a
/// transcript.
struct ParseResult {
  std::vector<Call> calls;
  std::string error; ///< empty on success
};

/// Limits that keep a hostile file from exhausting the stack, memory or time.
struct ParseLimits {
  /// A call with more turns is an error (--max-turns): later stages work per
  /// turn, and a real call has a few thousand at most.
  std::size_t max_turns = 100000;
  /// JSON documents and JSON lines nested deeper are an error, found while
  /// parsing, before any code walks the document (--max-json-depth).
  std::size_t max_json_depth = 256;
};

/// Names of the formats `--input-format` accepts ("auto" detects).
std::vector<std::string> format_names();
/// (name, one-line description) of every format, for `callsight formats`.
std::vector<std::pair<std::string, std::string>> format_descriptions();

/// The format a file would be read as: a text format's name, or "json" when
/// the JSON formats will be tried on the parsed document.
std::string detect_format(std::string_view path, std::string_view text);

/// Parses UTF-8 `text`. `format` is a name from format_names() or "auto".
ParseResult parse_transcript(std::string_view path, std::string_view text, std::string_view format,
                             const ParseLimits& limits = {});

/// Plain text with optional speaker labels, timestamps and a header block.
ParseResult parse_plain_text(std::string_view path, std::string_view text);
/// The same with limits: a file over `limits.max_turns` is refused while it
/// is parsed, holding no more than that many turns in memory.
ParseResult parse_plain_text(std::string_view path, std::string_view text,
                             const ParseLimits& limits);

/// Role implied by a speaker label ("Agent", "Rep" -> agent; "Customer",
/// "Caller" -> customer); unknown for names and generic labels.
Role role_from_label(std::string_view label);

/// The call id implied by a path: its file name without extension.
std::string call_id_from_path(std::string_view path);

} // namespace callsight
