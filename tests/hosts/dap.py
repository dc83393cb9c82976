"""A minimal Debug Adapter Protocol client: what VS Code's debugger UI does, without the UI.

VS Code debugs Python through debugpy, which speaks DAP over a socket. This client sends the
same requests VS Code sends (initialize, attach, configurationDone, stackTrace, evaluate in the
Debug Console's "repl" context, continue, disconnect), so a test can drive a real debugpy
session of a script paused at a breakpoint.
"""
from __future__ import annotations

import itertools
import json
import socket
import time


class DapClient:
    def __init__(self, port: int, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self._buffer = b""
        self._seq = itertools.count(1)
        self._unread: list[dict] = []

    def close(self) -> None:
        self.sock.close()

    def send(self, command: str, **arguments) -> int:
        seq = next(self._seq)
        body = json.dumps({"seq": seq, "type": "request", "command": command,
                           "arguments": arguments}).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return seq

    def _read(self) -> dict:
        while b"\r\n\r\n" not in self._buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the debug adapter closed the connection")
            self._buffer += chunk
        head, rest = self._buffer.split(b"\r\n\r\n", 1)
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        while len(rest) < length:
            rest += self.sock.recv(65536)
        self._buffer = rest[length:]
        return json.loads(rest[:length])

    def wait(self, predicate) -> dict:
        """The first message (already read or still to come) that satisfies ``predicate``."""
        for i, message in enumerate(self._unread):
            if predicate(message):
                return self._unread.pop(i)
        while True:
            message = self._read()
            if predicate(message):
                return message
            self._unread.append(message)

    def response(self, seq: int) -> dict:
        answer = self.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == seq)
        if not answer["success"]:
            raise RuntimeError(f"{answer['command']} failed: {answer.get('message')}")
        return answer.get("body") or {}

    def request(self, command: str, **arguments) -> dict:
        return self.response(self.send(command, **arguments))

    def event(self, name: str) -> dict:
        return self.wait(lambda m: m.get("type") == "event" and m.get("event") == name)

    def attach(self) -> int:
        """Attach to a ``debugpy --listen --wait-for-client`` process; the thread id where the
        script then stops (at its ``breakpoint()``)."""
        self.request("initialize", adapterID="python", clientID="vscode", linesStartAt1=True,
                     columnsStartAt1=True, pathFormat="path")
        attach = self.send("attach", justMyCode=False)
        self.event("initialized")
        self.request("configurationDone")
        self.response(attach)
        return self.event("stopped")["body"]["threadId"]

    def repl(self, thread_id: int, expression: str) -> str:
        """Evaluate ``expression`` in the paused frame, as typed in VS Code's Debug Console."""
        frame = self.request("stackTrace", threadId=thread_id)["stackFrames"][0]["id"]
        return self.request("evaluate", expression=expression, frameId=frame,
                            context="repl")["result"]
