"""The binary word2vec reader's parts: :mod:`.scan` (records found and copied a block at a time)
and :mod:`.prefault` (the result array's pages mapped ahead of the reader by a thread)."""
