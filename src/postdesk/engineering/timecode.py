"""SMPTE timecode for engineering's calculator and everything else that enters one.

The implementation lives in `postdesk.core.timecode` (floor 0), so that the library and
coordination below and beside engineering use the same one; this module is the name the
issue gives it.
"""

from postdesk.core.timecode import (  # noqa: F401
    DROP_FRAME_RATES,
    RATE_NAMES,
    RATES,
    add,
    convert,
    convert_frames,
    duration,
    frames_per_day,
    frames_to_timecode,
    parse,
    rate_info,
    seconds,
    subtract,
    timecode_to_frames,
)
