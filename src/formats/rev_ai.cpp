// Rev.ai transcript JSON: monologues[] (one speaker each) of text and punct
// elements, where punct elements also spell out the spaces between words.
#include <optional>
#include <string>
#include <string_view>

#include "formats/engine_calls.hpp"
#include "formats/json_access.hpp"
#include "formats/registry.hpp"

namespace callsight::formats {
namespace {

using nlohmann::json;

constexpr std::string_view k_rev_name = "rev-ai";
constexpr std::string_view k_rev_json = "Rev.ai JSON";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// `text` trimmed, every run of white space made one space: Rev spells spaces
// out as punct elements, so dropped tags leave doubles behind.
std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
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
  return out;
}

// Appends one monologue's elements to `turn`: its text, the times of its
// first and last word and their mean confidence.
bool read_elements(JsonReader& reader, const json& elements, const std::string& path, Turn& turn) {
  std::string text;
  MeanConfidence confidence;
  bool after_word = false;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::string element_path = join_path(path, i);
    const json& element = elements[i];
    if (!reader.expect_object(element, element_path)) {
      return false;
    }
    const std::string* type = reader.string(element, "type", element_path);
    const std::string* value = reader.string(element, "value", element_path);
    const auto start =
        reader.seconds(element, "ts", element_path, TimeUnit::seconds, Presence::optional);
    const auto end =
        reader.seconds(element, "end_ts", element_path, TimeUnit::seconds, Presence::optional);
    const auto score = reader.number(element, "confidence", element_path, Presence::optional);
    if (reader.failed()) {
      return false;
    }
    if (*type == "punct") {
      text += *value;
      after_word = false;
      continue;
    }
    if (*type != "text") {
      // "unknown": tags such as <inaudible> or <laugh>, not words.
      text.push_back(' ');
      after_word = false;
      continue;
    }
    if (after_word) {
      text.push_back(' '); // two words with no space element between them
    }
    text += *value;
    after_word = true;
    if (!turn.start_s) {
      turn.start_s = start;
    }
    if (end) {
      turn.end_s = end;
    }
    confidence.add(score);
  }
  turn.text = collapse_spaces(text);
  turn.confidence = confidence.value();
  return true;
}

bool recognizes_rev(const json& doc) {
  const json* monologues = find_member(doc, "monologues");
  if (monologues == nullptr || !monologues->is_array()) {
    return false;
  }
  return monologues->empty() || has_member(monologues->front(), "elements");
}

ParseResult parse_rev(std::string_view path, const json& doc) {
  JsonReader reader(k_rev_json);
  if (!reader.expect_object(doc, "")) {
    return reader.failure();
  }
  const json* monologues = reader.array(doc, "monologues", "");
  if (monologues == nullptr) {
    return reader.failure();
  }
  Call call = new_call(path, k_rev_name, "");
  call.turns.reserve(monologues->size());
  for (std::size_t i = 0; i < monologues->size(); ++i) {
    const std::string monologue_path = join_path("monologues", i);
    const json& monologue = (*monologues)[i];
    if (!reader.expect_object(monologue, monologue_path)) {
      return reader.failure();
    }
    const std::optional<std::string> speaker =
        reader.label(monologue, "speaker", monologue_path, Presence::optional);
    const std::string* name =
        reader.string(monologue, "speaker_name", monologue_path, Presence::optional);
    const json* elements = reader.array(monologue, "elements", monologue_path);
    if (reader.failed()) {
      return reader.failure();
    }
    Turn turn;
    // A name given to Rev wins over its speaker number.
    turn.speaker = name != nullptr && !name->empty() ? *name : speaker.value_or(std::string());
    if (!read_elements(reader, *elements, join_path(monologue_path, "elements"), turn)) {
      return reader.failure();
    }
    call.turns.push_back(std::move(turn));
  }
  return finish_call(std::move(call));
}

} // namespace

const JsonFormat k_rev_ai{k_rev_name,
                          "Rev.ai transcript JSON (monologues[] of text and punct elements)",
                          recognizes_rev, parse_rev};

} // namespace callsight::formats
