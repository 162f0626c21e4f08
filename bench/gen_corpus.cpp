// callsight_gen_corpus - synthetic customer-call transcript corpus for the callsight benchmarks.
//
// Writes N calls as plain-text transcripts (`Agent:` / `Customer:` turns) and/or
// AssemblyAI-like JSON (`utterances` with millisecond times), with ~40 marketing
// phrases planted into customer turns of a known, seed-derived fraction of calls.
// The ground truth goes to DIR/planted.csv.  Everything is a pure function of
// (--seed, call number), so the output does not depend on the thread count.
//
// Text model (see bench/README.md): each call is 300-2,000 words (truncated
// log-normal, median ~700); turns alternate between agent and customer and are
// 1-80 words; sentences come from speaker-specific templates (questions,
// statements, verification, spoken prices, phone and order numbers, addresses,
// fillers, contractions) and from Zipf-sampled "free" sentences drawn from
// bench/wordfreq_en.txt (16,000 words; ranks 1-~1,100 written for this project,
// the rest from Debian's wamerican word list, see bench/make_wordfreq.py).
//
// Ground truth guarantee: no planted phrase occurs anywhere in a call except
// where it was planted.  Every generated sentence is checked, as word tokens
// (case-insensitive, punctuation ignored, within a turn), against the phrase
// list and regenerated if it would create an occurrence; single-word phrases
// also remove their inflections (refund -> refunds, refunded) from the
// vocabulary.  Counting the planted phrases with any whole-word matcher
// therefore gives exactly the `occurrences` column of planted.csv.
//
// Only the C++20 standard library is used.  Build: see bench/CMakeLists.txt
// (the word list is embedded at build time; --wordfreq overrides it).

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#ifdef CALLSIGHT_EMBED_WORDFREQ
// bench/wordfreq_en.txt in pieces of at most 60,000 characters (see cmake/embed_text.cmake).
static const char* const kEmbeddedWordfreq[] = {
#include "wordfreq_en.inc"
};
#endif

