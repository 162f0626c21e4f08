// Azure AI Speech output: batch transcription JSON (recognizedPhrases[] with
// nBest, 100 ns ticks or ISO 8601 "PT1.23S" offsets) and fast transcription
// JSON (phrases[] in milliseconds). Phrases of all channels are ordered by
// offset and grouped into speaker turns.
#include <algorithm>
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

constexpr std::string_view k_azure_name = "azure-speech";
constexpr std::string_view k_azure_json = "Azure Speech JSON";

constexpr double k_seconds_per_minute = 60;
constexpr double k_seconds_per_hour = 3600;
constexpr double k_seconds_per_day = 86400;

// Seconds from an ISO 8601 duration as Azure writes it: "PT1.23S",
// "PT2M5.4S", "PT1H", "P1DT2H".
std::optional<double> parse_iso_duration(std::string_view text) {
  if (text.empty() || text.front() != 'P') {
    return std::nullopt;
  }
  text.remove_prefix(1);
  double total = 0;
  bool in_time = false;
  bool any = false;
  while (!text.empty()) {
    if (text.front() == 'T' && !in_time) {
      in_time = true;
      text.remove_prefix(1);
      continue;
    }
    std::size_t length = 0;
    while (length < text.size() &&
           ((text[length] >= '0' && text[length] <= '9') || text[length] == '.')) {
      ++length;
    }
    if (length == 0 || length == text.size()) {
      return std::nullopt;
    }
    const std::optional<double> value = parse_number(text.substr(0, length));
    const char unit = text[length];
    if (!value) {
      return std::nullopt;
    }
    if (!in_time && unit == 'D') {
      total += *value * k_seconds_per_day;
    } else if (in_time && unit == 'H') {
      total += *value * k_seconds_per_hour;
    } else if (in_time && unit == 'M') {
      total += *value * k_seconds_per_minute;
    } else if (in_time && unit == 'S') {
      total += *value;
    } else {
      return std::nullopt;
    }
    any = true;
    text.remove_prefix(length + 1);
  }
  return any ? finite(total) : std::nullopt;
}

// A batch phrase time: `ticks_key` in 100 ns ticks, else `iso_key` as an ISO
// 8601 duration string.
std::optional<double> read_batch_time(JsonReader& reader, const json& phrase,
                                      std::string_view ticks_key, std::string_view iso_key,
                                      std::string_view path) {
  if (has_member(phrase, ticks_key)) {
    return reader.seconds(phrase, ticks_key, path, TimeUnit::ticks);
  }
  const json* value = find_member(phrase, iso_key);
  if (value == nullptr) {
    return std::nullopt;
  }
  std::optional<double> seconds;
  if (value->is_string()) {
    seconds = parse_iso_duration(value->get_ref<const std::string&>());
  }
  if (!seconds) {
    reader.fail(join_path(path, iso_key), "is not an ISO 8601 duration");
  }
  return seconds;
}

std::optional<double> end_of(std::optional<double> start, std::optional<double> duration) {
  return start && duration ? finite(*start + *duration) : std::nullopt;
}

// The phrase's speaker (when diarized) and channel (when multichannel).
bool read_speaker_channel(JsonReader& reader, const json& phrase, const std::string& path,
                          Word& word) {
  const std::optional<std::string> speaker =
      reader.label(phrase, "speaker", path, Presence::optional);
  word.channel = reader.integer(phrase, "channel", path, Presence::optional);
  if (speaker) {
    word.speaker = *speaker;
  }
  return !reader.failed();
}

// Batch transcription: recognizedPhrases[] with the best hypothesis first in
// nBest. Phrases without nBest (NoMatch, silence) are skipped.
bool read_batch_phrases(JsonReader& reader, const json& phrases, std::vector<Word>& out) {
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    const std::string path = join_path("recognizedPhrases", i);
    const json& phrase = phrases[i];
    if (!reader.expect_object(phrase, path)) {
      return false;
    }
    Word word;
    const json* n_best = reader.array(phrase, "nBest", path, Presence::optional);
    word.start_s = read_batch_time(reader, phrase, "offsetInTicks", "offset", path);
    const auto duration = read_batch_time(reader, phrase, "durationInTicks", "duration", path);
    if (!read_speaker_channel(reader, phrase, path, word)) {
      return false;
    }
    if (n_best == nullptr || n_best->empty()) {
      continue;
    }
    const std::string best_path = join_path(join_path(path, "nBest"), std::size_t{0});
    const json& best = n_best->front();
    if (!reader.expect_object(best, best_path)) {
      return false;
    }
    const std::string* text =
        reader.string(best, first_key(best, {"display", "itn", "lexical"}), best_path);
    word.confidence = clamped(reader.number(best, "confidence", best_path, Presence::optional));
    if (reader.failed()) {
      return false;
    }
    word.end_s = end_of(word.start_s, duration);
    word.text = std::string(trim_space(*text));
    out.push_back(std::move(word));
  }
  return true;
}

