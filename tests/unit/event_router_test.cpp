// Tests of common/src/event_router.cpp: one handler per payload type, the one version
// rule, the log correlation id set for the handler and always cleared, ignored types
// counted, and undecodable or misplaced records refused so the consumer dead-letters them.
#include "pmo/common/event_router.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/common/log.h"
#include "pmo/common/metrics.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/intake/v1/intake.pb.h"
#include "support.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using pmo::testing::StatusIs;

intake::v1::InitiativeSubmitted Submitted(const std::string& id, int64_t version) {
  intake::v1::InitiativeSubmitted out;
  out.mutable_initiative()->set_id(id);
  out.mutable_initiative()->set_version(version);
  return out;
}

intake::v1::InitiativeUpdated Updated(const std::string& id, int64_t version) {
  intake::v1::InitiativeUpdated out;
  out.mutable_initiative()->set_id(id);
  out.mutable_initiative()->set_version(version);
  return out;
}

intake::v1::ReportProgressRequest Progress(const std::string& initiative_id) {
  intake::v1::ReportProgressRequest out;
  out.set_initiative_id(initiative_id);
  return out;
}

events::v1::Envelope Envelope(const google::protobuf::Message& payload, int64_t aggregate_version,
                              const std::string& correlation_id = "corr-1") {
  return MakeEnvelope(payload, {.source = "pmo-test", .subject = "in-1", .portfolio_id = "pf-1",
                                .aggregate_version = aggregate_version, .correlation_id = correlation_id,
                                .causation_id = "cause-0"});
}

KafkaMessage Record(std::string_view topic, const events::v1::Envelope& envelope) {
  KafkaMessage record;
  record.topic = std::string(topic);
  record.partition = 2;
  record.offset = 41;
  record.key = envelope.subject();
  record.value = envelope.SerializeAsString();
  return record;
}

int64_t InitiativeVersion(const intake::v1::InitiativeSubmitted& e) { return e.initiative().version(); }

class EventRouterTest : public ::testing::Test {
 protected:
  void SetUp() override { log::SetThreadCorrelationId(""); }
  void TearDown() override { log::SetThreadCorrelationId(""); }

  // The ignored-events line of the scrape, or "" when there is none for this topic/type.
  std::string IgnoredLine(std::string_view topic, std::string_view type) const {
    const std::string needle = "pmo_events_ignored_total{service=\"pmo-test\",topic=\"" + std::string(topic) +
                               "\",type=\"" + std::string(type) + "\"} ";
    const std::string text = metrics_.Scrape();
    const size_t at = text.find(needle);
    if (at == std::string::npos) return "";
    return text.substr(at, text.find('\n', at) - at);
  }

  Metrics metrics_{"pmo-test"};
};

TEST_F(EventRouterTest, EachPayloadTypeReachesItsOwnHandler) {
  std::vector<std::string> calls;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted& e, const EventContext&) {
        calls.push_back("submitted " + e.initiative().id());
        return absl::OkStatus();
      })
      .On<intake::v1::InitiativeUpdated>([&](const intake::v1::InitiativeUpdated& e, const EventContext&) {
        calls.push_back("updated " + e.initiative().id());
        return absl::OkStatus();
      });

  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1))).ok());
  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Updated("in-2", 2), 2))).ok());
  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-3", 1), 1))).ok());
  EXPECT_THAT(calls, ElementsAre("submitted in-1", "updated in-2", "submitted in-3"));
}

TEST_F(EventRouterTest, ContextCarriesTheRecordTheEnvelopeAndTheCallContext) {
  const auto envelope = Envelope(Submitted("in-1", 4), 4, "corr-42");
  const auto record = Record(topics::kIntakeEvents, envelope);
  int calls = 0;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted&, const EventContext& ctx) {
        ++calls;
        EXPECT_EQ(ctx.topic(), topics::kIntakeEvents);
        EXPECT_EQ(ctx.record.offset, 41);
        EXPECT_EQ(ctx.record.key, "in-1");
        EXPECT_EQ(ctx.event_id(), envelope.event_id());
        EXPECT_EQ(ctx.envelope.portfolio_id(), "pf-1");
        // What the changes this event causes carry into their own events.
        EXPECT_EQ(ctx.call.correlation_id, "corr-42");
        EXPECT_EQ(ctx.call.causation_id, envelope.event_id());
        return absl::OkStatus();
      });
  EXPECT_TRUE(router.Route(record).ok());
  EXPECT_EQ(calls, 1);
}

