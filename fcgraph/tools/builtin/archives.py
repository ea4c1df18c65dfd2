"""Archive, checksum, encoding and comparison tools: zip, tar.gz, gzip, hashes, base64 and diffs.

Archives are written reproducibly (sorted entries, a fixed 1980-01-01 timestamp, fixed permissions),
so zipping the same files twice gives byte-identical archives. Extraction checks every entry before
writing anything and refuses archives whose entries would land outside the target folder (zip-slip),
tar links leading out of it, and device files. Paths are relative to the working directory and
confined to it.
"""

import base64
import binascii
import difflib
import gzip
import hashlib
import shutil
import tarfile
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Literal

from fcgraph.tools.builtin import fs as _fs
from fcgraph.tools.paths import ToolError, relative, resolve, sandbox_root

CATEGORY = "archives_hashing"

_FIXED_TIME = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can carry
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o644
_MAX_EXTRACT_BYTES = 500 * 2**20  # declared or actual unpacked size: a bigger archive is most likely a bomb
_MAX_ENTRIES = 20_000
_MAX_TEXT = 200_000  # characters accepted by the text-in tools
_ALGORITHMS = ("md5", "sha1", "sha256", "sha512", "blake2b")
_HEX_LENGTHS = {32: ("md5",), 40: ("sha1",), 64: ("sha256",), 128: ("sha512", "blake2b")}
_CHUNK = 2**16


