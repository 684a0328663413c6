"""ffprobe and ffmpeg for media QC: the probe, the one decode pass, and reading their output.

The pass decodes the file once and runs every measurement on that decode: ebur128
(integrated loudness, loudness range, true peak), blackdetect and freezedetect on the
first picture stream, silencedetect on the programme sound. Progress comes from
ffmpeg's `-progress` lines on stdout; the measurements from its log on stderr."""

import ctypes
import functools
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROBE_TIMEOUT_S = 120


class MediaError(Exception):
    """The file could not be read, or a tool is missing: the report ends in error."""


class Cancelled(Exception):
    """The check was cancelled while ffmpeg ran; ffmpeg has been killed."""


def tools_available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


@functools.cache
def ffmpeg_version() -> str:
    """ffmpeg's first `-version` line ("ffmpeg version 5.1.6-0+deb12u1 ..."), cut short."""
    if not tools_available():
        raise MediaError("ffmpeg and ffprobe are not installed (Debian package: ffmpeg)")
    out = subprocess.run(
        ["ffmpeg", "-hide_banner", "-version"], capture_output=True, text=True, timeout=30
    ).stdout
    first = out.splitlines()[0] if out else "ffmpeg (version unknown)"
    return first.split(" Copyright")[0][:200]


def probe(path: Path) -> dict:
    """ffprobe's JSON for the file's format and streams."""
    if not tools_available():
        raise MediaError("ffmpeg and ffprobe are not installed (Debian package: ffmpeg)")
    command = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format"]
    command += ["-show_streams", "--", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise MediaError(f"ffprobe took longer than {PROBE_TIMEOUT_S} s") from None
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or ["unreadable"]
        raise MediaError(f"ffprobe could not read the file: {reason[0][:300]}")
    data = json.loads(done.stdout or "{}")
    if "format" not in data:
        raise MediaError("ffprobe found no container in the file")
    return data


def _video_streams(data: dict) -> list[dict]:
    return [
        s
        for s in data.get("streams", [])
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]


def _audio_streams(data: dict) -> list[dict]:
    return [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]


def _audio_input(audio: list[dict]) -> str:
    """The programme's sound as a filter input: tracks 1-2 of mono track layouts, the
    first two channels of a multichannel track, or a stereo or mono track as it is."""
    if not audio:
        return ""
    channels = int(audio[0].get("channels") or 0)
    if channels == 1 and len(audio) >= 2 and int(audio[1].get("channels") or 0) == 1:
        return "[0:a:0][0:a:1]amerge=inputs=2,"
    if channels > 2:
        return "[0:a:0]pan=stereo|c0=c0|c1=c1,"
    return "[0:a:0]"


def filter_graph(data: dict, detect: dict) -> tuple[str, list[str]]:
    """(the -filter_complex graph, its output labels) for the file probed as `data`."""
    chains, outputs = [], []
    if _video_streams(data):
        chains.append(
            f"[0:v:0]blackdetect=d={detect['black_min_s']}:pix_th={detect['black_pix_th']},"
            f"freezedetect=n={detect['freeze_noise_db']}dB:d={detect['freeze_min_s']}[vqc]"
        )
        outputs.append("[vqc]")
    audio = _audio_streams(data)
    if audio:
        chains.append(
            f"{_audio_input(audio)}ebur128=peak=true:framelog=verbose,"
            f"silencedetect=n={detect['silence_noise_db']}dB:d={detect['silence_min_s']}[aqc]"
        )
        outputs.append("[aqc]")
    return ";".join(chains), outputs


def analysis_command(path: Path, data: dict, detect: dict, *, progress: bool) -> list[str]:
    """The one decode pass. Without `progress` it is the bare run the benchmark times."""
    graph, outputs = filter_graph(data, detect)
    if not outputs:
        raise MediaError("the file has neither picture nor sound to measure")
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-v", "info"]
    if progress:
        command += ["-progress", "pipe:1"]
    command += ["-i", str(path), "-filter_complex", graph]
    for label in outputs:
        command += ["-map", label]
    return [*command, "-f", "null", "-"]


@dataclass
class Measured:
    integrated: float | None = None
    loudness_range: float | None = None
    true_peak: float | None = None
    black: list[list[float]] = field(default_factory=list)
    freeze: list[list[float]] = field(default_factory=list)
    silence: list[list[float]] = field(default_factory=list)


_BLACK = re.compile(r"black_start:\s*(\S+)\s+black_end:\s*(\S+)")
_FREEZE = re.compile(r"lavfi\.freezedetect\.freeze_(start|end):\s*(\S+)")
_SILENCE = re.compile(r"silence_(start|end):\s*([-0-9.e+]+)")
_SUMMARY = {
    "integrated": re.compile(r"^\s*I:\s+(\S+) LUFS"),
    "loudness_range": re.compile(r"^\s*LRA:\s+(\S+) LU$"),
    "true_peak": re.compile(r"^\s*Peak:\s+(\S+) dBFS"),
}


def _spans(events: list[tuple[str, float]], end_of_file: float) -> list[list[float]]:
    """Start/end events in order as [start, end] spans; one still open ends with the file."""
    spans, start = [], None
    for kind, value in events:
        if kind == "start":
            start = value
        elif start is not None:
            spans.append([start, value])
            start = None
    if start is not None:
        spans.append([start, end_of_file])
    return spans


def parse_log(lines: list[str], duration: float) -> Measured:
    """The measurements in ffmpeg's log of the pass (its stderr, as lines)."""
    found = Measured()
    freeze, silence = [], []
    summary = False
    for line in lines:
        if m := _BLACK.search(line):
            found.black.append([float(m[1]), float(m[2])])
        elif m := _FREEZE.search(line):
            freeze.append((m[1], float(m[2])))
        elif "silencedetect" in line and (m := _SILENCE.search(line)):
            silence.append((m[1], float(m[2])))
        elif "Summary:" in line and "ebur128" in line:
            # ffmpeg 5 may configure the graph twice; the first, unused, instance prints
            # an empty summary (-70 LUFS) too. The last summary is the pass's.
            summary = True
            found.integrated = found.loudness_range = found.true_peak = None
        elif summary:
            for name, pattern in _SUMMARY.items():
                if (m := pattern.match(line)) and getattr(found, name) is None:
                    setattr(found, name, float(m[1]))
    found.freeze = _spans(freeze, duration)
    found.silence = _spans(silence, duration)
    return found


def _progress_seconds(line: str) -> float | None:
    key, _, value = line.partition("=")
    if key == "out_time_us" and value.strip().lstrip("-").isdigit():
        return max(int(value) / 1_000_000, 0.0)
    return None


def _die_with_parent() -> None:
    """In the child before exec: the kernel kills ffmpeg as soon as the worker that started
    it dies (PR_SET_PDEATHSIG). Without it ffmpeg ends only at its next write into the
    closed progress or log pipe (SIGPIPE)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG


def analyse(
    path: Path,
    data: dict,
    detect: dict,
    *,
    duration: float,
    on_progress: Callable[[float], bool],
) -> Measured:
    """Run the pass; `on_progress(fraction)` is called as ffmpeg reports and returns False
    to cancel, which kills ffmpeg and raises Cancelled."""
    command = analysis_command(path, data, detect, progress=True)
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(process.stderr), daemon=True)
    reader.start()
    try:
        for line in process.stdout:
            at = _progress_seconds(line.strip())
            if at is None:
                continue
            fraction = min(at / duration, 1.0) if duration > 0 else 0.0
            if not on_progress(fraction):
                process.kill()
                raise Cancelled()
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=10)
    if process.returncode != 0:
        tail = [line.strip() for line in log[-3:]]
        raise MediaError(f"ffmpeg stopped with code {process.returncode}: {' | '.join(tail)}"[:500])
    return parse_log(log, duration)
