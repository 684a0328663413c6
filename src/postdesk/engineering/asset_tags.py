"""Asset tags printed through the library's label layouts (the 62 × 29 mm Brother QL roll or
an A4 sheet): the tag as Code128 and QR, make and model, serial and where the asset is."""

from collections.abc import Sequence

from postdesk.engineering.models import Asset
from postdesk.library.labels import Label, Layout, render_labels


def asset_label(asset: Asset) -> Label:
    place = asset.room or asset.library_location
    lines = (f"S/N {asset.serial}" if asset.serial else "", place.name if place else "")
    return Label(
        code=asset.tag,
        title=f"{asset.make} {asset.model}",
        lines=tuple(line for line in lines if line),
    )


def asset_tags_pdf(assets: Sequence[Asset], layout: Layout) -> bytes:
    return render_labels([asset_label(a) for a in assets], layout)


def filename(asset: Asset, layout: Layout) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in asset.tag)
    return f"asset-tag-{safe}-{layout.value}.pdf"