# ---------------------------------------------------------------- shared helpers
def _output(path: str, overwrite: bool, *inputs: Path) -> Path:
    """A file the tool may create: in the sandbox, not a folder, not one of its inputs, not clobbered unless asked."""
    target = resolve(path, must_exist=False)
    if target == sandbox_root() or target.is_dir():
        raise ToolError(f"'{path}' is a directory; give a file name for the output")
    if target in inputs:
        raise ToolError(f"the output '{path}' must differ from the input")
    if target.exists() and not overwrite:
        raise ToolError(f"'{relative(target)}' already exists; pass overwrite=true to replace it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ToolError(f"cannot create '{path}': a parent path is a file") from None
    return target


def _folder(path: str) -> Path:
    target = resolve(path, must_exist=False)
    if target.exists() and not target.is_dir():
        raise ToolError(f"'{path}' is a file, not a folder")
    return target


def _landing(destination: Path, name: str) -> Path:
    """Where an archive entry would be written; refuses absolute names and names that climb out (zip-slip)."""
    pure = PurePosixPath(name.replace("\\", "/"))
    target = (destination / pure).resolve()
    if pure.is_absolute() or (target != destination and destination not in target.parents):
        raise ToolError(f"refusing to extract: entry '{name}' would be written outside '{relative(destination)}'")
    return target


def _check_size(total: int, count: int) -> None:
    if count > _MAX_ENTRIES:
        raise ToolError(f"the archive has {count} entries, more than the {_MAX_ENTRIES} this tool unpacks")
    if total > _MAX_EXTRACT_BYTES:
        raise ToolError(f"the archive unpacks to {total} bytes, more than the {_MAX_EXTRACT_BYTES} allowed")


def _no_clobber(targets: list[Path], overwrite: bool) -> None:
    existing = [relative(t) for t in targets if t.is_file()]
    if existing and not overwrite:
        raise ToolError(f"{len(existing)} file(s) already exist, e.g. '{existing[0]}'; pass overwrite=true to replace")


def _digest(path: Path, algorithms: tuple[str, ...]) -> dict[str, str]:
    digests = {name: hashlib.new(name) for name in algorithms}
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            for digest in digests.values():
                digest.update(chunk)
    return {name: digest.hexdigest() for name, digest in digests.items()}


def _text_input(name: str, value: str) -> str:
    if len(value) > _MAX_TEXT:
        raise ToolError(f"'{name}' is {len(value)} characters long; at most {_MAX_TEXT} are accepted")
    return value


def _summary(items: list[str], limit: int = 50) -> dict:
    return {"count": len(items), "names": items[:limit], "truncated": len(items) > limit}


# ---------------------------------------------------------------- zip
def _open_zip(path: str, mode: Literal["r", "a"] = "r") -> zipfile.ZipFile:
    archive = _fs._file(path)
    try:
        if zipfile.is_zipfile(archive):  # checked first: mode "a" would otherwise tack a new archive onto any file
            return zipfile.ZipFile(archive, mode)
    except (zipfile.BadZipFile, OSError):
        pass
    raise ToolError(f"'{path}' is not a valid zip archive")


def _zip_info(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, wherever the archive is made
    info.external_attr = (0o100000 | _FILE_MODE) << 16
    info.file_size = size
    return info


def _zip_add(archive: zipfile.ZipFile, name: str, source: Path) -> None:
    with source.open("rb") as src, archive.open(_zip_info(name, source.stat().st_size), "w") as dst:
        shutil.copyfileobj(src, dst, _CHUNK)


def _packed(output: Path, entries: dict[str, Path]) -> dict:
    """What a new archive holds: its path, entry count, and compressed and uncompressed sizes."""
    return {"path": relative(output), "entries": len(entries), "bytes": output.stat().st_size,
            "uncompressed_bytes": sum(p.stat().st_size for p in entries.values())}


def _entries_below(folder: Path, output: Path) -> dict[str, Path]:
    """The files below a folder named from the folder's own name (like `zip -r`), the archive being written left out."""
    base = folder if folder == sandbox_root() else folder.parent
    return {file.relative_to(base).as_posix(): file for file in _fs._walk_files(folder) if file != output}


def _write_zip(output: Path, entries: dict[str, Path]) -> dict:
    with zipfile.ZipFile(output, "w") as archive:
        for name in sorted(entries):
            _zip_add(archive, name, entries[name])
    return _packed(output, entries)


def _member(archive: zipfile.ZipFile, name: str, path: str) -> zipfile.ZipInfo:
    try:
        return archive.getinfo(name)
    except KeyError:
        names = [n for n in archive.namelist() if not n.endswith("/")][:10]
        raise ToolError(f"'{path}' has no entry '{name}'; entries include: {', '.join(names)}") from None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> bytes:
    try:
        return archive.read(info)
    except RuntimeError:  # zipfile's way of saying the entry is encrypted
        raise ToolError(f"entry '{info.filename}' of '{path}' is encrypted") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ToolError(f"entry '{info.filename}' of '{path}' is corrupt: {exc}") from None


def zip_folder(path: str, output_path: str, overwrite: bool = False) -> dict:
    """Compress a folder and everything below it into a zip archive.

    Entry names start with the folder's own name (zipping "hr" gives "hr/employees.csv", ...), like
    `zip -r`. Empty folders are not stored. Returns the archive path, number of entries, and its
    compressed and uncompressed sizes in bytes.

    Args:
        path: Folder to compress, relative to the working directory (e.g. "hr/policies").
        output_path: Zip file to create, e.g. "backups/policies.zip"; missing parent folders are created.
        overwrite: Whether an existing file at output_path may be replaced.
    """
    folder = _fs._directory(path)
    output = _output(output_path, overwrite)
    return _write_zip(output, _entries_below(folder, output))


def zip_files(paths: list[str], output_path: str, overwrite: bool = False) -> dict:
    """Put a list of files into a new zip archive, each stored under its path relative to the working directory.

    Args:
        paths: Files to include, relative to the working directory, e.g. ["hr/employees.csv", "sales/customers.csv"].
        output_path: Zip file to create, e.g. "exports/selection.zip"; missing parent folders are created.
        overwrite: Whether an existing file at output_path may be replaced.
    """
    if not paths:
        raise ToolError("'paths' must list at least one file")
    files = {relative(file): file for file in map(_fs._file, paths)}
    return _write_zip(_output(output_path, overwrite, *files.values()), files)


def zip_list(path: str, limit: int = 100) -> dict:
    """List the entries of a zip archive with their sizes, without extracting anything.

    Also works on other zip-based files such as .xlsx and .docx. Each entry has its name, its
    uncompressed "size" and its "compressed_size" in bytes; folders end with "/".

    Args:
        path: Zip archive to inspect, relative to the working directory.
        limit: Maximum number of entries to return; the totals always cover the whole archive.
    """
    _fs._at_least("limit", limit)
    with _open_zip(path) as archive:
        infos = archive.infolist()
    entries = [{"name": i.filename, "size": i.file_size, "compressed_size": i.compress_size} for i in infos]
    return {"path": relative(resolve(path)), "entries": len(entries), "total_size": sum(i.file_size for i in infos),
            "total_compressed_size": sum(i.compress_size for i in infos), "items": entries[:limit],
            "truncated": len(entries) > limit}


def zip_extract(path: str, destination: str, overwrite: bool = False) -> dict:
    """Extract every entry of a zip archive into a folder.

    All entries are checked before anything is written: an entry whose name is absolute or climbs
    out of the destination with ".." (a "zip-slip" archive) makes the whole extraction fail, as does
    an archive that would unpack to more than 500 MB. Existing files are kept unless overwrite is true.

    Args:
        path: Zip archive to extract, relative to the working directory.
        destination: Folder to extract into, relative to the working directory; created if missing.
        overwrite: Whether files that already exist in the destination may be replaced.
    """
    target = _folder(destination)
    with _open_zip(path) as archive:
        infos = archive.infolist()
        _check_size(sum(i.file_size for i in infos), len(infos))
        landings = [(info, _landing(target, info.filename)) for info in infos]
        _no_clobber([where for info, where in landings if not info.is_dir()], overwrite)
        for info, where in landings:
            if info.is_dir():
                where.mkdir(parents=True, exist_ok=True)
                continue
            where.parent.mkdir(parents=True, exist_ok=True)
            where.write_bytes(_read_member(archive, info, path))
    files = [info.filename for info, _ in landings if not info.is_dir()]
    return {"destination": relative(target), "files": _summary(files)}


def zip_extract_member(path: str, member: str, output_path: str = "", overwrite: bool = False) -> dict:
    """Extract a single entry of a zip archive to a file.

    Args:
        path: Zip archive to read, relative to the working directory.
        member: Name of the entry exactly as zip_list shows it, e.g. "reports/summary.csv".
        output_path: File to write; by default the entry's file name in the archive's folder.
        overwrite: Whether an existing file at the output path may be replaced.
    """
    with _open_zip(path) as archive:
        info = _member(archive, member, path)
        if info.is_dir():
            raise ToolError(f"'{member}' is a folder entry; pick a file entry")
        _check_size(info.file_size, 1)
        default = relative(resolve(path).parent / PurePosixPath(member).name)
        output = _output(output_path or default, overwrite)
        output.write_bytes(_read_member(archive, info, path))
    return {"member": member, "path": relative(output), "bytes": info.file_size}


def zip_read_member(path: str, member: str, max_chars: int = 5000) -> dict:
    """Read one text entry of a zip archive without extracting it (e.g. a CSV or XML part).

    Args:
        path: Zip archive to read, relative to the working directory.
        member: Name of the entry exactly as zip_list shows it.
        max_chars: Maximum number of characters of the entry's text to return.
    """
    _fs._at_least("max_chars", max_chars)
    with _open_zip(path) as archive:
        info = _member(archive, member, path)
        _check_size(info.file_size, 1)
        data = _read_member(archive, info, path)
    if b"\0" in data[:8192]:
        raise ToolError(f"entry '{member}' is binary, not text; use zip_extract_member to save it as a file")
    text = data.decode("utf-8", errors="replace")
    return {"member": member, "chars": len(text), "text": text[:max_chars], "truncated": len(text) > max_chars}


def zip_add_file(path: str, file: str, entry_name: str = "") -> dict:
    """Add a file to a zip archive, creating the archive if it does not exist yet.

    A zip archive cannot hold two entries with the same name, so adding a name already present fails.

    Args:
        path: Zip archive to add to, relative to the working directory, e.g. "exports/bundle.zip".
        file: File to add, relative to the working directory.
        entry_name: Name of the new entry inside the archive; by default the file's path in the working directory.
    """
    source = _fs._file(file)
    name = entry_name.strip().lstrip("/") or relative(source)
    if ".." in PurePosixPath(name).parts:
        raise ToolError(f"entry name '{entry_name}' must not contain '..'")
    if not resolve(path, must_exist=False).exists():
        zipfile.ZipFile(_output(path, False, source), "w").close()
    elif resolve(path) == source:
        raise ToolError("a zip archive cannot contain itself")
    with _open_zip(path, "a") as archive:
        if name in archive.NameToInfo:
            raise ToolError(f"'{path}' already has an entry named '{name}'; choose another entry_name")
        _zip_add(archive, name, source)
        count = len(archive.infolist())
    return {"path": relative(resolve(path)), "added": name, "entries": count}


def zip_test(path: str) -> dict:
    """Check a zip archive's integrity by decompressing every entry and verifying its CRC checksum.

    Returns "ok" (true when every entry reads back intact), the number of entries and the names of
    damaged or encrypted entries with the reason.

    Args:
        path: Zip archive to test, relative to the working directory (also .xlsx or .docx files).
    """
    bad = []
    with _open_zip(path) as archive:
        infos = archive.infolist()
        for info in infos:
            try:
                with archive.open(info) as entry:
                    while entry.read(_CHUNK):
                        pass
            except RuntimeError:
                bad.append({"name": info.filename, "problem": "encrypted"})
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                bad.append({"name": info.filename, "problem": str(exc) or type(exc).__name__})
    return {"path": relative(resolve(path)), "ok": not bad, "entries": len(infos), "bad_entries": bad[:50]}


# ---------------------------------------------------------------- tar.gz and gzip
def _tar_entry(archive: tarfile.TarFile, name: str, source: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = source.stat().st_size, _FIXED_TIME, _FILE_MODE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with source.open("rb") as handle:
        archive.addfile(info, handle)


def _open_tar(path: str) -> tarfile.TarFile:
    try:
        return tarfile.open(_fs._file(path), "r:*")
    except (tarfile.TarError, OSError, EOFError):
        raise ToolError(f"'{path}' is not a readable tar archive (.tar, .tar.gz, .tgz, .tar.bz2 or .tar.xz)") from None


def _kind(member: tarfile.TarInfo) -> str:
    return ("dir" if member.isdir() else "file" if member.isfile() else "symlink" if member.issym()
            else "hardlink" if member.islnk() else "special")


def tar_create(path: str, output_path: str, overwrite: bool = False) -> dict:
    """Pack a folder (or a single file) into a gzip-compressed tar archive (.tar.gz).

    Entry names start with the folder's own name, like `tar czf out.tar.gz folder`. Owners are
    dropped and timestamps fixed, so the same content always gives the same archive.

    Args:
        path: Folder or file to pack, relative to the working directory.
        output_path: Archive to create, e.g. "backups/hr.tar.gz"; missing parent folders are created.
        overwrite: Whether an existing file at output_path may be replaced.
    """
    source = resolve(path)
    output = _output(output_path, overwrite, source)
    entries = _entries_below(source, output) if source.is_dir() else {source.name: source}
    with (output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as packed,
          tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as archive):
        for name in sorted(entries):
            _tar_entry(archive, name, entries[name])
    return _packed(output, entries)


def tar_list(path: str, limit: int = 100) -> dict:
    """List the entries of a tar archive (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz) without extracting it.

    Each entry has its name, size in bytes and type ("file", "dir", "symlink", "hardlink" or "special").

    Args:
        path: Tar archive to inspect, relative to the working directory.
        limit: Maximum number of entries to return; the totals always cover the whole archive.
    """
    _fs._at_least("limit", limit)
    with _open_tar(path) as archive:
        members = archive.getmembers()
    items = [{"name": m.name, "size": m.size, "type": _kind(m)} for m in members]
    return {"path": relative(resolve(path)), "entries": len(items), "total_size": sum(m.size for m in members),
            "items": items[:limit], "truncated": len(items) > limit}


def tar_extract(path: str, destination: str, overwrite: bool = False) -> dict:
    """Extract a tar archive (.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz) into a folder.

    Every entry is checked first: absolute names, names climbing out with "..", links pointing
    outside the destination, and device or pipe files make the whole extraction fail. Owners and
    unusual permissions are not restored. Existing files are kept unless overwrite is true.

    Args:
        path: Tar archive to extract, relative to the working directory.
        destination: Folder to extract into, relative to the working directory; created if missing.
        overwrite: Whether files that already exist in the destination may be replaced.
    """
    target = _folder(destination)
    with _open_tar(path) as archive:
        members = archive.getmembers()
        _check_size(sum(m.size for m in members), len(members))
        for member in members:
            _landing(target, member.name)
            try:
                tarfile.data_filter(member, str(target))
            except tarfile.FilterError as exc:
                raise ToolError(f"refusing to extract '{path}': {exc}") from None
        _no_clobber([target / m.name for m in members if not m.isdir()], overwrite)
        target.mkdir(parents=True, exist_ok=True)
        archive.extractall(target, filter="data")
    return {"destination": relative(target), "files": _summary([m.name for m in members if not m.isdir()])}


def gzip_compress(path: str, output_path: str = "", overwrite: bool = False) -> dict:
    """Compress one file with gzip; the original file is kept.

    Args:
        path: File to compress, relative to the working directory.
        output_path: Compressed file to create; by default the file's own path with ".gz" appended.
        overwrite: Whether an existing file at the output path may be replaced.
    """
    source = _fs._file(path)
    output = _output(output_path or relative(source) + ".gz", overwrite, source)
    with source.open("rb") as src, output.open("wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename=source.name) as dst:
        shutil.copyfileobj(src, dst, _CHUNK)
    size, packed = source.stat().st_size, output.stat().st_size
    return {"path": relative(output), "original_bytes": size, "compressed_bytes": packed,
            "ratio": round(packed / size, 4) if size else None}


def gzip_decompress(path: str, output_path: str = "", overwrite: bool = False) -> dict:
    """Decompress a gzip file; the compressed file is kept.

    Args:
        path: Gzip file to decompress, relative to the working directory (usually ending in ".gz").
        output_path: File to create; by default the input's path without ".gz" (required when it has no such ending).
        overwrite: Whether an existing file at the output path may be replaced.
    """
    source = _fs._file(path)
    if not output_path and source.suffix.lower() != ".gz":
        raise ToolError(f"'{path}' does not end in .gz; give output_path")
    output = _output(output_path or relative(source.with_suffix("")), overwrite, source)
    written, problem = 0, ""
    try:
        with gzip.open(source, "rb") as src, output.open("wb") as dst:
            while (chunk := src.read(_CHUNK)) and not problem:
                written += len(chunk)
                problem = f"unpacks to more than {_MAX_EXTRACT_BYTES} bytes" if written > _MAX_EXTRACT_BYTES else ""
                dst.write(chunk)
    except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
        problem = f"is not a valid gzip file ({exc})"
    if problem:
        output.unlink(missing_ok=True)
        raise ToolError(f"'{path}' {problem}")
    return {"path": relative(output), "bytes": written}


# ---------------------------------------------------------------- hashes
def hash_file(path: str, algorithm: Literal["md5", "sha1", "sha256", "sha512", "blake2b", "all"] = "all") -> dict:
    """Compute a file's checksums: one algorithm, or all of MD5, SHA-1, SHA-256, SHA-512 and BLAKE2b at once.

    Hashes are lowercase hexadecimal strings, keyed by algorithm name.

    Args:
        path: File to hash, relative to the working directory.
        algorithm: "md5", "sha1", "sha256", "sha512", "blake2b", or "all" for every one of them.
    """
    if algorithm not in (*_ALGORITHMS, "all"):
        raise ToolError(f"unsupported algorithm '{algorithm}'; use one of {', '.join(_ALGORITHMS)} or all")
    source = _fs._file(path)
    chosen = _ALGORITHMS if algorithm == "all" else (algorithm,)
    return {"path": relative(source), "size": source.stat().st_size, "hashes": _digest(source, chosen)}


def hash_verify(path: str, expected: str,
                algorithm: Literal["auto", "md5", "sha1", "sha256", "sha512", "blake2b"] = "auto") -> dict:
    """Check a file against an expected checksum, e.g. one published next to a download.

    With "auto" the algorithm is inferred from the checksum's length (32 hex digits MD5, 40 SHA-1,
    64 SHA-256, 128 SHA-512 or BLAKE2b). Case and surrounding spaces do not matter, and a
    "sha256sum"-style line ("<hash>  <file name>") is accepted.

    Args:
        path: File to check, relative to the working directory.
        expected: Expected checksum in hexadecimal, e.g. "9f86d081884c7d65...".
        algorithm: Algorithm of the expected checksum, or "auto" to infer it from its length.
    """
    if algorithm not in ("auto", *_ALGORITHMS):
        raise ToolError(f"unsupported algorithm '{algorithm}'; use auto or one of {', '.join(_ALGORITHMS)}")
    wanted = (expected.split() or [""])[0].lower()
    candidates = _HEX_LENGTHS.get(len(wanted), ()) if algorithm == "auto" else (algorithm,)
    if not candidates or any(c not in "0123456789abcdef" for c in wanted):
        raise ToolError("'expected' must be a hexadecimal checksum of 32, 40, 64 or 128 digits")
    source = _fs._file(path)
    actual = _digest(source, candidates)
    name = next((n for n in candidates if actual[n] == wanted), candidates[0])
    return {"path": relative(source), "algorithm": name, "expected": wanted, "actual": actual[name],
            "match": actual[name] == wanted}


def hash_text(text: str, algorithm: Literal["md5", "sha1", "sha256", "sha512", "blake2b"] = "sha256") -> dict:
    """Hash a piece of text (encoded as UTF-8) and return the hexadecimal digest.

    Args:
        text: Text to hash, exactly as given (no trailing newline is added).
        algorithm: "md5", "sha1", "sha256", "sha512" or "blake2b".
    """
    if algorithm not in _ALGORITHMS:
        raise ToolError(f"unsupported algorithm '{algorithm}'; use one of {', '.join(_ALGORITHMS)}")
    data = _text_input("text", text).encode("utf-8")
    return {"algorithm": algorithm, "hash": hashlib.new(algorithm, data).hexdigest()}


def hash_crc32(path: str) -> dict:
    """Compute the CRC-32 checksum of a file (as used by zip, gzip and PNG), as 8 hex digits and as an integer.

    Args:
        path: File to checksum, relative to the working directory.
    """
    source = _fs._file(path)
    crc = 0
    with source.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            crc = zlib.crc32(chunk, crc)
    return {"path": relative(source), "crc32": f"{crc:08x}", "value": crc}


def hash_find_duplicates(path: str = ".", min_size: int = 1, limit: int = 20) -> dict:
    """Find files with identical content under a folder (all subfolders included), by SHA-256.

    Returns groups of identical files, largest waste first; "wasted_bytes" is what deleting all but
    one copy in every group would free.

    Args:
        path: Folder to search, relative to the working directory.
        min_size: Smallest file size in bytes to consider; 1 skips empty files.
        limit: Maximum number of duplicate groups to return.
    """
    _fs._at_least("min_size", min_size, 0)
    _fs._at_least("limit", limit)
    by_size: dict[int, list[Path]] = defaultdict(list)
    for file in _fs._walk_files(_fs._directory(path)):
        if (size := file.stat().st_size) >= min_size:
            by_size[size].append(file)
    groups = []
    for size, files in by_size.items():
        by_hash: dict[str, list[str]] = defaultdict(list)
        for file in files if len(files) > 1 else ():
            by_hash[_digest(file, ("sha256",))["sha256"]].append(relative(file))
        groups += [{"sha256": digest, "size": size, "files": sorted(names)}
                   for digest, names in by_hash.items() if len(names) > 1]
    groups.sort(key=lambda g: (-g["size"] * (len(g["files"]) - 1), g["files"][0]))
    return {"groups": groups[:limit], "duplicate_groups": len(groups),
            "wasted_bytes": sum(g["size"] * (len(g["files"]) - 1) for g in groups)}


# ---------------------------------------------------------------- base64
def _b64decode(data: str) -> bytes:
    """Standard or URL-safe base64, with or without padding, line breaks or a "data:...;base64," prefix."""
    body = "".join(data.split(",", 1)[1].split() if data.lstrip().startswith("data:") else data.split())
    body = body.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ToolError("the input is not valid base64 text") from None


def _b64encode(data: bytes, url_safe: bool) -> str:
    return (base64.urlsafe_b64encode if url_safe else base64.b64encode)(data).decode("ascii")


def base64_encode_file(path: str, output_path: str = "", max_chars: int = 4000, url_safe: bool = False) -> dict:
    """Encode a file's bytes as base64 text.

    The reply shows at most max_chars characters of the encoding; give output_path to save the
    complete encoding as a text file.

    Args:
        path: File to encode, relative to the working directory (limit 50 MB).
        output_path: Optional text file to write the full base64 encoding to; empty to only return it.
        max_chars: Maximum number of base64 characters to include in the reply.
        url_safe: Whether to use the URL-safe alphabet ("-" and "_" instead of "+" and "/").
    """
    _fs._at_least("max_chars", max_chars)
    source = _fs._file(path)
    if source.stat().st_size > 50 * 2**20:
        raise ToolError(f"'{path}' is larger than 50 MB; base64 would be too big to be useful")
    encoded = _b64encode(source.read_bytes(), url_safe)
    result = {"path": relative(source), "bytes": source.stat().st_size, "base64_chars": len(encoded),
              "base64": encoded[:max_chars], "truncated": len(encoded) > max_chars}
    if output_path:
        output = _output(output_path, False, source)
        output.write_text(encoded + "\n", encoding="ascii")
        result["output_path"] = relative(output)
    return result


def base64_decode_file(path: str, output_path: str, overwrite: bool = False) -> dict:
    """Decode a text file containing base64 (e.g. an exported attachment) back into the original bytes.

    Line breaks and a "data:<type>;base64," prefix are ignored; the URL-safe alphabet is accepted.

    Args:
        path: Text file holding the base64 text, relative to the working directory.
        output_path: File to write the decoded bytes to, e.g. "images/restored.png".
        overwrite: Whether an existing file at output_path may be replaced.
    """
    source = _fs._file(path)
    if source.stat().st_size > 70 * 2**20:
        raise ToolError(f"'{path}' is larger than 70 MB; refusing to decode it")
    data = _b64decode(source.read_bytes().decode("ascii", errors="replace"))
    output = _output(output_path, overwrite, source)
    output.write_bytes(data)
    return {"path": relative(output), "bytes": len(data)}


def base64_encode_text(text: str, url_safe: bool = False) -> dict:
    """Encode a piece of text (as UTF-8 bytes) in base64.

    Args:
        text: Text to encode (up to 200,000 characters).
        url_safe: Whether to use the URL-safe alphabet ("-" and "_" instead of "+" and "/").
    """
    return {"base64": _b64encode(_text_input("text", text).encode("utf-8"), url_safe)}


def base64_decode_text(data: str, max_chars: int = 10000) -> dict:
    """Decode a base64 string and show the result as text when it is UTF-8, otherwise as hexadecimal bytes.

    Args:
        data: Base64 text to decode (standard or URL-safe alphabet, padding optional).
        max_chars: Maximum number of decoded characters (or hex digits for binary data) to return.
    """
    _fs._at_least("max_chars", max_chars)
    decoded = _b64decode(_text_input("data", data))
    try:
        text, binary = decoded.decode("utf-8"), False
    except UnicodeDecodeError:
        text, binary = decoded.hex(), True
    return {"bytes": len(decoded), "binary": binary, "text" if not binary else "hex": text[:max_chars],
            "truncated": len(text) > max_chars}


# ---------------------------------------------------------------- comparing
def _first_difference(a: bytes, b: bytes) -> int | None:
    if a == b:
        return None
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _line(lines: list[str], index: int) -> str | None:
    return lines[index][:300] if index < len(lines) else None


def _decoded(data: bytes) -> list[str] | None:
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None


def diff_compare_files(path_a: str, path_b: str) -> dict:
    """Tell whether two files are byte-for-byte identical and, if not, where they first differ.

    Gives the 0-based offset of the first differing byte and, when both files are text, the 1-based
    number of the first differing line with that line from each file (null past a file's end).

    Args:
        path_a: First file, relative to the working directory.
        path_b: Second file, relative to the working directory.
    """
    file_a, file_b = _fs._file(path_a), _fs._file(path_b)
    data_a, data_b = file_a.read_bytes(), file_b.read_bytes()
    offset = _first_difference(data_a, data_b)
    result = {"path_a": relative(file_a), "path_b": relative(file_b), "identical": offset is None,
              "size_a": len(data_a), "size_b": len(data_b), "first_difference_byte": offset}
    lines_a, lines_b = _decoded(data_a), _decoded(data_b)
    if offset is not None and lines_a is not None and lines_b is not None:
        line = next((i for i, (x, y) in enumerate(zip(lines_a, lines_b)) if x != y), min(len(lines_a), len(lines_b)))
        if line == len(lines_a) == len(lines_b):
            line = data_a.count(b"\n", 0, offset)  # only the line endings differ
        result |= {"first_difference_line": line + 1, "line_a": _line(lines_a, line), "line_b": _line(lines_b, line)}
    return result


def diff_unified(path_a: str, path_b: str, context_lines: int = 3, max_lines: int = 200) -> dict:
    """Show the line-by-line differences between two text files as a unified diff (like `diff -u`).

    Lines starting with "-" are only in path_a, lines starting with "+" only in path_b. Also counts
    the added and removed lines over the whole diff, even when the shown text is cut at max_lines.

    Args:
        path_a: Original text file, relative to the working directory.
        path_b: Changed text file, relative to the working directory.
        context_lines: Number of unchanged lines shown around each change.
        max_lines: Maximum number of diff lines to return.
    """
    _fs._at_least("context_lines", context_lines, 0)
    _fs._at_least("max_lines", max_lines)
    (file_a, lines_a), (file_b, lines_b) = _fs._text_lines(path_a), _fs._text_lines(path_b)
    diff = list(difflib.unified_diff(lines_a, lines_b, relative(file_a), relative(file_b), n=context_lines,
                                     lineterm=""))
    body = diff[2:]
    return {"identical": not diff, "added": sum(1 for d in body if d.startswith("+")),
            "removed": sum(1 for d in body if d.startswith("-")), "diff": "\n".join(diff[:max_lines]),
            "truncated": len(diff) > max_lines}


def folder_size_by_extension(path: str = ".", limit: int = 20) -> dict:
    """Total size and file count of a folder (all subfolders included), broken down by file extension.

    Extensions are lowercased ("" for files without one); the breakdown is sorted by size, largest first.

    Args:
        path: Folder to measure, relative to the working directory.
        limit: Maximum number of extensions to list.
    """
    _fs._at_least("limit", limit)
    folder = _fs._directory(path)
    files = _fs._walk_files(folder)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for file in files:
        entry = totals[file.suffix.lower()]
        entry[0] += 1
        entry[1] += file.stat().st_size
    rows = sorted(({"extension": ext, "files": n, "bytes": size} for ext, (n, size) in totals.items()),
                  key=lambda row: (-row["bytes"], row["extension"]))
    return {"path": relative(folder), "files": len(files), "bytes": sum(row["bytes"] for row in rows),
            "by_extension": rows[:limit], "truncated": len(rows) > limit}
