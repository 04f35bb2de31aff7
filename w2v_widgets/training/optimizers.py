"""SGD and Adam for the trainer's autograd runs, without ``torch.optim``.

A ``torch.optim`` optimizer imports torch's compiler stack (``torch._dynamo`` and sympy, about
70 MB of a kernel's memory: ``benchmarks/optimizer_steps.py``) when it is created, whether or not
anything is compiled. These two do the updates of ``torch.optim.SGD`` (no momentum) and
``torch.optim.Adam`` (no weight decay, no AMSGrad) with the same formulas or the same fused kernel
(``tests/training/test_optimizers.py`` checks them against torch's), keep their state in torch's
``state_dict`` layout (checkpoints written with either load in both), and import nothing.
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


# the one-pass kernel ``torch.optim.Adam(fused=True)`` calls (an ATen op: no compiler stack)
_FUSED_ADAM = getattr(torch, "_fused_adam_", None)


class Adam(_PlainOptimizer):
    """``torch.optim.Adam(params, lr, betas, eps)`` (Kingma & Ba's bias-corrected moments): torch's
    fused kernel where it is (float32 tables on the CPU or a GPU, what the trainer used before;
    about a third less CPU time than the tensor ops: ``benchmarks/optimizer_steps.py``), else
    torch's single-tensor formulas."""

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
        stepped = [i for i, p in enumerate(self.params) if p.grad is not None]
        for i in stepped:
            p = self.params[i]
            if p.grad.is_sparse:
                raise TypeError(
                    "Adam takes dense gradients; sparse tables train with optimizer='sparse_adam'"
                )
            if not self.state[i]:
                self.state[i] = {
                    "step": torch.tensor(0.0, device=p.device),
                    "exp_avg": torch.zeros_like(p, memory_format=torch.preserve_format),
                    "exp_avg_sq": torch.zeros_like(p, memory_format=torch.preserve_format),
                }
            self.state[i]["step"] += 1
        params = [self.params[i] for i in stepped]
        if _FUSED_ADAM is not None and all(
            p.dtype == torch.float32 and p.device.type in ("cpu", "cuda") for p in params
        ):
            states = [self.state[i] for i in stepped]
            _FUSED_ADAM(
                params,
                [p.grad for p in params],
                [s["exp_avg"] for s in states],
                [s["exp_avg_sq"] for s in states],
                [],
                [s["step"] for s in states],
                amsgrad=False,
                lr=lr,
                beta1=beta1,
                beta2=beta2,
                weight_decay=0.0,
                eps=eps,
                maximize=False,
                grad_scale=None,
                found_inf=None,
            )
            return
        for i in stepped:
            p, state = self.params[i], self.state[i]
            step = float(state["step"])
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg.lerp_(p.grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
            denom = self._denominators[i]
            if denom is None or denom.shape != p.shape:
                denom = self._denominators[i] = torch.empty_like(p)
            torch.sqrt(exp_avg_sq, out=denom).div_((1 - beta2**step) ** 0.5).add_(eps)
            p.addcdiv_(exp_avg, denom, value=-lr / (1 - beta1**step))


Optimizer = _PlainOptimizer | torch.optim.Optimizer  # what a run steps with (SparseAdam is torch's)
