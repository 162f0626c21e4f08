// Stemmer: a thin RAII wrapper over libstemmer's Snowball stemmers, and the
// mapping from language codes to Snowball names.
#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include <libstemmer.h>

#include "callsight/text.hpp"

namespace callsight {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 28> k_codes{{
    {"ar", "arabic"},     {"hy", "armenian"},   {"eu", "basque"},    {"ca", "catalan"},
    {"da", "danish"},     {"nl", "dutch"},      {"en", "english"},   {"fi", "finnish"},
    {"fr", "french"},     {"de", "german"},     {"el", "greek"},     {"hi", "hindi"},
    {"hu", "hungarian"},  {"id", "indonesian"}, {"ga", "irish"},     {"it", "italian"},
    {"lt", "lithuanian"}, {"ne", "nepali"},     {"no", "norwegian"}, {"pt", "portuguese"},
    {"ro", "romanian"},   {"ru", "russian"},    {"sr", "serbian"},   {"es", "spanish"},
    {"sv", "swedish"},    {"ta", "tamil"},      {"tr", "turkish"},   {"yi", "yiddish"},
}};

} // namespace

Stemmer::Stemmer(const std::string& language) : m_language(stemmer_language_name(language)) {
  if (m_language.empty()) {
    throw std::invalid_argument("unknown stemmer language '" + language + "'");
  }
  m_stemmer = sb_stemmer_new(m_language.c_str(), "UTF_8");
  if (m_stemmer == nullptr) {
    throw std::invalid_argument("libstemmer has no stemmer for '" + language + "'");
  }
}

Stemmer::~Stemmer() {
  sb_stemmer_delete(m_stemmer);
}

std::string_view Stemmer::stem(std::string_view word) {
  const sb_symbol* stemmed = sb_stemmer_stem(
      m_stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (stemmed == nullptr) { // out of memory inside libstemmer: fall back to the word
    return word;
  }
  return {reinterpret_cast<const char*>(stemmed),
          static_cast<std::size_t>(sb_stemmer_length(m_stemmer))};
}

std::vector<std::string> stemmer_languages() {
  std::vector<std::string> names;
  for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) {
    names.emplace_back(*name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string stemmer_language_name(std::string_view code_or_name) {
  std::string lower;
  for (char c : code_or_name) {
    lower.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c);
  }
  for (const auto& [code, name] : k_codes) {
    if (lower == code) {
      return std::string(name);
    }
  }
  for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) {
    if (lower == *name) {
      return lower;
    }
  }
  return {};
}

std::string language_code(std::string_view stemmer_name) {
  for (const auto& [code, name] : k_codes) {
    if (stemmer_name == name) {
      return std::string(code);
    }
  }
  return std::string(stemmer_name);
}

} // namespace callsight