namespace {

namespace fs = std::filesystem;

constexpr const char* kGeneratorVersion = "3";
constexpr std::size_t kFilesPerDir = 1000;

// ---------------------------------------------------------------------------
// Random numbers: splitmix64 (fast, good enough, trivially seedable per call).

constexpr std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return splitmix(a ^ splitmix(b + 0x632be59bd9b4e019ULL));
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(splitmix(seed)) {}
  std::uint64_t next() {
    s_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n < 2^32.
  std::uint32_t below(std::size_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // Uniform in [lo, hi].
  int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  double normal() {
    const double u1 = (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53;
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

 private:
  std::uint64_t s_;
};

// Vose alias table: O(1) sampling from a discrete distribution.
class AliasTable {
 public:
  void build(const std::vector<double>& weights) {
    const std::size_t n = weights.size();
    prob_.assign(n, 0);
    alias_.assign(n, 0);
    double sum = 0;
    for (double w : weights) sum += w;
    std::vector<double> p(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = weights[i] * static_cast<double>(n) / sum;
      (p[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = to_threshold(p[s]);
      alias_[s] = l;
      p[l] = (p[l] + p[s]) - 1.0;
      if (p[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (std::uint32_t i : large) prob_[i] = UINT32_MAX, alias_[i] = i;
    for (std::uint32_t i : small) prob_[i] = UINT32_MAX, alias_[i] = i;
  }
  std::uint32_t sample(Rng& rng) const {
    const std::uint64_t r = rng.next();
    const auto i = static_cast<std::uint32_t>(((r >> 32) * prob_.size()) >> 32);
    return static_cast<std::uint32_t>(r) < prob_[i] ? i : alias_[i];
  }
  std::size_t size() const { return prob_.size(); }

 private:
  static std::uint32_t to_threshold(double p) {
    const double t = p * 4294967296.0;
    return t >= 4294967295.0 ? UINT32_MAX : static_cast<std::uint32_t>(t);
  }
  std::vector<std::uint32_t> prob_, alias_;
};

// ---------------------------------------------------------------------------
// Lexicon: display forms ("I'm", "Monday", "home") and case-folded keys.

enum : std::uint32_t { kComma = 0, kPeriod, kQuestion, kExclaim, kNumber, kMoney, kFirstEntry = 16 };
constexpr std::uint32_t kKeyNonWord = 0;  // key pushed for numbers: never part of a phrase

struct Tok {
  std::uint32_t id;   // punctuation / number kind, or kFirstEntry + lexicon entry
  std::uint32_t val;  // numeric value (kNumber) or cents (kMoney)
};

struct Entry {
  std::string display, capital;
  std::uint32_t key;
};

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

class Lexicon {
 public:
  Lexicon() { key("<num>"); }
  std::uint32_t key(std::string_view lower_form) {
    auto it = by_key_.find(std::string(lower_form));
    if (it != by_key_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(keys_.size());
    keys_.emplace_back(lower_form);
    by_key_.emplace(keys_.back(), id);
    return id;
  }
  // Entry id (already offset by kFirstEntry) for a display form.
  std::uint32_t entry(std::string_view display) {
    auto it = by_display_.find(std::string(display));
    if (it != by_display_.end()) return it->second;
    Entry e;
    e.display = std::string(display);
    e.capital = e.display;
    if (!e.capital.empty()) e.capital[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(e.capital[0])));
    e.key = key(lower(display));
    const auto id = static_cast<std::uint32_t>(entries_.size()) + kFirstEntry;
    entry_key_.push_back(e.key);
    entries_.push_back(std::move(e));
    by_display_.emplace(entries_.back().display, id);
    return id;
  }
  const Entry& at(std::uint32_t id) const { return entries_[id - kFirstEntry]; }
  std::uint32_t key_of(std::uint32_t id) const { return id >= kFirstEntry ? entry_key_[id - kFirstEntry] : kKeyNonWord; }
  const std::string& key_text(std::uint32_t k) const { return keys_[k]; }
  std::size_t key_count() const { return keys_.size(); }
  std::optional<std::uint32_t> find_key(const std::string& lower_form) const {
    auto it = by_key_.find(lower_form);
    if (it == by_key_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> entry_key_;
  std::unordered_map<std::string, std::uint32_t> by_display_;
  std::vector<std::string> keys_;
  std::unordered_map<std::string, std::uint32_t> by_key_;
};

// ---------------------------------------------------------------------------
// Text material written for this project.

// The planted phrases: lower-case words only.  Each has 2-3 carrier sentences
// ('%' is the phrase) that a customer might say.
struct PhraseSpec {
  const char* phrase;
  std::vector<const char*> carriers;
};

const std::vector<PhraseSpec>& phrase_specs() {
  static const std::vector<PhraseSpec> specs = {
      {"how much does it cost", {"So % for the basic one?", "{FILL}, % per month, roughly?", "Okay, and % if I add another line?"}},
      {"charged twice", {"I was % this month.", "It looks like I got % for the same order.", "My card was % and I don't know why."}},
      {"cancel my subscription", {"I want to %.", "How do I %?", "I'm calling to % today."}},
      {"saw your ad on facebook", {"I % last week.", "Yeah, I %.", "{REL} % and told me to call."}},
      {"not working", {"The app is % again.", "It's just % since the update.", "My internet is % at all."}},
      {"call me back", {"Can you % tomorrow?", "Could someone % after five?", "Please % when you know more."}},
      {"coupon", {"I have a % from the mailer.", "Can I still use the %?", "The % didn't go through."}},
      {"refund", {"I'd like a %.", "When will I get my %?", "Is a % possible at this point?"}},
      {"another company", {"I'm thinking about going with %.", "I got a better quote from %.", "I might just switch to %."}},
      {"too expensive", {"Honestly it's %.", "The premium plan is % for us.", "That seems %."}},
      {"speak to a manager", {"Can I %?", "I need to % please.", "I'd like to % about this."}},
      {"late fee", {"Why is there a % on my bill?", "Can you waive the %?", "I got a % again."}},
      {"free trial", {"Do you have a %?", "I signed up for the %.", "Is the % still available?"}},
      {"promo code", {"I have a % from the website.", "Where do I enter the %?", "The % isn't going through."}},
      {"make an appointment", {"I'd like to %.", "Can I % for {DAY}?", "I need to % for my mom."}},
      {"heard you on the radio", {"I % this morning.", "We % a couple of times."}},
      {"found you on google", {"I just %.", "We % when we searched."}},
      {"a friend recommended", {"% you guys.", "Actually, % your company to me.", "{FILL}, % you, so here I am."}},
      {"saw your commercial", {"I % on TV last night.", "We % during the game."}},
      {"got a flyer in the mail", {"We % about the spring sale.", "I % last week."}},
      {"still waiting", {"I'm % on the technician.", "We're % for the delivery from {TIME}."}},
      {"where is my order", {"{FILL}, %? It's been two weeks.", "I'm just wondering % because the tracking hasn't moved."}},
      {"wrong item", {"I received the %.", "They sent me the % again."}},
      {"warranty", {"Is it still under %?", "Does the % cover this?", "What does the % include?"}},
      {"financing", {"Do you offer %?", "What kind of % do you have?"}},
      {"payment plan", {"Can I set up a %?", "Is there a % option?"}},
      {"overcharged", {"I think I was % this month.", "I've been % for {NUM} months."}},
      {"same day delivery", {"Do you do %?", "Is % available in my area?"}},
      {"in stock", {"Is the blue one %?", "Do you have it %?", "When will it be back %?"}},
      {"business hours", {"What are your % on Saturday?", "Are your % different on holidays?"}},
      {"price match", {"Do you guys %?", "Will you % the other store?"}},
      {"switch providers", {"I'm looking to %.", "How hard is it to %?"}},
      {"log into my account", {"I can't % anymore.", "I'm unable to % since {TIME}."}},
      {"reset my password", {"I need to %.", "Can you help me %?"}},
      {"billing error", {"There's a % on my statement.", "I think there's a % on my account."}},
      {"wait time", {"The % was terrible earlier.", "Why is the % so long?"}},
      {"senior discount", {"Do you have a %?", "Is there a % or anything like that?"}},
      {"upgrade my plan", {"I want to %.", "Can I % today?"}},
      {"cancellation fee", {"Is there a % if I leave?", "How much is the %?"}},
      {"saw you on instagram", {"I % last night.", "My daughter % and showed me."}},
  };
  return specs;
}

const std::vector<const char*> kAgentTemplates = {
    "Can I get your {N} number please?",
    "Can I have the name on the account?",
    "Let me pull up your account real quick.",
    "Okay, I see the {N} here from {TIME}.",
    "I'm going to place you on a brief hold while I look into that, is that okay?",
    "Thanks for holding, I appreciate your patience.",
    "So what I can do is {V} the {N} and send you a confirmation email.",
    "That comes out to {PRICE} a month before taxes.",
    "Can you verify the address on the account for me?",
    "I have you at {STREET}, is that still correct?",
    "And what's the best phone number to reach you?",
    "Our {ADJ} {N} is usually {PRICE}, but right now there's a special going on.",
    "I totally understand, and I'm sorry about the trouble.",
    "I can go ahead and {V} that for you right now.",
    "It should take about {NUM} business days.",
    "Let me just {V} the {WW} on my end.",
    "{FILL}, the {ADJ} {N} is what most people go with.",
    "The technician can come out {TIME} between {HOUR} and {HOUR}.",
    "I see, and when did that start?",
    "Have you tried unplugging the {N} and plugging it back in?",
    "I'll make a note on the account about the {WW}.",
    "Okay, perfect.",
    "One moment please.",
    "Alright, I've got that updated for you.",
    "Just to confirm, that's {DIGITS}, correct?",
    "You should receive an email with the {N} in a few minutes.",
    "Is this for the {N} at {STREET}?",
    "I do see a {N} of {PRICE} that posted on {DAY}.",
    "We have openings on {DAY} morning or {DAY} afternoon, which works better for you?",
    "Do you still have the {N} it came with?",
    "The {ADJ} {N} includes {WW} and {WW}.",
    "I'm showing the {N} was {W} {TIME}.",
    "Let me transfer you to the right department, it'll just be a moment.",
    "Can you spell your last name for me?",
    "Okay, so I went ahead and {W} the {N} for you.",
    "For security purposes, can you confirm the last four of your {N}?",
    "I understand that's frustrating.",
    "No problem at all.",
    "Is there a good time for us to reach you?",
    "You're welcome, happy to help.",
    "Sure, I can check on that.",
    "It looks like the {N} was {ADJ} on our side, so that's on us.",
    "Your order number is {ORDER}.",
    "The total today would be {PRICE}.",
    "We can also {V} the {N} if that's easier.",
    "Right, so the {WW} is {ADJ}, and the {N} should be {ADJ} by {DAY}.",
    "Would you like me to {V} that now or wait until {TIME}?",
    "I'm looking at it now, give me one second.",
    "Okay, and what seems to be the problem with the {N}?",
    "{FILL}, that {N} runs about {PRICE} with installation.",
    "I can set that up for {DAY} at {HOUR} o'clock.",
    "And can I get a good email address for the confirmation?",
};

const std::vector<const char*> kCustomerTemplates = {
    "Yeah, it's about my {N} again.",
    "{FILL}, so I got a {N} in the mail {TIME}.",
    "It says {PRICE} but I thought it was {PRICE}.",
    "My {N} number is {DIGITS}.",
    "Yeah, it's {STREET}.",
    "I'm not sure, {FILL}, maybe {TIME}?",
    "I just want to know what's going on with the {N}.",
    "We've had the {N} for like {NUM} years now.",
    "It's {ADJ}, {FILL}, I don't really know how to explain it.",
    "Can you {V} the {N} for me?",
    "Do I need to {V} anything on my end?",
    "Oh okay, that makes sense.",
    "Wait, so the {N} is {ADJ}?",
    "{REL} usually handles the {N} but they're {W} right now.",
    "And it was {WW} and {WW}, so.",
    "I've been with you guys for {NUM} years.",
    "I mean the {N} and the {N} both.",
    "Okay, {DAY} works.",
    "Is that the {ADJ} one or the {ADJ} one?",
    "I tried that already, {FILL}, it didn't help.",
    "So when would the {N} get here?",
    "That's fine, go ahead.",
    "Um, it's {NAME} {LAST}.",
    "The phone number is {DIGITS}.",
    "Yeah I think it was around {PRICE} or something.",
    "We're in {CITY}, by the {W}.",
    "I don't know, {FILL}, the {N} just {W} and then the {N} {W}.",
    "It happened {TIME} and again {TIME}.",
    "I already talked to someone {TIME} about the {N}.",
    "Do you guys have the {ADJ} {N}?",
    "My {N} is {ADJ} and the {N} is {ADJ}.",
    "No, the other {N}, the {ADJ} one.",
    "Yes, that's correct.",
    "Can you send that to my email?",
    "So what are my options?",
    "Okay, and how long does that usually take?",
    "I'm looking at the {N} right now and it says {WW}.",
    "Honestly I just need the {N} {ADJ} by {DAY}.",
    "Because last time the {N} was {ADJ} and nobody told me.",
    "{FILL}, I'd rather do it over the phone.",
    "It's for {REL}, they're {W} with the {N}.",
    "I have the order number, it's {ORDER}.",
    "Let me grab the {N}, hold on.",
    "Sorry, can you repeat that?",
    "Oh, I didn't know that.",
    "Would it be cheaper if I {W} the {N}?",
    "What time would the technician come out?",
    "I'm at work until {HOUR}, so after that is better.",
    "Okay great, thank you so much.",
    "And the {WW} too, if that's possible.",
    "We {W} the {N} {TIME} but it still {W}.",
    "It's {NAME} {LAST}, and the zip is {DIGITS}.",
};

// First thing the customer says after the greeting.
const std::vector<const char*> kCustomerOpeners = {
    "Hi, yeah, I'm calling about my {N}.",
    "Hi there, I have a question about my {N}.",
    "Yeah hi, um, I got a {N} in the mail and I had a question.",
    "Hi, this is {NAME} {LAST}, I'm calling about my {N}.",
    "Hey, how's it going? So I'm calling because of the {N}.",
    "Hi, um, I was hoping you could help me with something.",
    "Yes, hi, I'm calling about an order I placed {TIME}.",
    "Hello, {FILL}, I just had a quick question.",
};

// Openers of the Zipf-sampled free sentences.
const std::vector<const char*> kStarters = {
    "I think", "so the", "and then", "it was", "we were", "they said", "I was like", "the thing is",
    "my", "because the", "but the", "and the", "I just", "we had", "there was", "it's", "I'm",
    "you know the", "if the", "when we", "I guess", "he said", "she said", "that's",
};

const std::vector<const char*> kSharedTemplates = {
    "{FILL}, {WWW}.", "Okay, so {WWW}.", "Right, and the {N}?", "Yeah, {FILL}, the {WW}.",
    "Sure, {WWW}.", "Hmm, let me think.", "That's a good question.", "I'm sorry, you cut out for a second.",
    "Can you hear me okay?", "Yes, I can hear you.", "Got it, {FILL}.", "Okay, and {WW}?",
    "{FILL}, {FILL}, {WW}.", "No, {WWW}.",
};

const std::vector<const char*> kGreetings = {
    "Thank you for calling {CO}, this is {NAME}, how can I help you today?",
    "Good morning, {CO}, my name is {NAME}, who do I have the pleasure of speaking with?",
    "Hi, thanks for calling {CO}, this is {NAME} speaking, how may I help you?",
    "{CO}, this is {NAME}, how can I help?",
    "Good afternoon and thank you for calling {CO}. My name is {NAME}. Can I start with your name please?",
};

const std::vector<std::vector<const char*>> kClosings = {  // alternating, agent first
    {"Is there anything else I can help you with today?", "No, that's it, thanks.",
     "Thank you for calling {CO}, have a great day.", "You too, bye."},
    {"Alright, anything else I can do for you?", "Nope, that's all.", "Okay, have a good one.", "Thanks, bye."},
    {"Is there anything else?", "No, I think that covers it, thank you.", "My pleasure, take care."},
    {"Okay, you're all set, {FILL}, anything else?", "No, thank you so much for your help.",
     "You're welcome, thanks for calling {CO}."},
};

const std::vector<const char*> kBackchannels = {
    "Okay.", "Yeah.", "Mhm.", "Right.", "Sure.", "Uh huh.", "Got it.", "Oh okay.", "Yes.", "No.",
    "Perfect.", "Thank you.", "Alright.", "Hmm.", "Yes ma'am.", "Sounds good.", "Okay, thanks.",
    "Oh no.", "Really?", "I see.", "Yes sir.", "Okay, sure.",
};

const std::vector<const char*> kFill = {"um", "uh", "you know", "like", "I mean", "so", "well", "okay",
                                        "yeah", "honestly", "basically", "actually", "oh", "hmm"};
const std::vector<const char*> kNames = {
    "Sarah", "Michael", "Jessica", "David", "Ashley", "James", "Emily", "Daniel", "Maria", "Kevin",
    "Jennifer", "Brian", "Amanda", "Jason", "Nicole", "Tyler", "Megan", "Carlos", "Priya", "Aisha",
    "Luis", "Hannah", "Marcus", "Olivia", "Ethan", "Rachel", "Jamal", "Lauren", "Kayla", "Andre",
    "Sofia", "Diego", "Mei", "Omar", "Fatima", "Hector", "Tanya", "Derek", "Monica", "Steven"};
const std::vector<const char*> kLastNames = {
    "Johnson", "Garcia", "Nguyen", "Patel", "Smith", "Williams", "Martinez", "Lee", "Kim", "Anderson",
    "Thompson", "Rivera", "Okafor", "Cohen", "Murphy", "Lopez", "Wilson", "Clark", "Hughes", "Schmidt"};
const std::vector<const char*> kCompanies = {
    "Brightline Home Services", "Northwind Dental", "Summit Auto Care", "Clearwave Internet",
    "Evergreen Insurance", "Bluebird Pest Control", "Harbor Savings", "Maple Street Furniture",
    "Lakeside Plumbing", "Redwood Solar", "Peak Fitness", "Cornerstone Realty", "Sunrise Pharmacy",
    "Atlas Moving", "Silverline Wireless", "Riverbend Veterinary", "Oakridge Roofing", "Meridian Health"};
const std::vector<const char*> kNouns = {
    "account", "bill", "order", "plan", "package", "payment", "card", "statement", "appointment",
    "technician", "router", "modem", "phone", "device", "app", "website", "email", "address", "invoice",
    "receipt", "balance", "charge", "service", "contract", "installation", "delivery", "shipment", "box",
    "item", "product", "model", "unit", "filter", "battery", "screen", "charger", "cable", "tablet",
    "laptop", "printer", "system", "policy", "claim", "estimate", "quote", "schedule", "visit",
    "inspection", "repair", "replacement", "part", "label", "membership", "subscription", "credit",
    "deposit", "rate", "price", "total", "offer", "deal", "promotion", "tracking number", "confirmation",
    "reference number", "password", "login", "profile", "username", "form", "letter", "furnace",
    "water heater", "thermostat", "remote", "mattress", "couch", "roof", "garage door", "dishwasher",
    "prescription", "cleaning", "checkup", "lease", "loan", "premium", "deductible", "panel",
    "inverter", "treatment", "voicemail", "text message", "chat", "portal"};
const std::vector<const char*> kVerbs = {
    "check", "update", "send", "schedule", "change", "look at", "fix", "review", "process", "confirm",
    "verify", "move", "add", "remove", "transfer", "replace", "activate", "renew", "adjust", "ship",
    "return", "escalate", "reschedule", "resend", "look up", "set up", "pause", "extend", "split",
    "waive", "apply", "close", "reopen", "test", "reset"};
const std::vector<const char*> kAdjectives = {
    "new", "old", "basic", "premium", "monthly", "annual", "standard", "extra", "wrong", "right",
    "different", "same", "current", "first", "last", "second", "whole", "other", "small", "large",
    "cheaper", "faster", "busy", "available", "broken", "local", "online", "digital", "regular",
    "black", "white", "silver", "family", "unlimited", "upstairs", "downstairs", "cheapest", "bigger"};
const std::vector<const char*> kTimes = {
    "today", "tomorrow", "yesterday", "last week", "next week", "this morning", "this afternoon",
    "on Monday", "on Friday", "last month", "in two weeks", "over the weekend", "a few days ago",
    "back in March", "tonight", "next Tuesday", "the other day", "around noon", "first thing tomorrow",
    "last Thursday", "earlier today", "a couple weeks ago", "back in October", "this weekend"};
const std::vector<const char*> kDays = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const std::vector<const char*> kHours = {"one", "two", "three", "four", "five", "six",
                                         "seven", "eight", "nine", "ten", "eleven", "twelve"};
const std::vector<const char*> kCities = {
    "Springfield", "Riverside", "Fairview", "Madison", "Georgetown", "Clinton", "Salem", "Franklin",
    "Greenville", "Bristol", "Dayton", "Columbus", "Austin", "Denver", "Phoenix", "Tampa", "Portland",
    "Sacramento", "Raleigh", "Omaha", "Tucson", "Boise", "Albany", "Fresno"};
const std::vector<const char*> kStreets = {"Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake",
                                           "Hill", "Park", "Main", "Sunset", "Ridge", "Willow", "Highland"};
const std::vector<const char*> kStreetKinds = {"Street", "Avenue", "Drive", "Road", "Lane", "Court", "Way"};
const std::vector<const char*> kRelatives = {"my husband", "my wife", "my son", "my daughter", "my mom",
                                             "my dad", "my neighbor", "my roommate", "my boss", "my sister",
                                             "my brother", "my partner"};

// Words that must never be a big-taxonomy phrase: they are speaker labels or
// JSON keys of the corpus files, so a text search would count them everywhere.
const std::unordered_set<std::string> kFormatWords = {"agent",    "customer", "speaker", "start", "end",
                                                      "text",     "utterances", "id",    "call",  "calls"};

// Speaker labels and JSON keys next to the text: a planted phrase holding one
// could be "found" across a turn boundary by a plain text search.
const std::unordered_set<std::string> kLabelWords = {"agent", "customer", "speaker", "text", "utterances"};

// Display forms of vocabulary words that are proper nouns or "I".
const std::unordered_map<std::string, std::string> kVocabDisplay = {
    {"i", "I"},           {"tv", "TV"},           {"monday", "Monday"},     {"tuesday", "Tuesday"},
    {"wednesday", "Wednesday"}, {"thursday", "Thursday"}, {"friday", "Friday"}, {"saturday", "Saturday"},
    {"sunday", "Sunday"}, {"january", "January"}, {"february", "February"}, {"march", "March"},
    {"april", "April"},   {"june", "June"},       {"july", "July"},         {"august", "August"},
    {"september", "September"}, {"october", "October"}, {"november", "November"}, {"december", "December"},
    {"facebook", "Facebook"}, {"google", "Google"}, {"instagram", "Instagram"}};

// ---------------------------------------------------------------------------
// Templates.

enum class Slot : std::uint8_t {
  Fill, Name, Last, Co, Noun, Verb, Adj, Time, Day, Hour, City, Rel,  // list slots
  Price, Num, Digits, Order, W, WW, WWW, Street,                        // procedural slots
  Count
};
constexpr std::size_t kListSlots = static_cast<std::size_t>(Slot::Price);

struct Item {
  enum Kind : std::uint8_t { Token, SlotRef, Phrase } kind;
  std::uint32_t v;
};
using Template = std::vector<Item>;

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "callsight_gen_corpus: %s\n", msg.c_str());
  std::exit(2);
}

struct Phrase {
  std::string text;                 // lower-case, single spaces
  std::vector<std::uint32_t> keys;  // key ids
  std::vector<std::uint32_t> toks;  // entry ids used when rendering
  std::vector<Template> carriers;
  double rate = 0;
};

// Everything that is read-only during generation.
class Model {
 public:
  Model(std::uint64_t seed, const std::string& wordfreq_text) : seed_(seed) {
    build_numbers();
    build_phrases();
    build_vocab(wordfreq_text);
    build_templates();
    build_phrase_index();
    validate_carriers();
  }

  std::uint64_t seed() const { return seed_; }
  const std::vector<Phrase>& phrases() const { return phrases_; }
  const Lexicon& lex() const { return lex_; }

  // Expand a template into tokens.  `phrase` fills the '%' placeholder.
  void expand(const Template& t, Rng& rng, std::vector<Tok>& out, const Phrase* phrase = nullptr) const {
    for (const Item& it : t) {
      switch (it.kind) {
        case Item::Token: out.push_back({it.v, 0}); break;
        case Item::Phrase:
          for (std::uint32_t e : phrase->toks) out.push_back({e, 0});
          break;
        case Item::SlotRef: expand_slot(static_cast<Slot>(it.v), rng, out); break;
      }
    }
  }

  void babble(Rng& rng, std::vector<Tok>& out) const {
    if (rng.chance(0.3)) {
      const auto& f = rng.pick(list_slots_[static_cast<std::size_t>(Slot::Fill)]);
      out.insert(out.end(), f.begin(), f.end());
      out.push_back({kComma, 0});
    }
    if (rng.chance(0.6)) {
      const auto& s = rng.pick(starters_);
      out.insert(out.end(), s.begin(), s.end());
    }
    const int n = rng.range(2, 10);
    const int comma_at = n >= 4 && rng.chance(0.3) ? rng.range(1, n - 3) : -1;
    for (int i = 0; i < n; ++i) {
      out.push_back({vocab_[vocab_alias_.sample(rng)], 0});
      if (i == comma_at) out.push_back({kComma, 0});
    }
    out.push_back({rng.chance(0.15) ? kQuestion : kPeriod, 0});
  }

  const std::vector<Template>& agent() const { return agent_; }
  const std::vector<Template>& customer() const { return customer_; }
  const std::vector<Template>& shared() const { return shared_; }
  const std::vector<Template>& greetings() const { return greetings_; }
  const std::vector<std::vector<Template>>& closings() const { return closings_; }
  const std::vector<Template>& backchannels() const { return backchannels_; }
  const Template& customer_first() const { return customer_first_; }
  const std::vector<Template>& customer_openers() const { return customer_openers_; }
  const Template& customer_first_reply() const { return customer_first_reply_; }
  const Template& breaker() const { return breaker_; }
  std::size_t max_phrase_len() const { return max_phrase_len_; }

  // Number of phrase occurrences in `h` (key ids of one turn) that end at or
  // after position `from`; the index of the last one found goes to *which.
  int matches_from(const std::vector<std::uint32_t>& h, std::size_t from, int* which) const {
    int count = 0;
    const std::size_t begin = from >= max_phrase_len_ - 1 ? from - (max_phrase_len_ - 1) : 0;
    for (std::size_t i = begin; i < h.size(); ++i) {
      const std::uint32_t k = h[i];
      if (k >= first_.size() || !first_[k]) continue;
      for (std::uint16_t p : by_first_[k]) {
        const auto& keys = phrases_[p].keys;
        if (i + keys.size() > h.size() || i + keys.size() <= from) continue;
        if (std::equal(keys.begin(), keys.end(), h.begin() + static_cast<std::ptrdiff_t>(i))) {
          ++count;
          if (which) *which = p;
        }
      }
    }
    return count;
  }

  // Words of the vocabulary by rank (key ids), for the big taxonomy.
  const std::vector<std::uint32_t>& vocab_keys() const { return vocab_keys_; }
  const AliasTable& vocab_alias() const { return vocab_alias_; }
  std::size_t vocab_rank(std::uint32_t key) const {
    auto it = rank_of_key_.find(key);
    return it == rank_of_key_.end() ? SIZE_MAX : it->second;
  }
  const std::vector<std::vector<std::uint32_t>>& template_word_runs() const { return word_runs_; }
  bool banned_word(const std::string& w) const {
    for (const auto& p : banned_prefixes_)
      if (w.compare(0, p.size(), p) == 0) return true;
    return false;
  }

 private:
  void build_numbers() {
    static const char* ones[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                 "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                 "seventeen", "eighteen", "nineteen"};
    static const char* tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    for (int i = 0; i < 20; ++i) ones_[i] = lex_.entry(ones[i]);
    for (int i = 2; i < 10; ++i) tens_[i] = lex_.entry(tens[i]);
    hundred_ = lex_.entry("hundred");
    thousand_ = lex_.entry("thousand");
    and_ = lex_.entry("and");
    a_ = lex_.entry("a");
    oh_ = lex_.entry("oh");
    dollars_ = lex_.entry("dollars");
    bucks_ = lex_.entry("bucks");
    cents_ = lex_.entry("cents");
  }

  void spell(int n, std::vector<Tok>& out) const {
    if (n >= 1000) {
      spell(n / 1000, out);
      out.push_back({thousand_, 0});
      n %= 1000;
      if (n == 0) return;
    }
    if (n >= 100) {
      out.push_back({ones_[n / 100], 0});
      out.push_back({hundred_, 0});
      n %= 100;
      if (n == 0) return;
      out.push_back({and_, 0});
    }
    if (n >= 20) {
      out.push_back({tens_[n / 10], 0});
      if (n % 10) out.push_back({ones_[n % 10], 0});
    } else {
      out.push_back({ones_[n], 0});
    }
  }

  void expand_slot(Slot s, Rng& rng, std::vector<Tok>& out) const {
    const auto si = static_cast<std::size_t>(s);
    if (si < kListSlots) {
      const auto& v = rng.pick(list_slots_[si]);
      out.insert(out.end(), v.begin(), v.end());
      return;
    }
    switch (s) {
      case Slot::Price: {
        switch (rng.below(6)) {
          case 0: spell(rng.range(5, 400), out); out.push_back({dollars_, 0}); break;
          case 1: {
            static const int cents[] = {99, 95, 50, 49};
            spell(rng.range(10, 99), out);
            spell(cents[rng.below(4)], out);
            break;
          }
          case 2: out.push_back({kMoney, static_cast<std::uint32_t>(rng.range(5, 999) * 100 + rng.pick(money_cents_))}); break;
          case 3: spell(rng.range(10, 300), out); out.push_back({bucks_, 0}); break;
          case 4:
            spell(rng.range(2, 250), out);
            out.push_back({dollars_, 0});
            out.push_back({and_, 0});
            spell(rng.range(1, 99), out);
            out.push_back({cents_, 0});
            break;
          default:
            out.push_back({a_, 0});
            out.push_back({hundred_, 0});
            out.push_back({and_, 0});
            spell(rng.range(5, 95), out);
            break;
        }
        break;
      }
      case Slot::Num: spell(rng.chance(0.75) ? rng.range(2, 12) : rng.range(13, 60), out); break;
      case Slot::Digits: {
        const bool phone = rng.chance(0.5);
        const int n = phone ? 10 : rng.range(4, 8);
        for (int i = 0; i < n; ++i) {
          const int d = rng.range(0, 9);
          out.push_back({d == 0 && rng.chance(0.5) ? oh_ : ones_[d], 0});
          if (phone && (i == 2 || i == 5)) out.push_back({kComma, 0});
        }
        break;
      }
      case Slot::Order: out.push_back({kNumber, static_cast<std::uint32_t>(rng.range(10000, 99999999))}); break;
      case Slot::W: out.push_back({vocab_[vocab_alias_.sample(rng)], 0}); break;
      case Slot::WW:
      case Slot::WWW: {
        const int n = s == Slot::WW ? rng.range(2, 3) : rng.range(4, 8);
        for (int i = 0; i < n; ++i) out.push_back({vocab_[vocab_alias_.sample(rng)], 0});
        break;
      }
      case Slot::Street: {
        if (rng.chance(0.6))
          out.push_back({kNumber, static_cast<std::uint32_t>(rng.range(1, 9999))});
        else
          spell(rng.range(10, 999), out);
        out.push_back({street_names_[rng.below(street_names_.size())], 0});
        out.push_back({street_kinds_[rng.below(street_kinds_.size())], 0});
        break;
      }
      default: break;
    }
  }

  void build_phrases() {
    const auto& specs = phrase_specs();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      Phrase p;
      p.text = specs[i].phrase;
      std::istringstream in(p.text);
      std::string w;
      while (in >> w) {
        for (char c : w)
          if (c < 'a' || c > 'z') die("phrase has a non-letter: " + p.text);
        auto disp = kVocabDisplay.find(w);
        p.toks.push_back(lex_.entry(disp != kVocabDisplay.end() ? disp->second : w));
        p.keys.push_back(lex_.key(w));
      }
      // Known target rate in [5%, 30%], derived from the seed.
      p.rate = 0.05 + 0.25 * static_cast<double>(mix(seed_, 0x7261746500000000ULL + i) >> 11) * 0x1.0p-53;
      max_phrase_len_ = std::max(max_phrase_len_, p.keys.size());
      if (p.keys.size() == 1) {
        // Ban the word and its inflections from the background text.
        std::string stem = p.text;
        for (const char* suf : {"ing", "ed", "s", "e", "y"}) {
          const std::size_t n = std::strlen(suf);
          if (stem.size() > n + 4 && stem.compare(stem.size() - n, n, suf) == 0) {
            stem.resize(stem.size() - n);
            break;
          }
        }
        banned_prefixes_.push_back(stem);
      }
      phrases_.push_back(std::move(p));
    }
  }

  void build_vocab(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::vector<double> weights;
    std::size_t rank = 0;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      if (tab == std::string::npos) die("bad word-frequency line: " + line);
      const std::string w = line.substr(0, tab);
      const double count = std::strtod(line.c_str() + tab + 1, nullptr);
      ++rank;
      bool ok = !w.empty() && count > 0;
      for (char c : w) ok = ok && c >= 'a' && c <= 'z';
      if (!ok || banned_word(w)) continue;
      auto disp = kVocabDisplay.find(w);
      const std::uint32_t e = lex_.entry(disp != kVocabDisplay.end() ? disp->second : w);
      vocab_.push_back(e);
      vocab_keys_.push_back(lex_.key_of(e));
      rank_of_key_.emplace(lex_.key_of(e), rank);
      weights.push_back(count);
    }
    if (vocab_.size() < 1000) die("word-frequency list has fewer than 1,000 usable words");
    vocab_alias_.build(weights);
  }

  Template parse(std::string_view s, bool allow_phrase = false) {
    Template t;
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && s[i] == ' ') ++i;
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ') ++j;
      if (j == i) break;
      std::string_view w = s.substr(i, j - i);
      i = j;
      std::vector<std::uint32_t> punct;
      while (!w.empty() && std::strchr(",.?!", w.back())) {
        const char c = w.back();
        punct.insert(punct.begin(), c == ',' ? kComma : c == '.' ? kPeriod : c == '?' ? kQuestion : kExclaim);
        w.remove_suffix(1);
      }
      if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
        static const std::unordered_map<std::string_view, Slot> names = {
            {"FILL", Slot::Fill}, {"NAME", Slot::Name},   {"LAST", Slot::Last},     {"CO", Slot::Co},
            {"N", Slot::Noun},    {"V", Slot::Verb},      {"ADJ", Slot::Adj},       {"TIME", Slot::Time},
            {"DAY", Slot::Day},   {"HOUR", Slot::Hour},   {"CITY", Slot::City},     {"REL", Slot::Rel},
            {"PRICE", Slot::Price}, {"NUM", Slot::Num},   {"DIGITS", Slot::Digits}, {"ORDER", Slot::Order},
            {"W", Slot::W},       {"WW", Slot::WW},       {"WWW", Slot::WWW},       {"STREET", Slot::Street}};
        auto it = names.find(w.substr(1, w.size() - 2));
        if (it == names.end()) die("unknown slot in template: " + std::string(s));
        t.push_back({Item::SlotRef, static_cast<std::uint32_t>(it->second)});
      } else if (w == "%") {
        if (!allow_phrase) die("phrase placeholder outside a carrier: " + std::string(s));
        t.push_back({Item::Phrase, 0});
      } else if (!w.empty()) {
        for (char c : w)
          if (!std::isalpha(static_cast<unsigned char>(c)) && c != '\'')
            die("template word must be letters or apostrophes: " + std::string(s));
        if (banned_word(lower(w))) die("template uses a word banned by a single-word phrase: " + std::string(s));
        t.push_back({Item::Token, lex_.entry(w)});
      }
      for (std::uint32_t p : punct) t.push_back({Item::Token, p});
    }
    return t;
  }

  std::vector<Template> parse_all(const std::vector<const char*>& v) {
    std::vector<Template> r;
    for (const char* s : v) r.push_back(parse(s));
    return r;
  }

  void build_templates() {
    const std::vector<const char*>* lists[kListSlots] = {&kFill,  &kNames, &kLastNames, &kCompanies,
                                                         &kNouns, &kVerbs, &kAdjectives, &kTimes,
                                                         &kDays,  &kHours, &kCities,    &kRelatives};
    for (std::size_t s = 0; s < kListSlots; ++s) {
      for (const char* item : *lists[s]) {
        bool banned = false;
        std::istringstream in(item);
        std::string w;
        while (in >> w) banned = banned || banned_word(lower(w));
        if (banned) continue;  // e.g. a noun that a single-word phrase owns
        std::vector<Tok> toks;
        for (const Item& it : parse(item)) toks.push_back({it.v, 0});
        list_slots_[s].push_back(std::move(toks));
      }
      if (list_slots_[s].empty()) die("empty slot list");
    }
    for (const char* s : kStreets) street_names_.push_back(lex_.entry(s));
    for (const char* s : kStreetKinds) street_kinds_.push_back(lex_.entry(s));
    agent_ = parse_all(kAgentTemplates);
    customer_ = parse_all(kCustomerTemplates);
    shared_ = parse_all(kSharedTemplates);
    greetings_ = parse_all(kGreetings);
    backchannels_ = parse_all(kBackchannels);
    customer_openers_ = parse_all(kCustomerOpeners);
    for (const char* s : kStarters) {
      std::vector<Tok> toks;
      for (const Item& it : parse(s)) toks.push_back({it.v, 0});
      starters_.push_back(std::move(toks));
    }
    for (const auto& c : kClosings) closings_.push_back(parse_all(c));
    customer_first_ = parse("Hello? Hi, is this {CO}?");
    customer_first_reply_ = parse("Yes it is, this is {NAME}, how can I help you?");
    breaker_ = parse("Okay.");
    for (std::size_t i = 0; i < phrases_.size(); ++i)
      for (const char* c : phrase_specs()[i].carriers) phrases_[i].carriers.push_back(parse(c, true));

    // Runs of consecutive literal words in the templates (for the big taxonomy).
    auto runs = [&](const std::vector<Template>& ts) {
      for (const Template& t : ts) {
        std::vector<std::uint32_t> run;
        for (const Item& it : t) {
          const bool word = it.kind == Item::Token && it.v >= kFirstEntry &&
                            lex_.at(it.v).display.find('\'') == std::string::npos;
          if (word) {
            run.push_back(lex_.key_of(it.v));
          } else {
            if (run.size() >= 2) word_runs_.push_back(run);
            run.clear();
          }
        }
        if (run.size() >= 2) word_runs_.push_back(run);
      }
    };
    runs(agent_);
    runs(customer_);
    runs(shared_);
    runs(greetings_);
    for (const auto& c : closings_) runs(c);
  }

  void build_phrase_index() {
    by_first_.assign(lex_.key_count(), {});
    first_.assign(lex_.key_count(), 0);
    for (std::size_t p = 0; p < phrases_.size(); ++p) {
      by_first_[phrases_[p].keys[0]].push_back(static_cast<std::uint16_t>(p));
      first_[phrases_[p].keys[0]] = 1;
    }
    for (std::uint32_t e : breaker_keys())
      for (const auto& p : phrases_)
        if (std::find(p.keys.begin(), p.keys.end(), e) != p.keys.end()) die("a phrase holds a breaker word");
    for (const auto& p : phrases_)
      for (std::uint32_t k : p.keys)
        if (kLabelWords.count(lex_.key_text(k))) die("planted phrase uses a label/JSON word: " + p.text);
  }

  std::vector<std::uint32_t> breaker_keys() const {
    std::vector<std::uint32_t> r;
    for (const Item& it : breaker_)
      if (it.v >= kFirstEntry) r.push_back(lex_.key_of(it.v));
    return r;
  }

  // Each carrier, with its slots treated as breaks, holds its phrase exactly once.
  void validate_carriers() const {
    for (std::size_t p = 0; p < phrases_.size(); ++p) {
      for (const Template& c : phrases_[p].carriers) {
        std::vector<std::uint32_t> h;
        for (const Item& it : c) {
          if (it.kind == Item::Phrase)
            h.insert(h.end(), phrases_[p].keys.begin(), phrases_[p].keys.end());
          else if (it.kind == Item::SlotRef)
            h.push_back(kKeyNonWord);
          else if (it.v >= kFirstEntry)
            h.push_back(lex_.key_of(it.v));
        }
        int which = -1;
        if (matches_from(h, 0, &which) != 1 || which != static_cast<int>(p))
          die("carrier of \"" + phrases_[p].text + "\" does not hold exactly its phrase");
      }
    }
  }

  std::uint64_t seed_;
  Lexicon lex_;
  std::uint32_t ones_[20] = {}, tens_[10] = {};
  std::uint32_t hundred_ = 0, thousand_ = 0, and_ = 0, a_ = 0, oh_ = 0, dollars_ = 0, bucks_ = 0, cents_ = 0;
  const std::vector<std::uint32_t> money_cents_ = {0, 99, 95, 50, 49, 0};
  std::vector<Phrase> phrases_;
  std::vector<std::string> banned_prefixes_;
  std::size_t max_phrase_len_ = 1;
  std::vector<std::uint32_t> vocab_, vocab_keys_;
  std::unordered_map<std::uint32_t, std::size_t> rank_of_key_;
  AliasTable vocab_alias_;
  std::vector<std::vector<Tok>> list_slots_[kListSlots];
  std::vector<std::uint32_t> street_names_, street_kinds_;
  std::vector<Template> agent_, customer_, shared_, greetings_, backchannels_, customer_openers_;
  std::vector<std::vector<Tok>> starters_;
  std::vector<std::vector<Template>> closings_;
  Template customer_first_, customer_first_reply_, breaker_;
  std::vector<std::vector<std::uint16_t>> by_first_;
  std::vector<std::uint8_t> first_;
  std::vector<std::vector<std::uint32_t>> word_runs_;
};

// ---------------------------------------------------------------------------
// One call.

struct Turn {
  bool agent;
  std::uint32_t begin, end;  // token range in CallGen::toks_
  std::uint32_t words;
};

struct PlantedRow {
  std::uint16_t phrase;
  std::uint8_t occurrences;
};

class CallGen {
 public:
  explicit CallGen(const Model& m) : m_(m) {}

  // Generates call number `idx` (0-based); results in turns(), planted(), words().
  void generate(std::uint64_t idx) {
    Rng rng(mix(m_.seed(), idx));
    Rng prng(mix(m_.seed() ^ 0x706c616e74000000ULL, idx));
    toks_.clear();
    turns_.clear();
    planted_.clear();
    pending_.clear();
    words_ = 0;

    const auto& phrases = m_.phrases();
    for (std::size_t p = 0; p < phrases.size(); ++p) {
      if (!prng.chance(phrases[p].rate)) continue;
      const double u = prng.uniform();
      const int occ = u < 0.75 ? 1 : u < 0.95 ? 2 : 3;
      planted_.push_back({static_cast<std::uint16_t>(p), static_cast<std::uint8_t>(occ)});
      for (int k = 0; k < occ; ++k) pending_.push_back(static_cast<std::uint16_t>(p));
    }
    for (std::size_t i = pending_.size(); i > 1; --i) std::swap(pending_[i - 1], pending_[prng.below(i)]);

    // Target length: log-normal, median ~700 words, truncated to [300, 1950]
    // (the last turns may add a few words; every call stays within 300-2,000).
    int target;
    do target = static_cast<int>(std::lround(std::exp(std::log(680.0) + 0.5 * rng.normal())));
    while (target < 300 || target > 1950);

    // Closing turns are generated first so that their length is known.
    const auto& closing = rng.pick(m_.closings());
    closing_toks_.clear();
    closing_turns_.clear();
    std::uint32_t closing_words = 0;
    for (std::size_t i = 0; i < closing.size(); ++i) {
      const auto b = static_cast<std::uint32_t>(closing_toks_.size());
      m_.expand(closing[i], rng, closing_toks_);
      const std::uint32_t w = count_words(closing_toks_, b);
      closing_turns_.push_back({i % 2 == 0, b, static_cast<std::uint32_t>(closing_toks_.size()), w});
      closing_words += w;
    }

    bool agent = true;
    if (rng.chance(0.05)) {
      single_turn(false, m_.customer_first(), rng);
      single_turn(true, m_.customer_first_reply(), rng);
      agent = false;
    } else {
      single_turn(true, rng.pick(m_.greetings()), rng);
      agent = false;
    }
    const int body_end = target - static_cast<int>(closing_words);
    opener_ = !agent;
    while (static_cast<int>(words_) < body_end || !pending_.empty()) {
      const int remaining = body_end - static_cast<int>(words_);
      if (agent) {
        body_turn(true, remaining, 0, rng);
      } else {
        std::size_t k = 0;
        if (!pending_.empty()) {
          if (remaining <= 60) {
            k = std::min<std::size_t>(3, pending_.size());
          } else {
            const double est_turns = std::max(1.0, remaining / 30.0);
            const double e = static_cast<double>(pending_.size()) / est_turns;
            k = static_cast<std::size_t>(e) + (prng.chance(e - std::floor(e)) ? 1 : 0);
            k = std::min<std::size_t>({k, 3, pending_.size()});
          }
        }
        body_turn(false, remaining, k, rng);
      }
      agent = !agent;
    }
    // Closing: starts with the agent; if the agent spoke last, the customer
    // says a short word first so that turns keep alternating.
    if (agent == false) single_turn(false, rng.pick(m_.backchannels()), rng);
    for (const Turn& t : closing_turns_) {
      const auto b = static_cast<std::uint32_t>(toks_.size());
      toks_.insert(toks_.end(), closing_toks_.begin() + t.begin, closing_toks_.begin() + t.end);
      turns_.push_back({t.agent, b, static_cast<std::uint32_t>(toks_.size()), t.words});
      words_ += t.words;
    }
  }

  const std::vector<Turn>& turns() const { return turns_; }
  const std::vector<PlantedRow>& planted() const { return planted_; }
  std::uint32_t words() const { return words_; }

  // Renders the tokens of one turn (capitalising sentence starts).
  void render(const Turn& t, std::string& out) const {
    bool cap = true, first = true;
    char buf[32];
    for (std::uint32_t i = t.begin; i < t.end; ++i) {
      const Tok& k = toks_[i];
      if (k.id < kNumber) {
        static const char punct[] = {',', '.', '?', '!'};
        out += punct[k.id];
        cap = k.id != kComma;
        continue;
      }
      if (!first) out += ' ';
      first = false;
      if (k.id == kNumber) {
        const int n = std::snprintf(buf, sizeof buf, "%u", k.val);
        out.append(buf, static_cast<std::size_t>(n));
      } else if (k.id == kMoney) {
        const int n = std::snprintf(buf, sizeof buf, "$%u.%02u", k.val / 100, k.val % 100);
        out.append(buf, static_cast<std::size_t>(n));
      } else {
        const Entry& e = m_.lex().at(k.id);
        out += cap ? e.capital : e.display;
      }
      cap = false;
    }
  }

 private:
  static std::uint32_t count_words(const std::vector<Tok>& v, std::size_t from) {
    std::uint32_t n = 0;
    for (std::size_t i = from; i < v.size(); ++i) n += v[i].id >= kNumber;
    return n;
  }

  void push_keys(std::size_t from) {
    for (std::size_t i = from; i < toks_.size(); ++i)
      if (toks_[i].id >= kNumber) hist_.push_back(m_.lex().key_of(toks_[i].id));
  }

  void begin_turn() {
    hist_.clear();
    turn_begin_ = static_cast<std::uint32_t>(toks_.size());
  }
  void end_turn(bool agent) {
    const std::uint32_t w = static_cast<std::uint32_t>(hist_.size());
    turns_.push_back({agent, turn_begin_, static_cast<std::uint32_t>(toks_.size()), w});
    words_ += w;
  }

  // Appends one background sentence made by `make`, regenerating it while it
  // would create a phrase occurrence.  Returns its word count, or 0 if it was
  // dropped because it did not fit in `max_words`.
  template <class Make>
  std::uint32_t add_sentence(Make&& make, std::uint32_t max_words) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      const std::size_t t0 = toks_.size(), h0 = hist_.size();
      make(toks_);
      push_keys(t0);
      const auto w = static_cast<std::uint32_t>(hist_.size() - h0);
      if (w > max_words) {
        toks_.resize(t0);
        hist_.resize(h0);
        return 0;
      }
      if (m_.matches_from(hist_, h0, nullptr) == 0) return w;
      toks_.resize(t0);
      hist_.resize(h0);
    }
    // Give up on this sentence: "Okay." can neither start, continue nor end a phrase.
    const std::size_t t0 = toks_.size(), h0 = hist_.size();
    m_.expand(m_.breaker(), rng_dummy_, toks_);
    push_keys(t0);
    const auto w = static_cast<std::uint32_t>(hist_.size() - h0);
    if (w <= max_words) return w;
    toks_.resize(t0);
    hist_.resize(h0);
    return 0;
  }

  // Appends the carrier of a planted phrase; exactly one phrase occurrence.
  std::uint32_t add_carrier(std::uint16_t p, Rng& rng) {
    const Phrase& ph = m_.phrases()[p];
    for (int attempt = 0; attempt < 50; ++attempt) {
      const std::size_t t0 = toks_.size(), h0 = hist_.size();
      m_.expand(rng.pick(ph.carriers), rng, toks_, &ph);
      push_keys(t0);
      int which = -1;
      if (m_.matches_from(hist_, h0, &which) == 1 && which == p) return static_cast<std::uint32_t>(hist_.size() - h0);
      toks_.resize(t0);
      hist_.resize(h0);
      if (attempt == 0 && h0 > 0) {
        // Separate it from what the turn said before ("Okay."): nothing spans it.
        m_.expand(m_.breaker(), rng, toks_);
        push_keys(t0);
      }
    }
    die("could not place a carrier of \"" + ph.text + "\"");
  }

  void single_turn(bool agent, const Template& t, Rng& rng) {
    begin_turn();
    add_sentence([&](std::vector<Tok>& out) { m_.expand(t, rng, out); }, 80);
    end_turn(agent);
  }

  void sentence(bool agent, Rng& rng, std::vector<Tok>& out) {
    const double u = rng.uniform();
    if (!agent && opener_) {
      opener_ = false;
      m_.expand(rng.pick(m_.customer_openers()), rng, out);
    } else if (u < 0.65)
      m_.expand(rng.pick(agent ? m_.agent() : m_.customer()), rng, out);
    else if (u < 0.85)
      m_.expand(rng.pick(m_.shared()), rng, out);
    else
      m_.babble(rng, out);
  }

  void body_turn(bool agent, int remaining, std::size_t plants, Rng& rng) {
    begin_turn();
    if (plants == 0 && !(opener_ && !agent) && rng.chance(0.22)) {
      const Template& b = rng.pick(m_.backchannels());
      add_sentence([&](std::vector<Tok>& out) { m_.expand(b, rng, out); }, 80);
      end_turn(agent);
      return;
    }
    // Turn length: log-normal, median 14 words, 3-80.
    int len;
    do len = static_cast<int>(std::lround(std::exp(std::log(14.0) + 0.75 * rng.normal())));
    while (len < 3 || len > 80);
    const std::uint32_t limit = static_cast<std::uint32_t>(std::clamp(std::min(len, remaining), 1, 80));
    std::uint32_t words = 0;
    bool first = true;
    while (true) {
      if (plants > 0 && !(opener_ && !agent) && (rng.chance(0.5) || words >= limit)) {
        words += add_carrier(pending_.back(), rng);
        pending_.pop_back();
        --plants;
        first = false;
        continue;
      }
      if (words >= limit) break;
      const std::uint32_t room = first ? 80 : limit - words;
      const std::uint32_t w = add_sentence([&](std::vector<Tok>& out) { sentence(agent, rng, out); }, room);
      first = false;
      if (w == 0) {
        if (plants == 0) break;
        continue;
      }
      words += w;
    }
    end_turn(agent);
  }

  const Model& m_;
  Rng rng_dummy_{0};
  std::vector<Tok> toks_, closing_toks_;
  std::vector<Turn> turns_, closing_turns_;
  std::vector<std::uint32_t> hist_;
  std::uint32_t turn_begin_ = 0;
  std::vector<PlantedRow> planted_;
  std::vector<std::uint16_t> pending_;
  std::uint32_t words_ = 0;
  bool opener_ = false;
};

// ---------------------------------------------------------------------------
// Output.

enum class Format { Txt, Json, Both };

struct Options {
  std::uint64_t calls = 0;
  std::string out;
  std::uint64_t seed = 42;
  Format format = Format::Txt;
  std::string phrases_out, taxonomy_out, wordfreq;
  unsigned threads = 0;
  bool force = false, quiet = false, no_write = false;
};

void json_escape(std::string_view s, std::string& out) {
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += b;
        } else {
          out += c;
        }
    }
  }
}

