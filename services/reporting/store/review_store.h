// Evidence reviews as reporting keeps them (its own state, not a read model): the
// interface the review use cases write through — each write atomic with the event that
// announces it — and its Redis implementation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::store {

struct StoredReview {
  v1::Review review;
  int64_t version = 0;  // the stored version a write must still find
};

struct ReviewPage {
  std::vector<v1::Review> reviews;  // newest first
  bool more = false;                // reviews beyond this page
};

class ReviewStore {
 public:
  virtual ~ReviewStore() = default;

  // NOT_FOUND for an unknown review.
  virtual absl::StatusOr<StoredReview> Load(const std::string& review_id) = 0;
  // Stores a new open review (version 1) with `opened`; FAILED_PRECONDITION when its
  // portfolio already has an open review for its quarter. `opened_ms` orders the list.
  virtual absl::Status Create(const v1::Review& review, int64_t opened_ms, OutboxEvent opened) = 0;
  // Stores the review's next version with `event` if the stored one is still
  // `expected_version` (ABORTED otherwise: reload and decide again).
  virtual absl::Status Update(const v1::Review& review, int64_t expected_version, OutboxEvent event) = 0;
  // Like Update, and frees the review's quarter for a new review.
  virtual absl::Status Close(const v1::Review& review, int64_t expected_version, OutboxEvent event) = 0;
  // The portfolio's reviews, newest first, from `offset`.
  virtual absl::StatusOr<ReviewPage> List(const std::string& portfolio_id, int64_t offset, int size) = 0;
};

class RedisReviewStore final : public ReviewStore {
 public:
  RedisReviewStore(RedisPool& redis, Outbox& outbox) : redis_(redis), outbox_(outbox) {}

  absl::StatusOr<StoredReview> Load(const std::string& review_id) override;
  absl::Status Create(const v1::Review& review, int64_t opened_ms, OutboxEvent opened) override;
  absl::Status Update(const v1::Review& review, int64_t expected_version, OutboxEvent event) override;
  absl::Status Close(const v1::Review& review, int64_t expected_version, OutboxEvent event) override;
  absl::StatusOr<ReviewPage> List(const std::string& portfolio_id, int64_t offset, int size) override;

 private:
  absl::Status Save(const v1::Review& review, int64_t expected_version, OutboxEvent event, bool closing);
  RedisPool& redis_;
  Outbox& outbox_;
};

}  // namespace pmo::reporting::store
