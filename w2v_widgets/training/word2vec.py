"""``Word2Vec``: the public model, tying settings, vocabulary, torch model and trainer together."""

from __future__ import annotations

import inspect
import os
import threading
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from ..callbacks.base import CallbackList
from ..callbacks.recorder import Recorder
from ..data.corpus import Corpus
from ..data.vocabulary import Vocabulary
from ..errors import CheckpointError, ConfigError, TrainingStateError
from ..vectors.word_vectors import WordVectors
from .checkpoints import read_checkpoint, write_checkpoint
from .config import TrainingConfig, resolve_device, resolve_min_count, resolve_settings
from .control import ACTIVE_STATES, FAILED, FINISHED, IDLE, RunControl
from .data_path import choose_data_path, same_corpus
from .distributed.group import is_writer
from .quick_exit import register as register_quick_exit
from .trainer import Position, Trainer, build_model, build_optimizer

if TYPE_CHECKING:
    import pandas as pd

    from .distributed.run import DistributedRun
    from .distributed.sync import SyncSchedule

# Settings that may be given by position, in this order (the others by name only).
POSITIONAL = (
    "vector_size",
    "window",
    "negative",
    "min_count",
    "sample",
    "epochs",
    "alpha",
    "loss",
    "optimizer",
    "device",
    "seed",
)
# Settings that change the shape of the model: changing one after training starts over.
_STRUCTURAL = ("vector_size", "min_count", "loss", "max_vocab_size", "optimizer", "seed")


