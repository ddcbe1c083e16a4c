"""wrk for the soak: one wrk per endpoint, its connections taking turns over signed-in users.

A generated Lua script sends each request with the next (path, cookie) pair of its list, counts
answers that are not 2xx (wrk itself counts only 4xx/5xx), and prints one JSON line at the end
with the requests, the failures and the latency percentiles of that endpoint.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = "30s"  # a slow answer is measured, not dropped

_SCRIPT = """
local entries = {%(entries)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; turn = math.random(#entries) end
function request()
  turn = turn %% #entries + 1
  local e = entries[turn]
  local headers = {["User-Agent"] = e[3], ["Accept-Encoding"] = "gzip"}
  if e[2] ~= "" then headers["Cookie"] = e[2] end
  return wrk.format("GET", e[1], headers)
end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "failed": %%d, "socket": %%d, "p50": %%d, "p95": %%d, "p99": %%d}\\n',
    summary.requests, failed, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Visit:
    """One request wrk may send: a path and the browser that sends it (no cookie: a visitor
    who has not signed in)."""

    path: str
    cookie: str
    user_agent: str


@dataclass(frozen=True)
class Result:
    """What one wrk saw: requests, failed answers (not 2xx or no answer), latency in ms."""

    requests: int
    failed: int
    p50: float
    p95: float
    p99: float


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string


def script(visits: list[Visit], path: Path) -> Path:
    """Write the Lua script that takes turns over ``visits``."""
    entries = ", ".join(f"{{{_lua(v.path)}, {_lua(v.cookie)}, {_lua(v.user_agent)}}}"
                        for v in visits)
    path.write_text(_SCRIPT % {"entries": entries})
    return path


def start(origin: str, lua: Path, connections: int, seconds: int) -> subprocess.Popen:
    """Start one wrk (one thread) with ``connections`` connections for ``seconds``."""
    return subprocess.Popen(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", f"--timeout={TIMEOUT}",
         "-s", str(lua), origin], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def result(process: subprocess.Popen, seconds: int) -> Result:
    """Wait for a wrk from :func:`start` and read its JSON line."""
    out, _ = process.communicate(timeout=seconds + 120)
    line = next((x for x in out.splitlines() if x.startswith('{"requests"')), None)
    if process.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed:\n{out}")
    values = json.loads(line)
    return Result(values["requests"], values["failed"] + values["socket"],
                  values["p50"] / 1000, values["p95"] / 1000, values["p99"] / 1000)
