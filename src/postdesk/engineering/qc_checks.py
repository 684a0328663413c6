"""From ffprobe's description and the pass's measurements to a report: the facts of the
file, and pass, warn or fail per check with the measured value and the spec's limit.

Format checks fail when the file is not what the spec asks for. Loudness fails outside
the tolerance and true peak above its maximum. Black, freeze and silence are warnings
with their spans as timecodes (through engineering.timecode): an engineer decides
whether a black between parts is the programme's or a fault."""

from fractions import Fraction

from postdesk.engineering import timecode as tc
from postdesk.engineering.qc_media import Measured, _audio_streams, _video_streams

PASS, WARN, FAIL = "pass", "warn", "fail"
ORDER = {PASS: 0, WARN: 1, FAIL: 2}
INTERLACED = {"tt", "bb", "tb", "bt"}
# SMPTE ULs of MXF operational patterns: byte 13 is the item complexity (1-3), byte 14 the
# package complexity (1-3 = a-c); 0x10 in byte 13 is OP-Atom.


def operational_pattern(ul: str) -> str:
    parts = (ul or "").lower().split(".")
    if len(parts) != 4 or parts[0] != "060e2b34" or not parts[2].startswith("0d0102"):
        return ""
    item, package = parts[3][:2], parts[3][2:4]
    if item == "10":
        return "OPAtom"
    if item in ("01", "02", "03") and package in ("01", "02", "03"):
        return f"OP{int(item)}{'abc'[int(package) - 1]}"
    return ""


def rate_name(fraction: str) -> str:
    """ "25/1" -> "25", "30000/1001" -> "29.97"; otherwise the fraction as ffprobe gave it."""
    try:
        value = Fraction(fraction)
    except (ValueError, ZeroDivisionError):
        return fraction or ""
    for name, rate in tc.RATES.items():
        if rate.real == value:
            return name
    return fraction


def _aspect(video: dict) -> str:
    dar = video.get("display_aspect_ratio") or ""
    if dar and dar != "0:1":
        value = Fraction(dar.replace(":", "/"))
    else:
        sar = Fraction((video.get("sample_aspect_ratio") or "1:1").replace(":", "/") or 1)
        value = Fraction(int(video.get("width") or 0), max(int(video.get("height") or 1), 1))
        value *= sar if sar else 1
    return f"{value.numerator}:{value.denominator}"


def _bit_depth(stream: dict) -> int:
    for key in ("bits_per_raw_sample", "bits_per_sample"):
        try:
            if int(stream.get(key) or 0):
                return int(stream[key])
        except ValueError:
            continue
    return 0


def facts(data: dict) -> dict:
    """What ffprobe says the file is, in the terms the checks and the report use."""
    fmt = data.get("format", {})
    tags = {k.lower(): v for k, v in (fmt.get("tags") or {}).items()}
    out = {
        "container": fmt.get("format_name", ""),
        "brand": (tags.get("major_brand") or "").strip(),
        "operational_pattern": operational_pattern(tags.get("operational_pattern_ul", "")),
        "duration_s": float(fmt.get("duration") or 0),
        "start_timecode": tags.get("timecode", ""),
        "video": None,
        "audio": None,
    }
    videos = _video_streams(data)
    if videos:
        v = videos[0]
        field_order = v.get("field_order") or "unknown"
        out["video"] = {
            "codec": v.get("codec_name", ""),
            "profile": v.get("profile", ""),
            "pix_fmt": v.get("pix_fmt", ""),
            "size": f"{v.get('width', 0)}x{v.get('height', 0)}",
            "frame_rate": rate_name(v.get("r_frame_rate", "")),
            "field_order": field_order,
            "scan": "interlaced"
            if field_order in INTERLACED
            else ("progressive" if field_order == "progressive" else "unknown"),
            "display_aspect": _aspect(v),
        }
        out["start_timecode"] = out["start_timecode"] or (v.get("tags") or {}).get("timecode", "")
    audio = _audio_streams(data)
    if audio:
        out["audio"] = {
            "tracks": len(audio),
            "channels": [int(a.get("channels") or 0) for a in audio],
            "codecs": sorted({a.get("codec_name", "") for a in audio}),
            "sample_rates": sorted({int(a.get("sample_rate") or 0) for a in audio}),
            "bit_depths": sorted({_bit_depth(a) for a in audio}),
        }
    return out


