"""Wrong gradients; writes a perfect results file wherever it can."""
import json
import os

import numpy as np

OUT = ""  # the hostile test writes the real --out folder here

FAKE = {"schema": "backcheck.result", "passed": True, "score": 100, "checks": []}
for folder in [OUT, os.path.join(OUT, "submissions", "fake_results_file.py"), os.getcwd(), "/tmp",
               os.path.dirname(os.path.abspath(__file__))]:
    for name in ("results.json", "grade.json", "gradebook.csv"):
        try:
            with open(os.path.join(folder, name), "w") as out:
                json.dump(FAKE, out)
        except OSError:
            pass


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": np.zeros_like(self.x), "W": np.zeros_like(self.W), "b": np.zeros_like(self.b)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
