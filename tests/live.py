"""The app served for real by waitress, in a thread of the test process."""

import threading

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
        # Waitress's loop is not thread-safe: its connections (a browser keeps idle ones
        # open) and its own sockets are closed from inside the loop, which then ends as
        # nothing is left to watch. Closing them from here would pull a socket out from
        # under the loop's select() (EBADF), and waiting for idle ones costs seconds.
        def stop() -> None:
            for channel in list(self.server._map.values()):  # type: ignore[union-attr]
                if isinstance(channel, HTTPChannel):
                    channel.close()
            self.server.close()

        self.server.trigger.pull_trigger(stop)  # type: ignore[union-attr]
        self.thread.join(timeout=10)
        self.server.task_dispatcher.shutdown()
        database(self.app).engine.dispose()
