"""Runs the server's OpenAPI document against a live server with every role.

Starts the real `board` binary on a fresh SQLite file, makes a review with one person
in each role (and an access token), then runs Schemathesis once per caller: a lead, a
review team member, a case group member, a board member, an observer, an observer's
token and nobody. Every response must be one the document describes, with a body
that matches its schema, and no request may cause a server error.

    python3 tests/api/conformance.py BOARD_BINARY [--max-examples N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
# Ending one's own session or changing one's own password mid-run would leave the rest
# of that caller's run signed out; both are covered by the end-to-end tests.
EXCLUDED = [
    ("DELETE", "/api/session"),
    ("PUT", "/api/me/password"),
]
ROLES = [
    ("review_team_member", "Rita Team", "Police"),
    ("case_group_member", "Cary Case", "Health visiting"),
    ("board_member", "Bob Board", "Safeguarding partnership"),
    ("observer", "Olive Observer", "SCIE"),
]


class Server:
    def __init__(self, binary: str, directory: Path):
        self.binary = binary
        self.database = f"sqlite://{directory / 'board.db'}?mode=rwc"
        self.log = open(directory / "server.log", "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--database-url", self.database],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        line = self.process.stdout.readline().strip() if self.process.stdout else ""
        if not line.startswith("listening on "):
            raise SystemExit(f"the server did not start: {line!r}")
        self.url = line.removeprefix("listening on ")

    def command(self, args: list[str], stdin: str = "") -> str:
        done = subprocess.run(
            [self.binary, *args, "--database-url", self.database],
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def call(url: str, method: str, path: str, body=None, cookie: str | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    if cookie:
        request.add_header("cookie", cookie)
    with urllib.request.urlopen(request) as response:
        text = response.read().decode()
        set_cookie = response.headers.get("set-cookie", "")
        return (json.loads(text) if text else None), set_cookie.split(";")[0]


def cast(server: Server) -> tuple[str, list[tuple[str, dict[str, str]]]]:
    """A review with a person in every role; returns its id and each caller's headers."""
    password = "a long and unusual passphrase for the lead"
    server.command(
        ["user", "create", "--admin", "--email", "lead@example.org", "--name", "Alex Lead"],
        stdin=password + "\n",
    )
    _, lead = call(
        server.url, "POST", "/api/session", {"email": "lead@example.org", "password": password}
    )
    review, _ = call(
        server.url,
        "POST",
        "/api/reviews",
        {"title": "Child A", "case_ref": "Child A", "variant": "full"},
        cookie=lead,
    )
    review_id = review["id"]
    callers = []
    for role, name, agency in ROLES:
        email = name.lower().replace(" ", ".") + "@example.org"
        created, _ = call(
            server.url,
            "POST",
            f"/api/reviews/{review_id}/invitations",
            {"role": role, "name": name, "email": email, "agency": agency},
            cookie=lead,
        )
        _, cookie = call(
            server.url,
            "POST",
            "/api/invitations/accept",
            {"secret": created["secret"], "password": f"{name} keeps a long passphrase"},
        )
        callers.append((role, {"Cookie": cookie}))
    token = server.command(
        ["token", "create", "--review", review_id, "--role", "observer", "--label", "screen"]
    )
    callers.append(("observer token", {"Authorization": f"Bearer {token}"}))
    callers.append(("nobody", {}))
    # The lead goes last: its run changes roles and withdraws what others use.
    callers.append(("lead_reviewer", {"Cookie": lead}))
    return review_id, callers


def run(schemathesis: str, server: Server, review_id: str, who: str, headers, examples: int):
    config = Path(tempfile.mkdtemp()) / "schemathesis.toml"
    config.write_text(
        "[parameters]\n"
        f'"path.review" = "{review_id}"\n'
    )
    args = [
        schemathesis,
        "--config-file",
        str(config),
        "run",
        f"{server.url}/api/openapi.json",
        "--url",
        server.url,
        "--checks",
        CHECKS,
        "--max-examples",
        str(examples),
        "--workers",
        "1",
        "--seed",
        "1",
        "--no-color",
        "--suppress-health-check",
        "all",
        # The caller's own credential only: no generated cookies or bearer tokens.
        "--generation-with-security-parameters",
        "false",
    ]
    for method, path in EXCLUDED:
        args += ["--exclude-by", f'method == "{method}" && path == "{path}"']
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    print(f"\n== API conformance as {who}", flush=True)
    # Schemathesis keeps its cache in the working directory: not in the checkout.
    return subprocess.run(args, cwd=config.parent).returncode


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("API_EXAMPLES", "5")))
    parser.add_argument("--schemathesis", default=shutil.which("schemathesis") or "schemathesis")
    args = parser.parse_args()
    # Schemathesis runs in a scratch directory (its cache stays out of the checkout), so
    # a path given relative to here must be made absolute first.
    if os.sep in args.schemathesis:
        args.schemathesis = str(Path(args.schemathesis).resolve())
    directory = Path(tempfile.mkdtemp(prefix="board-api-"))
    server = Server(args.binary, directory)
    failed = []
    try:
        review_id, callers = cast(server)
        for who, headers in callers:
            if run(args.schemathesis, server, review_id, who, headers, args.max_examples):
                failed.append(who)
    finally:
        server.stop()
    if failed:
        print(f"\nAPI conformance failed for: {', '.join(failed)} (server log: {directory}/server.log)")
        return 1
    print(f"\nconformance: {len(callers)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
