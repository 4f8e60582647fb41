#include "services/reporting/api/http_server.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "pmo/base/errors.h"
#include "pmo/common/log.h"

namespace pmo::reporting::api {

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    // google.rpc's HTTP mapping.
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange: return 400;
    case absl::StatusCode::kUnauthenticated: return 401;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted: return 409;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kCancelled: return 499;
    case absl::StatusCode::kUnimplemented: return 501;
    case absl::StatusCode::kUnavailable: return 503;
    case absl::StatusCode::kDeadlineExceeded: return 504;
    default: return 500;
  }
}

void SendError(httplib::Response& res, const absl::Status& status) {
  json body{{"code", absl::StatusCodeToString(status.code())}, {"message", std::string(status.message())}};
  json violations = json::array();
  for (const auto& v : ViolationsOf(status)) violations.push_back({{"field", v.field}, {"description", v.description}});
  for (const auto& v : PreconditionViolationsOf(status))
    violations.push_back({{"type", v.type}, {"subject", v.subject}, {"description", v.description}});
  if (!violations.empty()) body["violations"] = violations;
  res.status = HttpStatusOf(status.code());
  res.set_content(body.dump(), "application/json");
}

std::string ToJsonText(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

template <typename T>
void SendResult(httplib::Response& res, const absl::StatusOr<T>& result) {
  if (!result.ok()) return SendError(res, result.status());
  res.set_content(ToJsonText(*result), "application/json");
}

// Parses a JSON body into `out` (an empty body is an empty message).
absl::Status ParseBody(const httplib::Request& req, google::protobuf::Message& out) {
  if (req.body.empty()) return absl::OkStatus();
  google::protobuf::util::JsonParseOptions options;
  auto s = google::protobuf::util::JsonStringToMessage(req.body, &out, options);
  if (!s.ok())
    return InvalidArgument("invalid request body", {{"body", absl::StrCat("is not a ", out.GetDescriptor()->name(),
                                                                          " in JSON: ", std::string(s.message()))}});
  return absl::OkStatus();
}

std::optional<int> WholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  return std::stoi(text);
}

std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Num(bool has, double v) { return has ? absl::StrFormat("%.6g", v) : ""; }

// One open event stream: changes queue here until the connection writes them.
struct EventStream {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> queue;
  bool overflowed = false;
  static constexpr size_t kMaxQueued = 1000;
};

}  // namespace

std::string DashboardCsv(const v1::Dashboard& d) {
  std::string out =
      "rank,initiative_id,title,stage,score,key_result_progress,benefit_realisation,benefit_status,budget,"
      "actual_spend,forecast_at_completion,schedule_variance_days,delivery_confidence,percent_complete,"
      "last_decision\r\n";
  for (const auto& r : d.rows()) {
    out += absl::StrCat(r.rank() > 0 ? std::to_string(r.rank()) : "", ",", Csv(r.initiative_id()), ",",
                        Csv(r.title()), ",", Csv(r.stage()), ",", Num(r.has_score(), r.score()), ",",
                        Num(r.has_key_result_progress(), r.key_result_progress()), ",",
                        Num(r.has_benefit_realisation(), r.benefit_realisation()), ",", Csv(r.benefit_status()), ",",
                        Num(r.has_budget(), r.budget()), ",", Num(r.has_actual_spend(), r.actual_spend()), ",",
                        Num(r.has_forecast_at_completion(), r.forecast_at_completion()), ",",
                        r.has_schedule_variance_days() ? std::to_string(r.schedule_variance_days()) : "", ",",
                        Num(r.has_delivery_confidence(), r.delivery_confidence()), ",",
                        Num(r.has_percent_complete(), r.percent_complete()), ",",
                        r.last_decision() == v1::DECISION_UNSPECIFIED ? "" : v1::Decision_Name(r.last_decision()),
                        "\r\n");
  }
  return out;
}

