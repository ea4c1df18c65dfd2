"""Image tools: inspect, transform, annotate, compare and combine pictures (PNG, JPEG, WebP, BMP, GIF, TIFF).

A tool that changes a picture never touches the original: it writes a new file, at `output_path` or
by default next to the original as '<stem>_<what was done>.<ext>', in the format its extension names
(a file already there is replaced).
Photos keep their EXIF metadata (camera, date taken) through edits unless it is stripped on purpose.
Paths are relative to the working directory and confined to it.
"""

from pathlib import Path
from typing import Any, Literal

from fcgraph.tools.paths import ToolError, relative, resolve

CATEGORY = "images"

_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".bmp": "BMP", ".gif": "GIF",
            ".tif": "TIFF", ".tiff": "TIFF"}
_EXIF_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF")
_MAX_SIDE = 10_000  # pixels; larger outputs would take gigabytes of memory
_MAX_EXIF_TAGS = 40
_MAX_BASE64_CHARS = 200_000
_CONTACT_SHEET_MAX = 60
_Position = Literal["top_left", "top_right", "bottom_left", "bottom_right", "center"]


# ---------------------------------------------------------------- checks
def _at_least(name: str, value: int, minimum: int = 1, maximum: int = _MAX_SIDE) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        raise ToolError(f"'{name}' must be an integer from {minimum} to {maximum}, got {value!r}")


def _between(name: str, value: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ToolError(f"'{name}' must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _colour(text: str, mode: str = "RGB") -> Any:
    """A colour given by name ("navy"), hex ("#1f77b4", "#1f77b480" with alpha) or "rgb(31, 119, 180)"."""
    from PIL import ImageColor

    try:
        return ImageColor.getcolor(str(text), mode)
    except ValueError:
        raise ToolError(f"unknown colour '{text}'; use a name such as 'red' or a hex code such as '#1f77b4'") from None


def _hex(rgb: Any) -> str:
    return "#" + "".join(f"{int(channel):02x}" for channel in rgb[:3])


# ---------------------------------------------------------------- reading and writing
def _open(path: str) -> tuple[Path, Any]:
    """The decoded picture (first frame of an animation) and its resolved path."""
    from PIL import Image, UnidentifiedImageError

    resolved = resolve(path)
    if resolved.is_dir():
        raise ToolError(f"'{path}' is a directory, not an image")
    try:
        with Image.open(resolved) as image:
            image.load()
            return resolved, image
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ToolError(f"'{path}' is not an image that can be read "
                        "(supported: PNG, JPEG, WebP, BMP, GIF, TIFF)") from None
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt files
        raise ToolError(f"'{path}' could not be decoded: {exc}") from None


def _exif_of(image: Any) -> Any:
    """The picture's EXIF block as bytes, to carry through an edit (None when it has none)."""
    exif = image.getexif()
    return exif.tobytes() if len(exif) else None


def _output(source: Path | None, output_path: str, action: str, extension: str = "") -> Path:
    """Where an edited picture goes: `output_path`, or '<stem>_<action><ext>' next to the source."""
    if not output_path:
        if source is None:
            raise ToolError("output_path is required, e.g. 'images/new.png'")
        return source.with_name(f"{source.stem}_{action}{extension or source.suffix}")
    target = resolve(output_path, must_exist=False)
    if target.suffix.lower() not in _FORMATS:
        raise ToolError(f"output_path must end in one of {', '.join(sorted(_FORMATS))}, got '{output_path}'")
    if target.is_dir():
        raise ToolError(f"'{output_path}' is a directory")
    if target == source:
        raise ToolError("output_path must differ from the original image; the original is never overwritten")
    if target.parent.exists() and not target.parent.is_dir():
        raise ToolError(f"'{relative(target.parent)}' is a file, not a folder")
    return target


def _encodable(image: Any, fmt: str) -> Any:
    """The picture in a mode the target format can store (JPEG has no alpha: flatten onto white)."""
    from PIL import Image

    if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if fmt == "WEBP" and image.mode not in ("RGB", "RGBA"):
        return image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    return image


def _save(image: Any, target: Path, exif: bytes | None = None, quality: int = 90) -> dict:
    """Write the picture in the format of the target's extension and describe the written file."""
    fmt = _FORMATS[target.suffix.lower()]
    image = _encodable(image, fmt)
    options: dict[str, Any] = {"quality": quality} if fmt in ("JPEG", "WEBP") else {}
    if exif and fmt in _EXIF_FORMATS:
        options["exif"] = exif
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, format=fmt, **options)
    return {"path": relative(target), "width": image.width, "height": image.height, "mode": image.mode,
            "format": fmt, "bytes": target.stat().st_size}


def _derived(source: Path, image: Any, target: Path, exif: bytes | None, quality: int = 90) -> dict:
    """Save a picture made from `source` and describe both."""
    return {"source": relative(source), **_save(image, target, exif, quality)}


def _edit(path: str, output_path: str, action: str, change: Any) -> dict:
    """Open, apply `change` (picture -> picture), save next to the original keeping its EXIF."""
    source, image = _open(path)
    target = _output(source, output_path, action)
    return _derived(source, change(image), target, _exif_of(image))


def _editable(image: Any) -> Any:
    """The picture in a mode every filter, enhancer and drawing call accepts (palettes and the like become RGBA)."""
    return image if image.mode in ("RGB", "RGBA", "L") else image.convert("RGBA")


def _rgb(image: Any) -> Any:
    """Colour channels only: palettes and greyscale expanded, alpha dropped."""
    return image if image.mode == "RGB" else image.convert("RGB")


# ---------------------------------------------------------------- EXIF
def _exif_value(value: Any) -> Any:
    from PIL.TiffImagePlugin import IFDRational

    if isinstance(value, IFDRational):
        return round(float(value), 6) if value.denominator else None
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str):
        return value.strip("\0 ")[:200]
    if isinstance(value, tuple | list):
        return [_exif_value(item) for item in value[:16]]
    return value if isinstance(value, int | float) else str(value)[:200]


