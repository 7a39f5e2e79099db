"""Running the ``rptdose`` executable from Python."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Optional, Sequence

#: Subcommands (first words of the command line) that print JSON with ``--json``.
JSON_COMMANDS = (("info",), ("plan",), ("sphere",), ("kernel",), ("physics",))


class RPTDoseError(RuntimeError):
    """``rptdose`` exited with a non-zero status; ``stderr`` holds its message (the file, field and value at fault)."""

    def __init__(self, args, returncode, stderr):
        self.args_list, self.returncode, self.stderr = list(args), returncode, stderr
        super().__init__(f"rptdose {' '.join(map(str, args[1:]))} exited {returncode}: {stderr.strip()}")


def find_executable(executable: Optional[str] = None) -> str:
    """The ``rptdose`` to run: ``executable`` if given, else env ``RPTDOSE``, else ``rptdose`` on PATH."""
    candidate = executable or os.environ.get("RPTDOSE") or shutil.which("rptdose")
    if not candidate:
        raise FileNotFoundError("rptdose executable not found: pass executable=, set RPTDOSE, or put rptdose on PATH "
                                "(it is built by `swift build -c release` at .build/release/rptdose)")
    if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
        raise FileNotFoundError(f"{candidate}: not an executable file")
    return candidate


def _supports_json(args: Sequence[str]) -> bool:
    return any(tuple(args[:len(c)]) == c for c in JSON_COMMANDS)


def run(args: Sequence, *, json_output: Optional[bool] = None, executable: Optional[str] = None,
        cwd: Optional[str] = None, env: Optional[dict] = None, timeout: Optional[float] = None):
    """Runs ``rptdose ARGS…`` and returns its parsed JSON output for commands that print JSON (info, plan,
    sphere, kernel, physics: ``--json`` is added when missing), else the ``subprocess.CompletedProcess``
    (text stdout and stderr). ``json_output=False`` never adds ``--json``; ``True`` always does.
    Raises ``RPTDoseError`` when rptdose fails (non-zero exit), with its message."""
    args = [os.fspath(a) if isinstance(a, os.PathLike) else str(a) for a in args]
    want_json = _supports_json(args) if json_output is None else json_output
    if want_json and "--json" not in args:
        args.append("--json")
    command = [find_executable(executable)] + args
    done = subprocess.run(command, cwd=cwd, env=env, timeout=timeout, capture_output=True, text=True)
    if done.returncode != 0:
        raise RPTDoseError(command, done.returncode, done.stderr)
    if want_json:
        return json.loads(done.stdout)
    return done


def version(executable: Optional[str] = None) -> dict:
    """``rptdose --version`` as a dict: version, git_commit, build_date, hdf5."""
    text = run(["--version"], json_output=False, executable=executable).stdout
    lines = text.strip().splitlines()
    info = {"version": lines[0].strip()}
    keys = {"git commit": "git_commit", "build date": "build_date", "HDF5": "hdf5"}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        if key.strip() in keys:
            info[keys[key.strip()]] = value.strip()
    return info
