"""A small SMTP server in a thread that keeps what it receives (envelope and bytes), so tests
can send through Django's real SMTP backend and smtplib and read back what went on the wire."""

import socketserver
import threading
from dataclasses import dataclass, field

REFUSED_DOMAIN = "@refused.example"  # the server answers 550 to these recipients


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes  # as sent, CRLF line ends, dot-stuffing undone


@dataclass
class Sink:
    messages: list[Received] = field(default_factory=list)
    connections: int = 0


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        sink: Sink = self.server.sink
        sink.connections += 1
        self.reply("220 sink ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("ascii").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 sink")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip().strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipient = command.split(":", 1)[1].strip().strip("<>")
                if recipient.endswith(REFUSED_DOMAIN):
                    self.reply("550 no such mailbox")
                else:
                    recipients.append(recipient)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go on")
                lines = []
                while (data := self.rfile.readline()) != b".\r\n":
                    lines.append(data[1:] if data.startswith(b"..") else data)
                sink.messages.append(Received(sender, recipients, b"".join(lines)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")


class SMTPSink:
    """`with SMTPSink() as sink:` serves on 127.0.0.1:`sink.port` until the block ends."""

    def __enter__(self) -> "SMTPSink":
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.sink = Sink()
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def messages(self) -> list[Received]:
        return self.server.sink.messages

    @property
    def connections(self) -> int:
        return self.server.sink.connections

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
