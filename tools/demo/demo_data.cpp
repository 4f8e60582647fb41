#include "demo_data.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <cstdio>

#include "pmo/common/proto_convert.h"
#include "services/benefits/domain/registration.h"
#include "pmo/common/kafka.h"

namespace pmo::demo {
namespace {

namespace iv1 = intake::v1;
namespace ov1 = okr::v1;
namespace bv1 = benefits::v1;
namespace sv1 = scoring::v1;
using calendar::Date;
using calendar::Quarter;

constexpr char kCurrency[] = "EUR";
constexpr int64_t kThousand = 1000 * 100;  // EUR 1,000 in minor units

// ---- the story, as tables ------------------------------------------------------

struct ObjectiveSpec {
  const char* id;
  const char* parent;
  ov1::Level level;
  const char* title;
  const char* owner;
  double priority;
};

constexpr ObjectiveSpec kObjectives[] = {
    {"obj-company", "", ov1::LEVEL_COMPANY, "Grow profitable digital revenue", "CEO", 1.0},
    {"obj-customers", "obj-company", ov1::LEVEL_PORTFOLIO, "Win and keep digital customers", "Chief Customer Officer",
     0.9},
    {"obj-efficiency", "obj-company", ov1::LEVEL_PORTFOLIO, "Run operations at a lower cost to serve", "COO", 0.7},
    {"obj-compliance", "obj-company", ov1::LEVEL_PORTFOLIO, "Stay compliant and secure", "CRO", 0.8},
    {"obj-onboarding", "obj-customers", ov1::LEVEL_PROGRAM, "Onboarding customers can do themselves", "Head of Digital",
     0.9},
    {"obj-engagement", "obj-customers", ov1::LEVEL_PROGRAM, "Personalised engagement that keeps customers",
     "Head of CRM", 0.6},
    {"obj-backoffice", "obj-efficiency", ov1::LEVEL_PROGRAM, "Automate the back office", "Head of Operations", 0.7},
    {"obj-data", "obj-efficiency", ov1::LEVEL_PROGRAM, "A modern, trusted data platform", "Chief Data Officer", 0.5},
    {"obj-security", "obj-compliance", ov1::LEVEL_PROGRAM, "Security and regulatory readiness", "CISO", 0.8},
};

struct KeyResultSpec {
  const char* id;
  const char* objective;
  const char* metric;
  const char* unit;
  double baseline, target;
  const char* owner;
};

constexpr KeyResultSpec kKeyResults[] = {
    {"kr-digital-revenue", "obj-company", "Digital share of revenue", "%", 22, 40, "CFO"},
    {"kr-nps", "obj-customers", "Net promoter score", "points", 18, 35, "Chief Customer Officer"},
    {"kr-onboarding-time", "obj-onboarding", "Median onboarding time", "minutes", 45, 10, "Head of Digital"},
    {"kr-self-service", "obj-onboarding", "Self-service share of sign-ups", "%", 30, 70, "Head of Digital"},
    {"kr-churn", "obj-engagement", "Monthly churn", "%", 2.4, 1.6, "Head of CRM"},
    {"kr-cross-sell", "obj-engagement", "Products per customer", "products", 1.3, 1.8, "Head of CRM"},
    {"kr-cost-to-serve", "obj-efficiency", "Cost to serve per customer", "EUR/year", 38, 28, "COO"},
    {"kr-manual-touches", "obj-backoffice", "Manual touches per order", "touches", 4.2, 1.5, "Head of Operations"},
    {"kr-invoice-cycle", "obj-backoffice", "Invoice cycle time", "days", 12, 4, "Head of Finance Ops"},
    {"kr-data-freshness", "obj-data", "Data freshness of the warehouse", "hours", 24, 1, "Chief Data Officer"},
    {"kr-audit-findings", "obj-security", "Open audit findings", "findings", 14, 2, "CRO"},
    {"kr-mfa-coverage", "obj-security", "Accounts with MFA", "%", 55, 100, "CISO"},
};

struct InitiativeSpec {
  const char* slug;
  const char* title;
  iv1::Stage stage;               // where the seed leaves it
  const char* key_result;         // main contribution
  const char* second_key_result;  // "" for none
  int start;                      // quarters from today's quarter
  int quarters;                   // duration
  int cost_k;                     // EUR thousands per quarter
  const char* skill;              // main skill; "data" or "design" work comes with engineering
  double value, urgency, risk, size;  // ratings: 1–10, 1–10, 1–5 (lower is better), 1–10
  // the benefit promised
  iv1::BenefitCategory category;
  const char* metric;
  const char* unit;
  double baseline, target;
  int64_t value_per_unit_eur;  // financial benefits only
  BenefitStory story;
  iv1::Methodology methodology;
};

using S = iv1::Stage;
constexpr auto kFin = iv1::BENEFIT_CATEGORY_FINANCIAL;
constexpr auto kOps = iv1::BENEFIT_CATEGORY_OPERATIONAL;
constexpr auto kCus = iv1::BENEFIT_CATEGORY_CUSTOMER;
constexpr auto kStr = iv1::BENEFIT_CATEGORY_STRATEGIC;
constexpr auto kAgile = iv1::METHODOLOGY_AGILE;
constexpr auto kWater = iv1::METHODOLOGY_WATERFALL;
constexpr auto kHybrid = iv1::METHODOLOGY_HYBRID;
constexpr auto kNo = BenefitStory::kNone;
constexpr auto kOk = BenefitStory::kHealthy;
constexpr auto kErode = BenefitStory::kEroding;
constexpr auto kOff = BenefitStory::kOffTrack;

// In processing order: those whose path goes past ACTIVE first (they leave the
// commitments before the next approval), then the ones that stay committed, then the
// rest of the funnel.
constexpr InitiativeSpec kInitiatives[] = {
    // past ACTIVE
    {"legacy-fax-retirement", "Retire the legacy fax gateway", S::STAGE_CLOSED, "kr-cost-to-serve", "", -5, 2, 60,
     "engineering", 4, 3, 1, 2, kFin, "Fax gateway running cost", "kEUR/quarter", 45, 0, 1000, kOk, kWater},
    {"web-redesign", "Website redesign", S::STAGE_SUSTAINING, "kr-nps", "kr-digital-revenue", -5, 3, 180, "design", 7,
     5, 2, 5, kCus, "Web conversion rate", "%", 1.8, 3.0, 0, kOk, kAgile},
    {"ticket-routing", "Smart ticket routing", S::STAGE_SUSTAINING, "kr-cost-to-serve", "", -4, 2, 90, "data", 6, 4, 2,
     3, kOps, "Tickets resolved at first contact", "%", 52, 70, 0, kOk, kAgile},
    {"online-payments", "Online payments", S::STAGE_DELIVERED, "kr-digital-revenue", "", -4, 3, 220, "engineering", 8, 7,
     3, 6, kFin, "Online payment volume", "MEUR/quarter", 4, 9, 2000, kOk, kHybrid},
    {"document-scanning", "Document scanning with OCR", S::STAGE_DELIVERED, "kr-manual-touches", "", -4, 2, 70, "data",
     5, 4, 2, 3, kOps, "Documents keyed by hand", "%", 64, 15, 0, kOk, kAgile},
    {"password-reset", "Self-service password reset", S::STAGE_DELIVERED, "kr-cost-to-serve", "kr-mfa-coverage", -3, 2,
     40, "engineering", 5, 6, 1, 2, kOps, "Password reset calls", "calls/week", 900, 150, 0, kOk, kAgile},
    {"mainframe-rewrite", "Mainframe core rewrite", S::STAGE_STOPPED, "kr-cost-to-serve", "", -3, 6, 600,
     "engineering", 6, 3, 5, 10, kFin, "Mainframe MIPS cost", "kEUR/quarter", 900, 400, 1000, kOff, kWater},
    {"branch-kiosks", "Branch self-service kiosks", S::STAGE_PAUSED, "kr-self-service", "", -2, 4, 120, "design", 4, 3,
     3, 5, kCus, "Kiosk sign-ups", "sign-ups/month", 0, 800, 0, kOff, kWater},
    {"social-commerce", "Social commerce storefront", S::STAGE_PIVOTING, "kr-digital-revenue", "kr-nps", -2, 4, 150,
     "design", 6, 5, 4, 6, kFin, "Social channel revenue", "kEUR/quarter", 0, 600, 1000, kOff, kAgile},
    // stay ACTIVE
    {"self-service-portal", "Self-service onboarding portal", S::STAGE_ACTIVE, "kr-onboarding-time", "kr-self-service",
     -2, 4, 260, "engineering", 9, 8, 2, 6, kCus, "Median onboarding time", "minutes", 45, 12, 0, kOk, kAgile},
    {"mobile-app-v3", "Mobile app 3.0", S::STAGE_ACTIVE, "kr-nps", "kr-digital-revenue", -2, 5, 300, "design", 8, 6, 3,
     7, kCus, "Monthly active app users", "thousand users", 120, 200, 0, kOk, kAgile},
    {"crm-consolidation", "CRM consolidation", S::STAGE_ACTIVE, "kr-cost-to-serve", "kr-cross-sell", -2, 4, 280,
     "engineering", 7, 5, 3, 7, kFin, "CRM licence cost", "kEUR/quarter", 420, 260, 1000, kErode, kWater},
    {"invoice-automation", "Invoice automation", S::STAGE_ACTIVE, "kr-invoice-cycle", "kr-manual-touches", -2, 3, 150,
     "engineering", 7, 7, 2, 4, kOps, "Invoice cycle time", "days", 12, 5, 0, kErode, kAgile},
    {"churn-model", "Churn prediction model", S::STAGE_ACTIVE, "kr-churn", "", -1, 3, 110, "data", 8, 6, 3, 4, kCus,
     "Monthly churn of scored customers", "%", 2.4, 1.8, 0, kErode, kAgile},
    {"data-lakehouse", "Data lakehouse", S::STAGE_ACTIVE, "kr-data-freshness", "", -2, 5, 320, "data", 6, 4, 4, 8, kOps,
     "Warehouse data freshness", "hours", 24, 2, 0, kOk, kHybrid},
    {"mfa-rollout", "MFA everywhere", S::STAGE_ACTIVE, "kr-mfa-coverage", "kr-audit-findings", -1, 3, 90, "engineering",
     7, 9, 2, 3, kStr, "Accounts with MFA", "%", 55, 100, 0, kOk, kAgile},
    {"order-orchestration", "Order orchestration", S::STAGE_ACTIVE, "kr-manual-touches", "", -2, 4, 210, "engineering",
     7, 5, 3, 6, kOps, "Manual touches per order", "touches", 4.2, 2.0, 0, kOk, kHybrid},
    {"personalisation-engine", "Personalisation engine", S::STAGE_ACTIVE, "kr-cross-sell", "", -2, 4, 240, "data", 7, 4,
     4, 7, kFin, "Cross-sell revenue", "kEUR/quarter", 150, 450, 1000, kOff, kAgile},
    {"kyc-remediation", "KYC remediation", S::STAGE_ACTIVE, "kr-audit-findings", "", -1, 3, 130, "change", 6, 10, 2, 4,
     kStr, "Open KYC findings", "findings", 14, 3, 0, kOk, kWater},
    {"service-chatbot", "Service chatbot", S::STAGE_ACTIVE, "kr-cost-to-serve", "kr-self-service", -1, 3, 120, "data", 6,
     5, 3, 4, kOps, "Contacts handled by the bot", "%", 5, 35, 0, kOk, kAgile},
    {"dynamic-pricing", "Dynamic pricing", S::STAGE_ACTIVE, "kr-digital-revenue", "", -1, 4, 170, "data", 8, 5, 4, 5,
     kFin, "Online gross margin", "%", 18, 22, 0, kOk, kAgile},
    {"partner-sso", "Partner single sign-on", S::STAGE_ACTIVE, "kr-mfa-coverage", "", -1, 2, 60, "engineering", 5, 6, 1,
     2, kStr, "Partner logins through SSO", "%", 0, 80, 0, kOk, kAgile},
    {"field-service-app", "Field service app", S::STAGE_ACTIVE, "kr-cost-to-serve", "", -1, 3, 140, "design", 6, 4, 2,
     4, kOps, "Jobs per technician per day", "jobs", 3.5, 4.5, 0, kOk, kAgile},
    // APPROVED, starting next quarter
    {"e-signature", "E-signature for contracts", S::STAGE_APPROVED, "kr-onboarding-time", "", 1, 2, 80, "engineering",
     6, 6, 1, 3, kCus, "Contracts signed the same day", "%", 35, 85, 0, kNo, kAgile},
    {"loyalty-programme", "Loyalty programme", S::STAGE_APPROVED, "kr-churn", "kr-cross-sell", 1, 3, 190, "design", 7,
     4, 3, 6, kFin, "Revenue from members", "kEUR/quarter", 0, 900, 1000, kNo, kHybrid},
    {"api-gateway", "Partner API gateway", S::STAGE_APPROVED, "kr-digital-revenue", "", 1, 3, 160, "engineering", 6, 5,
     2, 5, kFin, "Partner API revenue", "kEUR/quarter", 20, 250, 1000, kNo, kAgile},
    {"audit-trail", "Tamper-proof audit trail", S::STAGE_APPROVED, "kr-audit-findings", "", 1, 2, 70, "engineering", 5,
     8, 2, 3, kStr, "Audit evidence requests answered in a day", "%", 40, 95, 0, kNo, kWater},
    {"demand-forecasting", "Demand forecasting", S::STAGE_APPROVED, "kr-cost-to-serve", "", 1, 3, 120, "data", 6, 4, 3,
     4, kOps, "Forecast error", "%", 28, 12, 0, kNo, kAgile},
    // the funnel
    {"voice-of-customer", "Voice of the customer analytics", S::STAGE_IN_REVIEW, "kr-nps", "", 1, 3, 110, "data", 6, 4,
     2, 4, kCus, "Complaints answered within 48 h", "%", 60, 90, 0, kNo, kAgile},
    {"warehouse-robotics", "Warehouse robotics pilot", S::STAGE_IN_REVIEW, "kr-manual-touches", "", 1, 4, 380,
     "engineering", 8, 3, 4, 9, kOps, "Picks per hour", "picks", 90, 160, 0, kNo, kWater},
    {"data-catalogue", "Enterprise data catalogue", S::STAGE_IN_REVIEW, "kr-data-freshness", "", 1, 2, 70, "data", 4,
     3, 1, 2, kOps, "Datasets with an owner", "%", 30, 90, 0, kNo, kAgile},
    {"zero-trust-network", "Zero-trust network", S::STAGE_IN_REVIEW, "kr-audit-findings", "kr-mfa-coverage", 1, 4, 230,
     "engineering", 7, 7, 3, 7, kStr, "Flat network segments", "segments", 40, 5, 0, kNo, kHybrid},
    {"marketplace-integration", "Marketplace integration", S::STAGE_SUBMITTED, "kr-digital-revenue", "", 1, 3, 140,
     "engineering", 7, 5, 3, 5, kFin, "Marketplace revenue", "kEUR/quarter", 0, 500, 1000, kNo, kAgile},
    {"rpa-finance", "Robotic process automation in finance", S::STAGE_SUBMITTED, "kr-invoice-cycle", "", 1, 2, 90,
     "change", 5, 5, 2, 3, kOps, "Finance hours on manual entry", "hours/week", 320, 120, 0, kNo, kAgile},
    {"customer-360", "Customer 360 view", S::STAGE_SUBMITTED, "kr-cross-sell", "kr-churn", 1, 4, 260, "data", 8, 4, 3, 7,
     kCus, "Agents with a full customer view", "%", 10, 90, 0, kNo, kHybrid},
    {"cloud-finops", "Cloud FinOps", S::STAGE_SUBMITTED, "kr-cost-to-serve", "", 1, 2, 50, "change", 5, 6, 1, 2, kFin,
     "Cloud spend", "kEUR/quarter", 800, 620, 1000, kNo, kAgile},
    {"crypto-payments", "Crypto payments", S::STAGE_STOPPED, "kr-digital-revenue", "", 1, 3, 150, "engineering", 3, 2,
     5, 5, kFin, "Crypto payment volume", "kEUR/quarter", 0, 100, 1000, kNo, kAgile},
    {"ar-showroom", "Augmented-reality showroom", S::STAGE_DRAFT, "kr-nps", "", 2, 3, 200, "design", 4, 2, 4, 6, kCus,
     "Showroom sessions", "sessions/month", 0, 5000, 0, kNo, kAgile},
    {"supplier-traceability", "Supplier traceability", S::STAGE_DRAFT, "kr-audit-findings", "", 2, 3, 120,
     "engineering", 4, 3, 3, 5, kStr, "Suppliers traced end to end", "%", 10, 60, 0, kNo, kWater},
    {"gamified-onboarding", "Gamified onboarding", S::STAGE_DRAFT, "kr-self-service", "", 2, 2, 60, "design", 5, 3, 2,
     3, kCus, "Onboarding completion", "%", 55, 75, 0, kNo, kAgile},
};

// ---- helpers -----------------------------------------------------------------------

common::v1::Money Eur(int64_t minor_units) {
  common::v1::Money m;
  m.set_currency(kCurrency);
  m.set_minor_units(minor_units);
  return m;
}

Quarter Shift(Quarter q, int by) {
  int index = q.year * 4 + (q.q - 1) + by;
  return Quarter{index / 4, index % 4 + 1};
}

// The path from SUBMITTED (where a non-draft submission lands) to `target`.
std::vector<iv1::Stage> PathTo(iv1::Stage target, bool rejected_early) {
  using enum iv1::Stage;
  const std::vector<iv1::Stage> delivery = {STAGE_IN_REVIEW, STAGE_APPROVED, STAGE_ACTIVE};
  auto through = [&](std::initializer_list<iv1::Stage> tail) {
    std::vector<iv1::Stage> out = delivery;
    out.insert(out.end(), tail);
    return out;
  };
  switch (target) {
    case STAGE_DRAFT:
    case STAGE_SUBMITTED: return {};
    case STAGE_IN_REVIEW: return {STAGE_IN_REVIEW};
    case STAGE_APPROVED: return {STAGE_IN_REVIEW, STAGE_APPROVED};
    case STAGE_ACTIVE: return delivery;
    case STAGE_DELIVERED: return through({STAGE_DELIVERED});
    case STAGE_SUSTAINING: return through({STAGE_DELIVERED, STAGE_SUSTAINING});
    case STAGE_CLOSED: return through({STAGE_DELIVERED, STAGE_CLOSED});
    case STAGE_PAUSED: return through({STAGE_PAUSED});
    case STAGE_PIVOTING: return through({STAGE_PIVOTING});
    case STAGE_STOPPED: return rejected_early ? std::vector<iv1::Stage>{STAGE_STOPPED} : through({STAGE_STOPPED});
    default: return {};
  }
}

bool Delivering(const InitiativeSpec& s) { return s.story != BenefitStory::kNone; }

// Committed at the end of seeding: APPROVED and ACTIVE.
bool StaysCommitted(const InitiativeSpec& s) {
  return s.stage == iv1::STAGE_ACTIVE || s.stage == iv1::STAGE_APPROVED;
}

// A small, repeatable wobble in [-1, 1] so series do not look ruled.
double Wobble(int64_t a, int64_t b) {
  uint64_t x = static_cast<uint64_t>(a) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(b + 1) * 0xBF58476D1CE4E5B9ull;
  x ^= x >> 31;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 29;
  return static_cast<double>(x % 2001) / 1000.0 - 1.0;
}

// The benefit value at `share` of the way from baseline to target.
double Along(const InitiativeSpec& s, double share) { return s.baseline + (s.target - s.baseline) * share; }

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Where the benefit of `s` stands, as a share of the way to its target, after
// `months_in` of `months_total` monthly measurements, for its story.
double StoryShare(const InitiativeSpec& s, int months_in, int months_total, int64_t salt) {
  const double noise = 0.01 * Wobble(salt, months_in);
  const double along = static_cast<double>(months_in) / std::max(1, months_total - 1);
  switch (s.story) {
    case BenefitStory::kHealthy:
      // Steadily ahead of a straight path, so the forecast at the target date clears it.
      return 0.2 + 0.6 * along + noise;
    case BenefitStory::kEroding:
      // Reached the target, held it on two measurements, then slipped back.
      if (months_in == months_total - 1) return 0.55 + noise;
      if (months_in >= months_total - 3) return 1.02 + std::abs(noise);
      return 0.3 + 0.5 * along + noise;
    case BenefitStory::kOffTrack: return 0.04 + 0.01 * months_in + noise * 0.2;
    case BenefitStory::kNone: return 0;
  }
  return 0;
}

// Skill hours per quarter of an initiative: roughly EUR 100 an hour, split between the
// main skill and engineering.
std::vector<std::pair<std::string, double>> HoursOf(const InitiativeSpec& s) {
  std::vector<std::pair<std::string, double>> out;
  const double total = s.cost_k * 10.0;
  if (std::string(s.skill) == "engineering") {
    out.push_back({"engineering", total * 0.8});
    out.push_back({"change", total * 0.2});
  } else {
    out.push_back({s.skill, total * 0.6});
    out.push_back({"engineering", total * 0.4});
  }
  return out;
}

// The portfolio, with budget and capacity sized just above what stays committed;
// answers the budget per quarter in EUR thousands.
int64_t AddPortfolio(Plan& plan, const std::string& portfolio_id, const Quarter& now, const Quarter& first,
                     const Quarter& last) {
  std::map<Quarter, int64_t> committed_cost_k;
  std::map<std::pair<std::string, Quarter>, double> committed_hours;
  for (const auto& s : kInitiatives) {
    if (!StaysCommitted(s)) continue;
    for (int k = 0; k < s.quarters; ++k) {
      const Quarter q = Shift(now, s.start + k);
      committed_cost_k[q] += s.cost_k;
      for (const auto& [skill, h] : HoursOf(s)) committed_hours[{skill, q}] += h;
    }
  }
  int64_t peak_k = 0;
  for (const auto& [q, k] : committed_cost_k) peak_k = std::max(peak_k, k);
  // Just above the committed peak, in steps of EUR 100k: what is committed fits, the
  // funnel does not — which is what the scenarios have to choose from.
  const int64_t budget_k = ((peak_k * 105 / 100) / 100 + 1) * 100;
  std::map<std::string, double> peak_hours;
  for (const auto& [key, h] : committed_hours) peak_hours[key.first] = std::max(peak_hours[key.first], h);

  auto* p = plan.portfolio.mutable_portfolio();
  plan.portfolio.set_portfolio_id(portfolio_id);
  p->set_name("Digital transformation portfolio");
  p->set_currency(kCurrency);
  *p->mutable_first_quarter() = ToProto(first);
  *p->mutable_last_quarter() = ToProto(last);
  for (Quarter q = first; q <= last; q = calendar::NextQuarter(q)) {
    auto* b = p->add_budget_per_quarter();
    *b->mutable_quarter() = ToProto(q);
    *b->mutable_amount() = Eur(budget_k * kThousand);
    for (const char* skill : {"engineering", "data", "design", "change"}) {
      auto* c = p->add_capacity();
      c->set_skill(skill);
      *c->mutable_quarter() = ToProto(q);
      c->set_hours(std::ceil(std::max(500.0, peak_hours[skill] * 1.25) / 100.0) * 100.0);
    }
  }
  p->set_wip_limit(30);

  return budget_k;
}

// The objective cascade and its key results, with five weeks of check-ins.
void AddStrategy(Plan& plan, const std::string& portfolio_id, const Date& today) {
  const Quarter now = calendar::QuarterOf(today);
  for (const auto& o : kObjectives) {
    ov1::CreateObjectiveRequest req;
    req.set_objective_id(o.id);
    auto* obj = req.mutable_objective();
    obj->set_portfolio_id(portfolio_id);
    obj->set_title(o.title);
    obj->set_level(o.level);
    obj->set_parent_id(o.parent);
    obj->set_owner(o.owner);
    obj->mutable_period()->set_year(today.year);
    obj->set_priority(o.priority);
    obj->set_status(ov1::OBJECTIVE_STATUS_ACTIVE);
    plan.objectives.push_back(std::move(req));
  }
  const Date kr_due = calendar::LastDayOf(Shift(now, 4));
  for (const auto& k : kKeyResults) {
    ov1::CreateKeyResultRequest req;
    req.set_key_result_id(k.id);
    auto* kr = req.mutable_key_result();
    kr->set_objective_id(k.objective);
    kr->set_metric(k.metric);
    kr->set_unit(k.unit);
    kr->set_baseline(k.baseline);
    kr->set_target(k.target);
    kr->set_direction(k.target > k.baseline ? ov1::DIRECTION_INCREASE : ov1::DIRECTION_DECREASE);
    *kr->mutable_due_date() = ToProto(kr_due);
    kr->set_owner(k.owner);
    plan.key_results.push_back(std::move(req));
    // Weekly check-ins over the last five weeks, moving toward the target; the
    // cross-sell key result loses confidence week by week.
    for (int w = 5; w >= 1; --w) {
      ov1::CheckInRequest c;
      c.set_key_result_id(k.id);
      const double share = 0.35 - 0.04 * w + 0.01 * Wobble(w, k.baseline * 10);
      c.set_value(Round2(k.baseline + (k.target - k.baseline) * share));
      const bool falling = std::string(k.id) == "kr-cross-sell";
      c.set_confidence(falling ? 0.35 + 0.08 * w : 0.7 + 0.02 * Wobble(w, 3));
      c.set_note(falling ? "pilot cohorts are not buying the bundles" : "weekly check-in");
      *c.mutable_as_of() = ToProto(calendar::AddDays(today, -7 * w));
      c.set_source_id("seed-" + std::string(k.id) + "-w" + std::to_string(w));
      plan.check_ins.push_back(std::move(c));
    }
  }
}

// A weighted model: value, computed alignment, urgency, risk and job size.
void AddModel(Plan& plan, const std::string& portfolio_id) {
  auto* m = plan.model.mutable_model();
  m->set_portfolio_id(portfolio_id);
  m->set_type(sv1::MODEL_TYPE_WEIGHTED_SUM);
  auto criterion = [&](const char* key, const char* name, sv1::Category cat, double w, sv1::Direction dir, double lo,
                       double hi) {
    auto* c = m->add_criteria();
    c->set_key(key);
    c->set_name(name);
    c->set_category(cat);
    c->set_weight(w);
    c->set_direction(dir);
    c->mutable_scale()->set_min(lo);
    c->mutable_scale()->set_max(hi);
  };
  criterion("business_value", "Business value", sv1::CATEGORY_VALUE, 0.35, sv1::DIRECTION_HIGHER_IS_BETTER, 1, 10);
  criterion("strategic_alignment", "Strategic alignment (from OKR links)", sv1::CATEGORY_ALIGNMENT, 0.25,
            sv1::DIRECTION_HIGHER_IS_BETTER, 0, 1);
  criterion("time_criticality", "Time criticality", sv1::CATEGORY_URGENCY, 0.15, sv1::DIRECTION_HIGHER_IS_BETTER, 1,
            10);
  criterion("delivery_risk", "Delivery risk", sv1::CATEGORY_RISK, 0.15, sv1::DIRECTION_LOWER_IS_BETTER, 1, 5);
  criterion("job_size", "Job size", sv1::CATEGORY_COST, 0.10, sv1::DIRECTION_LOWER_IS_BETTER, 1, 10);
}

// The submission of one demo initiative: its Five Case business case, costs and skill
// hours per quarter, ratings and its promised benefit.
iv1::SubmitInitiativeRequest Submission(const InitiativeSpec& s, int n, const std::string& portfolio_id,
                                        const Quarter& now) {
  iv1::SubmitInitiativeRequest req;
  req.set_initiative_id(std::string(s.slug));
  req.set_submit_as_draft(s.stage == iv1::STAGE_DRAFT);
  auto* in = req.mutable_initiative();
  in->set_portfolio_id(portfolio_id);
  in->set_title(s.title);
  in->set_description(std::string(s.title) + ": " + s.metric + " from " + Num(s.baseline) + " to " +
                      Num(s.target) + " " + s.unit + ".");
  in->set_sponsor(kObjectives[1 + n % 3].owner);
  in->set_owner(std::string("Owner of ") + s.title);
  in->set_methodology(s.methodology);
  const Quarter start = Shift(now, s.start), end = Shift(now, s.start + s.quarters - 1);
  *in->mutable_start_quarter() = ToProto(start);
  *in->mutable_end_quarter() = ToProto(end);
  for (int k = 0; k < s.quarters; ++k) {
    const Quarter q = Shift(now, s.start + k);
    auto* c = in->add_cost_per_quarter();
    *c->mutable_quarter() = ToProto(q);
    *c->mutable_amount() = Eur(s.cost_k * kThousand);
    for (const auto& [skill, h] : HoursOf(s)) {
      auto* e = in->add_effort();
      e->set_skill(skill);
      *e->mutable_quarter() = ToProto(q);
      e->set_hours(h);
    }
  }
  auto* bc = in->mutable_business_case();
  bc->mutable_strategic()->set_problem("Today " + std::string(s.metric) + " stands at " + Num(s.baseline) + " " +
                                       s.unit + ".");
  bc->mutable_strategic()->set_value_hypothesis("If we deliver " + std::string(s.title) + ", " + s.metric +
                                                " moves to " + Num(s.target) + " " + s.unit + ".");
  auto* kr1 = bc->mutable_strategic()->add_key_results();
  kr1->set_key_result_id(s.key_result);
  kr1->set_contribution_weight(std::string(s.second_key_result).empty() ? 0.6 : 0.5);
  if (!std::string(s.second_key_result).empty()) {
    auto* kr2 = bc->mutable_strategic()->add_key_results();
    kr2->set_key_result_id(s.second_key_result);
    kr2->set_contribution_weight(0.3);
  }
  const int64_t total_k = static_cast<int64_t>(s.cost_k) * s.quarters;
  *bc->mutable_economic()->mutable_expected_value() = Eur(total_k * kThousand * (10 + s.value) / 8);
  *bc->mutable_financial()->mutable_total_cost() = Eur(total_k * kThousand);
  bc->mutable_financial()->set_funding_source(s.start < 0 ? "FY transformation budget" : "Next-year plan");
  bc->mutable_commercial()->set_strategy(s.size > 6 ? "vendor platform with an integration partner"
                                                    : "built in-house by a product team");
  bc->mutable_management()->set_delivery_risk_level(
      s.risk >= 4 ? iv1::RISK_LEVEL_HIGH : s.risk >= 3 ? iv1::RISK_LEVEL_MEDIUM : iv1::RISK_LEVEL_LOW);
  bc->mutable_management()->set_delivery_risk(s.risk >= 4 ? "new technology and several vendors" : "known ground");
  (*in->mutable_ratings())["business_value"] = s.value;
  (*in->mutable_ratings())["time_criticality"] = s.urgency;
  (*in->mutable_ratings())["delivery_risk"] = s.risk;
  (*in->mutable_ratings())["job_size"] = s.size;
  in->mutable_risk()->set_probability(0.1 * s.risk);
  in->mutable_risk()->set_impact(0.1 * s.size);
  *in->mutable_urgency()->mutable_deadline() = ToProto(calendar::LastDayOf(end));
  *in->mutable_urgency()->mutable_cost_of_delay_per_week() = Eur(static_cast<int64_t>(s.urgency) * 5 * kThousand);
  auto* b = in->add_benefits();
  b->set_category(s.category);
  b->set_metric(s.metric);
  b->set_unit(s.unit);
  b->set_baseline(s.baseline);
  b->set_target(s.target);
  // Benefits are realised in operations: their target lies at least two quarters
  // after delivery and after today.
  *b->mutable_target_date() = ToProto(calendar::LastDayOf(Shift(std::max(end, now), 2)));
  b->set_owner(in->owner());
  b->set_indicator(s.category == kFin ? iv1::INDICATOR_LAGGING : iv1::INDICATOR_LEADING);
  if (s.value_per_unit_eur > 0) *b->mutable_value_per_unit() = Eur(s.value_per_unit_eur * 100);
  return req;
}

// An initiative in delivery has history: monthly measurements of its benefit from the
// start of delivery until last week, and a progress report a week ago.
void AddHistory(Plan& plan, const InitiativePlan& ip, const InitiativeSpec& s, int n, const Date& today) {
  const Quarter now = calendar::QuarterOf(today);
  const Quarter start = Shift(now, s.start), end = Shift(now, s.start + s.quarters - 1);
  const int64_t total_k = static_cast<int64_t>(s.cost_k) * s.quarters;
  const Date begun = calendar::FirstDayOf(start);
  const int months = std::max(4, static_cast<int>(calendar::DaysBetween(begun, today) / 30));
  bv1::RecordMeasurementsRequest mr;
  mr.set_benefit_id(ip.benefit_ids.front());
  for (int k = 0; k < months; ++k) {
    const Date at = calendar::AddDays(today, -7 - 30 * (months - 1 - k));
    auto* meas = mr.add_measurements();
    meas->set_value(Round2(Along(s, StoryShare(s, k, months, n))));
    *meas->mutable_as_of() = ToProto(at);
    meas->set_source_id("seed-" + ip.id() + "-m" + std::to_string(k));
  }
  plan.measurements.push_back(std::move(mr));

  iv1::ReportProgressRequest pr;
  pr.set_initiative_id(ip.id());
  auto* rep = pr.mutable_report();
  *rep->mutable_as_of() = ToProto(calendar::AddDays(today, -7));
  const double elapsed = std::clamp(
      static_cast<double>(calendar::DaysBetween(begun, today)) /
          static_cast<double>(std::max<int64_t>(1, calendar::DaysBetween(begun, calendar::LastDayOf(end)))),
      0.05, 1.0);
  const bool past_active = !StaysCommitted(s) && s.stage != iv1::STAGE_PAUSED &&
                           s.stage != iv1::STAGE_PIVOTING && s.stage != iv1::STAGE_STOPPED;
  rep->set_percent_complete(past_active ? 100.0 : std::round(elapsed * 90.0));
  const bool overrun = std::string(s.slug) == "data-lakehouse" || std::string(s.slug) == "mainframe-rewrite";
  *rep->mutable_actual_spend_to_date() = Eur(static_cast<int64_t>(total_k * elapsed * (overrun ? 1.3 : 0.95)) *
                                             kThousand);
  *rep->mutable_forecast_at_completion() = Eur(total_k * (overrun ? 135 : 100) / 100 * kThousand);
  rep->set_schedule_variance_days(overrun ? 45 : s.story == BenefitStory::kOffTrack ? 20 : 0);
  rep->set_delivery_confidence(s.story == BenefitStory::kOffTrack ? 0.4 : overrun ? 0.55 : 0.8);
  auto* ms = rep->add_milestones();
  ms->set_name("Pilot live");
  *ms->mutable_due() = ToProto(calendar::AddDays(begun, 60));
  ms->set_done(true);
  auto* ms2 = rep->add_milestones();
  ms2->set_name("General availability");
  *ms2->mutable_due() = ToProto(calendar::LastDayOf(end));
  ms2->set_done(past_active);
  rep->set_note(s.story == BenefitStory::kEroding ? "adoption dropped after the last release"
                                                  : "on plan; next release in three weeks");
  plan.progress.push_back(std::move(pr));
}

// Two scenarios (the approved budget; a 20 % cut with a mandatory initiative, one CRM
// platform and a dependency) and the review of the current quarter.
void AddScenariosAndReview(Plan& plan, const std::string& portfolio_id, const Quarter& now, const Quarter& first,
                           const Quarter& last, int64_t budget_k) {
  auto scenario = [&](const char* name) {
    sv1::RunScenarioRequest r;
    r.set_portfolio_id(portfolio_id);
    r.set_name(name);
    r.set_objective(sv1::OBJECTIVE_TOTAL_SCORE);
    r.set_time_limit_ms(5000);
    return r;
  };
  plan.scenarios.push_back(scenario("Best value within the approved budget"));
  {
    sv1::RunScenarioRequest r = scenario("Budget cut by 20 %, KYC mandatory, one CRM platform");
    auto* c = r.mutable_constraints();
    for (Quarter q = first; q <= last; q = calendar::NextQuarter(q)) {
      auto* b = c->add_budget_per_quarter();
      *b->mutable_quarter() = ToProto(q);
      *b->mutable_amount() = Eur(budget_k * 80 / 100 * kThousand);
    }
    c->add_mandatory("kyc-remediation");
    auto* g = c->add_exclusive_groups();
    g->set_name("one CRM platform");
    g->add_initiative_ids("crm-consolidation");
    g->add_initiative_ids("customer-360");
    auto* d = c->add_dependencies();
    d->set_dependent("loyalty-programme");
    d->set_prerequisite("crm-consolidation");
    plan.scenarios.push_back(std::move(r));
  }
  plan.review.set_portfolio_id(portfolio_id);
  plan.review.set_quarter(calendar::FormatQuarter(now));
}

}  // namespace

std::string PromisedBenefitId(const std::string& initiative_id, const std::string& metric) {
  // The benefits service's own rule, for the first (and only) benefit of that metric.
  return benefits::domain::PromisedBenefitId(initiative_id, metric, 1, 0);
}

const InitiativePlan* Plan::Find(const std::string& initiative_id) const {
  for (const auto& i : initiatives)
    if (i.id() == initiative_id) return &i;
  return nullptr;
}

Plan MakePlan(const std::string& portfolio_id, const Date& today) {
  Plan plan;
  plan.portfolio_id = portfolio_id;
  plan.today = today;
  const Quarter now = calendar::QuarterOf(today);
  const Quarter first = Shift(now, -6), last = Shift(now, 8);
  const int64_t budget_k = AddPortfolio(plan, portfolio_id, now, first, last);
  AddStrategy(plan, portfolio_id, today);
  AddModel(plan, portfolio_id);
  // ---- initiatives -------------------------------------------------------------------
  int n = 0;
  for (const auto& s : kInitiatives) {
    ++n;
    InitiativePlan ip;
    ip.target = s.stage;
    ip.story = s.story;
    const bool rejected_early = s.stage == iv1::STAGE_STOPPED && s.start > 0;
    ip.path = PathTo(s.stage, rejected_early);
    ip.submit = Submission(s, n, portfolio_id, now);
    ip.benefit_ids.push_back(PromisedBenefitId(ip.id(), s.metric));
    if (Delivering(s)) AddHistory(plan, ip, s, n, today);
    plan.initiatives.push_back(std::move(ip));
  }

  AddScenariosAndReview(plan, portfolio_id, now, first, last, budget_k);
  return plan;
}

std::vector<IngestRecord> StreamTick(const Plan& plan, int64_t tick, const std::string& run_id) {
  std::vector<IngestRecord> out;
  std::vector<const InitiativePlan*> active;
  for (const auto& i : plan.initiatives)
    if (i.target == iv1::STAGE_ACTIVE) active.push_back(&i);
  if (active.empty()) return out;
  auto set_today = [&](common::v1::Date* d) { *d = ToProto(plan.today); };
  const std::string run_tag = run_id + "-" + std::to_string(tick);

  // Progress on one active initiative per tick, creeping forward.
  const auto& a = *active[static_cast<size_t>(tick) % active.size()];
  for (const auto& pr : plan.progress) {
    if (pr.initiative_id() != a.id()) continue;
    auto next = std::make_unique<iv1::ReportProgressRequest>(pr);
    auto* rep = next->mutable_report();
    set_today(rep->mutable_as_of());
    const double round = static_cast<double>(tick / static_cast<int64_t>(active.size()) + 1);
    rep->set_percent_complete(std::min(99.0, rep->percent_complete() + round));
    rep->mutable_actual_spend_to_date()->set_minor_units(rep->actual_spend_to_date().minor_units() +
                                                         static_cast<int64_t>(round) * 5 * kThousand);
    rep->set_note("streamed progress update " + std::to_string(tick));
    out.push_back({std::string(topics::kIngestProgress), a.id(), std::move(next), tick % 3 == 0});
  }

  // A check-in on one key result per tick.
  const auto& kr = plan.key_results[static_cast<size_t>(tick) % plan.key_results.size()];
  {
    auto c = std::make_unique<okr::v1::CheckInRequest>();
    c->set_key_result_id(kr.key_result_id());
    const auto& k = kr.key_result();
    const double share = std::min(1.0, 0.35 + 0.01 * static_cast<double>(tick / 12) + 0.01 * Wobble(tick, 7));
    c->set_value(Round2(k.baseline() + (k.target() - k.baseline()) * share));
    c->set_confidence(kr.key_result_id() == "kr-cross-sell" ? 0.3 : 0.72 + 0.05 * Wobble(tick, 11));
    c->set_note("streamed check-in");
    set_today(c->mutable_as_of());
    c->set_source_id(run_tag + "-" + kr.key_result_id());
    out.push_back({std::string(topics::kIngestKrCheckins), kr.key_result_id(), std::move(c), tick % 3 == 1});
  }

  // A measurement on one delivering initiative's benefit per tick: the eroding ones
  // keep slipping, the healthy ones hold at their target, the off-track ones stay put.
  std::vector<const InitiativePlan*> measured;
  for (const auto& i : plan.initiatives)
    if (i.story != BenefitStory::kNone &&
        (i.target == iv1::STAGE_ACTIVE || i.target == iv1::STAGE_DELIVERED || i.target == iv1::STAGE_SUSTAINING))
      measured.push_back(&i);
  const auto& b = *measured[static_cast<size_t>(tick) % measured.size()];
  const auto& promised = b.submit.initiative().benefits(0);
  double share = 1.0;
  const double round = static_cast<double>(tick / static_cast<int64_t>(measured.size()));
  switch (b.story) {
    case BenefitStory::kEroding: share = std::max(0.0, 0.5 - 0.05 * round); break;
    case BenefitStory::kOffTrack: share = 0.06; break;
    default: share = 1.0 + 0.01 * std::abs(Wobble(tick, 5)); break;
  }
  auto m = std::make_unique<benefits::v1::RecordMeasurementRequest>();
  m->set_benefit_id(b.benefit_ids.front());
  m->set_value(Round2(promised.baseline() + (promised.target() - promised.baseline()) * share));
  set_today(m->mutable_as_of());
  m->set_source_id(run_tag + "-" + b.benefit_ids.front());
  out.push_back({std::string(topics::kIngestBenefitMeasurements), b.benefit_ids.front(), std::move(m), tick % 3 == 2});
  return out;
}

}  // namespace pmo::demo
