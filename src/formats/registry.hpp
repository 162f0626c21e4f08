// The formats registry: every transcript format is one entry with a name, a
// recognizer and a parser. Detection tries the entries in order; parsers
// never see each other. Internal to src/formats.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsight/formats.hpp"

namespace callsight::formats {

/// A format whose files are one JSON document (engine output).
struct JsonFormat {
  std::string_view name;        ///< as given to --input-format ("whisper-json", ...)
  std::string_view description; ///< one line for `callsight formats`
  /// True when `doc` has this format's shape (cheap checks of a few members).
  bool (*recognizes)(const nlohmann::json& doc);
  /// Converts the document; sets ParseResult::error with a clear reason when a
  /// required member is missing or has the wrong type. Never throws.
  ParseResult (*parse)(std::string_view path, const nlohmann::json& doc);
};

/// A format read from text (captions, CSV, TSV, JSONL, plain text).
struct TextFormat {
  std::string_view name;
  std::string_view description;
  /// True when the file name or the first bytes say it is this format.
  bool (*recognizes)(std::string_view path, std::string_view text);
  ParseResult (*parse)(std::string_view path, std::string_view text);
};

/// All JSON formats, in detection order (most specific shapes first).
const std::vector<const JsonFormat*>& json_formats();
/// All text formats, in detection order; plain text is last and accepts anything.
const std::vector<const TextFormat*>& text_formats();

/// The jsonl-turns parser with a nesting limit per line (--max-json-depth);
/// k_jsonl_turns.parse uses the default limit.
ParseResult parse_jsonl_turns(std::string_view path, std::string_view text,
                              std::size_t max_json_depth);

/// "N turns, over the M-turn limit (--max-turns)": why a call was refused.
std::string turn_limit_error(std::size_t turns, std::size_t max_turns);

// --- one declaration per format; each defined in its own .cpp -------------
extern const JsonFormat k_whisper_json;       // whisper.cpp
extern const JsonFormat k_aws_transcribe;     // aws_transcribe.cpp
extern const JsonFormat k_aws_call_analytics; // aws_transcribe.cpp
extern const JsonFormat k_deepgram;           // deepgram.cpp
extern const JsonFormat k_assemblyai;         // assemblyai.cpp
extern const JsonFormat k_google_speech;      // google.cpp
extern const JsonFormat k_google_ccai;        // google.cpp
extern const JsonFormat k_azure_batch;        // azure.cpp
extern const JsonFormat k_rev_ai;             // rev_ai.cpp
extern const JsonFormat k_speechmatics;       // speechmatics.cpp
extern const JsonFormat k_generic_json_turns; // generic_json.cpp
extern const TextFormat k_webvtt;             // captions.cpp
extern const TextFormat k_srt;                // captions.cpp
extern const TextFormat k_csv_turns;          // csv_turns.cpp
extern const TextFormat k_jsonl_turns;        // generic_json.cpp
extern const TextFormat k_whisper_tsv;        // whisper.cpp
extern const TextFormat k_plain_text;         // plain_text.cpp (also WhisperX "[SPEAKER_00]:" text)

} // namespace callsight::formats