HttpServer::HttpServer(app::ReportingApp& app, std::string host, int port, std::string web_dir)
    : app_(app), host_(std::move(host)), port_(port), web_dir_(std::move(web_dir)),
      server_(std::make_unique<httplib::Server>()) {
  // Event streams hold a thread each for as long as they are open.
  server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
  // A body past the limit is refused before it is read: 413, and the answer says the limit.
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (res.status != 413) return httplib::Server::HandlerResponse::Unhandled;
        SendError(res, absl::Status(absl::StatusCode::kInvalidArgument,
                                    absl::StrCat("request body too large: at most ", kMaxBodyBytes, " bytes")));
        res.status = 413;
        return httplib::Server::HandlerResponse::Handled;
      }));
  Routes();
}

HttpServer::~HttpServer() { Stop(1s); }

absl::Status HttpServer::Bind() {
  if (port_ == 0) {
    port_ = server_->bind_to_any_port(host_);
    if (port_ <= 0) return absl::UnavailableError("cannot bind the HTTP port");
  } else if (!server_->bind_to_port(host_, port_)) {
    return absl::UnavailableError(absl::StrCat("cannot bind HTTP port ", port_));
  }
  return absl::OkStatus();
}

void HttpServer::Start() {
  if (!server_->is_valid()) return;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void HttpServer::Stop(std::chrono::milliseconds) {
  if (stopping_.exchange(true)) return;
  server_->stop();  // streams notice `stopping_` within their wait step and end
  if (thread_.joinable()) thread_.join();
}

void HttpServer::Routes() {
  auto& s = *server_;
  const std::string p = R"(/api/v1/portfolios/([A-Za-z0-9_.-]+))";
  const std::string r = R"(/api/v1/reviews/([A-Za-z0-9_.:-]+))";

  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  s.Get(p + "/dashboard", [this](const httplib::Request& req, httplib::Response& res) {
    v1::GetDashboardRequest in;
    in.set_portfolio_id(req.matches[1]);
    SendResult(res, app_.GetDashboard(in));
  });
  s.Get(p + R"(/dashboard\.csv)", [this](const httplib::Request& req, httplib::Response& res) {
    v1::GetDashboardRequest in;
    in.set_portfolio_id(req.matches[1]);
    auto d = app_.GetDashboard(in);
    if (!d.ok()) return SendError(res, d.status());
    res.set_header("Content-Disposition",
                   absl::StrCat("attachment; filename=\"dashboard-", in.portfolio_id(), ".csv\""));
    res.set_content(DashboardCsv(*d), "text/csv");
  });
  s.Get(p + "/kpis", [this](const httplib::Request& req, httplib::Response& res) {
    v1::GetKpisRequest in;
    in.set_portfolio_id(req.matches[1]);
    in.set_period(req.get_param_value("period"));
    if (req.has_param("trend_quarters")) {
      auto n = WholeNumber(req.get_param_value("trend_quarters"));
      if (!n) return SendError(res, InvalidArgument("invalid request", {{"trend_quarters", "must be a whole number"}}));
      in.set_trend_quarters(*n);
    }
    SendResult(res, app_.GetKpis(in));
  });
  s.Get(p + "/insights", [this](const httplib::Request& req, httplib::Response& res) {
    v1::GetInsightsRequest in;
    in.set_portfolio_id(req.matches[1]);
    SendResult(res, app_.GetInsights(in));
  });
  s.Get(p + "/reviews", [this](const httplib::Request& req, httplib::Response& res) {
    v1::ListReviewsRequest in;
    in.set_portfolio_id(req.matches[1]);
    in.set_page_token(req.get_param_value("page_token"));
    if (req.has_param("page_size")) {
      auto n = WholeNumber(req.get_param_value("page_size"));
      if (!n) return SendError(res, InvalidArgument("invalid request", {{"page_size", "must be a whole number"}}));
      in.set_page_size(*n);
    }
    SendResult(res, app_.ListReviews(in));
  });
  s.Post(p + "/reviews", [this](const httplib::Request& req, httplib::Response& res) {
    v1::OpenReviewRequest in;
    if (auto st = ParseBody(req, in); !st.ok()) return SendError(res, st);
    in.set_portfolio_id(req.matches[1]);
    SendResult(res, app_.OpenReview(in, {req.get_header_value("x-correlation-id"), ""}));
  });
  s.Get(r, [this](const httplib::Request& req, httplib::Response& res) {
    v1::GetReviewRequest in;
    in.set_review_id(req.matches[1]);
    SendResult(res, app_.GetReview(in));
  });
  s.Post(r + "/decisions", [this](const httplib::Request& req, httplib::Response& res) {
    v1::RecordDecisionRequest in;
    if (auto st = ParseBody(req, in); !st.ok()) return SendError(res, st);
    in.set_review_id(req.matches[1]);
    SendResult(res, app_.RecordDecision(in, {req.get_header_value("x-correlation-id"), ""}));
  });
  s.Post(r + "/close", [this](const httplib::Request& req, httplib::Response& res) {
    v1::CloseReviewRequest in;
    if (auto st = ParseBody(req, in); !st.ok()) return SendError(res, st);
    in.set_review_id(req.matches[1]);
    SendResult(res, app_.CloseReview(in, {req.get_header_value("x-correlation-id"), ""}));
  });

  s.Get(p + "/stream", [this](const httplib::Request& req, httplib::Response& res) { Stream(req, res); });

  // The page: built assets when present.
  if (!web_dir_.empty() && std::filesystem::exists(std::filesystem::path(web_dir_) / "index.html")) {
    s.set_mount_point("/", web_dir_);
  } else {
    s.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_content(absl::StrCat("The dashboard page is not built (looked in '", web_dir_,
                                   "'); run ./pmo build. The JSON API is under /api/v1/."),
                      "text/plain");
    });
  }
}