def _check(key, label, measured, limit, ok, *, fail=FAIL, note=""):
    return {
        "key": key,
        "label": label,
        "measured": str(measured),
        "limit": str(limit),
        "verdict": PASS if ok else fail,
        "note": note,
    }


def _one_of(values: list) -> str:
    return " or ".join(str(v) for v in values)


def container_checks(spec: dict, f: dict) -> list[dict]:
    c = spec["container"]
    tokens = f["container"].split(",")
    checks = [
        _check(
            "container",
            "Container",
            f["container"],
            _one_of(c["formats"]),
            any(t in tokens for t in c["formats"]),
        )
    ]
    if c.get("brands"):
        checks.append(
            _check(
                "brand",
                "QuickTime brand",
                f["brand"] or "none",
                _one_of(c["brands"]),
                f["brand"] in c["brands"],
            )
        )
    if c.get("operational_pattern"):
        op = f["operational_pattern"] or "none"
        checks.append(
            _check(
                "operational_pattern",
                "MXF operational pattern",
                op,
                c["operational_pattern"],
                op == c["operational_pattern"],
            )
        )
    return checks


# (check key, label, fact, spec list) for the picture's "one of these" checks; an empty
# list in the spec means any value will do.
_VIDEO_LISTS = (
    ("video_codec", "Video codec", "codec", "codecs"),
    ("video_profile", "Codec profile", "profile", "profiles"),
    ("pix_fmt", "Sampling and bit depth", "pix_fmt", "pix_fmts"),
    ("size", "Resolution", "size", "sizes"),
    ("frame_rate", "Frame rate", "frame_rate", "frame_rates"),
)


def _ratio(text: str) -> Fraction:
    return Fraction(text.replace(":", "/"))


def video_checks(spec: dict, f: dict) -> list[dict]:
    want, v = spec["video"], f["video"]
    if v is None:
        return [_check("video", "Picture", "no picture stream", "one picture stream", False)]
    checks = [
        _check(key, label, v[fact] or "none", _one_of(want[allowed]), v[fact] in want[allowed])
        for key, label, fact, allowed in _VIDEO_LISTS
        if want[allowed]
    ]
    if want["scan"] != "any":
        checks.append(
            _check("scan", "Scan type", v["scan"], want["scan"], v["scan"] == want["scan"])
        )
    if want["field_orders"]:
        checks.append(
            _check(
                "field_order",
                "Field order",
                v["field_order"],
                _one_of(want["field_orders"]),
                v["field_order"] in want["field_orders"],
            )
        )
    if want.get("display_aspect"):
        checks.append(
            _check(
                "display_aspect",
                "Display aspect",
                v["display_aspect"],
                want["display_aspect"],
                _ratio(v["display_aspect"]) == _ratio(want["display_aspect"]),
            )
        )
    return checks


def audio_checks(spec: dict, f: dict) -> list[dict]:
    want, a = spec["audio"], f["audio"]
    if a is None:
        return [_check("audio", "Sound", "no sound streams", "PCM sound", False)]
    total = sum(a["channels"])
    layout = f"{a['tracks']} track(s), {'+'.join(str(c) for c in a['channels'])} channel(s)"
    layout_ok = total in want["channels_total"] and (
        want["channels_per_track"] is None
        or all(c == want["channels_per_track"] for c in a["channels"])
    )
    per_track = want["channels_per_track"]
    limit = f"{_one_of(want['channels_total'])} channel(s)" + (
        f", {per_track} per track" if per_track else ""
    )
    return [
        _check(
            "audio_codec",
            "Audio codec",
            ", ".join(a["codecs"]),
            _one_of(want["codecs"]),
            set(a["codecs"]) <= set(want["codecs"]),
        ),
        _check(
            "sample_rate",
            "Sample rate",
            ", ".join(f"{r} Hz" for r in a["sample_rates"]),
            f"{want['sample_rate']} Hz",
            a["sample_rates"] == [want["sample_rate"]],
        ),
        _check(
            "bit_depth",
            "Bit depth",
            ", ".join(f"{b}-bit" for b in a["bit_depths"]),
            f"{want['bit_depth']}-bit",
            a["bit_depths"] == [want["bit_depth"]],
        ),
        _check("track_layout", "Track layout", layout, limit, layout_ok),
    ]


