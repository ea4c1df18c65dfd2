"""The archives-and-hashing tools, run in a real sandbox worker on a copy of the seed tree.

Expectations come from the standard library used independently (zipfile, tarfile, gzip, hashlib,
zlib, base64, difflib) on the same files, and hostile archives (zip-slip, links and devices in a tar)
are built here to prove they are refused before anything is written.
"""

from __future__ import annotations

import base64
import difflib
import gzip
import hashlib
import io
import tarfile
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path

import pytest
from tool_checks import assert_described, run_every_intent, seed_files

from fcgraph.simulator.intents import archives as archive_intents
from fcgraph.tools.builtin import archives
from fcgraph.tools.discovery import tool_functions

TEXT_FILE = seed_files(".txt")[0]
CSV_A, CSV_B = seed_files(".csv")[:2]
JSON_FILE, PNG_FILE, DB_FILE = seed_files(".json")[0], seed_files(".png")[0], seed_files(".db")[0]
TOP = CSV_A.split("/")[0]  # a top-level folder
SUB = str(Path(seed_files(".pdf")[0]).parent)  # a nested folder


def files_under(root: Path, folder: str) -> list[Path]:
    return sorted(p for p in (root / folder).rglob("*") if p.is_file())


def test_every_parameter_is_described():
    assert len(tool_functions(archives)) >= 20
    assert_described(archives, "archives_hashing")


# ---------------------------------------------------------------- zip
def test_zip_folder_stores_every_file_deterministically(tool_sandbox):
    root = tool_sandbox.root
    first = tool_sandbox.ok("zip_folder", path=TOP, output_path="out/top_a.zip")
    tool_sandbox.ok("zip_folder", path="/" + TOP, output_path="out/top_b.zip")
    expected = {f"{TOP}/{p.relative_to(root / TOP).as_posix()}": p.read_bytes() for p in files_under(root, TOP)}
    with zipfile.ZipFile(root / "out/top_a.zip") as archive:
        assert archive.namelist() == sorted(expected)
        assert {n: archive.read(n) for n in archive.namelist()} == expected
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert first == {"path": "out/top_a.zip", "entries": len(expected),
                     "bytes": (root / "out/top_a.zip").stat().st_size,
                     "uncompressed_bytes": sum(map(len, expected.values()))}
    assert (root / "out/top_a.zip").read_bytes() == (root / "out/top_b.zip").read_bytes()


def test_zip_files_and_list(tool_sandbox):
    root = tool_sandbox.root
    paths = [CSV_A, CSV_B]
    assert tool_sandbox.ok("zip_files", paths=paths, output_path="out/pair.zip")["entries"] == 2
    listing = tool_sandbox.ok("zip_list", path="out/pair.zip")
    with zipfile.ZipFile(root / "out/pair.zip") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(paths)
        assert [archive.read(p) for p in sorted(paths)] == [(root / p).read_bytes() for p in sorted(paths)]
    assert listing["items"] == [{"name": i.filename, "size": i.file_size, "compressed_size": i.compress_size}
                                for i in infos]
    assert listing["total_size"] == sum((root / p).stat().st_size for p in paths)


def test_zip_list_reads_office_files(tool_sandbox):
    docx = next(p for p in sorted(tool_sandbox.root.rglob("*.docx")))
    result = tool_sandbox.ok("zip_list", path=docx.relative_to(tool_sandbox.root).as_posix(), limit=2)
    with zipfile.ZipFile(docx) as archive:
        assert result["entries"] == len(archive.infolist())
    assert len(result["items"]) == 2 and result["truncated"] is (result["entries"] > 2)


def test_zip_extract_round_trip_and_no_clobber(tool_sandbox):
    root = tool_sandbox.root
    tool_sandbox.ok("zip_folder", path=SUB, output_path="out/reports.zip")
    result = tool_sandbox.ok("zip_extract", path="out/reports.zip", destination="unzipped")
    originals = files_under(root, SUB)
    assert result["files"]["count"] == len(originals)
    landed = root / "unzipped" / Path(SUB).name
    assert all((landed / o.relative_to(root / SUB)).read_bytes() == o.read_bytes() for o in originals)
    again = tool_sandbox.call("zip_extract", path="out/reports.zip", destination="unzipped")
    assert again.error_kind == "tool" and "already exist" in again.error
    assert tool_sandbox.ok("zip_extract", path="out/reports.zip", destination="unzipped", overwrite=True)


