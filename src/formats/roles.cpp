// Speaker roles: forced options, explicit labels, or inference from what each
// generic speaker says (company greeting, service phrases, stating a need).
//
// Inference scores every speaker: net = agent cues - customer cues, where
//   agent cues    = greeting (company script in the speaker's first two turns,
//                   3 for "thank you for calling"-like, 1 for "this is"/"speaking";
//                   capped at 6)
//                 + service phrases (1 each, distinct phrases, capped at 6)
//                 + questions asking for "your" details (0.5 each, capped at 2)
//                 + 0.5 for speaking first (not when the first turn is "Hello?")
//                 + (share of the call's text bytes - 1/speakers)
//   customer cues = needs and questions to the company (1 or 0.5 each, distinct
//                   phrases, capped at 6)
//                 + 2 for answering the phone with "Hello?" (an outbound call).
// The top speaker is the agent when its margin over the runner-up is at least
// 2 (one real phrase beyond the weak order and share cues); then
//   confidence = round3(0.5 + 0.49 * (1 - exp(-margin / 4)))
// which lies in [0.69, 0.99]. Below that margin every role stays unknown.
// A heuristic score, not a calibrated probability.
//
// Cost: one pass over the turns (labels and byte counts), then phrase search
// (a trie walked from each word start) over each speaker's first 3 turns; the
// last 2 turns and 2 KB of the others are read only when the first turns give
// a margin under 4. Each turn is read up to 512 bytes, so a call costs at
// most ~10 KB of scanning per speaker whatever its length.
#include "callsight/roles.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace callsight {
namespace {

enum class Cue : std::uint8_t {
  greeting, ///< company script: greeting in a speaker's first turns, service later
  intro,    ///< "this is", "speaking": counts only in a speaker's first turns
  service,  ///< the company's side of the conversation
  need,     ///< the customer's side: reasons for calling, own things, questions
};

struct Phrase {
  std::string_view text; ///< lower case, ASCII apostrophes
  Cue cue;
  double weight;
};

// Distinct phrases count once per speaker, so a chatty speaker repeating
// "can you" does not outweigh a greeting. Matched at word boundaries.
constexpr auto k_phrases = std::to_array<Phrase>({
    {"thank you for calling", Cue::greeting, 3},
    {"thanks for calling", Cue::greeting, 3},
    {"thank you for choosing", Cue::greeting, 3},
    {"how can i help", Cue::greeting, 3},
    {"how may i help", Cue::greeting, 3},
    {"how can we help", Cue::greeting, 3},
    {"how may we help", Cue::greeting, 3},
    {"how can i assist", Cue::greeting, 3},
    {"how may i assist", Cue::greeting, 3},
    {"what can i do for you", Cue::greeting, 3},
    {"what can we do for you", Cue::greeting, 3},
    {"you've reached", Cue::greeting, 3},
    {"you have reached", Cue::greeting, 3},
    {"calling from", Cue::greeting, 2},
    {"on a recorded line", Cue::greeting, 2},
    {"this is", Cue::intro, 1},
    {"speaking", Cue::intro, 1},

    {"let me check", Cue::service, 1},
    {"let me see what", Cue::service, 1},
    {"let me look", Cue::service, 1},
    {"let me pull", Cue::service, 1},
    {"pull up your", Cue::service, 1},
    {"pull you up", Cue::service, 1},
    {"i can help", Cue::service, 1},
    {"happy to help", Cue::service, 1},
    {"glad to help", Cue::service, 1},
    {"i can get you", Cue::service, 1},
    {"i can book", Cue::service, 1},
    {"i can schedule", Cue::service, 1},
    {"i can send", Cue::service, 1},
    {"i can have", Cue::service, 1},
    {"i'll schedule", Cue::service, 1},
    {"i'll book", Cue::service, 1},
    {"i'll put", Cue::service, 1},
    {"i'll make a note", Cue::service, 1},
    {"i'll note", Cue::service, 1},
    {"i'll send", Cue::service, 1},
    {"i'll go ahead", Cue::service, 1},
    {"i'll have", Cue::service, 1},
    {"i'll get you", Cue::service, 1},
    {"can i get your", Cue::service, 1},
    {"can i have your", Cue::service, 1},
    {"may i have your", Cue::service, 1},
    {"could i get your", Cue::service, 1},
    {"could i have your", Cue::service, 1},
    {"what's your name", Cue::service, 1},
    {"what is your name", Cue::service, 1},
    {"and your name", Cue::service, 1},
    {"and the address", Cue::service, 1},
    {"name and address", Cue::service, 1},
    {"and the number", Cue::service, 1},
    {"and a phone number", Cue::service, 1},
    {"how did you hear", Cue::service, 1},
    {"where did you hear", Cue::service, 1},
    {"where'd you hear", Cue::service, 1},
    {"where did you see", Cue::service, 1},
    {"where'd you see", Cue::service, 1},
    {"best number", Cue::service, 1},
    {"good number", Cue::service, 1},
    {"callback number", Cue::service, 1},
    {"account number", Cue::service, 1},
    {"is there anything else", Cue::service, 1},
    {"anything else i can", Cue::service, 1},
    {"have a great", Cue::service, 1},
    {"have a good day", Cue::service, 1},
    {"have a good one", Cue::service, 1},
    {"have a wonderful", Cue::service, 1},
    {"you're all set", Cue::service, 1},
    {"you are all set", Cue::service, 1},
    {"you're booked", Cue::service, 1},
    {"you're scheduled", Cue::service, 1},
    {"you're confirmed", Cue::service, 1},
    {"is confirmed", Cue::service, 1},
    {"your appointment", Cue::service, 1},
    {"i have you down", Cue::service, 1},
    {"i've got you down", Cue::service, 1},
    {"i've cancelled", Cue::service, 1},
    {"i've canceled", Cue::service, 1},
    {"i've refunded", Cue::service, 1},
    {"i've booked", Cue::service, 1},
    {"i've scheduled", Cue::service, 1},
    {"i've applied", Cue::service, 1},
    {"our technician", Cue::service, 1},
    {"our tech", Cue::service, 1},
    {"i apologize", Cue::service, 1},
    {"sorry for the inconvenience", Cue::service, 1},
    {"for your patience", Cue::service, 1},
    {"for holding", Cue::service, 1},
    {"bear with me", Cue::service, 1},
    {"one moment", Cue::service, 1},
    {"i have an opening", Cue::service, 1},
    {"i have availability", Cue::service, 1},
    {"we have an opening", Cue::service, 1},
    {"we offer", Cue::service, 1},
    {"we charge", Cue::service, 1},
    {"we don't charge", Cue::service, 1},
    {"give us a call", Cue::service, 1},
    {"if you change your mind", Cue::service, 1},
    {"what's going on with", Cue::service, 1},
    {"tell me about", Cue::service, 1},
    {"tell me what happened", Cue::service, 1},
    {"walk me through", Cue::service, 1},
    {"is that for the", Cue::service, 1},
    {"is it for a", Cue::service, 1},
    {"my pleasure", Cue::service, 1},

    {"i'm calling about", Cue::need, 1},
    {"i'm calling because", Cue::need, 1},
    {"i'm calling to", Cue::need, 1},
    {"i'm calling for", Cue::need, 1},
    {"i am calling", Cue::need, 1},
    {"i was calling", Cue::need, 1},
    {"i called", Cue::need, 1},
    {"i need", Cue::need, 1},
    {"i want to", Cue::need, 1},
    {"i want a", Cue::need, 1},
    {"i'd like to", Cue::need, 1},
    {"i would like", Cue::need, 1},
    {"i was wondering", Cue::need, 1},
    {"i'm looking for", Cue::need, 1},
    {"i'm interested", Cue::need, 1},
    {"i have a question", Cue::need, 1},
    {"quick question", Cue::need, 1},
    {"is there any way", Cue::need, 1},
    {"how much", Cue::need, 1},
    {"do you guys", Cue::need, 1},
    {"i saw your", Cue::need, 1},
    {"i saw an ad", Cue::need, 1},
    {"i saw you", Cue::need, 1},
    {"i heard your", Cue::need, 1},
    {"i heard about", Cue::need, 1},
    {"i got a", Cue::need, 1},
    {"i got an", Cue::need, 1},
    {"i got your", Cue::need, 1},
    {"who's calling", Cue::need, 1},
    {"who is calling", Cue::need, 1},
    {"my furnace", Cue::need, 1},
    {"my bill", Cue::need, 1},
    {"my account", Cue::need, 1},
    {"my water heater", Cue::need, 1},
    {"my ac", Cue::need, 1},
    {"my heat", Cue::need, 1},
    {"my house", Cue::need, 1},
    {"my home", Cue::need, 1},
    {"my card", Cue::need, 1},
    {"my appointment", Cue::need, 1},
    {"my money", Cue::need, 1},
    {"my order", Cue::need, 1},
    {"my payment", Cue::need, 1},
    {"my plan", Cue::need, 1},
    {"my service", Cue::need, 1},
    {"my wife", Cue::need, 1},
    {"my husband", Cue::need, 1},
    // A customer thanking for a callback says the company's greeting too:
    // these outweigh the "thank you for calling" inside them.
    {"thank you for calling me", Cue::need, 4},
    {"thanks for calling me", Cue::need, 4},
    {"not working", Cue::need, 1},
    {"stopped working", Cue::need, 1},
    {"isn't working", Cue::need, 1},
    {"won't turn on", Cue::need, 1},
    {"won't start", Cue::need, 1},
    {"not heating", Cue::need, 1},
    {"not cooling", Cue::need, 1},
    {"i have a problem", Cue::need, 1},
    {"i have an issue", Cue::need, 1},
    {"there's a problem", Cue::need, 1},
    {"can you", Cue::need, 0.5},
    {"could you", Cue::need, 0.5},
    {"do you have", Cue::need, 0.5},
    {"do you offer", Cue::need, 0.5},
    {"you guys", Cue::need, 0.5},
    {"how long", Cue::need, 0.5},
    {"let's do", Cue::need, 0.5},
});
constexpr std::size_t k_phrase_count = k_phrases.size();
static_assert(k_phrase_count < 256, "phrase ids are stored as bytes");

constexpr std::size_t k_opening_turns = 2;   // a speaker's turns where greetings count
constexpr std::size_t k_head_turns = 3;      // always scanned, from the start...
constexpr std::size_t k_tail_turns = 2;      // ...and the end of each speaker's turns
constexpr std::size_t k_sample_bytes = 2048; // budget for the turns in between
constexpr std::size_t k_max_turn_bytes = 512;
constexpr std::size_t k_max_speakers = 16;
constexpr std::uint8_t k_no_speaker = 0xFF;
static_assert(k_max_speakers < k_no_speaker);

constexpr double k_greeting_cap = 6;
constexpr double k_service_cap = 6;
constexpr double k_need_cap = 6;
constexpr double k_detail_question = 0.5;
constexpr double k_detail_cap = 2;
constexpr double k_first_speaker = 0.5;
constexpr double k_share_weight = 1;
constexpr double k_hello = 2;
constexpr double k_min_margin = 2;
constexpr double k_decisive_margin = 4; // settled on the first turns: confidence >= 0.81
constexpr double k_confidence_scale = 4;
constexpr double k_clear_customer = 1; // with 3+ speakers, net at most -1 to be a customer
constexpr std::size_t k_quoted_phrases = 3;

// Byte classes for scanning raw turn text, folding ASCII case: phrase symbols
// (letters 1..26, whitespace 27, apostrophe 28, else 0) and word bytes.
constexpr std::size_t k_symbols = 29;
constexpr std::uint8_t k_space = 27;
constexpr std::uint8_t k_apostrophe = 28;

constexpr std::uint8_t symbol(unsigned char c) {
  if (c >= 'a' && c <= 'z') {
    return static_cast<std::uint8_t>(c - 'a' + 1);
  }
  if (c >= 'A' && c <= 'Z') {
    return static_cast<std::uint8_t>(c - 'A' + 1);
  }
  if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
    return k_space;
  }
  return c == '\'' ? k_apostrophe : 0;
}

