// Unit tests for languages: accent folding, the stop-word lists, call and
// per-turn detection (with CLD2 for unlisted languages), per-language taxonomy
// phrases and their matching, --language forcing, and the language mix of a
// Summary through merges and partial files.
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "callsight/aggregate.hpp"
#include "callsight/language.hpp"
#include "callsight/matcher.hpp"
#include "callsight/text.hpp"

using namespace callsight;

namespace {

Call call_of(std::vector<std::string> customer_turns) {
  Call call;
  for (std::string& text : customer_turns) {
    Turn turn;
    turn.role = Role::customer;
    turn.text = std::move(text);
    call.turns.push_back(std::move(turn));
  }
  return call;
}

Taxonomy parsed(std::string_view json) {
  TaxonomyLoadResult result = parse_taxonomy(json);
  EXPECT_FALSE(result.has_errors()) << (result.issues.empty() ? "" : result.issues[0].message);
  return result.taxonomy.value_or(Taxonomy{});
}

std::string folded(std::string_view word) {
  std::string out;
  fold_accents(normalize_text(word), out);
  return out;
}

// Topic ids tagged in a call, with the phrases that hit, "id:phrase ...".
std::string tagged(const CompiledTaxonomy& compiled, const Call& call, TagResult* out = nullptr) {
  Matcher matcher(compiled);
  const TagResult result = matcher.tag(call);
  std::string text;
  for (const TopicHit& hit : result.hits) {
    text += (text.empty() ? "" : " ") + compiled.topics()[hit.topic].id + ":" +
            compiled.patterns()[hit.pattern].text;
  }
  if (out != nullptr) {
    *out = result;
  }
  return text;
}

constexpr std::string_view k_taxonomy = R"({
  "schema_version": 1, "language": "en",
  "topics": [
    {"id": "cancellation", "accent_insensitive": true,
     "phrases": {"en": ["cancel"], "es": ["cancelar"], "fr": ["annulé", "résilier"]}},
    {"id": "strict", "phrases": {"fr": ["été"]}}
  ]})";

const std::string k_spanish =
    "Hola buenos días, quiero cancelar el contrato porque el servicio no funciona y ya estoy "
    "cansado de llamar todos los días para lo mismo.";
const std::string k_english =
    "Hello, yes, my wife asked me to call you because we would like to cancel the plan that we "
    "have with you at the moment.";

} // namespace

TEST(Language, FoldsAccentsAndCaseTheSameWay) {
  EXPECT_EQ(folded("annulé"), "annule");
  EXPECT_EQ(folded("ANNULÉ"), "annule");
  EXPECT_EQ(folded("ANNULE"), "annule");
  EXPECT_EQ(folded("Ça"), "ca");
  EXPECT_EQ(folded("e\xCC\x81t\xC3\xA9"), "ete"); // decomposed and composed é
  EXPECT_EQ(folded("cancel"), "cancel");
}

TEST(Language, StopwordListsShipForSevenLanguages) {
  const auto languages = stopword_list_languages();
  ASSERT_EQ(languages.size(), k_stopword_lists);
  for (std::string_view code : languages) {
    EXPECT_FALSE(builtin_stopwords(code).empty()) << code;
  }
  EXPECT_TRUE(builtin_stopwords("ru").empty());
  const StopwordIndex& index = StopwordIndex::built_in();
  EXPECT_EQ(index.mask("the"), 1u);                  // English only
  EXPECT_EQ(index.mask("pas") & (1u << 2), 1u << 2); // French
  EXPECT_NE(index.mask("de") & (1u << 1), 0u);       // Spanish, shared
  EXPECT_NE(index.mask("de") & (1u << 2), 0u);       // and French
  EXPECT_EQ(index.mask("cancel"), 0u);
  EXPECT_EQ(language_code("spanish"), "es");
  EXPECT_EQ(language_code("porter"), "porter");
}

