"""pyftpdlib on a port it picks itself, for the client tests.

ferrytest.Pyftpdlib asks for a free port first and starts pyftpdlib on it afterwards; with
many tests running at once another server can take that port in between, and the test then
talks to the wrong server. Here pyftpdlib binds port 0 and prints the port it got.
"""
import subprocess

CODE = """
import sys, logging
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer
logging.basicConfig(level=logging.ERROR)
root, user, password, perm = sys.argv[1:5]
a = DummyAuthorizer()
a.add_user(user, password, root, perm=perm)
a.add_anonymous(root)
FTPHandler.authorizer = a
server = FTPServer(("127.0.0.1", 0), FTPHandler)
print(server.socket.getsockname()[1], flush=True)
server.serve_forever()
"""


class Pyftpdlib:
    def __init__(self, root, user="user", password="secret", write=True):
        self.root = str(root)
        self.user = user
        self.password = password
        self.write = write
        self.proc = None
        self.port = None

    def start(self):
        perm = "elradfmwMT" if self.write else "elr"
        self.proc = subprocess.Popen(["/usr/bin/python3", "-c", CODE, self.root, self.user,
                                      self.password, perm],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            err = self.proc.stderr.read() if self.proc.poll() is not None else b""
            self.stop()
            raise RuntimeError(f"pyftpdlib did not start: {line!r} {err!r}")
        self.port = int(line)
        return self

    @property
    def url(self):
        return f"ftp://{self.user}:{self.password}@127.0.0.1:{self.port}/"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        if self.proc:
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