constexpr auto k_symbol_of = [] {
  std::array<std::uint8_t, 256> table{};
  for (std::size_t c = 0; c < table.size(); ++c) {
    table[c] = symbol(static_cast<unsigned char>(c));
  }
  return table;
}();

// Letters, digits, apostrophes and every non-ASCII byte.
constexpr auto k_is_word_byte = [] {
  std::array<bool, 256> table{};
  for (std::size_t c = 0; c < table.size(); ++c) {
    const std::uint8_t sym = symbol(static_cast<unsigned char>(c));
    table[c] = (sym != 0 && sym != k_space) || (c >= '0' && c <= '9') || c >= 0x80;
  }
  return table;
}();

bool is_word_byte(char c) {
  return k_is_word_byte[static_cast<unsigned char>(c)];
}

// The curly apostrophe (U+2019), which joins "I’m" like '.
bool curly_apostrophe_at(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && s[i] == '\xE2' && s[i + 1] == '\x80' &&
         (s[i + 2] == '\x99' || s[i + 2] == '\x98');
}

// Any other character led by 0xE2 (curly quotes, dashes, ellipsis, symbols)
// separates words, so "“I need”" and "I need—" still match "i need".
bool separator_at(std::string_view s, std::size_t i) {
  return s[i] == '\xE2' && !(i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\x99');
}

bool ends_word(std::string_view s, std::size_t i) {
  return i >= s.size() || !is_word_byte(s[i]) || separator_at(s, i);
}

static_assert(std::all_of(k_phrases.begin(), k_phrases.end(),
                          [](const Phrase& p) {
                            return std::all_of(p.text.begin(), p.text.end(),
                                               [](char c) {
                                                 return (c >= 'a' && c <= 'z') || c == ' ' ||
                                                        c == '\'';
                                               }) &&
                                   p.text[0] >= 'a' && p.text[0] <= 'z';
                          }),
              "phrases are lower-case words separated by single spaces");

// A trie of the phrases (plus "your" and "hello"), walked from each word
// start, so a word costs a step or two whatever the number of phrases.
class PhraseTrie {
public:
  static constexpr std::int16_t k_your = static_cast<std::int16_t>(k_phrase_count);
  static constexpr std::int16_t k_hello = k_your + 1;
  static constexpr std::int16_t k_none = -1;

  PhraseTrie() {
    m_children.emplace_back();
    m_phrase.push_back(k_none);
    for (std::size_t id = 0; id < k_phrase_count; ++id) {
      add(k_phrases[id].text, static_cast<std::int16_t>(id));
    }
    add("your", k_your);
    add("hello", k_hello);
  }

  /// Calls `found(id)` for every phrase that starts at `rest` and ends at a
  /// word boundary, ignoring ASCII case; a curly apostrophe matches '.
  template <typename Found> void match(std::string_view rest, Found&& found) const {
    std::size_t node = 0;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      std::uint8_t sym = k_symbol_of[static_cast<unsigned char>(rest[i])];
      if (sym == 0 && curly_apostrophe_at(rest, i)) {
        sym = k_apostrophe;
        i += 2;
      }
      node = sym == 0 ? 0 : m_children[node][sym];
      if (node == 0) {
        return;
      }
      if (m_phrase[node] != k_none && ends_word(rest, i + 1)) {
        found(m_phrase[node]);
      }
    }
  }

private:
  void add(std::string_view text, std::int16_t id) {
    std::size_t node = 0;
    for (const char c : text) {
      const std::size_t sym = k_symbol_of[static_cast<unsigned char>(c)];
      if (m_children[node][sym] == 0) {
        m_children[node][sym] = static_cast<std::uint16_t>(m_children.size());
        m_children.emplace_back();
        m_phrase.push_back(k_none);
      }
      node = m_children[node][sym];
    }
    m_phrase[node] = id;
  }

  std::vector<std::array<std::uint16_t, k_symbols>> m_children; // 0: no child (root is never one)
  std::vector<std::int16_t> m_phrase;                           // phrase ending at a node
};

