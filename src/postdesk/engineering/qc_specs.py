"""Delivery specs as data: the shipped JSON files in specs/, their shape, and their hash.

A spec is validated by `SpecBody` wherever it comes from (a file, an edit on a page or
through the API), and hashed over its canonical JSON, so a report can say exactly which
body it was checked against."""

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from postdesk.core import timecode as tc
from postdesk.core.errors import InvalidInput

SPEC_DIR = Path(__file__).resolve().parent / "specs"
SIZE = r"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$"
Rate = Literal[tc.RATE_NAMES]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContainerSpec(_Strict):
    formats: list[str] = Field(min_length=1, max_length=10)  # ffprobe format_name tokens
    operational_pattern: Literal["OP1a", "OPAtom"] | None = None  # MXF only
    brands: list[str] = Field(default_factory=list, max_length=10)  # QuickTime major brands


class VideoSpec(_Strict):
    codecs: list[str] = Field(min_length=1, max_length=10)
    profiles: list[str] = Field(default_factory=list, max_length=10)
    pix_fmts: list[str] = Field(default_factory=list, max_length=10)
    sizes: list[str] = Field(default_factory=list, max_length=10)
    frame_rates: list[Rate] = Field(min_length=1, max_length=10)
    scan: Literal["interlaced", "progressive", "any"]
    field_orders: list[Literal["tt", "bb", "tb", "bt"]] = Field(default_factory=list)
    display_aspect: str | None = Field(default=None, pattern=r"^[1-9][0-9]{0,2}:[1-9][0-9]{0,2}$")


class AudioSpec(_Strict):
    codecs: list[str] = Field(min_length=1, max_length=10)
    sample_rate: int = Field(ge=8000, le=192000)
    bit_depth: int = Field(ge=8, le=32)
    channels_total: list[int] = Field(min_length=1, max_length=10)
    channels_per_track: int | None = Field(default=None, ge=1, le=32)


class LoudnessSpec(_Strict):
    integrated: float = Field(ge=-70, le=0)
    tolerance: float = Field(gt=0, le=10)
    true_peak_max: float = Field(ge=-30, le=0)
    # "dialogue": the spec asks for dialogue gating, which ffmpeg cannot measure; the
    # report says the figure is programme-gated instead of pretending.
    gating: Literal["programme", "dialogue"]


class DetectSpec(_Strict):
    black_min_s: float = Field(gt=0, le=600)
    black_pix_th: float = Field(gt=0, lt=1)
    freeze_min_s: float = Field(gt=0, le=600)
    freeze_noise_db: float = Field(ge=-90, le=0)
    silence_min_s: float = Field(gt=0, le=600)
    silence_noise_db: float = Field(ge=-120, le=0)


class SpecBody(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")
    name: str = Field(min_length=1, max_length=200)
    version: int = Field(ge=1, le=100_000)
    description: str = Field(default="", max_length=2000)
    container: ContainerSpec
    video: VideoSpec
    audio: AudioSpec
    loudness: LoudnessSpec
    detect: DetectSpec


def validated(body: object) -> dict:
    """`body` as a checked spec (a plain dict), or InvalidInput naming the first fault."""
    if not isinstance(body, dict):
        raise InvalidInput.field("body", "A spec is a JSON object")
    if "\\u0000" in json.dumps(body):
        raise InvalidInput.field("body", "A spec has no NUL characters")
    try:
        return SpecBody.model_validate(body).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise InvalidInput.field(f"body.{where}", f"{where}: {first['msg']}") from None


def spec_hash(body: dict) -> str:
    """SHA-256 of the canonical JSON of `body` (sorted keys, no spaces)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def shipped() -> list[dict]:
    """The specs shipped in the repository, validated, in file-name order."""
    return [validated(json.loads(p.read_text())) for p in sorted(SPEC_DIR.glob("*.json"))]
