// `callsight completion bash|zsh`: shell completion scripts generated from
// the CLI11 definitions of every subcommand, so they cannot drift from the
// options. Hidden from --help; `cmake --install` writes both scripts.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "callsight/report.hpp"

#include "cli/commands.hpp"

namespace callsight::cli {
namespace {

struct OptionSpec {
  std::vector<std::string> names; ///< "-f", "--format"
  bool takes_value = false;
  bool repeatable = false;
  bool numeric = false;             ///< no useful completion for the value
  std::vector<std::string> choices; ///< from an IsMember check
  std::string description;
};

struct CommandSpec {
  std::string path; ///< "analyze", "taxonomy check"; "" for callsight itself
  std::string name;
  std::string description;
  std::vector<OptionSpec> options;
  std::vector<CommandSpec> subcommands;
  bool has_positionals = false;
};

// A short description for zsh: the first clause of the help text, without
// parenthesized asides ("Skip (and report) transcripts ..." -> "Skip transcripts ...").
std::string first_sentence(const std::string& text) {
  std::string plain;
  int depth = 0;
  for (const char c : text.substr(0, text.find('\n'))) {
    depth += c == '(' ? 1 : 0;
    if (depth == 0 && !(c == ' ' && (plain.empty() || plain.back() == ' '))) {
      plain += c;
    }
    depth -= (c == ')' && depth > 0) ? 1 : 0;
  }
  for (std::size_t at = plain.find(" ,"); at != std::string::npos; at = plain.find(" ,")) {
    plain.erase(at, 1); // where an aside was dropped
  }
  for (const char* stop : {", e.g.", ". ", "; ", ": "}) {
    const std::size_t at = plain.find(stop);
    if (at != std::string::npos && at > 0) {
      plain.resize(at);
    }
  }
  while (!plain.empty() && (plain.back() == ' ' || plain.back() == '.' || plain.back() == ':')) {
    plain.pop_back();
  }
  return plain;
}

std::vector<std::string> choices_of(const std::string& type_name) {
  // CLI11 describes an IsMember check as "TEXT:{json,csv,md}".
  std::vector<std::string> choices;
  const std::size_t open = type_name.find(":{");
  const std::size_t close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) {
    return choices;
  }
  std::stringstream list(type_name.substr(open + 2, close - open - 2));
  std::string item;
  while (std::getline(list, item, ',')) {
    choices.push_back(item);
  }
  return choices;
}

CommandSpec describe_command(CLI::App* app, const std::string& path) {
  CommandSpec spec;
  spec.path = path;
  spec.name = app->get_name();
  spec.description = first_sentence(app->get_description());
  for (const CLI::Option* option : app->get_options()) {
    if (option->get_positional()) {
      spec.has_positionals = true;
      continue;
    }
    OptionSpec out;
    for (const std::string& name : option->get_snames()) {
      out.names.push_back("-" + name);
    }
    for (const std::string& name : option->get_lnames()) {
      out.names.push_back("--" + name);
    }
    out.takes_value = option->get_expected_max() != 0;
    out.repeatable = option->get_items_expected_max() > 1;
    const std::string type = option->get_type_name();
    out.numeric = type.starts_with("INT") || type.starts_with("UINT") ||
                  type.starts_with("FLOAT") || type.starts_with("NUMBER");
    out.choices = choices_of(type);
    out.description = first_sentence(option->get_description());
    spec.options.push_back(std::move(out));
  }
  for (CLI::App* sub : app->get_subcommands([](CLI::App* s) { return !s->get_group().empty(); })) {
    spec.subcommands.push_back(
        describe_command(sub, path.empty() ? sub->get_name() : path + " " + sub->get_name()));
  }
  return spec;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) {
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

void write_bash_cases(std::ostream& out, const CommandSpec& command) {
  std::vector<std::string> words;
  for (const OptionSpec& option : command.options) {
    words.insert(words.end(), option.names.begin(), option.names.end());
  }
  std::vector<std::string> subcommands;
  for (const CommandSpec& sub : command.subcommands) {
    subcommands.push_back(sub.name);
  }
  out << "    \"" << command.path << "\")\n"
      << "      options=\"" << join(words, " ") << "\"\n"
      << "      subcommands=\"" << join(subcommands, " ") << "\"\n";
  out << "      case \"$option\" in\n";
  for (const OptionSpec& option : command.options) {
    if (!option.takes_value) {
      continue;
    }
    out << "        " << join(option.names, "|") << ") ";
    if (!option.choices.empty()) {
      out << "COMPREPLY=($(compgen -W \"" << join(option.choices, " ") << "\" -- \"$cur\"))";
    } else if (option.numeric) {
      out << "COMPREPLY=()";
    } else {
      out << "COMPREPLY=($(compgen -f -- \"$cur\"))";
    }
    out << "; return ;;\n";
  }
  out << "      esac\n      ;;\n";
  for (const CommandSpec& sub : command.subcommands) {
    write_bash_cases(out, sub);
  }
}

void collect_paths(const CommandSpec& command, std::vector<std::string>& paths) {
  for (const CommandSpec& sub : command.subcommands) {
    paths.push_back("\"" + sub.path + "\"");
    collect_paths(sub, paths);
  }
}

std::string bash_script(const CommandSpec& root) {
  std::vector<std::string> paths;
  collect_paths(root, paths);
  std::ostringstream out;
  out << "# bash completion for callsight (generated by `callsight completion bash`)\n"
         "_callsight() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" option=\"\" path=\"\" i word\n"
         "  local options=\"\" subcommands=\"\"\n"
         "  [ \"$COMP_CWORD\" -gt 0 ] && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  # The command path: every word before the cursor that names a subcommand.\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    word=\"${path:+$path }${COMP_WORDS[i]}\"\n"
         "    case \"$word\" in\n"
         "      "
      << join(paths, "|")
      << ") path=\"$word\" ;;\n"
         "    esac\n"
         "  done\n"
         "  # The option whose value is being completed: \"--format x\" or \"--format=x\".\n"
         "  if [ \"$cur\" = \"=\" ]; then\n"
         "    option=\"$prev\"\n"
         "    cur=\"\"\n"
         "  elif [ \"$prev\" = \"=\" ] && [ \"$COMP_CWORD\" -gt 1 ]; then\n"
         "    option=\"${COMP_WORDS[COMP_CWORD-2]}\"\n"
         "  else\n"
         "    option=\"$prev\"\n"
         "  fi\n"
         "  case \"$path\" in\n";
  write_bash_cases(out, root);
  out << "  esac\n"
         "  if [[ \"$cur\" == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
         "  elif [ -n \"$subcommands\" ]; then\n"
         "    COMPREPLY=($(compgen -W \"$subcommands\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o filenames -o bashdefault -o default -F _callsight callsight\n";
  return out.str();
}

// Text inside a single-quoted zsh spec: a quote closes, escapes and reopens
// the string; brackets and colons would end the description, so they go.
std::string zsh_text(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '[' || c == ']' || c == ':' || c == '\\') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string zsh_function_name(const CommandSpec& command) {
  std::string name = "_callsight";
  for (const char c : command.path) {
    name += (c == ' ' || c == '-') ? '_' : c;
  }
  if (!command.path.empty()) {
    name.insert(10, "_");
  }
  return name;
}

void write_zsh_function(std::ostream& out, const CommandSpec& command) {
  out << zsh_function_name(command) << "() {\n"
      << "  local curcontext=\"$curcontext\" state line\n"
      << "  typeset -A opt_args\n"
      << "  _arguments -C -s \\\n";
  for (const OptionSpec& option : command.options) {
    const std::string description = zsh_text(option.description);
    std::string value;
    if (option.takes_value) {
      value = ":value:";
      if (!option.choices.empty()) {
        value += "(" + join(option.choices, " ") + ")";
      } else if (!option.numeric) {
        value += "_files";
      } else {
        value += " ";
      }
    }
    const std::string repeat = option.repeatable ? "*" : "";
    if (option.names.size() == 1) {
      out << "    '" << repeat << option.names.front() << "[" << description << "]" << value
          << "' \\\n";
    } else {
      out << "    '" << (option.repeatable ? "*" : "(" + join(option.names, " ") + ")") << "'{"
          << join(option.names, ",") << "}'[" << description << "]" << value << "' \\\n";
    }
  }
  if (!command.subcommands.empty()) {
    out << "    '1: :->command' \\\n    '*:: :->argument'\n";
    out << "  case $state in\n    command)\n      local -a commands\n      commands=(\n";
    for (const CommandSpec& sub : command.subcommands) {
      out << "        '" << sub.name << ":" << zsh_text(sub.description) << "'\n";
    }
    out << "      )\n      _describe -t commands 'callsight command' commands\n      ;;\n"
        << "    argument)\n      case $line[1] in\n";
    for (const CommandSpec& sub : command.subcommands) {
      out << "        " << sub.name << ") " << zsh_function_name(sub) << " ;;\n";
    }
    out << "      esac\n      ;;\n  esac\n";
  } else if (command.has_positionals) {
    out << "    '*:file:_files'\n";
  } else {
    out << "    '*: :'\n";
  }
  out << "}\n\n";
  for (const CommandSpec& sub : command.subcommands) {
    write_zsh_function(out, sub);
  }
}

std::string zsh_script(const CommandSpec& root) {
  std::ostringstream out;
  out << "#compdef callsight\n"
         "# zsh completion for callsight (generated by `callsight completion zsh`)\n\n";
  write_zsh_function(out, root);
  // Autoloaded from fpath the file is the body of _callsight: complete now.
  // Sourced (`source <(callsight completion zsh)`) it only registers itself;
  // calling _arguments outside a completion widget would be an error.
  out << "if [ \"$funcstack[1]\" = _callsight ]; then\n"
         "  _callsight \"$@\"\n"
         "else\n"
         "  compdef _callsight callsight\n"
         "fi\n";
  return out.str();
}

} // namespace

Runner add_completion_command(CLI::App& app) {
  struct Options {
    std::string shell;
    std::string output = "-";
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "completion", "Print a shell completion script: source <(callsight completion bash)");
  command->group(""); // hidden: installed completions are the usual way in
  command->add_option("shell", options->shell, "bash or zsh")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
  command->add_option("-o,--output", options->output, "Write to FILE instead of standard output");
  return [&app, options] {
    const CommandSpec root = describe_command(&app, "");
    AtomicFile file(options->output);
    file.stream() << (options->shell == "bash" ? bash_script(root) : zsh_script(root));
    file.commit();
    return k_exit_ok;
  };
}

} // namespace callsight::cli
