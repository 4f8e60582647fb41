#include "services/reporting/store/review_store.h"

#include "absl/strings/str_cat.h"
#include "services/reporting/store/keys.h"

namespace pmo::reporting::store {

absl::StatusOr<StoredReview> RedisReviewStore::Load(const std::string& id) {
  auto p = redis_.Command({"HGET", keys::kReviewPortfolio, id});
  if (!p.ok()) return p.status();
  if (p->is_nil()) return absl::NotFoundError(absl::StrCat("review ", id, " not found"));
  auto r = redis_.Command({"HMGET", keys::Review(std::string(p->str()), id), "version", "data"});
  if (!r.ok()) return r.status();
  if (r->at(1).is_nil()) return absl::NotFoundError(absl::StrCat("review ", id, " not found"));
  auto review = ParseStored<v1::Review>(r->at(1).str(), "review " + id);
  if (!review.ok()) return review.status();
  auto version = StoredInt(r->at(0));
  if (!version.ok()) return version.status();
  return StoredReview{std::move(*review), *version};
}

absl::Status RedisReviewStore::Create(const v1::Review& review, int64_t opened_ms, OutboxEvent opened) {
  const std::string& p = review.portfolio_id();
  AtomicWrite w;
  w.ExpectAbsent(keys::OpenReview(p, review.quarter()),
                 absl::StrCat("portfolio ", p, " already has an open review for ", review.quarter()),
                 absl::StatusCode::kFailedPrecondition)
      .Command({"HSET", keys::Review(p, review.id()), "version", std::to_string(review.version()), "data",
                review.SerializeAsString()})
      .Command({"SET", keys::OpenReview(p, review.quarter()), review.id()})
      .Command({"ZADD", keys::Reviews(p), std::to_string(opened_ms), review.id()})
      .Command({"HSET", keys::kReviewPortfolio, review.id(), p})
      .Publish(std::move(opened));
  return outbox_.Commit(w).status();
}

absl::Status RedisReviewStore::Save(const v1::Review& review, int64_t expected_version, OutboxEvent event,
                                    bool closing) {
  AtomicWrite w;
  std::string key = keys::Review(review.portfolio_id(), review.id());
  w.ExpectField(key, "version", std::to_string(expected_version))
      .Command({"HSET", key, "version", std::to_string(review.version()), "data", review.SerializeAsString()});
  if (closing) w.Command({"DEL", keys::OpenReview(review.portfolio_id(), review.quarter())});
  w.Publish(std::move(event));
  return outbox_.Commit(w).status();
}

absl::Status RedisReviewStore::Update(const v1::Review& review, int64_t expected_version, OutboxEvent event) {
  return Save(review, expected_version, std::move(event), false);
}

absl::Status RedisReviewStore::Close(const v1::Review& review, int64_t expected_version, OutboxEvent event) {
  return Save(review, expected_version, std::move(event), true);
}

absl::StatusOr<ReviewPage> RedisReviewStore::List(const std::string& p, int64_t offset, int size) {
  // One more than asked for tells whether a next page exists.
  auto ids = redis_.Command({"ZREVRANGE", keys::Reviews(p), std::to_string(offset), std::to_string(offset + size)});
  if (!ids.ok()) return ids.status();
  ReviewPage out;
  std::vector<RedisArgs> cmds;
  size_t n = std::min<size_t>(ids->size(), static_cast<size_t>(size));
  for (size_t i = 0; i < n; ++i) cmds.push_back({"HGET", keys::Review(p, std::string(ids->at(i).str())), "data"});
  if (!cmds.empty()) {
    auto replies = redis_.Pipeline(cmds);
    if (!replies.ok()) return replies.status();
    for (const auto& reply : *replies) {
      if (reply.is_nil()) continue;
      v1::Review review;
      if (!review.ParseFromArray(reply.str().data(), static_cast<int>(reply.str().size())))
        return absl::DataLossError("a stored review does not decode");
      out.reviews.push_back(std::move(review));
    }
  }
  out.more = ids->size() > n;
  return out;
}

}  // namespace pmo::reporting::store
