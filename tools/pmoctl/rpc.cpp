#include "rpc.h"

#include <future>

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/events/v1/envelope.pb.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/okr/v1/okr.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/reporting/v1/reporting.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "pmo/scoring/v1/scoring.pb.h"
#include "render.h"

namespace pmo::ctl {

namespace pb = google::protobuf;

void LinkGeneratedProtos() {
  static const pb::Descriptor* const kOnePerFile[] = {
      pmo::intake::v1::Initiative::descriptor(),         pmo::intake::v1::InitiativeSubmitted::descriptor(),
      pmo::scoring::v1::ScoringModel::descriptor(),      pmo::scoring::v1::InitiativeScored::descriptor(),
      pmo::okr::v1::Objective::descriptor(),             pmo::okr::v1::ObjectiveChanged::descriptor(),
      pmo::benefits::v1::CreateBenefitRequest::descriptor(), pmo::benefits::v1::BenefitChanged::descriptor(),
      pmo::reporting::v1::Dashboard::descriptor(),       pmo::reporting::v1::DecisionRecorded::descriptor(),
      pmo::events::v1::Envelope::descriptor(),
  };
  (void)kOnePerFile;
}

absl::StatusOr<const pb::MethodDescriptor*> FindMethod(const std::string& full_name) {
  LinkGeneratedProtos();
  const pb::MethodDescriptor* m = pb::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  if (!m) return absl::InternalError("pmoctl was built without the method " + full_name);
  return m;
}

namespace {

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

}  // namespace

CallResult CallUnary(const std::string& address, const pb::MethodDescriptor* method, const pb::Message& request,
                     std::chrono::milliseconds timeout) {
  CallResult result;
  grpc::GenericStub stub(Channel(address));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer send(&slice, 1);
  grpc::ByteBuffer received;
  std::promise<grpc::Status> done;
  const std::string path = "/" + method->service()->full_name() + "/" + method->name();
  stub.UnaryCall(&context, path, grpc::StubOptions(), &send, &received,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  result.status = done.get_future().get();
  if (!result.status.ok()) return result;
  std::vector<grpc::Slice> slices;
  if (!received.Dump(&slices).ok()) {
    result.status = grpc::Status(grpc::StatusCode::INTERNAL, "could not read the response");
    return result;
  }
  std::string payload;
  for (const auto& s : slices) payload.append(reinterpret_cast<const char*>(s.begin()), s.size());
  result.response.reset(pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
  if (!result.response->ParseFromString(payload)) {
    result.status = grpc::Status(grpc::StatusCode::INTERNAL, "the response is not a " + method->output_type()->full_name());
    result.response.reset();
  }
  return result;
}

Health CheckHealth(const std::string& address, std::chrono::milliseconds timeout) {
  auto stub = grpc::health::v1::Health::NewStub(Channel(address));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status s = stub->Check(&context, request, &response);
  if (!s.ok()) return {false, CodeName(s.error_code()) + ": " + s.error_message()};
  return {true, grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())};
}

}  // namespace pmo::ctl