// Fast transcription: phrases[] with offsetMilliseconds/durationMilliseconds
// (the preview API wrote offset/duration, also in milliseconds).
bool read_fast_phrases(JsonReader& reader, const json& phrases, std::vector<Word>& out) {
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    const std::string path = join_path("phrases", i);
    const json& phrase = phrases[i];
    if (!reader.expect_object(phrase, path)) {
      return false;
    }
    Word word;
    const std::string* text = reader.string(phrase, "text", path);
    word.start_s = reader.seconds(phrase, first_key(phrase, {"offsetMilliseconds", "offset"}), path,
                                  TimeUnit::milliseconds, Presence::optional);
    const auto duration =
        reader.seconds(phrase, first_key(phrase, {"durationMilliseconds", "duration"}), path,
                       TimeUnit::milliseconds, Presence::optional);
    word.confidence = clamped(reader.number(phrase, "confidence", path, Presence::optional));
    if (!read_speaker_channel(reader, phrase, path, word)) {
      return false;
    }
    word.end_s = end_of(word.start_s, duration);
    word.text = std::string(trim_space(*text));
    out.push_back(std::move(word));
  }
  return true;
}

// The audio file name in a batch result's "source" URL
// ("https://host/calls/call-0012.wav?sv=..." -> "call-0012"): batch result
// files themselves get generated names.
std::string source_id(const json& doc) {
  const json* source = find_member(doc, "source");
  if (source == nullptr || !source->is_string()) {
    return {};
  }
  std::string_view url = source->get_ref<const std::string&>();
  url = url.substr(0, url.find_first_of("?#"));
  if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    const std::size_t path_start = url.find('/', scheme + 3);
    url = path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  }
  const std::size_t slash = url.find_last_of('/');
  if (slash != std::string_view::npos) {
    url.remove_prefix(slash + 1);
  }
  return url.empty() ? std::string() : call_id_from_path(url);
}

bool recognizes_azure(const json& doc) {
  if (const json* phrases = find_member(doc, "recognizedPhrases")) {
    return phrases->is_array();
  }
  const json* phrases = find_member(doc, "phrases");
  if (phrases == nullptr || !phrases->is_array()) {
    return false;
  }
  const json* combined = find_member(doc, "combinedPhrases");
  if (combined != nullptr && combined->is_array()) {
    return true;
  }
  return !phrases->empty() && has_member(phrases->front(), "text") &&
         (has_member(phrases->front(), "offsetMilliseconds") ||
          has_member(phrases->front(), "offset"));
}

ParseResult parse_azure(std::string_view path, const json& doc) {
  JsonReader reader(k_azure_json);
  if (!reader.expect_object(doc, "")) {
    return reader.failure();
  }
  std::vector<Word> phrases;
  const bool batch = has_member(doc, "recognizedPhrases") || !has_member(doc, "phrases");
  const json* list = reader.array(doc, batch ? "recognizedPhrases" : "phrases", "");
  if (list == nullptr) {
    return reader.failure();
  }
  phrases.reserve(list->size());
  const bool ok = batch ? read_batch_phrases(reader, *list, phrases)
                        : read_fast_phrases(reader, *list, phrases);
  if (!ok) {
    return reader.failure();
  }
  // Each channel is recognized on its own: put all phrases in time order,
  // untimed ones last, then group them into speaker turns like words.
  static constexpr double k_never = 1e300;
  std::stable_sort(phrases.begin(), phrases.end(), [](const Word& a, const Word& b) {
    return a.start_s.value_or(k_never) < b.start_s.value_or(k_never);
  });
  Call call = new_call(path, k_azure_name, source_id(doc));
  call.turns = group_words(phrases);
  return finish_call(std::move(call));
}

} // namespace

const JsonFormat k_azure_batch{
    k_azure_name,
    "Azure AI Speech batch or fast transcription JSON (recognizedPhrases[] or phrases[])",
    recognizes_azure, parse_azure};

} // namespace callsight::formats
