"""Running the lesson's web server (uvicorn) in a background thread, beside the teacher's terminal.

The main thread keeps the teacher's terminal (the room's live view, or class mode's projector), so
Ctrl-C arrives there and ends the lesson cleanly: the server stops taking requests, every run is
written, and the terminal says where the transcripts are.
"""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path

from crossing.serve.room import Room

LOG_NAME = ".server.log"


def _log_to(folder: Path) -> logging.Handler:
    """Server problems go to a log file in the lesson's folder, never onto the teacher's screen."""
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / LOG_NAME, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "crossing.serve"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
        logger.setLevel(logging.WARNING)
    return handler


class LessonServer:
    """uvicorn serving the room's app on an already bound socket, and the thread that writes runs."""

    def __init__(self, room: Room, sock: socket.socket) -> None:
        import uvicorn

        from crossing.serve.app import create_app

        self.room = room
        self.sock = sock
        self._handler = _log_to(room.folder)
        config = uvicorn.Config(
            create_app(room),
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            # h11 even where httptools is installed: h11 refuses headers over the size below, while
            # uvicorn's httptools protocol buffers headers of any size (a way to fill the teacher's memory)
            http="h11",
            server_header=False,
            date_header=False,
            timeout_keep_alive=15,
            limit_concurrency=max(200, room.max_students * 4),
            h11_max_incomplete_event_size=16 * 1024,
        )
        self.server = uvicorn.Server(config)
        self._stop = threading.Event()
        self._serving = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, name="crossing-http", daemon=True)
        self._flusher = threading.Thread(target=room.run_flusher, args=(self._stop,), name="crossing-writer", daemon=True)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def start(self, timeout: float = 20.0) -> None:
        self._flusher.start()
        self._serving.start()
        waited = threading.Event()
        for _ in range(int(timeout / 0.02)):
            if self.server.started or not self._serving.is_alive():
                break
            waited.wait(0.02)
        if not self.server.started:
            self.stop()
            raise OSError("the lesson's web server did not start (see .server.log in the lesson's folder)")

    def stop(self) -> None:
        """Stop answering, finish the requests under way, write every run."""
        self.server.should_exit = True
        if self._serving.is_alive():
            self._serving.join(10.0)
        self._stop.set()
        self.room.wake()
        if self._flusher.is_alive():
            self._flusher.join(30.0)
        self.room.end()
        self.sock.close()
        self._handler.close()
