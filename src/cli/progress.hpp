// A progress bar on stderr, redrawn up to ten times a second from the
// pipeline's counters, shown only on a terminal and erased when the run ends.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "callsight/progress.hpp"

namespace callsight::cli {

class ProgressBar {
public:
  /// Draws nothing unless `wanted` and stderr is a terminal and logs are
  /// plain text (JSON logs go to machines).
  ProgressBar(const ProgressCounters& counters, bool wanted);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Stops redrawing and erases the bar (also done by the destructor).
  void stop();

private:
  void run();

  const ProgressCounters& m_counters;
  std::chrono::steady_clock::time_point m_started;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stopping = false;
  std::thread m_thread;
};

} // namespace callsight::cli
