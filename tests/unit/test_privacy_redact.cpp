// Unit tests for src/privacy: what redaction replaces, what it keeps, adversarial
// spellings, idempotence, UTF-8 safety and long inputs.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "callsight/privacy.hpp"

using callsight::PiiKind;
using callsight::redact;
using callsight::RedactionMode;
using callsight::RedactionStats;
using callsight::Redactor;

namespace {

// The redaction of `input` is `expected`, and redacting that again changes nothing.
::testing::AssertionResult redacts_to(std::string_view input, std::string_view expected) {
  const std::string once = redact(input);
  if (once != expected) {
    return ::testing::AssertionFailure() << "redact(\"" << input << "\")\n  got:  \"" << once
                                         << "\"\n  want: \"" << expected << "\"";
  }
  const std::string twice = redact(once);
  if (twice != once) {
    return ::testing::AssertionFailure()
           << "not idempotent: \"" << once << "\" -> \"" << twice << "\"";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult kept(std::string_view input) {
  return redacts_to(input, input);
}

RedactionStats stats_of(std::string_view input) {
  RedactionStats stats;
  redact(input, &stats);
  return stats;
}

} // namespace

// ---------------------------------------------------------------- e-mail

TEST(PrivacyRedactEmail, WrittenAddresses) {
  EXPECT_TRUE(redacts_to("mail john.smith+promo@gmail.com today", "mail [EMAIL] today"));
  EXPECT_TRUE(redacts_to("J.Doe@Example.CO.UK", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("first_last-99@sub.mail-host.org.", "[EMAIL]."));
  EXPECT_TRUE(redacts_to("(mary%x@host.museum)", "([EMAIL])"));
  EXPECT_TRUE(redacts_to("it's johnsmith84@hotmail.com, right", "it's [EMAIL], right"));
  EXPECT_TRUE(redacts_to("5550101234@vtext.com", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("root@localhost", "[EMAIL]"));
}

TEST(PrivacyRedactEmail, SpacedAtSign) {
  EXPECT_TRUE(redacts_to("john @ gmail.com", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("john@ gmail dot com", "[EMAIL]"));
  EXPECT_TRUE(kept("follow us @acme"));
}

TEST(PrivacyRedactEmail, SpokenAddresses) {
  EXPECT_TRUE(redacts_to("it's john dot smith at gmail dot com", "it's [EMAIL]"));
  EXPECT_TRUE(redacts_to("jane underscore d at yahoo dot co dot uk ok", "[EMAIL] ok"));
  EXPECT_TRUE(redacts_to("name at outlook.com", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("it is jsmith at gmail, thanks", "it is [EMAIL], thanks"));
  EXPECT_TRUE(redacts_to("john plus promo at gmail dot com", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("JOHN AT GMAIL DOT COM", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("mary dash ann at hotmail period com", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("john.smith at company dot de", "[EMAIL]"));
  EXPECT_TRUE(redacts_to("spelled j o h n at gmail dot com", "spelled [EMAIL]"));
  EXPECT_TRUE(redacts_to("email me at johnsmith at gmail dot com", "email me at [EMAIL]"));
}

TEST(PrivacyRedactEmail, WebsitesAndOrdinaryAtStay) {
  EXPECT_TRUE(kept("check us out at acme dot com"));
  EXPECT_TRUE(kept("find us at acme.com or visit www.acme.com"));
  EXPECT_TRUE(kept("we're at acme dot com"));
  EXPECT_TRUE(kept("meet me at noon"));
  EXPECT_TRUE(kept("look at the price at checkout"));
  EXPECT_TRUE(kept("at at at @ @"));
  EXPECT_TRUE(kept("the deal at acme dot whatever"));
}

// ---------------------------------------------------------------- cards

TEST(PrivacyRedactCard, LuhnValidGroupings) {
  EXPECT_TRUE(redacts_to("card 4111 1111 1111 1111 exp", "card [CARD] exp"));
  EXPECT_TRUE(redacts_to("4111-1111-1111-1111", "[CARD]"));
  EXPECT_TRUE(redacts_to("4111111111111111", "[CARD]"));
  EXPECT_TRUE(redacts_to("amex 3782 822463 10005", "amex [CARD]"));
  EXPECT_TRUE(redacts_to("5555.5555.5555.4444", "[CARD]"));
  EXPECT_TRUE(redacts_to("4111/1111/1111/1111", "[CARD]"));
  EXPECT_TRUE(redacts_to("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "[CARD]"));
  EXPECT_TRUE(redacts_to("it's 4111 - 1111 - 1111 - 1111.", "it's [CARD]."));
}

TEST(PrivacyRedactCard, SpokenCard) {
  EXPECT_TRUE(
      redacts_to("four one one one, one one one one, one one one one, one one one one", "[CARD]"));
}

TEST(PrivacyRedactCard, LuhnInvalidLookAlikeIsStillALongNumber) {
  EXPECT_TRUE(redacts_to("4111 1111 1111 1112", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("1234-5678-9012-3456", "[NUMBER]"));
  EXPECT_EQ(stats_of("4111 1111 1111 1112")[PiiKind::Card], 0u);
}

TEST(PrivacyRedactCard, CardKeywordLastFour) {
  EXPECT_TRUE(redacts_to("the card ending in 4432", "the card ending in [CARD]"));
  EXPECT_TRUE(redacts_to("card number is 4111 1111 1111 1111", "card number is [CARD]"));
  EXPECT_TRUE(kept("a gift card for 2 people"));
}

// ---------------------------------------------------------------- SSN

TEST(PrivacyRedactSsn, Shapes) {
  EXPECT_TRUE(redacts_to("123-45-6789", "[SSN]"));
  EXPECT_TRUE(redacts_to("it is 123 45 6789.", "it is [SSN]."));
  EXPECT_TRUE(
      redacts_to("my social security number is 123 45 6789", "my social security number is [SSN]"));
  EXPECT_TRUE(redacts_to("SSN: 123456789", "SSN: [SSN]"));
  EXPECT_TRUE(redacts_to("social security number is 123456789", "social security number is [SSN]"));
  EXPECT_TRUE(redacts_to("last four of my social is 6789", "last four of my social is [SSN]"));
  EXPECT_TRUE(redacts_to("social security, one two three four five six seven eight nine",
                         "social security, [SSN]"));
}

TEST(PrivacyRedactSsn, LookAlikes) {
  EXPECT_TRUE(redacts_to("call 123-456-7890", "call [PHONE]")); // 3-3-4 is a phone
  EXPECT_TRUE(redacts_to("987-65-4321", "[NUMBER]"));           // area 9xx is no SSN
  EXPECT_TRUE(redacts_to("000-12-3456", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("123456789", "[NUMBER]")); // no context: just a long number
  EXPECT_TRUE(kept("I saw it on social media in 2019"));
  EXPECT_TRUE(kept("the last 4 of 6789")); // no SSN context
}

// ---------------------------------------------------------------- phones

TEST(PrivacyRedactPhone, WrittenForms) {
  for (const std::string_view phone :
       {"(555) 010-1234", "555-010-1234", "555.010.1234", "+1 555 010 1234", "+44 20 7946 0958",
        "5550101234", "1-800-555-0199", "+1 (555) 010-1234", "15550101234", "020 7946 0958",
        "555/010/1234", "555 - 010 - 1234", "+33 1 23 45 67 89", "555-0101", "(555)010-1234",
        "+1-555-010-1234", "1 (555) 010-1234", "(555)0101234"}) {
    const std::string input = "call " + std::string(phone) + " now";
    EXPECT_TRUE(redacts_to(input, "call [PHONE] now")) << phone;
  }
}

TEST(PrivacyRedactPhone, Extensions) {
  EXPECT_TRUE(redacts_to("555-010-1234 ext. 12 please", "[PHONE] please"));
  EXPECT_TRUE(redacts_to("555-010-1234 x12", "[PHONE]"));
  EXPECT_TRUE(redacts_to("555-010-1234, extension 4", "[PHONE]"));
  EXPECT_TRUE(redacts_to("555-010-1234 extension four two.", "[PHONE]."));
  EXPECT_TRUE(redacts_to("my number's 555 0101 ext 3", "my number's [PHONE]"));
  EXPECT_TRUE(redacts_to("555.010.1234 EXT:77", "[PHONE]"));
}

TEST(PrivacyRedactPhone, AdversarialSplits) {
  EXPECT_TRUE(redacts_to("5 5 5 0 1 0 1 2 3 4", "[PHONE]"));
  EXPECT_TRUE(redacts_to("555. 010. 1234", "[PHONE]"));
  EXPECT_TRUE(redacts_to("415, 555, 0123", "[PHONE]"));
  EXPECT_TRUE(redacts_to("my number is 5 5 5, 0 1 0, 1 2 3 4", "my number is [PHONE]"));
  EXPECT_TRUE(redacts_to("4 1 5 - 5 5 5 - 0 1 2 3", "[PHONE]"));
  EXPECT_TRUE(redacts_to("call 555-010-1234 or 555 010 9999", "call [PHONE] or [PHONE]"));
  EXPECT_TRUE(redacts_to("555-010-1234 555-010-9999", "[PHONE] [PHONE]"));
}

// ---------------------------------------------------------------- spoken digits

TEST(PrivacyRedactSpoken, DigitRuns) {
  EXPECT_TRUE(redacts_to("four one five, five five five, zero one two three", "[PHONE]"));
  EXPECT_TRUE(
      redacts_to("it's four one five five five five zero one two three, bye", "it's [PHONE], bye"));
  EXPECT_TRUE(redacts_to("Four-One-Five-Five-Five-Five-Zero-One-Two-Three", "[PHONE]"));
  EXPECT_TRUE(redacts_to("four one five. five five five. zero one two three.", "[PHONE]."));
  EXPECT_TRUE(redacts_to("one eight hundred five five five oh one nine nine", "[PHONE]"));
  EXPECT_TRUE(redacts_to("double five triple oh one two", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("4 one 5 5", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("five-five-five-oh-one-oh-one", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("it's 415 five five five 0123", "it's [PHONE]"));
  EXPECT_TRUE(redacts_to("five five five oh one oh one ext two", "[PHONE]"));
  EXPECT_TRUE(redacts_to("oh, five five five one two one two", "oh, [NUMBER]"));
  EXPECT_TRUE(redacts_to("the zip is zero zero eight zero five. Oh, I see",
                         "the zip is [NUMBER]. Oh, I see"));
  EXPECT_TRUE(redacts_to("it was 1234567, five five five five", "it was [NUMBER], [NUMBER]"));
}

TEST(PrivacyRedactSpoken, ShortOrNonDigitWordsStay) {
  EXPECT_TRUE(kept("one or two"));
  EXPECT_TRUE(kept("five, six"));
  EXPECT_TRUE(kept("I have one two three of them"));
  EXPECT_TRUE(kept("oh, I see"));
  EXPECT_TRUE(kept("oh oh oh oh"));
  EXPECT_TRUE(kept("twenty five dollars, three days"));
  EXPECT_TRUE(kept("double the price"));
  EXPECT_TRUE(kept("five hundred dollars"));
}

// ---------------------------------------------------------------- accounts

TEST(PrivacyRedactAccount, CodesAfterKeywords) {
  EXPECT_TRUE(redacts_to("account number is AB-77123", "account number is [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("order # 55812", "order # [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("Order#55812.", "Order#[ACCOUNT]."));
  EXPECT_TRUE(redacts_to("confirmation code Q7X92K", "confirmation code [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("my policy number is, uh, 44-5512", "my policy number is, uh, [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("ticket 4471 was closed", "ticket [ACCOUNT] was closed"));
  EXPECT_TRUE(redacts_to("reference: ZX 9921", "reference: [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("case number 5 5 8 1 2", "case number [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("pin 4421", "pin [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("order number 55812 I think", "order number [ACCOUNT] I think"));
  EXPECT_TRUE(redacts_to("invoice number 2019", "invoice number [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("tracking number 1Z999AA10123456784", "tracking number [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("member ID is A12B", "member ID is [ACCOUNT]"));
}

TEST(PrivacyRedactAccount, SpokenAndSpelledCodes) {
  EXPECT_TRUE(redacts_to("order number is five five eight one two", "order number is [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("my account number is a b seven seven one two three",
                         "my account number is [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("account number double five six seven", "account number [ACCOUNT]"));
}

TEST(PrivacyRedactAccount, OrdinaryUseOfKeywordsStays) {
  EXPECT_TRUE(kept("in any case 2019 was great"));
  EXPECT_TRUE(kept("the order is 1500 dollars"));
  EXPECT_TRUE(kept("my order of 2500 units"));
  EXPECT_TRUE(kept("the order was 2 units"));
  EXPECT_TRUE(kept("invoice is 10/05/2026"));
  EXPECT_TRUE(kept("promo code SAVE20"));
  EXPECT_TRUE(kept("account 2 is closed"));
  EXPECT_TRUE(kept("our return policy is 30 days"));
  EXPECT_TRUE(kept("order for 12 boxes"));
}

// ---------------------------------------------------------------- generic numbers

TEST(PrivacyRedactNumber, LongDigitRuns) {
  EXPECT_TRUE(redacts_to("the code is 123456", "the code is [NUMBER]"));
  EXPECT_TRUE(redacts_to("1234567", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("12 34 56", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("12-34-56-78", "[NUMBER]"));
  EXPECT_TRUE(redacts_to("id A1234567 on file", "id [ACCOUNT] on file"));
  EXPECT_TRUE(redacts_to("ref A1234567", "ref [ACCOUNT]"));
  EXPECT_TRUE(redacts_to("serial A1234567", "serial [NUMBER]"));
  EXPECT_TRUE(redacts_to("ZIP+4 94107-1234", "ZIP+[NUMBER]"));
  EXPECT_TRUE(redacts_to("part XR-2000-1500", "part XR-[NUMBER]"));
}

TEST(PrivacyRedactNumber, OrdinaryNumbersStay) {
  EXPECT_TRUE(kept("it costs $129, or 49 dollars, or $1,250.00 in total"));
  EXPECT_TRUE(kept("about $ 1250000 a year"));
  EXPECT_TRUE(kept("we sold 1,250,000 units at 1234.56 each"));
  EXPECT_TRUE(kept("at 10:30 or 9 a.m. on October 5th"));
  EXPECT_TRUE(kept("2026-10-05, 10/05/2026, 10.05.2026, 10/2026 and 10/05"));
  EXPECT_TRUE(kept("in 2019, between 2019-2020"));
  EXPECT_TRUE(kept("2 units, three days, I'm 42, 2 tons"));
  EXPECT_TRUE(kept("call me at 5"));
  EXPECT_TRUE(kept("R-410A and SEER 16, model XR-2000-15"));
  EXPECT_TRUE(kept("my ZIP is 94107"));
  EXPECT_TRUE(kept("15% off, version 2.5, room 12, 3-day sale, 24/7"));
  EXPECT_TRUE(kept("1 800 FLOWERS"));
  EXPECT_TRUE(kept("sizes 10, 12, 14; page 12, line 34, item 56"));
  EXPECT_TRUE(kept("I bought 3 in 2019, 2 in 2020, open 9 to 5, 7 days a week"));
  EXPECT_TRUE(kept("expiring 12/27, born 04/15/1980, the 1990s"));
}

// ---------------------------------------------------------------- text handling

TEST(PrivacyRedactText, Utf8PassesThrough) {
  EXPECT_TRUE(
      redacts_to("Café ☕ – call 555-010-1234 — merci’s", "Café ☕ – call [PHONE] — merci’s"));
  EXPECT_TRUE(redacts_to("日本語 5550101234 テスト", "日本語 [PHONE] テスト"));
  EXPECT_TRUE(redacts_to("à john@x.com é", "à [EMAIL] é"));
  // Unicode dashes and no-break spaces separate digits like their ASCII forms.
  EXPECT_TRUE(redacts_to("555\u2013010\u20131234", "[PHONE]"));
  EXPECT_TRUE(redacts_to("555\u00A0010\u00A01234", "[PHONE]"));
  EXPECT_TRUE(redacts_to("number\u2019s 555 0101 ext 3", "number\u2019s [PHONE]"));
  EXPECT_TRUE(kept("naïve café 12 €"));
  EXPECT_TRUE(kept("€129 and £49"));
}

TEST(PrivacyRedactText, InvalidUtf8DoesNotCrash) {
  const std::string bytes = "\xff\xfe 555-010-1234 \xc3 \xe2\x80 \x80";
  EXPECT_EQ(redact(bytes), "\xff\xfe [PHONE] \xc3 \xe2\x80 \x80");
}

TEST(PrivacyRedactText, LineBreaksEndEveryRule) {
  EXPECT_TRUE(kept("555\n0101"));
  EXPECT_TRUE(kept("john at\ngmail dot com"));
  EXPECT_TRUE(redacts_to("order #\n12345678", "order #\n[NUMBER]"));
}

TEST(PrivacyRedactText, PlaceholdersAreLeftAlone) {
  EXPECT_TRUE(kept("[PHONE] [EMAIL] [CARD] [SSN] [ACCOUNT] [NUMBER]"));
  EXPECT_TRUE(kept("account [ACCOUNT] 1234"));
  EXPECT_TRUE(kept("SSN [SSN] 1234"));
  EXPECT_TRUE(redacts_to("[5550101234]", "[[PHONE]]"));
  EXPECT_TRUE(redacts_to("[PHONE]5550101234", "[PHONE][PHONE]"));
}

TEST(PrivacyRedactText, EmptyAndTiny) {
  EXPECT_EQ(redact(""), "");
  EXPECT_TRUE(kept("a"));
  EXPECT_TRUE(kept("5"));
  EXPECT_TRUE(kept("@"));
  EXPECT_TRUE(kept("("));
  EXPECT_TRUE(kept("+"));
}

// ---------------------------------------------------------------- idempotence

TEST(PrivacyRedactIdempotence, MixedTranscript) {
  const std::string transcript =
      "Agent: Thanks for calling, can I get your account number?\n"
      "Customer: Sure, it's AB-77123. My e-mail is jane underscore d at yahoo dot co dot uk\n"
      "Customer: and my cell is four one five, five five five, zero one two three.\n"
      "Agent: And the card ending in 4432? I also have 4111 1111 1111 1111 on file.\n"
      "Customer: My social is 123 45 6789. I paid $1,250.00 on 10/05/2026 at 10:30.\n"
      "Agent: Order # 55812 ships in 2 days to ZIP 94107; call 1-800-555-0199 ext. 12.\n";
  const std::string once = redact(transcript);
  EXPECT_EQ(redact(once), once);
  EXPECT_EQ(once, "Agent: Thanks for calling, can I get your account number?\n"
                  "Customer: Sure, it's AB-77123. My e-mail is [EMAIL]\n"
                  "Customer: and my cell is [PHONE].\n"
                  "Agent: And the card ending in [CARD]? I also have [CARD] on file.\n"
                  "Customer: My social is [SSN]. I paid $1,250.00 on 10/05/2026 at 10:30.\n"
                  "Agent: Order # [ACCOUNT] ships in 2 days to ZIP 94107; call [PHONE].\n");
}

// Inputs the fuzzer found, kept as regressions.
TEST(PrivacyRedactIdempotence, FuzzRegressions) {
  // A lone 4-digit block after "social security" must not depend on the rest of
  // its run: the 25-digit block next to it is redacted on the first pass.
  EXPECT_TRUE(redacts_to("social security number is between 2019,2222222222222222222226222",
                         "social security number is between [SSN],[NUMBER]"));
  EXPECT_TRUE(redacts_to("social is 2019-5550101234 ok", "social is 2019-[PHONE] ok"));
}

// ---------------------------------------------------------------- API

TEST(PrivacyRedactApi, StatsCountEachKind) {
  const RedactionStats stats =
      stats_of("john@x.com 555-010-1234 4111 1111 1111 1111 123-45-6789 1234567, "
               "five five five five, order # 55812");
  EXPECT_EQ(stats[PiiKind::Email], 1u);
  EXPECT_EQ(stats[PiiKind::Phone], 1u);
  EXPECT_EQ(stats[PiiKind::Card], 1u);
  EXPECT_EQ(stats[PiiKind::Ssn], 1u);
  EXPECT_EQ(stats[PiiKind::Account], 1u);
  EXPECT_EQ(stats[PiiKind::Number], 2u);
  EXPECT_EQ(stats.total(), 7u);
  RedactionStats sum = stats;
  sum += stats;
  EXPECT_EQ(sum.total(), 14u);
  EXPECT_EQ(stats_of("nothing to see, $129").total(), 0u);
}

TEST(PrivacyRedactApi, NamesAndPlaceholders) {
  EXPECT_EQ(callsight::pii_placeholder(PiiKind::Email), "[EMAIL]");
  EXPECT_EQ(callsight::pii_placeholder(PiiKind::Account), "[ACCOUNT]");
  EXPECT_EQ(callsight::pii_kind_name(PiiKind::Ssn), "ssn");
  EXPECT_EQ(callsight::pii_kind_name(PiiKind::Number), "number");
}

TEST(PrivacyRedactApi, ModeOffKeepsText) {
  const std::string text = "call 555-010-1234";
  EXPECT_EQ(redact(text, RedactionMode::Off), text);
  EXPECT_EQ(redact(text, RedactionMode::On), "call [PHONE]");
}

TEST(PrivacyRedactApi, ReusedRedactorAndAppend) {
  Redactor redactor;
  EXPECT_EQ(redactor.redact("a 555-010-1234"), "a [PHONE]");
  EXPECT_EQ(redactor.redact("b john@x.com"), "b [EMAIL]");
  std::string out = "prefix: ";
  RedactionStats stats;
  redactor.redact_into("c 123456", out, &stats);
  EXPECT_EQ(out, "prefix: c [NUMBER]");
  EXPECT_EQ(stats[PiiKind::Number], 1u);
  Redactor moved = std::move(redactor);
  EXPECT_EQ(moved.redact("d 5550101234"), "d [PHONE]");
}

// ---------------------------------------------------------------- long inputs

// Each must run in linear time; the time is measured by the benchmark, here
// they only have to finish and give the expected shape of output.
TEST(PrivacyRedactLong, MegabyteOfDigitsAndAts) {
  const std::size_t size = 1 << 20;
  EXPECT_EQ(redact(std::string(size, '7')), "[NUMBER]");

  std::string ats;
  while (ats.size() < size) {
    ats += "a at b at 5 at ";
  }
  EXPECT_EQ(redact(ats), ats);

  std::string written;
  while (written.size() < size / 4) {
    written += "a@b@";
  }
  EXPECT_EQ(redact(written).rfind("[EMAIL]@[EMAIL]@", 0), 0u);
}

TEST(PrivacyRedactLong, AdversarialRepetitions) {
  constexpr std::size_t size = 1 << 18;
  const auto repeat = [](std::string_view unit) {
    std::string text;
    while (text.size() < size) {
      text += unit;
    }
    return text;
  };
  EXPECT_EQ(redact(repeat("5 ")), "[NUMBER] ");
  EXPECT_EQ(redact(repeat("1-")), "[NUMBER]-");
  EXPECT_EQ(redact(repeat("five, ")).rfind("[NUMBER]", 0), 0u);
  EXPECT_TRUE(kept(repeat("oh ")));
  EXPECT_TRUE(kept(repeat("account REF REF REF ")));
  EXPECT_TRUE(kept(repeat("a dot ")));
  EXPECT_TRUE(kept(repeat("a.b.")));
  std::string dots = "account";
  dots.append(size, '.');
  EXPECT_TRUE(kept(dots));
}

TEST(PrivacyRedactLong, PiecesAreCutAtLineBreaks) {
  // Long inputs are redacted in pieces cut after a line break: the result is the
  // same as redacting line by line.
  const std::string lines[] = {
      "Customer: call me at 555-010-1234 or mail jo@x.io, order # 55812.\n",
      "  four one five, five five five,\r\n",
      "zero one two three at gmail dot com $1,250.00\n",
      "\n",
      "   john dot smith at gmail dot com ssn\n",
      "123456789 (555) 010-1234 ext. 7 \n"};
  std::string text;
  std::string expected;
  for (std::size_t i = 0; text.size() < (200u << 10); ++i) {
    const std::string& line = lines[i % std::size(lines)];
    text += line;
    expected += redact(line);
  }
  EXPECT_EQ(redact(text), expected);
}

TEST(PrivacyRedactLong, LinesLongerThanTheLargestPiece) {
  // A 4 MB line is cut at a space ...
  std::string spaced;
  std::string expected;
  while (spaced.size() < (4200u << 10)) {
    spaced += "0123456789 ";
    expected += "[PHONE] ";
  }
  EXPECT_EQ(redact(spaced), expected);
  // ... or, without one, anywhere: the only case where a number may be split.
  EXPECT_EQ(redact(std::string(4200u << 10, '7')), "[NUMBER][NUMBER]");
}
