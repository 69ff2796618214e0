#!/usr/bin/python3
"""Writes test/fixtures/torch-adamw.json: a trajectory of torch.optim.AdamW, the reference of `AdamW` ('adamw').

Run from packages/trainer with Debian's python3-torch (no other dependency):

    /usr/bin/python3 scripts/torch-adamw-reference.py > test/fixtures/torch-adamw.json

Parameters get HF Trainer's two parameter groups: weight decay for every name without "bias"/"LayerNorm", none for
the rest. Each step has its own learning rate (warmup then decay, as a scheduler would set it) and its own
gradients; a parameter that gets no gradient at a step is left out of that step (p.grad = None), so its step
count lags, as torch's per-parameter state['step'] does. float32 on the CPU, one thread.
"""
import json
import re
import sys

import torch

torch.set_num_threads(1)
gen = torch.Generator().manual_seed(20240611)

SHAPES = {
    "encoder.query.weight": [4, 3],
    "encoder.query.bias": [3],
    "encoder.LayerNorm.weight": [3],
    "head.dense.weight": [3, 2],
    "sometimes.weight": [5],
}
STEPS = 25
BETAS, EPS, WD = (0.9, 0.999), 1e-8, 0.01
EXCLUDED = re.compile("LayerNorm|layer_norm|bias")

init = {n: torch.randn(s, generator=gen) for n, s in SHAPES.items()}
params = {n: torch.nn.Parameter(t.clone()) for n, t in init.items()}
groups = [
    {"params": [p for n, p in params.items() if not EXCLUDED.search(n)], "weight_decay": WD},
    {"params": [p for n, p in params.items() if EXCLUDED.search(n)], "weight_decay": 0.0},
]
opt = torch.optim.AdamW(groups, lr=0.0, betas=BETAS, eps=EPS)

steps = []
for s in range(STEPS):
    lr = 0.05 * (s + 1) / 5 if s < 5 else 0.05 * (STEPS - s) / (STEPS - 5)
    grads = {}
    for n, p in params.items():
        # "sometimes.weight" gets a gradient on every third step only; gradients vary in scale over steps
        if n == "sometimes.weight" and s % 3 != 0:
            p.grad = None
            continue
        g = torch.randn(p.shape, generator=gen) * (0.1 + 0.9 * (s % 4) / 3)
        p.grad = g.clone()
        grads[n] = g.flatten().tolist()
    for group in opt.param_groups:
        group["lr"] = lr
    opt.step()
    steps.append({"lr": lr, "grads": grads})

json.dump({
    "generator": "scripts/torch-adamw-reference.py",
    "torch": torch.__version__,
    "optimizer": {"kind": "torch.optim.AdamW", "betas": list(BETAS), "eps": EPS, "weight_decay": WD,
                  "no_decay": EXCLUDED.pattern},
    "shapes": SHAPES,
    "init": {n: t.flatten().tolist() for n, t in init.items()},
    "steps": steps,
    "final": {n: p.detach().flatten().tolist() for n, p in params.items()},
    "state_step": {n: int(opt.state[p]["step"]) for n, p in params.items()},
}, sys.stdout)
sys.stdout.write("\n")
