"""The image benchmark's builder (issue 22), on small git mirrors made here."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from lab import corpus
from lab.collect import photos, wildreceipt
from strongroom.measure.evaluate import load_rows


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "JPEG")
    return out.getvalue()


def git(git_dir: Path, work: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", f"--work-tree={work}", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def commit(git_dir: Path, work: Path, files: dict[str, bytes | None]) -> str:
    """Write (bytes) or delete (None) files, commit them; the commit's id."""
    for name, data in files.items():
        path = work / name
        if data is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    git(git_dir, work, "add", "-A")
    git(git_dir, work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    return git(git_dir, work, "rev-parse", "HEAD")


def mirror(root: Path, repo: str) -> tuple[Path, Path]:
    git_dir = photos.mirror_of(root, repo)
    git_dir.parent.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "--bare", str(git_dir)], check=True)
    work = git_dir.parent / "work"
    work.mkdir()
    return git_dir, work


def sroie_record(key: str, words: list[str], total: str) -> dict:
    return {"key": key, "entities": {"company": "ABC TRADING", "date": "09/01/2019",
                                     "address": "", "total": total},
            "words": words, "bboxes": [[10, 10 + 30 * i, 200, 35 + 30 * i]
                                       for i in range(len(words))]}


@pytest.fixture
def mirrors(tmp_path, monkeypatch):
    root = tmp_path / "mirrors"
    images, work = mirror(root, photos.SROIE_IMAGES)
    d = photos.SROIE_IMAGE_DIR
    commit(images, work, {f"{d}X1.jpg": jpeg(40, 60), f"{d}X2.jpg": jpeg(40, 60),
                          f"{d}TRAIN1.jpg": jpeg(40, 60), f"{d}X3.jpg": jpeg(40, 60)})
    head = commit(images, work, {f"{d}X2.jpg": None, "README": b"moved"})
    monkeypatch.setattr(photos, "SROIE_IMAGES_COMMIT", head)

    labels, work = mirror(root, photos.SROIE_LABELS)
    meta = [sroie_record("X1", ["ABC TRADING", "DATE 09/01/2019", "TOTAL 31.00"], "31.00"),
            sroie_record("X2", ["ABC TRADING", "09/01/2019", "TOTAL: 7.50"], "7.50"),
            sroie_record("X3", ["SHOP SEEN IN DEV", "09/01/2019", "TOTAL 5.00"], "5.00")]
    monkeypatch.setattr(photos, "SROIE_LABELS_COMMIT", commit(labels, work, {
        "data/test/metadata.jsonl": "\n".join(map(json.dumps, meta)).encode()}))

    wild, work = mirror(root, photos.WILD)

    def box(text: str, label: int, row: int) -> dict:
        y = 10.0 + 20 * row
        return {"box": [0.0, y + 15, 90.0, y + 15, 90.0, y, 0.0, y], "text": text,
                "label": label}

    records = [{"file_name": f"image_files/Image_1/0/{name}.jpeg", "annotations": [
        box("SHOP", wildreceipt.STORE, 0), box("12/30/2016", wildreceipt.DATE, 1),
        *([box(total, wildreceipt.TOTAL, 2)] if total else [])]}
        for name, total in [("c", "3.00"), ("a", "1.00"), ("b", None), ("d", "4.00")]]
    files: dict[str, bytes | None] = {
        f"wildreceipt/image_files/Image_1/0/{n}.jpeg": jpeg(30, 50) for n in "abcd"}
    files[wildreceipt.PATH] = "\n".join(map(json.dumps, records)).encode()
    monkeypatch.setattr(wildreceipt, "COMMIT", commit(wild, work, files))

    soft, work = mirror(root, photos.SOFTMATIC)

    def block(text: str, top: float, left: float = 0.1) -> dict:
        return {"BlockType": "LINE", "Text": text, "Geometry": {"BoundingBox": {
            "Left": left, "Top": top, "Width": 0.3, "Height": 0.02}}}

    blocks = json.dumps([{"BlockType": "PAGE"}, block("SUMME", 0.5), block("24,23", 0.5, 0.6),
                         block("ALDI", 0.1), {"BlockType": "WORD", "Text": "ALDI"}]).encode()
    d = photos.SOFTMATIC_DIR
    monkeypatch.setattr(photos, "SOFTMATIC_COMMIT", commit(soft, work, {
        f"{d}/A/aldi_02032020_19_02423.jpg": jpeg(20, 80),
        f"{d}/A/aldi_02032020_19_02423_blocks.json": blocks,
        f"{d}/B/aldi_02032020_19_02423_B.jpg": jpeg(30, 90),
        f"{d}/B/aldi_02032020_19_02423_B_blocks.json": blocks,
        f"{d}/C/saturn_08092017_112900.jpg": jpeg(20, 80),
        f"{d}/C/saturn_08092017_112900_blocks.json": blocks,
        f"{d}/C/notes.jpg": jpeg(20, 20)}))

    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"id": "TRAIN1", "text": "SHOP SEEN IN DEV\n09/01/2019\n"
                               "TOTAL 5.00"}) + "\n", encoding="utf-8")
    monkeypatch.setattr(photos, "DEV", dev)
    return root