class Word2Vec:
    """A word2vec model trained with PyTorch: skip-gram with negative sampling (default),
    skip-gram with a full softmax (``loss="softmax"``), or CBOW (``loss="cbow"``).

    ``None`` settings get good defaults for the corpus (``epochs``, ``alpha``).
    ``sample_formula`` picks the subsampling rule: ``"paper"`` (default; the lessons' discard
    probability ``1 - sqrt(sample / f)``) or ``"word2vec"`` (the C tool's and gensim's, which keeps
    more frequent words: use it to compare with gensim at the same settings). ``ns_exponent``
    (gensim's name) shapes the noise distribution, unigram^0.75 by default. Train with
    :meth:`fit`, blocking or in a background thread; steer with :meth:`pause`, :meth:`resume`,
    :meth:`stop`; follow with callbacks (see :mod:`w2v_widgets.callbacks`). After a stop the model
    is consistent and queryable, and :meth:`fit` continues where it stopped.
    """

    def __init__(self, *args: Any, callbacks: list[Any] | None = None, **settings: Any):
        if len(args) > len(POSITIONAL):
            raise TypeError(
                f"Word2Vec takes at most {len(POSITIONAL)} settings by position ({', '.join(POSITIONAL)})"
            )
        given = dict(zip(POSITIONAL, args, strict=False))
        twice = sorted(set(given) & set(settings))
        if twice:
            raise TypeError(f"Word2Vec got {', '.join(twice)} both by position and by name")
        unknown = sorted(set(settings) - set(TrainingConfig.field_names()))
        if unknown:
            raise TypeError(f"Word2Vec got unknown setting(s) {', '.join(unknown)}")
        self.config = TrainingConfig(**given, **settings)
        self.callbacks = CallbackList(callbacks)
        self._control = RunControl(on_change=self._state_changed)
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._run_callbacks = CallbackList()
        self.error: BaseException | None = None
        self._clear()

    def _clear(self) -> None:
        self.vocab: Vocabulary | None = None
        self.module: torch.nn.Module | None = None
        self._optimizer = None
        self._position = Position()
        self._history: list[dict] = []
        self._progress: dict = {}
        self._corpus_key: list | None = None
        self._wv_cache: tuple[int, WordVectors] | None = None
        self._device: torch.device | None = None
        self._finished = False
        self._settings = None
        self._saved_callback_states: dict[str, dict] = {}
        self.distributed: DistributedRun | None = None  # the last run's, when data-parallel

    # ------------------------------------------------------------------ settings
    def get_params(self) -> dict:
        """The settings given (``None`` where a default is chosen at fit time)."""
        return self.config.to_dict()

    def set_params(self, **params: Any) -> Word2Vec:
        """Change settings between runs. Changing a structural one (vector_size, min_count,
        loss, optimizer, seed, max_vocab_size) on a trained model resets it."""
        if self.active:
            raise TrainingStateError("cannot change settings while training; stop it first")
        unknown = set(params) - set(TrainingConfig.field_names())
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        new = TrainingConfig(**{**self.config.to_dict(), **params})
        structural = any(getattr(new, k) != getattr(self.config, k) for k in _STRUCTURAL)
        self.config = new
        if structural and self.module is not None:
            self.reset()
        return self

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> str:
        """``idle``, ``running``, ``paused``, ``stopping``, ``stopped``, ``finished`` or ``failed``."""
        return self._control.state

    @property
    def active(self) -> bool:
        return self._control.state in ACTIVE_STATES

    @property
    def progress(self) -> dict:
        """The latest figures sent to ``on_batch_end`` (empty before training)."""
        return dict(self._progress)

    @property
    def history(self) -> pd.DataFrame:
        """Training progress, one row per log interval (``model.history.plot()`` draws it)."""
        from .history import TrainingHistory

        params = self.get_params()
        if self._settings is not None:  # the values used where the settings said "default"
            params.update(epochs=self._settings.epochs, alpha=self._settings.alpha)
        return TrainingHistory.from_records(self._history, params=params)

    @property
    def epoch_losses(self) -> list[float]:
        """The mean loss of each completed epoch, as logged: each pair scored just before its own
        update (optimistic while the learning rate is large; ``training.SampleLoss`` scores a fixed
        sample instead)."""
        return list(self._position.epoch_losses)

    @property
    def wv(self) -> WordVectors:
        """The word vectors (centre table) as a :class:`WordVectors` snapshot."""
        if self.module is None or self.vocab is None:
            raise TrainingStateError("the model has no vectors yet; call fit(corpus) first")
        key = self._position.batches_done
        cached = self._wv_cache
        if cached is not None and cached[0] == key and not self.active:
            return cached[1]
        weights = self.module.centre.weight.detach().to("cpu", copy=True).numpy()
        wv = WordVectors(self.vocab.words, weights, counts=self.vocab.counts)
        self._wv_cache = (key, wv)
        return wv

    def add_callback(self, callback: Any) -> None:
        """Subscribe a callback to this model's events, also during training."""
        self.callbacks.add(callback)
        if self.active:
            self._run_callbacks.add(callback)

    def remove_callback(self, callback: Any) -> None:
        self.callbacks.remove(callback)
        self._run_callbacks.remove(callback)

    def _state_changed(self, new: str, old: str) -> None:
        self._run_callbacks.fire("on_state_change", self, {"state": new, "previous": old})

    # ------------------------------------------------------------------ training
    def fit(
        self,
        corpus: Corpus | str | os.PathLike,
        callbacks: list[Any] | None = None,
        background: bool = False,
        sync: SyncSchedule | None = None,
    ) -> Word2Vec:
        """Train on ``corpus`` (a :class:`Corpus` or a path to a text file).

        Blocking by default; ``background=True`` returns at once while a daemon thread trains
        (use :meth:`wait`). A model stopped in the middle of a run continues that run; a finished
        model starts a new run of ``epochs`` passes from its current weights.

        Inside a ``torch.distributed`` process group of two or more ranks, every rank calls
        ``fit`` and they train one model data-parallel, each on its share of the file (a Corpus
        given is taken as the rank's share); ``sync`` sets when the replicas are synchronised
        (see :mod:`w2v_widgets.training.distributed`). Only rank 0 writes files.
        """
        register_quick_exit()  # fewer garbage collections over torch's objects at the process's exit
        with self._lock:
            if self.active:
                raise TrainingStateError(
                    f"the model is already training ({self.state}); pause, stop or wait for it first"
                )
            data = choose_data_path(sync)
            trainer = self._prepare(data.corpus(corpus), data, background)
            user_callbacks = [*self.callbacks, *(callbacks or [])]
            self._restore_callback_states(user_callbacks)
            self._run_callbacks = CallbackList([Recorder(self._history), *user_callbacks])
            self.error = None
            if background:
                self._thread = threading.Thread(
                    target=self._train, args=(trainer,), name="w2v-widgets-training", daemon=True
                )
                self._thread.start()
                return self
        self._train(trainer)
        if self.error is not None:
            raise self.error
        return self

    def _prepare(self, corpus: Corpus, data: Any, background: bool = False) -> Trainer:
        """The vocabulary, model and trainer for ``corpus``, along the data path ``data``."""
        cfg = self.config
        key = data.corpus_key(corpus)
        data.check_settings(cfg.to_dict(), self._position, self.vocab if self.module is not None else None)
        if self.module is None:
            min_count = resolve_min_count(cfg, key[0])
            self.vocab = data.vocabulary(corpus, min_count, cfg.max_vocab_size)
            if cfg.loss != "softmax" and len(self.vocab) <= cfg.negative:
                raise ConfigError(
                    f"the vocabulary has {len(self.vocab)} word(s) (min_count={min_count}): too few "
                    f"for negative={cfg.negative} noise words per pair; lower negative or min_count, "
                    "or give a larger corpus"
                )
            self._device = resolve_device(cfg.device)
            generator = torch.Generator().manual_seed(cfg.seed)
            self.module = build_model(cfg, len(self.vocab), generator).to(self._device)
            self._position = Position()
            self._corpus_key = key
        elif self._finished:
            self._position = Position()
            self._corpus_key = key
        elif not same_corpus(key, self._corpus_key):
            raise ConfigError(
                "this model stopped in the middle of a run on another corpus; "
                "fit that corpus to continue, or call reset() to start over"
            )
        settings = self._settings = resolve_settings(cfg, self.vocab.total)
        if settings.device != self._device:
            self.module.to(settings.device)
            self._device = settings.device
            self._optimizer = None
        if self._optimizer is None:
            self._optimizer = build_optimizer(cfg, self.module, settings.alpha)
        data.check_vocabulary(self.vocab)
        trainer = Trainer(
            cfg,
            settings,
            self.vocab,
            corpus,
            self.module,
            self._optimizer,
            self._position,
            self._control,
            background,
        )
        data.attach(trainer)
        self.distributed = data if data.world_size > 1 else None
        return trainer

    _training_thread: int | None = None

    def _train(self, trainer: Trainer) -> None:
        callbacks = self._run_callbacks
        state = FAILED
        self._finished = False
        self._training_thread = threading.get_ident()
        try:
            state = trainer.run(self, callbacks)
            self._finished = state == FINISHED
        except BaseException as exc:  # reported through .error, the state and on_train_end
            self.error = exc
        finally:
            self._wv_cache = None
            self._control.end(state)
            logs = {
                "state": state,
                "words_done": trainer.words_now,
                "elapsed": self._position.elapsed,
                "error": self.error,
            }
            callbacks.fire("on_train_end", self, logs)

    def pause(self) -> None:
        """Pause after the current batch (thread-safe)."""
        self._refuse_one_rank("pause")
        self._control.pause()

    def resume(self) -> None:
        """Resume a paused run."""
        self._control.resume()

    def stop(self, reason: str = "stopped by request") -> None:
        """Stop after the current batch; :meth:`fit` later continues from there."""
        self._refuse_one_rank("stop")
        self._control.stop(reason)

    def _refuse_one_rank(self, action: str) -> None:
        """In a data-parallel run, only a callback (run by every rank at the same point) may pause
        or stop: a button pressed on one rank would leave the others waiting at the next sync."""
        run = self.distributed
        if run is not None and self.active and threading.get_ident() != self._training_thread:
            raise TrainingStateError(
                f"cannot {action} one rank of a data-parallel run ({run.world_size} ranks): the others "
                "would wait for it until the timeout. End the whole run (Ctrl-C on torchrun), or "
                f"{action} every rank from a callback at the same point (e.g. on_epoch_end)"
            )

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background run to end; True if it ended. Re-raises its error, if any."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        if self.error is not None:
            raise self.error
        return True

    def reset(self) -> Word2Vec:
        """Forget the vocabulary, weights and history (settings are kept)."""
        if self.active:
            raise TrainingStateError("cannot reset while training; stop it first")
        self._clear()
        self.error = None
        if self._control.state != IDLE:
            self._control.reset()
        return self

    # ------------------------------------------------------------------ stateful callbacks
    @staticmethod
    def _callback_keys(callbacks: list[Any]) -> list[tuple[str, Any]]:
        """(key, callback) for callbacks with state: the class name, numbered when repeated."""
        keys, seen = [], {}
        for cb in callbacks:
            if isinstance(cb, Recorder) or not hasattr(cb, "state_dict"):
                continue
            name = type(cb).__name__
            seen[name] = seen.get(name, 0) + 1
            keys.append((name if seen[name] == 1 else f"{name}-{seen[name]}", cb))
        return keys

    def _callback_states(self) -> dict[str, dict]:
        """The state of each stateful callback of the current (or last) run, for a checkpoint."""
        run = list(self._run_callbacks) or list(self.callbacks)
        return {key: cb.state_dict() for key, cb in self._callback_keys(run)}

    def _restore_callback_states(self, callbacks: list[Any]) -> None:
        """Give callbacks the state saved with this model (once: a loaded checkpoint's)."""
        saved, self._saved_callback_states = self._saved_callback_states, {}
        for key, cb in self._callback_keys(callbacks):
            if key in saved and hasattr(cb, "load_state_dict"):
                cb.load_state_dict(saved[key])

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike) -> None:
        """Save everything needed to query or resume: settings, vocabulary, weights, optimizer
        state, position and history (a zip of arrays and JSON; no pickle). In a distributed run
        only rank 0 writes; the other ranks return without writing."""
        if self.module is None or self.vocab is None:
            raise TrainingStateError("nothing to save yet; call fit(corpus) first")
        if self.state in ("running", "stopping") and threading.get_ident() != self._training_thread:
            raise TrainingStateError("pause or stop training before saving (or save from a callback)")
        if not is_writer():
            return
        state = {
            "config": self.config.to_dict(),
            "vocab": {"words": self.vocab.words, "counts": self.vocab.counts},
            "weights": {k: v for k, v in self.module.state_dict().items()},
            "optimizer": self._optimizer.state_dict() if self._optimizer is not None else None,
            "position": self._position.to_dict(),
            "history": self._history,
            "corpus_key": self._corpus_key,
            "finished": self._finished,
            "callbacks": self._callback_states(),
        }
        write_checkpoint(path, state)

    @classmethod
    def load(cls, path: str | os.PathLike, device: str | None = None) -> Word2Vec:
        """Load a model saved by :meth:`save`; ``device`` overrides the saved one."""
        state = read_checkpoint(path)
        try:
            config = dict(state["config"])
            if device is not None:
                config["device"] = device
            elif (
                config["device"] != "auto"
                and config["device"].startswith("cuda")
                and not torch.cuda.is_available()
            ):
                config["device"] = "cpu"
            model = cls(**config)
            model.vocab = Vocabulary(state["vocab"]["words"], np.asarray(state["vocab"]["counts"]))
            model._device = resolve_device(model.config.device)
            module = build_model(model.config, len(model.vocab), torch.Generator().manual_seed(0))
            module.load_state_dict({k: torch.as_tensor(v) for k, v in state["weights"].items()})
            model.module = module.to(model._device)
            if state["optimizer"] is not None:
                settings = resolve_settings(model.config, model.vocab.total)
                model._optimizer = build_optimizer(model.config, model.module, settings.alpha)
                model._optimizer.load_state_dict(_to_tensors(state["optimizer"]))
            model._position = Position(**state["position"])
            model._history = [dict(row) for row in state["history"]]
            model._corpus_key = state["corpus_key"]
            model._finished = bool(state["finished"])
            model._saved_callback_states = dict(state.get("callbacks") or {})
        except CheckpointError:
            raise
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            raise CheckpointError(f"checkpoint {os.fspath(path)!r} is not a valid model: {exc}") from None
        return model

    def __repr__(self) -> str:
        c = self.config
        size = f"{len(self.vocab):,} words" if self.vocab is not None else "untrained"
        return (
            f"Word2Vec(loss={c.loss!r}, vector_size={c.vector_size}, window={c.window}, "
            f"optimizer={c.optimizer!r}, {size}, state={str(self.state)!r})"
        )


def _signature() -> inspect.Signature:
    """``Word2Vec(...)``'s signature, made from :class:`TrainingConfig`'s fields: the one place where
    the settings and their defaults are declared (the dashboard's form is made from them too)."""
    by_position, by_name = inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("self", by_position)]
    for f in fields(TrainingConfig):
        kind = by_position if f.name in POSITIONAL else by_name
        params.append(inspect.Parameter(f.name, kind, default=f.default, annotation=f.type))
    params.sort(key=lambda p: (p.kind, POSITIONAL.index(p.name) if p.name in POSITIONAL else 0))
    callbacks = inspect.Parameter("callbacks", inspect.Parameter.KEYWORD_ONLY, default=None)
    return inspect.Signature([*params, callbacks])


Word2Vec.__init__.__signature__ = _signature()  # type: ignore[attr-defined]


def _to_tensors(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return torch.from_numpy(obj.copy())
    if isinstance(obj, dict):
        return {k: _to_tensors(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_tensors(v) for v in obj]
    return obj
