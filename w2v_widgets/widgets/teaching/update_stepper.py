"""``UpdateStepper``: one word2vec update, made visible and reversible.

One (centre, context) pair and its ``k`` noise words. The picture is the exact plane spanned
by the centre's input vector ``v`` and the context's output vector ``u_o``; every other vector
is projected onto it (its distance from the plane is written beside it). Bars show each
target's sigmoid score ``σ(u·v)`` and its gradient coefficient ``σ - label``; arrows show the
step each vector will take. **Step** applies word2vec's SGD update (the same arithmetic as the
engine's ``SkipGramNegativeSampling.sgd_step``), **Undo** restores the saved rows bit for bit.
Everything happens on a copy of the model's two tables: the model is never changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
import torch
import traitlets

from ...data import sampling
from ...errors import ConfigError, UnknownWordError
from ...vectors.word_vectors import WordVectors
from ..plain_text import PlainTextRepr
from . import svg
from .snapshot import TeachingSnapshotDisplay, ThrottledSnapshot, teaching_markup

MAX_K = 15
# the learning-rate slider's stops: 1, 2.5, 5 times a power of ten, from 0.001 to 10
LR_STOPS = (*(float(f"{m}e{e}") for e in range(-3, 1) for m in (1, 2.5, 5)), 10.0)


def lr_options(lr: float) -> list[tuple[str, float]]:
    """The learning-rate slider's ``(label, value)`` stops: :data:`LR_STOPS` with ``lr`` itself
    among them, in order. The page sends back a stop's index, never a rounded number, so the
    value a user passes survives display unchanged (a log slider would snap it to its grid)."""
    lr = float(lr)
    stops = {f"{v:g}": v for v in LR_STOPS}
    label = f"{lr:g}" if stops.get(f"{lr:g}", lr) == lr else repr(lr)  # labels stay distinct
    return sorted({**stops, label: lr}.items(), key=lambda item: item[1])


@dataclass
class PairState:
    """The numbers of one pair at one moment (row 0 of the targets is the true context)."""

    words: list[str]  # the target words: context first, then the noise words
    labels: np.ndarray  # 1 for the context, 0 for noise
    v: np.ndarray  # (d,) the centre's input vector
    u: np.ndarray  # (1 + k, d) the targets' output vectors
    scores: np.ndarray  # u·v
    sigma: np.ndarray  # σ(u·v)
    coef: np.ndarray  # σ - label: the gradient of the loss with respect to each score
    loss: float  # -log σ(u_o·v) - Σ log σ(-u_n·v)
    lr: float

    @property
    def step_v(self) -> np.ndarray:
        """How ``v`` moves: ``-lr Σ_j (σ_j - label_j) u_j``."""
        return -self.lr * (self.coef[:, None] * self.u).sum(0)

    @property
    def step_u(self) -> np.ndarray:
        """How each ``u_j`` moves: ``-lr (σ_j - label_j) v`` (all along ``v``)."""
        return -self.lr * self.coef[:, None] * self.v[None, :]


class PairStepper:
    """Word2vec's SGD update for one pair, on copies of the two tables, with undo.

    ``w_in`` and ``w_out`` are copied (``shared=True`` uses one copy of ``w_in`` for both roles).
    :meth:`step` mirrors the engine's ``sgd_step`` operation for operation, so the updated rows
    equal the engine's to the last bit; :meth:`undo` writes back the rows saved before a step.
    """

    def __init__(self, w_in: torch.Tensor, w_out: torch.Tensor | None, shared: bool = False):
        self.w_in = w_in.detach().to("cpu", torch.float32).clone()
        self.w_out = self.w_in if shared or w_out is None else w_out.detach().to("cpu", torch.float32).clone()
        self.shared = self.w_out is self.w_in
        self._saved: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]] = []

    @property
    def n_steps(self) -> int:
        """Steps that :meth:`undo` can take back."""
        return len(self._saved)

    def state(self, centre: int, targets: list[int], lr: float, words: list[str]) -> PairState:
        v = self.w_in[centre].numpy().astype(np.float64)
        u = self.w_out[targets].numpy().astype(np.float64)
        labels = np.zeros(len(targets))
        labels[0] = 1.0
        scores = u @ v
        sigma = 1.0 / (1.0 + np.exp(-scores))
        # -log σ(x) = softplus(-x), stable for large |x|
        loss = float(np.logaddexp(0, -scores[0]) + np.logaddexp(0, scores[1:]).sum())
        return PairState(list(words), labels, v, u, scores, sigma, sigma - labels, loss, float(lr))

    @torch.no_grad()
    def step(self, centre: int, targets: list[int], lr: float) -> float:
        """One SGD update of the pair; returns its loss before the update."""
        w_in, w_out = self.w_in, self.w_out
        centres = torch.tensor([centre])
        tgt = torch.tensor([targets])
        self._saved.append((centres, w_in[centres].clone(), tgt.reshape(-1), w_out[tgt.reshape(-1)].clone()))
        v = w_in[centres]  # (1, d)
        u = w_out[tgt]  # (1, 1+k, d)
        s = torch.bmm(u, v.unsqueeze(2)).squeeze(2)
        g = -torch.sigmoid(s)
        g[:, 0] += 1.0
        g.mul_(lr)
        grad_v = torch.bmm(g.unsqueeze(1), u).squeeze(1)
        grad_u = g.unsqueeze(2) * v.unsqueeze(1)
        w_out.index_add_(0, tgt.reshape(-1), grad_u.reshape(-1, w_out.shape[1]))
        w_in.index_add_(0, centres, grad_v)
        return float(
            -(torch.nn.functional.logsigmoid(s[:, 0]) + torch.nn.functional.logsigmoid(-s[:, 1:]).sum())
        )

    @torch.no_grad()
    def undo(self) -> bool:
        """Take back the last step exactly; False when there is none."""
        if not self._saved:
            return False
        centres, rows_in, targets, rows_out = self._saved.pop()
        # both copies were taken before the step, so in the one-table view they agree on shared rows
        self.w_in[centres] = rows_in
        self.w_out[targets] = rows_out
        return True


def plane_basis(v: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Orthonormal ``(2, d)`` basis of the plane of ``v`` (first axis) and ``u``; if ``u`` is
    parallel to ``v`` (or zero), any second direction orthogonal to ``v``."""
    d = v.shape[0]
    e1 = v / np.linalg.norm(v) if np.linalg.norm(v) > 0 else np.eye(d)[0]
    for candidate in (u, *np.eye(d)):
        rest = candidate - (candidate @ e1) * e1
        if np.linalg.norm(rest) > 1e-9 * max(1.0, np.linalg.norm(candidate)):
            return np.stack([e1, rest / np.linalg.norm(rest)])
    return np.stack([e1, np.zeros(d)])  # d == 1: no plane


