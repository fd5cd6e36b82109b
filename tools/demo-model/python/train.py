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


def padded(batch, offsets, tokens, weights):
    """The batch's sequences as right-padded token and loss-weight tensors."""
    longest = int(max(offsets[i + 1] - offsets[i] for i in batch))
    inputs = torch.zeros((len(batch), longest), dtype=torch.int64)
    loss_weights = torch.zeros((len(batch), longest), dtype=torch.float32)
    for row, index in enumerate(batch):
        start, end = int(offsets[index]), int(offsets[index + 1])
        inputs[row, : end - start] = tokens[start:end]
        loss_weights[row, : end - start] = weights[start:end]
    return inputs, loss_weights


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


def load(model, build, name):
    """Loads weights written by `save` (the embedding as exported, with the shared rows filled in)."""
    raw = np.fromfile(os.path.join(build, f'{name}.f32'), dtype=np.float32)
    manifest = {entry['name']: entry for entry in json.load(open(os.path.join(build, f'{name}.json')))}
    with torch.no_grad():
        for tensor_name, tensor in model.named_weights():
            entry = manifest[tensor_name]
            start = entry['offset'] // 4
            value = torch.from_numpy(raw[start:start + int(np.prod(entry['shape']))].reshape(entry['shape']))
            if tensor_name == 'model.embed_tokens.weight':
                model.embed_tokens.weight.copy_(value)
                spaced = model.spaced_rows[:, 0] > 0
                if spaced.any():
                    differences = value[spaced] - value[model.row_source[spaced]]
                    model.space_vector.copy_(differences.mean(0))
            else:
                tensor.copy_(value)


def optimizer_for(model, training, peak):
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW(
        [{'params': decay, 'weight_decay': training['weightDecay']}, {'params': no_decay, 'weight_decay': 0.0}],
        lr=peak, betas=(training['beta1'], training['beta2']))


def cosine_schedule(peak, warmup, steps, floor):
    def learning_rate(step):
        if step < warmup:
            return peak * (step + 1) / warmup
        progress = (step - warmup) / max(1, steps - warmup)
        return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))
    return learning_rate


def run_steps(model, optimizer, data, learning_rate, steps, main_sequences, copy_sequences, generator, config,
              build, label, main_tokens=None, copy_tokens=None):
    """Trains `steps` steps; each step is one batch of main and one batch of copy conversations."""
    training = config['training']
    main_tokens = main_tokens or training['tokensPerStep']
    copy_tokens = copy_tokens or training['copyTokensPerStep']
    tokens, weights, offsets = data
    recall_weight = config['recallWeight']
    queue, copy_queue, started, seen = [], [], time.time(), 0
    window_loss, window_weight, recall_hits, recall_total = 0.0, 0.0, 0, 0
    for step in range(steps):
        if not queue:
            queue = batches(offsets, main_sequences, main_tokens, generator)
        if not copy_queue:
            copy_queue = batches(offsets, copy_sequences, copy_tokens, generator)
        for group in optimizer.param_groups:
            group['lr'] = learning_rate(step)
        optimizer.zero_grad(set_to_none=True)
        parts = [padded(queue.pop(), offsets, tokens, weights), padded(copy_queue.pop(), offsets, tokens, weights)]
        total_weight = sum(float(part[1][:, 1:].sum()) for part in parts)
        measured = []
        for inputs, loss_weights in parts:
            logits = model(inputs[:, :-1])
            targets, target_weights = inputs[:, 1:], loss_weights[:, 1:]
            losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction='none')
            losses = losses.view(targets.shape)
            ((losses * target_weights).sum() / total_weight).backward()
            measured.append((logits.detach(), losses.detach(), targets, target_weights))
        torch.nn.utils.clip_grad_norm_(model.parameters(), training['gradientClip'])
        optimizer.step()
        with torch.no_grad():
            logits, losses, targets, target_weights = measured[0]  # the main batch
            plain = target_weights == 1
            window_loss += float((losses * plain).sum())
            window_weight += float(plain.sum())
            # The first token of every recall answer: is the model's top choice the right one?
            recall = target_weights == recall_weight
            first = recall & ~torch.cat((torch.zeros_like(recall[:, :1]), recall[:, :-1]), dim=1)
            recall_hits += int((logits.argmax(-1) == targets)[first].sum())
            recall_total += int(first.sum())
        seen += sum(int((part[1] > 0).sum()) for part in parts)
        done = step + 1
        if done % 50 == 0 or done == steps:
            elapsed = time.time() - started
            print(f'{label} step {done}/{steps}  loss {window_loss / max(1, window_weight):.3f}  '
                  f'recall {recall_hits / max(1, recall_total):.3f}  lr {learning_rate(step):.2e}  '
                  f'{seen / elapsed:.0f} tokens/s  {elapsed / 60:.1f} min', flush=True)
            window_loss, window_weight, recall_hits, recall_total = 0.0, 0.0, 0, 0
        if done % 400 == 0:
            save(model, build, 'checkpoint')