@pytest.mark.parametrize("evil", ["../escaped.txt", "a/../../escaped.txt", "/tmp/escaped.txt"])
def test_zip_extract_refuses_zip_slip_before_writing(tool_sandbox, evil):
    root = tool_sandbox.root
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("harmless.txt", "fine")
        zip_info = zipfile.ZipInfo("x")
        zip_info.filename = evil  # ZipInfo() would normalise the name; a hostile archive does not
        archive.writestr(zip_info, "gotcha")
    name = f"slip_{abs(hash(evil))}.zip"
    (root / name).write_bytes(buffer.getvalue())
    outcome = tool_sandbox.call("zip_extract", path=name, destination="slip_target")
    assert outcome.error_kind == "tool" and "outside" in outcome.error
    assert not (root / "slip_target").exists()
    assert not (root.parent / "escaped.txt").exists() and not (root / "escaped.txt").exists()


def test_zip_extract_member_and_read_member(tool_sandbox):
    root = tool_sandbox.root
    tool_sandbox.ok("zip_files", paths=[TEXT_FILE, JSON_FILE], output_path="out/members.zip")
    result = tool_sandbox.ok("zip_extract_member", path="out/members.zip", member=TEXT_FILE, output_path="got/list.txt")
    assert result == {"member": TEXT_FILE, "path": "got/list.txt", "bytes": (root / TEXT_FILE).stat().st_size}
    assert (root / "got/list.txt").read_bytes() == (root / TEXT_FILE).read_bytes()
    default = tool_sandbox.ok("zip_extract_member", path="out/members.zip", member=JSON_FILE)
    assert default["path"] == "out/" + Path(JSON_FILE).name
    text = tool_sandbox.ok("zip_read_member", path="out/members.zip", member=TEXT_FILE, max_chars=40)
    assert text["text"] == (root / TEXT_FILE).read_text(encoding="utf-8")[:40]
    missing = tool_sandbox.call("zip_extract_member", path="out/members.zip", member="nope.txt")
    assert missing.error_kind == "tool" and "no entry" in missing.error


def test_zip_add_file(tool_sandbox):
    root = tool_sandbox.root
    created = tool_sandbox.ok("zip_add_file", path="out/grow.zip", file=TEXT_FILE)
    assert created == {"path": "out/grow.zip", "added": TEXT_FILE, "entries": 1}
    tool_sandbox.ok("zip_add_file", path="out/grow.zip", file=CSV_B, entry_name="people.csv")
    with zipfile.ZipFile(root / "out/grow.zip") as archive:
        assert archive.namelist() == [TEXT_FILE, "people.csv"]
        assert archive.read("people.csv") == (root / CSV_B).read_bytes()
        assert archive.testzip() is None
    duplicate = tool_sandbox.call("zip_add_file", path="out/grow.zip", file=CSV_B, entry_name="people.csv")
    assert duplicate.error_kind == "tool" and "already has" in duplicate.error
    before = (root / TEXT_FILE).read_bytes()
    not_zip = tool_sandbox.call("zip_add_file", path=TEXT_FILE, file=CSV_B)
    assert not_zip.error_kind == "tool" and (root / TEXT_FILE).read_bytes() == before


def test_zip_test_finds_damage(tool_sandbox):
    root = tool_sandbox.root
    tool_sandbox.ok("zip_files", paths=[TEXT_FILE], output_path="out/check.zip")
    assert tool_sandbox.ok("zip_test", path="out/check.zip") == {"path": "out/check.zip", "ok": True, "entries": 1,
                                                                 "bad_entries": []}
    data = bytearray((root / "out/check.zip").read_bytes())
    start = 30 + len(TEXT_FILE)  # the local header, then the compressed data
    data[start + 10] ^= 0xFF
    (root / "out/damaged.zip").write_bytes(bytes(data))
    result = tool_sandbox.ok("zip_test", path="out/damaged.zip")
    assert result["ok"] is False and [b["name"] for b in result["bad_entries"]] == [TEXT_FILE]
    assert tool_sandbox.call("zip_test", path=TEXT_FILE).error_kind == "tool"


