"""Issue 14 §1: `make run`'s supervisor (jiuzhu.devrun) runs the worker and beat as two processes, each in a
session of its own, and stops them by pid, then by process group, within seconds."""
import subprocess
import sys
import time

from jiuzhu import devrun


def test_worker_and_beat_are_separate_processes():
    cmds = devrun.commands("127.0.0.1", "8014", python="py")
    assert cmds["worker"][:5] == ["py", "-m", "celery", "-A", "jiuzhu"] and "worker" in cmds["worker"]
    assert "-B" not in cmds["worker"] and "--beat" not in cmds["worker"], "beat is not embedded in the worker"
    assert "beat" in cmds["beat"] and any(a.startswith("--schedule=") for a in cmds["beat"])
    assert cmds["web"] == ["py", "manage.py", "runserver", "127.0.0.1:8014"]


def test_stop_ends_a_process_that_ignores_sigterm_and_its_children(tmp_path, monkeypatch):
    """A background process that ignores SIGTERM (a worker stuck in a warm shutdown) and a child it forked
    (a pool process) are both gone within the grace period plus a moment."""
    monkeypatch.setattr(devrun, "RUN_DIR", tmp_path)
    stubborn = ("import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); time.sleep(600)")
    procs = {"worker": devrun.start_background("worker", [sys.executable, "-c", stubborn]),
             "beat": devrun.start_background("beat", [sys.executable, "-c", "import time; time.sleep(600)"])}
    time.sleep(1)
    group = procs["worker"].pid
    assert (tmp_path / "worker.pid").read_text() == str(group)
    started = time.monotonic()
    devrun.stop(procs, grace=2)
    took = time.monotonic() - started
    assert took < 6, took
    assert all(p.poll() is not None for p in procs.values())
    for _ in range(20):  # the orphaned child is reaped by init a moment after SIGKILL
        left = [pid for pid in subprocess.run(["pgrep", "-g", str(group)], capture_output=True,
                                              text=True).stdout.split() if _alive(pid)]
        if not left:
            break
        time.sleep(0.1)
    assert left == [], "the pool child went with its group"
    assert not (tmp_path / "worker.pid").exists()


def _alive(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
