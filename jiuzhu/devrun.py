"""`make run`'s last step: a Celery worker, Celery beat and the development server, stopped together.

    python -m jiuzhu.devrun --host 127.0.0.1 --port 8000

- The worker and beat run as two processes (as in docker-compose), each in a session of its own: Ctrl-C in
  the terminal reaches only the web server and this supervisor, never a pool child in the middle of a
  billiard lock. Their logs: `.run/worker.log`, `.run/beat.log`; their pids: `.run/worker.pid`, `.run/beat.pid`.
- On Ctrl-C (SIGINT), SIGTERM or when the web server exits: each background process gets SIGTERM by its pid
  (a warm shutdown), then after `GRACE` seconds SIGKILL to its whole process group; everything is gone
  within about `GRACE` + 2 seconds. A task cut short is delivered again (late acknowledgement) and a job it
  ran shows 已中断 (core.jobs) until run again.
- If the worker or beat dies while the site runs, the supervisor says so on the terminal and starts it again.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE = 8.0
RUN_DIR = Path(".run")


def commands(host: str, port: str, python: str = sys.executable, concurrency: int = 2) -> dict[str, list[str]]:
    celery = [python, "-m", "celery", "-A", "jiuzhu"]
    return {
        "worker": [*celery, "worker", "--loglevel=INFO", f"--concurrency={concurrency}"],
        "beat": [*celery, "beat", "--loglevel=INFO", f"--schedule={RUN_DIR / 'celerybeat-schedule'}"],
        "web": [python, "manage.py", "runserver", f"{host}:{port}"],
    }


def start_background(name: str, cmd: list[str]) -> subprocess.Popen:
    log = (RUN_DIR / f"{name}.log").open("ab")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # own session and process group: no terminal signals
    (RUN_DIR / f"{name}.pid").write_text(str(proc.pid))
    return proc


def stop(procs: dict[str, subprocess.Popen], grace: float = GRACE) -> None:
    """SIGTERM to each pid, wait up to `grace` s, then SIGKILL every process group that is left."""
    for proc in procs.values():
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + grace
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for name, proc in procs.items():
        if name == "web":
            continue
        try:  # the main process and whatever pool children it left
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for proc in procs.values():
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
    for name in procs:
        (RUN_DIR / f"{name}.pid").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args(argv)
    RUN_DIR.mkdir(exist_ok=True)
    cmds = commands(args.host, args.port)
    procs = {name: start_background(name, cmds[name]) for name in ("worker", "beat")}
    stopping = {"now": False}

    def on_signal(signum, frame):
        stopping["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    # the web server stays in this process group: Ctrl-C in the terminal reaches it directly
    procs["web"] = subprocess.Popen(cmds["web"])
    try:
        while not stopping["now"] and procs["web"].poll() is None:
            for name in ("worker", "beat"):
                if procs[name].poll() is not None:
                    print(f"\n  后台进程 {name} 已退出（代码 {procs[name].returncode}），正在重新启动；"
                          f"原因见 .run/{name}.log\n", file=sys.stderr, flush=True)
                    time.sleep(2)
                    procs[name] = start_background(name, cmds[name])
            time.sleep(0.5)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\n  正在停止网站、后台任务进程和定时调度……", file=sys.stderr, flush=True)
        stop(procs)
        print("  已全部停止。", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
