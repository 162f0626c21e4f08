// Google Cloud output: Speech-to-Text v1/v2 recognize responses (results[]
// with word times and diarization speaker tags) and Contact Center AI
// Insights conversations (transcript segments with explicit participant
// roles, or the simpler "entries" upload form).
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/engine_calls.hpp"
#include "formats/json_access.hpp"
#include "formats/registry.hpp"
#include "formats/words.hpp"

namespace callsight::formats {
namespace {

using nlohmann::json;

constexpr std::string_view k_speech_name = "google-speech";
constexpr std::string_view k_speech_json = "Google Speech JSON";
constexpr std::string_view k_ccai_name = "google-ccai";
constexpr std::string_view k_ccai_json = "Google CCAI JSON";

constexpr double k_seconds_per_nano = 1e-9;
constexpr double k_seconds_per_micro = 1e-6;
// Two times this close are the same instant (engines round to milliseconds).
constexpr double k_same_time_s = 1e-3;

// Seconds from a protobuf Duration as JSON writes it ("1.500s"), as a bare
// number, or as the object some client libraries dump
// ({"seconds": "1", "nanos": 500000000}, zero fields omitted).
std::optional<double> duration_value(const json& value) {
  if (!value.is_object()) {
    return to_seconds(value, TimeUnit::duration);
  }
  double total = 0;
  if (const json* seconds = find_member(value, "seconds")) {
    const std::optional<double> whole = to_double(*seconds);
    if (!whole) {
      return std::nullopt;
    }
    total += *whole;
  }
  if (const json* nanos = find_member(value, "nanos")) {
    const std::optional<double> fraction = to_double(*nanos);
    if (!fraction) {
      return std::nullopt;
    }
    total += *fraction * k_seconds_per_nano;
  }
  return finite(total);
}

// The optional Duration member `key` of `parent`.
std::optional<double> read_duration(JsonReader& reader, const json& parent, std::string_view key,
                                    std::string_view parent_path) {
  const json* value = find_member(parent, key);
  if (value == nullptr) {
    return std::nullopt;
  }
  const std::optional<double> seconds = duration_value(*value);
  if (!seconds) {
    reader.fail(join_path(parent_path, key), "is not a duration");
  }
  return seconds;
}

// Google writes a confidence of 0 for "not set".
std::optional<double> set_confidence(std::optional<double> confidence) {
  return confidence && *confidence > 0 ? clamped(confidence) : std::nullopt;
}

// ---- Speech-to-Text ---------------------------------------------------------

struct SpeechResult {
  std::optional<int> channel;
  std::vector<Word> words;
  const std::string* transcript = nullptr;
  std::optional<double> confidence;
  std::optional<double> end_s;
  bool diarized = false; ///< some word carries a speaker tag or label
};

// One WordInfo: v1 startTime/endTime + speakerTag (int), v2 startOffset/
// endOffset + speakerLabel (string), in camelCase or snake_case.
bool read_word(JsonReader& reader, const json& value, const std::string& path, Word& word) {
  if (!reader.expect_object(value, path)) {
    return false;
  }
  const std::string* text = reader.string(value, "word", path);
  word.start_s = read_duration(
      reader, value, first_key(value, {"startTime", "startOffset", "start_time", "start_offset"}),
      path);
  word.end_s = read_duration(
      reader, value, first_key(value, {"endTime", "endOffset", "end_time", "end_offset"}), path);
  word.confidence = set_confidence(reader.number(value, "confidence", path, Presence::optional));
  const std::optional<int> tag = reader.integer(
      value, first_key(value, {"speakerTag", "speaker_tag"}), path, Presence::optional);
  const std::string* label = reader.string(
      value, first_key(value, {"speakerLabel", "speaker_label"}), path, Presence::optional);
  if (reader.failed()) {
    return false;
  }
  word.text = *text;
  if (label != nullptr && !label->empty()) {
    word.speaker = *label;
  } else if (tag && *tag != 0) {
    word.speaker = std::to_string(*tag);
  }
  return true;
}

bool read_result(JsonReader& reader, const json& value, const std::string& path,
                 SpeechResult& result) {
  if (!reader.expect_object(value, path)) {
    return false;
  }
  result.channel = reader.integer(value, first_key(value, {"channelTag", "channel_tag"}), path,
                                  Presence::optional);
  result.end_s = read_duration(reader, value,
                               first_key(value, {"resultEndTime", "resultEndOffset",
                                                 "result_end_time", "result_end_offset"}),
                               path);
  const json* alternatives = reader.array(value, "alternatives", path, Presence::optional);
  if (reader.failed()) {
    return false;
  }
  if (alternatives == nullptr || alternatives->empty()) {
    return true; // a stretch without speech
  }
  const std::string best_path = join_path(join_path(path, "alternatives"), std::size_t{0});
  const json& best = alternatives->front();
  if (!reader.expect_object(best, best_path)) {
    return false;
  }
  result.transcript = reader.string(best, "transcript", best_path, Presence::optional);
  result.confidence =
      set_confidence(reader.number(best, "confidence", best_path, Presence::optional));
  const json* words = reader.array(best, "words", best_path, Presence::optional);
  if (reader.failed()) {
    return false;
  }
  if (words == nullptr) {
    return true;
  }
  result.words.reserve(words->size());
  for (std::size_t i = 0; i < words->size(); ++i) {
    Word word;
    if (!read_word(reader, (*words)[i], join_path(join_path(best_path, "words"), i), word)) {
      return false;
    }
    word.channel = result.channel;
    result.diarized = result.diarized || !word.speaker.empty();
    result.words.push_back(std::move(word));
  }
  return true;
}

// With diarization Google repeats every word of the channel, tagged, in the
// final result. True when `last` is such a summary: it starts no later than
// the other results (or, without times, holds at least as many words).
bool repeats_earlier_words(const std::vector<const SpeechResult*>& channel,
                           const SpeechResult& last) {
  std::size_t earlier_words = 0;
  std::optional<double> earliest;
  for (const SpeechResult* result : channel) {
    if (result == &last || result->words.empty()) {
      continue;
    }
    earlier_words += result->words.size();
    if (const auto start = result->words.front().start_s;
        start && (!earliest || *start < *earliest)) {
      earliest = start;
    }
  }
  if (earlier_words == 0) {
    return true;
  }
  const std::optional<double> first = last.words.front().start_s;
  if (earliest && first) {
    return *first <= *earliest + k_same_time_s;
  }
  return last.words.size() >= earlier_words;
}

// Speaker turns from the tagged words of one channel's results.
std::vector<Turn> diarized_turns(const std::vector<const SpeechResult*>& results) {
  const SpeechResult* last = nullptr;
  for (const SpeechResult* result : results) {
    if (result->diarized) {
      last = result;
    }
  }
  if (repeats_earlier_words(results, *last)) {
    return group_words(last->words);
  }
  std::vector<Word> words;
  for (const SpeechResult* result : results) {
    words.insert(words.end(), result->words.begin(), result->words.end());
  }
  return group_words(words);
}

std::string joined_words(const std::vector<Word>& words) {
  std::string text;
  for (const Word& word : words) {
    if (!text.empty()) {
      text.push_back(' ');
    }
    text += word.text;
  }
  return text;
}

// One turn per result of one channel. A result spans from the end of the one
// before it, so that start is used when the words carry no times.
std::vector<Turn> result_turns(std::optional<int> channel,
                               const std::vector<const SpeechResult*>& results) {
  std::vector<Turn> turns;
  turns.reserve(results.size());
  std::optional<double> previous_end = 0.0;
  for (const SpeechResult* result : results) {
    Turn turn;
    turn.channel = channel;
    turn.text = result->transcript != nullptr ? std::string(trim_space(*result->transcript))
                                              : std::string();
    if (turn.text.empty()) {
      turn.text = std::string(trim_space(joined_words(result->words)));
    }
    MeanConfidence word_confidence;
    for (const Word& word : result->words) {
      if (!turn.start_s) {
        turn.start_s = word.start_s;
      }
      if (word.end_s) {
        turn.end_s = word.end_s;
      }
      word_confidence.add(word.confidence);
    }
    if (!turn.start_s && result->end_s) {
      turn.start_s = previous_end;
    }
    if (!turn.end_s) {
      turn.end_s = result->end_s;
    }
    turn.confidence = result->confidence ? result->confidence : word_confidence.value();
    previous_end = result->end_s ? result->end_s : turn.end_s;
    turns.push_back(std::move(turn));
  }
  return turns;
}

// Turns of every channel in conversation order: speaker turns from tagged
// words where a channel has them, else one turn per result.
std::vector<Turn> speech_turns(const std::vector<SpeechResult>& results) {
  std::map<std::optional<int>, std::vector<const SpeechResult*>> channels;
  for (const SpeechResult& result : results) {
    channels[result.channel].push_back(&result);
  }
  std::vector<std::vector<Turn>> per_channel;
  per_channel.reserve(channels.size());
  for (const auto& [channel, channel_results] : channels) {
    const bool diarized = std::any_of(channel_results.begin(), channel_results.end(),
                                      [](const SpeechResult* result) { return result->diarized; });
    per_channel.push_back(diarized ? diarized_turns(channel_results)
                                   : result_turns(channel, channel_results));
  }
  return merge_by_start(std::move(per_channel));
}

// The recognize response itself, or the one a long-running operation wraps.
const json& speech_body(const json& doc, std::string& path) {
  if (const json* response = find_member(doc, "response");
      response != nullptr && response->is_object() && has_member(*response, "results")) {
    path = "response";
    return *response;
  }
  return doc;
}

bool recognizes_speech(const json& doc) {
  std::string path;
  const json& body = speech_body(doc, path);
  const json* results = find_member(body, "results");
  if (results == nullptr || !results->is_array()) {
    return false;
  }
  if (results->empty()) {
    const json* type = find_member(body, "@type");
    return type != nullptr && type->is_string() &&
           type->get_ref<const std::string&>().find("google.cloud.speech") != std::string::npos;
  }
  // Speechmatics also has results[].alternatives, but with "content".
  constexpr std::size_t k_results_checked = 8;
  for (std::size_t i = 0; i < results->size() && i < k_results_checked; ++i) {
    const json* alternatives = find_member((*results)[i], "alternatives");
    if (alternatives == nullptr || !alternatives->is_array() || alternatives->empty()) {
      continue;
    }
    const json& best = alternatives->front();
    return has_member(best, "transcript") ||
           (has_member(best, "words") && !has_member(best, "content"));
  }
  return false;
}

ParseResult parse_speech(std::string_view path, const json& doc) {
  JsonReader reader(k_speech_json);
  if (!reader.expect_object(doc, "")) {
    return reader.failure();
  }
  std::string body_path;
  const json& body = speech_body(doc, body_path);
  const json* results_json = reader.array(body, "results", body_path);
  if (results_json == nullptr) {
    return reader.failure();
  }
  const std::string results_path = join_path(body_path, "results");
  std::vector<SpeechResult> results(results_json->size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!read_result(reader, (*results_json)[i], join_path(results_path, i), results[i])) {
      return reader.failure();
    }
  }
  Call call = new_call(path, k_speech_name, "");
  call.turns = speech_turns(results);
  return finish_call(std::move(call));
}

// ---- Contact Center AI Insights ---------------------------------------------

// "projects/p/locations/l/conversations/abc123" -> "abc123".
std::string_view last_component(std::string_view name) {
  const std::size_t slash = name.find_last_of('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// Conversation metadata that reports group by: start time (day/week), agent,
// and the user's own labels (campaign, source ...).
bool read_conversation_fields(JsonReader& reader, const json& doc, Call& call) {
  const std::string* start =
      reader.string(doc, first_key(doc, {"startTime", "start_time"}), "", Presence::optional);
  const std::string* agent =
      reader.string(doc, first_key(doc, {"agentId", "agent_id"}), "", Presence::optional);
  const json* labels = reader.object(doc, "labels", "", Presence::optional);
  if (reader.failed()) {
    return false;
  }
  if (start != nullptr && !start->empty()) {
    call.fields["start_time"] = *start;
  }
  if (agent != nullptr && !agent->empty()) {
    call.fields["agent"] = *agent;
  }
  if (labels != nullptr) {
    for (const auto& [key, value] : labels->items()) {
      if (value.is_string() && !key.empty()) {
        call.fields.emplace(lower_ascii(key), value.get<std::string>());
      }
    }
  }
  return true;
}

struct ChannelRoles {
  std::optional<int> agent;
  std::optional<int> customer;

  Role of(std::optional<int> channel) const {
    if (!channel) {
      return Role::unknown;
    }
    return channel == agent ? Role::agent : channel == customer ? Role::customer : Role::unknown;
  }
};

// callMetadata {agentChannel, customerChannel} states which channel is whom.
bool read_channel_roles(JsonReader& reader, const json& doc, ChannelRoles& roles) {
  const std::string_view key = first_key(doc, {"callMetadata", "call_metadata"});
  const json* metadata = reader.object(doc, key, "", Presence::optional);
  if (metadata == nullptr) {
    return !reader.failed();
  }
  roles.agent = reader.integer(*metadata, first_key(*metadata, {"agentChannel", "agent_channel"}),
                               key, Presence::optional);
  roles.customer =
      reader.integer(*metadata, first_key(*metadata, {"customerChannel", "customer_channel"}), key,
                     Presence::optional);
  return !reader.failed();
}

// The times and word confidence of a segment's words[] (startOffset/endOffset).
bool read_segment_words(JsonReader& reader, const json& words, const std::string& path, Turn& turn,
                        MeanConfidence& confidence) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string word_path = join_path(path, i);
    const json& word = words[i];
    if (!reader.expect_object(word, word_path)) {
      return false;
    }
    const auto start =
        read_duration(reader, word, first_key(word, {"startOffset", "start_offset"}), word_path);
    const auto end =
        read_duration(reader, word, first_key(word, {"endOffset", "end_offset"}), word_path);
    const auto value =
        set_confidence(reader.number(word, "confidence", word_path, Presence::optional));
    if (reader.failed()) {
      return false;
    }
    if (!turn.start_s) {
      turn.start_s = start;
    }
    if (end) {
      turn.end_s = end;
    }
    confidence.add(value);
  }
  return true;
}

bool read_segment(JsonReader& reader, const json& segment, const std::string& path,
                  const ChannelRoles& roles, Turn& turn) {
  if (!reader.expect_object(segment, path)) {
    return false;
  }
  const std::string* text = reader.string(segment, "text", path);
  const std::optional<int> channel = reader.integer(
      segment, first_key(segment, {"channelTag", "channel_tag"}), path, Presence::optional);
  const auto confidence =
      set_confidence(reader.number(segment, "confidence", path, Presence::optional));
  const std::string_view participant_key =
      first_key(segment, {"segmentParticipant", "segment_participant"});
  const json* participant = reader.object(segment, participant_key, path, Presence::optional);
  const json* words = reader.array(segment, "words", path, Presence::optional);
  if (reader.failed()) {
    return false;
  }
  const std::string* role = nullptr;
  const std::string* user = nullptr;
  if (participant != nullptr) {
    const std::string participant_path = join_path(path, participant_key);
    role = reader.string(*participant, "role", participant_path, Presence::optional);
    user = reader.string(*participant, first_key(*participant, {"userId", "user_id"}),
                         participant_path, Presence::optional);
  }
  MeanConfidence word_confidence;
  if (reader.failed() ||
      (words != nullptr &&
       !read_segment_words(reader, *words, join_path(path, "words"), turn, word_confidence))) {
    return false;
  }
  // Channel tag 0 means mono audio.
  if (channel && *channel > 0) {
    turn.channel = channel;
  }
  const bool has_role = role != nullptr && !role->empty() && *role != "ROLE_UNSPECIFIED";
  turn.speaker = has_role ? *role : user != nullptr ? *user : std::string();
  turn.role = has_role ? explicit_role(*role) : Role::unknown;
  if (turn.role == Role::unknown) {
    turn.role = roles.of(turn.channel);
  }
  turn.confidence = confidence ? confidence : word_confidence.value();
  turn.text = std::string(trim_space(*text));
  return true;
}

ParseResult parse_conversation(std::string_view path, const json& doc, JsonReader& reader) {
  const std::string* name = reader.string(doc, "name", "", Presence::optional);
  const json* transcript = reader.object(doc, "transcript", "");
  ChannelRoles roles;
  if (reader.failed() || !read_channel_roles(reader, doc, roles)) {
    return reader.failure();
  }
  // A conversation without speech has an empty transcript object.
  const std::string_view segments_key =
      first_key(*transcript, {"transcriptSegments", "transcript_segments"});
  const json* segments = reader.array(*transcript, segments_key, "transcript", Presence::optional);
  Call call =
      new_call(path, k_ccai_name, name != nullptr ? last_component(*name) : std::string_view());
  if (reader.failed() || !read_conversation_fields(reader, doc, call)) {
    return reader.failure();
  }
  const std::string segments_path = join_path("transcript", segments_key);
  const std::size_t count = segments != nullptr ? segments->size() : 0;
  call.turns.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Turn turn;
    if (!read_segment(reader, (*segments)[i], join_path(segments_path, i), roles, turn)) {
      return reader.failure();
    }
    call.turns.push_back(std::move(turn));
  }
  return finish_call(std::move(call));
}