def _exif_tags(image: Any) -> dict[str, Any]:
    """Named EXIF tags from the main block and its Exif and GPS sub-blocks."""
    from PIL.ExifTags import GPSTAGS, IFD, TAGS

    exif = image.getexif()
    tags = {TAGS.get(k, str(k)): v for k, v in exif.items() if k not in (IFD.Exif, IFD.GPSInfo)}
    tags.update({TAGS.get(k, str(k)): v for k, v in exif.get_ifd(IFD.Exif).items()})
    tags.update({"GPS" + GPSTAGS.get(k, str(k)): v for k, v in exif.get_ifd(IFD.GPSInfo).items()})
    return {name: _exif_value(value) for name, value in list(tags.items())[:_MAX_EXIF_TAGS]}


# ---------------------------------------------------------------- inspecting
def image_info(path: str) -> dict:
    """Describe a picture: pixel size, colour mode, file format, frame count, file size and EXIF tags.

    EXIF tags (camera make and model, date taken, exposure, GPS...) are listed by name; binary
    values are shown as their length only.

    Args:
        path: Image file to inspect, relative to the working directory (e.g. "images/products/NP-BPK-001.jpg").
    """
    source, image = _open(path)
    return {"path": relative(source), "width": image.width, "height": image.height, "mode": image.mode,
            "bands": list(image.getbands()), "format": image.format, "frames": getattr(image, "n_frames", 1),
            "has_alpha": "A" in image.getbands() or "transparency" in image.info,
            "dpi": [round(float(d), 2) for d in image.info["dpi"]] if "dpi" in image.info else None,
            "bytes": source.stat().st_size, "exif": _exif_tags(image)}


def image_list_folder(path: str = ".", recursive: bool = False, limit: int = 50) -> dict:
    """List the pictures in a folder with their pixel size, format and file size.

    Pictures are recognised by extension (.png, .jpg, .jpeg, .webp, .bmp, .gif, .tif, .tiff); only
    their headers are read. Files that cannot be opened are listed with an "error".

    Args:
        path: Folder to look in, relative to the working directory ("." for the top folder).
        recursive: Whether to include pictures in sub-folders too.
        limit: Maximum number of pictures listed (the first by path); the total is always reported.
    """
    from PIL import Image, UnidentifiedImageError

    _at_least("limit", limit, 1, 1000)
    folder = resolve(path)
    if not folder.is_dir():
        raise ToolError(f"'{path}' is not a folder")
    root_real = resolve(".")
    candidates = folder.rglob("*") if recursive else folder.iterdir()
    found = sorted(p for p in candidates if p.suffix.lower() in _FORMATS and p.is_file()
                   and root_real in p.resolve().parents)
    images = []
    for file in found[:limit]:
        entry: dict[str, Any] = {"path": relative(file), "bytes": file.stat().st_size}
        try:
            with Image.open(file) as image:
                entry.update(width=image.width, height=image.height, mode=image.mode, format=image.format)
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            entry["error"] = str(exc)[:200]
        images.append(entry)
    return {"folder": relative(folder), "total": len(found), "images": images}


def _camera(tags: dict[str, Any]) -> str | None:
    """"Canon" + "Canon EOS R6" -> "Canon EOS R6": many models already start with the make."""
    make, model = str(tags.get("Make") or ""), str(tags.get("Model") or "")
    return (model if model.startswith(make) else f"{make} {model}").strip() or None


def image_exif_date(path: str) -> dict:
    """Read when a photo was taken from its EXIF data (DateTimeOriginal, else DateTimeDigitized or DateTime).

    Returns the raw EXIF text, the same moment in ISO 8601 form ("2024-05-16T10:11:00") and which tag
    it came from; "found" is false when the picture carries no date.

    Args:
        path: Image file to read, relative to the working directory (usually a .jpg photo).
    """
    from datetime import datetime

    source, image = _open(path)
    tags = _exif_tags(image)
    for tag in ("DateTimeOriginal", "DateTimeDigitized", "DateTime"):
        raw = tags.get(tag)
        if isinstance(raw, str) and raw:
            try:
                iso = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S").isoformat()
            except ValueError:
                iso = None
            return {"path": relative(source), "found": True, "tag": tag, "raw": raw, "iso": iso,
                    "camera": _camera(tags)}
    return {"path": relative(source), "found": False, "tag": None, "raw": None, "iso": None, "camera": None}


def image_average_colour(path: str) -> dict:
    """Compute the average colour of a picture (mean of every pixel's red, green and blue).

    Also gives the perceived brightness (0 = black, 255 = white, ITU-R 601 luma). Transparency is
    ignored.

    Args:
        path: Image file to analyse, relative to the working directory.
    """
    from PIL import ImageStat

    source, image = _open(path)
    mean = ImageStat.Stat(_rgb(image)).mean
    red, green, blue = (round(channel) for channel in mean)
    return {"path": relative(source), "rgb": [red, green, blue], "hex": _hex((red, green, blue)),
            "brightness": round(0.299 * mean[0] + 0.587 * mean[1] + 0.114 * mean[2], 2)}


