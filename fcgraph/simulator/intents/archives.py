"""Requests for the archives-and-hashing tools: zip, tar.gz, gzip, checksums, base64 and folder sizes."""

from __future__ import annotations

from random import Random
from typing import Any

from fcgraph.simulator.grounding import PROSE, TEXTUAL, FileView, Grounding, Intent, folder_only, path_only, word_of

OFFICE = ("docx", "xlsx")  # zip containers: the zip tools work on them as they are


def _folder_into(suffix: str) -> Grounding:
    """The file's folder (not the workspace itself) and a new archive named after it, next to it."""

    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        if view.folder == ".":
            return None
        return {"path": view.folder, "output_path": f"{view.folder}_{suffix}"}

    return ground


def _unpack_to(view: FileView, rng: Random) -> dict[str, Any]:
    return {"path": view.path, "destination": f"{view.folder}/{view.stem}_unpacked"}


def _text_hash(view: FileView, rng: Random) -> dict[str, Any] | None:
    word = word_of(view, rng)
    return {"text": word, "algorithm": rng.choice(["md5", "sha1", "sha256"])} if word else None


INTENTS: tuple[Intent, ...] = (
    Intent("zip_folder", "zip up the {path} folder into {output_path}", (), _folder_into("archive.zip"),
           path_arg="", writes=True, zh="把 {path} 文件夹打包成 zip 文件 {output_path}"),
    Intent("zip_files", "put {paths} into a zip archive named {output_path}", (),
           lambda v, r: {"paths": [v.path], "output_path": v.path + ".zip"},
           path_arg="", writes=True, zh="把 {paths} 放进一个名为 {output_path} 的 zip 压缩包"),
    Intent("zip_list", "list the files packed inside {path}", OFFICE, path_only,
           zh="列出 {path} 内部打包的文件"),
    Intent("zip_test", "check that the zip structure of {path} is intact", OFFICE, path_only,
           zh="检查 {path} 的 zip 结构是否完好"),
    Intent("zip_extract", "unpack the contents of {path} into the folder {destination}", OFFICE, _unpack_to,
           writes=True, zh="把 {path} 的内容解包到文件夹 {destination}"),
    Intent("tar_create", "pack the {path} folder into a tar.gz archive called {output_path}", (),
           _folder_into("backup.tar.gz"), path_arg="", writes=True,
           zh="把 {path} 文件夹打包成 tar.gz 归档 {output_path}"),
    Intent("gzip_compress", "compress {path} with gzip into {output_path}", TEXTUAL,
           lambda v, r: {"path": v.path, "output_path": v.path + ".gz"},
           writes=True, zh="用 gzip 把 {path} 压缩成 {output_path}"),
    Intent("hash_file", "compute all the checksums of {path}", (), path_only, fixed={"algorithm": "all"},
           zh="计算 {path} 的所有校验和"),
    Intent("hash_crc32", "calculate the CRC32 of {path}", (), path_only, zh="算一下 {path} 的 CRC32 值"),
    Intent("hash_find_duplicates", "look for duplicate files in the {path} folder", (), folder_only, path_arg="",
           zh="在 {path} 文件夹里查找重复的文件"),
    Intent("base64_encode_file", "encode {path} as base64 text", ("image",), path_only,
           zh="把 {path} 编码成 base64 文本"),
    Intent("folder_size_by_extension", "break down the size of the {path} folder by file extension", (), folder_only,
           path_arg="", zh="按文件扩展名统计 {path} 文件夹的大小"),
    Intent("hash_text", "compute the {algorithm} hash of the text {text}", PROSE, _text_hash, path_arg="",
           zh="计算文本 {text} 的 {algorithm} 哈希值"),
)
