// Speechmatics json-v2 transcripts (batch output and real-time AddTranscript
// messages): results[] of word and punctuation items with speaker labels
// ("S1", "UU") or channel labels, grouped into speaker turns.
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "formats/engine_calls.hpp"
#include "formats/json_access.hpp"
#include "formats/registry.hpp"
#include "formats/words.hpp"

namespace callsight::formats {
namespace {

using nlohmann::json;

constexpr std::string_view k_speechmatics_name = "speechmatics";
constexpr std::string_view k_speechmatics_json = "Speechmatics JSON";

// The number in a default channel label: "channel_2" -> 2; custom labels
// ("agent") have none.
std::optional<int> channel_number(std::string_view label) {
  constexpr std::string_view k_prefix = "channel_";
  if (!label.starts_with(k_prefix)) {
    return std::nullopt;
  }
  label.remove_prefix(k_prefix.size());
  int value = 0;
  const char* end = label.data() + label.size();
  const auto [ptr, ec] = std::from_chars(label.data(), end, value);
  if (label.empty() || ec != std::errc() || ptr != end || value < 0) {
    return std::nullopt;
  }
  return value;
}

// One results[] item. Returns false on a malformed item; `keep` is false for
// item types other than word and punctuation, which Speechmatics says may be
// ignored.
bool read_item(JsonReader& reader, const json& item, const std::string& path, Word& word,
               std::string& channel, bool& keep) {
  if (!reader.expect_object(item, path)) {
    return false;
  }
  const std::string* type = reader.string(item, "type", path);
  if (type == nullptr) {
    return false;
  }
  keep = *type == "word" || *type == "punctuation";
  if (!keep) {
    return true;
  }
  const json* alternatives = reader.array(item, "alternatives", path);
  word.start_s = reader.seconds(item, "start_time", path, TimeUnit::seconds);
  word.end_s = reader.seconds(item, "end_time", path, TimeUnit::seconds);
  const std::string* channel_label = reader.string(item, "channel", path, Presence::optional);
  const std::string* attaches = reader.string(item, "attaches_to", path, Presence::optional);
  if (reader.failed()) {
    return false;
  }
  // Punctuation joins the word before it unless it attaches forward ("(").
  word.punctuation = *type == "punctuation" && (attaches == nullptr || *attaches != "next");
  if (channel_label != nullptr) {
    channel = *channel_label;
    word.channel = channel_number(channel);
  }
  if (alternatives->empty()) {
    return true;
  }
  const std::string best_path = join_path(join_path(path, "alternatives"), std::size_t{0});
  const json& best = alternatives->front();
  if (!reader.expect_object(best, best_path)) {
    return false;
  }
  const std::string* content = reader.string(best, "content", best_path);
  word.confidence = clamped(reader.number(best, "confidence", best_path, Presence::optional));
  const std::string* speaker = reader.string(best, "speaker", best_path, Presence::optional);
  if (reader.failed()) {
    return false;
  }
  word.text = *content;
  word.speaker = speaker != nullptr ? *speaker : channel;
  return true;
}

// A job's audio file name ("lakeside-0518-042.wav" -> "lakeside-0518-042"),
// else its job id: Speechmatics ids are generated, file names are the user's.
std::string job_call_id(const json& doc) {
  const json* job = find_member(doc, "job");
  if (job == nullptr || !job->is_object()) {
    return {};
  }
  for (const std::string_view key : {"data_name", "id"}) {
    const json* value = find_member(*job, key);
    if (value != nullptr && value->is_string() && !value->get_ref<const std::string&>().empty()) {
      return key == "id" ? value->get<std::string>()
                         : call_id_from_path(value->get_ref<const std::string&>());
    }
  }
  return {};
}

bool recognizes_speechmatics(const json& doc) {
  const json* results = find_member(doc, "results");
  if (results == nullptr || !results->is_array()) {
    return false;
  }
  if (results->empty()) {
    const json* metadata = find_member(doc, "metadata");
    return has_member(doc, "format") && metadata != nullptr &&
           has_member(*metadata, "transcription_config");
  }
  const json& first = results->front();
  const json* alternatives = find_member(first, "alternatives");
  return has_member(first, "type") && has_member(first, "start_time") && alternatives != nullptr &&
         alternatives->is_array() &&
         (alternatives->empty() || has_member(alternatives->front(), "content"));
}

ParseResult parse_speechmatics(std::string_view path, const json& doc) {
  JsonReader reader(k_speechmatics_json);
  if (!reader.expect_object(doc, "")) {
    return reader.failure();
  }
  const json* results = reader.array(doc, "results", "");
  if (results == nullptr) {
    return reader.failure();
  }
  // Channels are transcribed apart: group each on its own, then merge by time.
  std::map<std::string, std::vector<Word>> channels;
  for (std::size_t i = 0; i < results->size(); ++i) {
    Word word;
    std::string channel;
    bool keep = false;
    if (!read_item(reader, (*results)[i], join_path("results", i), word, channel, keep)) {
      return reader.failure();
    }
    if (keep) {
      channels[channel].push_back(std::move(word));
    }
  }
  std::vector<std::vector<Turn>> per_channel;
  per_channel.reserve(channels.size());
  for (const auto& [channel, words] : channels) {
    per_channel.push_back(group_words(words));
  }
  Call call = new_call(path, k_speechmatics_name, job_call_id(doc));
  call.turns = merge_by_start(std::move(per_channel));
  return finish_call(std::move(call));
}

} // namespace

// Not yet declared in registry.hpp: `extern` gives it external linkage.
const JsonFormat k_speechmatics{
    k_speechmatics_name,
    "Speechmatics json-v2 transcript (results[] of words and punctuation, speakers or channels)",
    recognizes_speechmatics, parse_speechmatics};

} // namespace callsight::formats
