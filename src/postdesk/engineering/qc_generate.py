"""Media made on the spot with ffmpeg's lavfi sources, for the demo's QC reports, the
benchmark and the accuracy tests: nothing binary is kept in the repository.

The picture is testsrc2 (it changes every frame, so only inserted faults freeze); the
sound is a 997 Hz sine on both channels, whose amplitude in dBFS is its loudness in
LUFS (ITU-R BS.1770: a 997 Hz tone at 0 dBFS on both channels reads 0 LUFS). Black,
freeze and silence go in at exact frames and seconds."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

CODECS = {
    "prores_hq": ["-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le"],
    "prores": ["-c:v", "prores_ks", "-profile:v", "2", "-pix_fmt", "yuv422p10le"],
    "avc_intra_100": [
        "-c:v",
        "libx264",
        "-avcintra-class",
        "100",
        "-pix_fmt",
        "yuv422p10le",
        "-flags",
        "+ildct+ilme",
        "-x264opts",
        "tff=1",
    ],
    # Cheap to make and to decode: the benchmark's ten-minute file.
    "mpeg2": ["-c:v", "mpeg2video", "-q:v", "4", "-g", "25"],
}


@dataclass
class Media:
    seconds: float = 4.0
    size: str = "320x180"
    rate: str = "25"  # a frame rate ffmpeg reads: "25", "30000/1001"
    codec: str = "prores_hq"
    interlaced: bool = False
    level_db: float = -23.0  # peak of the tone per channel, dBFS
    tone_hz: float = 997.0
    phase: float = 0.0  # radians; pi/4 at fs/4 puts every sample 3 dB under the true peak
    mono_tracks: int = 0  # 0: one stereo track; n: n mono tracks of the tone
    black: tuple[int, int] | None = None  # frames first..last (inclusive) black
    freeze: tuple[int, int] | None = None  # frames first..last repeat frame first-1
    silence: tuple[float, float] | None = None  # seconds [start, end) silent


def _sound(m: Media) -> str:
    amplitude = 10 ** (m.level_db / 20)
    wave = f"{amplitude:.9f}*sin(2*PI*{m.tone_hz}*t+{m.phase})"
    if m.silence:
        wave = f"if(gte(t,{m.silence[0]})*lt(t,{m.silence[1]}),0,{wave})"
    return f"aevalsrc='{wave}':s=48000:c=mono:d={m.seconds}"


def _picture_filters(m: Media) -> str:
    """The picture's filter chain from [0:v] to [v]: black, then freeze (freezeframes
    takes the picture twice: the frames to replace and where to take the still from)."""
    chain = "[0:v]null"
    if m.black:
        chain += f",drawbox=c=black:t=fill:enable='between(n,{m.black[0]},{m.black[1]})'"
    if m.freeze:
        first, last = m.freeze
        chain += (
            f",split[f0][f1];[f0][f1]freezeframes=first={first}:last={last}:replace={first - 1}"
        )
    if m.interlaced:
        chain += ",setfield=tff"
    return chain + "[v]"


def command(path: Path, m: Media) -> list[str]:
    tracks = max(m.mono_tracks, 1)
    graph = f"{_picture_filters(m)};[1:a]"
    if m.mono_tracks:
        graph += f"asplit={tracks}" + "".join(f"[a{i}]" for i in range(tracks))
        maps = [x for i in range(tracks) for x in ("-map", f"[a{i}]")]
    else:
        graph += "pan=stereo|c0=c0|c1=c0[a0]"
        maps = ["-map", "[a0]"]
    return [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=s={m.size}:r={m.rate}:d={m.seconds}",
        "-f",
        "lavfi",
        "-i",
        _sound(m),
        "-filter_complex",
        graph,
        "-map",
        "[v]",
        *maps,
        *CODECS[m.codec],
        "-c:a",
        "pcm_s24le",
        "-t",
        str(m.seconds),
        str(path),
    ]


def generate(path: Path, media: Media | None = None) -> Path:
    """Write the file at `path` (its suffix picks the container: .mov, .mxf, .mkv)."""
    subprocess.run(command(path, media or Media()), check=True, capture_output=True, timeout=900)
    return path
