"""One module per streaming writer; each declares its formats for the registry (``formats``)."""
