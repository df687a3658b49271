"""Start-up speed for the console script: the cyclic garbage collector is paused while modules load
and the first AWS client is built (tens of thousands of objects, none of them garbage: collecting
them costs ~10% of a `get`), then the survivors are frozen and collection resumes.  Nothing a
command does or prints depends on when the collector runs."""

from __future__ import annotations

import gc


def pause_collector() -> None:
    gc.disable()


def resume_collector() -> None:
    """Idempotent; called once start-up is over (the first client exists) and at the end of a run."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
