import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';

/**
 * Every testkit family's forward pass written as plainly as possible from the Hugging Face modeling
 * files' formulas (whole sequence, no cache, plain arrays, Hugging Face tensor names read directly,
 * RoPE angles computed on the spot, the llama3 frequency rule written out again): an independent check
 * of the reference forward pass. `positions` are RoPE positions; the sliding window counts token indices.
 */
export function naiveFamilyLogits(model: TinyLlamaModel, tokens: number[], positions: number[]): number[][] {
  const c = model.config;
  const family = c.family;
  const gemma = family === 'gemma3';
  const tensor = (name: string) => {
    const found = model.tensors.get(name);
    if (!found) throw new Error(`missing ${name}`);
    return Array.from(found.data);
  };
  const matrix = (name: string, rows: number, columns: number) => {
    const flat = tensor(name);
    return Array.from({ length: rows }, (_, r) => flat.slice(r * columns, (r + 1) * columns));
  };
  const apply = (weight: number[][], x: number[]) =>
    weight.map((row) => row.reduce((s, w, i) => s + w * (x[i] ?? 0), 0));
  const norm = (x: number[], weight: number[]) => {
    const meanSquare = x.reduce((s, v) => s + v * v, 0) / x.length;
    return x.map(
      (v, i) => (v / Math.sqrt(meanSquare + c.rmsNormEpsilon)) * ((gemma ? 1 : 0) + (weight[i] ?? 0)),
    );
  };
  const d = c.headDimension;
  const inverseFrequencies = (theta: number, withScaling: boolean) =>
    Array.from({ length: d / 2 }, (_, i) => {
      const base = 1 / theta ** ((2 * i) / d);
      const scaling = c.rope.scaling;
      if (!withScaling || scaling?.type !== 'llama3') return base;
      const wavelength = (2 * Math.PI) / base;
      const original = scaling.originalMaxPositionEmbeddings;
      if (wavelength < original / scaling.highFrequencyFactor) return base;
      if (wavelength > original / scaling.lowFrequencyFactor) return base / scaling.factor;
      const s =
        (original / wavelength - scaling.lowFrequencyFactor) /
        (scaling.highFrequencyFactor - scaling.lowFrequencyFactor);
      return (1 - s) * (base / scaling.factor) + s * base;
    });
  const rope = (vector: number[], position: number, frequencies: number[]) => {
    const out = [...vector];
    const half = d / 2;
    for (let i = 0; i < half; i++) {
      const angle = position * (frequencies[i] ?? 0);
      const a = vector[i] ?? 0;
      const b = vector[i + half] ?? 0;
      out[i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[i + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
    return out;
  };
  const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
  const silu = (x: number) => x / (1 + Math.exp(-x));
  const embedding = matrix('model.embed_tokens.weight', c.vocabularySize, c.hiddenSize);
  const scale = gemma ? Math.sqrt(c.hiddenSize) : 1;
  let states = tokens.map((token) => (embedding[token] ?? []).map((v) => v * scale));
  for (let layer = 0; layer < c.layers; layer++) {
    const p = `model.layers.${layer}`;
    const window = c.architecture.slidingWindow;
    const sliding = gemma && window !== undefined && (layer + 1) % window.pattern !== 0;
    const frequencies = sliding
      ? inverseFrequencies(window?.localTheta ?? 0, false)
      : inverseFrequencies(c.rope.theta, true);
    const q = matrix(`${p}.self_attn.q_proj.weight`, c.attentionHeads * d, c.hiddenSize);
    const k = matrix(`${p}.self_attn.k_proj.weight`, c.keyValueHeads * d, c.hiddenSize);
    const v = matrix(`${p}.self_attn.v_proj.weight`, c.keyValueHeads * d, c.hiddenSize);
    const o = matrix(`${p}.self_attn.o_proj.weight`, c.hiddenSize, c.attentionHeads * d);
    const gate = matrix(`${p}.mlp.gate_proj.weight`, c.intermediateSize, c.hiddenSize);
    const up = matrix(`${p}.mlp.up_proj.weight`, c.intermediateSize, c.hiddenSize);
    const down = matrix(`${p}.mlp.down_proj.weight`, c.hiddenSize, c.intermediateSize);
    const biased = (name: string, values: number[]) =>
      family === 'qwen2'
        ? values.map((value, i) => value + (tensor(`${p}.self_attn.${name}.bias`)[i] ?? 0))
        : values;
    const headNorm = (name: string, head: number[]) =>
      family === 'qwen3' || gemma ? norm(head, tensor(`${p}.self_attn.${name}.weight`)) : head;
    const normed = states.map((x) => norm(x, tensor(`${p}.input_layernorm.weight`)));
    const heads = (all: number[], count: number) =>
      Array.from({ length: count }, (_, h) => all.slice(h * d, (h + 1) * d));
    const queries = normed.map((x, t) =>
      heads(biased('q_proj', apply(q, x)), c.attentionHeads).map((h) =>
        rope(headNorm('q_norm', h), positions[t] ?? 0, frequencies),
      ),
    );
    const keys = normed.map((x, t) =>
      heads(biased('k_proj', apply(k, x)), c.keyValueHeads).map((h) =>
        rope(headNorm('k_norm', h), positions[t] ?? 0, frequencies),
      ),
    );
    const values = normed.map((x) => heads(biased('v_proj', apply(v, x)), c.keyValueHeads));
    states = states.map((x, t) => {
      const mixed: number[] = [];
      const visible = (j: number) => j <= t && (!sliding || t - j < (window?.window ?? 0));
      for (let h = 0; h < c.attentionHeads; h++) {
        const group = Math.floor(h / (c.attentionHeads / c.keyValueHeads));
        const scores: number[] = [];
        for (let j = 0; j <= t; j++) {
          const dot = (queries[t]?.[h] ?? []).reduce(
            (s, value, i) => s + value * (keys[j]?.[group]?.[i] ?? 0),
            0,
          );
          scores.push(visible(j) ? Math.exp(dot / Math.sqrt(d)) : 0);
        }
        const total = scores.reduce((s, value) => s + value, 0);
        for (let i = 0; i < d; i++) {
          mixed.push(
            scores.reduce((s, weight, j) => s + (weight / total) * (values[j]?.[group]?.[i] ?? 0), 0),
          );
        }
      }
      let attended = apply(o, mixed);
      if (gemma) attended = norm(attended, tensor(`${p}.post_attention_layernorm.weight`));
      const afterAttention = attended.map((value, i) => value + (x[i] ?? 0));
      const preFeedForward = gemma
        ? `${p}.pre_feedforward_layernorm.weight`
        : `${p}.post_attention_layernorm.weight`;
      const n = norm(afterAttention, tensor(preFeedForward));
      const g = apply(gate, n);
      const u = apply(up, n);
      const hidden = g.map((value, i) => (gemma ? gelu(value) : silu(value)) * (u[i] ?? 0));
      let output = apply(down, hidden);
      if (gemma) output = norm(output, tensor(`${p}.post_feedforward_layernorm.weight`));
      return output.map((value, i) => value + (afterAttention[i] ?? 0));
    });
  }
  const head = c.tiedEmbeddings ? embedding : matrix('lm_head.weight', c.vocabularySize, c.hiddenSize);
  return states.map((x) => apply(head, norm(x, tensor('model.norm.weight'))));
}
