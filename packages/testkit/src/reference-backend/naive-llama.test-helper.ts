import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';

/**
 * The Llama forward pass written as plainly as possible (whole sequence at once, no cache, plain arrays,
 * RoPE angles computed on the spot), as an independent check of the reference implementation.
 * Supports unscaled RoPE only.
 */
export function naiveLlamaLogits(model: TinyLlamaModel, tokens: number[], positions: number[]): number[][] {
  const c = model.config;
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
    return x.map((v, i) => (v / Math.sqrt(meanSquare + c.rmsNormEpsilon)) * (weight[i] ?? 0));
  };
  const rope = (vector: number[], position: number) => {
    const out = [...vector];
    const rotary = c.rope.rotaryDimensions ?? c.headDimension;
    const half = rotary / 2;
    for (let i = 0; i < half; i++) {
      const angle = position * c.rope.theta ** (-(2 * i) / rotary);
      const a = vector[i] ?? 0;
      const b = vector[i + half] ?? 0;
      out[i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[i + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
    return out;
  };
  const d = c.headDimension;
  const embedding = matrix('model.embed_tokens.weight', c.vocabularySize, c.hiddenSize);
  let states = tokens.map((token) => [...(embedding[token] ?? [])]);
  for (let layer = 0; layer < c.layers; layer++) {
    const p = `model.layers.${layer}`;
    const q = matrix(`${p}.self_attn.q_proj.weight`, c.attentionHeads * d, c.hiddenSize);
    const k = matrix(`${p}.self_attn.k_proj.weight`, c.keyValueHeads * d, c.hiddenSize);
    const v = matrix(`${p}.self_attn.v_proj.weight`, c.keyValueHeads * d, c.hiddenSize);
    const o = matrix(`${p}.self_attn.o_proj.weight`, c.hiddenSize, c.attentionHeads * d);
    const gate = matrix(`${p}.mlp.gate_proj.weight`, c.intermediateSize, c.hiddenSize);
    const up = matrix(`${p}.mlp.up_proj.weight`, c.intermediateSize, c.hiddenSize);
    const down = matrix(`${p}.mlp.down_proj.weight`, c.hiddenSize, c.intermediateSize);
    const normed = states.map((x) => norm(x, tensor(`${p}.input_layernorm.weight`)));
    const heads = (all: number[], count: number) =>
      Array.from({ length: count }, (_, h) => all.slice(h * d, (h + 1) * d));
    const queries = normed.map((x, t) =>
      heads(apply(q, x), c.attentionHeads).map((h) => rope(h, positions[t] ?? 0)),
    );
    const keys = normed.map((x, t) =>
      heads(apply(k, x), c.keyValueHeads).map((h) => rope(h, positions[t] ?? 0)),
    );
    const values = normed.map((x) => heads(apply(v, x), c.keyValueHeads));
    states = states.map((x, t) => {
      const mixed: number[] = [];
      for (let h = 0; h < c.attentionHeads; h++) {
        const group = Math.floor(h / (c.attentionHeads / c.keyValueHeads));
        const scores = [];
        for (let j = 0; j <= t; j++) {
          const dot = (queries[t]?.[h] ?? []).reduce(
            (s, value, i) => s + value * (keys[j]?.[group]?.[i] ?? 0),
            0,
          );
          scores.push(Math.exp(dot / Math.sqrt(d)));
        }
        const total = scores.reduce((s, value) => s + value, 0);
        for (let i = 0; i < d; i++) {
          mixed.push(
            scores.reduce((s, weight, j) => s + (weight / total) * (values[j]?.[group]?.[i] ?? 0), 0),
          );
        }
      }
      const afterAttention = apply(o, mixed).map((value, i) => value + (x[i] ?? 0));
      const n = norm(afterAttention, tensor(`${p}.post_attention_layernorm.weight`));
      const g = apply(gate, n);
      const u = apply(up, n);
      const hidden = g.map((value, i) => (value / (1 + Math.exp(-value))) * (u[i] ?? 0));
      return apply(down, hidden).map((value, i) => value + (afterAttention[i] ?? 0));
    });
  }
  const head = c.tiedEmbeddings ? embedding : matrix('lm_head.weight', c.vocabularySize, c.hiddenSize);
  return states.map((x) => apply(head, norm(x, tensor('model.norm.weight'))));
}
