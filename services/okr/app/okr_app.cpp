#include "services/okr/app/okr_app.h"

#include "pmo/common/envelope.h"

namespace pmo::okr::app {

namespace {
constexpr char kSource[] = "pmo-okr";
}  // namespace

OkrApp::OkrApp(store::OkrStore& store, Metrics* metrics, const Clock& clock)
    : store_(store), metrics_(metrics), clock_(clock) {}

events::v1::Envelope OkrApp::Event(const google::protobuf::Message& payload, const std::string& subject,
                                   const std::string& portfolio_id, int64_t version, const CallContext& ctx) const {
  return MakeEnvelope(payload, EventMetaFor(kSource, subject, portfolio_id, version, ctx), clock_);
}

absl::Status OkrApp::RefreshGauges() {
  if (!metrics_.enabled()) return absl::OkStatus();
  auto portfolios = store_.Portfolios();
  if (!portfolios.ok()) return portfolios.status();
  for (const auto& [p, counts] : *portfolios) metrics_.PortfolioSize(p, counts.first, counts.second);
  return absl::OkStatus();
}

}  // namespace pmo::okr::app
