// Tests of common/src/grpc_status.cpp: the one mapping between absl::Status and
// grpc::Status, with field violations and precondition failures as standard details.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pmo/base/errors.h"
#include "pmo/common/grpc_status.h"
#include "support.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;
using pmo::testing::StatusIs;

TEST(GrpcStatus, BadRequestDetailsDecodeWithTheStandardMessages) {
  Violations v;
  v.Add("title", "too long");
  v.Add("cost[0].amount", "must not be negative");
  grpc::Status g = ToGrpcStatus(v.ToStatus("bad"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status st;
  ASSERT_TRUE(st.ParseFromString(g.error_details()));
  EXPECT_EQ(st.code(), 3);
  ASSERT_EQ(st.details_size(), 1);
  google::rpc::BadRequest br;
  ASSERT_TRUE(st.details(0).UnpackTo(&br));
  ASSERT_EQ(br.field_violations_size(), 2);
  EXPECT_EQ(br.field_violations(1).field(), "cost[0].amount");
  EXPECT_EQ(br.field_violations(1).description(), "must not be negative");

  absl::Status back = FromGrpcStatus(g);
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too long")));
  EXPECT_EQ(ViolationsOf(back).size(), 2u);
}

TEST(GrpcStatus, CodesMapOneToOne) {
  for (auto code : {absl::StatusCode::kNotFound, absl::StatusCode::kAborted, absl::StatusCode::kFailedPrecondition,
                    absl::StatusCode::kUnavailable, absl::StatusCode::kInternal}) {
    grpc::Status g = ToGrpcStatus(absl::Status(code, "x"));
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(code));
    EXPECT_TRUE(g.error_details().empty());
    EXPECT_EQ(FromGrpcStatus(g).code(), code);
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(GrpcStatus, CodeNamesAreTheCanonicalOnes) {
  EXPECT_EQ(CodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(CodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
  EXPECT_EQ(CodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(CodeName(static_cast<grpc::StatusCode>(42)), "CODE_42");
}

TEST(GrpcStatus, PreconditionFailureDetail) {
  grpc::Status g = ToGrpcStatus(FailedPrecondition("refused", {{"CAPACITY", "2027Q1", "budget exceeded"}}));
  google::rpc::Status st;
  ASSERT_TRUE(st.ParseFromString(g.error_details()));
  google::rpc::PreconditionFailure pf;
  ASSERT_TRUE(st.details(0).UnpackTo(&pf));
  EXPECT_EQ(pf.violations(0).type(), "CAPACITY");
  EXPECT_EQ(pf.violations(0).subject(), "2027Q1");
}

}  // namespace
}  // namespace pmo
