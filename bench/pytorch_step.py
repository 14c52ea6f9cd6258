#!/usr/bin/env python3
"""PyTorch reference timing for one sparse-update training step of mbv2-w0.35 at 128x128.

The network is the one of METHODS.md section 4 (tiny-training's mbv2-w0.35: no expansion in the
first block, no final 1x1 feature mix, classifier 112 -> classes) with batch norm folded into
the convolutions (conv + bias), as during on-device fine-tuning. Schemes:

  dense      every conv weight and bias and the classifier are trained
  bias-only  biases of the last 25 convs and the classifier
  99kb       tiny-training's 99kb scheme: biases of the last 25 convs, weights of convs
             27,30,33,36,39,42,45,48 with input-channel ratios 1,1,1,1,1,0.125,0.5,1; PyTorch
             computes each weight gradient densely and the step masks the unselected channels

Run with Debian's python3-torch (1.13):  /usr/bin/python3 bench/pytorch_step.py [--threads 1]
Prints one line per scheme: median milliseconds per training step (forward, backward, SGD).
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


class Net(nn.Module):
    """mbv2-w0.35 with BN folded: conv list in the order of METHODS.md's layer table."""

    def __init__(self, width=0.35, classes=10):
        super().__init__()
        settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                    (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
        self.convs = nn.ModuleList()
        self.plan = []  # per block: (conv indices, residual)
        c_in = make_divisible(32 * width)
        self.convs.append(nn.Conv2d(3, c_in, 3, 2, 1, bias=True))
        for t, c, n, s in settings:
            c_out = make_divisible(c * width)
            for i in range(n):
                stride = s if i == 0 else 1
                idx = []
                hidden = c_in * t
                if t != 1:
                    self.convs.append(nn.Conv2d(c_in, hidden, 1, 1, 0, bias=True))
                    idx.append((len(self.convs) - 1, True))
                self.convs.append(nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=True))
                idx.append((len(self.convs) - 1, True))
                self.convs.append(nn.Conv2d(hidden, c_out, 1, 1, 0, bias=True))
                idx.append((len(self.convs) - 1, False))
                self.plan.append((idx, stride == 1 and c_in == c_out))
                c_in = c_out
        self.fc = nn.Linear(c_in, classes)

    def forward(self, x):
        x = F.relu6(self.convs[0](x))
        for idx, residual in self.plan:
            y = x
            for i, act in idx:
                y = self.convs[i](y)
                if act:
                    y = F.relu6(y)
            x = x + y if residual else y
        return self.fc(x.mean((2, 3)))


def configure(net, scheme):
    """Sets requires_grad per scheme; returns {conv index: channel mask} for masked weights."""
    n = len(net.convs)
    masks = {}
    for p in net.parameters():
        p.requires_grad_(scheme == "dense")
    for p in net.fc.parameters():
        p.requires_grad_(True)
    if scheme in ("bias-only", "99kb"):
        for i in range(n - 25, n):
            net.convs[i].bias.requires_grad_(True)
    if scheme == "99kb":
        for i, r in zip([27, 30, 33, 36, 39, 42, 45, 48], [1, 1, 1, 1, 1, 0.125, 0.5, 1]):
            w = net.convs[i].weight
            w.requires_grad_(True)
            cin = w.shape[1] if net.convs[i].groups == 1 else w.shape[0]
            keep = int(r * cin)
            if keep < cin:
                m = torch.zeros(cin)
                m[:keep] = 1
                masks[i] = m.view(1, -1, 1, 1) if net.convs[i].groups == 1 else m.view(-1, 1, 1, 1)
    return masks


def time_scheme(scheme, resolution, batch, iters, warmup):
    torch.manual_seed(0)
    net = Net()
    masks = configure(net, scheme)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=0.01)
    x = torch.randn(batch, 3, resolution, resolution)
    y = torch.randint(0, 10, (batch,))
    times = []
    for it in range(warmup + iters):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        for i, m in masks.items():
            net.convs[i].weight.grad.mul_(m)
        opt.step()
        if it >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--resolution", type=int, default=128)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=30)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, threads {a.threads}, {a.resolution}x{a.resolution}, batch {a.batch}")
    net = Net()
    print(f"convs {len(net.convs)}, params {sum(p.numel() for p in net.parameters())}")
    for scheme in ("dense", "bias-only", "99kb"):
        ms = time_scheme(scheme, a.resolution, a.batch, a.iters, a.warmup)
        print(f"{scheme:10s} {ms:8.2f} ms/step")


if __name__ == "__main__":
    main()
