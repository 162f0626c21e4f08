// Per-call records: one compact JSON object per call, for the JSONL output.
#include <cmath>

#include "callsight/report.hpp"
#include "callsight/version.hpp"

namespace callsight {

std::string call_record_json(const CallResult& call, const CompiledTaxonomy& taxonomy) {
  nlohmann::ordered_json record;
  record["call_id"] = call.call_id;
  record["file"] = call.path;
  record["format"] = call.format;
  record["encoding"] = std::string(to_string(call.encoding));
  record["bytes"] = call.bytes;
  record["turns"] = call.turns;
  record["words"] = call.tags.words;
  record["invalid_utf8_replaced"] = call.invalid_utf8;
  const CallLanguage& language = call.tags.language;
  record["language"] = language.language;
  record["language_confidence"] = round_ratio(language.confidence);
  if (language.forced) {
    record["language_forced"] = true;
  } else if (!language.reliable) {
    record["language_reliable"] = false; // too little text: the taxonomy's language
  }
  if (!language.languages.empty()) {
    nlohmann::ordered_json shares = nlohmann::ordered_json::array();
    for (const LanguageShare& share : language.languages) {
      shares.push_back({{"language", share.language},
                        {"words", share.words},
                        {"share", round_ratio(call.tags.words == 0
                                                  ? 0.0
                                                  : static_cast<double>(share.words) /
                                                        static_cast<double>(call.tags.words))}});
    }
    record["languages"] = std::move(shares);
  }
  nlohmann::ordered_json roles;
  roles["source"] = std::string(to_string(call.role_source));
  roles["confidence"] = round_ratio(call.role_confidence);
  if (!call.agent_speaker.empty()) {
    roles["agent_speaker"] = call.agent_speaker;
  }
  record["roles"] = std::move(roles);
  record["metrics"] = metrics_json(call.metrics);
  nlohmann::ordered_json sentiment;
  auto put = [&](const char* key, const SentimentMean& mean) {
    if (const auto value = mean.mean()) {
      sentiment[key] = round_ratio(*value);
    }
  };
  put("customer", call.sentiment.customer);
  put("agent", call.sentiment.agent);
  put("all", call.sentiment.all);
  sentiment["customer_trajectory"] = std::string(to_string(call.sentiment.customer_trajectory));
  record["sentiment"] = std::move(sentiment);
  record["metadata"] = call.has_metadata;
  record["converted"] = call.converted;
  record["conversion_source"] = std::string(to_string(call.conversion_source));
  if (call.has_metadata) {
    record["revenue"] = static_cast<double>(call.revenue_cents) / 100.0;
  }
  nlohmann::ordered_json topics = nlohmann::ordered_json::array();
  auto hit = call.tags.hits.begin(); // hits are grouped by topic, like tags.topics
  for (std::size_t i = 0; i < call.tags.topics.size(); ++i) {
    const TopicMatch& match = call.tags.topics[i];
    nlohmann::ordered_json topic;
    topic["id"] = taxonomy.topics()[match.topic].id;
    topic["hits"] = match.hits;
    topic["negated"] = match.negated;
    topic["first_turn"] = match.first_turn;
    topic["evidence"] = i < call.evidence.size() ? call.evidence[i] : std::string();
    // Where each hit is (the first k_max_stored_hits): turn, byte offsets in
    // the turn's text, its start time when known, and the phrase that matched.
    nlohmann::ordered_json hits = nlohmann::ordered_json::array();
    for (; hit != call.tags.hits.end() && hit->topic <= match.topic; ++hit) {
      if (hit->topic != match.topic) {
        continue;
      }
      nlohmann::ordered_json entry;
      entry["turn"] = hit->turn;
      entry["begin"] = hit->begin;
      entry["end"] = hit->end;
      if (hit->start_s) {
        entry["start_s"] = std::round(*hit->start_s * 1000.0) / 1000.0; // milliseconds
      }
      entry["phrase"] = taxonomy.patterns()[hit->pattern].text;
      hits.push_back(std::move(entry));
    }
    topic["hit_list"] = std::move(hits);
    topics.push_back(std::move(topic));
  }
  record["topics"] = std::move(topics);
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace callsight