def image_pixel_colour(path: str, x: int, y: int) -> dict:
    """Read the colour of one pixel.

    Args:
        path: Image file to read, relative to the working directory.
        x: Column of the pixel, 0 at the left edge.
        y: Row of the pixel, 0 at the top edge.
    """
    source, image = _open(path)
    if not (isinstance(x, int) and isinstance(y, int) and 0 <= x < image.width and 0 <= y < image.height):
        raise ToolError(f"pixel ({x}, {y}) is outside the {image.width}x{image.height} image")
    rgba = image.convert("RGBA").getpixel((x, y))
    return {"path": relative(source), "x": x, "y": y, "rgb": list(rgba[:3]), "alpha": rgba[3], "hex": _hex(rgba)}


def image_dominant_colours(path: str, count: int = 5) -> dict:
    """Find the main colours of a picture: reduce it to `count` colours and rank them by area.

    The picture is shrunk to at most 200 pixels a side and quantised with the median-cut method (no
    dithering); each colour comes with the share of pixels it covers.

    Args:
        path: Image file to analyse, relative to the working directory.
        count: Number of colours to find, 1 to 32.
    """
    from PIL import Image

    _at_least("count", count, 1, 32)
    source, image = _open(path)
    small = _rgb(image).copy()
    small.thumbnail((200, 200))
    quantised = small.quantize(colors=count, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = quantised.getpalette() or []
    pixels = small.width * small.height
    ranked = sorted(quantised.getcolors(), key=lambda item: (-item[0], item[1]))
    colours = [{"hex": _hex(rgb), "rgb": list(rgb), "percent": round(100 * n / pixels, 2)}
               for n, index in ranked if (rgb := tuple(palette[3 * index:3 * index + 3]))]
    return {"path": relative(source), "colours": colours}


def image_colour_histogram(path: str, bins: int = 8) -> dict:
    """Summarise the distribution of each colour channel: mean, median, spread, range and a coarse histogram.

    Channels are those of the picture (R, G, B, and A if transparent; L for greyscale). Each channel's
    256 levels are grouped into `bins` equal ranges whose pixel counts are returned.

    Args:
        path: Image file to analyse, relative to the working directory.
        bins: Number of level ranges per channel (1 to 256; 256 gives every level).
    """
    from PIL import ImageStat

    _at_least("bins", bins, 1, 256)
    source, image = _open(path)
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    stat = ImageStat.Stat(image)
    histogram = image.histogram()
    channels = {}
    for number, band in enumerate(image.getbands()):
        levels = histogram[256 * number:256 * (number + 1)]
        edges = [round(256 * i / bins) for i in range(bins + 1)]
        channels[band] = {"mean": round(stat.mean[number], 2), "median": stat.median[number],
                          "stddev": round(stat.stddev[number], 2), "min": stat.extrema[number][0],
                          "max": stat.extrema[number][1],
                          "histogram": [sum(levels[edges[i]:edges[i + 1]]) for i in range(bins)]}
    return {"path": relative(source), "mode": image.mode, "pixels": image.width * image.height, "bins": bins,
            "channels": channels}


def image_compare(path: str, other_path: str) -> dict:
    """Compare two pictures pixel by pixel: whether they match in size, how different they are, and where.

    The mean absolute difference is over every red, green and blue value (0 = identical, 255 =
    opposite); "changed_percent" is the share of pixels differing in any channel and "changed_box"
    the smallest [left, top, right, bottom] box holding every difference. Pictures of different sizes
    are compared after resizing the second to the first's size ("resized": true).

    Args:
        path: First image file, relative to the working directory.
        other_path: Second image file, relative to the working directory.
    """
    from PIL import Image, ImageChops, ImageStat

    first_path, first = _open(path)
    second_path, second = _open(other_path)
    same_size = first.size == second.size
    a, b = _rgb(first), _rgb(second)
    if not same_size:
        b = b.resize(a.size, Image.Resampling.LANCZOS)
    difference = ImageChops.difference(a, b)
    changed = difference.convert("L").point(lambda level: 255 if level else 0)
    changed_pixels = ImageStat.Stat(changed).sum[0] / 255
    box = difference.getbbox()
    return {"path": relative(first_path), "other_path": relative(second_path), "same_size": same_size,
            "sizes": [list(first.size), list(second.size)], "same_mode": first.mode == second.mode,
            "resized": not same_size, "identical": same_size and box is None,
            "mean_abs_diff": round(sum(ImageStat.Stat(difference).mean) / 3, 4),
            "max_diff": max(high for _, high in difference.getextrema()),
            "changed_percent": round(100 * changed_pixels / (a.width * a.height), 4),
            "changed_box": list(box) if box else None}


def image_to_base64(path: str, max_size: int = 128, format: Literal["png", "jpeg"] = "png") -> dict:
    """Encode a (shrunken) copy of a picture as a base64 data URI, for embedding in HTML, Markdown or JSON.

    The copy is shrunk to fit `max_size` pixels a side (never enlarged) to keep the text short; the
    original file is unchanged.

    Args:
        path: Image file to encode, relative to the working directory.
        max_size: Longest side of the encoded copy in pixels, 8 to 512.
        format: Encoding of the copy: "png" (lossless) or "jpeg" (smaller for photos).
    """
    import base64
    import io

    _at_least("max_size", max_size, 8, 512)
    if format not in ("png", "jpeg"):
        raise ToolError(f"unsupported format '{format}'; use png or jpeg")
    source, image = _open(path)
    copy = image.copy()
    copy.thumbnail((max_size, max_size))
    fmt = "PNG" if format == "png" else "JPEG"
    copy = _encodable(copy, fmt)
    buffer = io.BytesIO()
    copy.save(buffer, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    if len(encoded) > _MAX_BASE64_CHARS:
        raise ToolError(f"the encoded picture would be {len(encoded)} characters; use a smaller max_size or jpeg")
    return {"path": relative(source), "width": copy.width, "height": copy.height, "mime": f"image/{format}",
            "chars": len(encoded), "data_uri": f"data:image/{format};base64,{encoded}"}


# ---------------------------------------------------------------- geometry
def image_resize(path: str, width: int = 0, height: int = 0, keep_aspect: bool = True, output_path: str = "") -> dict:
    """Resize a picture to a new pixel size (larger or smaller) and save it as a new file.

    With `keep_aspect`, giving only a width or only a height scales the other side to match, and
    giving both fits the picture inside that box without distortion. Without it, the picture is
    stretched to exactly width x height (a side given as 0 keeps its current size).

    Args:
        path: Image file to resize, relative to the working directory.
        width: New width in pixels (1 to 10000), or 0 to derive it from the height.
        height: New height in pixels (1 to 10000), or 0 to derive it from the width.
        keep_aspect: Whether to keep the width:height proportions of the original.
        output_path: File to write, relative to the working directory; empty for "<stem>_resized.<ext>" next to the
            original.
    """
    import math

    from PIL import Image

    for name, value in (("width", width), ("height", height)):
        _at_least(name, value, 0)
    if not width and not height:
        raise ToolError("give a width, a height or both (in pixels)")

    def change(image: Any) -> Any:
        if keep_aspect:
            scale = min(width / image.width if width else math.inf, height / image.height if height else math.inf)
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        else:
            size = (width or image.width, height or image.height)
        if max(size) > _MAX_SIDE:
            raise ToolError(f"the result would be {size[0]}x{size[1]}; at most {_MAX_SIDE} pixels a side")
        return image.resize(size, Image.Resampling.LANCZOS)

    return _edit(path, output_path, "resized", change)


def image_thumbnail(path: str, max_size: int = 128, output_path: str = "") -> dict:
    """Make a thumbnail: a copy shrunk to fit in a max_size x max_size square, proportions kept.

    A picture already smaller than that is copied at its own size (thumbnails never enlarge).

    Args:
        path: Image file to shrink, relative to the working directory.
        max_size: Longest side of the thumbnail in pixels (1 to 10000), e.g. 128 or 256.
        output_path: File to write, relative to the working directory; empty for "<stem>_thumb.<ext>" next to the
            original.
    """
    _at_least("max_size", max_size)

    def change(image: Any) -> Any:
        copy = image.copy()
        copy.thumbnail((max_size, max_size))
        return copy

    return _edit(path, output_path, "thumb", change)


def image_crop(path: str, left: int, top: int, right: int, bottom: int, output_path: str = "") -> dict:
    """Cut out a rectangle of a picture and save it as a new file.

    Coordinates are pixels from the top-left corner; the box includes `left`/`top` and stops just
    before `right`/`bottom`, so the result is (right - left) x (bottom - top) pixels.

    Args:
        path: Image file to crop, relative to the working directory.
        left: Left edge of the box in pixels (0 = the picture's left edge).
        top: Top edge of the box in pixels (0 = the picture's top edge).
        right: Right edge of the box in pixels (at most the picture's width).
        bottom: Bottom edge of the box in pixels (at most the picture's height).
        output_path: File to write, relative to the working directory; empty for "<stem>_cropped.<ext>" next to the
            original.
    """
    def change(image: Any) -> Any:
        box = (left, top, right, bottom)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in box) or not (
                0 <= left < right <= image.width and 0 <= top < bottom <= image.height):
            raise ToolError(f"crop box {list(box)} must satisfy 0 <= left < right <= {image.width} and "
                            f"0 <= top < bottom <= {image.height}")
        return image.crop(box)

    return _edit(path, output_path, "cropped", change)


def image_rotate(path: str, degrees: float, expand: bool = True, fill_colour: str = "#ffffff",
                 output_path: str = "") -> dict:
    """Rotate a picture counter-clockwise by any angle and save it as a new file.

    Multiples of 90 degrees are exact; use negative degrees to turn clockwise. With `expand` the
    canvas grows so no corner is cut off, and uncovered areas are filled with `fill_colour`.

    Args:
        path: Image file to rotate, relative to the working directory.
        degrees: Angle in degrees, counter-clockwise (e.g. 90, -90, 180, 15.5).
        expand: Whether to enlarge the canvas to hold the whole rotated picture (otherwise it keeps its size and
            corners are cut).
        fill_colour: Colour of uncovered corners, as a name ("white") or hex code ("#ffffff").
        output_path: File to write, relative to the working directory; empty for "<stem>_rotated.<ext>" next to the
            original.
    """
    from PIL import Image

    angle = _between("degrees", degrees, -3600, 3600)

    def change(image: Any) -> Any:
        image = _editable(image)
        return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=expand,
                            fillcolor=_colour(fill_colour, image.mode))

    return _edit(path, output_path, "rotated", change)


