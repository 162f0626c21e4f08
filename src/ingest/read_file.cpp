// Reads one whole file or standard input into memory, refusing oversized input.
#include <atomic>
#include <cerrno>
#include <new>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callsight/ingest.hpp"

namespace callsight {
namespace {

constexpr std::size_t k_stream_chunk = 64 * 1024;

/// `what` is "file is N bytes," or "input exceeds"; the flag is named so the
/// user knows how to lift the limit.
std::string over_limit_message(const std::string& what, std::uint64_t max_bytes) {
  return what + " the " + std::to_string(max_bytes) + "-byte limit (--max-file-size)";
}

constexpr int k_stop_poll_ms = 100;

/// read() that retries on EINTR; returns bytes read, 0 at EOF, -1 on error.
/// With `stop`, waits for data in short polls so that a stop request ends the
/// wait (errno EINTR), with no race against a signal arriving just before.
ssize_t read_some(int fd, char* buffer, std::size_t size, const std::atomic<bool>* stop = nullptr) {
  for (;;) {
    if (stop != nullptr) {
      if (stop->load(std::memory_order_relaxed)) {
        errno = EINTR;
        return -1;
      }
      pollfd wait{fd, POLLIN, 0};
      if (::poll(&wait, 1, k_stop_poll_ms) == 0) {
        continue; // nothing yet: look at the stop flag again
      }
    }
    const ssize_t n = ::read(fd, buffer, size);
    if (n >= 0 || errno != EINTR) {
      return n;
    }
  }
}

/// Closes a descriptor we opened when leaving scope (never standard input).
class FdCloser {
public:
  explicit FdCloser(int fd) : m_fd(fd) {}
  ~FdCloser() { ::close(m_fd); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

private:
  int m_fd;
};

/// Reads the whole input into `out` (empty, with room reserved for what
/// fstat announced), chunk by chunk until EOF: that size may be stale (the
/// file grew or shrank) or meaningless (pipes and /proc files report 0); for
/// an unchanged regular file `out` is never reallocated.
/// Memory stays within the cap: a chunk that would cross it ends the read.
ReadResult read_rest(int fd, std::string out, std::uint64_t max_bytes,
                     const std::atomic<bool>* stop) {
  char chunk[k_stream_chunk];
  for (;;) {
    const ssize_t n = read_some(fd, chunk, sizeof chunk, stop);
    if (n < 0) {
      return {{}, errno == EINTR ? "interrupted" : errno_reason(errno)};
    }
    if (n == 0) {
      return {std::move(out), {}};
    }
    if (static_cast<std::uint64_t>(n) > max_bytes - out.size()) {
      return {{}, over_limit_message("input exceeds", max_bytes)};
    }
    out.append(chunk, static_cast<std::size_t>(n));
  }
}

/// `opened_nonblocking`: a FIFO opened with O_NONBLOCK must block again for
/// its reads (regular files ignore the flag: no system call for them).
ReadResult read_descriptor(int fd, std::uint64_t max_bytes, const std::atomic<bool>* stop,
                           bool opened_nonblocking = false) {
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    return {{}, errno_reason(errno)};
  }
  if (S_ISDIR(st.st_mode)) {
    return {{}, errno_reason(EISDIR)};
  }
  if (opened_nonblocking && !S_ISREG(st.st_mode) &&
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
    return {{}, errno_reason(errno)};
  }
  std::string bytes;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes) {
      return {{},
              over_limit_message("file is " + std::to_string(size) + " bytes, over", max_bytes)};
    }
    // One allocation of the announced size; the common case never regrows.
    // Reserved, not resized: resize would first fill it with zeros, a pass
    // over every byte that the chunked reads then overwrite anyway.
    bytes.reserve(static_cast<std::size_t>(size));
  }
  // Regular files never wait for a writer; pipes, FIFOs and terminals may.
  return read_rest(fd, std::move(bytes), max_bytes, S_ISREG(st.st_mode) ? nullptr : stop);
}

} // namespace

ReadResult read_file(const std::string& path, std::uint64_t max_bytes,
                     const std::atomic<bool>* stop) {
  try {
    if (path == "-") {
      return read_descriptor(STDIN_FILENO, max_bytes, stop);
    }
    // Opening a FIFO blocks until a writer comes; with `stop` it must not, so
    // open without waiting and let read_some's polls do the waiting.
    const int wait_flag = stop != nullptr ? O_NONBLOCK : 0;
    int fd = -1;
    do {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | wait_flag);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      return {{}, errno_reason(errno)};
    }
    const FdCloser closer(fd);
    return read_descriptor(fd, max_bytes, stop, wait_flag != 0);
  } catch (const std::bad_alloc&) {
    // A large cap on a small machine: report it like any other bad file.
    return {{}, "not enough memory to read the file"};
  }
}

// strerror-style reason in lower case ("permission denied").
std::string errno_reason(int err) {
  std::string reason = std::generic_category().message(err);
  if (!reason.empty() && reason[0] >= 'A' && reason[0] <= 'Z') {
    reason[0] = static_cast<char>(reason[0] - 'A' + 'a');
  }
  return reason;
}

} // namespace callsight
