// pmo-schemagen: writes the JSON Schema of every ingest topic's payload into a folder
// (docs/schemas/ in the repository; a test checks the committed files are current).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/kafka.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/okr.pb.h"
#include "schema.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pmo-schemagen OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path out(argv[1]);
  std::filesystem::create_directories(out);
  const std::pair<std::string_view, const google::protobuf::Descriptor*> topics[] = {
      {pmo::topics::kIngestProgress, pmo::intake::v1::ReportProgressRequest::descriptor()},
      {pmo::topics::kIngestKrCheckins, pmo::okr::v1::CheckInRequest::descriptor()},
      {pmo::topics::kIngestBenefitMeasurements, pmo::benefits::v1::RecordMeasurementRequest::descriptor()},
  };
  for (const auto& [topic, type] : topics) {
    const std::string file = std::string(topic) + ".schema.json";
    std::ofstream f(out / file);
    f << pmo::schemagen::SchemaOf(type, "https://pmo-suite.example/schemas/" + file).dump(2) << "\n";
    if (!f) {
      std::fprintf(stderr, "pmo-schemagen: cannot write %s\n", (out / file).c_str());
      return 1;
    }
  }
  return 0;
}
