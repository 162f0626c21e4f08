// Progress of a run: counters the pipeline bumps as files are found and
// finished, and the one-line text a terminal progress bar shows from them.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace callsight {

/// Shared between the pipeline (writers) and a progress display (reader);
/// relaxed atomics: the display only needs a recent view.
struct ProgressCounters {
  std::atomic<std::uint64_t> files_found{0}; ///< queued by discovery so far
  std::atomic<bool> discovery_done{false};   ///< files_found is the final total
  std::atomic<std::uint64_t> files_done{0};  ///< analyzed or failed
  std::atomic<std::uint64_t> bytes_done{0};  ///< bytes read by finished files
};

struct ProgressSnapshot {
  std::uint64_t files_found = 0;
  bool total_known = false;
  std::uint64_t files_done = 0;
  std::uint64_t bytes_done = 0;
  double seconds = 0; ///< since the run started
};

ProgressSnapshot snapshot(const ProgressCounters& counters, double seconds);

/// One line of at most `width` columns (ASCII), e.g.
/// "[########----------] 412/1,000 files  83.1 files/s  2.4 MB/s  ETA 0:07";
/// while discovery runs the total is shown as "412/1,000+" and no ETA.
std::string format_progress(const ProgressSnapshot& progress, std::size_t width);

} // namespace callsight
