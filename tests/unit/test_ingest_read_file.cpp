// Tests for read_file: whole reads, the size cap, standard input and pipes, errors.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callsight/ingest.hpp"

namespace {

using callsight::read_file;

constexpr std::uint64_t k_no_limit = 1ULL << 40;

/// A fresh folder per test, removed afterwards.
class TempFolder {
public:
  TempFolder() {
    std::string pattern = testing::TempDir() + "callsight_read_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
    }
    m_path = pattern;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::string& path() const { return m_path; }

  std::string write(const std::string& name, const std::string& content) const {
    const std::string file = m_path + "/" + name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

private:
  std::string m_path;
};

/// Points standard input at `path` for the lifetime of the object.
class StdinFrom {
public:
  explicit StdinFrom(const std::string& path) : m_saved(::dup(STDIN_FILENO)) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    ::dup2(fd, STDIN_FILENO);
    ::close(fd);
  }
  ~StdinFrom() {
    ::dup2(m_saved, STDIN_FILENO);
    ::close(m_saved);
  }
  StdinFrom(const StdinFrom&) = delete;
  StdinFrom& operator=(const StdinFrom&) = delete;

private:
  int m_saved;
};

TEST(IngestReadFile, ReadsWholeFileIncludingBinaryBytes) {
  TempFolder tmp;
  const std::string content = std::string("Agent: hi\r\n\0\xFF\xFE", 15) + std::string(200000, 'z');
  const auto result = read_file(tmp.write("a.txt", content), k_no_limit);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.bytes, content);
}

TEST(IngestReadFile, EmptyFileIsFine) {
  TempFolder tmp;
  const auto result = read_file(tmp.write("empty.txt", ""), k_no_limit);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.bytes, "");
}

TEST(IngestReadFile, FileOverTheCapIsRefusedWithTheLimitInTheMessage) {
  TempFolder tmp;
  const auto result = read_file(tmp.write("big.txt", std::string(100, 'x')), 64);
  EXPECT_EQ(result.bytes, "");
  EXPECT_EQ(result.error, "file is 100 bytes, over the 64-byte limit (--max-file-size)");
}

TEST(IngestReadFile, FileExactlyAtTheCapIsRead) {
  TempFolder tmp;
  const auto result = read_file(tmp.write("exact.txt", std::string(64, 'x')), 64);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.bytes.size(), 64U);
}

TEST(IngestReadFile, MissingFile) {
  TempFolder tmp;
  const auto result = read_file(tmp.path() + "/missing.txt", k_no_limit);
  EXPECT_EQ(result.error, "no such file or directory");
}

TEST(IngestReadFile, DirectoryIsRefused) {
  TempFolder tmp;
  const auto result = read_file(tmp.path(), k_no_limit);
  EXPECT_EQ(result.error, "is a directory");
  EXPECT_EQ(result.bytes, "");
}

TEST(IngestReadFile, UnreadableFile) {
  TempFolder tmp;
  const std::string file = tmp.write("locked.txt", "secret");
  ASSERT_EQ(::chmod(file.c_str(), 0), 0);
  const auto result = read_file(file, k_no_limit);
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root reads files whatever their mode";
  }
  EXPECT_EQ(result.error, "permission denied");
  EXPECT_EQ(result.bytes, "");
}

TEST(IngestReadFile, StandardInput) {
  TempFolder tmp;
  const StdinFrom redirect(tmp.write("stdin.txt", "Caller: from stdin\n"));
  const auto result = read_file("-", k_no_limit);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.bytes, "Caller: from stdin\n");
}

TEST(IngestReadFile, PipeIsReadToTheEndAndCapped) {
  // A pipe has no size to stat: the cap is enforced while reading.
  const auto read_pipe = [](const std::string& content, std::uint64_t cap) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    EXPECT_EQ(::write(fds[1], content.data(), content.size()),
              static_cast<ssize_t>(content.size()));
    ::close(fds[1]);
    const auto result = read_file("/dev/fd/" + std::to_string(fds[0]), cap);
    ::close(fds[0]);
    return result;
  };
  auto result = read_pipe(std::string(3000, 'p'), 3000);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.bytes.size(), 3000U);

  result = read_pipe(std::string(3001, 'p'), 3000);
  EXPECT_EQ(result.bytes, "");
  EXPECT_EQ(result.error, "input exceeds the 3000-byte limit (--max-file-size)");
}

TEST(IngestReadFile, FileReportingZeroSizeIsStillRead) {
  // /proc files stat as 0 bytes yet have content.
  if (!std::filesystem::exists("/proc/self/status")) {
    GTEST_SKIP() << "no /proc";
  }
  const auto result = read_file("/proc/self/status", k_no_limit);
  EXPECT_EQ(result.error, "");
  EXPECT_NE(result.bytes.find("Name:"), std::string::npos);
}

} // namespace
