"""Data-parallel training on ``torch.distributed``: one model, a replica on each rank.

By job: :mod:`.group` (the process group, collectives that fail clearly), :mod:`.vocabulary`
(agreeing on one vocabulary), :mod:`.sync` (keeping the replicas equal), :mod:`.run` (the
data-parallel run, wrapping the one-process data path of :mod:`..data_path`).

Inside an initialised process group of two or more ranks (``torchrun``, or
``torch.distributed.init_process_group``), :meth:`Word2Vec.fit` trains one model on all ranks:

* **data**: each rank reads only its byte range of the corpus file (:mod:`..data.shards`); a
  :class:`Corpus` given in memory is taken as the rank's own share;
* **vocabulary**: agreed from all ranks' counts (:func:`agree_vocabulary`): bucketed counts are
  all-reduced to drop most rare words cheaply, the remaining words all-gathered, their exact counts
  and first positions all-reduced. Every rank ends with the vocabulary and ids one process would
  build from the whole file, and the ranks check that they do;
* **settings**: the ranks compare their settings, vocabulary and resumed position at start and
  stop with a message naming the first one that differs (:func:`check_agreement`);
* **training**: each rank runs the usual step paths (the JIT kernel on CPU) on its share, each
  path wrapped by :class:`SyncedPath`, the seam to the trainer: after every step it tells the
  :class:`ReplicaSync` how far the rank is in its epoch. The sync runs at fixed fractions of the
  epoch, so every rank makes the same collective calls in the same order whatever its share's
  size; it all-reduces the *changes* since the last sync of the most frequent words' rows
  (``hot_rows``) often and of all rows a few times an epoch, the last at its end (pWord2Vec's
  schedule), and each replica adds the summed changes to the last synced weights.
  Because every rank is at the same fraction of its epoch at each sync, the linear learning-rate
  decay, computed from that fraction, is the global schedule;
* **outputs**: rank 0 alone writes files (:func:`is_writer`; ``Word2Vec.save`` does nothing on
  the other ranks). A checkpoint holds the synchronised weights of an epoch's end and resumes with
  any number of ranks (a position inside an epoch restarts that epoch).

Failure: every collective runs under the process group's timeout (``init_from_env``'s
``timeout_s``); a rank that dies or hangs makes the others' next collective fail, and they raise
:class:`~w2v_widgets.errors.DistributedError` saying so. Pausing or stopping one rank from a
widget stops it at a collective the others then time out on: stop a distributed run with Ctrl-C
on ``torchrun`` (it ends every rank).
"""
