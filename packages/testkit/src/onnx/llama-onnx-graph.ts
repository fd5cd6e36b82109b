import { toFloat16Array } from '../gguf/float16.js';
import {
  embeddingTensorName,
  finalNormTensorName,
  layerTensorNames,
  outputHeadTensorName,
} from '../tiny-llama/tensor-names.js';
import type { TinyLlamaConfig, TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { OnnxCacheType, OnnxExportOptions } from './onnx-export-options.js';
import { type OnnxDataType, OnnxGraphBuilder, onnxDataType } from './onnx-graph-builder.js';
import { rotaryCosineSine } from './rotary-cosine-sine.js';

/**
 * Writes a tiny Llama model as an ONNX decoder with the transformers.js interface: `input_ids`,
 * `attention_mask`, (`position_ids`), `past_key_values.{i}.key|value` [batch_size, kv_heads,
 * past_sequence_length, head_dim] in, `logits` [batch_size, sequence_length, vocab] and
 * `present.{i}.key|value` out. Returns the `.onnx` bytes (weights inline).
 */
export function writeLlamaOnnx(model: TinyLlamaModel, options: OnnxExportOptions = {}): Uint8Array {
  const style = options.style ?? 'position-ids';
  const cacheType: OnnxDataType = options.cacheType === 'float16' ? onnxDataType.float16 : onnxDataType.float;
  const { config } = model;
  const graph = new OnnxGraphBuilder();
  const weight = (name: string) => {
    const tensor = model.tensors.get(name);
    if (!tensor) throw new Error(`the model has no tensor ${name}`);
    return tensor;
  };
  const matrix = matrixInitializer(graph, options.weightType ?? 'float32');
  /** A linear layer's weight, transposed to [in, out] for `x @ W`. */
  const linear = (name: string) => {
    const { shape, data } = weight(name);
    const [rows, columns] = shape as [number, number];
    const transposed = new Float32Array(rows * columns);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) transposed[c * rows + r] = data[r * columns + c] as number;
    }
    return matrix(`${name}.transposed`, [columns, rows], transposed);
  };
  const vector = (name: string) => graph.floats(name, weight(name).shape, weight(name).data);

  const inputIds = graph.input('input_ids', onnxDataType.int64, ['batch_size', 'sequence_length']);
  const attentionMask = graph.input('attention_mask', onnxDataType.int64, [
    'batch_size',
    'total_sequence_length',
  ]);
  const positionIds =
    style === 'position-ids'
      ? graph.input('position_ids', onnxDataType.int64, ['batch_size', 'sequence_length'])
      : undefined;
  const cacheShape = ['batch_size', config.keyValueHeads, 'past_sequence_length', config.headDimension];
  const presentShape = ['batch_size', config.keyValueHeads, 'total_sequence_length', config.headDimension];
  const pasts = Array.from({ length: config.layers }, (_, layer) => ({
    key: graph.input(`past_key_values.${layer}.key`, cacheType, cacheShape),
    value: graph.input(`past_key_values.${layer}.value`, cacheType, cacheShape),
  }));

  const epsilon = graph.floats('rms_norm_epsilon', [], [config.rmsNormEpsilon]);
  const two = graph.floats('two', [], [2]);
  const rmsNorm = (input: string, weightName: string) => {
    const squared = graph.one('Pow', [input, two]);
    const mean = graph.one('ReduceMean', [squared], { axes: { integers: [-1] }, keepdims: { integer: 1 } });
    const root = graph.one('Sqrt', [graph.one('Add', [mean, epsilon])]);
    return graph.one('Mul', [graph.one('Div', [input, root]), vector(weightName)]);
  };

  const embedding = matrix(
    embeddingTensorName,
    weight(embeddingTensorName).shape,
    weight(embeddingTensorName).data,
  );
  let hidden = graph.one('Gather', [embedding, inputIds], { axis: { integer: 0 } });
  const attention =
    style === 'position-ids'
      ? standardAttention(graph, config, attentionMask, inputIds, positionIds as string, cacheType)
      : fusedAttention(graph, config, attentionMask, cacheType);
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer);
    const past = pasts[layer] as { key: string; value: string };
    const normed = rmsNorm(hidden, names.inputNorm);
    const attended = attention({
      normed,
      layer,
      query: linear(names.query),
      key: linear(names.key),
      value: linear(names.value),
      pastKey: past.key,
      pastValue: past.value,
    });
    hidden = graph.one('Add', [hidden, graph.one('MatMul', [attended, linear(names.output)])]);
    const normedAgain = rmsNorm(hidden, names.feedForwardNorm);
    const gate = graph.one('MatMul', [normedAgain, linear(names.gate)]);
    const up = graph.one('MatMul', [normedAgain, linear(names.up)]);
    const activated = graph.one('Mul', [graph.one('Mul', [gate, graph.one('Sigmoid', [gate])]), up]);
    hidden = graph.one('Add', [hidden, graph.one('MatMul', [activated, linear(names.down)])]);
    graph.output(`present.${layer}.key`, cacheType, presentShape);
    graph.output(`present.${layer}.value`, cacheType, presentShape);
  }
  // A tied head reads the embedding initializer through a Transpose instead of storing a second copy.
  const head = config.tiedEmbeddings
    ? graph.one('Transpose', [embedding], { perm: { integers: [1, 0] } })
    : linear(outputHeadTensorName);
  const logits = graph.one('MatMul', [rmsNorm(hidden, finalNormTensorName), head]);
  const logitsType = options.logitsType === 'float16' ? onnxDataType.float16 : onnxDataType.float;
  graph.one('Cast', [logits], { to: { integer: logitsType } }, 'logits');
  graph.output('logits', logitsType, ['batch_size', 'sequence_length', config.vocabularySize]);
  return graph.encode(`tiny-llama-${style}`);
}