const PhraseTrie& phrase_trie() {
  static const PhraseTrie trie;
  return trie;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

// Labels match ignoring case, with ' ', '_' and '-' as one separator.
bool same_label(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  const auto fold = [](char c) { return c == '_' || c == '-' ? ' ' : ascii_lower(c); };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string channel_label(int channel) {
  return "channel " + std::to_string(channel);
}

// The name a turn's speaker goes by: its label, else its channel, else "".
std::string turn_label(const Turn& turn) {
  if (!turn.speaker.empty()) {
    return turn.speaker;
  }
  return turn.channel ? channel_label(*turn.channel) : std::string();
}

double round3(double x) {
  return std::round(x * 1000.0) / 1000.0;
}

std::string format_number(const char* format, double value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), format, value);
  return buffer.data();
}

struct Speaker {
  std::string label;
  bool by_channel = false;
  int channel = 0;
  std::size_t turns = 0;
  std::size_t bytes = 0; ///< of text, all turns
  std::size_t scanned_turns = 0;
  std::size_t sampled_bytes = 0;
  std::bitset<k_phrase_count> hits;                     ///< phrases said anywhere read
  std::bitset<k_phrase_count> opening_hits;             ///< phrases said in the first turns
  std::array<std::uint8_t, k_phrase_count> hit_order{}; ///< ids in the order first said
  std::size_t hit_count = 0;
  int detail_questions = 0;
  bool speaks_first = false;
  bool answers_hello = false;
  // Score parts, kept apart for the evidence.
  double greeting = 0;
  double service = 0;
  double details = 0;
  double order = 0;
  double share = 0;
  double text_share = 0; ///< of the call's text, 0..1
  double need = 0;
  double hello = 0;