TEST_F(EventRouterTest, HandlerStatusIsTheRoutesStatus) {
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([](const intake::v1::InitiativeSubmitted&, const EventContext&) {
        return absl::UnavailableError("redis is down");
      });
  EXPECT_THAT(router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1))),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("redis is down")));
  // The consumer's handler is the same route.
  const Consumer::Handler handler = router.AsConsumerHandler();
  EXPECT_THAT(handler(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1))),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("redis is down")));
}

// --- The version rule ------------------------------------------------------------------

class VersionRuleTest : public EventRouterTest {
 protected:
  // The version the handler saw for a submitted event whose envelope says
  // `envelope_version` and whose payload says `payload_version`.
  int64_t SeenVersion(int64_t envelope_version, int64_t payload_version, bool with_version_of) {
    int64_t seen = -1;
    EventRouter router(&metrics_);
    EventRouter::Handler<intake::v1::InitiativeSubmitted> handler =
        [&](const intake::v1::InitiativeSubmitted&, const EventContext& ctx) {
          seen = ctx.version;
          return absl::OkStatus();
        };
    if (with_version_of) {
      router.Subscribe(topics::kIntakeEvents).On<intake::v1::InitiativeSubmitted>(handler, InitiativeVersion);
    } else {
      router.Subscribe(topics::kIntakeEvents).On<intake::v1::InitiativeSubmitted>(handler);
    }
    EXPECT_TRUE(
        router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", payload_version), envelope_version)))
            .ok());
    return seen;
  }
};

TEST_F(VersionRuleTest, TheEnvelopesVersionWins) {
  EXPECT_EQ(SeenVersion(/*envelope=*/7, /*payload=*/3, /*with_version_of=*/true), 7);
  EXPECT_EQ(SeenVersion(/*envelope=*/2, /*payload=*/9, /*with_version_of=*/true), 2);
  EXPECT_EQ(SeenVersion(/*envelope=*/7, /*payload=*/3, /*with_version_of=*/false), 7);
}

TEST_F(VersionRuleTest, ThePayloadsVersionOnlyWhenTheEnvelopeHasNone) {
  EXPECT_EQ(SeenVersion(/*envelope=*/0, /*payload=*/3, /*with_version_of=*/true), 3);
}

TEST_F(VersionRuleTest, NoVersionAnywhereIsZero) {
  EXPECT_EQ(SeenVersion(/*envelope=*/0, /*payload=*/3, /*with_version_of=*/false), 0);
  EXPECT_EQ(SeenVersion(/*envelope=*/0, /*payload=*/0, /*with_version_of=*/true), 0);
}

// --- The log correlation id ------------------------------------------------------------

TEST_F(EventRouterTest, CorrelationIdIsSetForTheHandlerAndClearedAfter) {
  std::string during;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted&, const EventContext&) {
        during = log::ThreadCorrelationId();
        return absl::OkStatus();
      });
  ASSERT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1, "corr-ok"))).ok());
  EXPECT_EQ(during, "corr-ok");
  EXPECT_EQ(log::ThreadCorrelationId(), "");
}

TEST_F(EventRouterTest, CorrelationIdIsClearedWhenTheHandlerFails) {
  std::string during;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted&, const EventContext&) {
        during = log::ThreadCorrelationId();
        return absl::AbortedError("stale version");
      });
  EXPECT_THAT(router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1, "corr-fail"))),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("stale version")));
  EXPECT_EQ(during, "corr-fail");
  EXPECT_EQ(log::ThreadCorrelationId(), "");
}

TEST_F(EventRouterTest, CorrelationIdIsClearedEvenWhenAHandlerThrows) {
  // No handler should let an exception out; if one does, the next record's log lines
  // must still not carry this event's id.
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>(
          [](const intake::v1::InitiativeSubmitted&, const EventContext&) -> absl::Status {
            throw std::runtime_error("bug");
          });
  EXPECT_THROW((void)router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1, "corr-throw"))),
               std::runtime_error);
  EXPECT_EQ(log::ThreadCorrelationId(), "");
}

TEST_F(EventRouterTest, CorrelationIdIsClearedAfterAnIgnoredRecord) {
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents);
  log::SetThreadCorrelationId("left-over");
  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Updated("in-1", 1), 1, "corr-ignored"))).ok());
  EXPECT_EQ(log::ThreadCorrelationId(), "");
}