def image_flip(path: str, direction: Literal["horizontal", "vertical"] = "horizontal", output_path: str = "") -> dict:
    """Mirror a picture left-to-right or top-to-bottom and save it as a new file.

    Args:
        path: Image file to flip, relative to the working directory.
        direction: "horizontal" swaps left and right (a mirror image); "vertical" swaps top and bottom.
        output_path: File to write, relative to the working directory; empty for "<stem>_flipped.<ext>" next to the
            original.
    """
    from PIL import Image

    moves = {"horizontal": Image.Transpose.FLIP_LEFT_RIGHT, "vertical": Image.Transpose.FLIP_TOP_BOTTOM}
    if direction not in moves:
        raise ToolError(f"unsupported direction '{direction}'; use horizontal or vertical")
    return _edit(path, output_path, "flipped", lambda image: image.transpose(moves[direction]))


def image_add_border(path: str, width: int = 10, colour: str = "#000000", output_path: str = "") -> dict:
    """Add a solid frame of `width` pixels around a picture (it grows by 2 x width each way).

    Args:
        path: Image file to frame, relative to the working directory.
        width: Border thickness in pixels on every side, 1 to 1000.
        colour: Border colour, as a name ("black") or hex code ("#000000").
        output_path: File to write, relative to the working directory; empty for "<stem>_border.<ext>" next to the
            original.
    """
    from PIL import ImageOps

    _at_least("width", width, 1, 1000)

    def change(image: Any) -> Any:
        image = _editable(image)
        return ImageOps.expand(image, border=width, fill=_colour(colour, image.mode))

    return _edit(path, output_path, "border", change)


