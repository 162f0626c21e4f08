// Content hashing for change detection: XXH3 64-bit from libxxhash, several
// GB/s, so hashing costs little next to reading the file.
#include <xxhash.h>

#include "callsight/ingest.hpp"

namespace callsight {

std::uint64_t content_hash(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

} // namespace callsight
