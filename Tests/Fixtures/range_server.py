"""A static file server for tests of `assay data fetch`: serves a folder on 127.0.0.1 with HTTP Range support.

Usage: range_server.py ROOT PORT_FILE [--break-after BYTES] [--corrupt PATH]
  --break-after N   the first response of every file stops after N bytes (the connection drops), later ones are whole
  --corrupt PATH    serve PATH (relative to ROOT) with its first byte changed
Every request is appended to ROOT-independent log lines on stdout: METHOD PATH RANGE.
"""
import http.server, os, sys, threading

root = sys.argv[1]
port_file = sys.argv[2]
break_after = None
corrupt = None
args = sys.argv[3:]
while args:
    flag = args.pop(0)
    if flag == '--break-after': break_after = int(args.pop(0))
    elif flag == '--corrupt': corrupt = args.pop(0)
broken = set()
lock = threading.Lock()

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        from urllib.parse import unquote
        rel = unquote(self.path.lstrip('/'))
        full = os.path.realpath(os.path.join(root, rel))
        if not full.startswith(os.path.realpath(root)) or not os.path.isfile(full):
            self.send_error(404); return
        data = open(full, 'rb').read()
        if corrupt and rel == corrupt:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        rng = self.headers.get('Range')
        print(f"GET /{rel} {rng or '-'}", flush=True)
        start = 0
        if rng and rng.startswith('bytes='):
            start = int(rng[6:].split('-')[0])
            if start >= len(data):
                self.send_response(416); self.send_header('Content-Range', f'bytes */{len(data)}'); self.end_headers(); return
            self.send_response(206)
            self.send_header('Content-Range', f'bytes {start}-{len(data)-1}/{len(data)}')
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        with lock:
            first = rel not in broken
            broken.add(rel)
        if break_after is not None and first and len(body) > break_after:
            self.wfile.write(body[:break_after]); self.wfile.flush()
            self.close_connection = True
            import socket
            try: self.connection.shutdown(socket.SHUT_RDWR)
            except OSError: pass
            return
        self.wfile.write(body)

server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
with open(port_file + '.tmp', 'w') as f: f.write(str(server.server_address[1]))
os.rename(port_file + '.tmp', port_file)
server.serve_forever()
