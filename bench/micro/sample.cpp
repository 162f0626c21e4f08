// Builds the micro-benchmarks' sample by running callsight_gen_corpus into a
// temporary directory (so the text is exactly what bench/run.sh measures),
// reading it back and removing the directory.
#include "sample.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "callsight/formats.hpp"
#include "callsight/roles.hpp"
#include "callsight/taxonomy.hpp"
#include "callsight/text.hpp"

extern char** environ;

namespace callsight::bench {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_failed{false};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "callsight_microbench: %s\n", message.c_str());
  std::exit(2);
}

// The generator built beside this program; CALLSIGHT_GEN_CORPUS overrides it.
std::string generator_path() {
  if (const char* env = std::getenv("CALLSIGHT_GEN_CORPUS"); env != nullptr && *env != '\0') {
    return env;
  }
  return CALLSIGHT_GEN_CORPUS_PATH;
}

// Runs a program without a shell (paths may hold spaces); throws on failure.
void run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int rc = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ); rc != 0) {
    throw std::runtime_error("cannot run " + args[0] + ": " + std::strerror(rc));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error("waitpid on " + args[0] + ": " + std::strerror(errno));
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(args[0] + " failed (status " + std::to_string(status) + ")");
  }
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  return text.str();
}

// Removes the temporary corpus however the build ends.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "callsight-microbench.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    }
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

void generate(Sample& s) {
  const TempDir dir;
  const fs::path corpus = dir.path / "corpus";
  const fs::path big = dir.path / "big.json";
  run({generator_path(), "--calls", std::to_string(k_sample_calls), "--out", corpus.string(),
       "--seed", std::to_string(k_sample_seed), "--format", "txt", "--big-taxonomy", big.string(),
       "--threads", "1", "-q"});
  std::vector<fs::path> paths;
  for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.size() != k_sample_calls) {
    throw std::runtime_error("expected " + std::to_string(k_sample_calls) + " calls in " +
                             corpus.string() + ", found " + std::to_string(paths.size()));
  }
  for (const fs::path& path : paths) {
    s.files.push_back({fs::relative(path, corpus).string(), read_all(path)});
    s.file_bytes += s.files.back().bytes.size();
  }
  s.big_taxonomy_json = read_all(big);
}

CompiledTaxonomy compile(std::string_view json, const char* what) {
  TaxonomyLoadResult loaded = parse_taxonomy(json);
  if (!loaded.taxonomy) {
    const TaxonomyIssue& issue = loaded.issues.front();
    throw std::runtime_error(std::string(what) + ":" + std::to_string(issue.line) + ":" +
                             std::to_string(issue.column) + ": " + issue.message);
  }
  return CompiledTaxonomy::compile(*loaded.taxonomy);
}

std::string with_generic_labels(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view line = text.substr(pos, end - pos);
    for (const auto& [from, to] :
         {std::pair<std::string_view, std::string_view>{"Agent:", "Speaker 1:"},
          {"Customer:", "Speaker 2:"}}) {
      if (line.starts_with(from)) {
        out += to;
        line.remove_prefix(from.size());
        break;
      }
    }
    out += line;
    pos = end;
  }
  return out;
}

Call parse_one(const SampleFile& file, std::string_view text) {
  ParseResult parsed = parse_transcript(file.path, text, "auto");
  if (!parsed.error.empty() || parsed.calls.size() != 1 || parsed.calls.front().turns.size() < 2) {
    throw std::runtime_error(file.path +
                             ": does not parse as one call with turns: " + parsed.error);
  }
  return std::move(parsed.calls.front());
}

void derive(Sample& s) {
  for (const SampleFile& file : s.files) {
    s.calls.push_back(parse_one(file, file.bytes));
    resolve_roles(s.calls.back());
    if (s.calls.back().role_source != RoleSource::labels) {
      throw std::runtime_error(file.path + ": Agent:/Customer: labels were not read as roles");
    }
    s.generic_calls.push_back(parse_one(file, with_generic_labels(file.bytes)));
    if (s.generic_calls.back().role_source != RoleSource::none) {
      throw std::runtime_error(file.path + ": Speaker 1/2 labels already have roles");
    }
  }
  bool full = false;
  for (const Call& call : s.calls) {
    for (const Turn& turn : call.turns) {
      full = full || s.body.size() + turn.text.size() + 1 > k_body_bytes;
      if (full) {
        break;
      }
      s.body += turn.text;
      s.body += '\n';
    }
  }
  if (s.body.size() < k_body_bytes * 9 / 10) {
    throw std::runtime_error("the sample has only " + std::to_string(s.body.size()) +
                             " bytes of turn text, not ~1 MB");
  }
  std::vector<Token> tokens;
  tokenize(s.body, tokens);
  std::unordered_set<std::string_view> seen;
  for (const Token& token : tokens) {
    const std::string_view word(s.body.data() + token.begin, token.length);
    if (seen.insert(word).second) {
      s.distinct_words.push_back(word);
    }
  }
  s.default_taxonomy = compile(default_taxonomy_json(), "built-in taxonomy");
  s.big_taxonomy = compile(s.big_taxonomy_json, "generated big.json");
}

} // namespace

const Sample& sample() {
  static const Sample s = [] {
    Sample built;
    try {
      generate(built);
      derive(built);
    } catch (const std::exception& e) {
      die("cannot build the sample corpus with " + generator_path() + ": " + e.what());
    }
    return built;
  }();
  return s;
}

void fail(benchmark::State& state, const std::string& message) {
  g_failed = true;
  state.SkipWithError(message.c_str());
}

bool any_failed() {
  return g_failed;
}

void set_rates(benchmark::State& state, std::uint64_t items_per_pass, std::uint64_t bytes_per_pass,
               std::uint64_t calls_per_pass) {
  const auto passes = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(passes * static_cast<std::int64_t>(items_per_pass));
  state.SetBytesProcessed(passes * static_cast<std::int64_t>(bytes_per_pass));
  if (calls_per_pass == 0) {
    return;
  }
  state.counters["s/call"] = benchmark::Counter(static_cast<double>(calls_per_pass),
                                                benchmark::Counter::kIsIterationInvariantRate |
                                                    benchmark::Counter::kInvert);
}

} // namespace callsight::bench
