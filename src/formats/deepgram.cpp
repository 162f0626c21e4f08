// Deepgram /v1/listen JSON: results.utterances when requested, else each
// channel's words (speaker labels when diarized) grouped into turns and the
// channels merged by start time.
#include "callsight/formats.hpp"

#include "formats/json_access.hpp"
#include "formats/registry.hpp"
#include "formats/words.hpp"

namespace callsight::formats {
namespace {

constexpr std::string_view k_label = "Deepgram JSON";

bool recognizes_deepgram(const nlohmann::json& doc) {
  const nlohmann::json* results = find_member(doc, "results");
  if (results == nullptr || !results->is_object() || results->contains("items")) {
    return false;
  }
  const nlohmann::json* channels = find_member(*results, "channels");
  if (channels != nullptr && channels->is_array()) {
    if (channels->empty()) {
      const nlohmann::json* metadata = find_member(doc, "metadata");
      return metadata != nullptr && metadata->is_object() && metadata->contains("request_id");
    }
    const nlohmann::json* alternatives = find_member(channels->front(), "alternatives");
    return alternatives != nullptr && alternatives->is_array();
  }
  const nlohmann::json* utterances = find_member(*results, "utterances");
  const nlohmann::json* metadata = find_member(doc, "metadata");
  return utterances != nullptr && utterances->is_array() && metadata != nullptr &&
         metadata->is_object();
}

std::optional<double> read_confidence(JsonReader& reader, const nlohmann::json& item,
                                      const std::string& path) {
  const auto confidence = reader.number(item, "confidence", path, Presence::optional);
  return confidence ? std::optional<double>(clamp_unit(*confidence)) : std::nullopt;
}

// Turns from results.utterances (already one per speaker stretch).
bool read_utterances(JsonReader& reader, const nlohmann::json& utterances, bool multichannel,
                     std::vector<Turn>& turns) {
  for (std::size_t i = 0; i < utterances.size(); ++i) {
    const std::string path = join_path("results.utterances", i);
    const nlohmann::json& utterance = utterances[i];
    if (!reader.expect_object(utterance, path)) {
      return false;
    }
    const std::string* text = reader.string(utterance, "transcript", path);
    const auto start = reader.seconds(utterance, "start", path, TimeUnit::seconds);
    const auto end = reader.seconds(utterance, "end", path, TimeUnit::seconds);
    const auto confidence = read_confidence(reader, utterance, path);
    const auto speaker = reader.label(utterance, "speaker", path, Presence::optional);
    const auto channel = reader.integer(utterance, "channel", path, Presence::optional);
    if (reader.failed()) {
      return false;
    }
    Turn& turn = turns.emplace_back();
    turn.speaker = speaker.value_or("");
    turn.start_s = start;
    turn.end_s = end;
    turn.confidence = confidence;
    turn.channel = multichannel ? channel : std::nullopt;
    turn.text = std::string(trim_space(*text));
  }
  return true;
}

// One channel's first alternative: its words grouped into turns, or its
// transcript as one turn when it has no words.
bool read_channel(JsonReader& reader, const nlohmann::json& channel, std::size_t index,
                  bool multichannel, std::vector<Turn>& turns) {
  const std::string path = join_path("results.channels", index);
  if (!reader.expect_object(channel, path)) {
    return false;
  }
  const nlohmann::json* alternatives = reader.array(channel, "alternatives", path);
  if (alternatives == nullptr) {
    return false;
  }
  if (alternatives->empty()) {
    return true; // silence: Deepgram sends "alternatives": []
  }
  const std::string alt_path = join_path(join_path(path, "alternatives"), std::size_t{0});
  const nlohmann::json& alternative = alternatives->front();
  if (!reader.expect_object(alternative, alt_path)) {
    return false;
  }
  const std::optional<int> channel_id =
      multichannel ? std::optional<int>(static_cast<int>(index)) : std::nullopt;
  const nlohmann::json* words = reader.array(alternative, "words", alt_path, Presence::optional);
  if (words == nullptr || words->empty()) {
    const std::string* transcript =
        reader.string(alternative, "transcript", alt_path, Presence::optional);
    const auto confidence = read_confidence(reader, alternative, alt_path);
    if (reader.failed()) {
      return false;
    }
    if (transcript != nullptr) {
      Turn& turn = turns.emplace_back();
      turn.text = std::string(trim_space(*transcript));
      turn.confidence = confidence;
      turn.channel = channel_id;
    }
    return true;
  }
  std::vector<Word> grouped;
  grouped.reserve(words->size());
  const std::string words_path = join_path(alt_path, "words");
  for (std::size_t i = 0; i < words->size(); ++i) {
    const std::string word_path = join_path(words_path, i);
    const nlohmann::json& item = (*words)[i];
    if (!reader.expect_object(item, word_path)) {
      return false;
    }
    // punctuated_word ("Hello,") when smart formatting is on, else word.
    const std::string* text = reader.string(item, "punctuated_word", word_path, Presence::optional);
    if (text == nullptr) {
      text = reader.string(item, "word", word_path);
    }
    Word& word = grouped.emplace_back();
    word.start_s = reader.seconds(item, "start", word_path, TimeUnit::seconds);
    word.end_s = reader.seconds(item, "end", word_path, TimeUnit::seconds);
    word.confidence = read_confidence(reader, item, word_path);
    word.speaker = reader.label(item, "speaker", word_path, Presence::optional).value_or("");
    if (reader.failed()) {
      return false;
    }
    word.text = std::string(trim_space(*text));
    word.channel = channel_id;
  }
  std::vector<Turn> channel_turns = group_words(grouped);
  turns.insert(turns.end(), std::make_move_iterator(channel_turns.begin()),
               std::make_move_iterator(channel_turns.end()));
  return true;
}

ParseResult parse_deepgram(std::string_view path, const nlohmann::json& doc) {
  JsonReader reader(k_label);
  if (!doc.is_object()) {
    reader.fail("", "is not an object");
    return reader.failure();
  }
  const nlohmann::json* metadata = reader.object(doc, "metadata", "", Presence::optional);
  const std::string* request_id =
      metadata != nullptr ? reader.string(*metadata, "request_id", "metadata", Presence::optional)
                          : nullptr;
  const nlohmann::json* results = reader.object(doc, "results", "");
  if (reader.failed()) {
    return reader.failure();
  }
  const nlohmann::json* channels =
      reader.array(*results, "channels", "results", Presence::optional);
  const nlohmann::json* utterances =
      reader.array(*results, "utterances", "results", Presence::optional);
  if (reader.failed()) {
    return reader.failure();
  }
  if (channels == nullptr && (utterances == nullptr || utterances->empty())) {
    reader.fail("results.channels", "is missing");
    return reader.failure();
  }
  // metadata.channels counts audio channels when results.channels is absent.
  const nlohmann::json* channel_count =
      metadata != nullptr ? find_member(*metadata, "channels") : nullptr;
  const bool multichannel =
      (channels != nullptr && channels->size() > 1) ||
      (channel_count != nullptr && channel_count->is_number() && channel_count->get<double>() > 1);

  Call call;
  call.call_id =
      request_id != nullptr && !request_id->empty() ? *request_id : call_id_from_path(path);
  call.path = std::string(path);
  call.format = std::string(k_deepgram.name);
  std::vector<std::vector<Turn>> per_channel;
  if (utterances != nullptr && !utterances->empty()) {
    if (!read_utterances(reader, *utterances, multichannel, per_channel.emplace_back())) {
      return reader.failure();
    }
  } else {
    for (std::size_t c = 0; c < channels->size(); ++c) {
      if (!read_channel(reader, (*channels)[c], c, multichannel, per_channel.emplace_back())) {
        return reader.failure();
      }
    }
  }
  call.turns = merge_by_start(std::move(per_channel));
  return single_call(std::move(call));
}

} // namespace

const JsonFormat k_deepgram{
    "deepgram", "Deepgram JSON (results.utterances, or channel words with diarized speakers)",
    recognizes_deepgram, parse_deepgram};

} // namespace callsight::formats
