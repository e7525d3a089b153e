"""Issue #5's comparison, PyTorch side: the LSTM(128) of bench/LstmThroughputBench.java.

28 steps of 28 features, 10 classes, Adam 1e-3, batch 64, random data; threads from argv.
Prints one line: "torch train_sps infer_sps".
"""
import sys
import time

import torch
from torch import nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 60
torch.set_num_threads(threads)
torch.manual_seed(1)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1, :])


model = Model()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
batch = 64
x = torch.rand(batch, 28, 28)
y = torch.arange(batch) % 10


def step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()


for _ in range(10):
    step()
start = time.perf_counter()
for _ in range(iterations):
    step()
train = batch * iterations / (time.perf_counter() - start)

big = torch.rand(1024, 28, 28)
model.eval()
with torch.no_grad():
    for _ in range(3):
        model(big)
    start = time.perf_counter()
    for _ in range(10):
        model(big)
    infer = 1024 * 10 / (time.perf_counter() - start)
print(f"torch {train:.1f} {infer:.1f}")
