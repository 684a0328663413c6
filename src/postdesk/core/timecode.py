"""SMPTE timecode (12M): frame counts and HH:MM:SS:FF labels at the facility's rates.

Pure Python, no Django: the library's start timecodes, engineering's calculator and the
coordinators' ADR cue lists all go through it (re-exported as `postdesk.engineering.
timecode`). A timecode here is a label within one 24-hour day, 00:00:00:00 to the last
frame before 24:00:00:00, as on a deck or a file's start timecode.

Drop frame (written with `;` before the frames) exists only at 29.97 and 59.94: it skips
frame numbers 00-01 (00-03 at 59.94) at the start of every minute except each tenth, so
that the label keeps up with the clock on the wall. Nothing is dropped at other rates.
Every impossible input raises `ValueError` with a message that says why.
"""

import re
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Rate:
    name: str
    nominal: int  # frames counted per labelled second (the FF field runs 0..nominal-1)
    real: Fraction  # frames per second of real time
    drop_frames: int  # frame numbers skipped per minute in drop frame (0: no drop frame)


RATES: dict[str, Rate] = {
    r.name: r
    for r in (
        Rate("23.976", 24, Fraction(24000, 1001), 0),
        Rate("24", 24, Fraction(24), 0),
        Rate("25", 25, Fraction(25), 0),
        Rate("29.97", 30, Fraction(30000, 1001), 2),
        Rate("30", 30, Fraction(30), 0),
        Rate("48", 48, Fraction(48), 0),
        Rate("50", 50, Fraction(50), 0),
        Rate("59.94", 60, Fraction(60000, 1001), 4),
        Rate("60", 60, Fraction(60), 0),
    )
}
RATE_NAMES = tuple(RATES)
DROP_FRAME_RATES = tuple(name for name, r in RATES.items() if r.drop_frames)

# HH:MM:SS:FF, with ';' (or '.', as some decks print it) before the frames in drop frame.
_PATTERN = re.compile(r"(\d{2}):(\d{2}):(\d{2})([:;.])(\d{2,3})")
MAX_TEXT = 16


def rate_info(name: str) -> Rate:
    """The rate named, or ValueError listing the ones there are."""
    try:
        return RATES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown frame rate {name!r}: use one of {', '.join(RATE_NAMES)}"
        ) from None


def _require_drop_allowed(r: Rate) -> None:
    if not r.drop_frames:
        raise ValueError(
            f"drop frame exists only at {' and '.join(DROP_FRAME_RATES)}, not at {r.name}"
        )


def frames_per_day(name: str, drop_frame: bool = False) -> int:
    """How many frames one 24-hour day of labels holds at this rate."""
    r = rate_info(name)
    if drop_frame:
        _require_drop_allowed(r)
        # Each hour drops its minutes' frames except every tenth minute's: 54 of 60.
        return 24 * (3600 * r.nominal - 54 * r.drop_frames)
    return 24 * 3600 * r.nominal