TEST(Language, DetectsEachListedLanguage) {
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(parsed(k_taxonomy));
  const std::vector<std::pair<std::string, std::string>> samples = {
      {"en", k_english},
      {"es", k_spanish},
      {"fr", "Bonjour, je voudrais savoir pourquoi ma facture est plus élevée ce mois-ci, "
             "je ne comprends pas du tout ce qui se passe avec mon compte."},
      {"de", "Guten Tag, ich habe eine Frage zu meiner Rechnung, weil der Betrag in diesem "
             "Monat nicht stimmt und ich das nicht verstehe."},
      {"pt", "Bom dia, eu queria saber por que a minha conta veio mais alta este mês, não "
             "entendo o que aconteceu com o meu plano."},
      {"it", "Buongiorno, vorrei sapere perché la mia bolletta è più alta questo mese, non "
             "capisco cosa è successo con il mio contratto."},
      {"nl", "Goedemiddag, ik wil graag weten waarom mijn rekening deze maand hoger is, ik "
             "begrijp niet wat er met mijn abonnement is gebeurd."},
  };
  for (const auto& [code, text] : samples) {
    TagResult result;
    tagged(compiled, call_of({text}), &result);
    EXPECT_EQ(result.language.language, code) << text;
    EXPECT_TRUE(result.language.reliable) << code;
    EXPECT_GT(result.language.confidence, 0.3) << code;
    EXPECT_TRUE(result.language.languages.empty()) << code;
  }
}

TEST(Language, UnlistedLanguageGoesToCld2AndShortCallsFallBack) {
  const TextLanguage russian = detect_text_language(
      "Здравствуйте, я хотел бы узнать, почему мой счёт в этом месяце стал больше, чем обычно, "
      "и что мне теперь делать с этим договором.");
  EXPECT_EQ(russian.language, "ru");
  EXPECT_TRUE(russian.reliable);
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(parsed(k_taxonomy));
  TagResult result;
  tagged(compiled,
         call_of({"Здравствуйте, я хотел бы узнать, почему мой счёт в этом месяце стал больше, "
                  "чем обычно, и что мне теперь делать с этим договором."}),
         &result);
  EXPECT_EQ(result.language.language, "ru");
  EXPECT_TRUE(result.language.reliable);
  EXPECT_EQ(tagged(compiled, call_of({"Hola, cancel"}), &result), "cancellation:cancel");
  EXPECT_EQ(result.language.language, "en"); // too short: the taxonomy's language
  EXPECT_FALSE(result.language.reliable);
}

TEST(Language, CallSwitchingFromSpanishToEnglishIsTaggedInBoth) {
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(parsed(k_taxonomy));
  TagResult result;
  EXPECT_EQ(tagged(compiled, call_of({k_spanish, k_english}), &result),
            "cancellation:cancelar cancellation:cancel");
  ASSERT_EQ(result.language.languages.size(), 2u);
  std::set<std::string> languages = {result.language.languages[0].language,
                                     result.language.languages[1].language};
  EXPECT_EQ(languages, (std::set<std::string>{"en", "es"}));
  EXPECT_EQ(result.language.languages[0].words + result.language.languages[1].words, result.words);
  // Either half alone is one language: no mix.
  tagged(compiled, call_of({k_spanish, k_spanish}), &result);
  EXPECT_EQ(result.language.language, "es");
  EXPECT_TRUE(result.language.languages.empty());
}

TEST(Language, AccentInsensitiveTopicsMatchEveryFolding) {
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(parsed(k_taxonomy));
  for (const char* word : {"annulé", "ANNULÉ", "ANNULE", "annule", "RESILIER"}) {
    const std::string text = std::string("Bonjour, mon abonnement est ") + word +
                             " depuis une semaine et je ne sais pas pourquoi on a fait ça.";
    EXPECT_NE(tagged(compiled, call_of({text})).find("cancellation:"), std::string::npos) << word;
  }
  // "strict" does not fold: "ÉTÉ" matches (case folds), "ete" does not.
  const std::string summer = "Bonjour, je suis parti cet ÉTÉ et je voudrais savoir ce qui se "
                             "passe avec mon compte depuis.";
  EXPECT_EQ(tagged(compiled, call_of({summer})), "strict:été");
  std::string plain = summer;
  plain.replace(plain.find("ÉTÉ"), std::string("ÉTÉ").size(), "ete");
  EXPECT_EQ(tagged(compiled, call_of({plain})), "");
}