  bool is(const Turn& turn) const {
    if (!turn.speaker.empty()) {
      return !by_channel && label == turn.speaker;
    }
    return by_channel && turn.channel == channel;
  }
  double net() const { return greeting + service + details + order + share - need - hello; }
};

// Finds phrases and "your" questions in (the first bytes of) one turn.
// Returns whether the turn says "hello".
bool scan_turn(std::string_view s, bool opening, Speaker& speaker) {
  const PhraseTrie& trie = phrase_trie();
  bool asks_your = false;
  bool hello = false;
  bool in_word = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '?' || c == '.' || c == '!' || c == '\n') {
      speaker.detail_questions += static_cast<int>(c == '?' && asks_your);
      asks_your = false;
      in_word = false;
      continue;
    }
    if (c == '\xE2' && separator_at(s, i)) {
      in_word = false;
      i += std::min<std::size_t>(2, s.size() - 1 - i); // its continuation bytes
      continue;
    }
    const bool word = is_word_byte(c);
    if (word && !in_word) {
      trie.match(s.substr(i), [&](std::int16_t id) {
        if (id == PhraseTrie::k_your) {
          asks_your = true;
        } else if (id == PhraseTrie::k_hello) {
          hello = true;
        } else {
          if (!speaker.hits.test(static_cast<std::size_t>(id))) {
            speaker.hits.set(static_cast<std::size_t>(id));
            speaker.hit_order[speaker.hit_count++] = static_cast<std::uint8_t>(id);
          }
          if (opening) {
            speaker.opening_hits.set(static_cast<std::size_t>(id));
          }
        }
      });
    }
    in_word = word;
  }
  return hello;
}