void write_file(const std::string& path, const std::string& data) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  std::setvbuf(f, nullptr, _IONBF, 0);
  const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write " + path);
}

void render_txt(const CallGen& g, std::string& out, std::string& scratch) {
  out.clear();
  for (const Turn& t : g.turns()) {
    out += t.agent ? "Agent: " : "Customer: ";
    scratch.clear();
    g.render(t, scratch);
    out += scratch;
    out += '\n';
  }
}

void render_json(const CallGen& g, const char* call_id, Rng& rng, std::string& out, std::string& scratch) {
  out.clear();
  out += "{\"id\": \"";
  out += call_id;
  out += "\", \"utterances\":[";
  const double ms_per_word[2] = {60000.0 / rng.range(140, 190), 60000.0 / rng.range(130, 185)};
  std::uint64_t t = static_cast<std::uint64_t>(rng.range(300, 1800));
  const bool agent_is_a = g.turns().empty() || g.turns().front().agent;
  char buf[96];
  bool first = true;
  for (const Turn& turn : g.turns()) {
    const double dur = turn.words * ms_per_word[turn.agent ? 0 : 1] * (0.85 + 0.3 * rng.uniform()) + 250;
    const std::uint64_t start = t, end = t + static_cast<std::uint64_t>(dur);
    t = end + static_cast<std::uint64_t>(rng.range(120, 1100));
    const int n = std::snprintf(buf, sizeof buf, "%s\n{\"speaker\":\"%c\",\"start\":%llu,\"end\":%llu,\"text\":\"",
                                first ? "" : ",", turn.agent == agent_is_a ? 'A' : 'B',
                                static_cast<unsigned long long>(start), static_cast<unsigned long long>(end));
    out.append(buf, static_cast<std::size_t>(n));
    first = false;
    scratch.clear();
    g.render(turn, scratch);
    json_escape(scratch, out);
    out += "\"}";
  }
  out += "\n]}\n";
}

