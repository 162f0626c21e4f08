// Unit tests for src/util/word_table.hpp: the matcher's word cache.
#include <gtest/gtest.h>

#include "util/word_table.hpp"

using namespace callsight;

TEST(WordTable, FindsShortAndLongKeys) {
  WordTable table;
  table.insert("price", 1);
  table.insert("cancellation", 2);
  table.insert("cancellations", 3); // shares its first 8 bytes with the one above
  table.insert("", 4);
  EXPECT_EQ(table.find("price"), 1u);
  EXPECT_EQ(table.find("cancellation"), 2u);
  EXPECT_EQ(table.find("cancellations"), 3u);
  EXPECT_EQ(table.find("cancellatioN"), WordTable::k_missing);
  EXPECT_EQ(table.find(""), 4u);
  EXPECT_EQ(table.find("pric"), WordTable::k_missing);
  EXPECT_EQ(table.find("prices"), WordTable::k_missing);
}

TEST(WordTable, HeadOfNeverReadsPastReadableBytes) {
  const std::string text = "ab";
  // With only 2 readable bytes the head is built byte by byte.
  EXPECT_EQ(WordTable::head_of(text, text.size()), 0x6261u);
  const std::string longer = "abcdefghij";
  EXPECT_EQ(WordTable::head_of(std::string_view(longer).substr(0, 2), longer.size()), 0x6261u);
  EXPECT_EQ(WordTable::head_of(longer, longer.size()), 0x6867666564636261u);
}

TEST(WordTable, GrowsAndClears) {
  WordTable table;
  for (std::uint32_t i = 0; i < 50000; ++i) {
    table.insert("word-" + std::to_string(i) + (i % 2 ? "-with-a-long-tail" : ""), i);
  }
  EXPECT_EQ(table.size(), 50000u);
  for (std::uint32_t i = 0; i < 50000; i += 997) {
    EXPECT_EQ(table.find("word-" + std::to_string(i) + (i % 2 ? "-with-a-long-tail" : "")), i);
  }
  table.clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find("word-1-with-a-long-tail"), WordTable::k_missing);
}