def image_pad_to_square(path: str, colour: str = "#ffffff", output_path: str = "") -> dict:
    """Pad a picture with a plain colour to make it square, centred, without scaling or cropping it.

    The square's side is the picture's longer side; e.g. for product listings that need square images.

    Args:
        path: Image file to pad, relative to the working directory.
        colour: Colour of the added bands, as a name ("white") or hex code ("#ffffff").
        output_path: File to write, relative to the working directory; empty for "<stem>_square.<ext>" next to the
            original.
    """
    from PIL import Image

    def change(image: Any) -> Any:
        image = _editable(image)
        side = max(image.size)
        canvas = Image.new(image.mode, (side, side), _colour(colour, image.mode))
        canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
        return canvas

    return _edit(path, output_path, "square", change)


# ---------------------------------------------------------------- colour and filters
def image_convert_mode(path: str, mode: Literal["L", "RGB", "RGBA", "1", "P"] = "L", output_path: str = "") -> dict:
    """Convert a picture to another colour mode, e.g. to greyscale, and save it as a new file.

    Args:
        path: Image file to convert, relative to the working directory.
        mode: "L" = 8-bit greyscale, "RGB" = colour, "RGBA" = colour with transparency, "1" = black and white
            (dithered), "P" = 256-colour palette.
        output_path: File to write, relative to the working directory; empty for "<stem>_<mode>.<ext>" next to the
            original (JPEG cannot store RGBA, "1" or "P": use .png).
    """
    modes = {"L": "grayscale", "RGB": "rgb", "RGBA": "rgba", "1": "bw", "P": "palette"}
    if mode not in modes:
        raise ToolError(f"unsupported mode '{mode}'; use one of {', '.join(modes)}")
    source, image = _open(path)
    target = _output(source, output_path, modes[mode])
    if _FORMATS[target.suffix.lower()] == "JPEG" and mode in ("RGBA", "1", "P"):
        raise ToolError(f"JPEG cannot store mode {mode}; choose an output_path ending in .png")
    return _derived(source, image.convert(mode), target, _exif_of(image))


def image_convert_format(path: str, format: Literal["png", "jpg", "webp", "bmp", "gif", "tiff"],
                         output_path: str = "", quality: int = 90) -> dict:
    """Save a picture in another file format (PNG, JPEG, WebP, BMP, GIF or TIFF).

    Transparency is flattened onto white for JPEG; GIF reduces to 256 colours. Returns the sizes of
    both files so the change can be judged.

    Args:
        path: Image file to convert, relative to the working directory.
        format: Target format: "png", "jpg", "webp", "bmp", "gif" or "tiff".
        output_path: File to write, relative to the working directory, with the matching extension; empty for
            "<stem>.<format>" next to the original.
        quality: Compression quality for jpg and webp, 1 (smallest) to 100 (best); ignored by the other formats.
    """
    extensions = {"png": ".png", "jpg": ".jpg", "webp": ".webp", "bmp": ".bmp", "gif": ".gif", "tiff": ".tiff"}
    if format not in extensions:
        raise ToolError(f"unsupported format '{format}'; use one of {', '.join(extensions)}")
    _at_least("quality", quality, 1, 100)
    source, image = _open(path)
    target = source.with_suffix(extensions[format]) if not output_path else _output(source, output_path, format)
    if target == source:
        raise ToolError(f"'{path}' is already a {format} file")
    if _FORMATS[target.suffix.lower()] != _FORMATS[extensions[format]]:
        raise ToolError(f"output_path '{output_path}' does not end in {extensions[format]}")
    return {"source": relative(source), "source_bytes": source.stat().st_size,
            **_save(image, target, _exif_of(image), quality)}


