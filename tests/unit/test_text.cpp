// Unit tests for src/text: normalization, tokenizer offsets and clause
// breaks, the Snowball stemmer wrapper.
#include <gtest/gtest.h>

#include "callsight/text.hpp"

using namespace callsight;

namespace {

std::vector<std::string> words(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) {
    out.emplace_back(text.substr(t.begin, t.length));
  }
  return out;
}

} // namespace

TEST(Normalize, LowercasesAscii) {
  std::string out;
  normalize_word("CanCel", out);
  EXPECT_EQ(out, "cancel");
}

TEST(Normalize, FoldsUnicodeCaseAndCompatibilityForms) {
  EXPECT_EQ(normalize_text("ÉTÉ"), "été");
  EXPECT_EQ(normalize_text("Straße"), "strasse"); // full case folding
  EXPECT_EQ(normalize_text("ﬁne"), "fine");       // NFKC ligature
  // Decomposed e + combining acute composes to the same bytes as é.
  EXPECT_EQ(normalize_text("e\xCC\x81"), normalize_text("\xC3\xA9"));
}

TEST(Normalize, FoldsTypographicApostrophe) {
  EXPECT_EQ(normalize_text("Don\xE2\x80\x99t"), "don't");
}

TEST(Tokenizer, SplitsWordsAndKeepsOffsets) {
  const std::string text = "Hi, I'd like a quote!";
  std::vector<Token> tokens;
  tokenize(text, tokens);
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(text.substr(tokens[1].begin, tokens[1].length), "I'd");
  EXPECT_EQ(tokens[4].begin, 15u);
  EXPECT_EQ(tokens[4].length, 5u);
}

TEST(Tokenizer, MarksClauseStarts) {
  std::vector<Token> tokens;
  tokenize("no, the price. really", tokens);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_TRUE(tokens[0].clause_start);
  EXPECT_TRUE(tokens[1].clause_start);  // after the comma
  EXPECT_FALSE(tokens[2].clause_start); // "price" follows "the"
  EXPECT_TRUE(tokens[3].clause_start);  // after the period
}

TEST(Tokenizer, KeepsNumbersAndInnerApostrophes) {
  EXPECT_EQ(words("it was $1,250.50 o'clock 'quoted'"),
            (std::vector<std::string>{"it", "was", "1,250.50", "o'clock", "quoted"}));
}

TEST(Tokenizer, HandlesUnicodeLettersAndTypographicApostrophe) {
  EXPECT_EQ(words("José didn’t — Zoë"), (std::vector<std::string>{"José", "didn’t", "Zoë"}));
  std::vector<Token> tokens;
  tokenize("José didn’t — Zoë", tokens);
  EXPECT_TRUE(tokens[2].clause_start); // the em dash breaks the clause
}

TEST(Tokenizer, HyphensSeparateWords) {
  EXPECT_EQ(words("follow-up e-mail"), (std::vector<std::string>{"follow", "up", "e", "mail"}));
}

// Words are extended eight ASCII bytes at a time: every kind of byte that
// ends or continues a word must still count at any position of those eight,
// and at the very end of the text (where fewer than eight bytes remain).
TEST(Tokenizer, LongWordsEndOrContinueAtAnyByteOfAnEightByteStep) {
  EXPECT_EQ(words("Supercalifragilistic expialidocious"),
            (std::vector<std::string>{"Supercalifragilistic", "expialidocious"}));
  EXPECT_EQ(
      words("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz!"),
      (std::vector<std::string>{"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz"}));
  for (std::size_t prefix = 1; prefix <= 17; ++prefix) {
    const std::string head(prefix, 'x');
    SCOPED_TRACE(prefix);
    EXPECT_EQ(words(head + "@y"), (std::vector<std::string>{head, "y"}));
    EXPECT_EQ(words(head + "[y"), (std::vector<std::string>{head, "y"}));
    EXPECT_EQ(words(head + "`y"), (std::vector<std::string>{head, "y"}));
    EXPECT_EQ(words(head + "{y"), (std::vector<std::string>{head, "y"}));
    EXPECT_EQ(words(head + "/y"), (std::vector<std::string>{head, "y"}));
    EXPECT_EQ(words(head + ":y"), (std::vector<std::string>{head, "y"}));
    EXPECT_EQ(words(head + "'s ok"), (std::vector<std::string>{head + "'s", "ok"}));
    EXPECT_EQ(words(head + "\xC3\xA9t\xC3\xA9 z"),
              (std::vector<std::string>{head + "\xC3\xA9t\xC3\xA9", "z"}));
    EXPECT_EQ(words(head + "\xE2\x80\x94z"), (std::vector<std::string>{head, "z"})); // em dash
    EXPECT_EQ(words(head), (std::vector<std::string>{head}));
    const std::string digits(prefix, '7');
    EXPECT_EQ(words(digits + ",250.50 x"), (std::vector<std::string>{digits + ",250.50", "x"}));
    EXPECT_EQ(words(digits + ". x"), (std::vector<std::string>{digits, "x"}));
  }
  // A clause break right after a long word still marks the next word.
  std::vector<Token> tokens;
  tokenize("unbelievably. expensive", tokens);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_TRUE(tokens[1].clause_start);
  // Bytes 0x7F and 0xFF around letters are not letters.
  EXPECT_EQ(words("abcdefgh\x7Fijk"), (std::vector<std::string>{"abcdefgh", "ijk"}));
}

