"""How a claim file names itself: the ``llmsizing: claims/1`` header (standard library only).

The pytest plugin asks every YAML file of a test run whether it is a claim
file, so the question is answered here without importing the rest of llmsizing.
"""

from __future__ import annotations

import re
from os import PathLike

__all__ = ["FORMAT", "HEADER_KEY", "HEADER_WINDOW", "has_claims_header"]

#: The top-level key a claim file names itself with, and the format it declares.
HEADER_KEY = "llmsizing"
FORMAT = "claims/1"
#: How much of a file :func:`has_claims_header` reads [bytes].
HEADER_WINDOW = 65_536
_HEADER = re.compile(rf"^{HEADER_KEY}\s*:\s*['\"]?claims/[^\s'\"#]*", re.MULTILINE)


def has_claims_header(path: str | PathLike[str]) -> bool:
    """True if the file names itself a claim file (``llmsizing: claims/...`` at top level).

    Only the first :data:`HEADER_WINDOW` bytes are read, so any YAML file can
    be asked cheaply; an unreadable file is not a claim file. A file declaring
    another format version (``claims/2``) is a claim file too: loading it then
    says which formats this llmsizing reads.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "a.yaml").write_text("llmsizing: claims/1\\nclaims: []\\n") and None
    >>> (d / "b.yaml").write_text("claims: []\\n") and None
    >>> has_claims_header(d / "a.yaml"), has_claims_header(d / "b.yaml")
    (True, False)
    """
    try:
        with open(path, "rb") as f:
            head = f.read(HEADER_WINDOW)
    except OSError:
        return False
    return _HEADER.search(head.decode("utf-8", errors="replace")) is not None
