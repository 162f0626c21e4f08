// Shard membership: a stable hash of each file's root-relative path, modulo N.
#include "callsight/shard.hpp"

#include <charconv>

namespace callsight {
namespace {

constexpr std::uint32_t k_max_shards = 1'000'000;

// A whole decimal number, no sign, no spaces.
std::optional<std::uint32_t> parse_count(std::string_view text) {
  std::uint32_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

} // namespace

bool ShardSpec::selects(std::string_view root, std::string_view path) const {
  return all() || shard_of(shard_key(root, path), count) == index;
}

std::string ShardSpec::to_string() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

std::optional<ShardSpec> parse_shard_spec(std::string_view text, std::string& error) {
  const std::size_t slash = text.find('/');
  const std::optional<std::uint32_t> index =
      slash == std::string_view::npos ? std::nullopt : parse_count(text.substr(0, slash));
  const std::optional<std::uint32_t> count =
      slash == std::string_view::npos ? std::nullopt : parse_count(text.substr(slash + 1));
  if (!index || !count) {
    error = "'" + std::string(text) + "' is not i/N (for example 2/4: the second of four shards)";
    return std::nullopt;
  }
  if (*count == 0 || *count > k_max_shards) {
    error = "'" + std::string(text) + "': the number of shards must be 1 to " +
            std::to_string(k_max_shards);
    return std::nullopt;
  }
  if (*index == 0 || *index > *count) {
    error = "'" + std::string(text) + "': the shard number must be 1 to " + std::to_string(*count) +
            " (shards are numbered from 1)";
    return std::nullopt;
  }
  return ShardSpec{*index, *count};
}

std::string_view shard_key(std::string_view root, std::string_view path) {
  if (path.size() > root.size() && path.starts_with(root)) {
    std::string_view rest = path.substr(root.size());
    // "calls" + "/a.txt" and "calls/" + "a.txt" give the same key.
    while (!rest.empty() && rest.front() == '/') {
      rest.remove_prefix(1);
    }
    if (!rest.empty()) {
      return rest;
    }
  }
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::uint64_t shard_hash(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a 64 offset basis
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL; // FNV-1a 64 prime
  }
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  return hash;
}

std::uint32_t shard_of(std::string_view key, std::uint32_t count) {
  return static_cast<std::uint32_t>(shard_hash(key) % count) + 1;
}

} // namespace callsight
