import { toFloat16Array } from '../gguf/float16.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { OnnxCacheType } from './onnx-export-options.js';
import { type OnnxGraphBuilder, onnxDataType } from './onnx-graph-builder.js';

/**
 * The model's tensors as graph initializers: matrices in the export's weight type (float16-stored
 * matrices are followed by a `Cast` to float32, so the computation stays float32 with the rounded
 * weights), vectors (norms, biases) always float32.
 */
export class OnnxWeights {
  constructor(
    readonly graph: OnnxGraphBuilder,
    readonly model: TinyLlamaModel,
    readonly weightType: OnnxCacheType,
  ) {}

  /** A model tensor; throws for a name the model does not have. */
  tensor(name: string): { shape: readonly number[]; data: Float32Array } {
    const tensor = this.model.tensors.get(name);
    if (!tensor) throw new Error(`the model has no tensor ${name}`);
    return tensor;
  }

  /** A matrix initializer under `name`; returns the name of its float32 value. */
  matrix(name: string, shape: readonly number[], data: Float32Array): string {
    if (this.weightType === 'float32') return this.graph.floats(name, shape, data);
    const stored = this.graph.initializer(`${name}.float16`, {
      dataType: onnxDataType.float16,
      shape,
      bytes: new Uint8Array(toFloat16Array(data).buffer),
    });
    return this.graph.one('Cast', [stored], { to: { integer: onnxDataType.float } }, name);
  }

  /**
   * A linear layer's weight ([out, in] in the model), transposed to [in, out] for `x @ W`. Several
   * names are stacked along `out` first (a fused matrix: Phi-3's `qkv_proj`, `gate_up_proj`) and stored
   * under `storedName`.
   */
  linear(names: readonly string[], storedName = names[0] as string): string {
    const parts = names.map((name) => this.tensor(name));
    const columns = (parts[0]?.shape[1] ?? 0) as number;
    const rows = parts.reduce((total, part) => total + (part.shape[0] as number), 0);
    const transposed = new Float32Array(rows * columns);
    let rowOffset = 0;
    for (const { shape, data } of parts) {
      const partRows = shape[0] as number;
      for (let r = 0; r < partRows; r++) {
        for (let c = 0; c < columns; c++) {
          transposed[c * rows + rowOffset + r] = data[r * columns + c] as number;
        }
      }
      rowOffset += partRows;
    }
    return this.matrix(`${storedName}.transposed`, [columns, rows], transposed);
  }

  /** A float32 vector (norm weight or bias). */
  vector(name: string): string {
    const { shape, data } = this.tensor(name);
    return this.graph.floats(name, shape, data);
  }
}