TEST_F(EventRouterTest, ARefusedRecordLeavesNoCorrelationIdBehind) {
  EventRouter router(&metrics_);
  router.OnIngest<intake::v1::ReportProgressRequest>(
      topics::kIngestProgress, [](const intake::v1::ReportProgressRequest&, const EventContext&) {
        return absl::OkStatus();
      });
  auto envelope = Envelope(Progress("in-1"), 0, "corr-refused");
  envelope.clear_event_id();
  EXPECT_THAT(router.Route(Record(topics::kIngestProgress, envelope)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has no event_id")));
  EXPECT_EQ(log::ThreadCorrelationId(), "");
  EXPECT_THAT(router.Route(Record(topics::kIngestProgress, Envelope(Updated("in-1", 1), 1, "corr-wrong-type"))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must hold")));
  EXPECT_EQ(log::ThreadCorrelationId(), "");
}

// --- Ignored types ---------------------------------------------------------------------

TEST_F(EventRouterTest, UnregisteredTypesAreIgnoredAndCounted) {
  int calls = 0;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted&, const EventContext&) {
        ++calls;
        return absl::OkStatus();
      });
  EXPECT_EQ(IgnoredLine(topics::kIntakeEvents, "pmo.intake.v1.InitiativeUpdated"), "");

  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Updated("in-1", 2), 2))).ok());
  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Updated("in-2", 3), 3))).ok());
  intake::v1::PortfolioChanged portfolio;
  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(portfolio, 1))).ok());

  EXPECT_EQ(calls, 0);
  EXPECT_THAT(IgnoredLine(topics::kIntakeEvents, "pmo.intake.v1.InitiativeUpdated"), HasSubstr("} 2"));
  EXPECT_THAT(IgnoredLine(topics::kIntakeEvents, "pmo.intake.v1.PortfolioChanged"), HasSubstr("} 1"));
  // A handled type is not counted as ignored.
  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1))).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(IgnoredLine(topics::kIntakeEvents, "pmo.intake.v1.InitiativeSubmitted"), "");
}

TEST_F(EventRouterTest, IgnoringNeedsNoMetrics) {
  EventRouter router;
  router.Subscribe(topics::kIntakeEvents);
  EXPECT_TRUE(router.Route(Record(topics::kIntakeEvents, Envelope(Updated("in-1", 2), 2))).ok());
}

// --- Records that cannot be handled ----------------------------------------------------

TEST_F(EventRouterTest, AnUndecodableRecordIsInvalid) {
  int calls = 0;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted&, const EventContext&) {
        ++calls;
        return absl::OkStatus();
      });
  KafkaMessage record = Record(topics::kIntakeEvents, Envelope(Submitted("in-1", 1), 1));
  record.value = "\xff\xff not a protobuf";
  EXPECT_THAT(router.Route(record), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("envelope")));
  record.headers = {{"content-type", "application/json"}};
  record.value = "{\"event_id\": ";
  EXPECT_THAT(router.Route(record), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("JSON")));
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(log::ThreadCorrelationId(), "");
}

TEST_F(EventRouterTest, APayloadThatDoesNotParseAsItsTypeIsInvalid) {
  int calls = 0;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted&, const EventContext&) {
        ++calls;
        return absl::OkStatus();
      });
  auto envelope = Envelope(Submitted("in-1", 1), 1);
  envelope.mutable_payload()->set_value("\xff\xff\xff");
  EXPECT_THAT(router.Route(Record(topics::kIntakeEvents, envelope)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pmo.intake.v1.InitiativeSubmitted")));
  EXPECT_EQ(calls, 0);
}

// --- Ingest topics ---------------------------------------------------------------------

TEST_F(EventRouterTest, IngestTopicsHoldOnePayloadType) {
  std::vector<std::string> progress;
  int submitted = 0;
  EventRouter router(&metrics_);
  router.Subscribe(topics::kIntakeEvents)
      .On<intake::v1::InitiativeSubmitted>([&](const intake::v1::InitiativeSubmitted&, const EventContext&) {
        ++submitted;
        return absl::OkStatus();
      })
      .OnIngest<intake::v1::ReportProgressRequest>(
          topics::kIngestProgress, [&](const intake::v1::ReportProgressRequest& r, const EventContext& ctx) {
            progress.push_back(r.initiative_id() + "@" + ctx.topic());
            return absl::OkStatus();
          });

  EXPECT_TRUE(router.Route(Record(topics::kIngestProgress, Envelope(Progress("in-7"), 0))).ok());
  EXPECT_THAT(progress, ElementsAre("in-7@pmo.ingest.progress.v1"));

  // Any other type on an ingest topic is refused, even one with a handler of its own:
  // the record is misplaced, not uninteresting.
  const absl::Status wrong = router.Route(Record(topics::kIngestProgress, Envelope(Submitted("in-1", 1), 1)));
  EXPECT_THAT(wrong, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("records on pmo.ingest.progress.v1 must hold "
                                        "pmo.intake.v1.ReportProgressRequest")));
  EXPECT_THAT(std::string(wrong.message()), HasSubstr("\"pmo.intake.v1.InitiativeSubmitted\""));
  EXPECT_EQ(submitted, 0);
  EXPECT_EQ(IgnoredLine(topics::kIngestProgress, "pmo.intake.v1.InitiativeSubmitted"), "");
  EXPECT_THAT(progress, ElementsAre("in-7@pmo.ingest.progress.v1"));
}

