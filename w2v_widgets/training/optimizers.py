"""SGD and Adam for the trainer's autograd runs, in plain tensor ops.

``torch.optim``'s optimizers import torch's compiler stack (``torch._dynamo`` and sympy, about
70 MB of a kernel's memory, measured in ``benchmarks/notebook_memory.py``'s notes) the first time
one is stepped or saved, whether or not anything is compiled. These two do the updates of
``torch.optim.SGD`` (no momentum) and ``torch.optim.Adam`` (no weight decay, no AMSGrad) with the
same formulas (``tests/training/test_optimizers.py`` checks them against torch's), keep their state
in torch's ``state_dict`` layout (checkpoints written with either load in both), and import nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch

from ..errors import CheckpointError


class _PlainOptimizer:
    """What the trainer uses of an optimizer: one parameter group whose ``lr`` it sets before
    each step, ``zero_grad``, ``step``, ``state_dict`` and ``load_state_dict``."""

    def __init__(self, params: Iterable[torch.Tensor], **defaults: Any):
        self.params = list(params)
        self.defaults = defaults
        self.param_groups = [{**defaults, "params": self.params}]
        self.state: list[dict[str, torch.Tensor]] = [{} for _ in self.params]

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    def state_dict(self) -> dict:
        group = {k: v for k, v in self.param_groups[0].items() if k != "params"}
        return {
            "state": {i: dict(s) for i, s in enumerate(self.state) if s},
            "param_groups": [{**group, "params": list(range(len(self.params)))}],
        }

    def load_state_dict(self, state_dict: dict) -> None:
        groups = state_dict["param_groups"]
        if len(groups) != 1 or len(groups[0]["params"]) != len(self.params):
            raise CheckpointError("the checkpoint's optimizer state does not fit this model's tables")
        index = {saved: i for i, saved in enumerate(groups[0]["params"])}
        group = self.param_groups[0]
        group.update(
            {
                k: (tuple(v) if k == "betas" else v)
                for k, v in groups[0].items()
                if k in group and k != "params"
            }
        )
        self.state = [{} for _ in self.params]
        for saved, values in state_dict["state"].items():
            p = self.params[index[saved]]
            self.state[index[saved]] = {
                k: torch.tensor(float(v))
                if k == "step"
                else torch.as_tensor(v).to(p.device, p.dtype, copy=True)
                for k, v in values.items()
                if k in ("step", "exp_avg", "exp_avg_sq")
            }


class SGD(_PlainOptimizer):
    """``param -= lr * grad``: ``torch.optim.SGD(params, lr)`` with its defaults (no momentum)."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float):
        super().__init__(
            params, lr=lr, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False
        )

    @torch.no_grad()
    def step(self) -> None:
        lr = self.param_groups[0]["lr"]
        for p in self.params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)


class Adam(_PlainOptimizer):
    """``torch.optim.Adam(params, lr, betas, eps)`` (Kingma & Ba's bias-corrected moments), with
    torch's single-tensor formulas; the square-root buffer is kept between steps."""

    def __init__(
        self,
        params: Iterable[torch.Tensor],
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=0, amsgrad=False, maximize=False)
        self._denominators: list[torch.Tensor | None] = [None for _ in self.params]

    @torch.no_grad()
    def step(self) -> None:
        group = self.param_groups[0]
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        for i, p in enumerate(self.params):
            grad = p.grad
            if grad is None:
                continue
            if grad.is_sparse:
                raise TypeError(
                    "Adam takes dense gradients; sparse tables train with optimizer='sparse_adam'"
                )
            state = self.state[i]
            if not state:
                state["step"] = torch.tensor(0.0)
                state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
            state["step"] += 1
            step = float(state["step"])
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = self._denominators[i]
            if denom is None or denom.shape != p.shape:
                denom = self._denominators[i] = torch.empty_like(p)
            torch.sqrt(exp_avg_sq, out=denom).div_((1 - beta2**step) ** 0.5).add_(eps)
            p.addcdiv_(exp_avg, denom, value=-lr / (1 - beta1**step))


Optimizer = _PlainOptimizer | torch.optim.Optimizer  # what a run steps with (SparseAdam is torch's)
