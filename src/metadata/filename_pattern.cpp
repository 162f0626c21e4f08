// --filename-pattern: named-group regexes over file names, translated for std::regex.
#include <algorithm>
#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "callsight/metadata.hpp"

namespace callsight {

struct FilenamePattern::Compiled {
  std::regex regex;
  std::vector<std::string> names;
  std::vector<std::size_t> groups; // capture index of names[i]
};

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_identifier(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) {
    return false;
  }
  for (const char c : name) {
    if (!is_name_char(c)) {
      return false;
    }
  }
  return true;
}

bool starts_with_at(std::string_view text, std::size_t at, std::string_view prefix) {
  return text.substr(at, prefix.size()) == prefix;
}

// std::regex speaks ECMAScript without named groups, so the pattern is rewritten
// with plain groups and the names kept aside. Capture numbering is unchanged:
// a named group is a capturing group either way.
class Translator {
public:
  explicit Translator(std::string_view pattern) : m_pattern(pattern) {}

  bool run(std::string& error) {
    while (m_pos < m_pattern.size()) {
      const char c = m_pattern[m_pos];
      bool ok = true;
      if (c == '*' || c == '+' || c == '?' || c == '{') {
        ok = quantifier(c, error);
        if (ok && c == '{') {
          ok = repetition(error);
        } else if (ok) {
          m_result.regex.push_back(c);
          ++m_pos;
        }
      } else if (c == '\\') {
        ok = escape(error);
        m_last = Last::atom;
      } else if (c == '[') {
        character_class();
        m_last = Last::atom;
      } else if (c == '(') {
        const bool reference = starts_with_at(m_pattern, m_pos, "(?P=");
        ok = group(error);
        if (reference) {
          m_last = Last::atom;
        } else {
          m_open.push_back(false);
          m_last = Last::open;
        }
      } else {
        if (c == ')') {
          close_group();
        } else {
          m_last = c == '|' ? Last::open : Last::atom;
        }
        m_result.regex.push_back(c);
        ++m_pos;
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /// The pattern for std::regex, and each name with its capture index.
  struct Result {
    std::string regex;
    std::vector<std::string> names;
    std::vector<std::size_t> groups;
  };
  Result& result() { return m_result; }

private:
  // `\x` is copied whole, so an escaped paren or bracket opens nothing;
  // `\k<name>` becomes a numbered back-reference.
  bool escape(std::string& error) {
    if (starts_with_at(m_pattern, m_pos, "\\k<")) {
      std::string_view name;
      if (!read_name(m_pos + 3, name, error)) {
        return false;
      }
      return back_reference(name, error);
    }
    if (m_pos + 1 < m_pattern.size() && is_digit(m_pattern[m_pos + 1])) {
      // A numbered back-reference: copied whole, once its number is sane.
      const std::size_t end = digits_end(m_pos + 1);
      if (!small_number(m_pattern.substr(m_pos + 1, end - m_pos - 1), error)) {
        return false;
      }
      m_result.regex.append(m_pattern.substr(m_pos, end - m_pos));
      m_pos = end;
      return true;
    }
    m_result.regex.append(
        m_pattern.substr(m_pos, 2)); // a lone trailing '\' is std::regex's to report
    m_pos += 2;
    return true;
  }

  // `{n}`, `{n,}`, `{n,m}`: copied, once each count is sane. std::regex would
  // overflow on a count with many digits and build one state per repetition;
  // a file name is at most a few hundred bytes anyway.
  bool repetition(std::string& error) {
    std::size_t end = m_pos + 1;
    while (end < m_pattern.size() && (is_digit(m_pattern[end]) || m_pattern[end] == ',')) {
      const std::size_t number_end = digits_end(end);
      if (number_end > end && !small_number(m_pattern.substr(end, number_end - end), error)) {
        return false;
      }
      end = std::max(number_end, end + (m_pattern[end] == ',' ? 1 : 0));
    }
    m_result.regex.append(m_pattern.substr(m_pos, end - m_pos));
    m_pos = end;
    return true;
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  std::size_t digits_end(std::size_t at) const {
    while (at < m_pattern.size() && is_digit(m_pattern[at])) {
      ++at;
    }
    return at;
  }

  static bool small_number(std::string_view digits, std::string& error) {
    constexpr std::size_t k_max_number = 1000;
    std::size_t value = 0;
    for (const char c : digits) {
      value = value * 10 + static_cast<std::size_t>(c - '0');
      if (value > k_max_number) {
        error = "number " + std::string(digits.substr(0, 20)) + (digits.size() > 20 ? "..." : "") +
                " is over " + std::to_string(k_max_number);
        return false;
      }
    }
    return true;
  }

  // In a class, '(' and '[' are plain characters; the first unescaped ']'
  // closes it (ECMAScript: "[]" is an empty class).
  void character_class() {
    const std::size_t start = m_pos;
    ++m_pos;
    if (m_pos < m_pattern.size() && m_pattern[m_pos] == '^') {
      ++m_pos;
    }
    while (m_pos < m_pattern.size() && m_pattern[m_pos] != ']') {
      m_pos += m_pattern[m_pos] == '\\' ? 2 : 1;
    }
    m_pos = std::min(m_pos + 1, m_pattern.size());
    m_result.regex.append(m_pattern.substr(start, m_pos - start));
  }

  bool group(std::string& error) {
    std::size_t name_at = 0;
    if (starts_with_at(m_pattern, m_pos, "(?P<")) {
      name_at = m_pos + 4;
    } else if (starts_with_at(m_pattern, m_pos, "(?<") &&
               !starts_with_at(m_pattern, m_pos, "(?<=") &&
               !starts_with_at(m_pattern, m_pos, "(?<!")) {
      name_at = m_pos + 3;
    } else if (starts_with_at(m_pattern, m_pos, "(?P=")) {
      std::string_view name;
      const std::size_t close = m_pattern.find(')', m_pos);
      if (close == std::string_view::npos) {
        error = "unterminated (?P=name)";
        return false;
      }
      name = m_pattern.substr(m_pos + 4, close - m_pos - 4);
      m_pos = close + 1;
      return back_reference(name, error);
    } else if (starts_with_at(m_pattern, m_pos, "(?")) {
      // (?: (?= (?! capture nothing; anything else is std::regex's to reject.
      m_result.regex.append("(?");
      m_pos += 2;
      return true;
    } else {
      ++m_capture;
      m_result.regex.push_back('(');
      ++m_pos;
      return true;
    }

    std::string_view name;
    if (!read_name(name_at, name, error)) {
      return false;
    }
    for (const std::string& earlier : m_result.names) {
      if (earlier == name) {
        error = "group name '" + std::string(name) + "' is used twice";
        return false;
      }
    }
    ++m_capture;
    m_result.names.emplace_back(name);
    m_result.groups.push_back(m_capture);
    m_result.regex.push_back('(');
    return true;
  }

  // Reads "name>" from `at` and moves past the '>'.
  bool read_name(std::size_t at, std::string_view& name, std::string& error) {
    const std::size_t close = m_pattern.find('>', at);
    if (close == std::string_view::npos) {
      error = "unterminated group name after '" + std::string(m_pattern.substr(m_pos, at - m_pos)) +
              "'";
      return false;
    }
    name = m_pattern.substr(at, close - at);
    if (!is_identifier(name)) {
      error = "bad group name '" + std::string(name) +
              "' (letters, digits and '_', not starting with a digit)";
      return false;
    }
    m_pos = close + 1;
    return true;
  }

  bool back_reference(std::string_view name, std::string& error) {
    for (std::size_t i = 0; i < m_result.names.size(); ++i) {
      if (m_result.names[i] == name) {
        m_result.regex += "\\" + std::to_string(m_result.groups[i]);
        return true;
      }
    }
    error = "back-reference to '" + std::string(name) + "', which is not an earlier named group";
    return false;
  }

  // Refuses what makes std::regex's backtracking take exponential time on
  // some file names (a fuzzer found one): a quantifier on a quantifier
  // ("a?+", which ECMAScript itself rejects; "+?" stays the lazy form), and
  // a repeated group that holds a quantifier of its own ("(a+)+", "(x?)*").
  bool quantifier(char c, std::string& error) {
    if (c == '?' && m_last == Last::quantifier) {
      m_last = Last::lazy;
      return true;
    }
    if (m_last == Last::quantifier || m_last == Last::lazy) {
      error = std::string("quantifier '") + c + "' follows another quantifier (nothing to repeat)";
      return false;
    }
    if (m_last == Last::group_with_quantifier && (c == '*' || c == '+' || braces_repeat())) {
      error = "a repeated group holds a quantifier of its own, such as (a+)+ or (x?)*: matching "
              "it can take exponential time; repeat the inner part only";
      return false;
    }
    if (!m_open.empty()) {
      m_open.back() = true;
    }
    m_last = Last::quantifier;
    return true;
  }

  // Whether the `{...}` at m_pos can match its atom more than once: all but
  // {0}, {1}, {0,1}.
  bool braces_repeat() const {
    std::size_t at = m_pos + 1;
    std::size_t count = 0;
    for (; at < m_pattern.size() && is_digit(m_pattern[at]) && count <= 1; ++at) {
      count = count * 10 + static_cast<std::size_t>(m_pattern[at] - '0');
    }
    if (at < m_pattern.size() && m_pattern[at] == ',') {
      count = 0;
      ++at;
      if (at >= m_pattern.size() || !is_digit(m_pattern[at])) {
        return true; // {n,}: unbounded
      }
      for (; at < m_pattern.size() && is_digit(m_pattern[at]) && count <= 1; ++at) {
        count = count * 10 + static_cast<std::size_t>(m_pattern[at] - '0');
      }
    }
    return count > 1;
  }

  void close_group() {
    const bool inner = !m_open.empty() && m_open.back();
    if (!m_open.empty()) {
      m_open.pop_back();
    }
    if (inner && !m_open.empty()) {
      m_open.back() = true; // the enclosing group holds it too
    }
    m_last = inner ? Last::group_with_quantifier : Last::atom;
  }

  // What came just before the current character, for quantifier checks.
  enum class Last : std::uint8_t { open, atom, group_with_quantifier, quantifier, lazy };

  std::string_view m_pattern;
  Result m_result;
  std::size_t m_pos = 0;
  std::size_t m_capture = 0;
  Last m_last = Last::open;
  std::vector<bool> m_open; // per open group: it holds a quantifier
};

} // namespace

std::optional<FilenamePattern> FilenamePattern::compile(std::string_view pattern,
                                                        std::string& error) {
  error.clear();
  Translator translator(pattern);
  std::string reason;
  if (!translator.run(reason)) {
    error = "filename pattern '" + std::string(pattern) + "': " + reason;
    return std::nullopt;
  }
  if (translator.result().names.empty()) {
    error = "filename pattern '" + std::string(pattern) +
            "' has no named group, such as (?<call_id>...) or (?<campaign>...)";
    return std::nullopt;
  }
  auto compiled = std::make_shared<Compiled>();
  try {
    compiled->regex = std::regex(translator.result().regex, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    error = "filename pattern '" + std::string(pattern) + "' is not a valid regex: " + e.what();
    return std::nullopt;
  }
  compiled->names = std::move(translator.result().names);
  compiled->groups = std::move(translator.result().groups);
  FilenamePattern result;
  result.m_compiled = std::move(compiled);
  return result;
}

bool FilenamePattern::apply(std::string_view path,
                            std::map<std::string, std::string>& fields) const {
  if (!m_compiled) {
    return false;
  }
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::cmatch match;
  try {
    if (!std::regex_search(name.data(), name.data() + name.size(), match, m_compiled->regex)) {
      return false;
    }
  } catch (const std::regex_error&) {
    return false; // a pattern too complex for this name: treat as no match
  }
  for (std::size_t i = 0; i < m_compiled->names.size(); ++i) {
    const std::csub_match& group = match[m_compiled->groups[i]];
    if (group.matched && group.length() > 0) {
      fields[m_compiled->names[i]] = group.str();
    }
  }
  return true;
}

const std::vector<std::string>& FilenamePattern::names() const {
  static const std::vector<std::string> k_none;
  return m_compiled ? m_compiled->names : k_none;
}

} // namespace callsight
