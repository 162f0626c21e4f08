// Progress text for a terminal: counts, rates and an ETA from the counters
// the pipeline maintains. Pure formatting; drawing is the CLI's job.
#include "callsight/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace callsight {
namespace {

std::string with_commas(std::uint64_t value) {
  std::string digits = std::to_string(value);
  for (std::size_t at = digits.size(); at > 3; at -= 3) {
    digits.insert(at - 3, ",");
  }
  return digits;
}

std::string duration_text(double seconds) {
  const auto total = static_cast<std::uint64_t>(std::llround(std::max(0.0, seconds)));
  char buffer[32];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%llu:%02llu:%02llu",
                  static_cast<unsigned long long>(total / 3600),
                  static_cast<unsigned long long>(total / 60 % 60),
                  static_cast<unsigned long long>(total % 60));
  } else {
    std::snprintf(buffer, sizeof buffer, "%llu:%02llu", static_cast<unsigned long long>(total / 60),
                  static_cast<unsigned long long>(total % 60));
  }
  return buffer;
}

std::string rate_text(double value, const char* unit) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, value < 100 ? "%.1f %s" : "%.0f %s", value, unit);
  return buffer;
}

} // namespace

ProgressSnapshot snapshot(const ProgressCounters& counters, double seconds) {
  ProgressSnapshot out;
  // Read "done" before "found" so done <= found holds in the snapshot.
  out.total_known = counters.discovery_done.load(std::memory_order_acquire);
  out.files_done = counters.files_done.load(std::memory_order_relaxed);
  out.bytes_done = counters.bytes_done.load(std::memory_order_relaxed);
  out.files_found = std::max(out.files_done, counters.files_found.load(std::memory_order_relaxed));
  out.seconds = seconds;
  return out;
}

std::string format_progress(const ProgressSnapshot& progress, std::size_t width) {
  std::string counts = with_commas(progress.files_done) + "/" + with_commas(progress.files_found) +
                       (progress.total_known ? "" : "+") + " files";
  std::string rates;
  std::string eta;
  if (progress.seconds > 0) {
    const double files_per_second = static_cast<double>(progress.files_done) / progress.seconds;
    rates = "  " + rate_text(files_per_second, "files/s") + "  " +
            rate_text(static_cast<double>(progress.bytes_done) / 1e6 / progress.seconds, "MB/s");
    if (progress.total_known && files_per_second > 0) {
      eta =
          "  ETA " + duration_text(static_cast<double>(progress.files_found - progress.files_done) /
                                   files_per_second);
    }
  }
  std::string text = counts + rates + eta;
  // A bar when the total is known and there is room for a useful one.
  constexpr std::size_t k_bar_min = 10;
  constexpr std::size_t k_bar_max = 30;
  if (progress.total_known && progress.files_found > 0 && width >= text.size() + k_bar_min + 3) {
    const std::size_t bar = std::min(k_bar_max, width - text.size() - 3);
    const auto filled = static_cast<std::size_t>(static_cast<double>(bar) *
                                                 static_cast<double>(progress.files_done) /
                                                 static_cast<double>(progress.files_found));
    text = "[" + std::string(filled, '#') + std::string(bar - filled, '-') + "] " + text;
  }
  if (text.size() > width) {
    text.resize(width);
  }
  return text;
}

} // namespace callsight
