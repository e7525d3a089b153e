"""PyTorch CPU side of bench/run: trains one model family on Fashion-MNIST with the architecture,
batch size, optimizer and thread count of the DL4J rows, and prints one JSON line with the last
epoch's samples/s (the first epoch warms up) and the process's peak RSS.

Usage: torch_families.py FAMILY --threads N --examples N --epochs N --batch N
FAMILY: mlp cnn lstm vae gan diffusion. Debian's python3-torch (1.13) and numpy only.
"""
import argparse
import gzip
import json
import math
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

FASHION = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
LABELS = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"


def load(n):
    with gzip.open(FASHION) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[:n]
    with gzip.open(LABELS) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y.astype(np.int64))


class Classifier(nn.Module):
    def __init__(self, family):
        super().__init__()
        self.family = family
        if family == "mlp":  # 784-256-128-10, ReLU
            self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),
                                     nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
        elif family == "cnn":  # TF-tutorial CNN on 28x28x1, valid convolutions
            self.net = nn.Sequential(
                nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
                nn.Linear(64 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, 10))
        else:  # rows as a sequence: 28 steps of 28 features, LSTM(128), last step to 10 classes
            self.lstm = nn.LSTM(28, 128, batch_first=True)
            self.out = nn.Linear(128, 10)

    def forward(self, x):
        if self.family == "lstm":
            h, _ = self.lstm(x.view(-1, 28, 28))
            return self.out(h[:, -1, :])
        return self.net(x)


def classifier_step(family):
    model = Classifier(family)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x, y):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def vae_step():  # dense 784-400-20, Bernoulli reconstruction
    enc = nn.Sequential(nn.Flatten(), nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 40))
    dec = nn.Sequential(nn.Linear(20, 400), nn.ReLU(), nn.Linear(400, 784))
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)

    def step(x, _):
        opt.zero_grad()
        mu, logvar = enc(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        rec = F.binary_cross_entropy_with_logits(dec(z), x.view(-1, 784), reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        ((rec + kl) / x.shape[0]).backward()
        opt.step()
    return step


def gan_step():  # latent 64, G 256-512-784 (tanh), D 512-256-1, label smoothing 0.1
    g = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512),
                      nn.LeakyReLU(0.2), nn.Linear(512, 784), nn.Tanh())
    d = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256),
                      nn.LeakyReLU(0.2), nn.Linear(256, 1))
    og = torch.optim.Adam(g.parameters(), lr=4e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def step(x, _):
        real = x.view(-1, 784) * 2 - 1
        n = real.shape[0]
        fake = g(torch.randn(n, 64))
        od.zero_grad()
        ld = (F.binary_cross_entropy_with_logits(d(real), torch.full((n, 1), 0.9))
              + F.binary_cross_entropy_with_logits(d(fake.detach()), torch.zeros(n, 1)))
        ld.backward()
        od.step()
        og.zero_grad()
        F.binary_cross_entropy_with_logits(d(fake), torch.ones(n, 1)).backward()
        og.step()
    return step


class Denoiser(nn.Module):
    """The small U-Net of io.deeptrain.generative.Denoiser: per level conv, + time features per
    channel, SiLU, conv, SiLU; 2x2 average pool down, nearest upsampling and skip concat up."""

    def __init__(self, channels=(16, 32, 64), emb=64):
        super().__init__()
        self.emb = emb
        self.time = nn.Linear(emb, emb)
        self.down, self.up = nn.ModuleList(), nn.ModuleList()
        c = 1
        for out in channels:
            self.down.append(self.block(c, out))
            c = out
        for out in reversed(channels[:-1]):
            self.up.append(self.block(c + out, out))
            c = out
        self.out = nn.Conv2d(c, 1, 3, padding=1)

    def block(self, cin, cout):
        return nn.ModuleList([nn.Conv2d(cin, cout, 3, padding=1), nn.Linear(self.emb, cout),
                              nn.Conv2d(cout, cout, 3, padding=1)])

    @staticmethod
    def run(block, x, t):
        a = F.silu(block[0](x) + block[1](t)[:, :, None, None])
        return F.silu(block[2](a))

    def forward(self, x, t):
        t = F.silu(self.time(t))
        skips = []
        for i, b in enumerate(self.down):
            x = self.run(b, x, t)
            if i < len(self.down) - 1:
                skips.append(x)
                x = F.avg_pool2d(x, 2)
        for b in self.up:
            x = torch.cat([F.interpolate(x, scale_factor=2, mode="nearest"), skips.pop()], 1)
            x = self.run(b, x, t)
        return self.out(x)


def diffusion_step():  # 1000 cosine-schedule timesteps, ε-prediction MSE, Adam 2e-3
    model = Denoiser()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = 1000
    s = 0.008
    f = torch.cos((torch.arange(steps + 1) / steps + s) / (1 + s) * math.pi / 2) ** 2
    alpha_bar = (f[1:] / f[0]).clamp(1e-5, 1.0)
    half = 32
    freqs = torch.exp(-math.log(10000) * torch.arange(half) / half)

    def step(x, _):
        n = x.shape[0]
        t = torch.randint(0, steps, (n,))
        eps = torch.randn_like(x)
        a = alpha_bar[t].view(-1, 1, 1, 1)
        noisy = a.sqrt() * (x * 2 - 1) + (1 - a).sqrt() * eps
        angle = t[:, None].float() * freqs[None, :]
        emb = torch.cat([angle.sin(), angle.cos()], 1)
        opt.zero_grad()
        F.mse_loss(model(noisy, emb), eps).backward()
        opt.step()
    return step


def peak_rss():
    """VmHWM of this process: ru_maxrss would report the JVM's that spawned it (exec keeps it)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def blas():
    """The BLAS library this process mapped (Debian's reference BLAS is ~3x slower)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line and "/" in line}
    return ", ".join(sorted(libs))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("family", choices=["mlp", "cnn", "lstm", "vae", "gan", "diffusion"])
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--examples", type=int, required=True)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch", type=int, required=True)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    x, y = load(a.examples)
    step = {"vae": vae_step, "gan": gan_step, "diffusion": diffusion_step}.get(
        a.family, lambda: classifier_step(a.family))()
    sps = []
    for _ in range(a.epochs):
        order = torch.randperm(len(x))
        start = time.perf_counter()
        for i in range(0, len(x), a.batch):
            idx = order[i:i + a.batch]
            step(x[idx], y[idx])
        sps.append(len(x) / (time.perf_counter() - start))
    print(json.dumps({"family": a.family, "samplesPerSecond": sps[-1], "epochs": sps,
                      "threads": torch.get_num_threads(), "torch": torch.__version__,
                      "blas": blas(),
                      "peakRssBytes": peak_rss()}))


if __name__ == "__main__":
    main()
