"""Files -> normalised, validated rows -> one atomic batch in the store.

``data_loaders.files`` is the loader's public API; ``python -m data_loaders`` its command line;
``data_loaders.sample`` the deterministic demo observations.
"""