def _enhance(path: str, kind: str, factor: float, output_path: str) -> dict:
    from PIL import ImageEnhance

    amount = _between("factor", factor, 0, 10)

    def change(image: Any) -> Any:
        image = _editable(image)
        return getattr(ImageEnhance, kind)(image).enhance(amount)

    return _edit(path, output_path, kind.lower(), change)


def image_adjust_brightness(path: str, factor: float, output_path: str = "") -> dict:
    """Make a picture brighter or darker and save it as a new file.

    Args:
        path: Image file to adjust, relative to the working directory.
        factor: 1.0 keeps the picture as it is, 0.5 halves the brightness, 1.5 makes it 50% brighter, 0 is black (0 to
            10).
        output_path: File to write, relative to the working directory; empty for "<stem>_brightness.<ext>" next to the
            original.
    """
    return _enhance(path, "Brightness", factor, output_path)


def image_adjust_contrast(path: str, factor: float, output_path: str = "") -> dict:
    """Increase or reduce the contrast of a picture and save it as a new file.

    Args:
        path: Image file to adjust, relative to the working directory.
        factor: 1.0 keeps the picture as it is, below 1 flattens it towards grey (0 = solid grey), above 1 strengthens
            contrast (0 to 10).
        output_path: File to write, relative to the working directory; empty for "<stem>_contrast.<ext>" next to the
            original.
    """
    return _enhance(path, "Contrast", factor, output_path)


def image_adjust_saturation(path: str, factor: float, output_path: str = "") -> dict:
    """Make the colours of a picture more vivid or more muted and save it as a new file.

    Args:
        path: Image file to adjust, relative to the working directory.
        factor: 1.0 keeps the picture as it is, 0 removes all colour (greyscale), 2.0 doubles the colour intensity (0
            to 10).
        output_path: File to write, relative to the working directory; empty for "<stem>_color.<ext>" next to the
            original.
    """
    return _enhance(path, "Color", factor, output_path)


def image_adjust_sharpness(path: str, factor: float, output_path: str = "") -> dict:
    """Sharpen or soften a picture by a factor and save it as a new file.

    Args:
        path: Image file to adjust, relative to the working directory.
        factor: 1.0 keeps the picture as it is, 0 gives a blurred picture, 2.0 a sharpened one (0 to 10).
        output_path: File to write, relative to the working directory; empty for "<stem>_sharpness.<ext>" next to the
            original.
    """
    return _enhance(path, "Sharpness", factor, output_path)


def _filtered(path: str, output_path: str, action: str, make_filter: Any) -> dict:
    return _edit(path, output_path, action, lambda image: _editable(image).filter(make_filter()))


def image_blur(path: str, radius: float = 2.0, output_path: str = "") -> dict:
    """Blur a picture with a Gaussian blur and save it as a new file (e.g. to soften or anonymise it).

    Args:
        path: Image file to blur, relative to the working directory.
        radius: Blur strength in pixels (0 to 100); 2 is a light blur, 10 a strong one.
        output_path: File to write, relative to the working directory; empty for "<stem>_blurred.<ext>" next to the
            original.
    """
    from PIL import ImageFilter

    strength = _between("radius", radius, 0, 100)
    return _filtered(path, output_path, "blurred", lambda: ImageFilter.GaussianBlur(strength))


def image_sharpen(path: str, radius: float = 2.0, percent: int = 150, output_path: str = "") -> dict:
    """Sharpen the details of a picture with an unsharp mask and save it as a new file.

    Args:
        path: Image file to sharpen, relative to the working directory.
        radius: Size in pixels of the details to enhance (0 to 50).
        percent: Strength of the sharpening in percent (1 to 500).
        output_path: File to write, relative to the working directory; empty for "<stem>_sharpened.<ext>" next to the
            original.
    """
    from PIL import ImageFilter

    size = _between("radius", radius, 0, 50)
    _at_least("percent", percent, 1, 500)
    return _filtered(path, output_path, "sharpened", lambda: ImageFilter.UnsharpMask(size, percent, 3))


def image_edge_detect(path: str, output_path: str = "") -> dict:
    """Find the edges of a picture: a greyscale picture that is bright where brightness changes sharply.

    Args:
        path: Image file to analyse, relative to the working directory.
        output_path: File to write, relative to the working directory; empty for "<stem>_edges.<ext>" next to the
            original.
    """
    from PIL import ImageFilter

    return _edit(path, output_path, "edges", lambda image: image.convert("L").filter(ImageFilter.FIND_EDGES))


def image_invert(path: str, output_path: str = "") -> dict:
    """Invert the colours of a picture (a photographic negative) and save it as a new file; transparency is kept.

    Args:
        path: Image file to invert, relative to the working directory.
        output_path: File to write, relative to the working directory; empty for "<stem>_inverted.<ext>" next to the
            original.
    """
    from PIL import Image, ImageOps

    def change(image: Any) -> Any:
        if image.mode in ("RGB", "L"):
            return ImageOps.invert(image)
        rgba = image.convert("RGBA")
        return Image.merge("RGBA", (*ImageOps.invert(rgba.convert("RGB")).split(), rgba.getchannel("A")))

    return _edit(path, output_path, "inverted", change)