TEST_F(EventRouterTest, IngestRecordsMayBeJson) {
  std::vector<std::string> progress;
  EventRouter router(&metrics_);
  router.OnIngest<intake::v1::ReportProgressRequest>(
      topics::kIngestProgress, [&](const intake::v1::ReportProgressRequest& r, const EventContext&) {
        progress.push_back(r.initiative_id());
        return absl::OkStatus();
      });
  KafkaMessage record = Record(topics::kIngestProgress, Envelope(Progress("in-8"), 0));
  record.value = ToJson(Envelope(Progress("in-8"), 0));
  record.headers = {{"content-type", "application/json"}};
  EXPECT_TRUE(router.Route(record).ok());
  EXPECT_THAT(progress, ElementsAre("in-8"));
}

TEST_F(EventRouterTest, IngestRefusesAMissingEventId) {
  int calls = 0;
  EventRouter router(&metrics_);
  router.OnIngest<intake::v1::ReportProgressRequest>(
      topics::kIngestProgress, [&](const intake::v1::ReportProgressRequest&, const EventContext&) {
        ++calls;
        return absl::OkStatus();
      });
  auto envelope = Envelope(Progress("in-7"), 0);
  envelope.clear_event_id();
  EXPECT_THAT(router.Route(Record(topics::kIngestProgress, envelope)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has no event_id")));
  EXPECT_EQ(calls, 0);
}

TEST_F(EventRouterTest, IngestAcceptsAMissingEventIdWhenNotRequired) {
  std::vector<std::string> seen_ids;
  EventRouter router(&metrics_);
  router.OnIngest<intake::v1::ReportProgressRequest>(
      topics::kIngestProgress,
      [&](const intake::v1::ReportProgressRequest& r, const EventContext& ctx) {
        seen_ids.push_back(r.initiative_id() + ":" + ctx.event_id());
        return absl::OkStatus();
      },
      /*require_event_id=*/false);
  auto envelope = Envelope(Progress("in-7"), 0);
  envelope.clear_event_id();
  EXPECT_TRUE(router.Route(Record(topics::kIngestProgress, envelope)).ok());
  EXPECT_THAT(seen_ids, ElementsAre("in-7:"));
}

// --- Topics ----------------------------------------------------------------------------

TEST_F(EventRouterTest, TopicsListsSubscribedAndIngestTopicsOnceEach) {
  const EventRouter::Handler<intake::v1::ReportProgressRequest> ingest =
      [](const intake::v1::ReportProgressRequest&, const EventContext&) { return absl::OkStatus(); };
  EventRouter router(&metrics_);
  EXPECT_TRUE(router.Topics().empty());
  router.Subscribe(topics::kIntakeEvents)
      .Subscribe(topics::kOkrEvents)
      .Subscribe(topics::kIntakeEvents)
      .OnIngest<intake::v1::ReportProgressRequest>(topics::kIngestProgress, ingest)
      .OnIngest<intake::v1::ReportProgressRequest>(topics::kIngestProgress, ingest)
      .Subscribe(topics::kIngestProgress)
      .On<intake::v1::InitiativeSubmitted>(
          [](const intake::v1::InitiativeSubmitted&, const EventContext&) { return absl::OkStatus(); });
  EXPECT_THAT(router.Topics(),
              ElementsAre(std::string(topics::kIntakeEvents), std::string(topics::kOkrEvents),
                          std::string(topics::kIngestProgress)));
}

}  // namespace
}  // namespace pmo