// At most three words: "Hello?", "Yeah, hello?".
bool is_short(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    const bool word = is_word_byte(c);
    words += static_cast<std::size_t>(word && !in_word);
    in_word = word;
    if (words > 3) {
      return false;
    }
  }
  return true;
}

void score(Speaker& speaker, double share_of_text, std::size_t speaker_count) {
  double greeting = 0;
  double service = 0;
  double need = 0;
  for (std::size_t n = 0; n < speaker.hit_count; ++n) {
    const std::size_t id = speaker.hit_order[n];
    const Phrase& phrase = k_phrases[id];
    const bool opening = speaker.opening_hits.test(id);
    switch (phrase.cue) {
    case Cue::greeting:
      // Company script later in the call ("thanks for calling, bye") is
      // still the company talking, but weighs like any service phrase.
      if (opening) {
        greeting += phrase.weight;
      } else {
        service += 1.0;
      }
      break;
    case Cue::intro:
      greeting += opening ? phrase.weight : 0.0;
      break;
    case Cue::service:
      service += phrase.weight;
      break;
    case Cue::need:
      need += phrase.weight;
      break;
    }
  }
  speaker.greeting = std::min(greeting, k_greeting_cap);
  speaker.service = std::min(service, k_service_cap);
  speaker.need = std::min(need, k_need_cap);
  speaker.details = std::min(k_detail_question * speaker.detail_questions, k_detail_cap);
  speaker.order = speaker.speaks_first ? k_first_speaker : 0.0;
  speaker.hello = speaker.answers_hello ? k_hello : 0.0;
  speaker.text_share = share_of_text;
  speaker.share = k_share_weight * (share_of_text - 1.0 / static_cast<double>(speaker_count));
}

