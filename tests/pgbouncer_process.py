"""A private PgBouncer (Debian package `pgbouncer`) in transaction mode in front of the test
PostgreSQL server, for the tests of the app behind a transaction pooler.

PgBouncer refuses to run as root: when the tests run as root it is started with ``-u postgres``
in a folder of its own that user owns."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.binaries import require_binary
from tests.redis_process import accepting, free_port


class PgBouncerProcess:
    def __init__(self, server_url: str, *, server_connections: int = 2) -> None:
        self.server, self.port = make_url(server_url), free_port()
        self.server_connections = server_connections
        self.folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str) -> str:
        return self.server.set(host="127.0.0.1", port=self.port, database=database).render_as_string(
            hide_password=False)

    def start(self) -> None:
        binary = require_binary("pgbouncer", "pgbouncer")
        user = self.server.username or "postgres"
        (self.folder / "users.txt").write_text(f'"{user}" ""\n')
        (self.folder / "pgbouncer.ini").write_text(f"""[databases]
* = host={self.server.host or '127.0.0.1'} port={self.server.port or 5432}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.folder / 'users.txt'}
pool_mode = transaction
default_pool_size = {self.server_connections}
max_client_conn = 500
logfile = {self.folder / 'pgbouncer.log'}
pidfile = {self.folder / 'pgbouncer.pid'}
""")
        command = [binary, str(self.folder / "pgbouncer.ini")]
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            for path in self.folder.iterdir():
                os.chown(path, account.pw_uid, account.pw_gid)
            command[1:1] = ["-u", "postgres"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not accepting(self.port):
            raise RuntimeError(f"pgbouncer did not start: {self.log()}")

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
