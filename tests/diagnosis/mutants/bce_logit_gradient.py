"""BCELoss with one bug: logit gradient.

backcheck-mutant: BCELoss dx bce-gradient-of-logits
"""
import numpy as np


class BCELoss:
    def forward(self, x, target):
        self.x, self.t = x, target
        return -np.mean(target * np.log(x) + (1 - target) * np.log(1 - x))

    def backward(self, dout=1.0):
        x, t = self.x, self.t
        dx = dout * (x - t) / x.size
        return {"x": dx}
