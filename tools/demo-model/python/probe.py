"""Prints the trained model's logits for a token sequence, so the exporter can check that the
TypeScript reference forward pass of the exported weights gives the same numbers.

Usage: python3 probe.py BUILD_DIR WEIGHTS_NAME TOKEN_IDS_JSON  ->  JSON [[logit, ...], ...] on stdout
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from train import Model  # noqa: E402


def main():
    build, name, token_ids = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    config = json.load(open(os.path.join(build, 'train-config.json')))
    torch.set_num_threads(1)
    model = Model(config['model'])
    raw = np.fromfile(os.path.join(build, f'{name}.f32'), dtype=np.float32)
    manifest = {entry['name']: entry for entry in json.load(open(os.path.join(build, f'{name}.json')))}
    with torch.no_grad():
        for tensor_name, tensor in model.named_weights():
            entry = manifest[tensor_name]
            size = int(np.prod(entry['shape']))
            start = entry['offset'] // 4
            # Without word-form pairs the embedding matrix is the embedding parameter itself.
            target = model.embed_tokens.weight if tensor_name == 'model.embed_tokens.weight' else tensor
            target.copy_(torch.from_numpy(raw[start:start + size].reshape(entry['shape'])))
        logits = model(torch.tensor([token_ids]))[0]
    json.dump(logits.tolist(), sys.stdout)


if __name__ == '__main__':
    main()
