// Whisper output: OpenAI Whisper / WhisperX JSON (segments, optional words,
// WhisperX speakers) and Whisper's TSV (start and end in milliseconds, text).
#include <cmath>

#include "callsight/formats.hpp"

#include "formats/json_access.hpp"
#include "formats/registry.hpp"

namespace callsight::formats {
namespace {

constexpr std::string_view k_json_label = "Whisper JSON";
constexpr std::string_view k_tsv_label = "Whisper TSV";
constexpr std::string_view k_tsv_header = "start\tend\ttext";

// Whisper, WhisperX and faster-whisper all write "segments" of {start, end,
// text} in seconds; an empty list counts only with Whisper's top-level
// "language" (or WhisperX's "word_segments") beside it. The generic JSON
// turns format leaves "segments" to this one.
bool recognizes_whisper_json(const nlohmann::json& doc) {
  const nlohmann::json* segments = find_member(doc, "segments");
  if (segments == nullptr || !segments->is_array() || has_member(doc, "results")) {
    return false;
  }
  if (segments->empty()) {
    const nlohmann::json* language = find_member(doc, "language");
    return ((language != nullptr && language->is_string()) || has_member(doc, "word_segments")) &&
           has_member(doc, "text");
  }
  const nlohmann::json& first = segments->front();
  const nlohmann::json* start = find_member(first, "start");
  const nlohmann::json* end = find_member(first, "end");
  const nlohmann::json* text = find_member(first, "text");
  return start != nullptr && start->is_number() && end != nullptr && end->is_number() &&
         text != nullptr && text->is_string();
}

// A segment's confidence: the mean of its words' `probability` (Whisper) or
// `score` (WhisperX) when they have one, else exp(avg_logprob).
std::optional<double> segment_confidence(JsonReader& reader, const nlohmann::json& segment,
                                         const std::string& path) {
  double sum = 0;
  std::size_t count = 0;
  if (const nlohmann::json* words = reader.array(segment, "words", path, Presence::optional)) {
    const std::string words_path = join_path(path, "words");
    for (std::size_t i = 0; i < words->size(); ++i) {
      const std::string word_path = join_path(words_path, i);
      const nlohmann::json& word = (*words)[i];
      if (!reader.expect_object(word, word_path)) {
        return std::nullopt;
      }
      std::optional<double> probability =
          reader.number(word, "probability", word_path, Presence::optional);
      if (!probability) {
        probability = reader.number(word, "score", word_path, Presence::optional);
      }
      if (reader.failed()) {
        return std::nullopt;
      }
      if (probability) {
        sum += clamp_unit(*probability);
        ++count;
      }
    }
  }
  if (count > 0) {
    return sum / static_cast<double>(count);
  }
  if (const auto logprob = reader.number(segment, "avg_logprob", path, Presence::optional)) {
    return clamp_unit(std::exp(*logprob));
  }
  return std::nullopt;
}

ParseResult parse_whisper_json(std::string_view path, const nlohmann::json& doc) {
  JsonReader reader(k_json_label);
  if (!doc.is_object()) {
    reader.fail("", "is not an object");
    return reader.failure();
  }
  const nlohmann::json* segments = reader.array(doc, "segments", "");
  const std::string* language = reader.string(doc, "language", "", Presence::optional);
  if (reader.failed()) {
    return reader.failure();
  }
  Call call;
  call.call_id = call_id_from_path(path);
  call.path = std::string(path);
  call.format = std::string(k_whisper_json.name);
  if (language != nullptr && !language->empty()) {
    call.fields["language"] = *language;
  }
  // Confidence of the current turn: the mean over its merged segments.
  double confidence_sum = 0;
  std::size_t confidence_count = 0;
  for (std::size_t i = 0; i < segments->size(); ++i) {
    const std::string segment_path = join_path("segments", i);
    const nlohmann::json& segment = (*segments)[i];
    if (!reader.expect_object(segment, segment_path)) {
      return reader.failure();
    }
    const std::string* text = reader.string(segment, "text", segment_path);
    const auto start = reader.seconds(segment, "start", segment_path, TimeUnit::seconds);
    const auto end = reader.seconds(segment, "end", segment_path, TimeUnit::seconds);
    const auto speaker = reader.label(segment, "speaker", segment_path, Presence::optional);
    const auto confidence = segment_confidence(reader, segment, segment_path);
    if (reader.failed()) {
      return reader.failure();
    }
    const std::string_view trimmed = trim_space(*text);
    if (trimmed.empty()) {
      continue;
    }
    // WhisperX: consecutive segments of one speaker are one turn.
    const bool merge = speaker && !speaker->empty() && !call.turns.empty() &&
                       call.turns.back().speaker == *speaker;
    if (!merge) {
      Turn& turn = call.turns.emplace_back();
      turn.speaker = speaker.value_or("");
      turn.start_s = start;
      confidence_sum = 0;
      confidence_count = 0;
    }
    Turn& turn = call.turns.back();
    if (!turn.text.empty()) {
      turn.text.push_back(' ');
    }
    turn.text.append(trimmed);
    turn.end_s = end;
    if (confidence) {
      confidence_sum += *confidence;
      ++confidence_count;
      turn.confidence = confidence_sum / static_cast<double>(confidence_count);
    }
  }
  return single_call(std::move(call));
}

bool has_tsv_extension(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.size() < 5) {
    return false;
  }
  std::string ext(name.substr(name.size() - 4));
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + ('a' - 'A'));
    }
  }
  return ext == ".tsv";
}