// One portfolio's change stream (Server-Sent Events), one `change` event per applied event.
void HttpServer::Stream(const httplib::Request& req, httplib::Response& res) {
  std::string portfolio = req.matches[1];
  // Each open stream holds a server thread; beyond the cap, the JSON API keeps its own.
  if (open_streams_->load() >= kMaxStreams) {
    res.set_header("Retry-After", "5");
    return SendError(res, absl::ResourceExhaustedError("too many open event streams; retry shortly"));
  }
  open_streams_->fetch_add(1);
  auto stream = std::make_shared<EventStream>();
  int id = app_.feed().Subscribe([stream, portfolio](const app::Change& c) {
    if (c.portfolio_id != portfolio) return;
    json data{{"portfolioId", c.portfolio_id}, {"initiativeId", c.initiative_id}, {"type", c.event_type},
              {"eventId", c.event_id}, {"occurredAtMs", c.occurred_at_ms},
              {"appliedAtMs", c.applied_at_ms}};
    std::lock_guard lock(stream->mu);
    if (stream->queue.size() >= EventStream::kMaxQueued) {
      // A client too slow to keep up: drop the backlog and tell it to reload.
      stream->queue.clear();
      stream->overflowed = true;
    }
    stream->queue.push_back(data.dump());
    stream->cv.notify_one();
  });
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, stream](size_t offset, httplib::DataSink& sink) {
        if (offset == 0) {
          std::string hello = "retry: 2000\n: connected\n\n";
          if (!sink.write(hello.data(), hello.size())) return false;
        }
        std::string out;
        auto deadline = std::chrono::steady_clock::now() + 15s;
        {
          std::unique_lock lock(stream->mu);
          while (stream->queue.empty() && !stopping_ && std::chrono::steady_clock::now() < deadline)
            stream->cv.wait_for(lock, 250ms);
          if (stopping_) return false;
          if (stream->overflowed) {
            out += "event: resync\ndata: {}\n\n";
            stream->overflowed = false;
          }
          for (auto& item : stream->queue) absl::StrAppend(&out, "event: change\ndata: ", item, "\n\n");
          stream->queue.clear();
        }
        if (out.empty()) out = ": keep-alive\n\n";
        return sink.write(out.data(), out.size());
      },
      [this, id, open = open_streams_](bool) {
        app_.feed().Unsubscribe(id);
        open->fetch_sub(1);
      });
}

}  // namespace pmo::reporting::api