# ---------------------------------------------------------------- tar and gzip
def test_tar_create_list_extract(tool_sandbox):
    root = tool_sandbox.root
    made = tool_sandbox.ok("tar_create", path=TOP, output_path="out/sales.tar.gz")
    tool_sandbox.ok("tar_create", path=TOP, output_path="out/sales_again.tar.gz")
    assert (root / "out/sales.tar.gz").read_bytes() == (root / "out/sales_again.tar.gz").read_bytes()
    originals = {f"{TOP}/{p.relative_to(root / TOP).as_posix()}": p.read_bytes() for p in files_under(root, TOP)}
    with tarfile.open(root / "out/sales.tar.gz") as archive:
        members = archive.getmembers()
        assert [m.name for m in members] == sorted(originals)
        assert {(m.uid, m.gid, m.mtime) for m in members} == {(0, 0, 315532800)}
        assert {m.name: archive.extractfile(m).read() for m in members} == originals
    assert made["entries"] == len(originals)
    listing = tool_sandbox.ok("tar_list", path="out/sales.tar.gz", limit=3)
    assert listing["entries"] == len(originals) and len(listing["items"]) == 3
    assert listing["items"][0] == {"name": members[0].name, "size": members[0].size, "type": "file"}
    result = tool_sandbox.ok("tar_extract", path="out/sales.tar.gz", destination="untarred")
    assert result["files"]["count"] == len(originals)
    assert {n: (root / "untarred" / n).read_bytes() for n in originals} == originals
    assert tool_sandbox.call("tar_extract", path="out/sales.tar.gz", destination="untarred").error_kind == "tool"


