// pmo-testsvc: a minimal service on the common platform (service host, outbox, relay),
// driven by the platform's integration tests the way the real services are.
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/grpc_status.h"
#include "pmo/common/log.h"
#include "pmo/common/service_host.h"
#include "pmo/common/service_main.h"
#include "pmo/testing/v1/widgets.grpc.pb.h"

namespace {

constexpr std::string_view kTopic = "pmo.testing.events.v1";

std::string WidgetKey(const std::string& portfolio, const std::string& id) {
  return "pmo:testsvc:{" + portfolio + "}:widget:" + id;
}

class WidgetService final : public pmo::testing::v1::WidgetService::Service {
 public:
  explicit WidgetService(pmo::ServiceHost& host) : host_(host) {}

  grpc::Status PutWidget(grpc::ServerContext* ctx, const pmo::testing::v1::PutWidgetRequest* req,
                         pmo::testing::v1::Widget* out) override {
    pmo::Violations v;
    if (req->widget().id().empty()) v.Add("widget.id", "must not be empty");
    if (req->widget().portfolio_id().empty()) v.Add("widget.portfolio_id", "must not be empty");
    if (req->expected_version() < 0) v.Add("expected_version", "must be >= 0");
    if (!v.empty()) return pmo::ToGrpcStatus(v.ToStatus());

    pmo::testing::v1::Widget w = req->widget();
    w.set_version(req->expected_version() + 1);
    std::string key = WidgetKey(w.portfolio_id(), w.id());
    pmo::testing::v1::WidgetChanged changed;
    *changed.mutable_widget() = w;
    auto env = pmo::MakeEnvelope(changed, {.source = "pmo-testsvc",
                                           .subject = w.id(),
                                           .portfolio_id = w.portfolio_id(),
                                           .aggregate_version = w.version(),
                                           .correlation_id = pmo::CorrelationId(*ctx),
                                           .causation_id = ""});
    pmo::AtomicWrite write;
    write.ExpectField(key, "version", req->expected_version() == 0 ? "" : std::to_string(req->expected_version()),
                      absl::StatusCode::kAborted, "widget " + w.id() + " changed since version " +
                                                      std::to_string(req->expected_version()))
        .Command({"HSET", key, "version", std::to_string(w.version()), "data", w.SerializeAsString()})
        .Publish(pmo::ToOutboxEvent(kTopic, env));
    auto r = host_.outbox().Commit(write);
    if (!r.ok()) return pmo::ToGrpcStatus(r.status());
    *out = w;
    return grpc::Status::OK;
  }

  grpc::Status GetWidget(grpc::ServerContext*, const pmo::testing::v1::GetWidgetRequest* req,
                         pmo::testing::v1::Widget* out) override {
    auto r = host_.redis().Command({"HGET", WidgetKey(req->portfolio_id(), req->id()), "data"});
    if (!r.ok()) return pmo::ToGrpcStatus(r.status());
    if (r->is_nil()) return pmo::ToGrpcStatus(absl::NotFoundError("widget " + req->id() + " not found"));
    out->ParseFromString(std::string(r->str()));
    return grpc::Status::OK;
  }

 private:
  pmo::ServiceHost& host_;
};

}  // namespace

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-testsvc";
  pmo::ServiceMain main(argc, argv, defaults);
  if (!main.ok()) return main.exit_code();
  WidgetService service(main.host());
  main.host().AddService(&service);
  return main.Run();
}