TEST(Tokenizer, EmptyAndPunctuationOnly) {
  EXPECT_TRUE(words("").empty());
  EXPECT_TRUE(words(" ... !!! ").empty());
}

TEST(Stemmer, EnglishSnowball) {
  Stemmer stemmer("en");
  EXPECT_EQ(stemmer.stem("cancelled"), "cancel");
  EXPECT_EQ(stemmer.stem("cancellation"), "cancel");
  EXPECT_EQ(stemmer.stem("prices"), "price");
  EXPECT_EQ(stemmer.language(), "english");
}

TEST(Stemmer, OtherLanguagesAndErrors) {
  Stemmer spanish("spanish");
  EXPECT_EQ(spanish.stem("cancelaciones"), "cancel");
  EXPECT_THROW(Stemmer("klingon"), std::invalid_argument);
  EXPECT_EQ(stemmer_language_name("FR"), "french");
  EXPECT_EQ(stemmer_language_name("German"), "german");
  EXPECT_EQ(stemmer_language_name("xx"), "");
  const auto languages = stemmer_languages();
  EXPECT_NE(std::find(languages.begin(), languages.end(), "english"), languages.end());
}

TEST(Vocabulary, OneDenseIdPerDistinctRawWord) {
  TurnTokens tokens;
  tokens.add_turn("Cancel cancel CANCEL cancel");
  tokens.add_turn("cancel now, cancellation");
  const auto first = tokens.words(0);
  const auto second = tokens.words(1);
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(second.size(), 3u);
  // Raw bytes: case differs, so the id differs; the same word in another turn
  // keeps its id.
  EXPECT_NE(first[0], first[1]);
  EXPECT_NE(first[1], first[2]);
  EXPECT_EQ(first[1], first[3]);
  EXPECT_EQ(second[0], first[1]);
  EXPECT_NE(second[2], second[0]);
  // Dense: 1 (the long-word id) + 5 distinct words.
  EXPECT_EQ(tokens.vocabulary().size(), 6u);
  for (std::uint32_t id : first) {
    EXPECT_NE(id, Vocabulary::k_long_word);
    EXPECT_LT(id, tokens.vocabulary().size());
  }
}

TEST(Vocabulary, LongWordsShareOneIdAndStampsTellVocabulariesApart) {
  const std::string long_a(Vocabulary::k_max_word_bytes + 1, 'a');
  const std::string long_b(Vocabulary::k_max_word_bytes + 5, 'b');
  const std::string longest(Vocabulary::k_max_word_bytes, 'c');
  Vocabulary vocabulary;
  EXPECT_EQ(vocabulary.intern(long_a, long_a.size()), Vocabulary::k_long_word);
  EXPECT_EQ(vocabulary.intern(long_b, long_b.size()), Vocabulary::k_long_word);
  EXPECT_NE(vocabulary.intern(longest, longest.size()), Vocabulary::k_long_word);
  const std::uint64_t stamp = vocabulary.stamp();
  Vocabulary other;
  EXPECT_NE(other.stamp(), stamp);
  vocabulary.clear();
  EXPECT_NE(vocabulary.stamp(), stamp);
  EXPECT_EQ(vocabulary.size(), 1u);
  // `readable` past the word lets it load whole 8-byte heads: same ids.
  const std::string text = "price prices";
  const std::uint32_t price = vocabulary.intern(std::string_view(text).substr(0, 5), text.size());
  EXPECT_EQ(vocabulary.intern("price", 5), price);
  EXPECT_NE(vocabulary.intern(std::string_view(text).substr(6), 6), price);
}
