// Sharding: which input files one of N machines analyzes. Membership is a
// stable hash of the file's path relative to the input it was found under, so
// hosts that mount the corpus at different places still split it the same way.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callsight {

/// Shard `index` of `count` (1-based, as written on the command line: 2/4).
/// The default 1/1 selects every file.
struct ShardSpec {
  std::uint32_t index = 1;
  std::uint32_t count = 1;

  bool all() const { return count == 1; }
  /// Whether the file at `path`, found under the input `root`, belongs here.
  bool selects(std::string_view root, std::string_view path) const;
  std::string to_string() const; ///< "2/4"
  bool operator==(const ShardSpec&) const = default;
};

/// Parses "i/N" with 1 <= i <= N <= 1,000,000; nullopt and a reason in `error`
/// otherwise.
std::optional<ShardSpec> parse_shard_spec(std::string_view text, std::string& error);

/// What a file is hashed by: its path relative to the input directory it was
/// found under ("sub/a.txt" for root "calls/" and path "calls/sub/a.txt"), or
/// its file name when the input was the file itself.
std::string_view shard_key(std::string_view root, std::string_view path);

/// The shard hash: 64-bit FNV-1a of the bytes, then the MurmurHash3 64-bit
/// finalizer (FNV-1a alone leaves the low bits, and so `% N`, poorly mixed).
/// Part of the partial-summary format: never change it within a version.
std::uint64_t shard_hash(std::string_view bytes);

/// 1-based shard of `key` among `count`.
std::uint32_t shard_of(std::string_view key, std::uint32_t count);

} // namespace callsight
