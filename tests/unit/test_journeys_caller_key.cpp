// Unit tests for src/journeys/caller_key.cpp: key normalization, the keyed
// hash (RFC 4231 vector, salt sensitivity) and the salt file.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callsight/journeys.hpp"

using namespace callsight;
namespace fs = std::filesystem;

namespace {

TEST(CallerKey, PhoneFormattingDoesNotSplitACaller) {
  for (const char* written : {"+1 (555) 201-3344", "555.201.3344", "15552013344", "555 201 3344",
                              " 1-555-201-3344 ", "(555) 201-3344 x12", "555-201-3344 ext. 7"}) {
    EXPECT_EQ(normalize_caller_key(written, CallerKeyKind::phone), "15552013344") << written;
  }
  // Outside NANP the digits stay as written: no country code is guessed.
  EXPECT_EQ(normalize_caller_key("+44 20 7946 0958", CallerKeyKind::phone), "442079460958");
  EXPECT_EQ(normalize_caller_key("201-3344", CallerKeyKind::phone), "2013344");
}

TEST(CallerKey, ValuesThatIdentifyNobodyGiveNoKey) {
  for (const char* written :
       {"", "   ", "Anonymous", "UNKNOWN", "private", "Restricted", "n/a", "-", "null"}) {
    EXPECT_EQ(normalize_caller_key(written, CallerKeyKind::phone), "") << written;
    EXPECT_EQ(normalize_caller_key(written, CallerKeyKind::automatic), "") << written;
    EXPECT_EQ(normalize_caller_key(written, CallerKeyKind::id), "") << written;
  }
  EXPECT_EQ(normalize_caller_key("12345", CallerKeyKind::phone), ""); // too short for a phone
  EXPECT_EQ(normalize_caller_key("jane.example.com", CallerKeyKind::email), "");
  EXPECT_EQ(normalize_caller_key("@example.com", CallerKeyKind::email), "");
}

TEST(CallerKey, EmailsAreLowerCasedAndIdsKeptAsWritten) {
  EXPECT_EQ(normalize_caller_key(" Jane.Doe@Example.COM ", CallerKeyKind::email),
            "jane.doe@example.com");
  EXPECT_EQ(normalize_caller_key(" C-1001 ", CallerKeyKind::id), "C-1001");
  EXPECT_EQ(normalize_caller_key("5552013344", CallerKeyKind::id), "5552013344");
}

TEST(CallerKey, AutomaticKindDecidesPerValue) {
  EXPECT_EQ(normalize_caller_key("Jane@Example.com", CallerKeyKind::automatic), "jane@example.com");
  EXPECT_EQ(normalize_caller_key("(555) 201-3344", CallerKeyKind::automatic), "15552013344");
  EXPECT_EQ(normalize_caller_key("C-1001", CallerKeyKind::automatic), "C-1001");
  EXPECT_EQ(normalize_caller_key("A12", CallerKeyKind::automatic), "A12");
}

TEST(CallerKey, ColumnsImplyKinds) {
  EXPECT_EQ(caller_key_kind("caller_number"), CallerKeyKind::phone);
  EXPECT_EQ(caller_key_kind("email"), CallerKeyKind::email);
  EXPECT_EQ(caller_key_kind("customer_id"), CallerKeyKind::id);
  EXPECT_EQ(caller_key_kind("account"), CallerKeyKind::automatic);
  EXPECT_EQ(to_string(CallerKeyKind::phone), "phone");
}

TEST(CallerKey, HashIsHmacSha256) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  const std::uint64_t hash = hash_caller_key("what do ya want for nothing?", "Jefe");
  EXPECT_EQ(format_caller_hash(hash), "5bdcc146bf60754e");
  // Test case 6: a 131-byte key, longer than a SHA-256 block, is hashed first.
  EXPECT_EQ(
      format_caller_hash(hash_caller_key("Test Using Larger Than Block-Size Key - Hash Key First",
                                         std::string(131, '\xaa'))),
      "60e431591ee0b67f");
  // Test case 1: a 20-byte key.
  EXPECT_EQ(format_caller_hash(hash_caller_key("Hi There", std::string(20, '\x0b'))),
            "b0344c61d8db3853");
  EXPECT_EQ(format_caller_hash(0x0123456789abcdefULL), "0123456789abcdef");
  EXPECT_EQ(format_caller_hash(0), "0000000000000000");
}

TEST(CallerKey, HashIsStableWithOneSaltAndDiffersWithAnother) {
  const std::string salt_a(32, 'a');
  const std::string salt_b(32, 'b');
  const std::string key = "15552013344";
  const std::string hashed = format_caller_hash(hash_caller_key(key, salt_a));
  EXPECT_EQ(hashed.size(), 16u);
  EXPECT_NE(hashed, key.substr(0, 16));
  EXPECT_EQ(hashed.find("5552013344"), std::string::npos);
  EXPECT_EQ(hash_caller_key(key, salt_a), hash_caller_key(key, salt_a));
  EXPECT_NE(hash_caller_key(key, salt_a), hash_caller_key(key, salt_b));
  EXPECT_NE(hash_caller_key(key, salt_a), hash_caller_key("15552013345", salt_a));
}

class SaltFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = fs::path(::testing::TempDir()) /
            ("callsight-salt-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  fs::path m_dir;
};

TEST_F(SaltFileTest, CreatedOnFirstUsePrivateAndStable) {
  const std::string path = (m_dir / "config" / "callsight" / "salt").string();
  std::string error;
  const std::optional<Salt> first = load_salt(path, true, error);
  ASSERT_TRUE(first) << error;
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(first->readable_by_others);
  EXPECT_EQ(first->bytes.size(), k_salt_bytes);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((m_dir / "config" / "callsight").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  const std::optional<Salt> second = load_salt(path, true, error);
  ASSERT_TRUE(second) << error;
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->bytes, first->bytes);
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(m_dir / "config" / "callsight"),
                          fs::directory_iterator()),
            1);
}

TEST_F(SaltFileTest, MissingShortOrSharedFiles) {
  std::string error;
  const std::string missing = (m_dir / "nope").string();
  EXPECT_FALSE(load_salt(missing, false, error));
  EXPECT_NE(error.find(missing), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(missing));

  const std::string short_path = (m_dir / "short").string();
  std::ofstream(short_path) << "tiny";
  error.clear();
  EXPECT_FALSE(load_salt(short_path, true, error));
  EXPECT_NE(error.find("4 bytes"), std::string::npos) << error;
  EXPECT_NE(error.find(short_path), std::string::npos) << error;

  const std::string shared = (m_dir / "shared").string();
  std::ofstream(shared) << "0123456789abcdef0123";
  ::chmod(shared.c_str(), 0644);
  const std::optional<Salt> salt = load_salt(shared, false, error);
  ASSERT_TRUE(salt) << error;
  EXPECT_TRUE(salt->readable_by_others);
  EXPECT_EQ(salt->bytes, "0123456789abcdef0123");
}

TEST(SaltPath, HonoursXdgConfigHome) {
  const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
  const std::string saved = old_xdg != nullptr ? old_xdg : "";
  ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(default_salt_path(), "/tmp/xdg-test/callsight/salt");
  ::setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    EXPECT_EQ(default_salt_path(), std::string(home) + "/.config/callsight/salt");
  }
  if (old_xdg != nullptr) {
    ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_CONFIG_HOME");
  }
}

} // namespace
