"""A scripted OpenAI-compatible chat server for tests of native function calling: it answers from a script, keyed by
the last user message, with `tool_calls` and/or text, the way vLLM or llama-server return them.

Usage: tool_server.py SCRIPT_JSON PORT_FILE LOG_FILE [--refuse-tools]
  SCRIPT_JSON    {"<last user message>": {"tool_calls": [{"name": ..., "arguments": <str or object>}] | null,
                  "content": <str or null>}}; an unknown message gets the content "I can't help with that."
  --refuse-tools answer every request that has `tools` with HTTP 400, as a server without function calling does
Every request body is appended to LOG_FILE, one JSON line each.
"""
import http.server, json, sys, threading

script = json.load(open(sys.argv[1]))
port_file, log_file = sys.argv[2], sys.argv[3]
refuse = "--refuse-tools" in sys.argv[4:]
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip("/").endswith("/models"):
            self.send(200, {"object": "list", "data": [{"id": "tool-model", "object": "model"}]})
        else:
            self.send(404, {"error": "not found"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        with lock:
            with open(log_file, "a") as handle:
                handle.write(json.dumps(body) + "\n")
        if refuse and "tools" in body:
            self.send(400, {"error": {"message": "tools are not supported by this server", "type": "invalid_request_error"}})
            return
        last = [m for m in body.get("messages", []) if m.get("role") == "user"][-1]["content"]
        entry = script.get(last, {"tool_calls": None, "content": "I can't help with that."})
        message = {"role": "assistant", "content": entry.get("content")}
        calls = entry.get("tool_calls")
        if calls:
            message["tool_calls"] = [
                {"id": "call_%d" % i, "type": "function",
                 "function": {"name": c["name"], "arguments": c["arguments"]}}
                for i, c in enumerate(calls)]
        self.send(200, {"id": "x", "object": "chat.completion", "model": body.get("model"),
                        "choices": [{"index": 0, "message": message,
                                     "finish_reason": "tool_calls" if calls else "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1}})


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as handle:
    handle.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
