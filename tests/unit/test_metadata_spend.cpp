// Unit tests for the spend CSV: header roles, totals per group, period filters, errors.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "callsight/metadata.hpp"

using callsight::SpendTable;
using Names = std::vector<std::string>;

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::filesystem::path k_fixtures =
    std::filesystem::path(CALLSIGHT_TEST_FIXTURES) / "metadata";

SpendTable load(std::string_view text) {
  std::string error = "stale";
  std::optional<SpendTable> table = SpendTable::parse(text, error);
  EXPECT_TRUE(table.has_value()) << error;
  EXPECT_EQ(error, "");
  return table ? std::move(*table) : SpendTable();
}

std::string load_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(SpendTable::parse(text, error).has_value()) << text;
  return error;
}

SpendTable sample() {
  return load(read_text(std::filesystem::path(CALLSIGHT_SOURCE_DIR) / "data" / "spend.csv"));
}

} // namespace

TEST(SpendTable, SampleTotalsPerCampaign) {
  const SpendTable table = sample();
  EXPECT_EQ(table.dimension(), "campaign");
  EXPECT_EQ(table.currency(), "USD");
  EXPECT_EQ(table.groups(), (Names{"fall_tuneup_search", "furnace_social", "tv_spot_q4",
                                   "morning_radio", "mailer_oct", "referral_program"}));
  EXPECT_EQ(table.periods(), (Names{"2026-10", "2026-11"}));
  EXPECT_EQ(table.spend_cents("fall_tuneup_search"), 842000);
  EXPECT_EQ(table.spend_cents("furnace_social"), 562500);
  EXPECT_EQ(table.spend_cents("tv_spot_q4"), 3270000);
  EXPECT_EQ(table.spend_cents("morning_radio"), 1360000);
  EXPECT_EQ(table.spend_cents("mailer_oct"), 892000);
  EXPECT_EQ(table.spend_cents("referral_program"), 25000);
  // organic has no rows: unknown spend, not zero.
  EXPECT_EQ(table.spend_cents("organic"), std::nullopt);
  EXPECT_EQ(table.spend_cents(""), std::nullopt);
  EXPECT_EQ(table.spend_cents("TV_SPOT_Q4"), std::nullopt);
}

TEST(SpendTable, SamplePeriods) {
  const SpendTable table = sample();
  EXPECT_EQ(table.spend_cents("tv_spot_q4", "2026-10"), 1850000);
  EXPECT_EQ(table.spend_cents("tv_spot_q4", "2026-11"), 1420000);
  EXPECT_EQ(table.spend_cents("tv_spot_q4", "2026"), 3270000);
  // A recorded zero is a known zero.
  EXPECT_EQ(table.spend_cents("mailer_oct", "2026-11"), 0);
  EXPECT_EQ(table.spend_cents("mailer_oct", "2026-12"), std::nullopt);
  EXPECT_EQ(table.spend_cents("organic", "2026-10"), std::nullopt);
}

TEST(SpendTable, PeriodPrefixEndsAtAComponent) {
  const SpendTable table = load("campaign,period,spend\n"
                                "a,2026-10-05,10\n"
                                "a,2026-10-19,20\n"
                                "a,2026-1,1000\n"
                                "a,2026-100,5000\n"
                                "a,2026-11,300\n"
                                "a,2026-W43,7\n"
                                "a,2026-10T00:00,40000\n"
                                "a,,90000\n");
  EXPECT_EQ(table.spend_cents("a", "2026-10"), 4003000);
  EXPECT_EQ(table.spend_cents("a", "2026-10-05"), 1000);
  EXPECT_EQ(table.spend_cents("a", " 2026-1 "), 100000);
  EXPECT_EQ(table.spend_cents("a", "2026-W43"), 700);
  EXPECT_EQ(table.spend_cents("a", "2026-10-0"), std::nullopt);
  // Every dated row, but not the undated one.
  EXPECT_EQ(table.spend_cents("a", "2026"), 4633700);
  EXPECT_EQ(table.spend_cents("a"), 13633700);
  EXPECT_EQ(table.periods(), (Names{"2026-10-05", "2026-10-19", "2026-1", "2026-100", "2026-11",
                                    "2026-W43", "2026-10T00:00"}));
}

TEST(SpendTable, NoPeriodColumn) {
  const SpendTable table = load("Source,Cost\ngoogle,\"$1,250.00\"\nradio,300\ngoogle,-50\n");
  EXPECT_EQ(table.dimension(), "source");
  EXPECT_EQ(table.currency(), "");
  EXPECT_TRUE(table.periods().empty());
  EXPECT_EQ(table.spend_cents("google"), 120000); // a credit row subtracts
  EXPECT_EQ(table.spend_cents(" radio "), 30000);
  EXPECT_EQ(table.spend_cents("radio", "2026-10"), std::nullopt);
}