def image_auto_contrast(path: str, cutoff: float = 0.0, output_path: str = "") -> dict:
    """Stretch a picture's levels so its darkest pixel becomes black and its brightest white.

    Fixes flat, washed-out pictures.

    Args:
        path: Image file to correct, relative to the working directory.
        cutoff: Percentage of the darkest and of the lightest pixels to ignore when finding the range (0 to 49), so a
            few extreme pixels do not prevent the stretch.
        output_path: File to write, relative to the working directory; empty for "<stem>_autocontrast.<ext>" next to
            the original.
    """
    from PIL import ImageOps

    share = _between("cutoff", cutoff, 0, 49)
    return _edit(path, output_path, "autocontrast", lambda image: ImageOps.autocontrast(
        image if image.mode in ("RGB", "L") else _rgb(image), cutoff=share))


def image_strip_exif(path: str, output_path: str = "") -> dict:
    """Save a copy of a picture without its EXIF metadata (camera, date, GPS position...), e.g. before sharing it.

    Only the pixels are kept (JPEG pictures are re-encoded at quality 95). Returns the names of the
    tags removed.

    Args:
        path: Image file to clean, relative to the working directory.
        output_path: File to write, relative to the working directory; empty for "<stem>_noexif.<ext>" next to the
            original.
    """
    source, image = _open(path)
    target = _output(source, output_path, "noexif")
    removed = sorted(_exif_tags(image))
    bare = image.copy()
    bare.info = {k: v for k, v in image.info.items() if k == "transparency"}  # no EXIF, XMP, ICC or comments
    return {**_derived(source, bare, target, None, 95), "removed_tags": removed}