/**
 * Adds a weight matrix as a float32 initializer, or as a float16 initializer followed by a `Cast` to
 * float32; returns the name of the float32 value either way.
 */
function matrixInitializer(graph: OnnxGraphBuilder, weightType: OnnxCacheType) {
  return (name: string, shape: readonly number[], data: Float32Array): string => {
    if (weightType === 'float32') return graph.floats(name, shape, data);
    const stored = graph.initializer(`${name}.float16`, {
      dataType: onnxDataType.float16,
      shape,
      bytes: new Uint8Array(toFloat16Array(data).buffer),
    });
    return graph.one('Cast', [stored], { to: { integer: onnxDataType.float } }, name);
  };
}

interface AttentionInputs {
  readonly normed: string;
  readonly layer: number;
  readonly query: string;
  readonly key: string;
  readonly value: string;
  readonly pastKey: string;
  readonly pastValue: string;
}

type AttentionBuilder = (inputs: AttentionInputs) => string;

/** Attention from standard operators: RoPE via gathered cos/sin tables, GQA via Expand + Reshape. */
function standardAttention(
  graph: OnnxGraphBuilder,
  config: TinyLlamaConfig,
  attentionMask: string,
  inputIds: string,
  positionIds: string,
  cacheType: OnnxDataType,
): AttentionBuilder {
  const { attentionHeads, keyValueHeads, headDimension } = config;
  const tables = rotaryCosineSine(config, 'full');
  const cosTable = graph.floats('rope_cos', [tables.positions, headDimension], tables.cos);
  const sinTable = graph.floats('rope_sin', [tables.positions, headDimension], tables.sin);
  const unsqueezeAxis = graph.integers('axis_1', [1], [1]);
  const cos = graph.one('Unsqueeze', [graph.one('Gather', [cosTable, positionIds]), unsqueezeAxis]);
  const sin = graph.one('Unsqueeze', [graph.one('Gather', [sinTable, positionIds]), unsqueezeAxis]);
  // rotate_half as an exact ±1 permutation matrix: (x @ R)[j] = −x[j + r/2] for j < r/2, x[j − r/2] for
  // r/2 ≤ j < r, and 0 past the rotary part (whose sine is 0 anyway).
  const rotary = config.rope.rotaryDimensions ?? headDimension;
  const rotateHalf = new Float32Array(headDimension * headDimension);
  for (let j = 0; j < rotary / 2; j++) rotateHalf[(j + rotary / 2) * headDimension + j] = -1;
  for (let j = rotary / 2; j < rotary; j++) rotateHalf[(j - rotary / 2) * headDimension + j] = 1;
  const rotateMatrix = graph.floats('rotate_half', [headDimension, headDimension], rotateHalf);
  const applyRope = (x: string) =>
    graph.one('Add', [
      graph.one('Mul', [x, cos]),
      graph.one('Mul', [graph.one('MatMul', [x, rotateMatrix]), sin]),
    ]);

  // Causal mask over cache indices, combined with attention_mask: [batch, 1, sequence, total].
  const sliceStart = { start: { integer: 1 }, end: { integer: 2 } };
  const sequenceLength = graph.one('Squeeze', [graph.one('Shape', [inputIds], sliceStart)]);
  const totalLength = graph.one('Squeeze', [graph.one('Shape', [attentionMask], sliceStart)]);
  const pastLength = graph.one('Sub', [totalLength, sequenceLength]);
  const zero = graph.integers('zero', [], [0]);
  const one = graph.integers('one', [], [1]);
  const keyIndex = graph.one('Range', [zero, totalLength, one]);
  const queryIndex = graph.one('Unsqueeze', [
    graph.one('Range', [pastLength, totalLength, one]),
    unsqueezeAxis,
  ]);
  const causal = graph.one('LessOrEqual', [keyIndex, queryIndex]);
  const padding = graph.one('Unsqueeze', [
    graph.one('Cast', [attentionMask], { to: { integer: onnxDataType.bool } }),
    graph.integers('axes_1_2', [2], [1, 2]),
  ]);
  const allowed = graph.one('And', [causal, padding]);
  const masked = graph.floats('masked_score', [], [-1e9]);
  const scale = graph.floats('attention_scale', [], [1 / Math.sqrt(headDimension)]);
  const headsShape = (heads: number) =>
    graph.integers(`heads_shape_${heads}`, [4], [0, 0, heads, headDimension]);
  const queryHeads = headsShape(attentionHeads);
  const keyValueShape = headsShape(keyValueHeads);
  const group = attentionHeads / keyValueHeads;
  const expandShape = graph.integers('group_expand', [5], [1, 1, group, 1, 1]);
  const groupedShape = graph.integers('grouped_shape', [4], [0, attentionHeads, -1, headDimension]);
  const mergedShape = graph.integers('merged_shape', [3], [0, 0, attentionHeads * headDimension]);
  const axis2 = graph.integers('axis_2', [1], [2]);
  const toHeads = (x: string, shape: string) =>
    graph.one('Transpose', [graph.one('Reshape', [x, shape])], { perm: { integers: [0, 2, 1, 3] } });
  const toCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: cacheType } });
  const fromCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: onnxDataType.float } });
  const expandGroups = (x: string) =>
    group === 1
      ? x
      : graph.one('Reshape', [
          graph.one('Expand', [graph.one('Unsqueeze', [x, axis2]), expandShape]),
          groupedShape,
        ]);

  return ({ normed, layer, query, key, value, pastKey, pastValue }) => {
    const q = applyRope(toHeads(graph.one('MatMul', [normed, query]), queryHeads));
    const k = applyRope(toHeads(graph.one('MatMul', [normed, key]), keyValueShape));
    const v = toHeads(graph.one('MatMul', [normed, value]), keyValueShape);
    const presentKey = graph.one(
      'Concat',
      [pastKey, toCache(k)],
      { axis: { integer: 2 } },
      `present.${layer}.key`,
    );
    const presentValue = graph.one(
      'Concat',
      [pastValue, toCache(v)],
      { axis: { integer: 2 } },
      `present.${layer}.value`,
    );
    const keys = expandGroups(fromCache(presentKey));
    const values = expandGroups(fromCache(presentValue));
    const scores = graph.one('Mul', [
      graph.one('MatMul', [q, graph.one('Transpose', [keys], { perm: { integers: [0, 1, 3, 2] } })]),
      scale,
    ]);
    const probabilities = graph.one('Softmax', [graph.one('Where', [allowed, scores, masked])], {
      axis: { integer: -1 },
    });
    const context = graph.one('MatMul', [probabilities, values]);
    return graph.one('Reshape', [
      graph.one('Transpose', [context], { perm: { integers: [0, 2, 1, 3] } }),
      mergedShape,
    ]);
  };
}

