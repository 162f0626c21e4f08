// WordTable: an open-addressing hash table from short byte strings to small
// integers, with keys copied into one arena. Built for the per-thread word
// cache of the matcher: one lookup per token on the hot path, no allocation
// per lookup, no per-key std::string.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace callsight {

class WordTable {
public:
  static constexpr std::uint32_t k_missing = UINT32_MAX;

  WordTable() { reset(1u << 12); }

  /// Value stored for `key`, or k_missing.
  std::uint32_t find(std::string_view key) const {
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
      const Slot& slot = m_slots[i];
      if (slot.value == k_missing) {
        return k_missing;
      }
      if (slot.hash == h && slot.length == key.size() &&
          same_bytes(m_arena.data() + slot.offset, key.data(), key.size())) {
        return slot.value;
      }
    }
  }

  /// Stores `value` for a key not yet present.
  void insert(std::string_view key, std::uint32_t value) {
    if ((m_size + 1) * 2 > m_slots.size()) {
      grow();
    }
    const std::uint64_t h = hash(key);
    const auto offset = static_cast<std::uint32_t>(m_arena.size());
    m_arena.append(key);
    place(Slot{h, offset, static_cast<std::uint32_t>(key.size()), value});
    ++m_size;
  }

  std::size_t size() const { return m_size; }
  std::size_t arena_bytes() const { return m_arena.size(); }

  void clear() {
    m_arena.clear();
    reset(1u << 12);
  }

  // A fast multiply-mix hash over 8-byte chunks; words are short.
  static std::uint64_t hash(std::string_view key) {
    constexpr std::uint64_t k_mul = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = key.size() * k_mul;
    std::size_t i = 0;
    for (; i + 8 <= key.size(); i += 8) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, key.data() + i, 8);
      h = (h ^ chunk) * k_mul;
      h ^= h >> 29;
    }
    if (i < key.size()) {
      // Byte loop for the tail: a variable-length memcpy would be a call.
      std::uint64_t chunk = 0;
      for (std::size_t shift = 0; i < key.size(); ++i, shift += 8) {
        chunk |= std::uint64_t{static_cast<unsigned char>(key[i])} << shift;
      }
      h = (h ^ chunk) * k_mul;
      h ^= h >> 29;
    }
    h *= k_mul;
    return h ^ (h >> 32);
  }

private:
  // Words are a few bytes long: an inline loop beats a call to memcmp.
  static bool same_bytes(const char* a, const char* b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t value = k_missing;
  };

  void reset(std::size_t capacity) {
    m_slots.assign(capacity, Slot{});
    m_mask = capacity - 1;
    m_size = 0;
  }

  void place(const Slot& slot) {
    std::size_t i = slot.hash & m_mask;
    while (m_slots[i].value != k_missing) {
      i = (i + 1) & m_mask;
    }
    m_slots[i] = slot;
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(m_slots);
    const std::size_t size = m_size;
    reset(old.size() * 2);
    for (const Slot& slot : old) {
      if (slot.value != k_missing) {
        place(slot);
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
