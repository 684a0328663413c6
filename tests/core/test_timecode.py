"""core/timecode: SMPTE labels, drop frame, arithmetic and conversion by real time.

The reference is OpenTimelineIO (a test-only dependency): 10,000 seeded random frame
numbers per rate and notation, each turned into a label by both and each label back into
frames by both.
"""

import random
from fractions import Fraction

import opentimelineio as otio
import pytest

from postdesk.core import timecode as tc

CASES = 10_000

# (rate, drop frame) for every rate in non-drop and the two drop-frame rates.
NOTATIONS = [(name, False) for name in tc.RATE_NAMES] + [(n, True) for n in tc.DROP_FRAME_RATES]


def _otio_rate(name: str) -> float:
    return float(tc.RATES[name].real)


@pytest.mark.parametrize(("rate", "drop"), NOTATIONS, ids=lambda v: str(v))
def test_agrees_with_opentimelineio_both_ways(rate, drop):
    """Given 10,000 random frames in the day (plus the edges), we and OTIO write the same
    label for each, and read each label back to the same frame."""
    fps = _otio_rate(rate)
    # OTIO wraps its non-drop labels at 29.97 and 59.94 after a drop-frame day's frames,
    # before the day's last label (23:59:59:29): compare within the day both agree on.
    day = tc.frames_per_day(rate, drop or rate in tc.DROP_FRAME_RATES)
    generator = random.Random(f"{rate}-{drop}")
    frames = [0, 1, day - 1] + [generator.randrange(day) for _ in range(CASES)]
    to_timecode, from_timecode, rational = (
        otio.opentime.to_timecode,
        otio.opentime.from_timecode,
        otio.opentime.RationalTime,
    )
    ours = [tc.frames_to_timecode(f, rate, drop) for f in frames]
    theirs = [to_timecode(rational(f, fps), fps, drop) for f in frames]
    assert ours == theirs
    back_ours = [tc.timecode_to_frames(text, rate) for text in ours]
    back_theirs = [int(from_timecode(text, fps).value) for text in theirs]
    assert back_ours == frames
    assert back_theirs == frames


@pytest.mark.parametrize(("source", "target"), [("25", "23.976"), ("29.97", "25"), ("59.94", "24")])
def test_conversion_by_real_time_matches_opentimelineio_rescale(source, target):
    generator = random.Random(source + target)
    day = tc.frames_per_day(source)
    for frames in [generator.randrange(day) for _ in range(CASES)]:
        ours = tc.convert_frames(frames, source, target)
        rescaled = otio.opentime.RationalTime(frames, _otio_rate(source)).value_rescaled_to(
            _otio_rate(target)
        )
        assert abs(ours - rescaled) <= 0.5 + 1e-6


def test_drop_frame_skips_two_numbers_a_minute_except_each_tenth():
    assert tc.frames_to_timecode(1799, "29.97", True) == "00:00:59;29"
    assert tc.frames_to_timecode(1800, "29.97", True) == "00:01:00;02"
    assert tc.frames_to_timecode(17982, "29.97", True) == "00:10:00;00"
    assert tc.timecode_to_frames("01:00:00;00", "29.97") == 107892
    assert tc.frames_to_timecode(3600, "59.94", True) == "00:01:00;04"
    assert tc.timecode_to_frames("00:10:00;00", "59.94") == 35964


def test_an_hour_of_drop_frame_labels_is_an_hour_of_real_time_to_within_a_frame():
    frames = tc.timecode_to_frames("01:00:00;00", "29.97")
    assert abs(tc.seconds(frames, "29.97") - 3600) < Fraction(1001, 30000)