# ---------------------------------------------------------------- drawing and composing
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def image_add_watermark(path: str, text: str, position: _Position = "bottom_right", opacity: float = 0.5,
                        font_size: int = 0, colour: str = "#ffffff", output_path: str = "") -> dict:
    """Write a semi-transparent text watermark (e.g. "© Northpeak" or "DRAFT") on a picture and save it as a new file.

    Args:
        path: Image file to mark, relative to the working directory.
        text: Watermark text, one line, at most 200 characters.
        position: Where the text goes: "top_left", "top_right", "bottom_left", "bottom_right" or "center".
        opacity: Opacity of the text from 0 (invisible) to 1 (solid).
        font_size: Text height in pixels (4 to 1000); 0 picks one twentieth of the picture's width.
        colour: Text colour, as a name ("white") or hex code ("#ffffff").
        output_path: File to write, relative to the working directory; empty for "<stem>_watermarked.<ext>" next to
            the original.
    """
    from PIL import Image, ImageDraw

    if not str(text).strip() or len(text) > 200 or "\n" in text:
        raise ToolError("text must be one non-empty line of at most 200 characters")
    alpha = round(255 * _between("opacity", opacity, 0, 1))
    if font_size:
        _at_least("font_size", font_size, 4, 1000)
    if position not in ("top_left", "top_right", "bottom_left", "bottom_right", "center"):
        raise ToolError(f"unsupported position '{position}'; "
                        "use top_left, top_right, bottom_left, bottom_right or center")
    red, green, blue = _colour(colour)
    placed: dict[str, Any] = {}

    def change(image: Any) -> Any:
        base = image.convert("RGBA")
        font = _font(font_size or max(8, base.width // 20))
        layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        margin = max(4, base.width // 50)
        x = {"left": margin, "right": base.width - right - margin}.get(position.rpartition("_")[2],
                                                                        (base.width - right - left) // 2)
        y = {"top": margin, "bottom": base.height - bottom - margin}.get(position.partition("_")[0],
                                                                          (base.height - bottom - top) // 2)
        draw.text((x, y), text, font=font, fill=(red, green, blue, alpha))
        placed["text_box"] = [x + left, y + top, x + right, y + bottom]
        marked = Image.alpha_composite(base, layer)
        return marked if "A" in image.getbands() else marked.convert("RGB")

    result = _edit(path, output_path, "watermarked", change)
    return {**result, **placed}


def image_draw_rectangle(path: str, left: int, top: int, right: int, bottom: int, colour: str = "#ff0000",
                         line_width: int = 3, fill: bool = False, output_path: str = "") -> dict:
    """Draw a rectangle on a picture, e.g. to highlight an area, and save it as a new file.

    Coordinates are pixels from the top-left corner; the rectangle includes both corners.

    Args:
        path: Image file to draw on, relative to the working directory.
        left: Left edge of the rectangle in pixels.
        top: Top edge of the rectangle in pixels.
        right: Right edge of the rectangle in pixels (at least left).
        bottom: Bottom edge of the rectangle in pixels (at least top).
        colour: Line (and fill) colour, as a name ("red") or hex code ("#ff0000").
        line_width: Thickness of the outline in pixels, 1 to 100.
        fill: Whether to fill the rectangle with the colour instead of drawing only its outline.
        output_path: File to write, relative to the working directory; empty for "<stem>_rectangle.<ext>" next to the
            original.
    """
    from PIL import ImageDraw

    _at_least("line_width", line_width, 1, 100)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (left, top, right, bottom)) or \
            left > right or top > bottom:
        raise ToolError("the rectangle needs integer coordinates with left <= right and top <= bottom")

    def change(image: Any) -> Any:
        canvas = _editable(image).copy()
        paint = _colour(colour, canvas.mode)
        ImageDraw.Draw(canvas).rectangle((left, top, right, bottom), outline=paint, width=line_width,
                                         fill=paint if fill else None)
        return canvas

    return _edit(path, output_path, "rectangle", change)


def image_create_solid(width: int, height: int, colour: str, output_path: str) -> dict:
    """Create a new picture of one plain colour, e.g. a placeholder or a background.

    Args:
        width: Width in pixels, 1 to 10000.
        height: Height in pixels, 1 to 10000.
        colour: Fill colour, as a name ("navy"), hex code ("#1f77b4") or hex with alpha ("#1f77b480", PNG/WebP only).
        output_path: File to write, relative to the working directory, e.g. "images/placeholder.png"; the extension
            picks the format.
    """
    from PIL import Image

    _at_least("width", width)
    _at_least("height", height)
    rgba = _colour(colour, "RGBA")
    target = _output(None, output_path, "solid")
    image = Image.new("RGBA", (width, height), rgba) if rgba[3] < 255 else Image.new("RGB", (width, height), rgba[:3])
    return {**_save(image, target), "hex": _hex(rgba)}


def image_concatenate(path: str, other_path: str, direction: Literal["horizontal", "vertical"] = "horizontal",
                      match_size: bool = True, background: str = "#ffffff", output_path: str = "") -> dict:
    """Join two pictures side by side (horizontal) or one above the other (vertical) into a new picture.

    With `match_size` the second picture is scaled to the first one's height (side by side) or
    width (stacked), proportions kept; otherwise both keep their size and the gap is filled with the
    background colour.

    Args:
        path: First picture (left or top), relative to the working directory.
        other_path: Second picture (right or bottom), relative to the working directory.
        direction: "horizontal" for side by side, "vertical" for one above the other.
        match_size: Whether to scale the second picture to line up with the first.
        background: Colour of any uncovered area, as a name ("white") or hex code ("#ffffff").
        output_path: File to write, relative to the working directory; empty for "<first stem>_joined.<ext>" next to
            the first picture.
    """
    from PIL import Image

    if direction not in ("horizontal", "vertical"):
        raise ToolError(f"unsupported direction '{direction}'; use horizontal or vertical")
    source, first = _open(path)
    _, second = _open(other_path)
    target = _output(source, output_path, "joined")
    first, second = _rgb(first), _rgb(second)
    side = direction == "horizontal"
    if match_size:
        scale = first.height / second.height if side else first.width / second.width
        second = second.resize((max(1, round(second.width * scale)), max(1, round(second.height * scale))),
                               Image.Resampling.LANCZOS)
    size = ((first.width + second.width, max(first.height, second.height)) if side
            else (max(first.width, second.width), first.height + second.height))
    if max(size) > _MAX_SIDE:
        raise ToolError(f"the result would be {size[0]}x{size[1]}; at most {_MAX_SIDE} pixels a side")
    canvas = Image.new("RGB", size, _colour(background))
    canvas.paste(first, (0, 0))
    canvas.paste(second, (first.width, 0) if side else (0, first.height))
    return {**_save(canvas, target), "second_size": list(second.size)}


def image_contact_sheet(paths: list[str], output_path: str, columns: int = 4, cell_size: int = 160,
                        labels: bool = True, background: str = "#ffffff") -> dict:
    """Make a contact sheet: a grid of thumbnails of several pictures, each optionally labelled with its file name.

    Thumbnails keep their proportions and are centred in square cells of `cell_size` pixels, filled
    row by row in the order given.

    Args:
        paths: Image files to include (1 to 60), relative to the working directory, e.g. ["images/a.jpg",
            "images/b.png"].
        output_path: File to write, relative to the working directory, e.g. "images/contact_sheet.png".
        columns: Number of thumbnails per row, 1 to 20.
        cell_size: Side of each square thumbnail cell in pixels, 16 to 1000.
        labels: Whether to print each file's name under its thumbnail.
        background: Background colour, as a name ("white") or hex code ("#ffffff").
    """
    from PIL import Image, ImageDraw

    if not paths or len(paths) > _CONTACT_SHEET_MAX:
        raise ToolError(f"paths must list 1 to {_CONTACT_SHEET_MAX} images")
    _at_least("columns", columns, 1, 20)
    _at_least("cell_size", cell_size, 16, 1000)
    pictures = [_open(path) for path in paths]
    target = _output(None, output_path, "sheet")
    gap, label_height = 8, (14 if labels else 0)
    rows = -(-len(pictures) // columns)
    across = min(columns, len(pictures))
    size = (gap + across * (cell_size + gap), gap + rows * (cell_size + label_height + gap))
    if max(size) > _MAX_SIDE:
        raise ToolError(f"the sheet would be {size[0]}x{size[1]}; use fewer columns or a smaller cell_size")
    sheet = Image.new("RGB", size, _colour(background))
    draw = ImageDraw.Draw(sheet)
    font = _font(11)
    ink = (0, 0, 0) if sum(_colour(background)) > 384 else (255, 255, 255)
    for number, (source, picture) in enumerate(pictures):
        thumb = _rgb(picture).copy()
        thumb.thumbnail((cell_size, cell_size))
        x = gap + (number % columns) * (cell_size + gap)
        y = gap + (number // columns) * (cell_size + label_height + gap)
        sheet.paste(thumb, (x + (cell_size - thumb.width) // 2, y + (cell_size - thumb.height) // 2))
        if labels:
            name = source.name if len(source.name) <= cell_size // 6 else source.name[: cell_size // 6 - 1] + "…"
            draw.text((x, y + cell_size + 1), name, fill=ink, font=font)
    return {**_save(sheet, target), "images": len(pictures), "columns": across, "rows": rows}
