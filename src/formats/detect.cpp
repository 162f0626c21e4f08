// Format detection and dispatch: picks the parser for a transcript from its
// extension and content (or --input-format), through the formats registry.
#include <algorithm>

#include "callsight/formats.hpp"

#include "formats/registry.hpp"
#include "util/json_positions.hpp"

namespace callsight {
namespace {

std::string lower_extension(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) {
    return {};
  }
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
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

const formats::TextFormat* find_text_format(std::string_view name) {
  for (const formats::TextFormat* format : formats::text_formats()) {
    if (format->name == name) {
      return format;
    }
  }
  return nullptr;
}

const formats::JsonFormat* find_json_format(std::string_view name) {
  for (const formats::JsonFormat* format : formats::json_formats()) {
    if (format->name == name) {
      return format;
    }
  }
  return nullptr;
}

// "an object with keys a, b, c" — what an unrecognized JSON file looked like.
std::string describe_shape(const nlohmann::json& doc) {
  if (doc.is_object()) {
    std::string keys;
    std::size_t shown = 0;
    for (const auto& item : doc.items()) {
      if (shown++ == 8) {
        keys += ", ...";
        break;
      }
      keys += (keys.empty() ? "" : ", ") + item.key();
    }
    return keys.empty() ? "an empty object" : "an object with keys " + keys;
  }
  if (doc.is_array()) {
    return "an array of " + std::to_string(doc.size()) + " elements";
  }
  return std::string("a JSON ") + doc.type_name();
}

ParseResult parse_json(std::string_view path, std::string_view text,
                       const formats::JsonFormat* forced, std::size_t max_depth) {
  ParseResult result;
  JsonError error;
  std::optional<JsonDocument> doc =
      parse_json_with_positions(text, error, RecordPositions::no, max_depth);
  if (!doc) {
    result.error = error.too_deep
                       ? "JSON " + error.message + " (--max-json-depth) at " +
                             std::to_string(error.line) + ":" + std::to_string(error.column)
                       : "malformed JSON: " + describe(error);
    return result;
  }
  if (forced != nullptr) {
    return forced->parse(path, doc->value);
  }
  for (const formats::JsonFormat* format : formats::json_formats()) {
    if (format->recognizes(doc->value)) {
      return format->parse(path, doc->value);
    }
  }
  result.error = "unrecognized transcript format: " + describe_shape(doc->value) +
                 " (see 'callsight formats'; --input-format forces one)";
  return result;
}

ParseResult parse_text(const formats::TextFormat* format, std::string_view path,
                       std::string_view text, const ParseLimits& limits) {
  if (format == &formats::k_jsonl_turns) {
    return formats::parse_jsonl_turns(path, text, limits.max_json_depth);
  }
  if (format == &formats::k_plain_text) {
    return parse_plain_text(path, text, limits);
  }
  return format->parse(path, text);
}

// Later stages (roles, tagging, sentiment, metrics, per-call output) all work
// per turn: a file that splits into millions of turns is refused here.
void enforce_turn_limit(ParseResult& result, std::size_t max_turns) {
  for (const Call& call : result.calls) {
    if (call.turns.size() > max_turns) {
      result.error = (result.calls.size() > 1 ? "call '" + call.call_id + "' has " : "") +
                     formats::turn_limit_error(call.turns.size(), max_turns);
      result.calls.clear();
      return;
    }
  }
}

ParseResult parse_detected(std::string_view path, std::string_view text, std::string_view format,
                           const ParseLimits& limits) {
  if (format == "auto") {
    const std::string detected = detect_format(path, text);
    if (detected == "json") {
      return parse_json(path, text, nullptr, limits.max_json_depth);
    }
    return parse_text(find_text_format(detected), path, text, limits);
  }
  if (const formats::TextFormat* text_format = find_text_format(format)) {
    return parse_text(text_format, path, text, limits);
  }
  if (const formats::JsonFormat* json_format = find_json_format(format)) {
    return parse_json(path, text, json_format, limits.max_json_depth);
  }
  ParseResult result;
  result.error = "unknown input format '" + std::string(format) + "'";
  return result;
}

static_assert(ParseLimits{}.max_json_depth == k_default_max_json_depth,
              "one default nesting limit for transcripts, JSON lines and configuration");

} // namespace

namespace formats {

std::string turn_limit_error(std::size_t turns, std::size_t max_turns) {
  std::string message = std::to_string(turns);
  message += " turns, over the ";
  message += std::to_string(max_turns);
  message += "-turn limit (--max-turns)";
  return message;
}

const std::vector<const JsonFormat*>& json_formats() {
  // Engine shapes first; the permissive generic turns format comes last.
  static const std::vector<const JsonFormat*> formats{
      &k_aws_call_analytics, &k_aws_transcribe, &k_whisper_json, &k_assemblyai, &k_deepgram,
      &k_google_ccai,        &k_google_speech,  &k_azure_batch,  &k_rev_ai,     &k_speechmatics,
      &k_generic_json_turns};
  return formats;
}

const std::vector<const TextFormat*>& text_formats() {
  static const std::vector<const TextFormat*> formats{
      &k_webvtt, &k_srt, &k_csv_turns, &k_jsonl_turns, &k_whisper_tsv, &k_plain_text};
  return formats;
}

} // namespace formats

std::vector<std::string> format_names() {
  std::vector<std::string> names;
  for (const formats::JsonFormat* format : formats::json_formats()) {
    names.emplace_back(format->name);
  }
  for (const formats::TextFormat* format : formats::text_formats()) {
    names.emplace_back(format->name);
  }
  return names;
}

std::vector<std::pair<std::string, std::string>> format_descriptions() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const formats::JsonFormat* format : formats::json_formats()) {
    out.emplace_back(format->name, format->description);
  }
  for (const formats::TextFormat* format : formats::text_formats()) {
    out.emplace_back(format->name, format->description);
  }
  return out;
}

std::string detect_format(std::string_view path, std::string_view text) {
  const std::string ext = lower_extension(path);
  for (const formats::TextFormat* format : formats::text_formats()) {
    if (format != &formats::k_plain_text && format->recognizes(path, text)) {
      return std::string(format->name);
    }
  }
  if (ext == "json" || looks_like_json(text)) {
    return "json";
  }
  return std::string(formats::k_plain_text.name);
}

ParseResult parse_transcript(std::string_view path, std::string_view text, std::string_view format,
                             const ParseLimits& limits) {
  ParseResult result = parse_detected(path, text, format, limits);
  enforce_turn_limit(result, limits.max_turns);
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