// ("a", "b", "c") from the first few phrases of `cues` the speaker said.
std::string quote_phrases(const Speaker& speaker, std::initializer_list<Cue> cues, bool opening) {
  std::string out;
  std::size_t quoted = 0;
  for (std::size_t n = 0; n < speaker.hit_count && quoted < k_quoted_phrases; ++n) {
    const std::size_t id = speaker.hit_order[n];
    if ((opening && !speaker.opening_hits.test(id)) ||
        std::find(cues.begin(), cues.end(), k_phrases[id].cue) == cues.end()) {
      continue;
    }
    out += quoted == 0 ? "(\"" : ", \"";
    out += k_phrases[id].text;
    out += '"';
    ++quoted;
  }
  return out.empty() ? out : out + ")";
}

void describe_agent(const Speaker& speaker, std::vector<std::string>& evidence) {
  if (speaker.greeting > 0) {
    evidence.push_back(speaker.label + " greets with the company script " +
                       quote_phrases(speaker, {Cue::greeting, Cue::intro}, true));
  }
  if (speaker.service > 0) {
    evidence.push_back(speaker.label + " uses service phrases " +
                       quote_phrases(speaker, {Cue::service}, false));
  }
  if (speaker.details > 0) {
    evidence.push_back(speaker.label + " asks for the caller's details (" +
                       std::to_string(speaker.detail_questions) +
                       (speaker.detail_questions == 1 ? " question" : " questions") +
                       " with \"your\")");
  }
  if (speaker.speaks_first) {
    evidence.push_back(speaker.label + " speaks first");
  }
  if (speaker.share > 0) {
    evidence.push_back(speaker.label + " speaks " +
                       format_number("%.0f", 100 * speaker.text_share) + "% of the text");
  }
}

void describe_customer(const Speaker& speaker, std::vector<std::string>& evidence) {
  if (speaker.answers_hello) {
    evidence.push_back(speaker.label + " answers the phone with \"Hello?\" (an outbound call)");
  }
  if (speaker.need > 0) {
    evidence.push_back(speaker.label + " talks as the caller " +
                       quote_phrases(speaker, {Cue::need}, false));
  }
}

std::string scores_line(const std::vector<Speaker>& speakers) {
  std::string line = "scores";
  for (const Speaker& speaker : speakers) {
    line += (&speaker == &speakers.front() ? " " : ", ") + speaker.label + " " +
            format_number("%+.2f", speaker.net());
  }
  return line;
}

bool forced_agent(const Turn& turn, const RoleOptions& options) {
  if (options.agent_channel && turn.channel == options.agent_channel) {
    return true;
  }
  if (turn.speaker.empty() && !turn.channel) {
    return false;
  }
  return std::any_of(
      options.agent_speakers.begin(), options.agent_speakers.end(), [&](const std::string& name) {
        return turn.speaker.empty() ? same_label(trim(name), channel_label(*turn.channel))
                                    : same_label(trim(name), turn.speaker);
      });
}