struct Stats {
  std::atomic<std::uint64_t> bytes{0}, files{0};
  std::vector<std::uint16_t> words;               // per call
  std::vector<std::uint64_t> phrase_calls, phrase_occ;
};

class Writer {
 public:
  Writer(const Model& m, const Options& o) : m_(m), o_(o) {}

  void run() {
    const std::uint64_t chunks = (o_.calls + kFilesPerDir - 1) / kFilesPerDir;
    stats_.words.assign(o_.calls, 0);
    stats_.phrase_calls.assign(m_.phrases().size(), 0);
    stats_.phrase_occ.assign(m_.phrases().size(), 0);
    planted_ = std::fopen((o_.out + "/planted.csv").c_str(), "wb");
    if (!planted_) die("cannot create " + o_.out + "/planted.csv");
    std::fputs("call_id,phrase,occurrences\n", planted_);
    unsigned n = o_.threads ? o_.threads : std::max(1u, std::thread::hardware_concurrency());
    n = static_cast<unsigned>(std::min<std::uint64_t>(n, std::max<std::uint64_t>(1, chunks)));
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < n; ++i) pool.emplace_back([&] { work(chunks); });
    for (auto& t : pool) t.join();
    if (std::fclose(planted_) != 0) die("cannot write planted.csv");
    if (!error_.empty()) die(error_);
  }

  const Stats& stats() const { return stats_; }

 private:
  void work(std::uint64_t chunks) {
    CallGen gen(m_);
    std::string txt, json, scratch, rows, path;
    char id[32], dir[32];
    std::vector<std::uint64_t> pc(m_.phrases().size()), po(m_.phrases().size());
    try {
      for (std::uint64_t c; (c = next_.fetch_add(1)) < chunks && !failed_.load();) {
        std::snprintf(dir, sizeof dir, "%04llu", static_cast<unsigned long long>(c));
        const bool txt_on = o_.format != Format::Json, json_on = o_.format != Format::Txt;
        const std::string base = o_.out + "/";
        const std::string txt_dir = base + (o_.format == Format::Both ? "txt/" : "") + dir;
        const std::string json_dir = base + (o_.format == Format::Both ? "json/" : "") + dir;
        if (txt_on && !o_.no_write) fs::create_directories(txt_dir);
        if (json_on && !o_.no_write) fs::create_directories(json_dir);
        rows.clear();
        std::fill(pc.begin(), pc.end(), 0);
        std::fill(po.begin(), po.end(), 0);
        std::uint64_t bytes = 0, files = 0;
        const std::uint64_t end = std::min<std::uint64_t>(o_.calls, (c + 1) * kFilesPerDir);
        for (std::uint64_t idx = c * kFilesPerDir; idx < end; ++idx) {
          gen.generate(idx);
          std::snprintf(id, sizeof id, "call-%07llu", static_cast<unsigned long long>(idx + 1));
          if (txt_on) {
            render_txt(gen, txt, scratch);
            path = txt_dir + "/" + id + ".txt";
            if (!o_.no_write) write_file(path, txt);
            bytes += txt.size();
            ++files;
          }
          if (json_on) {
            Rng trng(mix(m_.seed() ^ 0x74696d6500000000ULL, idx));
            render_json(gen, id, trng, json, scratch);
            path = json_dir + "/" + id + ".json";
            if (!o_.no_write) write_file(path, json);
            bytes += json.size();
            ++files;
          }
          stats_.words[idx] = static_cast<std::uint16_t>(gen.words());
          for (const PlantedRow& r : gen.planted()) {
            rows += id;
            rows += ',';
            rows += m_.phrases()[r.phrase].text;
            rows += ',';
            rows += static_cast<char>('0' + r.occurrences);
            rows += '\n';
            ++pc[r.phrase];
            po[r.phrase] += r.occurrences;
          }
        }
        stats_.bytes += bytes;
        stats_.files += files;
        std::lock_guard<std::mutex> lock(mu_);
        for (std::size_t p = 0; p < pc.size(); ++p) stats_.phrase_calls[p] += pc[p], stats_.phrase_occ[p] += po[p];
        done_.emplace(c, std::move(rows));
        rows = std::string();
        // planted.csv in call order, whatever order the chunks finish in.
        for (auto it = done_.find(next_to_write_); it != done_.end(); it = done_.find(++next_to_write_)) {
          std::fwrite(it->second.data(), 1, it->second.size(), planted_);
          done_.erase(it);
        }
        if (!o_.quiet && (c + 1) % 100 == 0) {
          std::fprintf(stderr, "\r%llu / %llu calls", static_cast<unsigned long long>(next_to_write_ * kFilesPerDir),
                       static_cast<unsigned long long>(o_.calls));
        }
      }
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mu_);
      if (error_.empty()) error_ = e.what();
      failed_ = true;
    }
  }

  const Model& m_;
  const Options& o_;
  Stats stats_;
  std::atomic<std::uint64_t> next_{0};
  std::atomic<bool> failed_{false};
  std::mutex mu_;
  std::map<std::uint64_t, std::string> done_;
  std::uint64_t next_to_write_ = 0;
  std::FILE* planted_ = nullptr;
  std::string error_;
};

