"""The ASGI side of trusted proxies: the rule for which headers to believe is ``forum.core.proxies``."""

from __future__ import annotations

from typing import Any

from forum.core.proxies import IPNetwork, client_address, is_trusted_proxy


class TrustedProxyMiddleware:
    """Rewrites the ASGI ``client`` (and the scheme) from a configured proxy's headers; others' are ignored."""

    def __init__(self, app: Any, networks: tuple[IPNetwork, ...]) -> None:
        self.app = app
        self.networks = networks

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in {"http", "websocket"} and self.networks and scope.get("client"):
            peer, port = scope["client"]
            if is_trusted_proxy(peer, self.networks):
                headers = scope.get("headers") or []
                forwarded = [value.decode("latin-1") for name, value in headers if name == b"x-forwarded-for"]
                scope = dict(scope, client=(client_address(peer, forwarded, self.networks), port))
                proto = [value.decode("latin-1").split(",")[-1].strip().lower()
                         for name, value in headers if name == b"x-forwarded-proto"]  # fmt: skip
                if proto and proto[-1] in {"http", "https"}:
                    secure = proto[-1] == "https"
                    scope["scheme"] = ("wss" if secure else "ws") if scope["type"] == "websocket" else proto[-1]
        await self.app(scope, receive, send)
