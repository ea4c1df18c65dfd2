"""The image tools, run in a real sandbox worker on a copy of the seed tree.

Small pictures with known pixels (red and blue halves, four coloured quadrants) are drawn here so
each check is exact: a flip must move the colours, a crop must keep only one, a border must grow the
size. Seed photos are checked against what Pillow itself reads from the same files.
"""

from __future__ import annotations

import base64
import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from tool_checks import SEED, assert_described, assert_reads_back, grounded_calls

from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.simulator.intents import images as image_intents
from fcgraph.tools.builtin import images
from fcgraph.tools.discovery import tool_functions

TOOLS = sorted(tool_functions(images))
RED, BLUE, GREEN, WHITE = (255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 255, 255)


def _date_taken(path: str) -> str | None:
    with Image.open(DEFAULT_FILE_SYSTEM / path) as image:
        return image.getexif().get_ifd(0x8769).get(0x9003)  # Exif sub-block, DateTimeOriginal


# chosen at run time: the seed tree may be regenerated with other names
PHOTO = next(p for p in SEED if p.lower().endswith(".jpg") and _date_taken(p))
PNG = next(p for p in SEED if p.endswith(".png"))
HALVES, QUADRANTS, RGBA, GREYS = "pics/halves.png", "pics/quadrants.png", "pics/clear.png", "pics/greys.png"


def picture(root: Path, path: str) -> Image.Image:
    image = Image.open(root / path)
    image.load()
    return image


@pytest.fixture(scope="module")
def pics(tool_sandbox) -> Path:
    """Pictures with known pixels, written into the sandbox copy."""
    folder = tool_sandbox.root / "pics"
    folder.mkdir(exist_ok=True)
    halves = Image.new("RGB", (40, 20), RED)
    halves.paste(BLUE, (20, 0, 40, 20))
    halves.save(tool_sandbox.root / HALVES)
    quadrants = Image.new("RGB", (40, 40), RED)
    quadrants.paste(BLUE, (20, 0, 40, 20))
    quadrants.paste(GREEN, (0, 20, 20, 40))
    quadrants.paste(WHITE, (20, 20, 40, 40))
    quadrants.save(tool_sandbox.root / QUADRANTS)
    clear = Image.new("RGBA", (30, 30), (0, 0, 0, 0))
    clear.paste((10, 20, 30, 255), (10, 10, 20, 20))
    clear.save(tool_sandbox.root / RGBA)
    greys = Image.new("L", (20, 10), 100)
    greys.paste(150, (10, 0, 20, 10))
    greys.save(tool_sandbox.root / GREYS)
    return folder


# ---------------------------------------------------------------- schemas
@pytest.mark.parametrize("name", TOOLS)
def test_every_parameter_is_described(name):
    assert_described(images, "images", [name])


def test_the_category_has_about_thirty_image_tools():
    assert len(TOOLS) >= 30 and all(name.startswith("image_") for name in TOOLS)


# ---------------------------------------------------------------- inspecting
def test_info_of_a_photo_matches_pillow(tool_sandbox):
    result = tool_sandbox.ok("image_info", path=PHOTO)
    with Image.open(tool_sandbox.root / PHOTO) as image:
        exif = image.getexif()
        expected = (*image.size, image.mode, image.format)
        assert (result["width"], result["height"], result["mode"], result["format"]) == expected
    assert result["exif"]["Make"] == exif[0x010F] and result["exif"]["DateTimeOriginal"] == _date_taken(PHOTO)
    assert result["bytes"] == (tool_sandbox.root / PHOTO).stat().st_size


def test_info_of_a_picture_without_exif(tool_sandbox, pics):
    result = tool_sandbox.ok("image_info", path=RGBA)
    assert result["exif"] == {} and result["has_alpha"] and result["bands"] == ["R", "G", "B", "A"]


