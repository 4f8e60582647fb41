// Reporting's HTTP side (cpp-httplib, PMO_HTTP_PORT): the dashboard page and its built
// assets, a JSON API (protobuf's JSON mapping) for the dashboard, KPIs, reviews and
// insights, CSV export of the dashboard, and Server-Sent Events that push each change
// as its event is consumed.
//
//   GET  /api/v1/portfolios/{p}/dashboard        Dashboard
//   GET  /api/v1/portfolios/{p}/dashboard.csv    one row per initiative
//   GET  /api/v1/portfolios/{p}/kpis?period=2027Q1&trend_quarters=4
//   GET  /api/v1/portfolios/{p}/insights
//   GET  /api/v1/portfolios/{p}/reviews          ListReviewsResponse (newest first)
//   POST /api/v1/portfolios/{p}/reviews          {"quarter": "2027Q1", "rules": {…}} → Review
//   GET  /api/v1/reviews/{id}
//   POST /api/v1/reviews/{id}/decisions          RecordDecisionRequest as JSON → Review
//   POST /api/v1/reviews/{id}/close              {"allowUndecided": true} → Review
//   GET  /api/v1/portfolios/{p}/stream           text/event-stream: one `change` event per
//                                                applied event of the portfolio
// Errors answer {"code": "INVALID_ARGUMENT", "message": …, "violations": [{field, description}]}
// with the matching HTTP status.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <string>
#include <thread>

#include "services/reporting/app/reporting_app.h"
#include "pmo/common/worker.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace pmo::reporting::api {

// The largest request body the JSON API reads (reviews, decisions); larger is 413.
inline constexpr size_t kMaxBodyBytes = 1 << 20;

class HttpServer final : public Worker {
 public:
  // `web_dir`: the built page (index.html and assets); empty or missing serves a notice.
  HttpServer(app::ReportingApp& app, std::string host, int port, std::string web_dir);
  ~HttpServer() override;
  std::string name() const override { return "reporting-http"; }
  // Binds (port 0 picks a free one) and serves on a thread.
  void Start() override;
  void Stop(std::chrono::milliseconds budget) override;
  // Binds now so the port is known before Start (the service prints it).
  absl::Status Bind();
  int port() const { return port_; }

 private:
  void Routes();
  void Stream(const httplib::Request& req, httplib::Response& res);
  app::ReportingApp& app_;
  std::string host_;
  int port_;
  std::string web_dir_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  static constexpr int kMaxStreams = 48;  // of the server's 64 threads
  std::shared_ptr<std::atomic<int>> open_streams_ = std::make_shared<std::atomic<int>>(0);
};

// The dashboard as CSV (RFC 4180 quoting), one row per initiative.
std::string DashboardCsv(const v1::Dashboard& dashboard);

}  // namespace pmo::reporting::api
