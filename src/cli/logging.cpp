// Logging set-up: the only place that configures spdlog sinks (the core
// library just logs), so every message goes to stderr as "callsight: ...".
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"

namespace callsight::cli {
namespace {

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
class EscapedMessage : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*time*/,
              spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    static constexpr char k_hex[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < text.size();) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c < 0x7F) {
        dest.push_back(static_cast<char>(c));
        ++i;
        continue;
      }
      if (const std::size_t length = c >= 0x80 ? utf8_sequence_length(text, i) : 0; length > 0) {
        dest.append(text.data() + i, text.data() + i + length);
        i += length;
        continue;
      }
      const std::string_view escape = c == '\n'   ? "\\n"
                                      : c == '\t' ? "\\t"
                                      : c == '\r' ? "\\r"
                                                  : "";
      if (!escape.empty()) {
        dest.append(escape.data(), escape.data() + escape.size());
      } else {
        const char hex[] = {'\\', 'x', k_hex[c >> 4], k_hex[c & 0xF]};
        dest.append(hex, hex + sizeof hex);
      }
      ++i;
    }
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>();
  }
};

} // namespace

void setup_logging(bool quiet, bool verbose) {
  auto logger = spdlog::stderr_color_mt("callsight");
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<EscapedMessage>('*').set_pattern("callsight: %^%l%$: %*");
  logger->set_formatter(std::move(formatter));
  logger->set_level(quiet     ? spdlog::level::err
                    : verbose ? spdlog::level::debug
                              : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

} // namespace callsight::cli
