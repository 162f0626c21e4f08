// Amazon Transcribe output: the batch job JSON (results.items grouped by
// speaker or channel label, or results.audio_segments), and Call Analytics /
// Contact Lens post-call JSON (Transcript[] with explicit AGENT/CUSTOMER roles).
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "formats/engine_calls.hpp"
#include "formats/json_access.hpp"
#include "formats/registry.hpp"
#include "formats/words.hpp"

namespace callsight::formats {
namespace {

using nlohmann::json;

constexpr std::string_view k_transcribe_name = "aws-transcribe";
constexpr std::string_view k_transcribe_json = "AWS Transcribe JSON";
constexpr std::string_view k_analytics_name = "aws-call-analytics";
constexpr std::string_view k_analytics_json = "AWS Call Analytics JSON";

// The number in an AWS channel label: "ch_0" -> 0.
std::optional<int> channel_number(std::string_view label) {
  if (!label.starts_with("ch_")) {
    return std::nullopt;
  }
  label.remove_prefix(3);
  int value = 0;
  const char* end = label.data() + label.size();
  const auto [ptr, ec] = std::from_chars(label.data(), end, value);
  if (label.empty() || ec != std::errc() || ptr != end || value < 0) {
    return std::nullopt;
  }
  return value;
}

// One entry of results.items (or of a channel's items) as a Word. The speaker
// is the item's speaker_label, else its channel_label, else empty.
bool read_item(JsonReader& reader, const json& item, const std::string& path, Word& word) {
  if (!reader.expect_object(item, path)) {
    return false;
  }
  const std::string* type = reader.string(item, "type", path);
  const json* alternatives = reader.array(item, "alternatives", path);
  if (reader.failed()) {
    return false;
  }
  word.punctuation = *type == "punctuation";
  if (!alternatives->empty()) {
    const std::string best_path = join_path(join_path(path, "alternatives"), std::size_t{0});
    const json& best = alternatives->front();
    if (!reader.expect_object(best, best_path)) {
      return false;
    }
    if (const std::string* content = reader.string(best, "content", best_path)) {
      word.text = *content;
    }
    word.confidence = clamped(reader.number(best, "confidence", best_path, Presence::optional));
  }
  // Punctuation items carry no times; words always do.
  const Presence timed = word.punctuation ? Presence::optional : Presence::required;
  word.start_s = reader.seconds(item, "start_time", path, TimeUnit::seconds, timed);
  word.end_s = reader.seconds(item, "end_time", path, TimeUnit::seconds, timed);
  const std::string* speaker = reader.string(item, "speaker_label", path, Presence::optional);
  const std::string* channel = reader.string(item, "channel_label", path, Presence::optional);
  if (channel != nullptr) {
    word.channel = channel_number(*channel);
  }
  word.speaker = speaker != nullptr ? *speaker : channel != nullptr ? *channel : std::string();
  return !reader.failed();
}

bool read_items(JsonReader& reader, const json& items, const std::string& path,
                std::vector<Word>& words) {
  words.reserve(words.size() + items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Word word;
    if (!read_item(reader, items[i], join_path(path, i), word)) {
      return false;
    }
    words.push_back(std::move(word));
  }
  return true;
}

struct SpeakerSpan {
  double start_s = 0;
  const std::string* speaker = nullptr;
};

// Older output names speakers only in results.speaker_labels.segments: a word
// without a label takes the speaker of the last segment starting at or before
// it (punctuation follows the word before it).
bool assign_segment_speakers(JsonReader& reader, const json& speaker_labels,
                             std::vector<Word>& words) {
  const std::string path = "results.speaker_labels";
  const json* segments = reader.array(speaker_labels, "segments", path);
  if (segments == nullptr) {
    return false;
  }
  std::vector<SpeakerSpan> spans;
  spans.reserve(segments->size());
  for (std::size_t i = 0; i < segments->size(); ++i) {
    const std::string segment_path = join_path(join_path(path, "segments"), i);
    const json& segment = (*segments)[i];
    if (!reader.expect_object(segment, segment_path)) {
      return false;
    }
    const auto start = reader.seconds(segment, "start_time", segment_path, TimeUnit::seconds);
    const std::string* speaker = reader.string(segment, "speaker_label", segment_path);
    if (reader.failed()) {
      return false;
    }
    spans.push_back(SpeakerSpan{*start, speaker});
  }
  std::stable_sort(spans.begin(), spans.end(), [](const SpeakerSpan& a, const SpeakerSpan& b) {
    return a.start_s < b.start_s;
  });
  const std::string* current = nullptr;
  for (Word& word : words) {
    if (word.start_s) {
      const auto after = std::upper_bound(
          spans.begin(), spans.end(), *word.start_s,
          [](double time, const SpeakerSpan& span) { return time < span.start_s; });
      current = after == spans.begin() ? nullptr : std::prev(after)->speaker;
    }
    if (word.speaker.empty() && current != nullptr) {
      word.speaker = *current;
    }
  }
  return true;
}

// Mean confidence of the words an audio segment lists by item id; ids that do
// not lead to a word with a confidence are skipped (the text is what counts).
std::optional<double> segment_confidence(const json& ids, const json& items) {
  MeanConfidence mean;
  for (const json& id : ids) {
    if (!id.is_number_unsigned() || id.get<std::uint64_t>() >= items.size()) {
      continue;
    }
    const json& item = items[static_cast<std::size_t>(id.get<std::uint64_t>())];
    const json* type = find_member(item, "type");
    const json* alternatives = find_member(item, "alternatives");
    if ((type != nullptr && *type == "punctuation") || alternatives == nullptr ||
        !alternatives->is_array() || alternatives->empty()) {
      continue;
    }
    if (const json* confidence = find_member(alternatives->front(), "confidence")) {
      mean.add(to_double(*confidence));
    }
  }
  return mean.value();
}

// Newer output: results.audio_segments, one per speaker stretch.
bool read_audio_segments(JsonReader& reader, const json& segments, const json* items,
                         std::vector<Turn>& turns) {
  turns.reserve(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string path = join_path("results.audio_segments", i);
    const json& segment = segments[i];
    if (!reader.expect_object(segment, path)) {
      return false;
    }
    const std::string* transcript = reader.string(segment, "transcript", path);
    const auto start = reader.seconds(segment, "start_time", path, TimeUnit::seconds);
    const auto end = reader.seconds(segment, "end_time", path, TimeUnit::seconds);
    const std::string* speaker = reader.string(segment, "speaker_label", path, Presence::optional);
    const std::string* channel = reader.string(segment, "channel_label", path, Presence::optional);
    const json* ids = reader.array(segment, "items", path, Presence::optional);
    if (reader.failed()) {
      return false;
    }
    Turn turn;
    turn.speaker = speaker != nullptr ? *speaker : channel != nullptr ? *channel : std::string();
    if (channel != nullptr) {
      turn.channel = channel_number(*channel);
    }
    turn.start_s = start;
    turn.end_s = end;
    if (ids != nullptr && items != nullptr) {
      turn.confidence = segment_confidence(*ids, *items);
    }
    turn.text = std::string(trim_space(*transcript));
    turns.push_back(std::move(turn));
  }
  return true;
}

// Channel identification: results.channel_labels.channels[], each with its
// own items; turns of both channels are merged by start time.
bool read_channels(JsonReader& reader, const json& channel_labels, std::vector<Turn>& turns) {
  const std::string path = "results.channel_labels";
  const json* channels = reader.array(channel_labels, "channels", path);
  if (channels == nullptr) {
    return false;
  }
  std::vector<std::vector<Turn>> per_channel;
  per_channel.reserve(channels->size());
  for (std::size_t c = 0; c < channels->size(); ++c) {
    const std::string channel_path = join_path(join_path(path, "channels"), c);
    const json& channel = (*channels)[c];
    if (!reader.expect_object(channel, channel_path)) {
      return false;
    }
    const std::string* label = reader.string(channel, "channel_label", channel_path);
    const json* items = reader.array(channel, "items", channel_path);
    std::vector<Word> words;
    if (reader.failed() || !read_items(reader, *items, join_path(channel_path, "items"), words)) {
      return false;
    }
    const std::optional<int> number = channel_number(*label);
    for (Word& word : words) {
      if (word.speaker.empty()) {
        word.speaker = *label;
      }
      if (!word.channel) {
        word.channel = number;
      }
    }
    per_channel.push_back(group_words(words));
  }
  turns = merge_by_start(std::move(per_channel));
  return true;
}

// Output cut down to results.transcripts: one turn per transcript, no speaker.
bool read_transcripts(JsonReader& reader, const json& results, std::vector<Turn>& turns) {
  const json* transcripts = reader.array(results, "transcripts", "results", Presence::optional);
  if (transcripts == nullptr) {
    return reader.fail("results.items", "is missing");
  }
  for (std::size_t i = 0; i < transcripts->size(); ++i) {
    const std::string path = join_path("results.transcripts", i);
    const json& entry = (*transcripts)[i];
    if (!reader.expect_object(entry, path)) {
      return false;
    }
    const std::string* text = reader.string(entry, "transcript", path);
    if (text == nullptr) {
      return false;
    }
    Turn turn;
    turn.text = std::string(trim_space(*text));
    turns.push_back(std::move(turn));
  }
  return true;
}

bool recognizes_transcribe(const json& doc) {
  const json* results = find_member(doc, "results");
  if (results == nullptr || !results->is_object()) {
    return false;
  }
  const json* items = find_member(*results, "items");
  const json* transcripts = find_member(*results, "transcripts");
  return (items != nullptr && items->is_array()) ||
         (transcripts != nullptr && transcripts->is_array());
}

ParseResult parse_transcribe(std::string_view path, const json& doc) {
  JsonReader reader(k_transcribe_json);
  if (!reader.expect_object(doc, "")) {
    return reader.failure();
  }
  const std::string* job = reader.string(doc, "jobName", "", Presence::optional);
  const json* results = reader.object(doc, "results", "");
  if (results == nullptr) {
    return reader.failure();
  }
  const json* items = reader.array(*results, "items", "results", Presence::optional);
  const json* segments = reader.array(*results, "audio_segments", "results", Presence::optional);
  const json* channels = reader.object(*results, "channel_labels", "results", Presence::optional);
  const json* speakers = reader.object(*results, "speaker_labels", "results", Presence::optional);
  if (reader.failed()) {
    return reader.failure();
  }
  Call call = new_call(path, k_transcribe_name, job != nullptr ? *job : std::string());
  bool ok = true;
  if (segments != nullptr && !segments->empty()) {
    ok = read_audio_segments(reader, *segments, items, call.turns);
    call.turns = merge_by_start({std::move(call.turns)});
  } else if (channels != nullptr) {
    ok = read_channels(reader, *channels, call.turns);
  } else if (items != nullptr) {
    std::vector<Word> words;
    ok = read_items(reader, *items, "results.items", words) &&
         (speakers == nullptr || assign_segment_speakers(reader, *speakers, words));
    call.turns = group_words(words);
  } else {
    ok = read_transcripts(reader, *results, call.turns);
  }
  if (!ok) {
    return reader.failure();
  }
  return finish_call(std::move(call));
}

bool recognizes_analytics(const json& doc) {
  const json* transcript = find_member(doc, "Transcript");
  if (transcript == nullptr || !transcript->is_array()) {
    return false;
  }
  if (transcript->empty()) {
    return has_member(doc, "JobName") || has_member(doc, "Participants") ||
           has_member(doc, "CustomerMetadata");
  }
  const json& first = transcript->front();
  return has_member(first, "Content") &&
         (has_member(first, "ParticipantRole") || has_member(first, "ParticipantId"));
}

// ParticipantId -> ParticipantRole. Contact Lens names the speaker of each
// entry by ParticipantId and maps ids to roles in Participants[].
using ParticipantRoles = std::unordered_map<std::string_view, const std::string*>;

bool read_participants(JsonReader& reader, const json& doc, ParticipantRoles& roles) {
  const json* participants = reader.array(doc, "Participants", "", Presence::optional);
  if (participants == nullptr) {
    return !reader.failed();
  }
  for (std::size_t i = 0; i < participants->size(); ++i) {
    const std::string path = join_path("Participants", i);
    const json& participant = (*participants)[i];
    if (!reader.expect_object(participant, path)) {
      return false;
    }
    const std::string* id = reader.string(participant, "ParticipantId", path, Presence::optional);
    const std::string* role =
        reader.string(participant, "ParticipantRole", path, Presence::optional);
    if (reader.failed()) {
      return false;
    }
    if (id != nullptr && role != nullptr) {
      roles.emplace(*id, role);
    }
  }
  return true;
}

// Mean confidence of an entry's pronounced words (Items[].Confidence).
bool read_entry_confidence(JsonReader& reader, const json& items, const std::string& path,
                           std::optional<double>& confidence) {
  MeanConfidence mean;
  for (std::size_t j = 0; j < items.size(); ++j) {
    const std::string item_path = join_path(join_path(path, "Items"), j);
    const json& item = items[j];
    if (!reader.expect_object(item, item_path)) {
      return false;
    }
    const std::string* type = reader.string(item, "Type", item_path, Presence::optional);
    const auto value = reader.number(item, "Confidence", item_path, Presence::optional);
    if (reader.failed()) {
      return false;
    }
    if (type == nullptr || *type != "punctuation") {
      mean.add(value);
    }
  }
  confidence = mean.value();
  return true;
}

ParseResult parse_analytics(std::string_view path, const json& doc) {
  JsonReader reader(k_analytics_json);
  if (!reader.expect_object(doc, "")) {
    return reader.failure();
  }
  const std::string* job = reader.string(doc, "JobName", "", Presence::optional);
  const json* metadata = reader.object(doc, "CustomerMetadata", "", Presence::optional);
  const std::string* contact =
      metadata != nullptr
          ? reader.string(*metadata, "ContactId", "CustomerMetadata", Presence::optional)
          : nullptr;
  ParticipantRoles participants;
  const json* transcript = reader.array(doc, "Transcript", "");
  if (reader.failed() || !read_participants(reader, doc, participants)) {
    return reader.failure();
  }
  Call call = new_call(path, k_analytics_name,
                       job != nullptr       ? *job
                       : contact != nullptr ? *contact
                                            : std::string());
  call.turns.reserve(transcript->size());
  for (std::size_t i = 0; i < transcript->size(); ++i) {
    const std::string entry_path = join_path("Transcript", i);
    const json& entry = (*transcript)[i];
    if (!reader.expect_object(entry, entry_path)) {
      return reader.failure();
    }
    const std::string* content = reader.string(entry, "Content", entry_path);
    const std::string* role =
        reader.string(entry, "ParticipantRole", entry_path, Presence::optional);
    const std::string* id = reader.string(entry, "ParticipantId", entry_path, Presence::optional);
    const auto begin = reader.seconds(entry, "BeginOffsetMillis", entry_path,
                                      TimeUnit::milliseconds, Presence::optional);
    const auto end = reader.seconds(entry, "EndOffsetMillis", entry_path, TimeUnit::milliseconds,
                                    Presence::optional);
    const json* items = reader.array(entry, "Items", entry_path, Presence::optional);
    if (reader.failed()) {
      return reader.failure();
    }
    if (role == nullptr && id == nullptr) {
      reader.fail(join_path(entry_path, "ParticipantRole"), "is missing");
      return reader.failure();
    }
    Turn turn;
    turn.speaker = role != nullptr ? *role : *id;
    if (role == nullptr) {
      if (const auto it = participants.find(*id); it != participants.end()) {
        role = it->second;
      }
    }
    turn.role = role != nullptr ? explicit_role(*role) : explicit_role(*id);
    turn.start_s = begin;
    turn.end_s = end;
    if (items != nullptr && !read_entry_confidence(reader, *items, entry_path, turn.confidence)) {
      return reader.failure();
    }
    turn.text = std::string(trim_space(*content));
    call.turns.push_back(std::move(turn));
  }
  return finish_call(std::move(call));
}

} // namespace

const JsonFormat k_aws_transcribe{
    k_transcribe_name,
    "Amazon Transcribe job JSON (results.items with speaker or channel labels, audio_segments)",
    recognizes_transcribe, parse_transcribe};

const JsonFormat k_aws_call_analytics{
    k_analytics_name,
    "Amazon Transcribe Call Analytics / Contact Lens JSON (Transcript[] with AGENT/CUSTOMER)",
    recognizes_analytics, parse_analytics};

} // namespace callsight::formats
