"""Mail servers the mail tests start on free ports of their own: a real SMTP server (aiosmtpd)
that can be stopped and started again on the same port, and one that never answers."""

import socket

from aiosmtpd.controller import Controller

from tests.servers import free_port


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts, or answers every recipient with
    ``refusal`` (e.g. ``"550 5.1.1 Mailbox unavailable"``) while one is set."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []
        self.refusal = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusal:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on a port of its own; ``stop()`` leaves the port refusing connections,
    ``start()`` serves on it (again)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class SilentServer:
    """Accepts TCP connections (the kernel completes them) and never says a word."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.port = self._socket.getsockname()[1]

    def close(self) -> None:
        self._socket.close()
