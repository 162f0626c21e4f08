// Command-line parsing with a config file: a JSON file of default arguments
// per subcommand ({"analyze": {"threads": 4, "group-by": ["campaign"]}}),
// read from --config FILE or $XDG_CONFIG_HOME/callsight/config.json
// (~/.config/callsight/config.json). The command line wins; --no-config
// ignores the file; --show-config prints every value and where it came from.
#pragma once
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace callsight::cli {

/// The default config file path, or "" when neither XDG_CONFIG_HOME nor HOME
/// is set.
std::string default_config_path();

/// Adds --config, --no-config, --show-config and --log-format to every
/// subcommand that logs (has --quiet), then parses the command line with the
/// config file merged in. Returns the exit code when the program should stop
/// now (help, --version, --show-config, usage or config errors), nullopt
/// when the chosen subcommand should run.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

} // namespace callsight::cli
