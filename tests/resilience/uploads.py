"""A large photo upload to the "melding openbare ruimte" form, sent by hand over a socket, so a
test can stop halfway, go slowly, or kill the server in the middle."""

from __future__ import annotations

import os
import socket
import threading
import time

from tests.live import Portal, csrf_of, http_client

FORM = "melding-openbare-ruimte"
BOUNDARY = "mijnharen-upload-grens"
PHOTO_SIZE = 8 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n"


class Upload:
    """A multipart POST of one photo to the photo step of a fresh draft, sent by hand."""

    def __init__(self, portal: Portal, *, token_in_header: bool = False) -> None:
        """`token_in_header`: also send the CSRF token as the X-CSRF-Token header, as htmx
        does (the portal then need not read the body to check it)."""
        self.portal = portal
        with http_client(portal.url) as http:
            start = http.get(f"/formulieren/{FORM}")
            begun = http.post(f"/formulieren/{FORM}", data={"csrf_token": csrf_of(start)})
            assert begun.status_code == 303
            self.path = begun.headers["location"].rsplit("/stap/", 1)[0] + "/stap/fotos"
            self.csrf = csrf_of(start)
            self.cookies = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
        self.token_in_header = token_in_header
        self.body = multipart_body(self.csrf, os.urandom(PHOTO_SIZE))

    def head(self) -> bytes:
        return (
            f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.portal.port}\r\n"
            f"Cookie: {self.cookies}\r\n"
            + (f"X-CSRF-Token: {self.csrf}\r\n" if self.token_in_header else "")
            + f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n"
        ).encode()

    def open(self) -> socket.socket:
        connection = socket.create_connection(("127.0.0.1", self.portal.port), timeout=60)
        connection.sendall(self.head())
        return connection

    def send(
        self, *, chunk: int = 256 * 1024, pause: float = 0.0, begun: threading.Event | None = None
    ) -> bytes:
        """The whole body (in chunks, `pause` seconds apart); returns the raw answer.
        `begun` is set once the first chunk is on its way."""
        with self.open() as connection:
            for offset in range(0, len(self.body), chunk):
                connection.sendall(self.body[offset : offset + chunk])
                if begun is not None:
                    begun.set()
                time.sleep(pause)
            return read_answer(connection)


class SlowUpload(threading.Thread):
    """The upload sent in 33 chunks 0.2 s apart (about 7 seconds), as over a poor connection."""

    def __init__(self, portal: Portal, *, token_in_header: bool = False) -> None:
        super().__init__(daemon=True)
        self.upload = Upload(portal, token_in_header=token_in_header)
        self.begun = threading.Event()
        self.answer: bytes | OSError = b""

    def run(self) -> None:
        try:
            self.answer = self.upload.send(chunk=256 * 1024, pause=0.2, begun=self.begun)
        except OSError as problem:
            self.answer = problem


def multipart_body(csrf: str, photo: bytes) -> bytes:
    return b"".join(
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{csrf}\r\n".encode(),
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="fotos"; '
            'filename="gat-in-de-weg.png"\r\nContent-Type: image/png\r\n\r\n'.encode(),
            PNG,
            photo,
            f"\r\n--{BOUNDARY}--\r\n".encode(),
        )
    )


def read_answer(connection: socket.socket) -> bytes:
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])
