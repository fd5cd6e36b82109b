"""Trains the SirLLM demo model: a small Llama-architecture language model (RMSNorm, RoPE, grouped-query
attention, SwiGLU, tied embeddings, no biases), on the token files written by the data phase.

Usage: python3 train.py BUILD_DIR   (reads BUILD_DIR/{tokens.u16,weights.u8,offsets.u32,train-config.json},
writes BUILD_DIR/weights.f32 and BUILD_DIR/weights.json, and logs to stdout).

Deterministic for a given config and thread count: fixed seeds, a step-based schedule and no data-order
randomness outside the seeded generator.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Layer(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h, kv, hd = c['hiddenSize'], c['attentionHeads'], c['keyValueHeads'], c['hiddenSize'] // c['attentionHeads']
        self.h, self.kv, self.hd, self.eps = h, kv, hd, c['rmsNormEpsilon']
        self.input_layernorm = torch.nn.Parameter(torch.ones(d))
        self.q_proj = torch.nn.Linear(d, h * hd, bias=False)
        self.k_proj = torch.nn.Linear(d, kv * hd, bias=False)
        self.v_proj = torch.nn.Linear(d, kv * hd, bias=False)
        self.o_proj = torch.nn.Linear(h * hd, d, bias=False)
        self.post_attention_layernorm = torch.nn.Parameter(torch.ones(d))
        self.gate_proj = torch.nn.Linear(d, c['intermediateSize'], bias=False)
        self.up_proj = torch.nn.Linear(d, c['intermediateSize'], bias=False)
        self.down_proj = torch.nn.Linear(c['intermediateSize'], d, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        y = rms_norm(x, self.input_layernorm, self.eps)
        q = self.q_proj(y).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(y).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(y).view(b, t, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = self.h // self.kv
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
        attention = torch.softmax(scores, dim=-1) @ v
        x = x + self.o_proj(attention.transpose(1, 2).reshape(b, t, self.h * self.hd))
        y = rms_norm(x, self.post_attention_layernorm, self.eps)
        return x + self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y))


class Model(torch.nn.Module):
    def __init__(self, c, word_form_pairs=()):
        super().__init__()
        self.c = c
        self.embed_tokens = torch.nn.Embedding(c['vocabularySize'], c['hiddenSize'])
        # Shared rows: the spaced form of an item word is its bare form plus one learned vector.
        source = torch.arange(c['vocabularySize'])
        spaced = torch.zeros(c['vocabularySize'], 1)
        for spaced_id, bare_id in word_form_pairs:
            source[spaced_id] = bare_id
            spaced[spaced_id] = 1.0
        self.register_buffer('row_source', source, persistent=False)
        self.register_buffer('spaced_rows', spaced, persistent=False)
        self.space_vector = torch.nn.Parameter(torch.zeros(c['hiddenSize']))
        self.layers = torch.nn.ModuleList([Layer(c) for _ in range(c['layers'])])
        self.norm = torch.nn.Parameter(torch.ones(c['hiddenSize']))
        hd = c['hiddenSize'] // c['attentionHeads']
        inverse = 1.0 / (c['ropeTheta'] ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
        angles = torch.arange(c['maximumPositionEmbeddings'], dtype=torch.float64)[:, None] * inverse[None, :]
        angles = torch.cat((angles, angles), dim=-1)
        self.register_buffer('cos', angles.cos().float(), persistent=False)
        self.register_buffer('sin', angles.sin().float(), persistent=False)
        for module in self.modules():
            if isinstance(module, torch.nn.Linear):
                torch.nn.init.normal_(module.weight, std=0.02)
        torch.nn.init.normal_(self.embed_tokens.weight, std=0.02)
        for layer in self.layers:
            torch.nn.init.normal_(layer.o_proj.weight, std=0.02 / math.sqrt(2 * c['layers']))
            torch.nn.init.normal_(layer.down_proj.weight, std=0.02 / math.sqrt(2 * c['layers']))

    def embedding_matrix(self):
        """The effective (exported) embedding and output matrix, with the shared rows filled in."""
        return self.embed_tokens.weight[self.row_source] + self.spaced_rows * self.space_vector

    def forward(self, tokens):
        t = tokens.shape[1]
        matrix = self.embedding_matrix()
        x = F.embedding(tokens, matrix)
        cos, sin = self.cos[:t], self.sin[:t]
        mask = torch.full((t, t), float('-inf')).triu(1)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        x = rms_norm(x, self.norm, self.c['rmsNormEpsilon'])
        return x @ matrix.T

    def named_weights(self):
        """The tensors under Hugging Face Llama names, in the testkit's canonical order."""
        yield 'model.embed_tokens.weight', self.embedding_matrix()
        for index, layer in enumerate(self.layers):
            p = f'model.layers.{index}'
            yield f'{p}.input_layernorm.weight', layer.input_layernorm
            yield f'{p}.self_attn.q_proj.weight', layer.q_proj.weight
            yield f'{p}.self_attn.k_proj.weight', layer.k_proj.weight
            yield f'{p}.self_attn.v_proj.weight', layer.v_proj.weight
            yield f'{p}.self_attn.o_proj.weight', layer.o_proj.weight
            yield f'{p}.post_attention_layernorm.weight', layer.post_attention_layernorm
            yield f'{p}.mlp.gate_proj.weight', layer.gate_proj.weight
            yield f'{p}.mlp.up_proj.weight', layer.up_proj.weight
            yield f'{p}.mlp.down_proj.weight', layer.down_proj.weight
        yield 'model.norm.weight', self.norm