void write_text(const std::string& path, const std::string& data) {
  const fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream f(path, std::ios::binary);
  f << data;
  if (!f.flush()) die("cannot write " + path);
}

std::string phrase_text(const Lexicon& lex, const std::vector<std::uint32_t>& keys) {
  std::string s;
  for (std::uint32_t k : keys) {
    if (!s.empty()) s += ' ';
    s += lex.key_text(k);
  }
  return s;
}

// 1,000 phrases: the planted ones, then 1-3 word phrases from the vocabulary
// (Zipf-weighted, so many of them do occur) and from word runs of the templates.
std::vector<std::string> big_phrases(const Model& m) {
  const Lexicon& lex = m.lex();
  Rng rng(mix(m.seed(), 0x7461786f6e6f6d79ULL));
  std::vector<std::string> planted, extra;
  std::unordered_set<std::string> seen;
  for (const auto& p : m.phrases()) planted.push_back(p.text), seen.insert(p.text);

  auto word_ok = [&](std::uint32_t k, std::size_t min_rank) {
    const std::string& w = lex.key_text(k);
    if (w.size() < 2 || kFormatWords.count(w) || m.banned_word(w)) return false;
    for (char c : w)
      if (c < 'a' || c > 'z') return false;
    const std::size_t r = m.vocab_rank(k);
    return r == SIZE_MAX || r >= min_rank;
  };
  auto informative = [&](const std::vector<std::uint32_t>& keys) {
    for (std::uint32_t k : keys)
      if (lex.key_text(k).size() >= 4 && m.vocab_rank(k) >= 150) return true;
    return false;
  };
  auto add = [&](const std::vector<std::uint32_t>& keys) {
    std::string s = phrase_text(lex, keys);
    if (seen.count(s)) return false;
    for (const auto& p : m.phrases())  // no phrase that holds a planted one
      if (s.find(p.text) != std::string::npos) return false;
    seen.insert(s);
    extra.push_back(std::move(s));
    return true;
  };
  auto zipf_word = [&](std::size_t min_rank) {
    for (;;) {
      const std::uint32_t k = m.vocab_keys()[m.vocab_alias().sample(rng)];
      if (word_ok(k, min_rank)) return k;
    }
  };

  const std::size_t want = 1000 - planted.size();
  const std::size_t n1 = want * 30 / 96, n2 = want * 36 / 96;
  // Template n-grams (bigrams and trigrams) in a deterministic shuffled order.
  std::vector<std::vector<std::uint32_t>> grams[2];
  for (const auto& run : m.template_word_runs())
    for (std::size_t n = 2; n <= 3; ++n)
      for (std::size_t i = 0; i + n <= run.size(); ++i) {
        std::vector<std::uint32_t> g(run.begin() + static_cast<std::ptrdiff_t>(i),
                                     run.begin() + static_cast<std::ptrdiff_t>(i + n));
        bool ok = informative(g);
        for (std::uint32_t k : g) ok = ok && word_ok(k, 0);
        if (ok) grams[n - 2].push_back(std::move(g));
      }
  for (auto& g : grams) {
    std::sort(g.begin(), g.end());
    g.erase(std::unique(g.begin(), g.end()), g.end());
    for (std::size_t i = g.size(); i > 1; --i) std::swap(g[i - 1], g[rng.below(i)]);
  }
  while (extra.size() < n1) add({zipf_word(150)});
  std::size_t from_templates = 0;
  for (const auto& g : grams[0])
    if (from_templates < n2 / 2 && add(g)) ++from_templates;
  while (extra.size() < n1 + n2) {
    std::vector<std::uint32_t> g = {zipf_word(30), zipf_word(30)};
    if (g[0] != g[1] && informative(g)) add(g);
  }
  from_templates = 0;
  for (const auto& g : grams[1])
    if (from_templates < (want - n1 - n2) / 3 && add(g)) ++from_templates;
  while (extra.size() < want) {
    std::vector<std::uint32_t> g = {zipf_word(30), zipf_word(30), zipf_word(30)};
    if (g[0] != g[1] && g[1] != g[2] && informative(g)) add(g);
  }
  for (std::size_t i = extra.size(); i > 1; --i) std::swap(extra[i - 1], extra[rng.below(i)]);
  planted.insert(planted.end(), extra.begin(), extra.end());
  return planted;
}