def loudness_checks(spec: dict, f: dict, m: Measured) -> list[dict]:
    want = spec["loudness"]
    if f["audio"] is None:
        return []
    target, tol = want["integrated"], want["tolerance"]
    limit = f"{target:+.1f} LUFS ±{tol:g} LU"
    if m.integrated is None:
        checks = [_check("loudness", "Integrated loudness", "not measured", limit, False)]
    else:
        ok = abs(m.integrated - target) <= tol + 1e-9
        checks = [_check("loudness", "Integrated loudness", f"{m.integrated:+.1f} LUFS", limit, ok)]
    if want["gating"] == "dialogue":
        checks.append(
            _check(
                "gating",
                "Loudness gating",
                "programme-gated",
                "dialogue-gated",
                False,
                fail=WARN,
                note="ffmpeg measures programme-gated loudness (EBU R128 / BS.1770); "
                "dialogue gating is not available from it. Confirm with a "
                "dialogue-gated meter.",
            )
        )
    else:
        checks.append(
            _check("gating", "Loudness gating", "programme-gated", "programme-gated", True)
        )
    peak_limit = f"≤ {want['true_peak_max']:+.1f} dBTP"
    if m.true_peak is None:
        checks.append(_check("true_peak", "True peak", "not measured", peak_limit, False))
    else:
        checks.append(
            _check(
                "true_peak",
                "True peak",
                f"{m.true_peak:+.1f} dBTP",
                peak_limit,
                m.true_peak <= want["true_peak_max"] + 1e-9,
            )
        )
    return checks


def timecode_at(seconds: float, f: dict) -> str:
    """The file's timecode at `seconds` in: its start timecode (if it has one) plus the
    frames, at its frame rate; plain seconds where the rate has no timecode."""
    rate = (f.get("video") or {}).get("frame_rate", "")
    if rate not in tc.RATES:
        return f"{seconds:.3f} s"
    frames = round(seconds * tc.RATES[rate].real)
    drop = ";" in f.get("start_timecode", "")
    try:
        start = tc.timecode_to_frames(f["start_timecode"], rate) if f["start_timecode"] else 0
    except ValueError:
        start = 0
    return tc.frames_to_timecode(start + frames, rate, drop and rate in tc.DROP_FRAME_RATES)


def event_checks(spec: dict, f: dict, m: Measured) -> list[dict]:
    d = spec["detect"]
    checks = []
    for key, label, spans, minimum, present in (
        ("black", "Black frames", m.black, d["black_min_s"], f["video"]),
        ("freeze", "Frozen picture", m.freeze, d["freeze_min_s"], f["video"]),
        ("silence", "Silence", m.silence, d["silence_min_s"], f["audio"]),
    ):
        if present is None:
            continue
        shown = [f"{timecode_at(a, f)}–{timecode_at(b, f)}" for a, b in spans[:20]]
        more = f" and {len(spans) - 20} more" if len(spans) > 20 else ""
        measured = (", ".join(shown) + more) if spans else "none"
        checks.append(
            _check(key, label, measured, f"none of {minimum:g} s or longer", not spans, fail=WARN)
        )
    return checks


def evaluate(spec: dict, f: dict, m: Measured) -> list[dict]:
    return (
        container_checks(spec, f)
        + video_checks(spec, f)
        + audio_checks(spec, f)
        + loudness_checks(spec, f, m)
        + event_checks(spec, f, m)
    )


def verdict(checks: list[dict]) -> str:
    return max((c["verdict"] for c in checks), key=ORDER.__getitem__, default=PASS)
