"""Bookkeeping for the one test that tries the network on purpose."""

_deliberate = 0


def expect_attempts(n: int) -> None:
    global _deliberate
    _deliberate += n


def deliberate_attempts() -> int:
    return _deliberate
