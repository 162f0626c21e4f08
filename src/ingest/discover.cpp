// Walks input paths into a deterministic, streaming sequence of files to read.
#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <dirent.h>
#include <sys/stat.h>

#include "callsight/ingest.hpp"

namespace callsight {
namespace {

/// Identifies a directory across symlinks: the same (device, inode) pair
/// twice on the current path means a loop.
struct DirId {
  dev_t m_dev;
  ino_t m_ino;
  bool operator==(const DirId&) const = default;
};

/// One name from a directory listing, with the type readdir already knew
/// (saves a stat per regular file on filesystems that fill d_type).
struct Entry {
  std::string m_name;
  unsigned char m_type;
};

/// `dir + "/" + name`, without doubling a trailing slash the user typed.
std::string join_path(const std::string& dir, const std::string& name) {
  std::string path;
  path.reserve(dir.size() + 1 + name.size());
  path += dir;
  if (path.empty() || path.back() != '/') {
    path += '/';
  }
  path += name;
  return path;
}

/// Why stat() failed on `path`, telling a broken symlink from a missing path.
std::string stat_failure_reason(const std::string& path, int err) {
  if (err == ELOOP) {
    return "symlink loop";
  }
  if (err == ENOENT) {
    struct stat link_st {};
    if (lstat(path.c_str(), &link_st) == 0 && S_ISLNK(link_st.st_mode)) {
      return "dangling symbolic link";
    }
  }
  return errno_reason(err);
}

class Walker {
public:
  Walker(const std::function<void(DiscoveredFile&&)>& visit, const std::atomic<bool>* stop)
      : m_visit(visit), m_stop(stop) {}

  bool stopped() const { return m_stop != nullptr && m_stop->load(std::memory_order_relaxed); }

  void walk_input(const std::string& input) {
    if (input == "-") {
      report(input, {});
      return;
    }
    struct stat st {};
    if (stat(input.c_str(), &st) != 0) {
      report(input, stat_failure_reason(input, errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      walk_dir(input, st);
    } else {
      // A path the user named is taken as is, even a FIFO: `<(zcat x.gz)` is
      // a legitimate input and has a writer, so reading it will not hang.
      report(input, {});
    }
  }

private:
  void report(const std::string& path, std::string error) {
    m_visit(DiscoveredFile{path, std::move(error)});
  }

  /// Reads and sorts one directory's visible names, closing the handle
  /// before recursion so deep trees do not pile up open descriptors.
  bool list_dir(const std::string& dir, std::vector<Entry>& entries) {
    DIR* handle = opendir(dir.c_str());
    if (handle == nullptr) {
      report(dir, errno_reason(errno));
      return false;
    }
    int read_error = 0;
    for (;;) {
      errno = 0;
      const dirent* ent = readdir(handle);
      if (ent == nullptr) {
        read_error = errno;
        break;
      }
      if (ent->d_name[0] == '.') {
        continue; // hidden, and also "." and ".."
      }
      entries.push_back(Entry{ent->d_name, ent->d_type});
    }
    closedir(handle);
    if (read_error != 0) {
      // Keep what was listed: a partial directory is still worth analysing.
      report(dir, errno_reason(read_error));
    }
    // std::string compares through char_traits<char>, i.e. as unsigned bytes.
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.m_name < b.m_name; });
    return true;
  }

  void walk_dir(const std::string& dir, const struct stat& dir_st) {
    const DirId id{dir_st.st_dev, dir_st.st_ino};
    if (std::find(m_ancestors.begin(), m_ancestors.end(), id) != m_ancestors.end()) {
      report(dir, "symlink loop");
      return;
    }
    std::vector<Entry> entries;
    if (!list_dir(dir, entries)) {
      return;
    }
    m_ancestors.push_back(id);
    for (const Entry& entry : entries) {
      if (stopped()) {
        break;
      }
      visit_entry(join_path(dir, entry.m_name), entry.m_type);
    }
    m_ancestors.pop_back();
  }

  void visit_entry(const std::string& path, unsigned char type) {
    if (type == DT_REG) {
      report(path, {});
      return;
    }
    if (type == DT_FIFO || type == DT_SOCK || type == DT_CHR || type == DT_BLK) {
      // Never opened: reading a FIFO with no writer would block the run.
      report(path, "not a regular file");
      return;
    }
    // Directories, symlinks and DT_UNKNOWN need stat (following links).
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
      report(path, stat_failure_reason(path, errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      walk_dir(path, st);
    } else if (S_ISREG(st.st_mode)) {
      report(path, {});
    } else {
      report(path, "not a regular file");
    }
  }

  const std::function<void(DiscoveredFile&&)>& m_visit;
  const std::atomic<bool>* m_stop;
  std::vector<DirId> m_ancestors; ///< directories on the current path
};

} // namespace

void discover_files(const std::vector<std::string>& inputs,
                    const std::function<void(DiscoveredFile&&)>& visit,
                    const std::atomic<bool>* stop) {
  Walker walker(visit, stop);
  for (const std::string& input : inputs) {
    if (walker.stopped()) {
      break;
    }
    walker.walk_input(input);
  }
}

} // namespace callsight