void write_big_taxonomy(const Model& m, const std::string& path) {
  const std::vector<std::string> phrases = big_phrases(m);
  static const char* kinds[] = {"concern", "intent", "outcome", "source", "competitor", "product"};
  std::string j = "{\"schema_version\":1,\"name\":\"bench-1000\",\"language\":\"en\",\"topics\":[";
  std::string lines;
  const std::size_t per_topic = 20;
  for (std::size_t t = 0; t * per_topic < phrases.size(); ++t) {
    char head[160];
    std::snprintf(head, sizeof head, "%s\n{\"id\":\"t%03zu\",\"label\":\"Topic %zu\",\"kind\":\"%s\",\"speaker\":\"any\",\"phrases\":[",
                  t ? "," : "", t, t, kinds[t % 6]);
    j += head;
    for (std::size_t i = t * per_topic; i < std::min(phrases.size(), (t + 1) * per_topic); ++i) {
      j += i == t * per_topic ? "\"" : ",\"";
      json_escape(phrases[i], j);
      j += '"';
      lines += phrases[i];
      lines += '\n';
    }
    j += "]}";
  }
  j += "\n]}\n";
  write_text(path, j);
  write_text(path + ".phrases.txt", lines);
}

void write_manifest(const Model& m, const Options& o, const Stats& s, double seconds) {
  std::vector<std::uint16_t> w = s.words;
  std::sort(w.begin(), w.end());
  auto q = [&](double f) { return w.empty() ? 0 : w[static_cast<std::size_t>(f * static_cast<double>(w.size() - 1))]; };
  double mean = 0;
  for (auto x : w) mean += x;
  mean = w.empty() ? 0 : mean / static_cast<double>(w.size());
  const char* fmt = o.format == Format::Txt ? "txt" : o.format == Format::Json ? "json" : "both";
  std::ostringstream j;
  j << "{\"generator\":\"callsight_gen_corpus\",\"generator_version\":\"" << kGeneratorVersion << "\""
    << ",\"seed\":" << o.seed << ",\"calls\":" << o.calls << ",\"format\":\"" << fmt << "\""
    << ",\"files\":" << s.files.load() << ",\"bytes\":" << s.bytes.load() << ",\"seconds\":" << seconds
    << ",\"words_per_call\":{\"min\":" << q(0) << ",\"p10\":" << q(0.1) << ",\"p25\":" << q(0.25)
    << ",\"median\":" << q(0.5) << ",\"p75\":" << q(0.75) << ",\"p90\":" << q(0.9) << ",\"p99\":" << q(0.99)
    << ",\"max\":" << q(1) << ",\"mean\":" << mean << "}"
    << ",\"planted_phrases\":" << m.phrases().size() << ",\"planted\":\"planted.csv\"}\n";
  write_text(o.out + "/manifest.json", j.str());

  std::ostringstream r;
  r << "phrase,target_rate,calls,occurrences,observed_rate\n";
  for (std::size_t p = 0; p < m.phrases().size(); ++p) {
    char line[200];
    std::snprintf(line, sizeof line, "%s,%.4f,%llu,%llu,%.4f\n", m.phrases()[p].text.c_str(), m.phrases()[p].rate,
                  static_cast<unsigned long long>(s.phrase_calls[p]), static_cast<unsigned long long>(s.phrase_occ[p]),
                  o.calls ? static_cast<double>(s.phrase_calls[p]) / static_cast<double>(o.calls) : 0.0);
    r << line;
  }
  write_text(o.out + "/planted_rates.csv", r.str());

  if (!o.quiet) {
    const double mb = static_cast<double>(s.bytes.load()) / 1e6;
    std::fprintf(stderr, "\r");
    std::printf("generated %llu calls, %llu files, %.1f MB in %.2f s: %.1f MB/s, %.0f calls/s\n",
                static_cast<unsigned long long>(o.calls), static_cast<unsigned long long>(s.files.load()), mb, seconds,
                mb / seconds, static_cast<double>(o.calls) / seconds);
    std::printf("words per call: min %d p10 %d p25 %d median %d p75 %d p90 %d p99 %d max %d mean %.0f\n", q(0), q(0.1),
                q(0.25), q(0.5), q(0.75), q(0.9), q(0.99), q(1), mean);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) die("cannot read " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void usage(std::FILE* f) {
  std::fputs(
      "usage: callsight_gen_corpus --calls N --out DIR [--seed S] [--format txt|json|both]\n"
      "                            [--phrases FILE] [--big-taxonomy FILE] [--threads T]\n"
      "                            [--wordfreq FILE] [--force] [-q]\n"
      "\n"
      "Writes N synthetic call transcripts to DIR/0000/call-0000001.txt (1,000 files per\n"
      "directory; --format json writes .json, --format both writes DIR/txt/... and DIR/json/...),\n"
      "the planted-phrase ground truth DIR/planted.csv (call_id,phrase,occurrences),\n"
      "DIR/planted_rates.csv and DIR/manifest.json (written last).\n"
      "  --phrases FILE       the planted phrases, one per line, lower-case (may be inside DIR)\n"
      "  --big-taxonomy FILE  a 1,000-phrase taxonomy JSON, and FILE.phrases.txt\n"
      "  --seed S             default 42; output is a function of the seed only\n"
      "  --threads T          default: all cores (does not change the output)\n"
      "  --wordfreq FILE      word<TAB>count list (default: the embedded bench/wordfreq_en.txt)\n"
      "  --force              write into a non-empty DIR\n"
      "  --no-write           generate and render, write no call files (generator speed only)\n",
      f);
}

std::uint64_t parse_u64(const std::string& s, const char* what) {
  std::size_t pos = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(s, &pos, 10);
  } catch (const std::exception&) {
    pos = 0;
  }
  if (pos == 0 || pos != s.size() || s[0] == '-') die(std::string("bad value for ") + what + ": " + s);
  return v;
}

Options parse_args(int argc, char** argv) {
  Options o;
  bool have_calls = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--calls") o.calls = parse_u64(value(), "--calls"), have_calls = true;
    else if (a == "--out") o.out = value();
    else if (a == "--seed") o.seed = parse_u64(value(), "--seed");
    else if (a == "--format") {
      const std::string f = value();
      if (f == "txt") o.format = Format::Txt;
      else if (f == "json") o.format = Format::Json;
      else if (f == "both") o.format = Format::Both;
      else die("--format must be txt, json or both");
    } else if (a == "--phrases") o.phrases_out = value();
    else if (a == "--big-taxonomy") o.taxonomy_out = value();
    else if (a == "--threads") o.threads = static_cast<unsigned>(parse_u64(value(), "--threads"));
    else if (a == "--wordfreq") o.wordfreq = value();
    else if (a == "--force") o.force = true;
    else if (a == "--no-write") o.no_write = true;
    else if (a == "-q" || a == "--quiet") o.quiet = true;
    else if (a == "--version") {
      std::printf("callsight_gen_corpus %s\n", kGeneratorVersion);
      std::exit(0);
    } else if (a == "-h" || a == "--help") {
      usage(stdout);
      std::exit(0);
    } else {
      usage(stderr);
      die("unknown argument: " + a);
    }
  }
  if (!have_calls && o.phrases_out.empty() && o.taxonomy_out.empty()) {
    usage(stderr);
    die("--calls is required");
  }
  if (o.calls > 0 && o.out.empty()) die("--out is required");
  if (o.calls > 9999999) die("--calls is limited to 9,999,999");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  std::string wordfreq;
  if (!o.wordfreq.empty()) {
    wordfreq = read_file(o.wordfreq);
  } else {
#ifdef CALLSIGHT_EMBED_WORDFREQ
    for (const char* part : kEmbeddedWordfreq) wordfreq += part;
#else
    die("no embedded word list in this build: pass --wordfreq bench/wordfreq_en.txt");
#endif
  }
  try {
    std::error_code ec;
    if (o.calls > 0 && fs::exists(o.out) && !fs::is_empty(o.out, ec) && !o.force)
      die(o.out + " is not empty (use --force to write into it anyway)");
    const Model model(o.seed, wordfreq);
    if (!o.phrases_out.empty()) {
      std::string s;
      for (const auto& p : model.phrases()) s += p.text + "\n";
      write_text(o.phrases_out, s);
    }
    if (!o.taxonomy_out.empty()) write_big_taxonomy(model, o.taxonomy_out);
    if (o.calls == 0) return 0;

    fs::create_directories(o.out);
    fs::remove(o.out + "/manifest.json", ec);
    const auto t0 = std::chrono::steady_clock::now();
    Writer w(model, o);
    w.run();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_manifest(model, o, w.stats(), secs);
  } catch (const std::exception& e) {
    die(e.what());
  }
  return 0;
}
