// Tests for discover_files: order, hidden entries, symlinks, special files, errors.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callsight/ingest.hpp"

namespace {

using callsight::discover_files;
using callsight::DiscoveredFile;

/// A fresh folder per test, removed afterwards (permissions restored first).
class TempFolder {
public:
  TempFolder() {
    std::string pattern = testing::TempDir() + "callsight_discover_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
    }
    m_path = pattern;
  }
  ~TempFolder() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             m_path, std::filesystem::directory_options::skip_permission_denied, ec)) {
      if (entry.is_directory(ec) && !entry.is_symlink(ec)) {
        ::chmod(entry.path().c_str(), 0700);
      }
    }
    std::filesystem::remove_all(m_path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::string& path() const { return m_path; }
  std::string operator/(const std::string& relative) const { return m_path + "/" + relative; }

  void write(const std::string& relative, const std::string& content = "x") const {
    std::filesystem::create_directories(std::filesystem::path(*this / relative).parent_path());
    std::ofstream(*this / relative, std::ios::binary) << content;
  }
  void mkdir(const std::string& relative) const {
    std::filesystem::create_directories(*this / relative);
  }
  void symlink(const std::string& target, const std::string& relative) const {
    ASSERT_EQ(::symlink(target.c_str(), (*this / relative).c_str()), 0) << relative;
  }

private:
  std::string m_path;
};

std::vector<DiscoveredFile> discover(const std::vector<std::string>& inputs) {
  std::vector<DiscoveredFile> found;
  discover_files(inputs, [&](DiscoveredFile&& file) { found.push_back(std::move(file)); });
  return found;
}

/// Renders results relative to `root` as "path" or "path: error", for
/// readable comparisons of whole walks.
std::vector<std::string> render(const std::vector<DiscoveredFile>& found, const std::string& root) {
  std::vector<std::string> lines;
  for (const auto& file : found) {
    std::string path = file.path;
    if (path.rfind(root, 0) == 0) {
      path = path.substr(root.size());
    }
    lines.push_back(file.error.empty() ? path : path + ": " + file.error);
  }
  return lines;
}

TEST(IngestDiscover, WalksRecursivelyInByteOrderDepthFirst) {
  TempFolder tmp;
  tmp.write("z.txt");
  tmp.write("a.txt");
  tmp.write("B.txt");           // upper case sorts before lower case
  tmp.write("a-dir/inner.txt"); // '-' (0x2d) sorts before '.' (0x2e)
  tmp.write("m/2.txt");
  tmp.write("m/1.txt");
  tmp.write("m/deeper/x.txt");
  tmp.write("m/n.txt");
  tmp.write("\xC3\xA9.txt"); // UTF-8 name sorts after ASCII, byte-wise
  tmp.mkdir("empty");

  EXPECT_EQ(
      render(discover({tmp.path()}), tmp.path()),
      (std::vector<std::string>{"/B.txt", "/a-dir/inner.txt", "/a.txt", "/m/1.txt", "/m/2.txt",
                                "/m/deeper/x.txt", "/m/n.txt", "/z.txt", "/\xC3\xA9.txt"}));
}

TEST(IngestDiscover, SkipsHiddenEntriesInsideDirectories) {
  TempFolder tmp;
  tmp.write("visible.txt");
  tmp.write(".hidden.txt");
  tmp.write(".git/config");
  tmp.write("sub/.secret");

  EXPECT_EQ(render(discover({tmp.path()}), tmp.path()), (std::vector<std::string>{"/visible.txt"}));
}

TEST(IngestDiscover, NamedHiddenInputsAreNotSkipped) {
  TempFolder tmp;
  tmp.write(".hidden.txt");
  tmp.write(".dir/a.txt");

  EXPECT_EQ(render(discover({tmp / ".hidden.txt", tmp / ".dir"}), tmp.path()),
            (std::vector<std::string>{"/.hidden.txt", "/.dir/a.txt"}));
}

TEST(IngestDiscover, TrailingSlashDoesNotDoubleSeparator) {
  TempFolder tmp;
  tmp.write("data/x.txt");

  const auto found = discover({tmp / "data/"});
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].path, tmp / "data/x.txt");
  EXPECT_EQ(found[0].error, "");
}