def frames_to_timecode(frames: int, rate: str, drop_frame: bool = False) -> str:
    """The label of frame number `frames` (0 = 00:00:00:00) at `rate`."""
    r = rate_info(rate)
    if isinstance(frames, bool) or not isinstance(frames, int):
        raise ValueError(f"a frame count is a whole number, not {frames!r}")
    if frames < 0:
        raise ValueError(f"a frame count cannot be negative ({frames})")
    day = frames_per_day(rate, drop_frame)
    if frames >= day:
        raise ValueError(
            f"frame {frames} is past the last frame of the 24-hour day at {rate}"
            f"{' drop frame' if drop_frame else ''} ({day - 1})"
        )
    n = r.nominal
    if drop_frame:
        drop = r.drop_frames
        per_ten = 600 * n - 9 * drop  # frames in ten minutes: only minute 0 keeps all
        per_minute = 60 * n - drop  # frames in each of the other nine minutes
        tens, rest = divmod(frames, per_ten)
        # Add back the frame numbers skipped so far, then count as if nothing were dropped.
        skipped = 9 * drop * tens
        if rest > drop:
            skipped += drop * ((rest - drop) // per_minute)
        frames += skipped
    ff = frames % n
    seconds = frames // n
    separator = ";" if drop_frame else ":"
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{separator}{ff:02d}"


def parse(text: str, rate: str) -> tuple[int, bool]:
    """(frame number, drop frame?) of a label at `rate`; ValueError says what is wrong."""
    r = rate_info(rate)
    if not isinstance(text, str):
        raise ValueError(f"a timecode is text such as 01:00:00:00, not {text!r}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"a timecode is at most {MAX_TEXT} characters")
    match = _PATTERN.fullmatch(text.strip())
    if not match:
        raise ValueError(
            f"{text!r} is not a timecode: write HH:MM:SS:FF (HH:MM:SS;FF for drop frame)"
        )
    hh, mm, ss, separator, ff = match.groups()
    hours, minutes, seconds, frame = int(hh), int(mm), int(ss), int(ff)
    drop_frame = separator != ":"
    if drop_frame:
        _require_drop_allowed(r)
    if hours > 23:
        raise ValueError(f"{text}: hours run 00-23, not {hh}")
    if minutes > 59:
        raise ValueError(f"{text}: minutes run 00-59, not {mm}")
    if seconds > 59:
        raise ValueError(f"{text}: seconds run 00-59, not {ss}")
    if frame >= r.nominal:
        raise ValueError(
            f"{text}: frame {ff} does not exist at {r.name}, "
            f"whose frames run 00-{r.nominal - 1:02d}"
        )
    total_minutes = hours * 60 + minutes
    if drop_frame and seconds == 0 and frame < r.drop_frames and minutes % 10:
        raise ValueError(
            f"{text}: frames 00-{r.drop_frames - 1:02d} are dropped at the start of minute "
            f"{mm} at {r.name} drop frame (every minute except each tenth); "
            f"the frame after {hh}:{minutes - 1:02d}:59;{r.nominal - 1:02d} is "
            f"{hh}:{mm}:00;{r.drop_frames:02d}"
        )
    frames = (hours * 3600 + minutes * 60 + seconds) * r.nominal + frame
    if drop_frame:
        frames -= r.drop_frames * (total_minutes - total_minutes // 10)
    return frames, drop_frame


def timecode_to_frames(text: str, rate: str) -> int:
    """The frame number of a label at `rate`; drop frame when it is written with `;`."""
    return parse(text, rate)[0]


def _frames_of(value: str | int, rate: str) -> int:
    """A duration given as a frame count or as a timecode label."""
    if isinstance(value, str):
        return timecode_to_frames(value, rate)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a duration is a timecode or a whole number of frames ≥ 0, not {value!r}")
    return value


def add(text: str, duration: str | int, rate: str) -> str:
    """`text` plus a duration (timecode or frames), written as `text` is (drop or not)."""
    start, drop_frame = parse(text, rate)
    result = start + _frames_of(duration, rate)
    if result >= frames_per_day(rate, drop_frame):
        raise ValueError(f"{text} plus {duration} runs past 24:00:00:00")
    return frames_to_timecode(result, rate, drop_frame)


def subtract(text: str, duration: str | int, rate: str) -> str:
    """`text` minus a duration (timecode or frames), written as `text` is (drop or not)."""
    start, drop_frame = parse(text, rate)
    result = start - _frames_of(duration, rate)
    if result < 0:
        raise ValueError(f"{text} minus {duration} runs before 00:00:00:00")
    return frames_to_timecode(result, rate, drop_frame)


def duration(start: str, end: str, rate: str) -> int:
    """Frames from `start` up to (not including) `end`, both at `rate`."""
    first = timecode_to_frames(start, rate)
    last = timecode_to_frames(end, rate)
    if last < first:
        raise ValueError(f"the end {end} is before the start {start}")
    return last - first


def convert_frames(frames: int, from_rate: str, to_rate: str) -> int:
    """The frame at `to_rate` nearest the same instant of real time (halves round up)."""
    source, target = rate_info(from_rate), rate_info(to_rate)
    if isinstance(frames, bool) or not isinstance(frames, int) or frames < 0:
        raise ValueError(f"a frame count is a whole number ≥ 0, not {frames!r}")
    exact = Fraction(frames) * target.real / source.real
    return int(exact + Fraction(1, 2))


def convert(text: str, from_rate: str, to_rate: str, drop_frame: bool | None = None) -> str:
    """The label at `to_rate` of the same moment of real time as `text` at `from_rate`.

    `drop_frame` None keeps `text`'s notation where `to_rate` has it, else non-drop.
    """
    frames, was_drop = parse(text, from_rate)
    if drop_frame is None:
        drop_frame = was_drop and bool(rate_info(to_rate).drop_frames)
    result = convert_frames(frames, from_rate, to_rate)
    if result >= frames_per_day(to_rate, drop_frame):
        raise ValueError(f"{text} at {from_rate} is past 24:00:00:00 at {to_rate}")
    return frames_to_timecode(result, to_rate, drop_frame)


def seconds(frames: int, rate_name: str) -> Fraction:
    """Real time, in seconds, from frame 0 to frame `frames`."""
    return Fraction(frames) / rate_info(rate_name).real
