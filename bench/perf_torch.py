"""PyTorch side of bench/perf-training: one pass of N Fashion-MNIST training examples.

Usage: perf_torch.py mlp|cnn SAMPLES [BATCH] [THREADS]. Same models as the DL4J side (MLP
784-256-128-10 ReLU; TF-tutorial CNN conv32-pool-conv64-pool-conv64-dense64, valid padding),
Adam 1e-3, shuffled mini-batches cut from tensors built once, pixels scaled to [0, 1].
Prints one line: "torch MODEL samples_per_second seconds final_loss".
"""
import gzip
import sys
import time

import numpy as np
import torch
from torch import nn

model_name = sys.argv[1]
samples = int(sys.argv[2])
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 64
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
torch.set_num_threads(threads)
torch.manual_seed(1)

root = "/usr/share/datasets/fashion-mnist/"
with gzip.open(root + "train-images-idx3-ubyte.gz") as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open(root + "train-labels-idx1-ubyte.gz") as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
x_all = torch.from_numpy(images[:samples].astype(np.float32) / 255.0)
y_all = torch.from_numpy(labels[:samples].astype(np.int64))

if model_name == "mlp":
    x_all = x_all.reshape(len(x_all), 784)
    model = nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
else:
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
        nn.Linear(64 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()


def epoch():
    order = torch.randperm(len(x_all))
    loss = None
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        opt.zero_grad()
        loss = loss_fn(model(x_all[idx]), y_all[idx])
        loss.backward()
        opt.step()
    return loss.item()


# Warm-up on a few batches, as the DL4J side gets its JIT warm-up.
saved = x_all, y_all
x_all, y_all = saved[0][:batch * 20], saved[1][:batch * 20]
epoch()
x_all, y_all = saved
t0 = time.perf_counter()
last = epoch()
seconds = time.perf_counter() - t0
print(f"torch {model_name} {len(x_all) / seconds:.1f} {seconds:.3f} {last:.4f}")
