// Config file support. CLI11's own config reader cannot say which file line a
// value came from nor tell a config value from a command-line one, so the
// merge happens here: the command line is parsed first (nothing required
// yet), then each config entry of the chosen subcommand whose option was not
// on the command line becomes "--name=value" arguments appended to the
// user's, and CLI11 parses the whole line again with its usual validation.
#include "cli/config.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "util/json_positions.hpp"

namespace callsight::cli {
namespace {

struct CommonOptions {
  std::string config;
  bool no_config = false;
  bool show_config = false;
  std::string log_format = "text";
};

/// One option set by the config file.
struct ConfigEntry {
  CLI::Option* option = nullptr;
  std::vector<std::string> arguments; ///< "--name=value", one per value
  std::string shown;                  ///< the value as --show-config prints it
  int line = 0;                       ///< of the key
  SourcePos value_pos;                ///< where a rejected value is reported
};

const std::set<std::string, std::less<>> k_not_configurable = {"help", "config", "no-config",
                                                               "show-config"};

// Subcommands that log take the common options and a config section.
bool configurable(CLI::App* command) {
  return command->get_option_no_throw("--quiet") != nullptr;
}

std::vector<CLI::App*> configurable_commands(CLI::App& app) {
  return app.get_subcommands([](CLI::App* command) { return configurable(command); });
}

void add_common_options(CLI::App& app, CommonOptions& common) {
  for (CLI::App* command : configurable_commands(app)) {
    CLI::Option* config = command->add_option(
        "--config", common.config,
        "JSON file of default arguments per command (default, when it exists: "
        "$XDG_CONFIG_HOME/callsight/config.json or ~/.config/callsight/config.json)");
    CLI::Option* no_config = command->add_flag("--no-config", common.no_config,
                                               "Ignore the config file: built-in defaults only");
    config->excludes(no_config);
    command->add_flag("--show-config", common.show_config,
                      "Print every option's effective value and where it came from (default, "
                      "config FILE:LINE, command line), then exit");
    command
        ->add_option("--log-format", common.log_format,
                     "Log lines on stderr: text, or json (one object per line, for log shippers)")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
  }
}

// Positional arguments and required options may come from the config file,
// so the first parse requires nothing; the final one restores the rules.
class RelaxedRequirements {
public:
  explicit RelaxedRequirements(CLI::App& app) {
    for (CLI::App* command : configurable_commands(app)) {
      for (CLI::Option* option : command->get_options()) {
        if (option->get_required()) {
          m_required.push_back(option);
          option->required(false);
        }
      }
    }
  }
  void restore() {
    for (CLI::Option* option : m_required) {
      option->required(true);
    }
    m_required.clear();
  }

private:
  std::vector<CLI::Option*> m_required;
};

void parse(CLI::App& app, std::vector<std::string> arguments) {
  std::reverse(arguments.begin(), arguments.end()); // CLI11 takes them last first
  app.parse(arguments);
}

std::string long_name(const CLI::Option* option) {
  return option->get_lnames().empty() ? option->get_name() : "--" + option->get_lnames().front();
}

bool is_flag(const CLI::Option* option) {
  return option->get_expected_max() == 0;
}

/// The text of one scalar config value for `option`, or why it has the wrong type.
std::optional<std::string> scalar_text(const nlohmann::json& value, const CLI::Option* option,
                                       std::string& why) {
  const std::string type = option->get_type_name().substr(0, option->get_type_name().find(':'));
  const bool integer = type == "INT" || type == "UINT";
  const bool number = integer || type == "FLOAT" || type == "NUMBER";
  if (value.is_string() && !number) {
    return value.get<std::string>();
  }
  if (value.is_number_integer() || (value.is_number_float() && !integer)) {
    return value.dump();
  }
  why = integer ? "an integer" : number ? "a number" : "a string";
  return std::nullopt;
}

const char* json_type(const nlohmann::json& value) {
  return value.is_boolean()  ? "a boolean"
         : value.is_number() ? "a number"
         : value.is_string() ? "a string"
         : value.is_array()  ? "an array"
         : value.is_object() ? "an object"
                             : "null";
}

/// Turns one config member into arguments, or returns the reason it cannot be.
std::optional<ConfigEntry> make_entry(CLI::Option* option, const nlohmann::json& value,
                                      std::string& error) {
  ConfigEntry entry;
  entry.option = option;
  const std::string name = long_name(option);
  if (is_flag(option)) {
    if (!value.is_boolean()) {
      error = std::string("expected true or false, not ") + json_type(value);
      return std::nullopt;
    }
    entry.shown = value.get<bool>() ? "true" : "false";
    if (value.get<bool>()) {
      entry.arguments.push_back(name);
    }
    return entry;
  }
  const bool repeatable = option->get_items_expected_max() > 1;
  const nlohmann::json items = value.is_array() ? value : nlohmann::json::array({value});
  if (items.empty()) {
    error = "expected a value, not an empty array";
    return std::nullopt;
  }
  std::vector<std::string> texts;
  for (const nlohmann::json& item : items) {
    std::string expected;
    std::optional<std::string> text = scalar_text(item, option, expected);
    if (!text) {
      error = "expected " + expected + (repeatable ? " or an array of them" : "") + ", not " +
              json_type(item);
      return std::nullopt;
    }
    texts.push_back(std::move(*text));
  }
  if (repeatable) {
    for (const std::string& text : texts) {
      entry.arguments.push_back(name + "=" + text);
      entry.shown += (entry.shown.empty() ? "" : " ") + text;
    }
  } else {
    // A list for a single option is its comma-separated form: "group-by": ["campaign", "week"].
    for (const std::string& text : texts) {
      entry.shown += (entry.shown.empty() ? "" : ",") + text;
    }
    entry.arguments.push_back(name + "=" + entry.shown);
  }
  return entry;
}

std::string place(const std::string& path, SourcePos pos) {
  return pos.line > 0 ? path + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column)
                      : path;
}

std::string option_list(CLI::App* command) {
  std::string names;
  for (const CLI::Option* option : command->get_options()) {
    if (!option->get_lnames().empty() &&
        k_not_configurable.count(option->get_lnames().front()) == 0) {
      names += (names.empty() ? "" : ", ") + option->get_lnames().front();
    }
  }
  return names;
}

/// Reads and checks the whole file (every section, so a typo is caught even
/// when another command runs) and returns the entries of `chosen`. Logs each
/// problem as "FILE:LINE:COL: ..."; nullopt when there was any.
std::optional<std::vector<ConfigEntry>> load_config(const std::string& path, CLI::App& app,
                                                    CLI::App* chosen) {
  const std::optional<std::string> text = read_config_text(path);
  if (!text) {
    return std::nullopt;
  }
  JsonError parse_error;
  const std::optional<JsonDocument> document = parse_json_with_positions(*text, parse_error);
  if (!document) {
    spdlog::error("{}: malformed JSON: {}", path, describe(parse_error));
    return std::nullopt;
  }
  std::vector<std::string> problems;
  for (const DuplicateKey& duplicate : document->duplicate_keys) {
    std::string key = duplicate.pointer.substr(1); // "/analyze/threads" -> analyze.threads
    std::replace(key.begin(), key.end(), '/', '.');
    problems.push_back(place(path, duplicate.second) + ": " + key +
                       " is set twice (first at line " + std::to_string(duplicate.first.line) +
                       ")");
  }
  std::vector<ConfigEntry> entries;
  if (!document->value.is_object()) {
    problems.push_back(place(path, position_of(*document, "")) +
                       ": expected an object of commands, e.g. {\"analyze\": {\"threads\": 4}}");
  } else {
    std::string commands;
    for (CLI::App* command : configurable_commands(app)) {
      commands += (commands.empty() ? "" : ", ") + command->get_name();
    }
    for (const auto& [section, options] : document->value.items()) {
      const std::string section_pointer = pointer_append("", section);
      const std::vector<CLI::App*> found = app.get_subcommands([&](CLI::App* command) {
        return command->get_name() == section && configurable(command);
      });
      if (found.empty()) {
        problems.push_back(place(path, key_position_of(*document, section_pointer)) +
                           ": unknown command '" + section + "' (sections: " + commands + ")");
        continue;
      }
      CLI::App* command = found.front();
      if (!options.is_object()) {
        problems.push_back(place(path, position_of(*document, section_pointer)) + ": '" + section +
                           "' must be an object of options, not " + json_type(options));
        continue;
      }
      for (const auto& [key, value] : options.items()) {
        const std::string pointer = pointer_append(section_pointer, key);
        const SourcePos key_pos = key_position_of(*document, pointer);
        CLI::Option* option = command->get_option_no_throw("--" + key);
        if (option == nullptr || k_not_configurable.count(key) != 0) {
          problems.push_back(place(path, key_pos) + ": " + section + ": unknown option '" + key +
                             "' (options: " + option_list(command) + ")");
          continue;
        }
        std::string why;
        std::optional<ConfigEntry> entry = make_entry(option, value, why);
        if (!entry) {
          problems.push_back(place(path, position_of(*document, pointer)) + ": " + section + "." +
                             key + ": " + why);
          continue;
        }
        entry->line = key_pos.line;
        entry->value_pos = position_of(*document, pointer);
        if (command == chosen) {
          entries.push_back(std::move(*entry));
        }
      }
    }
  }
  for (const std::string& problem : problems) {
    spdlog::error("{}", problem);
  }
  if (!problems.empty()) {
    return std::nullopt;
  }
  return entries;
}

CLI::App* chosen_command(CLI::App& app) {
  const std::vector<CLI::App*> parsed = app.get_subcommands();
  return parsed.empty() ? nullptr : parsed.front();
}

// Usage errors before the log format is parsed still honour --log-format json.
bool json_logs_requested(const std::vector<std::string>& arguments) {
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--log-format=json" ||
        (arguments[i] == "--log-format" && i + 1 < arguments.size() &&
         arguments[i + 1] == "json")) {
      return true;
    }
  }
  return false;
}