def test_list_folder_counts_pictures(tool_sandbox):
    folder = str(Path(PHOTO).parent)
    expected = sorted(p for p in (tool_sandbox.root / folder).iterdir()
                      if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"))
    result = tool_sandbox.ok("image_list_folder", path=folder)
    assert result["total"] == len(expected) and [e["path"] for e in result["images"]] == [
        p.relative_to(tool_sandbox.root).as_posix() for p in expected]
    everything = tool_sandbox.ok("image_list_folder", path=".", recursive=True, limit=2)
    assert len(everything["images"]) == 2 and everything["total"] >= len(expected)


def test_exif_date_reads_when_a_photo_was_taken(tool_sandbox, pics):
    result = tool_sandbox.ok("image_exif_date", path=PHOTO)
    taken = _date_taken(PHOTO)
    assert result["found"] and result["raw"] == taken
    assert result["iso"] == datetime.strptime(taken, "%Y:%m:%d %H:%M:%S").isoformat()
    assert tool_sandbox.ok("image_exif_date", path=HALVES)["found"] is False


def test_average_and_pixel_colours(tool_sandbox, pics):
    average = tool_sandbox.ok("image_average_colour", path=PHOTO)
    with Image.open(tool_sandbox.root / PHOTO) as image:
        mean = ImageStat.Stat(image.convert("RGB")).mean
    assert average["rgb"] == [round(m) for m in mean]
    assert tool_sandbox.ok("image_average_colour", path=HALVES)["hex"] == "#800080"  # 127.5 rounds to 128
    assert tool_sandbox.ok("image_pixel_colour", path=HALVES, x=0, y=0)["rgb"] == list(RED)
    assert tool_sandbox.ok("image_pixel_colour", path=HALVES, x=39, y=19)["hex"] == "#0000ff"


def test_dominant_colours_rank_by_area(tool_sandbox, pics):
    colours = tool_sandbox.ok("image_dominant_colours", path=QUADRANTS, count=4)["colours"]
    assert {c["hex"] for c in colours} == {"#ff0000", "#0000ff", "#00ff00", "#ffffff"}
    assert all(c["percent"] == 25 for c in colours)


def test_colour_histogram_per_channel(tool_sandbox, pics):
    result = tool_sandbox.ok("image_colour_histogram", path=HALVES, bins=2)
    red, blue = result["channels"]["R"], result["channels"]["B"]
    assert red["histogram"] == [400, 400] and blue["histogram"] == [400, 400]
    assert result["channels"]["G"]["histogram"] == [800, 0] and red["mean"] == 127.5 and result["pixels"] == 800


def test_compare_measures_differences(tool_sandbox, pics):
    same = tool_sandbox.ok("image_compare", path=HALVES, other_path=HALVES)
    assert same["identical"] and same["mean_abs_diff"] == 0 and same["changed_box"] is None
    tool_sandbox.ok("image_flip", path=HALVES, output_path="pics/halves_flipped.png")
    swapped = tool_sandbox.ok("image_compare", path=HALVES, other_path="pics/halves_flipped.png")
    assert swapped["same_size"] and not swapped["identical"]
    assert swapped["mean_abs_diff"] == 170 and swapped["changed_percent"] == 100  # (255 + 0 + 255) / 3 everywhere
    resized = tool_sandbox.ok("image_compare", path=HALVES, other_path=QUADRANTS)
    assert resized["resized"] and not resized["same_size"]


def test_to_base64_round_trips(tool_sandbox):
    result = tool_sandbox.ok("image_to_base64", path=PHOTO, max_size=64)
    header, _, data = result["data_uri"].partition(",")
    decoded = Image.open(io.BytesIO(base64.b64decode(data)))
    assert header == "data:image/png;base64" and decoded.size == (result["width"], result["height"])
    assert max(decoded.size) == 64 and result["chars"] == len(data)


# ---------------------------------------------------------------- geometry
def test_resize_keeps_proportions_and_exif(tool_sandbox):
    result = tool_sandbox.ok("image_resize", path=PHOTO, width=100, output_path="out/photo_100.jpg")
    with Image.open(tool_sandbox.root / PHOTO) as original:
        expected_height = round(original.height * 100 / original.width)
    made = picture(tool_sandbox.root, "out/photo_100.jpg")
    assert made.size == (100, expected_height) == (result["width"], result["height"])
    assert made.getexif().get_ifd(0x8769).get(0x9003) == _date_taken(PHOTO)  # the date taken survives the edit


@pytest.mark.parametrize(("width", "height", "keep", "size"), [
    (10, 0, True, (10, 5)), (0, 40, True, (80, 40)), (30, 30, True, (30, 15)), (30, 30, False, (30, 30)),
    (0, 7, False, (40, 7)),
])
def test_resize_sizes(tool_sandbox, pics, width, height, keep, size):
    target = f"out/halves_{width}_{height}_{keep}.png"
    tool_sandbox.ok("image_resize", path=HALVES, width=width, height=height, keep_aspect=keep, output_path=target)
    assert picture(tool_sandbox.root, target).size == size


def test_thumbnail_shrinks_but_never_enlarges(tool_sandbox, pics):
    result = tool_sandbox.ok("image_thumbnail", path=PHOTO, max_size=50)
    assert max(picture(tool_sandbox.root, result["path"]).size) == 50 and result["path"].endswith("_thumb.jpg")
    small = tool_sandbox.ok("image_thumbnail", path=HALVES, max_size=500)
    assert picture(tool_sandbox.root, small["path"]).size == (40, 20)


def test_crop_keeps_only_the_box(tool_sandbox, pics):
    result = tool_sandbox.ok("image_crop", path=QUADRANTS, left=20, top=0, right=40, bottom=20)
    cropped = picture(tool_sandbox.root, result["path"])
    assert cropped.size == (20, 20) and cropped.getcolors() == [(400, BLUE)]


def test_rotate_turns_counter_clockwise(tool_sandbox, pics):
    result = tool_sandbox.ok("image_rotate", path=QUADRANTS, degrees=90, output_path="out/quadrants_90.png")
    turned = picture(tool_sandbox.root, result["path"])
    assert turned.getpixel((5, 5)) == BLUE and turned.getpixel((5, 35)) == RED  # top-right went to top-left
    wide = tool_sandbox.ok("image_rotate", path=HALVES, degrees=90, output_path="out/halves_90.png")
    assert (wide["width"], wide["height"]) == (20, 40)
    tilted = tool_sandbox.ok("image_rotate", path=HALVES, degrees=30, fill_colour="lime",
                             output_path="out/halves_30.png")
    assert picture(tool_sandbox.root, tilted["path"]).getpixel((0, 0)) == GREEN and tilted["width"] > 40


@pytest.mark.parametrize(("direction", "top_left"), [("horizontal", BLUE), ("vertical", GREEN)])
def test_flip(tool_sandbox, pics, direction, top_left):
    result = tool_sandbox.ok("image_flip", path=QUADRANTS, direction=direction, output_path=f"out/flip_{direction}.png")
    assert picture(tool_sandbox.root, result["path"]).getpixel((0, 0)) == top_left


def test_border_and_square_padding(tool_sandbox, pics):
    framed = tool_sandbox.ok("image_add_border", path=HALVES, width=5, colour="#00ff00")
    image = picture(tool_sandbox.root, framed["path"])
    assert image.size == (50, 30) and image.getpixel((0, 0)) == GREEN and image.getpixel((5, 5)) == RED
    squared = tool_sandbox.ok("image_pad_to_square", path=HALVES, colour="white")
    square = picture(tool_sandbox.root, squared["path"])
    assert square.size == (40, 40) and square.getpixel((0, 9)) == WHITE and square.getpixel((0, 10)) == RED


# ---------------------------------------------------------------- colour and filters
def test_convert_mode(tool_sandbox, pics):
    grey = tool_sandbox.ok("image_convert_mode", path=PHOTO, mode="L")
    assert picture(tool_sandbox.root, grey["path"]).mode == "L" and grey["path"].endswith("_grayscale.jpg")
    bw = tool_sandbox.ok("image_convert_mode", path=QUADRANTS, mode="1", output_path="out/bw.png")
    assert {level for _, level in picture(tool_sandbox.root, bw["path"]).getcolors()} <= {0, 255}
    refused = tool_sandbox.call("image_convert_mode", path=HALVES, mode="RGBA", output_path="out/alpha.jpg")
    assert refused.error_kind == "tool" and "JPEG cannot store" in refused.error


def test_convert_format(tool_sandbox, pics):
    result = tool_sandbox.ok("image_convert_format", path=PHOTO, format="webp")
    assert result["path"] == str(Path(PHOTO).with_suffix(".webp")) and result["format"] == "WEBP"
    assert picture(tool_sandbox.root, result["path"]).format == "WEBP"
    flat = tool_sandbox.ok("image_convert_format", path=RGBA, format="jpg", quality=95)
    jpeg = picture(tool_sandbox.root, flat["path"])
    assert jpeg.mode == "RGB" and jpeg.getpixel((0, 0)) == WHITE  # transparency flattened onto white


def test_brightness_contrast_saturation_sharpness(tool_sandbox, pics):
    darker = tool_sandbox.ok("image_adjust_brightness", path=QUADRANTS, factor=0.5)
    assert picture(tool_sandbox.root, darker["path"]).getpixel((0, 0)) in ((127, 0, 0), (128, 0, 0))
    flat = tool_sandbox.ok("image_adjust_contrast", path=QUADRANTS, factor=0)
    assert len(picture(tool_sandbox.root, flat["path"]).getcolors()) == 1  # one solid grey
    grey = tool_sandbox.ok("image_adjust_saturation", path=QUADRANTS, factor=0)
    assert all(r == g == b for _, (r, g, b) in picture(tool_sandbox.root, grey["path"]).getcolors())
    crisp = tool_sandbox.ok("image_adjust_sharpness", path=PHOTO, factor=3, output_path="out/photo_crisp.png")
    assert not tool_sandbox.ok("image_compare", path=PHOTO, other_path=crisp["path"])["identical"]


def test_blur_mixes_colours_at_the_boundary(tool_sandbox, pics):
    result = tool_sandbox.ok("image_blur", path=HALVES, radius=3)
    red, _, blue = picture(tool_sandbox.root, result["path"]).getpixel((19, 10))
    assert 0 < blue < 255 and 0 < red < 255


def test_sharpen_strengthens_edges(tool_sandbox, pics):
    tool_sandbox.ok("image_blur", path=HALVES, radius=2, output_path="out/soft.png")
    result = tool_sandbox.ok("image_sharpen", path="out/soft.png", radius=2, percent=300)
    soft, sharp = picture(tool_sandbox.root, "out/soft.png"), picture(tool_sandbox.root, result["path"])
    assert sharp.getpixel((18, 10))[0] > soft.getpixel((18, 10))[0]  # the red side gets redder near the edge


def test_edge_detection_lights_up_the_boundary(tool_sandbox, pics):
    result = tool_sandbox.ok("image_edge_detect", path=HALVES)
    edges = picture(tool_sandbox.root, result["path"])
    assert edges.mode == "L" and edges.getpixel((19, 10)) > 0 and edges.getpixel((10, 10)) == 0  # the brighter side


def test_invert_keeps_transparency(tool_sandbox, pics):
    inverted = picture(tool_sandbox.root, tool_sandbox.ok("image_invert", path=HALVES)["path"])
    assert inverted.getpixel((0, 0)) == (0, 255, 255)
    clear = picture(tool_sandbox.root, tool_sandbox.ok("image_invert", path=RGBA)["path"])
    assert clear.getpixel((15, 15)) == (245, 235, 225, 255) and clear.getpixel((0, 0))[3] == 0


def test_auto_contrast_stretches_the_levels(tool_sandbox, pics):
    result = tool_sandbox.ok("image_auto_contrast", path=GREYS)
    assert picture(tool_sandbox.root, result["path"]).getextrema() == (0, 255)


def test_strip_exif_removes_the_metadata_only_from_the_copy(tool_sandbox):
    result = tool_sandbox.ok("image_strip_exif", path=PHOTO)
    assert "DateTimeOriginal" in result["removed_tags"] and "Make" in result["removed_tags"]
    assert len(picture(tool_sandbox.root, result["path"]).getexif()) == 0
    assert _date_taken(PHOTO) == picture(tool_sandbox.root, PHOTO).getexif().get_ifd(0x8769).get(0x9003)


# ---------------------------------------------------------------- drawing and composing
def test_watermark_changes_only_its_box(tool_sandbox, pics):
    result = tool_sandbox.ok("image_add_watermark", path=QUADRANTS, text="DRAFT", position="top_left", opacity=1,
                             font_size=10, colour="black", output_path="out/marked.png")
    left, top, right, bottom = result["text_box"]
    before, after = picture(tool_sandbox.root, QUADRANTS), picture(tool_sandbox.root, "out/marked.png")
    inside = [(x, y) for x in range(left, right) for y in range(top, bottom)]
    assert any(after.getpixel(p) != before.getpixel(p) for p in inside)
    assert all(after.getpixel((x, y)) == before.getpixel((x, y)) for x in range(40) for y in range(bottom + 1, 40))


def test_draw_rectangle_outline_and_fill(tool_sandbox, pics):
    outline = picture(tool_sandbox.root, tool_sandbox.ok(
        "image_draw_rectangle", path=HALVES, left=2, top=2, right=30, bottom=15, colour="lime", line_width=1)["path"])
    assert outline.getpixel((2, 2)) == GREEN and outline.getpixel((10, 8)) == RED
    filled = picture(tool_sandbox.root, tool_sandbox.ok(
        "image_draw_rectangle", path=HALVES, left=2, top=2, right=30, bottom=15, colour="lime", fill=True,
        output_path="out/filled.png")["path"])
    assert filled.getpixel((10, 8)) == GREEN and filled.getpixel((35, 18)) == BLUE


def test_create_solid(tool_sandbox):
    result = tool_sandbox.ok("image_create_solid", width=30, height=12, colour="navy", output_path="out/navy.png")
    assert picture(tool_sandbox.root, result["path"]).getcolors() == [(360, (0, 0, 128))]
    see_through = tool_sandbox.ok("image_create_solid", width=4, height=4, colour="#ff000080",
                                  output_path="out/glass.png")
    assert picture(tool_sandbox.root, see_through["path"]).getpixel((0, 0)) == (255, 0, 0, 128)


def test_concatenate(tool_sandbox, pics):
    side = tool_sandbox.ok("image_concatenate", path=HALVES, other_path=QUADRANTS, output_path="out/side.png")
    assert (side["width"], side["height"]) == (60, 20) and side["second_size"] == [20, 20]
    stacked = tool_sandbox.ok("image_concatenate", path=HALVES, other_path=QUADRANTS, direction="vertical",
                              match_size=False, output_path="out/stacked.png")
    image = picture(tool_sandbox.root, stacked["path"])
    assert image.size == (40, 60) and image.getpixel((0, 0)) == RED and image.getpixel((0, 59)) == GREEN


def test_contact_sheet_lays_out_a_grid(tool_sandbox, pics):
    paths = [PHOTO, PNG, HALVES, QUADRANTS, RGBA]
    result = tool_sandbox.ok("image_contact_sheet", paths=paths, output_path="out/sheet.png", columns=2, cell_size=50)
    gap, label = 8, 14
    assert (result["rows"], result["columns"], result["images"]) == (3, 2, 5)
    assert (result["width"], result["height"]) == (gap + 2 * (50 + gap), gap + 3 * (50 + label + gap))
    sheet = picture(tool_sandbox.root, result["path"])
    assert sheet.getpixel((gap + 2 * (50 + gap) - 1, 0)) == WHITE and len(sheet.getcolors(1 << 16)) > 10


@pytest.mark.parametrize(("tool", "arguments", "message"), [
    ("image_info", {"path": "missing.png"}, "no such file"),
    ("image_info", {"path": "hr/employees.csv"}, "not an image"),
    ("image_crop", {"path": HALVES, "left": 0, "top": 0, "right": 41, "bottom": 10}, "crop box"),
    ("image_add_border", {"path": HALVES, "colour": "not-a-colour"}, "unknown colour"),
    ("image_blur", {"path": HALVES, "output_path": HALVES}, "must differ"),
    ("image_blur", {"path": HALVES, "output_path": "out/x.txt"}, "must end in one of"),
    ("image_resize", {"path": HALVES}, "give a width"),
    ("image_pixel_colour", {"path": HALVES, "x": 40, "y": 0}, "outside"),
    ("image_list_folder", {"path": HALVES}, "not a folder"),
    ("image_contact_sheet", {"paths": [], "output_path": "out/none.png"}, "1 to 60"),
    ("image_rotate", {"path": HALVES, "degrees": 90, "output_path": "../escape.png"}, "outside the working directory"),
])
def test_caller_mistakes_are_tool_errors(tool_sandbox, pics, tool, arguments, message):
    outcome = tool_sandbox.call(tool, **arguments)
    assert not outcome.ok and outcome.error_kind == "tool" and message in outcome.error


# ---------------------------------------------------------------- simulator requests
def test_every_image_request_reads_back_and_succeeds_on_the_seed_files(tool_sandbox):
    """Each intent grounded on every fitting seed file reads back as exactly its call, and that call succeeds."""
    for intent in image_intents.INTENTS:
        calls = grounded_calls(intent, 3, fresh=True)
        for args in calls:
            assert_reads_back(intent, args)
            tool_sandbox.ok(intent.tool, **args)
        assert calls, f"no seed file grounds {intent.template!r}"
