"""The brand images: the brands repository's rules, and Home Assistant serving them."""

from __future__ import annotations

from http import HTTPStatus
from itertools import combinations
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.security_posture.const import DOMAIN

BRAND = Path(__file__).parents[1] / "custom_components/security_posture/brand"

# Icons have an exact size; a logo's shortest side lies in a range, the largest preferred.
ICONS = {"icon.png": 256, "icon@2x.png": 512}
LOGOS = {
    "logo.png": 256,
    "logo@2x.png": 512,
    "dark_logo.png": 256,
    "dark_logo@2x.png": 512,
}


def test_the_folder_holds_exactly_the_brand_images() -> None:
    # HACS' brands check looks for brand/icon.png inside the integration's folder.
    assert {p.name for p in BRAND.iterdir()} == set(ICONS) | set(LOGOS)


@pytest.mark.parametrize(("name", "size"), ICONS.items())
def test_icons_are_square_transparent_pngs(name: str, size: int) -> None:
    with Image.open(BRAND / name) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert image.size == (size, size)
        # Trimmed: the shield touches the top and the bottom edge.
        bbox = image.getbbox()
        assert bbox is not None
        assert (bbox[1], bbox[3]) == (0, size)


@pytest.mark.parametrize(("name", "shortest"), LOGOS.items())
def test_logos_are_landscape_pngs_of_the_preferred_height(
    name: str, shortest: int
) -> None:
    with Image.open(BRAND / name) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert image.height == shortest
        assert image.width > image.height
        assert image.getbbox() == (0, 0, image.width, image.height)


def test_no_image_repeats_another() -> None:
    # The brands repository rejects a logo equal to the icon, a @2x equal to its normal
    # version and a dark variant equal to its light one: the fallback serves those.
    for first, second in combinations(sorted(BRAND.iterdir()), 2):
        assert first.read_bytes() != second.read_bytes(), (first.name, second.name)


async def test_home_assistant_serves_the_images(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Home Assistant 2026.3 and later serve a custom integration's own brand folder."""
    pytest.importorskip("homeassistant.components.brands")
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()
    served = {
        "icon.png": "icon.png",
        "icon@2x.png": "icon@2x.png",
        "logo.png": "logo.png",
        "dark_logo@2x.png": "dark_logo@2x.png",
        # No dark icon: the light one reads on dark backgrounds and is served instead.
        "dark_icon.png": "icon.png",
    }
    for requested, file in served.items():
        response = await client.get(f"/api/brands/integration/{DOMAIN}/{requested}")
        assert response.status == HTTPStatus.OK, requested
        assert response.content_type == "image/png"
        assert await response.read() == (BRAND / file).read_bytes(), requested