def project(vectors: np.ndarray, basis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """In-plane coordinates ``(n, 2)`` and out-of-plane lengths ``(n,)``."""
    xy = vectors @ basis.T
    off = np.linalg.norm(vectors - xy @ basis, axis=1)
    return xy, off


def _as_tables(source: Any) -> tuple[list[str], torch.Tensor, torch.Tensor | None, np.ndarray | None]:
    """Words, input table, output table (None: one table only) and counts of a model or vectors."""
    if isinstance(source, WordVectors):
        return source.index_to_key, torch.from_numpy(source.vectors), None, source.counts
    module, vocab = getattr(source, "module", None), getattr(source, "vocab", None)
    if module is None or vocab is None:
        if hasattr(source, "fit"):
            raise ConfigError("the model has no vectors yet: train it first (model.fit(corpus))")
        raise ConfigError(
            f"UpdateStepper takes a trained w2v.Word2Vec or WordVectors, not {type(source).__name__}"
        )
    if not hasattr(module, "context"):
        raise ConfigError(
            "UpdateStepper shows negative sampling's update; this model has no context table "
            "(loss='softmax'): train one with loss='negative'"
        )
    return vocab.words, module.centre.weight, module.context.weight, np.asarray(vocab.counts)


class UpdateStepper(PlainTextRepr, TeachingSnapshotDisplay, widgets.VBox):
    """One (centre, context) pair, its ``k`` noise words and one SGD update, step by step.

    ``UpdateStepper(model_or_vectors, centre="king", context="queen", k=5, lr=0.01, seed=0)``.
    ``model_or_vectors``: a trained ``Word2Vec`` (both tables) or ``WordVectors`` (one table:
    the "one table for both roles" view only). Noise words are drawn from unigram^0.75 (uniform
    without counts) with ``seed``. :meth:`step`, :meth:`undo`, :attr:`loss` and :attr:`state`
    work from Python; ``centre``, ``context``, ``k``, ``lr`` and ``shared`` are traitlets
    linked to the controls. The model itself is never changed. Displayed in a kernel, a static
    snapshot of the picture follows it (see :mod:`.snapshot`), shown where the widget cannot draw.
    """

    plain_facts = ("centre", "context", "lr")

    centre = traitlets.Unicode()
    context = traitlets.Unicode()
    k = traitlets.Int(5)
    lr = traitlets.Float(0.01)
    shared = traitlets.Bool(False)
    steps = traitlets.Int(0)

    def __init__(
        self,
        model_or_vectors: Any,
        centre: str = "king",
        context: str = "queen",
        k: int = 5,
        lr: float = 0.01,
        seed: int = 0,
        **kwargs: Any,
    ):
        words, w_in, w_out, counts = _as_tables(model_or_vectors)
        self.words = list(words)
        self._wv = WordVectors(self.words, w_in.detach().cpu())
        if not 1 <= k <= MAX_K:
            raise ConfigError(f"k (noise words) must be between 1 and {MAX_K}, not {k!r}")
        if not (isinstance(lr, int | float) and math.isfinite(lr) and lr > 0):
            raise ConfigError(f"lr must be a number > 0, not {lr!r}")
        self._index(centre), self._index(context)  # unknown words fail here, with suggestions
        self.one_table_only = w_out is None
        self._tables = (w_in, w_out)
        probs = (
            sampling.noise_distribution(counts) if counts is not None else np.full(len(words), 1 / len(words))
        )
        noise = sampling.NoiseSampler(probs, table_size=max(100_000, 100 * len(words)))
        self._noise_ids = noise.sample((MAX_K,), torch.Generator().manual_seed(seed)).tolist()
        self._stepper = PairStepper(w_in, w_out, shared=self.one_table_only)
        self._before: PairState | None = None
        self._warning = ""
        self._build_controls(centre, context, k, lr)
        self.offline = ThrottledSnapshot(
            self.snapshot_html, plain="UpdateStepper: static snapshot", drawn=".w2v-us-plane svg"
        )
        super().__init__(children=[*self._layout(), self.offline.hider], **kwargs)
        self.add_class("w2v-update-stepper")
        self.add_class(self.offline.owner_class)
        self.centre, self.context, self.k, self.lr = centre, context, int(k), float(lr)
        for name in ("centre", "context", "k", "shared"):
            widgets.link((self._controls[name], "value"), (self, name))
        self._syncing_lr = False
        self._controls["lr"].observe(self._on_lr_control, names=["value"])
        self.observe(self._on_lr, names=["lr"])
        self.shared = self.one_table_only
        self._controls["shared"].disabled = self.one_table_only
        self._step_button.on_click(lambda _: self.step())
        self._undo_button.on_click(lambda _: self.undo())
        self.observe(self._on_pair_change, names=["centre", "context", "k"])
        self.observe(self._on_shared, names=["shared"])
        self.observe(lambda _: self.redraw(), names=["lr"])
        self.redraw()

    # ------------------------------------------------------------------ controls
    def _build_controls(self, centre: str, context: str, k: int, lr: float) -> None:
        self._controls = {
            "centre": widgets.Text(value=centre, description="centre", continuous_update=False),
            "context": widgets.Text(value=context, description="context", continuous_update=False),
            "k": widgets.IntSlider(value=k, min=1, max=MAX_K, description="k (noise)"),
            "lr": widgets.SelectionSlider(
                options=lr_options(lr),
                value=float(lr),
                description="learning rate",
                style={"description_width": "initial"},
            ),
            "shared": widgets.ToggleButton(
                value=False,
                description="one table for both roles",
                icon="clone",
                layout=widgets.Layout(width="auto"),
            ),
        }
        self._step_button = widgets.Button(description="Step", icon="forward", button_style="primary")
        self._undo_button = widgets.Button(description="Undo", icon="undo")
        self._message = widgets.HTML()
        self._plane = widgets.HTML()
        self._bars = widgets.HTML()
        for name, w in self._controls.items():
            w.add_class(f"w2v-us-{name}")
        for w, cls in (
            (self._step_button, "w2v-us-step"),
            (self._undo_button, "w2v-us-undo"),
            (self._message, "w2v-us-message"),
            (self._plane, "w2v-us-plane"),
            (self._bars, "w2v-us-bars"),
        ):
            w.add_class(cls)

    def _layout(self) -> list[widgets.Widget]:
        c = self._controls
        return [
            widgets.HBox([c["centre"], c["context"]]),
            widgets.HBox([c["k"], c["lr"]]),
            widgets.HBox([self._step_button, self._undo_button, c["shared"]]),
            self._message,
            widgets.HBox([self._plane, self._bars], layout=widgets.Layout(flex_flow="row wrap")),
        ]

    def _on_lr_control(self, change: dict) -> None:
        if not self._syncing_lr:
            self.lr = change["new"]

    def _on_lr(self, change: dict) -> None:
        """``lr`` set from Python: the slider gains that exact value as a stop if it lacks it."""
        control = self._controls["lr"]
        if control.value == change["new"]:
            return
        self._syncing_lr = True
        try:
            if change["new"] not in [value for _, value in control.options]:
                control.options = lr_options(change["new"])
            control.value = change["new"]
        finally:
            self._syncing_lr = False

    def _index(self, word: str) -> int:
        return self._wv.get_index(word)

    def _on_pair_change(self, change: dict) -> None:
        if change["name"] in ("centre", "context"):
            try:
                self._index(change["new"])
            except UnknownWordError as exc:
                self._warning = str(exc)
                setattr(self, change["name"], change["old"])  # keep the last word that exists
                return
        self._before = None
        self.redraw()

    def _on_shared(self, change: dict) -> None:
        if self.one_table_only and not change["new"]:
            self.shared = True  # vectors alone have one table
            return
        w_in, w_out = self._tables
        self._stepper = PairStepper(w_in, w_out, shared=change["new"])
        self._before = None
        self.steps = 0
        self.redraw()

    # ------------------------------------------------------------------ the pair
    @property
    def targets(self) -> list[int]:
        """Row ids of the context word, then of the ``k`` noise words."""
        return [self._index(self.context), *self._noise_ids[: self.k]]

    @property
    def state(self) -> PairState:
        """The pair's vectors, scores, gradient coefficients and loss now."""
        ids = self.targets
        return self._stepper.state(self._index(self.centre), ids, self.lr, [self.words[i] for i in ids])

    @property
    def loss(self) -> float:
        """The pair's loss now: ``-log σ(u_o·v) - Σ log σ(-u_n·v)``."""
        return self.state.loss

    @property
    def noise_words(self) -> list[str]:
        return [self.words[i] for i in self._noise_ids[: self.k]]

    def step(self) -> float:
        """Apply one SGD update to the pair (on the copy); returns the loss after it."""
        self._before = self.state
        self._stepper.step(self._index(self.centre), self.targets, self.lr)
        self.steps = self._stepper.n_steps
        self.redraw()
        return self.loss

    def undo(self) -> bool:
        """Take back the last step, bit for bit; False when there is nothing to undo."""
        done = self._stepper.undo()
        self.steps = self._stepper.n_steps
        self._before = None
        self.redraw()
        return done

    def vector(self, word: str, role: str = "input") -> np.ndarray:
        """The stepper's current copy of ``word``'s input or output vector."""
        table = self._stepper.w_in if role == "input" else self._stepper.w_out
        return table[self._index(word)].numpy().copy()

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        state = self.state
        self._plane.value = plane_svg(state, self.centre, self._before, self.shared)
        self._bars.value = bars_svg(state, self.shared)
        before = f" (before the last step: {self._before.loss:.4f})" if self._before is not None else ""
        self._message.value = (
            f"<span class='w2v-us-loss'>loss of the pair: <b>{state.loss:.4f}</b>{before}</span>; "
            f"untrained it would be (k+1)·ln 2 = {(self.k + 1) * math.log(2):.4f}. "
            f"{self.steps} step(s) taken on the copy."
            + (" <i>One table: the output vectors are the input vectors.</i>" if self.shared else "")
        )
        if self._warning:
            self._message.value += f"<br><b style='color:#c62828'>{svg.esc(self._warning)}</b>"
            self._warning = ""
        self.offline.request()

    def snapshot_html(self, css_class: str) -> str:
        """The static snapshot: the loss line, the plane and the bars as they are drawn now."""
        return teaching_markup(css_class, self._message.value, self._plane.value, self._bars.value)


def plane_svg(state: PairState, centre: str, before: PairState | None, shared: bool, size: int = 400) -> str:
    """The plane of ``v`` and ``u_o``: vectors as arrows from the origin, each target's step as
    a short arrow from its tip (scaled up, the factor written), dashed ghosts of ``before``."""
    basis = plane_basis(state.v, state.u[0])
    points = np.vstack([state.v[None], state.u])
    xy, off = project(points, basis)
    steps = np.vstack([state.step_v[None], state.step_u]) @ basis.T
    reach = max(float(np.abs(xy).max()), 1e-9)
    longest = max(float(np.linalg.norm(steps, axis=1).max()), 1e-12)
    boost = _nice_factor(0.3 * reach / longest)
    ghosts = project(np.vstack([before.v[None], before.u]), basis)[0] if before is not None else None
    width, margin = size + 160, 80  # room for labels left and right
    scale = (size / 2 - 40) / reach
    cx, cy = width / 2, size / 2 - 10

    def at(p: np.ndarray) -> tuple[float, float]:
        return cx + p[0] * scale, cy - p[1] * scale

    parts = [svg.line(margin, cy, width - margin, cy, "#e0e0e0"), svg.line(cx, 10, cx, size - 40, "#e0e0e0")]
    names = [f"v {centre}", *(f"u {w}" for w in state.words)]
    colors = [svg.INPUT, svg.CONTEXT, *([svg.NOISE] * (len(state.words) - 1))]
    tips = [at(p) for p in xy]
    step_ends = [at(xy[i] + boost * steps[i]) for i in range(len(xy))]
    for i, (x, y) in enumerate(tips):
        if ghosts is not None:
            parts.append(svg.arrow(cx, cy, *at(ghosts[i]), colors[i], width=1, dash="3,3", opacity=0.5))
        parts.append(svg.arrow(cx, cy, x, y, colors[i], width=2 if i < 2 else 1.2))
        parts.append(svg.arrow(x, y, *step_ends[i], "#ff8f00", width=2))
    for i, y in _spread([t[1] for t in tips], 13):
        right = tips[i][0] >= cx
        # beyond both arrowheads (the vector's and its step's), on the outer side
        x = max(tips[i][0], step_ends[i][0]) if right else min(tips[i][0], step_ends[i][0])
        label = f"{names[i]} (⊥ {off[i]:.2f})"
        anchor, dx = ("start", 8) if right else ("end", -8)
        parts.append(svg.text(x + dx, y - 4, label, anchor, colors[i], class_="w2v-us-label"))
    notes = [
        f"the plane of v({centre}) and u({state.words[0]}); ⊥ = distance of a vector from it",
        f"orange: each vector's step, drawn ×{boost:g}"
        + ("; dashed: before the last step" if ghosts is not None else ""),
    ]
    for j, note in enumerate(notes):
        parts.append(svg.text(8, size - 22 + 14 * j, note, color=svg.NEUTRAL, font_size="11"))
    title = "one table for both roles" if shared else "input vector v (blue), output vectors u"
    return svg.svg(width, size, "".join(parts), "w2v-us-plane-svg", title)


def _spread(ys: list[float], gap: float) -> list[tuple[int, float]]:
    """Label heights moved apart so that no two are closer than ``gap`` (order kept)."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed: list[tuple[int, float]] = []
    for i in order:
        y = ys[i] if not placed else max(ys[i], placed[-1][1] + gap)
        placed.append((i, y))
    return placed


def _nice_factor(x: float) -> float:
    """A round number (1, 2, 5 times a power of ten) not above ``x``; at least 1."""
    if x <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    return max(m * power for m in (1, 2, 5) if m * power <= x)


def bars_svg(state: PairState, shared: bool) -> str:
    """σ(u·v) of each target with its label, and the gradient coefficient σ - label; in the
    one-table view also the centre word scored as its own context, σ(v·v)."""
    labels = [f"{w} ({'context' if y else 'noise'})" for w, y in zip(state.words, state.labels, strict=True)]
    sigma, coef = list(state.sigma), list(state.coef)
    if shared:
        vv = float(state.v @ state.v)
        labels.append("itself: σ(v·v)")
        sigma.append(1 / (1 + math.exp(-vv)))
        coef.append(0.0)
    return svg.hbars(
        labels,
        [("σ(u·v)", svg.CONTEXT, sigma), ("σ − label", "#ff8f00", coef)],
        width=440,
        label_width=150,
        lo=-1.0,
        hi=1.0,
        css_class="w2v-us-bars-svg",
    )
