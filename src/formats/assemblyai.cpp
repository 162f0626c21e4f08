// AssemblyAI /v2/transcript JSON: speaker utterances (times in ms) when
// diarization or multichannel was on, else words grouped into turns.
#include <algorithm>

#include "callsight/formats.hpp"

#include "formats/json_access.hpp"
#include "formats/registry.hpp"
#include "formats/words.hpp"

namespace callsight::formats {
namespace {

constexpr std::string_view k_label = "AssemblyAI JSON";

bool is_string_member(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* value = find_member(object, key);
  return value != nullptr && value->is_string();
}

bool recognizes_assemblyai(const nlohmann::json& doc) {
  if (!doc.is_object() || doc.contains("results") || doc.contains("segments")) {
    return false;
  }
  // A transcript object as the API returns it, whatever its status.
  if (is_string_member(doc, "status") &&
      (is_string_member(doc, "audio_url") ||
       (is_string_member(doc, "id") && (doc.contains("utterances") || doc.contains("words"))))) {
    return true;
  }
  // Only the utterances kept: AssemblyAI's own utterance shape (ms integers).
  const nlohmann::json* utterances = find_member(doc, "utterances");
  if (utterances == nullptr || !utterances->is_array() || utterances->empty()) {
    return false;
  }
  const nlohmann::json& first = utterances->front();
  const nlohmann::json* start = find_member(first, "start");
  return is_string_member(first, "speaker") && is_string_member(first, "text") &&
         start != nullptr && start->is_number_integer() && first.contains("end") &&
         first.contains("confidence") && first.contains("words");
}

// Reads the members utterances and words share.
struct Piece {
  const std::string* text = nullptr;
  std::optional<double> start_s;
  std::optional<double> end_s;
  std::optional<double> confidence;
  std::optional<std::string> speaker;
  std::optional<int> channel;
};

Piece read_piece(JsonReader& reader, const nlohmann::json& item, const std::string& path) {
  Piece piece;
  if (!reader.expect_object(item, path)) {
    return piece;
  }
  piece.text = reader.string(item, "text", path);
  piece.start_s = reader.seconds(item, "start", path, TimeUnit::milliseconds);
  piece.end_s = reader.seconds(item, "end", path, TimeUnit::milliseconds);
  piece.confidence = reader.number(item, "confidence", path, Presence::optional);
  if (piece.confidence) {
    piece.confidence = clamp_unit(*piece.confidence);
  }
  piece.speaker = reader.label(item, "speaker", path, Presence::optional);
  piece.channel = reader.integer(item, "channel", path, Presence::optional);
  return piece;
}

ParseResult parse_assemblyai(std::string_view path, const nlohmann::json& doc) {
  JsonReader reader(k_label);
  if (!doc.is_object()) {
    reader.fail("", "is not an object");
    return reader.failure();
  }
  const std::string* status = reader.string(doc, "status", "", Presence::optional);
  if (reader.failed()) {
    return reader.failure();
  }
  // A failed or unfinished job has no transcript; say why instead.
  if (status != nullptr && *status == "error") {
    const nlohmann::json* message = find_member(doc, "error");
    ParseResult result;
    const std::string_view reason =
        message != nullptr && message->is_string()
            ? clip_for_message(message->get_ref<const std::string&>(), 300)
            : "no reason given";
    result.error = std::string(k_label) + ": transcription failed: " + std::string(reason);
    return result;
  }
  if (status != nullptr && *status != "completed") {
    ParseResult result;
    result.error = std::string(k_label) + ": transcript is not completed (status \"" +
                   std::string(clip_for_message(*status)) + "\")";
    return result;
  }
  const std::string* id = reader.string(doc, "id", "", Presence::optional);
  const std::string* language = reader.string(doc, "language_code", "", Presence::optional);
  const nlohmann::json* utterances = reader.array(doc, "utterances", "", Presence::optional);
  const nlohmann::json* words = reader.array(doc, "words", "", Presence::optional);
  const std::string* full_text = reader.string(doc, "text", "", Presence::optional);
  if (reader.failed()) {
    return reader.failure();
  }

  Call call;
  call.call_id = id != nullptr && !id->empty() ? *id : call_id_from_path(path);
  call.path = std::string(path);
  call.format = std::string(k_assemblyai.name);
  if (language != nullptr && !language->empty()) {
    call.fields["language"] = *language;
  }
  if (utterances != nullptr && !utterances->empty()) {
    for (std::size_t i = 0; i < utterances->size(); ++i) {
      const Piece piece = read_piece(reader, (*utterances)[i], join_path("utterances", i));
      if (reader.failed()) {
        return reader.failure();
      }
      Turn& turn = call.turns.emplace_back();
      turn.speaker = piece.speaker.value_or("");
      turn.channel = piece.channel;
      turn.start_s = piece.start_s;
      turn.end_s = piece.end_s;
      turn.confidence = piece.confidence;
      turn.text = std::string(trim_space(*piece.text));
    }
    std::vector<std::vector<Turn>> in_order;
    in_order.push_back(std::move(call.turns));
    call.turns = merge_by_start(std::move(in_order));
  } else if (words != nullptr && !words->empty()) {
    // No utterances (diarization off, or dropped): group the words.
    std::vector<Word> grouped;
    grouped.reserve(words->size());
    for (std::size_t i = 0; i < words->size(); ++i) {
      Piece piece = read_piece(reader, (*words)[i], join_path("words", i));
      if (reader.failed()) {
        return reader.failure();
      }
      Word& word = grouped.emplace_back();
      word.text = std::string(trim_space(*piece.text));
      word.speaker = piece.speaker.value_or("");
      word.channel = piece.channel;
      word.start_s = piece.start_s;
      word.end_s = piece.end_s;
      word.confidence = piece.confidence;
    }
    // Multichannel word lists may run channel by channel: put them in time order.
    std::stable_sort(grouped.begin(), grouped.end(), [](const Word& a, const Word& b) {
      return a.start_s.value_or(0) < b.start_s.value_or(0);
    });
    call.turns = group_words(grouped);
  } else if (full_text != nullptr) {
    // Only the text: one turn, with the transcript's confidence.
    Turn& turn = call.turns.emplace_back();
    turn.text = std::string(trim_space(*full_text));
    turn.confidence = reader.number(doc, "confidence", "", Presence::optional);
    if (reader.failed()) {
      return reader.failure();
    }
    if (turn.confidence) {
      turn.confidence = clamp_unit(*turn.confidence);
    }
  }
  return single_call(std::move(call));
}

} // namespace

const JsonFormat k_assemblyai{
    "assemblyai", "AssemblyAI transcript JSON (utterances with speakers A, B; or words)",
    recognizes_assemblyai, parse_assemblyai};

} // namespace callsight::formats