TEST(IngestDiscover, InputsKeepTheirOrderAndFilesPassAsGiven) {
  TempFolder tmp;
  tmp.write("dir/b.txt");
  tmp.write("dir/a.txt");
  tmp.write("single.txt");

  EXPECT_EQ(render(discover({tmp / "single.txt", tmp / "dir", tmp / "single.txt"}), tmp.path()),
            (std::vector<std::string>{"/single.txt", "/dir/a.txt", "/dir/b.txt", "/single.txt"}));
}

TEST(IngestDiscover, DashPassesThroughForStandardInput) {
  const auto found = discover({"-"});
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].path, "-");
  EXPECT_EQ(found[0].error, "");
}

TEST(IngestDiscover, NonexistentInputIsReportedAndWalkContinues) {
  TempFolder tmp;
  tmp.write("ok.txt");

  EXPECT_EQ(render(discover({tmp / "missing", tmp / "ok.txt"}), tmp.path()),
            (std::vector<std::string>{"/missing: no such file or directory", "/ok.txt"}));
}

TEST(IngestDiscover, FollowsSymlinksToFilesAndDirectories) {
  TempFolder tmp;
  tmp.write("real/x.txt");
  tmp.write("target.txt");
  tmp.symlink("real", "link-dir");
  tmp.symlink("target.txt", "link-file");

  EXPECT_EQ(
      render(discover({tmp.path()}), tmp.path()),
      (std::vector<std::string>{"/link-dir/x.txt", "/link-file", "/real/x.txt", "/target.txt"}));
}

TEST(IngestDiscover, SymlinkLoopIsReportedAndWalkContinues) {
  TempFolder tmp;
  tmp.write("dir/file.txt");
  tmp.symlink("..", "dir/loop");      // back to an ancestor directory
  tmp.symlink("self", "dir/self");    // a link pointing at itself
  tmp.symlink(tmp.path(), "dir/top"); // absolute link to the walk's root
  tmp.write("z.txt");

  EXPECT_EQ(
      render(discover({tmp.path()}), tmp.path()),
      (std::vector<std::string>{"/dir/file.txt", "/dir/loop: symlink loop",
                                "/dir/self: symlink loop", "/dir/top: symlink loop", "/z.txt"}));
}

TEST(IngestDiscover, DanglingSymlinkIsReported) {
  TempFolder tmp;
  tmp.symlink("nowhere", "broken");
  tmp.write("ok.txt");

  EXPECT_EQ(render(discover({tmp.path()}), tmp.path()),
            (std::vector<std::string>{"/broken: dangling symbolic link", "/ok.txt"}));
  EXPECT_EQ(render(discover({tmp / "broken"}), tmp.path()),
            (std::vector<std::string>{"/broken: dangling symbolic link"}));
}

TEST(IngestDiscover, FifoInsideDirectoryIsReportedNotOpened) {
  TempFolder tmp;
  ASSERT_EQ(::mkfifo((tmp / "pipe").c_str(), 0600), 0);
  tmp.symlink("pipe", "pipe-link");
  tmp.write("z.txt");

  // Opening a FIFO with no writer would block: finishing at all is the test.
  EXPECT_EQ(render(discover({tmp.path()}), tmp.path()),
            (std::vector<std::string>{"/pipe: not a regular file", "/pipe-link: not a regular file",
                                      "/z.txt"}));
}

TEST(IngestDiscover, UnreadableDirectoryIsReportedAndWalkContinues) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root reads directories whatever their mode";
  }
  TempFolder tmp;
  tmp.write("locked/secret.txt");
  tmp.write("z.txt");
  ASSERT_EQ(::chmod((tmp / "locked").c_str(), 0), 0);

  EXPECT_EQ(render(discover({tmp.path()}), tmp.path()),
            (std::vector<std::string>{"/locked: permission denied", "/z.txt"}));
}

TEST(IngestDiscover, VisitsFilesWhileWalkingNotAfter) {
  TempFolder tmp;
  tmp.write("a/1.txt");
  tmp.write("b/2.txt");

  // The first file is handed over before the second directory is listed:
  // creating a file there from the callback must make it visible.
  std::vector<std::string> seen;
  discover_files({tmp.path()}, [&](DiscoveredFile&& file) {
    if (seen.empty()) {
      std::ofstream(tmp / "b/3.txt") << "x";
    }
    seen.push_back(file.path.substr(tmp.path().size()));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"/a/1.txt", "/b/2.txt", "/b/3.txt"}));
}

} // namespace
