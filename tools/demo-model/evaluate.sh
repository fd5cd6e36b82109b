#!/usr/bin/env bash
# Measures the model card's figures: the bundled demo model on the held-out Grocery episodes 350–399,
# on both backends, at full context and at cache budgets of 512 and 384 tokens, every policy, option
# texts scored (cloze) and the paper's letters. Results folders go to $1 (default build/results);
# finished runs are resumed, not repeated. Needs `pnpm build` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${SIRLLM_DATA:-$root/../shared/datasets/sirllm}
model=${MODEL:-$root/models/sirllm-grocery-demo}
out=${1:-$root/tools/demo-model/build/results}
backends=${BACKENDS:-llamacpp transformers}
threads=${THREADS:-1}
for backend in $backends; do
  path=$model
  cache=()
  # llama.cpp with a float32 key-value cache computes what onnxruntime computes with the float32 ONNX.
  if [ "$backend" = llamacpp ]; then path=$model/sirllm-grocery-demo.f32.gguf cache=(--kv-cache f32); fi
  run() {
    node "$root/packages/cli/dist/bin.js" eval grocery --backend "$backend" --model "$path" --data "$data" "${cache[@]}" \
      --skip 350 --limit 50 --prompt chat-template --threads "$threads" --random-seeds "${RANDOM_SEEDS:-3}" \
      --out "$out" "$@"
  }
  run --policy full --capacity 2048 --scoring cloze
  run --policy full --capacity 2048 --scoring letter
  for capacity in 512 384; do
    run --policy sirllm,streaming-llm,random,interval --capacity "$capacity" --scoring cloze
  done
done