bool apply_forced(Call& call, const RoleOptions& options, bool had_labels, RoleDecision& decision) {
  std::vector<Role> roles(call.turns.size(), Role::unknown);
  std::string agent;
  bool by_channel = false;
  for (std::size_t i = 0; i < call.turns.size(); ++i) {
    const Turn& turn = call.turns[i];
    if (forced_agent(turn, options)) {
      roles[i] = Role::agent;
      if (agent.empty()) {
        by_channel = options.agent_channel && turn.channel == options.agent_channel;
        agent = by_channel ? channel_label(*turn.channel) : turn_label(turn);
      }
    } else if (!turn.speaker.empty() || turn.channel) {
      roles[i] = Role::customer;
    }
  }
  if (agent.empty()) {
    decision.evidence.emplace_back(
        "the forced agent speaker or channel does not occur in this call");
    return false;
  }
  for (std::size_t i = 0; i < call.turns.size(); ++i) {
    call.turns[i].role = roles[i];
  }
  call.role_source = RoleSource::forced;
  call.role_confidence = 1.0;
  decision.source = RoleSource::forced;
  decision.confidence = 1.0;
  decision.agent_speaker = agent;
  decision.evidence.push_back(agent + " is the agent, as forced by " +
                              (by_channel ? "--agent-channel" : "--agent-speaker"));
  if (had_labels) {
    decision.evidence.emplace_back("the forced choice overrides the transcript's own roles");
  }
  return true;
}

enum class Pass : std::uint8_t {
  head, ///< each speaker's first k_head_turns turns
  rest, ///< each speaker's last k_tail_turns turns and k_sample_bytes of the others
};

void scan_pass(const Call& call, const std::vector<std::uint8_t>& owner, Pass pass,
               std::vector<Speaker>& speakers) {
  for (Speaker& speaker : speakers) {
    speaker.scanned_turns = 0;
  }
  bool first = pass == Pass::head;
  for (std::size_t i = 0; i < call.turns.size(); ++i) {
    if (owner[i] == k_no_speaker) {
      continue;
    }
    Speaker& speaker = speakers[owner[i]];
    const std::size_t nth = speaker.scanned_turns++;
    const std::string_view text = std::string_view(call.turns[i].text).substr(0, k_max_turn_bytes);
    if (pass == Pass::head) {
      if (nth >= k_head_turns) {
        continue;
      }
    } else {
      const bool tail = nth + k_tail_turns >= speaker.turns;
      if (nth < k_head_turns || (!tail && speaker.sampled_bytes >= k_sample_bytes)) {
        continue;
      }
      speaker.sampled_bytes += tail ? 0 : text.size();
    }
    const bool hello = scan_turn(text, nth < k_opening_turns, speaker);
    if (first) {
      first = false;
      (hello && is_short(text) ? speaker.answers_hello : speaker.speaks_first) = true;
    }
  }
}

struct Ranking {
  std::size_t best = 0;   ///< most agent-like speaker; ties go to the one heard first
  std::size_t second = 1; ///< the runner-up
  double margin = 0;      ///< net(best) - net(second)
};

Ranking rank(std::vector<Speaker>& speakers, std::size_t total_bytes) {
  for (Speaker& speaker : speakers) {
    const double share =
        total_bytes == 0 ? 1.0 / static_cast<double>(speakers.size())
                         : static_cast<double>(speaker.bytes) / static_cast<double>(total_bytes);
    score(speaker, share, speakers.size());
  }
  Ranking ranking;
  for (std::size_t s = 1; s < speakers.size(); ++s) {
    if (speakers[s].net() > speakers[ranking.best].net()) {
      ranking.best = s;
    }
  }
  ranking.second = ranking.best == 0 ? 1 : 0;
  for (std::size_t s = 0; s < speakers.size(); ++s) {
    if (s != ranking.best && speakers[s].net() > speakers[ranking.second].net()) {
      ranking.second = s;
    }
  }
  ranking.margin = speakers[ranking.best].net() - speakers[ranking.second].net();
  return ranking;
}

