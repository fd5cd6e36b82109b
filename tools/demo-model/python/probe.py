"""Prints the trained model's logits for a token sequence, so the exporter can check that the
TypeScript reference forward pass of the exported weights gives the same numbers.

Usage: python3 probe.py BUILD_DIR WEIGHTS_NAME TOKEN_IDS_JSON  ->  JSON [[logit, ...], ...] on stdout
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from train import Model, load  # noqa: E402


def main():
    build, name, token_ids = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    config = json.load(open(os.path.join(build, 'train-config.json')))
    torch.set_num_threads(1)
    model = Model(config['model'])
    load(model, build, name)
    with torch.no_grad():
        logits = model(torch.tensor([token_ids]))[0]
    json.dump(logits.tolist(), sys.stdout)


if __name__ == '__main__':
    main()
