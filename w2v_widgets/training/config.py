"""Training settings: validation with clear messages, and defaults chosen from the corpus size."""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, fields

import torch

from ..errors import ConfigError
from . import kernels

logger = logging.getLogger(__name__)

LOSSES = ("negative", "softmax", "cbow")
SMALL_CORPUS = 100_000  # tokens: below this the defaults are extrapolated, and say so
OPTIMIZERS = ("sgd", "adam", "sparse_adam")


@dataclass
class TrainingConfig:
    """Every setting of a run. ``None`` means "choose a good default for the corpus"
    (``min_count``, ``epochs``, ``alpha``...: see :func:`default_min_count` and
    :func:`resolve_settings`, and benchmarks/README.md for how they were chosen)."""

    vector_size: int = 100
    window: int = 5
    negative: int = 5
    min_count: int | None = None
    sample: float = 1e-3
    epochs: int | None = None
    alpha: float | None = None
    min_alpha: float | None = None
    loss: str = "negative"
    optimizer: str = "sgd"
    device: str = "auto"
    seed: int = 0
    batch_size: int | None = None
    log_every: int | None = None
    max_vocab_size: int | None = None
    sample_formula: str = "paper"
    ns_exponent: float = 0.75

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        _positive_int("vector_size", self.vector_size)
        _positive_int("window", self.window)
        if self.min_count is not None:
            _positive_int("min_count", self.min_count)
        if self.loss not in LOSSES:
            raise ConfigError(f"loss must be one of {', '.join(LOSSES)}, not {self.loss!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {self.optimizer!r}")
        if self.loss != "softmax":
            _positive_int("negative", self.negative)
        elif self.optimizer == "sparse_adam":
            raise ConfigError(
                "optimizer='sparse_adam' needs loss='negative' or 'cbow' "
                "(the softmax model's output layer is dense); use 'adam' or 'sgd'"
            )
        for name in ("epochs", "batch_size", "log_every", "max_vocab_size"):
            if getattr(self, name) is not None:
                _positive_int(name, getattr(self, name))
        if not isinstance(self.sample, int | float) or not math.isfinite(self.sample) or self.sample < 0:
            raise ConfigError(f"sample must be a number >= 0 (0 turns subsampling off), not {self.sample!r}")
        for name in ("alpha", "min_alpha"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int | float) or not math.isfinite(value) or value <= 0
            ):
                raise ConfigError(f"{name} (the learning rate) must be a number > 0, not {value!r}")
        if self.sample_formula not in ("paper", "word2vec"):
            raise ConfigError(
                f"sample_formula must be 'paper' (the lessons' discard probability 1 - sqrt(t/f)) or "
                f"'word2vec' (the C tool's and gensim's), not {self.sample_formula!r}"
            )
        if not isinstance(self.ns_exponent, int | float) or not 0 <= self.ns_exponent <= 1:
            raise ConfigError(
                f"ns_exponent (noise words drawn from unigram^ns_exponent) must be a number from 0 "
                f"(uniform) to 1 (unigram); word2vec uses 0.75; not {self.ns_exponent!r}"
            )
        if not isinstance(self.seed, int):
            raise ConfigError(f"seed must be an int, not {self.seed!r}")
        resolve_device(self.device)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


CHOICES = {"loss": LOSSES, "optimizer": OPTIMIZERS}  # settings that take one of a few names


def setting_kind(name: str) -> tuple[type, bool]:
    """A setting's value type (int, float or str) and whether ``None`` (automatic) is allowed,
    read from :class:`TrainingConfig`'s annotations (for forms and command lines made from them)."""
    annotation = str(TrainingConfig.__dataclass_fields__[name].type)
    kind = int if annotation.startswith("int") else float if annotation.startswith("float") else str
    return kind, "None" in annotation


def setting_default(name: str):
    return TrainingConfig.__dataclass_fields__[name].default