int parse_failure(CLI::App& app, const CLI::ParseError& e, RelaxedRequirements& relaxed) {
  relaxed.restore(); // --help shows which options are required
  if (dynamic_cast<const CLI::Success*>(&e) != nullptr) {
    app.exit(e);
    return k_exit_ok;
  }
  if (log_format() == LogFormat::json) {
    spdlog::error("{}", e.what());
  } else {
    app.exit(e);
  }
  return k_exit_usage;
}

void print_effective_options(CLI::App* command, const std::string& config_path,
                             const std::map<const CLI::Option*, std::string>& sources) {
  std::printf("callsight %s: config file: %s\n", command->get_name().c_str(),
              config_path.empty() ? "(none)" : config_path.c_str());
  for (const CLI::Option* option : command->get_options()) {
    const std::string name = long_name(option);
    if (name == "--help" || name == "--show-config") {
      continue;
    }
    std::string value;
    if (is_flag(option)) {
      value = option->count() > 0 && option->as<bool>() ? "true" : "false"; // --quiet=false
    } else if (option->count() > 0) {
      for (const std::string& result : option->results()) {
        value += (value.empty() ? "" : " ") + result;
      }
    } else {
      value = option->get_default_str().empty() ? "(unset)" : option->get_default_str();
    }
    const auto source = sources.find(option);
    std::printf("  %-20s %-30s %s\n", name.c_str(), value.c_str(),
                source == sources.end() ? "default" : source->second.c_str());
  }
}

} // namespace

