// Format detection and dispatch: picks the parser for a transcript from its
// extension and first bytes, and names the formats this build reads.
#include <algorithm>

#include "callsight/formats.hpp"

namespace callsight {
namespace {

std::string_view extension_of(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) {
    return {};
  }
  return name.substr(dot + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// JSON transcripts open with an object, or an array of objects/strings; a
// line such as "[00:00:03] Agent: ..." is a timestamped plain-text transcript.
bool looks_like_json(std::string_view text) {
  const std::size_t pos = text.find_first_not_of(" \t\n");
  if (pos == std::string_view::npos) {
    return false;
  }
  if (text[pos] == '{') {
    return true;
  }
  if (text[pos] != '[') {
    return false;
  }
  const std::size_t next = text.find_first_not_of(" \t\n", pos + 1);
  return next == std::string_view::npos || text[next] == '{' || text[next] == '[' ||
         text[next] == '"' || text[next] == ']';
}

} // namespace

std::vector<std::string> format_names() { return {"text"}; }

std::string detect_format(std::string_view path, std::string_view text) {
  const std::string ext = lower(extension_of(path));
  if (ext == "json" || ext == "jsonl" || looks_like_json(text)) {
    return {}; // structured engine output: read by the parsers of later formats
  }
  return "text";
}

ParseResult parse_transcript(std::string_view path, std::string_view text,
                             std::string_view format) {
  std::string chosen(format);
  if (chosen == "auto") {
    chosen = detect_format(path, text);
    if (chosen.empty()) {
      ParseResult result;
      result.error = "unrecognized transcript format (looks like JSON; this build reads: text)";
      return result;
    }
  }
  if (chosen == "text") {
    return parse_plain_text(path, text);
  }
  ParseResult result;
  result.error = "unknown input format '" + chosen + "'";
  return result;
}

std::string call_id_from_path(std::string_view path) {
  if (path == "-") {
    return "stdin";
  }
  const std::size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) {
    name = name.substr(0, dot);
  }
  return std::string(name);
}

} // namespace callsight