def _hostile_tar(kind: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        ok = tarfile.TarInfo("fine.txt")
        ok.size = 4
        archive.addfile(ok, io.BytesIO(b"fine"))
        bad = tarfile.TarInfo({"dotdot": "../escaped.txt", "absolute": "/tmp/escaped.txt"}.get(kind, "bad"))
        if kind == "symlink":
            bad.type, bad.linkname = tarfile.SYMTYPE, "/etc/passwd"
        elif kind == "relative_link":
            bad.type, bad.linkname = tarfile.SYMTYPE, "../../outside"
        elif kind == "device":
            bad.type, bad.devmajor, bad.devminor = tarfile.CHRTYPE, 1, 3
        else:
            bad.size = 6
        archive.addfile(bad, io.BytesIO(b"gotcha") if bad.isfile() else None)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink", "relative_link", "device"])
def test_tar_extract_refuses_escapes_links_and_devices(tool_sandbox, kind):
    root = tool_sandbox.root
    (root / f"hostile_{kind}.tar.gz").write_bytes(_hostile_tar(kind))
    outcome = tool_sandbox.call("tar_extract", path=f"hostile_{kind}.tar.gz", destination=f"tar_target_{kind}")
    assert outcome.error_kind == "tool" and "refusing" in outcome.error
    assert not (root / f"tar_target_{kind}").exists()
    assert not (root.parent / "escaped.txt").exists()


def test_gzip_round_trip(tool_sandbox):
    root = tool_sandbox.root
    original = (root / TEXT_FILE).read_bytes()
    (root / "gz").mkdir()
    (root / "gz/notes.txt").write_bytes(original)  # a copy, so the intents test can still gzip the seed file
    packed = tool_sandbox.ok("gzip_compress", path="gz/notes.txt")
    assert packed["path"] == "gz/notes.txt.gz" and packed["original_bytes"] == len(original)
    assert gzip.decompress((root / packed["path"]).read_bytes()) == original
    assert tool_sandbox.call("gzip_compress", path="gz/notes.txt").error_kind == "tool"  # no silent overwrite
    unpacked = tool_sandbox.ok("gzip_decompress", path=packed["path"], output_path="got/checklist.txt")
    assert unpacked == {"path": "got/checklist.txt", "bytes": len(original)}
    assert (root / "got/checklist.txt").read_bytes() == original
    bad = tool_sandbox.call("gzip_decompress", path=CSV_B, output_path="got/x.csv")
    assert bad.error_kind == "tool" and not (root / "got/x.csv").exists()


# ---------------------------------------------------------------- hashes
@pytest.mark.parametrize("path", [CSV_B, PNG_FILE, DB_FILE])
def test_hash_file_every_algorithm(tool_sandbox, path):
    data = (tool_sandbox.root / path).read_bytes()
    result = tool_sandbox.ok("hash_file", path=path)
    assert result["hashes"] == {name: hashlib.new(name, data).hexdigest()
                                for name in ("md5", "sha1", "sha256", "sha512", "blake2b")}
    assert tool_sandbox.ok("hash_file", path=path, algorithm="sha512")["hashes"] == {
        "sha512": hashlib.sha512(data).hexdigest()}
    assert tool_sandbox.ok("hash_crc32", path=path)["crc32"] == f"{zlib.crc32(data):08x}"


def test_hash_verify(tool_sandbox):
    data = (tool_sandbox.root / TEXT_FILE).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert tool_sandbox.ok("hash_verify", path=TEXT_FILE, expected=sha.upper())["match"] is True
    assert tool_sandbox.ok("hash_verify", path=TEXT_FILE, expected=f"{sha}  onboarding_checklist.txt")["match"] is True
    md5 = tool_sandbox.ok("hash_verify", path=TEXT_FILE, expected=hashlib.md5(data).hexdigest())
    assert md5["algorithm"] == "md5" and md5["match"] is True
    blake = tool_sandbox.ok("hash_verify", path=TEXT_FILE, expected=hashlib.blake2b(data).hexdigest())
    assert blake["algorithm"] == "blake2b" and blake["match"] is True
    wrong = tool_sandbox.ok("hash_verify", path=TEXT_FILE, expected="0" * 64)
    assert wrong["match"] is False and wrong["actual"] == sha
    assert tool_sandbox.call("hash_verify", path=TEXT_FILE, expected="xyz").error_kind == "tool"


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha256", "sha512", "blake2b"])
def test_hash_text(tool_sandbox, algorithm):
    assert tool_sandbox.ok("hash_text", text="Northpeak – Ü", algorithm=algorithm)["hash"] == hashlib.new(
        algorithm, "Northpeak – Ü".encode()).hexdigest()


def test_hash_find_duplicates(tool_sandbox):
    root = tool_sandbox.root
    (root / "dups/deeper").mkdir(parents=True)
    for target in ("dups/a.csv", "dups/deeper/b.csv"):
        (root / target).write_bytes((root / CSV_B).read_bytes())
    found = tool_sandbox.ok("hash_find_duplicates", path="dups")
    size = (root / CSV_B).stat().st_size
    assert found["groups"] == [{"sha256": hashlib.sha256((root / CSV_B).read_bytes()).hexdigest(),
                                "size": size, "files": ["dups/a.csv", "dups/deeper/b.csv"]}]
    assert found["wasted_bytes"] == size
    groups = defaultdict(list)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.stat().st_size):
        groups[hashlib.sha256(path.read_bytes()).hexdigest()].append(path.relative_to(root).as_posix())
    expected = {h: names for h, names in groups.items() if len(names) > 1}
    everything = tool_sandbox.ok("hash_find_duplicates", limit=1000)
    assert {g["sha256"]: g["files"] for g in everything["groups"]} == expected


# ---------------------------------------------------------------- base64
def test_base64_file_round_trip(tool_sandbox):
    root = tool_sandbox.root
    image = PNG_FILE
    data = (root / image).read_bytes()
    encoded = tool_sandbox.ok("base64_encode_file", path=image, output_path="out/logo.b64", max_chars=100)
    assert encoded["base64"] == base64.b64encode(data).decode()[:100] and encoded["truncated"] is True
    assert (root / "out/logo.b64").read_text().strip() == base64.b64encode(data).decode()
    decoded = tool_sandbox.ok("base64_decode_file", path="out/logo.b64", output_path="out/logo_copy.png")
    assert decoded["bytes"] == len(data) and (root / "out/logo_copy.png").read_bytes() == data
    url = tool_sandbox.ok("base64_encode_file", path=image, url_safe=True, max_chars=10**7)["base64"]
    assert url == base64.urlsafe_b64encode(data).decode()
    assert tool_sandbox.call("base64_decode_file", path=TEXT_FILE, output_path="out/junk.bin").error_kind == "tool"


def test_base64_text(tool_sandbox):
    text = "Trail Days – July 🎒"
    encoded = tool_sandbox.ok("base64_encode_text", text=text)["base64"]
    assert encoded == base64.b64encode(text.encode()).decode()
    assert tool_sandbox.ok("base64_decode_text", data=encoded)["text"] == text
    unpadded = base64.urlsafe_b64encode(b"\xff\xfe\x00\x01ab").decode().rstrip("=")
    binary = tool_sandbox.ok("base64_decode_text", data=unpadded)
    assert binary == {"bytes": 6, "binary": True, "hex": "fffe00016162", "truncated": False}
    assert tool_sandbox.call("base64_decode_text", data="not base64 at all!").error_kind == "tool"