std::string default_config_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') { // the XDG spec ignores relative paths
    return std::string(xdg) + "/callsight/config.json";
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.config/callsight/config.json";
  }
  return "";
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  // CLI11 keeps pointers into it for as long as `app` lives.
  static CommonOptions common_storage;
  CommonOptions* common = &common_storage;
  add_common_options(app, *common);
  const std::vector<std::string> user(argv + std::min(argc, 1), argv + argc);
  set_log_format(json_logs_requested(user) ? LogFormat::json : LogFormat::text);
  setup_logging(false, false);

  RelaxedRequirements relaxed(app);
  try {
    parse(app, user);
  } catch (const CLI::ParseError& e) {
    return parse_failure(app, e, relaxed);
  }
  set_log_format(common->log_format == "json" ? LogFormat::json : LogFormat::text);
  CLI::App* command = chosen_command(app);
  if (command == nullptr || !configurable(command)) {
    relaxed.restore();
    try {
      parse(app, user);
    } catch (const CLI::ParseError& e) {
      return parse_failure(app, e, relaxed);
    }
    return std::nullopt;
  }

  std::map<const CLI::Option*, std::string> sources;
  for (const CLI::Option* option : command->get_options()) {
    if (option->count() > 0) {
      sources[option] = "command line";
    }
  }
  std::string config_path;
  std::vector<ConfigEntry> entries;
  if (!common->no_config) {
    const bool explicit_path = !common->config.empty();
    config_path = explicit_path ? common->config : default_config_path();
    std::error_code ignored;
    if (!explicit_path && (config_path.empty() || !std::filesystem::exists(config_path, ignored))) {
      config_path.clear(); // no default file: built-in defaults
    } else {
      std::optional<std::vector<ConfigEntry>> loaded = load_config(config_path, app, command);
      if (!loaded) {
        return k_exit_usage;
      }
      entries = std::move(*loaded);
    }
  }

  // Each config value on its own, so a rejected one is reported with its line.
  std::vector<std::string> merged = user;
  std::vector<std::string> config_arguments;
  for (const ConfigEntry& entry : entries) {
    if (sources.count(entry.option) != 0) {
      continue; // the command line wins
    }
    std::vector<std::string> alone = {command->get_name()};
    alone.insert(alone.end(), entry.arguments.begin(), entry.arguments.end());
    try {
      parse(app, alone);
    } catch (const CLI::ParseError& e) {
      spdlog::error("{}: {}.{}: {}", place(config_path, entry.value_pos), command->get_name(),
                    long_name(entry.option).substr(2), e.what());
      return k_exit_usage;
    }
    config_arguments.insert(config_arguments.end(), entry.arguments.begin(), entry.arguments.end());
    sources[entry.option] = "config " + config_path + ":" + std::to_string(entry.line);
  }
  // Appended (before a "--"), so a repeatable option of the user's cannot swallow them.
  merged.insert(std::find(merged.begin(), merged.end(), "--"), config_arguments.begin(),
                config_arguments.end());

  if (!common->show_config) {
    relaxed.restore();
  }
  try {
    parse(app, merged);
  } catch (const CLI::ParseError& e) {
    return parse_failure(app, e, relaxed);
  }
  set_log_format(common->log_format == "json" ? LogFormat::json : LogFormat::text);
  if (common->show_config) {
    print_effective_options(command, config_path, sources);
    return std::fflush(stdout) == 0 ? k_exit_ok : k_exit_output_error;
  }
  return std::nullopt;
}

} // namespace callsight::cli
