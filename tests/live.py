"""The app served for real by waitress, in a thread of the test process."""

import threading
import time

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import create_server

from tracker.db import database


class LiveServer:
    def __init__(self, app: Flask, threads: int = 4) -> None:
        self.app = app
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads)
        self.port = self.server.effective_port  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Closing while a connection is still open closes its socket under the serving
        # thread's select() (EBADF): let the last clients' connections end first.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(
            isinstance(channel, HTTPChannel)
            for channel in list(self.server._map.values())  # type: ignore[union-attr]
        ):
            time.sleep(0.02)
        self.server.close()
        self.thread.join(timeout=5)
        database(self.app).engine.dispose()
