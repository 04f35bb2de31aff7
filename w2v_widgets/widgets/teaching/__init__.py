"""Teaching widgets: small views that make one step of word2vec visible."""
