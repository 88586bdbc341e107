"""The app served for real by waitress, in a thread of the test process."""

import threading

from flask import Flask
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
        self.server.close()
        self.thread.join(timeout=5)
        database(self.app).engine.dispose()