def batches(offsets, indices, tokens_per_step, generator):
    """The sequences `indices`, bucketed by length into batches of at most tokens_per_step padded
    tokens, in shuffled order."""
    lengths = offsets[1:] - offsets[:-1]
    order = indices[np.argsort(lengths[indices], kind='stable')]
    result, current, longest = [], [], 0
    for index in order:
        longest_next = max(longest, int(lengths[index]))
        if current and longest_next * (len(current) + 1) > tokens_per_step:
            result.append(current)
            current, longest_next = [], int(lengths[index])
        current.append(int(index))
        longest = longest_next
    if current:
        result.append(current)
    permutation = torch.randperm(len(result), generator=generator).tolist()
    return [result[i] for i in permutation]


def save(model, build, name):
    manifest, blobs, offset = [], [], 0
    for tensor_name, tensor in model.named_weights():
        data = tensor.detach().float().contiguous().numpy()
        manifest.append({'name': tensor_name, 'shape': list(data.shape), 'offset': offset})
        blobs.append(data.tobytes())
        offset += data.size * 4
    temporary = os.path.join(build, f'{name}.f32.partial')
    with open(temporary, 'wb') as handle:
        for blob in blobs:
            handle.write(blob)
    os.replace(temporary, os.path.join(build, f'{name}.f32'))
    with open(os.path.join(build, f'{name}.json'), 'w') as handle:
        json.dump(manifest, handle)


def main():
    build = sys.argv[1]
    config = json.load(open(os.path.join(build, 'train-config.json')))
    model_config, training = config['model'], config['training']
    torch.set_num_threads(training['threads'])
    torch.manual_seed(config['seed'])
    generator = torch.Generator().manual_seed(config['seed'])
    tokens = torch.from_numpy(np.fromfile(os.path.join(build, 'tokens.u16'), dtype=np.uint16).astype(np.int64))
    weights = torch.from_numpy(np.fromfile(os.path.join(build, 'weights.u8'), dtype=np.uint8).astype(np.float32))
    offsets = np.fromfile(os.path.join(build, 'offsets.u32'), dtype=np.uint32).astype(np.int64)
    pairs = json.load(open(os.path.join(build, 'word-form-pairs.json')))
    model = Model(model_config, pairs)
    parameters = sum(p.numel() for p in model.parameters())
    print(f'parameters {parameters}  tokens {len(tokens)}  sequences {len(offsets) - 1}', flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{'params': decay, 'weight_decay': training['weightDecay']}, {'params': no_decay, 'weight_decay': 0.0}],
        lr=training['peakLearningRate'], betas=(training['beta1'], training['beta2']))
    steps, warmup = training['steps'], training['warmupSteps']

    def learning_rate(step):
        if step < warmup:
            return training['peakLearningRate'] * (step + 1) / warmup
        progress = (step - warmup) / max(1, steps - warmup)
        floor = training['finalLearningRateShare']
        return training['peakLearningRate'] * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))

    curriculum = np.arange(config['curriculumSequences'])
    main_sequences = np.arange(config['curriculumSequences'], len(offsets) - 1)
    queue, step, started, seen = [], 0, time.time(), 0
    window_loss, window_weight, recall_hits, recall_total = 0.0, 0.0, 0, 0
    recall_weight = config['recallWeight']
    while step < steps:
        if step == training['curriculumSteps']:
            queue = []  # the curriculum ends: from now on, the main conversations only
        if not queue:
            indices = curriculum if step < training['curriculumSteps'] else main_sequences
            queue = batches(offsets, indices, training['tokensPerStep'], generator)
        batch = queue.pop()
        longest = int(max(offsets[i + 1] - offsets[i] for i in batch))
        inputs = torch.zeros((len(batch), longest), dtype=torch.int64)
        loss_weights = torch.zeros((len(batch), longest), dtype=torch.float32)
        for row, index in enumerate(batch):
            start, end = int(offsets[index]), int(offsets[index + 1])
            inputs[row, : end - start] = tokens[start:end]
            loss_weights[row, : end - start] = weights[start:end]
        for group in optimizer.param_groups:
            group['lr'] = learning_rate(step)
        logits = model(inputs[:, :-1])
        targets, target_weights = inputs[:, 1:], loss_weights[:, 1:]
        losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction='none')
        losses = losses.view(targets.shape)
        loss = (losses * target_weights).sum() / target_weights.sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), training['gradientClip'])
        optimizer.step()
        with torch.no_grad():
            plain = target_weights == 1
            window_loss += float((losses * plain).sum())
            window_weight += float(plain.sum())
            # The first token of every recall answer: is the model's top choice the right one?
            recall = target_weights == recall_weight
            first = recall & ~torch.cat((torch.zeros_like(recall[:, :1]), recall[:, :-1]), dim=1)
            recall_hits += int((logits.argmax(-1) == targets)[first].sum())
            recall_total += int(first.sum())
        seen += int((loss_weights > 0).sum())
        step += 1
        if step % 50 == 0 or step == steps:
            elapsed = time.time() - started
            print(f'step {step}/{steps}  loss {window_loss / max(1, window_weight):.3f}  '
                  f'recall {recall_hits / max(1, recall_total):.3f}  lr {learning_rate(step - 1):.2e}  '
                  f'{seen / elapsed:.0f} tokens/s  {elapsed / 60:.1f} min', flush=True)
            window_loss, window_weight, recall_hits, recall_total = 0.0, 0.0, 0, 0
        if step % 400 == 0:
            save(model, build, 'checkpoint')
    save(model, build, 'weights')
    print(f'done in {(time.time() - started) / 60:.1f} min', flush=True)


if __name__ == '__main__':
    main()