@pytest.mark.parametrize(
    ("text", "rate", "reason"),
    [
        ("00:01:00;00", "29.97", "frames 00-01 are dropped at the start of minute 01"),
        ("00:01:00;01", "29.97", "frames 00-01 are dropped"),
        ("00:02:00;03", "59.94", "frames 00-03 are dropped at the start of minute 02"),
        ("00:00:00:25", "25", "frame 25 does not exist at 25, whose frames run 00-24"),
        ("00:00:00:30", "29.97", "frame 30 does not exist at 29.97"),
        ("00:00:00;00", "25", "drop frame exists only at 29.97 and 59.94, not at 25"),
        ("00:00:00;00", "23.976", "drop frame exists only at 29.97 and 59.94"),
        ("24:00:00:00", "25", "hours run 00-23"),
        ("00:60:00:00", "25", "minutes run 00-59"),
        ("00:00:60:00", "25", "seconds run 00-59"),
        ("1:00:00:00", "25", "is not a timecode: write HH:MM:SS:FF"),
        ("01:00:00:00", "26", "unknown frame rate '26'"),
    ],
)
def test_impossible_timecodes_say_why(text, rate, reason):
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        tc.timecode_to_frames(text, rate)


def test_the_tenth_minute_keeps_its_first_frames():
    assert tc.timecode_to_frames("00:10:00;00", "29.97") == 17982
    assert tc.timecode_to_frames("00:00:00;00", "29.97") == 0


def test_the_last_label_of_the_day_is_23_59_59_and_the_last_frame():
    assert tc.frames_to_timecode(24 * 3600 * 30 - 1, "29.97") == "23:59:59:29"
    assert tc.frames_to_timecode(tc.frames_per_day("29.97", True) - 1, "29.97", True) == (
        "23:59:59;29"
    )
    assert tc.frames_to_timecode(24 * 3600 * 24 - 1, "23.976") == "23:59:59:23"


def test_frames_out_of_the_day_or_drop_frame_at_a_whole_rate_are_refused():
    with pytest.raises(ValueError, match="past the last frame of the 24-hour day"):
        tc.frames_to_timecode(24 * 3600 * 25, "25")
    with pytest.raises(ValueError, match="cannot be negative"):
        tc.frames_to_timecode(-1, "25")
    with pytest.raises(ValueError, match="drop frame exists only"):
        tc.frames_to_timecode(0, "25", drop_frame=True)


def test_add_subtract_and_duration_keep_the_notation():
    assert tc.add("00:00:59;29", 1, "29.97") == "00:01:00;02"
    assert tc.add("01:00:00:00", "00:00:10:12", "25") == "01:00:10:12"
    assert tc.subtract("00:01:00;02", 1, "29.97") == "00:00:59;29"
    assert tc.duration("01:00:00:00", "01:00:10:12", "25") == 262
    assert tc.duration("00:00:59;29", "00:01:00;02", "29.97") == 1
    with pytest.raises(ValueError, match="runs past 24:00:00:00"):
        tc.add("23:59:59:24", 1, "25")
    with pytest.raises(ValueError, match="runs before 00:00:00:00"):
        tc.subtract("00:00:00:00", 1, "25")
    with pytest.raises(ValueError, match="the end 01:00:00:00 is before the start 02:00:00:00"):
        tc.duration("02:00:00:00", "01:00:00:00", "25")


def test_conversion_between_rates_keeps_real_time():
    # One hour at 25 is 3600 s; at 23.976 that is 86,313.69 frames, nearest 86,314.
    assert tc.convert("01:00:00:00", "25", "23.976") == "00:59:56:10"
    assert tc.convert_frames(90000, "25", "23.976") == 86314
    # Drop frame is kept where the target rate has it, dropped where it has not.
    assert tc.convert("01:00:00;00", "29.97", "59.94") == "01:00:00;00"
    # 01:00:00;00 drop frame is 3,599.996 s of real time: 25 fps labels it 01:00:00:00,
    # where non-drop 01:00:00:00 at 29.97 is 3,603.6 s, 01:00:03:15 at 25.
    assert tc.convert("01:00:00;00", "29.97", "25") == "01:00:00:00"
    assert tc.convert("01:00:00:00", "29.97", "25") == "01:00:03:15"
    assert tc.convert("01:00:00:00", "24", "48") == "01:00:00:00"
