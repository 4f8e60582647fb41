#include "services/benefits/app/benefits_app.h"

namespace pmo::benefits::app {

BenefitsApp::BenefitsApp(store::BenefitsStore& store, Metrics* metrics, BenefitsOptions options, const Clock& clock)
    : options_(options),
      metrics_(metrics),
      deps_{store, metrics_, options_, clock},
      register_(deps_),
      measurements_(deps_),
      value_(deps_),
      intake_(deps_),
      sweep_(deps_) {}

}  // namespace pmo::benefits::app