def _positive_int(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{name} must be an integer >= 1, not {value!r}")


def resolve_device(device: str | torch.device) -> torch.device:
    """``"auto"`` picks cuda, then mps, then cpu; an explicit device must be available."""
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise ConfigError(
            f"device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps', not {device!r}"
        ) from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError(
            "device='cuda' was asked for but torch sees no CUDA GPU; use device='auto' or 'cpu'"
        )
    if dev.type == "mps" and not torch.backends.mps.is_available():
        raise ConfigError("device='mps' was asked for but it is not available; use device='auto' or 'cpu'")
    return dev


@dataclass
class ResolvedSettings:
    """The concrete values a run uses once ``None`` defaults are filled in."""

    epochs: int
    alpha: float
    min_alpha: float
    batch_size: int
    log_every: int
    device: torch.device
    device_path: bool  # the trainer's GPU path: any GPU, or W2V_WIDGETS_KERNEL=device


def device_batch_size(n_tokens: int) -> int:
    """Pairs per step of word2vec SGD on a GPU: a power of two near ``n_tokens / 512``, in
    1024..32768. Larger batches keep the GPU busy but take fewer steps an epoch. Measured with
    the GPU's path on the CPU (``W2V_WIDGETS_KERNEL=device``, classroom defaults, seeds 0-2): on
    the embedded corpus (then Wikipedia only, 0.52M tokens) 1024 pairs reach WordSim353 0.45
    like the compiled kernel, months 0.73 and numbers 0.51-0.58 (kernel 0.65 and 0.74); 2048
    pairs drop numbers to 0.35-0.54 and 32768 WordSim353 to 0.34. GCIDE (4.3M tokens, gensim's
    settings) at 8192 pairs: WordSim353 0.567, SimLex 0.311, analogies 0.131 (kernel 0.545, 0.322, 0.141)."""
    return int(min(32768, max(1024, 2 ** round(math.log2(max(1, n_tokens) / 512)))))


def default_min_count(n_tokens: int) -> int:
    """Words seen fewer times are left out: 5 (word2vec's) below 50k tokens, 10 below 200k,
    20 below 2M, else 50. Words seen a handful of times get poorly trained vectors that crowd
    the nearest-neighbour lists of the words a learner looks at, and the more text, the more
    such words: on the validation corpora (60k to 4.3M tokens) leaving them out lifted
    word-group coherence the most of the settings tried (the grid and the validation table
    against gensim: benchmarks/README.md, validate_defaults.py)."""
    if n_tokens < 50_000:
        return 5
    if n_tokens < 200_000:
        return 10
    return 20 if n_tokens < 2_000_000 else 50


def default_epochs(n_tokens: int) -> int:
    """Passes over the corpus: 30 below 2M tokens, 10 below 10M, else word2vec's 5. Small
    corpora need more passes: on the King James Bible (0.8M tokens) group coherence rose from
    0.22 (10 epochs) to 0.25 (20) and 0.27 (30), on GCIDE (4.3M) from 0.36 (5) to 0.39 (10)
    (benchmarks/README.md); above 10M tokens (beyond the validation corpora) word2vec's own
    setting is kept."""
    if n_tokens < 2_000_000:
        return 30
    return 10 if n_tokens < 10_000_000 else 5


def resolve_min_count(config: TrainingConfig, n_tokens: int) -> int:
    """``config.min_count``, or :func:`default_min_count` for a corpus of ``n_tokens``."""
    return config.min_count if config.min_count is not None else default_min_count(n_tokens)


def resolve_settings(config: TrainingConfig, n_tokens: int) -> ResolvedSettings:
    """Fill in the defaults that depend on the corpus size and the optimizer."""
    device = resolve_device(config.device)
    adam = config.optimizer in ("adam", "sparse_adam")
    device_path = device.type != "cpu" or kernels.forced_device_path()
    epochs = config.epochs if config.epochs is not None else default_epochs(n_tokens)
    if config.alpha is not None:
        alpha = config.alpha
    elif config.loss == "softmax":
        alpha = 0.005 if adam else 0.5  # its loss is a mean over the batch, not a sum
    elif adam:
        alpha = 0.002
    else:
        # Small corpora are undertrained at word2vec's 0.025: 0.04 over 10 epochs reaches
        # WordSim353 ~0.45 on the embedded corpus while months and numbers still group in every
        # seed tried (benchmarks/classroom_defaults.py); 0.045 gives WordSim353 0.48 but the
        # month group falls to ~0.53 for some seeds. Tiny teaching corpora (a few dozen words)
        # keep 0.025: batched updates of a handful of words at 0.04 can diverge.
        alpha = 0.04 if SMALL_CORPUS <= n_tokens < 2_000_000 else 0.025
    if n_tokens < SMALL_CORPUS and (config.epochs is None or config.alpha is None):
        logger.warning(
            "small corpus: %s tokens in the vocabulary, below %s; chose epochs=%d (more passes "
            "for few words) and alpha=%g (word2vec's: the 0.04 used from %s tokens can diverge on "
            "a few dozen words; the smallest corpus the defaults were validated on has 60k tokens: "
            "benchmarks/validate_defaults.py); pass epochs= and alpha= to choose yourself",
            f"{n_tokens:,}", f"{SMALL_CORPUS:,}", epochs, alpha, f"{SMALL_CORPUS:,}",
        )  # fmt: skip
    min_alpha = config.min_alpha if config.min_alpha is not None else alpha * 1e-4
    if config.batch_size is not None:
        batch_size = config.batch_size
    elif config.loss == "softmax":
        batch_size = 256
    elif device_path and config.loss in ("negative", "cbow") and not adam:
        batch_size = device_batch_size(n_tokens)
    elif device.type == "cuda":
        batch_size = 32768
    elif adam:
        batch_size = 4096
    elif config.loss == "negative" and device.type == "cpu":
        batch_size = 8192  # pairs per call of the compiled kernel (eager: applied 1024 at a time)
    else:
        batch_size = 1024
    # a report syncs with a GPU (the loss is read back): there, one per ~1M pairs
    log_every = config.log_every or max(1, (1 << 20 if device.type == "cuda" else 65536) // batch_size)
    return ResolvedSettings(
        epochs, float(alpha), float(min_alpha), batch_size, log_every, device, device_path
    )