/** Attention fused into `com.microsoft.GroupQueryAttention` (RoPE inside, positions = cache indices). */
function fusedAttention(
  graph: OnnxGraphBuilder,
  config: TinyLlamaConfig,
  attentionMask: string,
  cacheType: OnnxDataType,
): AttentionBuilder {
  graph.useDomain('com.microsoft', 1);
  const { attentionHeads, keyValueHeads, headDimension } = config;
  const tables = rotaryCosineSine(config, 'half');
  const cosCache = graph.floats('rope_cos_cache', [tables.positions, tables.width], tables.cos);
  const sinCache = graph.floats('rope_sin_cache', [tables.positions, tables.width], tables.sin);
  const [cos, sin] =
    cacheType === onnxDataType.float
      ? [cosCache, sinCache]
      : [cosCache, sinCache].map((table) => graph.one('Cast', [table], { to: { integer: cacheType } }));
  const summed = graph.one('ReduceSum', [attentionMask, graph.integers('axis_last', [1], [1])], {
    keepdims: { integer: 0 },
  });
  const sequenceLengths = graph.one(
    'Cast',
    [graph.one('Sub', [summed, graph.integers('one_1d', [1], [1])])],
    {
      to: { integer: onnxDataType.int32 },
    },
  );
  const totalLength = graph.one(
    'Cast',
    [
      graph.one('Squeeze', [
        graph.one('Shape', [attentionMask], { start: { integer: 1 }, end: { integer: 2 } }),
      ]),
    ],
    { to: { integer: onnxDataType.int32 } },
  );
  const toCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: cacheType } });
  const fromCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: onnxDataType.float } });
  return ({ normed, layer, query, key, value, pastKey, pastValue }) => {
    const [output] = graph.node(
      'GroupQueryAttention',
      [
        toCache(graph.one('MatMul', [normed, query])),
        toCache(graph.one('MatMul', [normed, key])),
        toCache(graph.one('MatMul', [normed, value])),
        pastKey,
        pastValue,
        sequenceLengths,
        totalLength,
        cos as string,
        sin as string,
      ],
      {
        num_heads: { integer: attentionHeads },
        kv_num_heads: { integer: keyValueHeads },
        do_rotary: { integer: 1 },
        rotary_interleaved: { integer: 0 },
        scale: { float: 1 / Math.sqrt(headDimension) },
      },
      [`attention_${layer}`, `present.${layer}.key`, `present.${layer}.value`],
      'com.microsoft',
    );
    return fromCache(output as string);
  };
}
