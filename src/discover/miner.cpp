// Phrase mining: n-grams of customer turns, keyed by stems, counted per
// thread and merged; the corpus walk runs workers over files in input order
// so the merged counts (and earliest sites) never depend on the thread count.
#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <thread>

#include "callsight/discover.hpp"
#include "callsight/ingest.hpp"
#include "callsight/privacy.hpp"

#include "util/word_table.hpp"

namespace callsight {
namespace {

// Longer "words" are ids, URLs or noise, never phrase material.
constexpr std::size_t k_max_word_bytes = 64;
// Bounded memory on unbounded vocabularies: the cache restarts past this size.
constexpr std::size_t k_max_cached_words = 1u << 20;

bool digits_only(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::vector<std::pair<std::size_t, std::size_t>> redacted_ranges(std::string_view original,
                                                                 std::string_view redacted) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  if (original == redacted) {
    return ranges;
  }
  // Redaction keeps every other byte, so the redacted text is the original's
  // kept pieces with a placeholder for each replaced (non-empty) span.
  std::vector<std::string_view> pieces;
  std::size_t from = 0;
  for (std::size_t pos = redacted.find('['); pos != std::string_view::npos;
       pos = redacted.find('[', pos + 1)) {
    for (std::size_t k = 0; k < k_pii_kind_count; ++k) {
      const std::string_view placeholder = pii_placeholder(static_cast<PiiKind>(k));
      if (redacted.substr(pos).starts_with(placeholder)) {
        pieces.push_back(redacted.substr(from, pos - from));
        from = pos + placeholder.size();
        pos = from - 1;
        break;
      }
    }
  }
  pieces.push_back(redacted.substr(from));
  // The first piece is the original's head, the last its tail; the others are
  // found in turn. A short piece (a space) may be found early, inside a
  // replaced span: then only separator bytes are misplaced, never a word.
  if (pieces.size() == 1 || !original.starts_with(pieces.front())) {
    ranges.emplace_back(0, original.size()); // cannot align: treat it all as replaced
    return ranges;
  }
  std::size_t at = pieces.front().size();
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    std::size_t found = std::string_view::npos;
    if (i + 1 < pieces.size()) {
      found = original.find(pieces[i], at + 1);
    } else if (original.size() >= pieces[i].size() + at + 1 && original.ends_with(pieces[i])) {
      found = original.size() - pieces[i].size();
    }
    if (found == std::string_view::npos) {
      ranges.emplace_back(at, original.size()); // cannot align: the rest counts as replaced
      return ranges;
    }
    ranges.emplace_back(at, found);
    at = found + pieces[i].size();
  }
  return ranges;
}

struct PhraseMiner::Impl {
  enum class Kind : std::uint8_t { content, stopword, barrier };
  struct WordInfo {
    std::string normalized;
    std::string stem;
    Kind kind = Kind::content;
  };

  explicit Impl(const MiningOptions& mining) : options(mining), stemmer(mining.language) {}

  std::uint32_t word(std::string_view raw) {
    if (std::uint32_t index = words.find(raw); index != WordTable::k_missing) {
      return index;
    }
    if (words.size() >= k_max_cached_words) {
      words.clear();
      infos.clear();
    }
    WordInfo info;
    normalize_word(raw, info.normalized);
    info.stem = stemmer.stem(info.normalized);
    if (raw.size() > k_max_word_bytes || digits_only(info.normalized)) {
      info.kind = Kind::barrier;
    } else if (options.stopwords.count(info.normalized) > 0) {
      info.kind = Kind::stopword;
    }
    const auto index = static_cast<std::uint32_t>(infos.size());
    infos.push_back(std::move(info));
    words.insert(raw, index);
    return index;
  }