def main():
    build = sys.argv[1]
    config = json.load(open(os.path.join(build, 'train-config.json')))
    model_config, training = config['model'], config['training']
    torch.set_num_threads(training['threads'])
    tokens = torch.from_numpy(np.fromfile(os.path.join(build, 'tokens.u16'), dtype=np.uint16).astype(np.int64))
    weights = torch.from_numpy(np.fromfile(os.path.join(build, 'weights.u8'), dtype=np.uint8).astype(np.float32))
    offsets = np.fromfile(os.path.join(build, 'offsets.u32'), dtype=np.uint32).astype(np.int64)
    pairs = json.load(open(os.path.join(build, 'word-form-pairs.json')))
    count = len(offsets) - 1
    copy_sequences = np.arange(config['copySequences'])
    recall_start = count - config['recallSequences']
    recall_sequences = np.arange(recall_start, count)
    grocery_copy_sequences = np.arange(recall_start - config['groceryCopySequences'], recall_start)
    main_sequences = np.arange(config['copySequences'], recall_start - config['groceryCopySequences'])
    data = (tokens, weights, offsets)
    started = time.time()
    print(f'tokens {len(tokens)}  sequences {count}', flush=True)

    # Phase 1: the main conversations and copy conversations over all 478 items.
    if os.path.exists(os.path.join(build, 'phase-one.f32')):
        print('phase 1: found phase-one.f32, skipped', flush=True)
    else:
        torch.manual_seed(config['seed'])
        model = Model(model_config, pairs)
        print(f'parameters {sum(p.numel() for p in model.parameters())}', flush=True)
        optimizer = optimizer_for(model, training, training['peakLearningRate'])
        schedule = cosine_schedule(training['peakLearningRate'], training['warmupSteps'], training['steps'],
                                   training['finalLearningRateShare'])
        run_steps(model, optimizer, data, schedule, training['phaseOneSteps'], main_sequences, copy_sequences,
                  torch.Generator().manual_seed(config['seed']), config, build, 'phase 1')
        save(model, build, 'phase-one')

    # Phase 2: from the saved phase-1 weights, a fresh optimizer; copy conversations over the 53 groceries.
    if os.path.exists(os.path.join(build, 'phase-two.f32')):
        print('phase 2: found phase-two.f32, skipped', flush=True)
    else:
        train_phase_two(config, build, data, pairs, main_sequences, grocery_copy_sequences)

    # Phase 3: from phase 2's weights; Grocery conversations with 1–20 distractors over all 478 items.
    torch.manual_seed(config['seed'] + 2)
    model = Model(model_config, pairs)
    load(model, build, 'phase-two')
    optimizer = optimizer_for(model, training, training['phaseThreePeakLearningRate'])
    schedule = cosine_schedule(training['phaseThreePeakLearningRate'], 20, training['phaseThreeSteps'],
                               training['finalLearningRateShare'])
    run_steps(model, optimizer, data, schedule, training['phaseThreeSteps'], main_sequences,
              recall_sequences, torch.Generator().manual_seed(config['seed'] + 2), config, build, 'phase 3',
              main_tokens=training['copyTokensPerStep'], copy_tokens=training['tokensPerStep'])
    save(model, build, 'weights')
    print(f'done in {(time.time() - started) / 60:.1f} min', flush=True)


def train_phase_two(config, build, data, pairs, main_sequences, grocery_copy_sequences):
    model_config, training = config['model'], config['training']
    torch.manual_seed(config['seed'] + 1)
    model = Model(model_config, pairs)
    load(model, build, 'phase-one')
    optimizer = optimizer_for(model, training, training['phaseTwoPeakLearningRate'])
    schedule = cosine_schedule(training['phaseTwoPeakLearningRate'], 20, training['phaseTwoSteps'],
                               training['finalLearningRateShare'])
    run_steps(model, optimizer, data, schedule, training['phaseTwoSteps'], main_sequences, grocery_copy_sequences,
              torch.Generator().manual_seed(config['seed'] + 1), config, build, 'phase 2')
    save(model, build, 'phase-two')


if __name__ == '__main__':
    main()
