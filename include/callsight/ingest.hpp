// Ingest: find transcript files, read them with a size cap and decode them to
// valid UTF-8 (BOM, UTF-16 LE/BE, invalid sequences replaced and counted).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace callsight {

/// A path to process, or a problem met while walking (reported, never fatal).
struct DiscoveredFile {
  std::string path;
  std::string error; ///< empty when the path is usable
};

/// Walks each input in order: a regular file is yielded as is, a directory is
/// walked recursively with entries in byte-wise sorted order, hidden entries
/// (leading '.') skipped, symlinks followed with loop protection. "-" is passed
/// through for standard input. Streaming: memory holds one directory listing
/// per level, never the whole tree.
/// `stop`, when given, ends the walk early once it becomes true (Ctrl-C).
void discover_files(const std::vector<std::string>& inputs,
                    const std::function<void(DiscoveredFile&&)>& visit,
                    const std::atomic<bool>* stop = nullptr);

enum class SourceEncoding : std::uint8_t { utf8, utf8_bom, utf16le, utf16be };

std::string_view to_string(SourceEncoding encoding);

/// Result of decoding raw bytes to UTF-8.
struct DecodedText {
  std::string text;
  SourceEncoding encoding = SourceEncoding::utf8;
  std::size_t invalid_sequences = 0; ///< each replaced by U+FFFD
};

/// Decodes by BOM; without a BOM, UTF-16 is recognised from NUL byte patterns.
/// CRLF and lone CR become LF. Never throws on bad input.
DecodedText decode_to_utf8(std::string_view bytes);

/// Outcome of reading one file.
struct ReadResult {
  std::string bytes;
  std::string error; ///< empty on success
};

/// Reads a whole file (or standard input for "-"), refusing files larger than
/// `max_bytes` with an error that says so, without reading them.
/// `stop`, when given, ends a read from a pipe, FIFO or terminal that is
/// waiting for data once it becomes true (error "interrupted"): a signal must
/// not wait for a writer that may never come.
ReadResult read_file(const std::string& path, std::uint64_t max_bytes,
                     const std::atomic<bool>* stop = nullptr);

/// The reason of an errno value as error messages show it, in lower case
/// ("no such file or directory").
std::string errno_reason(int err);

/// 64-bit content hash of a file's bytes (XXH3, non-cryptographic: change
/// detection for the store, not integrity against an adversary).
std::uint64_t content_hash(std::string_view bytes);

} // namespace callsight
