"""Training commands (need the ``[train]`` extra); the app never imports these."""
