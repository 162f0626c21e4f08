// Ranking of mined phrases by keyness against a reference, and what the
// report says about each: taxonomy coverage, an example snippet, a topic stub.
#include <algorithm>
#include <map>

#include "callsight/discover.hpp"
#include "callsight/ingest.hpp"
#include "callsight/privacy.hpp"

namespace callsight {
namespace {

std::size_t word_count(std::string_view key) {
  return static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
}

// The contiguous sub-phrases of `key` that are shorter than it.
std::vector<std::string_view> sub_phrases(std::string_view key) {
  std::vector<std::size_t> starts{0};
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] == ' ') {
      ends.push_back(i);
      starts.push_back(i + 1);
    }
  }
  ends.push_back(key.size());
  std::vector<std::string_view> subs;
  for (std::size_t a = 0; a < starts.size(); ++a) {
    for (std::size_t b = a; b < ends.size(); ++b) {
      if (a != 0 || b + 1 != ends.size()) {
        subs.push_back(key.substr(starts[a], ends[b] - starts[a]));
      }
    }
  }
  return subs;
}

} // namespace

std::vector<RankedPhrase> rank_phrases(const PhraseCounts& target, const PhraseCounts& reference,
                                       const RankOptions& options) {
  std::vector<RankedPhrase> candidates;
  const auto target_total = static_cast<double>(target.tokens);
  const auto reference_total = static_cast<double>(reference.tokens);
  for (const auto& [key, entry] : target.phrases) {
    if (entry.calls < options.min_calls) {
      continue;
    }
    const double expected = reference.frequency(key);
    const auto frequency = static_cast<double>(entry.frequency);
    const double g2 = log_likelihood_g2(frequency, target_total, expected, reference_total);
    if (g2 < options.min_g2 || g2 <= 0) {
      continue;
    }
    RankedPhrase phrase;
    phrase.key = key;
    phrase.phrase = std::string(entry.surface());
    phrase.words = word_count(key);
    phrase.calls = entry.calls;
    phrase.frequency = entry.frequency;
    phrase.reference_frequency = expected;
    phrase.g2 = g2;
    if (expected > 0) {
      phrase.growth = ((frequency + 0.5) / target_total) / ((expected + 0.5) / reference_total);
    }
    phrase.first = entry.first;
    candidates.push_back(std::move(phrase));
  }
  // "rate hike letter" makes "rate hike" and "hike" redundant when it holds
  // most of their occurrences; marking is order-independent.
  std::unordered_map<std::string_view, std::size_t> by_key;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    by_key.emplace(candidates[i].key, i);
  }
  std::vector<bool> subsumed(candidates.size(), false);
  for (const RankedPhrase& longer : candidates) {
    if (longer.words < 2) {
      continue;
    }
    for (std::string_view sub : sub_phrases(longer.key)) {
      const auto it = by_key.find(sub);
      if (it != by_key.end() &&
          static_cast<double>(longer.frequency) >=
              options.subsume_share * static_cast<double>(candidates[it->second].frequency)) {
        subsumed[it->second] = true;
      }
    }
  }
  std::vector<RankedPhrase> ranked;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!subsumed[i]) {
      ranked.push_back(std::move(candidates[i]));
    }
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedPhrase& a, const RankedPhrase& b) {
    if (a.g2 != b.g2) {
      return a.g2 > b.g2;
    }
    if (a.calls != b.calls) {
      return a.calls > b.calls;
    }
    return a.key < b.key;
  });
  if (ranked.size() > options.top) {
    ranked.resize(options.top);
  }
  return ranked;
}

namespace {

// The taxonomy as `analyze` uses it, except that one hit is enough: the
// question is whether a topic has a phrase for this, not how many a call needs.
CompiledTaxonomy single_hit_taxonomy(const CompiledTaxonomy& compiled) {
  Taxonomy taxonomy;
  taxonomy.name = compiled.name();
  taxonomy.language = compiled.stemmer_language();
  taxonomy.topics = compiled.topics();
  for (Topic& topic : taxonomy.topics) {
    topic.min_hits = 1;
  }
  return CompiledTaxonomy::compile(taxonomy);
}

} // namespace

CoverageChecker::CoverageChecker(const CompiledTaxonomy& taxonomy)
    : m_taxonomy(single_hit_taxonomy(taxonomy)), m_matcher(m_taxonomy) {}

std::string CoverageChecker::covered_by(std::string_view phrase) {
  Call call;
  call.role_source = RoleSource::labels;
  call.turns.push_back(Turn{"Customer", Role::customer, {}, {}, {}, {}, std::string(phrase)});
  const TagResult tags = m_matcher.tag(call);
  return tags.topics.empty() ? std::string() : m_taxonomy.topics()[tags.topics.front().topic].id;
}

nlohmann::ordered_json topic_stub(std::string_view phrase) {
  // Taxonomy ids: lower-case ASCII letters, digits and '_', a letter first, <= 64.
  std::string id;
  for (const char c : phrase) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      id.push_back(c);
    } else if (!id.empty() && id.back() != '_') {
      id.push_back('_');
    }
  }
  while (!id.empty() && id.back() == '_') {
    id.pop_back();
  }
  if (id.empty() || id[0] < 'a' || id[0] > 'z') {
    id = "topic_" + id;
  }
  id.resize(std::min<std::size_t>(id.size(), 64));
  while (id.back() == '_') {
    id.pop_back();
  }
  std::string label(phrase);
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') {
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
  }
  nlohmann::ordered_json stub;
  stub["id"] = id;
  stub["label"] = label;
  stub["kind"] = "concern";
  stub["speaker"] = "customer";
  stub["phrases"] = nlohmann::ordered_json::array({std::string(phrase)});
  return stub;
}

std::vector<DiscoveredPhrase>
describe_phrases(const std::vector<RankedPhrase>& ranked, const PhraseCounts& target,
                 const std::vector<std::string>& files, const AnalyzeOptions& options,
                 const CompiledTaxonomy& taxonomy, std::size_t width) {
  std::vector<DiscoveredPhrase> described;
  CoverageChecker coverage(taxonomy);
  std::map<std::uint64_t, std::vector<std::size_t>> by_file; // re-read each file once
  for (const RankedPhrase& phrase : ranked) {
    DiscoveredPhrase out;
    out.ranked = phrase;
    out.share = target.calls > 0
                    ? static_cast<double>(phrase.calls) / static_cast<double>(target.calls)
                    : 0.0;
    out.covered_by = coverage.covered_by(phrase.phrase);
    if (phrase.first.file < files.size()) {
      out.example_file = files[phrase.first.file];
      by_file[phrase.first.file].push_back(described.size());
    }
    described.push_back(std::move(out));
  }
  for (const auto& [file, indexes] : by_file) {
    const ReadResult read = read_file(files[file], options.max_file_bytes);
    FileCalls calls;
    std::string error;
    if (!read.error.empty() || !parse_calls(files[file], read.bytes, options, calls, error)) {
      continue; // changed since it was mined: no example rather than a wrong one
    }
    for (const std::size_t index : indexes) {
      const PhraseSite& site = described[index].ranked.first;
      if (site.call >= calls.calls.size() || site.turn >= calls.calls[site.call].turns.size()) {
        continue;
      }
      const std::string& text = calls.calls[site.call].turns[site.turn].text;
      if (site.end > text.size() || site.begin > site.end) {
        continue;
      }
      const std::string snippet = evidence_snippet(text, site.begin, site.end, width);
      described[index].example = options.redact ? redact(snippet) : snippet;
    }
  }
  return described;
}

} // namespace callsight