void infer(Call& call, RoleDecision& decision) {
  std::vector<Speaker> speakers;
  std::vector<std::uint8_t> owner(call.turns.size(), k_no_speaker);
  std::size_t total_bytes = 0;
  for (std::size_t i = 0; i < call.turns.size(); ++i) {
    const Turn& turn = call.turns[i];
    if (turn.speaker.empty() && !turn.channel) {
      continue;
    }
    auto it = std::find_if(speakers.begin(), speakers.end(),
                           [&](const Speaker& speaker) { return speaker.is(turn); });
    if (it == speakers.end()) {
      if (speakers.size() == k_max_speakers) {
        decision.evidence.emplace_back("more than " + std::to_string(k_max_speakers) +
                                       " speakers: roles left unknown");
        return;
      }
      Speaker& added = speakers.emplace_back();
      added.label = turn_label(turn);
      added.by_channel = turn.speaker.empty();
      added.channel = turn.channel.value_or(0);
      it = speakers.end() - 1;
    }
    owner[i] = static_cast<std::uint8_t>(it - speakers.begin());
    ++it->turns;
    it->bytes += turn.text.size();
    total_bytes += turn.text.size();
  }
  if (speakers.size() < 2) {
    decision.evidence.emplace_back(speakers.empty() ? "no speaker labels or channels"
                                                    : "only one speaker");
    return;
  }

  // Most calls are settled by each speaker's first turns; the rest of the
  // call is sampled only when they are not.
  scan_pass(call, owner, Pass::head, speakers);
  Ranking ranking = rank(speakers, total_bytes);
  if (ranking.margin < k_decisive_margin) {
    scan_pass(call, owner, Pass::rest, speakers);
    ranking = rank(speakers, total_bytes);
  }
  const std::size_t best = ranking.best;
  const double margin = ranking.margin;
  const Speaker& agent = speakers[best];
  const bool many = speakers.size() > 2;
  if (margin < k_min_margin || (many && agent.net() <= 0)) {
    decision.evidence.push_back("too little evidence to tell the agent: margin " +
                                format_number("%.2f", margin) + " below " +
                                format_number("%.2f", k_min_margin));
    decision.evidence.push_back(scores_line(speakers));
    return;
  }

  std::vector<Role> roles(speakers.size(), Role::unknown);
  roles[best] = Role::agent;
  describe_agent(agent, decision.evidence);
  for (std::size_t s = 0; s < speakers.size(); ++s) {
    if (s == best) {
      continue;
    }
    const Speaker& other = speakers[s];
    // With 3+ speakers another one may be a second agent (a transfer) or a
    // bystander: only clear customer evidence makes it the customer.
    if (!many || (other.net() <= -k_clear_customer && agent.net() - other.net() >= k_min_margin)) {
      roles[s] = Role::customer;
      describe_customer(other, decision.evidence);
    } else {
      decision.evidence.push_back(other.label + " left unknown: no clear customer evidence");
    }
  }
  decision.evidence.push_back(scores_line(speakers));

  for (std::size_t i = 0; i < call.turns.size(); ++i) {
    call.turns[i].role = owner[i] == k_no_speaker ? Role::unknown : roles[owner[i]];
  }
  decision.source = RoleSource::inferred;
  decision.confidence = round3(0.5 + 0.49 * (1.0 - std::exp(-margin / k_confidence_scale)));
  decision.agent_speaker = agent.label;
  call.role_source = RoleSource::inferred;
  call.role_confidence = decision.confidence;
}

} // namespace

RoleDecision resolve_roles(Call& call, const RoleOptions& options) {
  RoleDecision decision;
  // Roles from an earlier inferred or forced run are decided again.
  if (call.role_source == RoleSource::inferred || call.role_source == RoleSource::forced) {
    for (Turn& turn : call.turns) {
      turn.role = Role::unknown;
    }
    call.role_source = RoleSource::none;
    call.role_confidence = 0.0;
  }
  const bool has_labels = call.role_source == RoleSource::labels ||
                          std::any_of(call.turns.begin(), call.turns.end(),
                                      [](const Turn& turn) { return turn.role != Role::unknown; });

  if ((!options.agent_speakers.empty() || options.agent_channel) &&
      apply_forced(call, options, has_labels, decision)) {
    return decision;
  }
  if (has_labels) {
    call.role_source = RoleSource::labels;
    if (call.role_confidence <= 0.0) {
      call.role_confidence = 1.0;
    }
    decision.source = RoleSource::labels;
    decision.confidence = call.role_confidence;
    const auto agent = std::find_if(call.turns.begin(), call.turns.end(),
                                    [](const Turn& turn) { return turn.role == Role::agent; });
    if (agent != call.turns.end()) {
      decision.agent_speaker = turn_label(*agent);
    }
    decision.evidence.emplace_back("roles come from the transcript's own labels");
    return decision;
  }
  infer(call, decision);
  return decision;
}

} // namespace callsight