  void add_turn(const Turn& turn, PhraseSite site, PhraseCounts& counts) {
    tokenize(turn.text, tokens);
    counts.tokens += tokens.size();
    redacted.clear();
    redactor.redact_into(turn.text, redacted);
    const auto ranges = redacted_ranges(turn.text, redacted);
    kinds.resize(tokens.size());
    ids.resize(tokens.size());
    std::size_t range = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const Token& token = tokens[i];
      ids[i] = word(std::string_view(turn.text).substr(token.begin, token.length));
      kinds[i] = infos[ids[i]].kind;
      while (range < ranges.size() && ranges[range].second <= token.begin) {
        ++range;
      }
      if (range < ranges.size() && ranges[range].first < token.begin + token.length) {
        kinds[i] = Kind::barrier; // redaction would replace (part of) this word
      }
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (kinds[i] != Kind::content) {
        continue;
      }
      key.clear();
      surface.clear();
      for (std::size_t j = i; j < tokens.size() && j - i < options.max_words; ++j) {
        if (j > i && (tokens[j].clause_start || kinds[j] == Kind::barrier)) {
          break;
        }
        const WordInfo& info = infos[ids[j]];
        if (j > i) {
          key.push_back(' ');
          surface.push_back(' ');
        }
        key += info.stem;
        surface += info.normalized;
        if (kinds[j] != Kind::content) {
          continue; // a phrase may hold a stopword, not end with one
        }
        PhraseEntry& entry = counts.phrases[key];
        ++entry.frequency;
        entry.add_surface(surface, 1);
        site.begin = tokens[i].begin;
        site.end = tokens[j].begin + tokens[j].length;
        entry.first = std::min(entry.first, site);
        touched.push_back(&entry);
      }
    }
  }

  void add(const Call& call, std::uint64_t file_index, std::uint32_t call_index,
           PhraseCounts& counts) {
    const bool has_roles = std::any_of(call.turns.begin(), call.turns.end(),
                                       [](const Turn& t) { return t.role != Role::unknown; });
    touched.clear();
    for (std::size_t t = 0; t < call.turns.size(); ++t) {
      const Turn& turn = call.turns[t];
      if (has_roles && turn.role != Role::customer) {
        continue;
      }
      add_turn(turn, PhraseSite{file_index, call_index, static_cast<std::uint32_t>(t), 0, 0},
               counts);
    }
    // Entries are node-based, so their addresses are stable keys for "this call".
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (PhraseEntry* entry : touched) {
      ++entry->calls;
    }
    ++counts.calls;
  }

  const MiningOptions& options;
  Stemmer stemmer;
  Redactor redactor;
  WordTable words;
  std::vector<WordInfo> infos;
  std::vector<Token> tokens;
  std::vector<Kind> kinds;
  std::vector<std::uint32_t> ids;
  std::vector<PhraseEntry*> touched;
  std::string redacted;
  std::string key;
  std::string surface;
};

PhraseMiner::PhraseMiner(const MiningOptions& options) : m_impl(std::make_unique<Impl>(options)) {}
PhraseMiner::~PhraseMiner() = default;

void PhraseMiner::add(const Call& call, std::uint64_t file_index, std::uint32_t call_index,
                      PhraseCounts& counts) {
  m_impl->add(call, file_index, call_index, counts);
}

MinedCorpus mine_corpus(const std::vector<std::string>& inputs, const AnalyzeOptions& options,
                        const MiningOptions& mining) {
  // Paths only (not contents) are listed up front: workers then take files
  // by index, and each thread's earliest sites are comparable by index.
  std::vector<MiningInput> files;
  discover_files(
      inputs,
      [&](DiscoveredFile&& file) {
        files.push_back({std::move(file.path), std::move(file.error), std::nullopt, std::nullopt});
      },
      options.cancel);
  return mine_files(files, options, mining);
}

MinedCorpus mine_stored_calls(const std::vector<StoredFileCalls>& files,
                              const AnalyzeOptions& options, const MiningOptions& mining) {
  std::vector<MiningInput> inputs;
  inputs.reserve(files.size());
  for (const StoredFileCalls& file : files) {
    inputs.push_back({file.path, {}, file.ordinals, file.content_hash});
  }
  return mine_files(inputs, options, mining);
}

