"""robots.txt via protego, cached per host in the database (one fetch per host per night)."""

from __future__ import annotations

from protego import Protego

AGENT = "nianbao"


class Robots:
    def __init__(self, text: str | None) -> None:
        self.text = text or ""
        self._rp = Protego.parse(self.text)

    def allowed(self, url: str, user_agent: str = AGENT) -> bool:
        return self._rp.can_fetch(url, user_agent) and self._rp.can_fetch(url, AGENT)

    def crawl_delay(self, user_agent: str = AGENT) -> float | None:
        d = self._rp.crawl_delay(user_agent) or self._rp.crawl_delay(AGENT)
        return float(d) if d is not None else None
