"""word2vec rows as bytes: :mod:`.writer` (numpy, the fallback) and :mod:`.jit` (numba)."""
