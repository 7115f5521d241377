"""``helpdesk-portal``: run the reference portal admin API.

The console starts it as a child process and reads the one line it prints on standard output,
``helpdesk-portal listening on http://HOST:PORT``, to learn the port. Everything else goes to
standard error.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import get_args

import anyio.to_thread
import uvicorn
from platformdirs import user_data_dir
from sqlalchemy import select

from helpdesk.api.models import Environment
from helpdesk.clock import SystemClock
from helpdesk.portal import schema, server_secret, workers
from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database, OutdatedSchema
from helpdesk.portal.server import server_config
from helpdesk.portal.settings import PortalSettings

log = logging.getLogger("helpdesk.portal")

READY_LINE = "helpdesk-portal listening on http://{host}:{port}"
SEEDED_KEY = schema.SEEDED_KEY


def default_database_url() -> str:
    directory = Path(user_data_dir("helpdesk"))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'portal.db'}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="helpdesk-portal", description="The reference portal admin API."
    )
    parser.add_argument("--db", help="sqlite:///PATH or postgresql://… (default: a SQLite file)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800, help="0 picks a free port")
    parser.add_argument(
        "--environment", choices=get_args(Environment), default="demo", help="default: demo"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes serving the one port on the one database (default 1; 0: one per core)",
    )
    parser.add_argument(
        "--seed-demo",
        type=int,
        metavar="N",
        help="on a new database: the demo agents, training callers and N generated profiles",
    )
    args = parser.parse_args(argv)
    if args.seed_demo is not None and args.seed_demo < 0:
        parser.error("--seed-demo takes a count of 0 or more")
    if args.port < 0 or args.port > 65535:
        parser.error("--port takes 0 to 65535")
    if args.workers < 0:
        parser.error("--workers takes 0 (one per core) or more")
    if args.workers == 0:
        args.workers = os.cpu_count() or 1
    return args


def seeded(database: Database) -> bool:
    meta = schema.portal_meta
    with database.read() as connection:
        return (
            connection.execute(select(meta.c.value).where(meta.c.key == SEEDED_KEY)).first()
            is not None
        )


def prepare_schema(database: Database, *, demo: bool) -> None:
    """The tables of a new database. One made by another version of the portal is emptied and made
    again when it holds only demo data and the portal starts as a demo (``demo``: the embedded
    portal of a console updated since); any other raises ``OutdatedSchema``, untouched."""
    try:
        database.create_schema()
    except OutdatedSchema as exc:
        if not (demo and exc.demo):
            raise
        log.warning("%s: a demo database, replaced by a new one", exc)
        database.drop_schema()
        database.create_schema()


def seed_if_new(database: Database, count: int, environment: str) -> None:
    if seeded(database):
        log.info("the database is seeded already; --seed-demo leaves it as it is")
        return
    from helpdesk.portal.seed import seed_demo

    log.info("seeding the demo data with %d generated profiles", count)
    seed_demo(database.engine, count=count, clock=SystemClock())
    if not seeded(database):
        with database.write() as connection:
            connection.execute(
                schema.portal_meta.insert().values(key=SEEDED_KEY, value=environment)
            )


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before uvicorn starts so port 0 resolves to a real port.

    Made with an explicit IPPROTO_TCP: asyncio sets TCP_NODELAY only on accepted sockets whose
    protocol says TCP, and a socket made with protocol 0 passes 0 on to every connection. Without
    it Nagle's algorithm met the client's delayed ACKs and every request after the first on a
    kept-alive connection waited 40 ms."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, saying once it listens: the ready line on standard output, or (a worker
    process) ``announce`` called, for the process that started it to print the one line."""

    def __init__(
        self,
        config: uvicorn.Config,
        ready_line: str,
        announce: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(config)
        self.ready_line = ready_line
        self.announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.started:
            return
        if self.announce is not None:
            self.announce()
        else:
            print(self.ready_line, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if args.seed_demo is not None and args.environment == "production":
        print(
            "helpdesk-portal: --seed-demo is refused with --environment production: the demo "
            "agents have published passwords and never go in production.",
            file=sys.stderr,
        )
        return 2
    url = args.db or default_database_url()
    try:
        secret = server_secret.load(args.environment, url)
    except (server_secret.SecretUnavailable, OSError) as exc:
        print(f"helpdesk-portal: no server secret: {exc}", file=sys.stderr)
        return 2
    database = Database.from_url(url)
    try:
        prepare_schema(database, demo=args.seed_demo is not None and args.environment == "demo")
    except OutdatedSchema as exc:
        database.dispose()
        print(
            f"helpdesk-portal: {exc}. It is left as it is: only a demo database (seeded with "
            "demo data, started with --environment demo --seed-demo) is replaced. Bring it up to "
            'date as docs/API.md says ("Schema versions"), or give --db a new database.',
            file=sys.stderr,
        )
        return 2
    if args.seed_demo is not None:
        seed_if_new(database, args.seed_demo, args.environment)
    settings = PortalSettings(database_url=url, environment=args.environment, secret=secret)
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        database.dispose()
        print(f"helpdesk-portal: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    ready_line = READY_LINE.format(host=args.host, port=sock.getsockname()[1])
    if args.workers == 1:
        serve(settings, database, sock, ready_line)
        return 0
    # Each worker makes its own engine: connections (and SQLite's file locks) do not survive fork.
    database.dispose()

    def serve_one(announce: Callable[[], None]) -> None:
        serve(settings, Database.from_url(url), sock, ready_line, announce)

    return workers.run(args.workers, sock, ready_line, serve_one)


def serve(
    settings: PortalSettings,
    database: Database,
    sock: socket.socket,
    ready_line: str,
    announce: Callable[[], None] | None = None,
) -> None:
    app = create_app(settings, database=database)
    config = server_config(app, settings.limits, log_level="info", access_log=True)
    server = AnnouncingServer(config, ready_line, announce)

    async def run() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        await server.serve(sockets=[sock])

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        database.dispose()


if __name__ == "__main__":
    sys.exit(main())
