"""Serving a WSGI app on a loopback port in a background thread."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from werkzeug.serving import BaseWSGIServer, make_server

# Werkzeug's access log prints every URL, query strings (codes, states) included.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


@dataclass
class RunningServer:
    url: str
    server: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_in_thread(
    app, *, host: str = "127.0.0.1", port: int = 0, name: str = "wsgi"
) -> RunningServer:
    server = make_server(host, port, app, threaded=True)
    # Tests open many short connections; a deeper backlog avoids refused connects.
    server.socket.listen(128)
    # A short poll interval makes stop() quick: tests start and stop many servers.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=name, daemon=True)
    thread.start()
    return RunningServer(url=f"http://{host}:{server.server_port}", server=server, thread=thread)
