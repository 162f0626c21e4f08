// Terminal progress bar: a thread polls the pipeline's atomic counters, so the
// workers never wait for the display.
#include "cli/progress.hpp"

#include <cstdlib>
#include <string>

#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/logging.hpp"

namespace callsight::cli {
namespace {

constexpr auto k_redraw_interval = std::chrono::milliseconds(100);

std::size_t terminal_width() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 80;
}

} // namespace

ProgressBar::ProgressBar(const ProgressCounters& counters, bool wanted)
    : m_counters(counters), m_started(std::chrono::steady_clock::now()) {
  if (wanted && isatty(STDERR_FILENO) == 1 && log_format() == LogFormat::text) {
    m_thread = std::thread([this] { run(); });
  }
}

ProgressBar::~ProgressBar() {
  stop();
}

void ProgressBar::stop() {
  if (!m_thread.joinable()) {
    return;
  }
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_thread.join();
  clear_status_line();
}

void ProgressBar::run() {
  std::unique_lock lock(m_mutex);
  // The first frame waits one interval, so runs that finish at once never flash a bar.
  while (!m_wake.wait_for(lock, k_redraw_interval, [this] { return m_stopping; })) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    // One column spare: writing the last column makes some terminals wrap.
    show_status_line(format_progress(snapshot(m_counters, seconds), terminal_width() - 1));
  }
}

} // namespace callsight::cli
