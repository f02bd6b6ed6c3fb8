#!/usr/bin/env bash
# Regenerates Sources/InferenceGRPC from proto/grpc_predict_v2.proto (see proto/README.md).
# Usage: bash proto/generate.sh DIR_WITH_protoc-gen-swift_AND_protoc-gen-grpc-swift-2
set -euo pipefail
plugins=${1:?give the folder holding protoc-gen-swift and protoc-gen-grpc-swift-2}
cd "$(dirname "$0")/.."
protoc --proto_path=proto \
  --plugin=protoc-gen-swift="$plugins/protoc-gen-swift" \
  --plugin=protoc-gen-grpc-swift="$plugins/protoc-gen-grpc-swift-2" \
  --swift_opt=Visibility=Public --swift_out=Sources/InferenceGRPC \
  --grpc-swift_opt=Visibility=Public,Client=true,Server=true --grpc-swift_out=Sources/InferenceGRPC \
  grpc_predict_v2.proto
