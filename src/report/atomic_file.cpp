// AtomicFile: reports appear under their final name only when complete
// (temp file beside the target, fsync, rename), so a crash or a full disk
// never leaves a truncated report in place of yesterday's good one.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <streambuf>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callsight/report.hpp"

namespace callsight {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// A streambuf writing to a file descriptor, remembering the first error.
class FdBuffer : public std::streambuf {
public:
  explicit FdBuffer(int fd) : m_fd(fd), m_buffer(1 << 16) {
    setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
  }
  const std::string& error() const { return m_error; }
  int error_number() const { return m_errno; }

protected:
  int_type overflow(int_type c) override {
    if (!flush_buffer()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return flush_buffer() ? 0 : -1; }

private:
  bool flush_buffer() {
    const char* data = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0) {
      const ssize_t written = ::write(m_fd, data, left);
      if (written < 0) {
        if (errno == EINTR) {
          continue;
        }
        if (m_error.empty()) {
          m_errno = errno;
          m_error = errno_text();
        }
        setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
        return false;
      }
      data += written;
      left -= static_cast<std::size_t>(written);
    }
    setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
    return true;
  }

  int m_fd;
  std::vector<char> m_buffer;
  std::string m_error;
  int m_errno = 0;
};

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

struct AtomicFile::Impl {
  std::string path;
  std::string temp_path; ///< empty when writing directly (not a regular file)
  int fd = -1;
  std::unique_ptr<FdBuffer> buffer;
  std::unique_ptr<std::ostream> stream;
  bool owns_fd = true; ///< false for standard output
  bool committed = false;
};

AtomicFile::AtomicFile(std::string path) : m_impl(std::make_unique<Impl>()) {
  m_impl->path = std::move(path);
  if (m_impl->path == "-") {
    m_impl->path = "standard output";
    m_impl->fd = STDOUT_FILENO;
    m_impl->owns_fd = false;
    m_impl->buffer = std::make_unique<FdBuffer>(m_impl->fd);
    m_impl->stream = std::make_unique<std::ostream>(m_impl->buffer.get());
    return;
  }
  // A device, FIFO or socket (/dev/null, /dev/stdout, a named pipe) must be
  // written in place: renaming over it would replace the device itself.
  struct stat target {};
  if (::stat(m_impl->path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
    if (S_ISDIR(target.st_mode)) {
      throw std::runtime_error(m_impl->path + ": cannot write output: is a directory");
    }
    m_impl->fd = ::open(m_impl->path.c_str(), O_WRONLY | O_CLOEXEC);
    if (m_impl->fd < 0) {
      throw std::runtime_error(m_impl->path + ": cannot write output: " + errno_text());
    }
    m_impl->buffer = std::make_unique<FdBuffer>(m_impl->fd);
    m_impl->stream = std::make_unique<std::ostream>(m_impl->buffer.get());
    return;
  }
  // A symbolic link to a report: replace the file it points to, keep the link.
  if (char* resolved = ::realpath(m_impl->path.c_str(), nullptr)) {
    m_impl->path = resolved;
    std::free(resolved);
  }
  const std::string dir = directory_of(m_impl->path);
  const std::size_t slash = m_impl->path.find_last_of('/');
  const std::string name =
      slash == std::string::npos ? m_impl->path : m_impl->path.substr(slash + 1);
  m_impl->temp_path = dir + "/." + name + ".tmp-XXXXXX";
  std::vector<char> pattern(m_impl->temp_path.begin(), m_impl->temp_path.end());
  pattern.push_back('\0');
  m_impl->fd = ::mkstemp(pattern.data());
  if (m_impl->fd < 0) {
    throw std::runtime_error(m_impl->path + ": cannot create output: " + errno_text());
  }
  m_impl->temp_path = pattern.data();
  // Keep the target's permissions when replacing it; else the usual 0666 & ~umask.
  struct stat existing {};
  mode_t mode = 0;
  if (::stat(m_impl->path.c_str(), &existing) == 0) {
    mode = existing.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  ::fchmod(m_impl->fd, mode);
  m_impl->buffer = std::make_unique<FdBuffer>(m_impl->fd);
  m_impl->stream = std::make_unique<std::ostream>(m_impl->buffer.get());
}

AtomicFile::~AtomicFile() {
  if (!m_impl->committed) {
    if (m_impl->fd >= 0 && m_impl->owns_fd) {
      ::close(m_impl->fd);
    }
    if (!m_impl->temp_path.empty()) {
      ::unlink(m_impl->temp_path.c_str());
    }
  }
}

std::ostream& AtomicFile::stream() {
  return *m_impl->stream;
}

void AtomicFile::commit() {
  Impl& impl = *m_impl;
  impl.stream->flush();
  std::string error = impl.buffer->error();
  int error_number = impl.buffer->error_number();
  auto fail = [&](int number, std::string text) {
    if (error.empty()) {
      error_number = number;
      error = std::move(text);
    }
  };
  if (!impl.stream->good()) {
    fail(EIO, "write failed");
  }
  const bool direct = impl.temp_path.empty();
  if (!direct && ::fsync(impl.fd) != 0) {
    fail(errno, errno_text());
  }
  if (impl.owns_fd && ::close(impl.fd) != 0) {
    fail(errno, errno_text());
  }
  impl.fd = -1;
  if (!direct && error.empty() && ::rename(impl.temp_path.c_str(), impl.path.c_str()) != 0) {
    fail(errno, errno_text());
  }
  impl.committed = true; // nothing left to clean up after this point
  if (!error.empty()) {
    if (!direct) {
      ::unlink(impl.temp_path.c_str());
    }
    // system_error keeps errno, so the CLI can tell a closed pipe (EPIPE)
    // from a full disk.
    throw std::system_error(error_number, std::generic_category(),
                            impl.path + ": cannot write output");
  }
  if (!direct) {
    // Make the rename itself durable.
    const int dir_fd = ::open(directory_of(impl.path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
}

} // namespace callsight