// The upload form: {"entries": [{"text", "role", "user_id",
// "start_timestamp_usec"}]}, times in absolute microseconds.
ParseResult parse_entries(std::string_view path, const json& doc, JsonReader& reader) {
  const json* entries = reader.array(doc, "entries", "");
  if (entries == nullptr) {
    return reader.failure();
  }
  Call call = new_call(path, k_ccai_name, "");
  call.turns.reserve(entries->size());
  std::optional<double> first_usec;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const std::string entry_path = join_path("entries", i);
    const json& entry = (*entries)[i];
    if (!reader.expect_object(entry, entry_path)) {
      return reader.failure();
    }
    const std::string* text = reader.string(entry, "text", entry_path);
    const std::string* role = reader.string(entry, "role", entry_path);
    const auto usec = reader.number(entry, "start_timestamp_usec", entry_path, Presence::optional);
    if (reader.failed()) {
      return reader.failure();
    }
    Turn turn;
    turn.speaker = *role;
    turn.role = explicit_role(*role);
    turn.start_s = usec; // made relative below
    if (usec && (!first_usec || *usec < *first_usec)) {
      first_usec = usec;
    }
    turn.text = std::string(trim_space(*text));
    call.turns.push_back(std::move(turn));
  }
  for (Turn& turn : call.turns) {
    if (turn.start_s) {
      turn.start_s = finite((*turn.start_s - *first_usec) * k_seconds_per_micro);
    }
  }
  return finish_call(std::move(call));
}

