// Logging on stderr: plain "callsight: level: message" lines (coloured only on
// a terminal without NO_COLOR) or one JSON object per line for log shippers,
// and a status line (the progress bar) that log lines never interleave with.
#pragma once
#include <string>
#include <string_view>

#include <spdlog/common.h>

namespace callsight::cli {

enum class LogFormat { text, json };

/// Chosen by --log-format before the subcommand runs; setup_logging() and
/// every later message use it.
void set_log_format(LogFormat format);
LogFormat log_format();

/// True when ANSI colours may go to stderr: it is a terminal, NO_COLOR is
/// unset or empty (https://no-color.org) and TERM is not "dumb".
bool stderr_wants_colour();

/// Logs a problem with one file as "PATH: reason"; JSON lines carry "file"
/// and "reason" fields as well.
void log_file_problem(spdlog::level::level_enum level, const std::string& path,
                      const std::string& reason);

/// A problem at a place in a file, printed as "FILE:LINE:COL: message" (or
/// "FILE: message" when line is 0) without the "callsight: level:" prefix, so
/// editors can jump to it; JSON logs get an error object with file, line,
/// column and reason fields.
void log_diagnostic(const std::string& file, int line, int column, const std::string& message);

/// Draws `text` as the last line of stderr (a terminal), replacing the
/// previous status; a log message clears it first and the next call redraws.
void show_status_line(std::string_view text);
/// Erases the status line, if one is shown.
void clear_status_line();

} // namespace callsight::cli