TEST(SpendTable, HeaderAliasesAndRoles) {
  // The first column is canonicalized with the call-log aliases; the rest are
  // the spend file's own roles; unknown columns are ignored.
  const SpendTable table = load("UTM Campaign,Notes,Month,Budget,Currency\n"
                                "spring,first,2026-03,100,eur\n"
                                "spring,,2026-04,50.5,\n");
  EXPECT_EQ(table.dimension(), "campaign");
  EXPECT_EQ(table.currency(), "EUR");
  EXPECT_EQ(table.spend_cents("spring"), 15050);
  EXPECT_EQ(table.spend_cents("spring", "2026-04"), 5050);

  // A column literally named spend wins over an earlier alias.
  const SpendTable literal = load("agent,amount,cost,spend,date,period\nMaria,1,2,3,x,2026-10\n");
  EXPECT_EQ(literal.dimension(), "agent");
  EXPECT_EQ(literal.spend_cents("Maria"), 300);
  EXPECT_EQ(literal.periods(), (Names{"2026-10"}));
  // Without it, the first alias.
  const SpendTable first = load("Keyword,Cost,Amount,Week\nfurnace,4,5,2026-W40\n");
  EXPECT_EQ(first.dimension(), "keyword");
  EXPECT_EQ(first.spend_cents("furnace", "2026-W40"), 400);
}

TEST(SpendTable, RepeatedRowsAddUp) {
  const SpendTable table = load("campaign,period,spend\nx,2026-10,1\nx,2026-10,2\ny,2026-10,4\n");
  EXPECT_EQ(table.spend_cents("x", "2026-10"), 300);
  EXPECT_EQ(table.groups(), (Names{"x", "y"}));
}

TEST(SpendTable, BlankRowsAreSkipped) {
  const SpendTable table = load("campaign,spend\r\na,1\r\n,\r\n , \r\n\r\nb,2\r\n,,\n");
  EXPECT_EQ(table.groups(), (Names{"a", "b"}));
}

TEST(SpendTable, MixedCurrencyError) {
  EXPECT_EQ(load_error(read_text(k_fixtures / "spend_mixed_currency.csv")),
            "line 4: currency EUR differs from USD on line 2; a spend file holds one currency");
}

TEST(SpendTable, BadAmountErrorNamesTheLine) {
  EXPECT_EQ(load_error(read_text(k_fixtures / "spend_bad_amount.csv")),
            "line 6: spend 'abc' is not an amount");
  EXPECT_EQ(load_error("campaign,spend\na,1\nb,\n"), "line 3: spend '' is not an amount");
  EXPECT_EQ(load_error("campaign,spend\na,\"12,50\"\n"), "line 2: spend '12,50' is not an amount");
}

TEST(SpendTable, HeaderErrors) {
  EXPECT_EQ(load_error(""), "line 1: the spend file needs a group column (campaign, source ...) "
                            "and a spend column");
  EXPECT_EQ(load_error("campaign,period\na,2026-10\n"),
            "line 1: the spend file needs a spend column (or cost, amount, budget) (headers: "
            "campaign, period)");
  EXPECT_EQ(load_error("Month,campaign,spend\n2026-10,a,1\n"),
            "line 1: the first column names the group (campaign, source ...), not 'Month'");
  EXPECT_EQ(load_error("spend,campaign\n1,a\n"),
            "line 1: the first column names the group (campaign, source ...), not 'spend'");
  EXPECT_EQ(load_error(" ,spend\na,1\n"),
            "line 1: the first column names the group (campaign, source ...), not ''");
}

TEST(SpendTable, RowErrors) {
  EXPECT_EQ(load_error("campaign,spend\na,1\n,2\n"), "line 3: empty campaign");
  EXPECT_EQ(load_error("source,spend\na,1,9\n"), "line 2: expected 2 fields, found 3");
  EXPECT_EQ(load_error("source,spend\na,\"1\n"), "line 2: unterminated quoted field");
  EXPECT_EQ(load_error("source,spend\na,92233720368547758.07\na,0.01\n"),
            "line 3: spend of a adds up past the largest amount");
  EXPECT_EQ(load_error("source,spend\na,92233720368547758.07\na,-0.01\n"),
            "line 3: spend of a adds up past the largest amount");
}
