// Logging set-up: the only place that configures spdlog sinks (the core
// library just logs). One sink writes every message to stderr, either as
// "callsight: level: message" or as one JSON object per line, and shares a
// lock with the status line so a progress bar never garbles a message.
#include "cli/logging.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "cli/commands.hpp"

namespace callsight::cli {
namespace {

using Fields = std::vector<std::pair<const char*, const std::string*>>;

struct StderrState {
  std::mutex mutex; // held for every write to stderr
  bool status_shown = false;
  std::atomic<LogFormat> format{LogFormat::text}; // read by every logging thread
};

StderrState& state() {
  static StderrState instance;
  return instance;
}

// Extra JSON fields of the message being logged on this thread (the logger is
// synchronous, so the sink runs on the caller's thread).
thread_local const Fields* t_fields = nullptr;

void erase_status_locked(StderrState& s) {
  if (s.status_shown) {
    std::fputs("\r\033[K", stderr);
    s.status_shown = false;
  }
}

std::string iso_time(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  const std::size_t used = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + used, sizeof buffer - used, ".%03dZ", static_cast<int>(millis));
  return buffer;
}

const char* level_colour(spdlog::level::level_enum level) {
  switch (level) {
  case spdlog::level::critical:
  case spdlog::level::err:
    return "\033[1;31m";
  case spdlog::level::warn:
    return "\033[1;33m";
  case spdlog::level::info:
    return "\033[32m";
  default:
    return "\033[36m";
  }
}

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned min_second = 0x80;
  unsigned max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    min_second = lead == 0xE0 ? 0xA0 : 0x80; // no overlong forms
    max_second = lead == 0xED ? 0x9F : 0xBF; // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    min_second = lead == 0xF0 ? 0x90 : 0x80;
    max_second = lead == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < min_second || byte(i + 1) > max_second) {
    return 0;
  }
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
      return 0;
    }
  }
  return length;
}

// The message with control characters and bytes that are not UTF-8 escaped
// (\n, \t, \xFF): file names may hold any byte, and one named "a\ncallsight:
// error: ..." must not forge a log line nor break a terminal.
std::string escaped(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (const std::size_t length = c >= 0x80 ? utf8_sequence_length(text, i) : 0; length > 0) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += {'\\', 'x', k_hex[c >> 4], k_hex[c & 0xF]};
    }
    ++i;
  }
  return out;
}

class StderrSink final : public spdlog::sinks::sink {
public:
  explicit StderrSink(bool colour) : m_colour(colour) {}

  void log(const spdlog::details::log_msg& msg) override {
    const spdlog::string_view_t level_name = spdlog::level::to_string_view(msg.level);
    const std::string_view level(level_name.data(), level_name.size());
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string line;
    StderrState& s = state();
    if (s.format == LogFormat::json) {
      nlohmann::ordered_json object = {{"time", iso_time(msg.time)},
                                       {"level", std::string(level)},
                                       {"message", std::string(payload)}};
      if (t_fields != nullptr) {
        for (const auto& [key, value] : *t_fields) {
          object[key] = *value;
        }
      }
      // Paths may hold invalid UTF-8: replace it rather than throw.
      line = object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    } else if (m_colour) {
      line = "callsight: " + std::string(level_colour(msg.level)) + std::string(level) +
             "\033[0m: " + escaped(payload);
    } else {
      line = "callsight: " + std::string(level) + ": " + escaped(payload);
    }
    line += '\n';
    std::lock_guard lock(s.mutex);
    erase_status_locked(s);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush() override { std::fflush(stderr); }
  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}

private:
  bool m_colour;
};

} // namespace

void set_log_format(LogFormat format) {
  state().format = format;
}

LogFormat log_format() {
  return state().format;
}

bool stderr_wants_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && no_colour[0] != '\0') {
    return false;
  }
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") {
    return false;
  }
  return isatty(STDERR_FILENO) == 1;
}

void setup_logging(bool quiet, bool verbose) {
  // Called again by each subcommand with its -q/-v: replacing the default
  // logger (no registry name clash) keeps this idempotent.
  auto logger = std::make_shared<spdlog::logger>(
      "callsight", std::make_shared<StderrSink>(stderr_wants_colour()));
  logger->set_level(quiet     ? spdlog::level::err
                    : verbose ? spdlog::level::debug
                              : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void log_file_problem(spdlog::level::level_enum level, const std::string& path,
                      const std::string& reason) {
  const Fields fields = {{"file", &path}, {"reason", &reason}};
  t_fields = &fields;
  spdlog::log(level, "{}: {}", path, reason);
  t_fields = nullptr;
}

void log_diagnostic(const std::string& file, int line, int column, const std::string& message) {
  const std::string place =
      line > 0 ? file + ":" + std::to_string(line) + ":" + std::to_string(column) : file;
  if (log_format() == LogFormat::json) {
    const std::string line_text = std::to_string(line);
    const std::string column_text = std::to_string(column);
    const Fields fields = {
        {"file", &file}, {"line", &line_text}, {"column", &column_text}, {"reason", &message}};
    t_fields = &fields;
    spdlog::error("{}: {}", place, message);
    t_fields = nullptr;
    return;
  }
  const std::string text = place + ": " + message + "\n";
  StderrState& s = state();
  std::lock_guard lock(s.mutex);
  erase_status_locked(s);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

void show_status_line(std::string_view text) {
  StderrState& s = state();
  std::lock_guard lock(s.mutex);
  std::fputs("\r\033[K", stderr);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  s.status_shown = true;
}

void clear_status_line() {
  StderrState& s = state();
  std::lock_guard lock(s.mutex);
  erase_status_locked(s);
  std::fflush(stderr);
}

} // namespace callsight::cli