# ---------------------------------------------------------------- comparing
def test_diff_compare_files(tool_sandbox):
    root = tool_sandbox.root
    lines = (root / TEXT_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    changed = lines[:2] + ["A CHANGED LINE\n"] + lines[3:]
    (root / "cmp").mkdir()
    (root / "cmp/same.txt").write_bytes((root / TEXT_FILE).read_bytes())
    (root / "cmp/changed.txt").write_text("".join(changed), encoding="utf-8")
    same = tool_sandbox.ok("diff_compare_files", path_a=TEXT_FILE, path_b="cmp/same.txt")
    assert same["identical"] is True and same["first_difference_byte"] is None
    diff = tool_sandbox.ok("diff_compare_files", path_a=TEXT_FILE, path_b="cmp/changed.txt")
    a, b = (root / TEXT_FILE).read_bytes(), (root / "cmp/changed.txt").read_bytes()
    offset = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
    assert diff["identical"] is False and diff["first_difference_byte"] == offset
    assert (diff["first_difference_line"], diff["line_a"], diff["line_b"]) == (
        3, lines[2].rstrip("\n"), "A CHANGED LINE")
    binary = tool_sandbox.ok("diff_compare_files", path_a=PNG_FILE, path_b=TEXT_FILE)
    assert binary["identical"] is False and "first_difference_line" not in binary


def test_diff_unified(tool_sandbox):
    root = tool_sandbox.root
    original = (root / CSV_A).read_text(encoding="utf-8").splitlines()
    edited = original[:3] + ["C999,New Customer"] + original[5:]
    (root / "cmp_unified").mkdir()
    (root / "cmp_unified/customers.csv").write_text("\n".join(edited) + "\n", encoding="utf-8")
    result = tool_sandbox.ok("diff_unified", path_a=CSV_A, path_b="cmp_unified/customers.csv")
    expected = list(difflib.unified_diff(original, edited, CSV_A, "cmp_unified/customers.csv", lineterm=""))
    assert result["diff"] == "\n".join(expected)
    assert (result["added"], result["removed"], result["identical"]) == (1, 2, False)
    cut = tool_sandbox.ok("diff_unified", path_a=CSV_A, path_b="cmp_unified/customers.csv", max_lines=3)
    assert cut["truncated"] is True and cut["diff"].count("\n") == 2
    assert tool_sandbox.call("diff_unified", path_a=DB_FILE, path_b=TEXT_FILE).error_kind == "tool"


def test_folder_size_by_extension(tool_sandbox):
    root = tool_sandbox.root
    expected = defaultdict(lambda: [0, 0])
    for path in files_under(root, TOP):
        expected[path.suffix.lower()][0] += 1
        expected[path.suffix.lower()][1] += path.stat().st_size
    result = tool_sandbox.ok("folder_size_by_extension", path=TOP)
    assert {r["extension"]: [r["files"], r["bytes"]] for r in result["by_extension"]} == expected
    assert result["bytes"] == sum(b for _, b in expected.values())
    assert [r["bytes"] for r in result["by_extension"]] == sorted((b for _, b in expected.values()), reverse=True)


@pytest.mark.parametrize(("tool", "arguments"), [
    ("zip_list", {"path": "missing.zip"}),
    ("zip_folder", {"path": TEXT_FILE, "output_path": "out/x.zip"}),
    ("zip_files", {"paths": [], "output_path": "out/x.zip"}),
    ("zip_folder", {"path": TOP, "output_path": "../outside.zip"}),
    ("tar_list", {"path": TEXT_FILE}),
    ("hash_file", {"path": TOP}),
    ("gzip_decompress", {"path": TEXT_FILE}),
])
def test_caller_mistakes_are_tool_errors(tool_sandbox, tool, arguments):
    assert tool_sandbox.call(tool, **arguments).error_kind == "tool"


def test_every_intent_reads_back_and_runs(tool_sandbox):
    run_every_intent(tool_sandbox, archive_intents.INTENTS, archives.__name__)
