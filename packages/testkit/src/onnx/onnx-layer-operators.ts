import type { ArchitectureFeatures } from '../families/architecture-features.js';
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';

/** The element-wise pieces of a decoder block as graph builders: RMSNorm and the MLP gate activation. */
export interface LayerOperators {
  /**
   * RMSNorm over the last axis: x / √(mean(x²) + ε) · w, or · (1 + w) for Gemma's offset weights.
   * `weight` is the float32 initializer of w (a whole hidden state's, or one head's for q/k norms).
   */
  rmsNorm(input: string, weight: string): string;
  /** SiLU (x·σ(x)) or GELU with the tanh approximation, as the family's MLP uses. */
  activation(input: string): string;
}

/** The operators of a model with these features and this RMSNorm epsilon. */
export function layerOperators(
  graph: OnnxGraphBuilder,
  features: ArchitectureFeatures,
  epsilon: number,
): LayerOperators {
  const epsilonValue = graph.floats('rms_norm_epsilon', [], [epsilon]);
  const two = graph.floats('two', [], [2]);
  let oneValue: string | undefined;
  const one = () => {
    oneValue ??= graph.floats('one_float', [], [1]);
    return oneValue;
  };
  const scaled = (weight: string) =>
    features.normWeight === 'offset' ? graph.one('Add', [weight, one()]) : weight;
  const rmsNorm = (input: string, weight: string) => {
    const squared = graph.one('Pow', [input, two]);
    const mean = graph.one('ReduceMean', [squared], { axes: { integers: [-1] }, keepdims: { integer: 1 } });
    const root = graph.one('Sqrt', [graph.one('Add', [mean, epsilonValue])]);
    return graph.one('Mul', [graph.one('Div', [input, root]), scaled(weight)]);
  };
  if (features.activation === 'silu') {
    return { rmsNorm, activation: (x) => graph.one('Mul', [x, graph.one('Sigmoid', [x])]) };
  }
  // GELU, tanh approximation: ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
  const half = graph.floats('gelu_half', [], [0.5]);
  const cubic = graph.floats('gelu_cubic', [], [0.044715]);
  const three = graph.floats('three', [], [3]);
  const root = graph.floats('gelu_root_two_over_pi', [], [Math.sqrt(2 / Math.PI)]);
  const activation = (x: string) => {
    const inner = graph.one('Add', [x, graph.one('Mul', [graph.one('Pow', [x, three]), cubic])]);
    const tanh = graph.one('Tanh', [graph.one('Mul', [inner, root])]);
    return graph.one('Mul', [graph.one('Mul', [x, half]), graph.one('Add', [tanh, one()])]);
  };
  return { rmsNorm, activation };
}
