#include "services/reporting/app/reporting_app.h"

namespace pmo::reporting::app {

ReportingApp::ReportingApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock)
    : read_models_(redis, outbox),
      review_store_(redis, outbox),
      metrics_(metrics),
      dashboards_(read_models_, clock),
      quarters_(read_models_, dashboards_),
      projection_(read_models_, quarters_, feed_, metrics_, clock),
      reviews_(review_store_, dashboards_, metrics_, clock) {}

}  // namespace pmo::reporting::app
