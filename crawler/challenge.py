"""Anti-bot challenge pages (瑞数 412 with a $_ts script, 加速乐 521 cookie scripts, …).

We detect and record them, back off, and report them; we never try to defeat them.
"""

from __future__ import annotations

import re

_RUISHU = re.compile(rb"\$_ts\s*=|\$_ts\.|_\$[a-zA-Z]{2}\(")
_JSL = re.compile(rb"__jsl_clearance|document\.cookie\s*=|jsl_clearance_s")
_GENERIC = re.compile(
    rb"(?i)<title>\s*(?:access denied|403 forbidden|\xe8\xae\xbf\xe9\x97\xae\xe8\xa2\xab\xe6\x8b\x92\xe7\xbb\x9d)"
)


def challenge_kind(status: int, body: bytes) -> str | None:
    """A short name for the challenge on this response, or None."""
    head = body[:20000]
    if status == 412 or (status in (200, 202) and len(body) < 20000 and _RUISHU.search(head)):
        if _RUISHU.search(head) or status == 412:
            return "412 瑞数 ($_ts script challenge)"
    if status == 521 or (
        status in (200, 503) and len(body) < 10000 and _JSL.search(head) and b"<html" in head.lower()
    ):
        if status == 521 or _JSL.search(head):
            return "521 加速乐 (cookie script challenge)"
    if status in (403, 429) and _GENERIC.search(head):
        return f"{status} access denied page"
    return None