namespace {

// Mines the calls of one read file that `input` asks for; "" or why the file
// cannot be used.
std::string mine_file(const MiningInput& input, std::uint64_t file_index, std::string_view bytes,
                      const AnalyzeOptions& options, PhraseMiner& miner, FileCalls& file,
                      PhraseCounts& counts) {
  // Stored ordinals and dates describe the bytes the store read, not others.
  if (input.content_hash && content_hash(bytes) != *input.content_hash) {
    return "changed since it was stored, so its stored calls and dates no longer match "
           "(callsight analyze --store updates the store)";
  }
  std::string error;
  if (!parse_calls(input.path, bytes, options, file, error)) {
    return error;
  }
  const auto mine = [&](std::size_t c) {
    miner.add(file.calls[c], file_index, static_cast<std::uint32_t>(c), counts);
  };
  if (!input.calls) {
    for (std::size_t c = 0; c < file.calls.size(); ++c) {
      mine(c);
    }
    return {};
  }
  for (const std::uint32_t c : *input.calls) {
    if (c >= file.calls.size()) {
      return "the store has call " + std::to_string(c + 1) + " of this file but it now parses " +
             "into " + std::to_string(file.calls.size()) + " calls (another --input-format?)";
    }
  }
  for (const std::uint32_t c : *input.calls) {
    mine(c);
  }
  return {};
}

} // namespace

MinedCorpus mine_files(const std::vector<MiningInput>& inputs, const AnalyzeOptions& options,
                       const MiningOptions& mining) {
  MinedCorpus corpus;
  corpus.counts.max_words = mining.max_words;
  for (const MiningInput& input : inputs) {
    corpus.files.push_back(input.path);
  }
  if (options.progress != nullptr) {
    options.progress->files_found.store(corpus.files.size(), std::memory_order_relaxed);
    options.progress->discovery_done.store(true, std::memory_order_release);
  }

  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads =
      std::clamp(threads, 1u, static_cast<unsigned>(std::max<std::size_t>(1, corpus.files.size())));
  std::vector<PhraseCounts> partials(threads);
  std::vector<std::vector<FileError>> errors(threads);
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::string failure;
  auto work = [&](unsigned w) {
    try {
      PhraseMiner miner(mining);
      PhraseCounts& counts = partials[w];
      counts.max_words = mining.max_words;
      FileCalls file;
      for (std::size_t i = next++; i < corpus.files.size(); i = next++) {
        if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
          return;
        }
        const MiningInput& input = inputs[i];
        std::string error = input.error;
        if (error.empty()) {
          const ReadResult read = read_file(input.path, options.max_file_bytes);
          error = read.error;
          if (options.progress != nullptr) {
            options.progress->bytes_done.fetch_add(read.bytes.size(), std::memory_order_relaxed);
          }
          if (error.empty()) {
            error = mine_file(input, i, read.bytes, options, miner, file, counts);
          } else if (input.content_hash) {
            error = "its stored calls cannot be re-read: " + error;
          }
        }
        if (!error.empty()) {
          errors[w].push_back(FileError{i, input.path, error});
        }
        if (options.progress != nullptr) {
          options.progress->files_done.fetch_add(1, std::memory_order_relaxed);
        }
      }
    } catch (const std::exception& e) {
      std::lock_guard lock(failure_mutex);
      if (failure.empty()) {
        failure = e.what();
      }
      next = corpus.files.size();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned w = 1; w < threads; ++w) {
    workers.emplace_back(work, w);
  }
  work(0);
  for (std::thread& worker : workers) {
    worker.join();
  }
  if (!failure.empty()) {
    throw std::runtime_error(failure);
  }
  // Merge into the largest table: fewer entries to copy.
  const auto largest =
      std::max_element(partials.begin(), partials.end(), [](const auto& a, const auto& b) {
        return a.phrases.size() < b.phrases.size();
      });
  corpus.counts = std::move(*largest);
  for (auto it = partials.begin(); it != partials.end(); ++it) {
    if (it != largest) {
      corpus.counts += *it;
      *it = PhraseCounts{};
    }
  }
  for (auto& list : errors) {
    corpus.errors.insert(corpus.errors.end(), list.begin(), list.end());
  }
  std::sort(corpus.errors.begin(), corpus.errors.end(),
            [](const FileError& a, const FileError& b) { return a.index < b.index; });
  return corpus;
}

} // namespace callsight
