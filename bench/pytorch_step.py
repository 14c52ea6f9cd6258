#!/usr/bin/env python3
"""PyTorch reference timing for one sparse-update training step of an MBConv network.

Networks (--model), batch norm folded into the convolutions (conv + bias) as during on-device
fine-tuning, ReLU6 after every conv but a block's last (projection) conv, symmetric padding k // 2:

  mbv2-w0.35   tiny-training's mbv2-w0.35 (METHODS.md section 4: no expansion in the first block,
               no final 1x1 feature mix, classifier 112 -> classes); 51 convs; default 128x128
  mcunet-5fps  MCUNet's mcunet-5fps, from the facts of mit-han-lab/tinyml
               mcunet/assets/configs/mcunet-5fps_imagenet.json (first conv 3->16 stride 2, 14
               MBConv blocks with 3x3/5x5/7x7 depthwise convs, no feature mix, classifier
               160 -> classes); 42 convs; default 128x128, as tiny-training compiles it (and as
               tinysparse's preset is; the config's own ImageNet resolution is 96)

Schemes (conv indices count every conv from the input, as tiny-training's backward_config does):

  dense      every conv weight and bias and the classifier are trained
  bias-only  biases of the last n convs (25 for mbv2-w0.35, 22 for mcunet-5fps) and the classifier
  99kb       mbv2-w0.35: tiny-training's 99kb scheme, biases of the last 25 convs, weights of
             convs 27,30,33,36,39,42,45,48 with input-channel ratios 1,1,1,1,1,0.125,0.5,1
  100kb      mcunet-5fps: tiny-training's 100KB scheme (algorithm/scripts/sparse_update.sh),
             biases of the last 22 convs, weights of convs 21,24,27,30,36,39 with ratios
             1,1,1,1,0.125,0.25

PyTorch computes each weight gradient densely and the step masks the unselected channels.

Run with Debian's python3-torch (1.13):
  OMP_NUM_THREADS=1 /usr/bin/python3 bench/pytorch_step.py [--model mcunet-5fps] [--threads 1]
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


def mbv2_blocks(width=0.35):
    """(first conv channels, blocks as (c_in, c_out, kernel, stride, mid channels or None, residual))."""
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    first = make_divisible(32 * width)
    c_in = first
    blocks = []
    for t, c, n, s in settings:
        c_out = make_divisible(c * width)
        for i in range(n):
            stride = s if i == 0 else 1
            blocks.append((c_in, c_out, 3, stride, None if t == 1 else c_in * t, stride == 1 and c_in == c_out))
            c_in = c_out
    return first, blocks


# mcunet-5fps_imagenet.json: per block (in, out, kernel_size, stride, mid_channels, identity shortcut).
MCUNET_5FPS = (16, [
    (16, 8, 3, 1, None, False),
    (8, 16, 3, 2, 32, False),
    (16, 16, 3, 1, 48, True),
    (16, 24, 7, 2, 48, False),
    (24, 24, 3, 1, 120, True),
    (24, 40, 3, 2, 120, False),
    (40, 40, 7, 1, 160, True),
    (40, 48, 5, 1, 160, False),
    (48, 48, 3, 1, 144, True),
    (48, 48, 3, 1, 192, True),
    (48, 96, 7, 2, 240, False),
    (96, 96, 5, 1, 384, True),
    (96, 96, 5, 1, 384, True),
    (96, 160, 3, 1, 576, False),
])

MODELS = {
    "mbv2-w0.35": {"blocks": mbv2_blocks(), "resolution": 128, "schemes": {
        "bias-only": (25, [], []),
        "99kb": (25, [27, 30, 33, 36, 39, 42, 45, 48], [1, 1, 1, 1, 1, 0.125, 0.5, 1]),
    }},
    "mcunet-5fps": {"blocks": MCUNET_5FPS, "resolution": 128, "schemes": {
        "bias-only": (22, [], []),
        "100kb": (22, [21, 24, 27, 30, 36, 39], [1, 1, 1, 1, 0.125, 0.25]),
    }},
}


class Net(nn.Module):
    """An MBConv network with BN folded: conv list in layer-table order (first conv, then per block
    expand (if any), depthwise, project)."""

    def __init__(self, first, blocks, classes=10):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, first, 3, 2, 1, bias=True)])
        self.plan = []  # per block: (conv indices with whether ReLU6 follows, residual)
        c_last = first
        for c_in, c_out, k, stride, mid, residual in blocks:
            idx = []
            hidden = c_in
            if mid is not None:
                hidden = mid
                self.convs.append(nn.Conv2d(c_in, hidden, 1, 1, 0, bias=True))
                idx.append((len(self.convs) - 1, True))
            self.convs.append(nn.Conv2d(hidden, hidden, k, stride, k // 2, groups=hidden, bias=True))
            idx.append((len(self.convs) - 1, True))
            self.convs.append(nn.Conv2d(hidden, c_out, 1, 1, 0, bias=True))
            idx.append((len(self.convs) - 1, False))
            self.plan.append((idx, residual))
            c_last = c_out
        self.fc = nn.Linear(c_last, classes)

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


def configure(net, model, scheme):
    """Sets requires_grad per scheme; returns {conv index: channel mask} for masked weights."""
    n = len(net.convs)
    masks = {}
    for p in net.parameters():
        p.requires_grad_(scheme == "dense")
    for p in net.fc.parameters():
        p.requires_grad_(True)
    if scheme == "dense":
        return masks
    n_bias, layers, ratios = MODELS[model]["schemes"][scheme]
    for i in range(n - n_bias, n):
        net.convs[i].bias.requires_grad_(True)
    for i, r in zip(layers, ratios):
        w = net.convs[i].weight
        w.requires_grad_(True)
        cin = w.shape[1] if net.convs[i].groups == 1 else w.shape[0]
        keep = int(r * cin)
        if keep < cin:
            m = torch.zeros(cin)
            m[:keep] = 1
            masks[i] = m.view(1, -1, 1, 1) if net.convs[i].groups == 1 else m.view(-1, 1, 1, 1)
    return masks


def time_scheme(model, scheme, resolution, batch, iters, warmup):
    torch.manual_seed(0)
    net = Net(*MODELS[model]["blocks"])
    masks = configure(net, model, scheme)
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
    ap.add_argument("--model", choices=sorted(MODELS), default="mbv2-w0.35")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--resolution", type=int, default=None, help="default: the model's (128)")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=30)
    a = ap.parse_args()
    resolution = a.resolution or MODELS[a.model]["resolution"]
    torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, {a.model}, threads {a.threads}, {resolution}x{resolution}, batch {a.batch}")
    net = Net(*MODELS[a.model]["blocks"])
    print(f"convs {len(net.convs)}, params {sum(p.numel() for p in net.parameters())}")
    for scheme in ("dense", *MODELS[a.model]["schemes"]):
        ms = time_scheme(a.model, scheme, resolution, a.batch, a.iters, a.warmup)
        print(f"{scheme:10s} {ms:8.2f} ms/step")


if __name__ == "__main__":
    main()