// The line at `pos` without its "\n" or "\r\n"; advances `pos` past it.
std::string_view next_line(std::string_view text, std::size_t& pos) {
  std::size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) {
    end = text.size();
  }
  std::string_view line = text.substr(pos, end - pos);
  pos = end + 1;
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

std::string_view skip_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  return text;
}

bool recognizes_whisper_tsv(std::string_view path, std::string_view text) {
  if (!has_tsv_extension(path)) {
    return false;
  }
  std::size_t pos = 0;
  return next_line(skip_bom(text), pos) == k_tsv_header;
}

std::string tsv_error(std::size_t line_number, std::string_view reason) {
  return std::string(k_tsv_label) + ": line " + std::to_string(line_number) + ": " +
         std::string(reason);
}

// Rows "start<TAB>end<TAB>text" with times in milliseconds; the header line
// is optional when the format is forced. Each row is one turn, no speaker.
ParseResult parse_whisper_tsv(std::string_view path, std::string_view text) {
  text = skip_bom(text);
  Call call;
  call.call_id = call_id_from_path(path);
  call.path = std::string(path);
  call.format = std::string(k_whisper_tsv.name);
  std::size_t pos = 0;
  std::size_t line_number = 0;
  while (pos < text.size()) {
    const std::string_view line = next_line(text, pos);
    ++line_number;
    if ((line_number == 1 && line == k_tsv_header) || trim_space(line).empty()) {
      continue;
    }
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) {
      ParseResult result;
      result.error = tsv_error(line_number, "expected start, end and text separated by tabs");
      return result;
    }
    const std::string_view start_field = line.substr(0, tab1);
    const std::string_view end_field = line.substr(tab1 + 1, tab2 - tab1 - 1);
    const auto start_ms = parse_number(start_field);
    const auto end_ms = parse_number(end_field);
    if (!start_ms || !end_ms) {
      const bool bad_start = !start_ms;
      ParseResult result;
      result.error = tsv_error(
          line_number, std::string(bad_start ? "start \"" : "end \"") +
                           std::string(clip_for_message(bad_start ? start_field : end_field)) +
                           "\" is not a number of milliseconds");
      return result;
    }
    const std::string_view row_text = trim_space(line.substr(tab2 + 1));
    if (row_text.empty()) {
      continue;
    }
    Turn& turn = call.turns.emplace_back();
    turn.start_s = ms_to_s(*start_ms);
    turn.end_s = ms_to_s(*end_ms);
    turn.text = std::string(row_text);
  }
  return single_call(std::move(call));
}

} // namespace

const JsonFormat k_whisper_json{
    "whisper-json",
    "OpenAI Whisper / WhisperX JSON (segments; WhisperX speaker labels merge into turns)",
    recognizes_whisper_json, parse_whisper_json};

const TextFormat k_whisper_tsv{"whisper-tsv",
                               "Whisper TSV output (.tsv with header start, end, text in ms)",
                               recognizes_whisper_tsv, parse_whisper_tsv};

} // namespace callsight::formats