bool recognizes_ccai(const json& doc) {
  if (const json* transcript = find_member(doc, "transcript");
      transcript != nullptr && transcript->is_object()) {
    const json* segments = find_member(
        *transcript, first_key(*transcript, {"transcriptSegments", "transcript_segments"}));
    if (segments != nullptr) {
      return segments->is_array();
    }
    // An empty conversation: only its resource name says what it is.
    const json* name = find_member(doc, "name");
    return name != nullptr && name->is_string() &&
           name->get_ref<const std::string&>().find("/conversations/") != std::string::npos;
  }
  const json* entries = find_member(doc, "entries");
  return entries != nullptr && entries->is_array() && !entries->empty() &&
         has_member(entries->front(), "role") && has_member(entries->front(), "text");
}

ParseResult parse_ccai(std::string_view path, const json& doc) {
  JsonReader reader(k_ccai_json);
  if (!reader.expect_object(doc, "")) {
    return reader.failure();
  }
  if (!has_member(doc, "transcript") && has_member(doc, "entries")) {
    return parse_entries(path, doc, reader);
  }
  return parse_conversation(path, doc, reader);
}

} // namespace

const JsonFormat k_google_speech{
    k_speech_name,
    "Google Cloud Speech-to-Text v1/v2 JSON (results[].alternatives, speaker tags, channels)",
    recognizes_speech, parse_speech};

const JsonFormat k_google_ccai{
    k_ccai_name,
    "Google Contact Center AI Insights conversation JSON (transcriptSegments or entries, roles)",
    recognizes_ccai, parse_ccai};

} // namespace callsight::formats