def test_history_files_finds_images_a_later_commit_removed(mirrors):
    git_dir = photos.mirror_of(mirrors, photos.SROIE_IMAGES)
    found = photos.history_files(git_dir, photos.SROIE_IMAGES_COMMIT, photos.SROIE_IMAGE_DIR)
    assert list(found) == ["TRAIN1.jpg", "X1.jpg", "X2.jpg", "X3.jpg"]
    assert found["X1.jpg"][0] == photos.SROIE_IMAGES_COMMIT  # the newest commit holding it
    assert found["X2.jpg"][0] != photos.SROIE_IMAGES_COMMIT


def test_sroie_keeps_test_receipts_only_and_none_the_dev_set_holds(mirrors, tmp_path):
    out = tmp_path / "corpus"
    assert photos.main(["--mirrors", str(mirrors), "--out", str(out),
                        "--source", "sroie"]) == 0
    rows = [json.loads(x) for x in (out / "photos_sroie.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["photos_sroie/X1", "photos_sroie/X2"]
    assert rows[0]["gold"] == {"total": "31.00", "date": "09/01/2019",
                               "merchant": "ABC TRADING"}
    assert rows[0]["text"] == "ABC TRADING\nDATE 09/01/2019\nTOTAL 31.00"
    assert (rows[0]["image"], rows[0]["width"], rows[0]["height"], rows[0]["transcription"]) \
        == ("photos/sroie/X1.jpg", 40, 60, "human")
    assert (out / rows[1]["image"]).read_bytes()[:2] == b"\xff\xd8"
    loaded = load_rows(out / "photos_sroie.jsonl")
    assert [(r.id, r.doc_type, r.gold["total"]) for r in loaded] == [
        ("photos_sroie/X1", "receipt", "31.00"), ("photos_sroie/X2", "receipt", "7.50")]


def test_wildreceipt_takes_the_first_ids_with_a_total_and_a_date(mirrors, tmp_path):
    rows = [r for r, _ in photos.build_wildreceipt(mirrors, n=2)]
    assert [r["id"] for r in rows] == ["photos_wildreceipt/a", "photos_wildreceipt/c"]
    assert rows[0]["gold"] == {"total": "1.00", "date": "12/30/2016", "merchant": "SHOP"}
    assert rows[0]["image"] == "photos/wildreceipt/a.jpg"


def test_the_router_corpus_leaves_the_image_benchmarks_out(tmp_path):
    row = {"id": "x/1", "collection": "x", "source": "x:a", "doc_type": "receipt",
           "lang": "en", "text": "TOTAL 1.00", "gold": {}}
    for name in ("x.jsonl", "photos_x.jsonl"):
        (tmp_path / name).write_text(json.dumps(row) + "\n", encoding="utf-8")
    docs = corpus.load(tmp_path, dev=tmp_path / "none.jsonl")
    assert [d.id for d in docs] == ["x/1"]


def test_softmatic_gold_is_read_from_the_file_name():
    assert photos.softmatic_gold("aldi_02032020_19_02423") == (
        "aldi_02032020_19_02423", {"date": "2020-03-02", "total": "24,23", "merchant": None})
    assert photos.softmatic_gold("saturn_08092017_112900")[1]["total"] == "1129,00"
    assert photos.softmatic_gold("lidl_02032020_02_00716_B")[0] == "lidl_02032020_02_00716"
    assert photos.softmatic_gold("notes") is None


def test_softmatic_keeps_one_scan_a_receipt_and_marks_its_text_as_ocr(mirrors):
    rows = [r for r, _ in photos.build_softmatic(mirrors)]
    assert [r["id"] for r in rows] == ["photos_softmatic/aldi_02032020_19_02423",
                                       "photos_softmatic/saturn_08092017_112900"]
    assert rows[0]["text"] == "ALDI\nSUMME 24,23"
    assert rows[0]["gold"] == {"date": "2020-03-02", "total": "24,23"}
    assert rows[1]["gold"] == {"date": "2017-09-08", "total": "1129,00"}  # not in the text
    assert (rows[0]["transcription"], rows[0]["lang"], rows[0]["height"]) == (
        "ocr:aws-textract", "de", 80)
