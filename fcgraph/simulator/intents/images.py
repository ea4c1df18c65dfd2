"""Requests for the image tools, grounded in a picture's size, format and EXIF tags as the user was shown them.

Edits name their result next to the original (e.g. 'hero_small.jpg'), so the original is never
the target; EXIF requests are made only about pictures that carry EXIF dates.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from random import Random
from typing import Any

from fcgraph.simulator.grounding import (
    FileView,
    Grounding,
    Intent,
    folder_only,
    path_only,
    sibling,
    with_args,
)

PICTURES = ("image",)
_COLOURS = ["black", "white", "navy", "#2e7d32", "#ff6600"]
_WATERMARKS = ["© Northpeak 2024", "DRAFT", "Internal use only", "CONFIDENTIAL"]


def _saved_as(suffix: str, **extra: Any) -> Grounding:
    """The picture, a new name next to it, and further arguments made from the view (None = does not fit)."""
    name = sibling(suffix, key="output_path", source="path")

    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        args = name(view, rng)
        for key, make in extra.items():
            if (value := make(view, rng)) is None:
                return None
            args[key] = value
        return args

    return ground


def _photo(ground: Grounding) -> Grounding:
    """Only pictures whose EXIF data records when they were taken."""

    def photo_only(view: FileView, rng: Random) -> dict[str, Any] | None:
        exif = view.info.get("exif") or {}
        return ground(view, rng) if exif.get("DateTimeOriginal") or exif.get("DateTime") else None

    return photo_only


def _other_format(view: FileView, rng: Random) -> str:
    current = PurePosixPath(view.path).suffix.lower().lstrip(".").replace("jpeg", "jpg")
    return rng.choice([f for f in ("png", "jpg", "webp") if f != current])


def _crop_box(view: FileView, rng: Random) -> dict[str, Any] | None:
    """The middle half of the picture, in whole pixels."""
    width, height = view.info.get("width"), view.info.get("height")
    if not width or not height or min(width, height) < 8:
        return None
    return {"path": view.path, "left": width // 4, "top": height // 4, "right": width * 3 // 4,
            "bottom": height * 3 // 4}


def _half_width(view: FileView, rng: Random) -> int | None:
    width = view.info.get("width")
    return max(1, width // rng.choice([2, 4])) if width else None


INTENTS: tuple[Intent, ...] = (
    Intent("image_info", "tell me the dimensions, colour mode and EXIF tags of {path}", PICTURES, path_only,
           zh="告诉我 {path} 的尺寸、颜色模式和 EXIF 信息"),
    Intent("image_list_folder", "list the pictures in the {path} folder with their pixel sizes", PICTURES, folder_only,
           path_arg="", zh="列出 {path} 文件夹里的图片及其像素尺寸"),
    Intent("image_resize", "resize {path} to {width} pixels wide and save it as {output_path}", PICTURES,
           _saved_as("_small", width=_half_width), fixed={"keep_aspect": True}, writes=True,
           zh="把 {path} 缩放到 {width} 像素宽，另存为 {output_path}"),
    Intent("image_thumbnail", "make a thumbnail of {path} no bigger than {max_size} pixels", PICTURES,
           with_args(max_size=lambda v, r: r.choice([64, 128, 200])), writes=True,
           zh="给 {path} 生成一个不超过 {max_size} 像素的缩略图"),
    Intent("image_crop", "crop {path} to the box from ({left}, {top}) to ({right}, {bottom})", PICTURES, _crop_box,
           writes=True, zh="把 {path} 裁剪成从 ( {left} , {top} ) 到 ( {right} , {bottom} ) 的区域"),
    Intent("image_rotate", "rotate {path} by {degrees} degrees and save the result as {output_path}", PICTURES,
           _saved_as("_rotated", degrees=lambda v, r: r.choice([90, 180, 270, -90])), writes=True,
           zh="把 {path} 旋转 {degrees} 度，结果保存为 {output_path}"),
    Intent("image_flip", "mirror {path} left to right and save it as {output_path}", PICTURES, _saved_as("_mirrored"),
           fixed={"direction": "horizontal"}, writes=True, zh="把 {path} 左右镜像翻转，保存为 {output_path}"),
    Intent("image_convert_mode", "make a greyscale copy of {path} called {output_path}", PICTURES, _saved_as("_grey"),
           fixed={"mode": "L"}, writes=True, zh="把 {path} 转成灰度图，副本命名为 {output_path}"),
    Intent("image_convert_format", "convert the picture {path} to {format} format", PICTURES,
           with_args(format=_other_format), writes=True, zh="把图片 {path} 转换成 {format} 格式"),
    Intent("image_blur", "blur {path} with a radius of {radius} pixels and save it as {output_path}", PICTURES,
           _saved_as("_blurred", radius=lambda v, r: r.choice([2, 4, 8])), writes=True,
           zh="对 {path} 做半径 {radius} 像素的模糊处理，保存为 {output_path}"),
    Intent("image_adjust_brightness", "brighten {path} by a factor of {factor} and save it as {output_path}", PICTURES,
           _saved_as("_bright", factor=lambda v, r: r.choice([1.2, 1.3, 1.5])), writes=True,
           zh="把 {path} 的亮度调高到 {factor} 倍，保存为 {output_path}"),
    Intent("image_edge_detect", "run edge detection on {path} and save the edges as {output_path}", PICTURES,
           _saved_as("_edges"), writes=True, zh="对 {path} 做边缘检测，把结果保存为 {output_path}"),
    Intent("image_add_border", "put a {width} pixel {colour} border around {path}", PICTURES,
           with_args(width=lambda v, r: r.choice([5, 10, 20]), colour=lambda v, r: r.choice(_COLOURS)), writes=True,
           zh="给 {path} 加一圈 {width} 像素宽的 {colour} 边框"),
    Intent("image_pad_to_square", "pad {path} into a square with a {colour} background", PICTURES,
           with_args(colour=lambda v, r: r.choice(_COLOURS)), writes=True,
           zh="用 {colour} 背景把 {path} 补成正方形"),
    Intent("image_add_watermark", "stamp the watermark {text} on {path} and save it as {output_path}", PICTURES,
           _saved_as("_marked", text=lambda v, r: r.choice(_WATERMARKS)), writes=True,
           zh="在 {path} 上打上水印 {text} ，保存为 {output_path}"),
    Intent("image_dominant_colours", "find the {count} dominant colours in {path}", PICTURES,
           with_args(count=lambda v, r: r.choice([3, 5, 6])), zh="找出 {path} 中最主要的 {count} 种颜色"),
    Intent("image_average_colour", "tell me the average colour of the picture {path}", PICTURES, path_only,
           zh="告诉我图片 {path} 的平均颜色"),
    Intent("image_exif_date", "tell me when the photo {path} was taken", PICTURES, _photo(path_only),
           zh="告诉我照片 {path} 是什么时候拍的"),
    Intent("image_strip_exif", "remove the EXIF metadata from {path} and save the clean copy as {output_path}",
           PICTURES, _photo(_saved_as("_clean")), writes=True,
           zh="去掉 {path} 的 EXIF 元数据，把干净的副本保存为 {output_path}"),
)