TEST(Language, NegatorsFollowTheTurnsLanguage) {
  const CompiledTaxonomy compiled = CompiledTaxonomy::compile(parsed(k_taxonomy));
  TagResult result;
  EXPECT_EQ(tagged(compiled,
                   call_of({"Hola, no quiero cancelar nada, solo quería saber si el precio va a "
                            "cambiar el mes que viene para todos los clientes."}),
                   &result),
            "");
  EXPECT_EQ(result.language.language, "es");
}

TEST(Language, ForcedLanguageSkipsDetection) {
  const Taxonomy taxonomy = parsed(k_taxonomy);
  const CompiledTaxonomy forced = CompiledTaxonomy::compile(taxonomy, "es");
  EXPECT_EQ(forced.forced_language(), "es");
  EXPECT_EQ(forced.stemmer_language(), "english"); // es has phrases: lane 0 stays
  TagResult result;
  // English text in the Spanish lane: "cancel" has the stem of "cancelar".
  EXPECT_EQ(tagged(forced, call_of({k_english}), &result), "cancellation:cancelar");
  EXPECT_EQ(result.language.language, "es");
  EXPECT_TRUE(result.language.forced);
  // A forced language without phrases reads the taxonomy's own phrases in it.
  const CompiledTaxonomy german = CompiledTaxonomy::compile(taxonomy, "de");
  EXPECT_EQ(german.stemmer_language(), "german");
  EXPECT_EQ(german.lanes().size(), 3u);
}

TEST(Language, TaxonomyPhrasesPerLanguageAreValidated) {
  const Taxonomy taxonomy = parsed(k_taxonomy);
  ASSERT_EQ(taxonomy.topics.size(), 2u);
  EXPECT_EQ(taxonomy.topics[0].phrases, std::vector<std::string>{"cancel"});
  ASSERT_EQ(taxonomy.topics[0].translations.size(), 2u);
  EXPECT_EQ(taxonomy.topics[0].translations[0].language, "es");
  EXPECT_TRUE(taxonomy.topics[0].accent_insensitive);
  EXPECT_FALSE(taxonomy.topics[1].accent_insensitive);
  EXPECT_TRUE(taxonomy.topics[1].phrases.empty());

  const TaxonomyLoadResult bad = parse_taxonomy(R"({"schema_version": 1, "language": "tlh",
    "accent_insensitive": "yes",
    "topics": [{"id": "a", "phrases": {"en": ["x"], "xx": ["y"], "es": []}}]})");
  ASSERT_EQ(bad.issues.size(), 4u);
  EXPECT_EQ(bad.issues[0].message.substr(0, 26), "unknown language \"tlh\" (kn");
  EXPECT_EQ(bad.issues[1].message, "\"accent_insensitive\" must be true or false, not \"yes\"");
  EXPECT_EQ(bad.issues[2].message.substr(0, 36), "topic \"a\": unknown language \"xx\" (kn");
  EXPECT_EQ(bad.issues[3].message, "topic \"a\": \"phrases\" is empty; add at least one phrase");
}

TEST(Language, SummaryLanguageMixMergesAndRoundTrips) {
  Summary a(1, {"campaign"});
  Summary b(1, {"campaign"});
  auto call = [](std::string language, std::string campaign) {
    CallResult result;
    result.tags.language.language = std::move(language);
    result.group_values = {std::move(campaign)};
    return result;
  };
  a.add(call("en", "spring"));
  a.add(call("es", "spring"));
  b.add(call("es", "fall"));
  b.add(call("", "fall"));
  a += b;
  EXPECT_EQ(a.totals().languages, (LanguageCounts{{"en", 1}, {"es", 2}, {"und", 1}}));
  EXPECT_EQ(a.groups(0).at("spring").languages, (LanguageCounts{{"en", 1}, {"es", 1}}));
  PartialFingerprint fingerprint;
  fingerprint.group_by = {"campaign"};
  fingerprint.language = "es";
  std::ostringstream out;
  write_partial_summary(out, a, ShardSpec{}, fingerprint);
  std::string error;
  const std::optional<PartialSummary> back = parse_partial_summary(out.str(), error);
  ASSERT_TRUE(back) << error;
  EXPECT_TRUE(back->summary == a);
  EXPECT_EQ(back->fingerprint.language, "es");
}
