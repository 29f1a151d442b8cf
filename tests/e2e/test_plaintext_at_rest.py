"""Zero plaintext at rest after a real window run and a real CLI run (issue 13).

One temporary root holds HOME, every XDG folder, XDG_RUNTIME_DIR and TMPDIR, so
whatever the app and Qt write lands where it would in real use, under that root.
Documents come from folders outside it (they are plaintext by nature) and carry
distinct canaries: in their body text, their file name, a field the extractor
stores, and the stored summary (checked in the vault). Then every file under the
root (the data folder with vault.db and vault.keys.json, temp, Qt's cache and
config folders as QStandardPaths reports them, QSettings files, the logs, the
desktop's recent-files lists) and every file that appeared in /tmp, /var/tmp or
/dev/shm meanwhile is searched for every canary in several encodings. Controls
show the same scan finds them in an export, in each encoding and in a QSettings
file that Qt itself wrote.

The window runs in its own process through the real launcher, driven by
tests/helpers/window_driver.py: a process of its own is what makes Qt choose its
config, cache and settings files from this environment.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom.vault import Vault
from tests.helpers import paths
from tests.helpers.canary import Scan, Watch, scan_tree, written_forms
from tests.helpers.documents import make_docx, make_pdf

PASSPHRASE = "plaintext at rest, not once"
DRIVER = paths.HELPERS / "window_driver.py"
REPO = paths.REPO
#: Outside the root, where a program that ignores TMPDIR would still write.
SHARED_TEMP = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]  # noqa: S108
#: Shared temp folders written by other programs on this machine (pytest, tools).
NOISE = ("pytest-of-", "bash_jobs", "bash_tool_")
SHARED_SCAN_LIMIT = 64 << 20  # others' model files and the like


@dataclass(frozen=True)
class Canaries:
    """One run's canaries; each has a non-ASCII letter, so its encodings differ."""

    body: str  # only in a note's text
    name: str  # only in a file name
    field: str  # a receipt's merchant line: stored as the merchant field
    summary: str  # an invoice's customer: the model's summary names it

    def all(self) -> list[str]:
        return [self.body, self.name, self.field, self.summary]


def canaries(run: str) -> Canaries:
    return Canaries(body=f"Qz{run}body3c7eÆ", name=f"Qz{run}name5e2aÖ",
                    field=f"QZ{run.upper()}SHOP7D1BØMART", summary=f"Qz{run}summ9a4fÜ")


RUNS = {"gui": canaries("gui"), "cli": canaries("cli")}


def write_documents(folder: Path, c: Canaries, sample: int) -> dict[str, Path]:
    """A receipt and an invoice (text), a clinical note (Word), a lab report (PDF);
    ``sample`` keeps the two runs' lab reports apart (the vault skips duplicates)."""
    folder.mkdir()
    docs = {"field": folder / f"receipt-{sample}.txt", "summary": folder / f"invoice-{sample}.txt",
            "body": folder / f"note-{sample}.docx", "name": folder / f"lab {c.name}.pdf"}
    docs["field"].write_text(
        f"{c.field} LTD\n14 Harbour Road, Unit 3\nPortsmouth PO1 3AB\nTel: 023 9200 1144\n"
        "RECEIPT\nDate: 12/03/2024  14:22\nApples 1kg           2.40\nOat milk 1L          1.65\n"
        "Sourdough loaf       3.20\nSUBTOTAL             7.25\nTOTAL GBP            7.25\n"
        "CARD                 7.25\nThank you for shopping with us\n", encoding="utf-8")
    docs["summary"].write_text(
        "Northwind Design Studio LLC\n220 Mission Street, Suite 400\nSan Francisco, CA 94105\n"
        "INVOICE\nInvoice No: INV-2024-0187\nInvoice Date: March 3, 2024\n"
        f"Due Date: April 2, 2024\nBill To: {c.summary} Architects\n"
        "Description                     Amount\nBrand identity workshop       $1,800.00\n"
        "Total Due                     $2,340.00\n", encoding="utf-8")
    docs["body"].write_bytes(make_docx([
        "Riverside Clinic", "Visit date: 2024-04-01", "Patient: Jane Doe",
        # body text only: not on the "Plan:" line, which the summary quotes
        f"Seen for a rash on both arms after using {c.body} soap.",
        "Plan: apply cream twice daily; review in two weeks."]))
    docs["name"].write_bytes(make_pdf([
        f"City Lab\nLab report\nSample no. {sample}\nDate: 2024-02-10\n"
        "Hemoglobin 13.5 g/dL (12.0-15.5)\n"
        "White cells 6.1 x10^9/L"]))
    return docs


def hermetic_env(root: Path) -> dict[str, str]:
    """This process's environment with every per-user location inside ``root``,
    laid out as a desktop has them, and no session bus (nothing to hand data to)."""
    home = root / "home"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "STRONGROOM_", "QT_", "DBUS_"))
           and k not in ("TMPDIR", "HOME", "DISPLAY", "WAYLAND_DISPLAY", "SESSION_MANAGER")}
    env.update(
        HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"), XDG_RUNTIME_DIR=str(root / "run"),
        TMPDIR=str(root / "tmp"), QT_QPA_PLATFORM="offscreen",
        STRONGROOM_KEYCHAIN="off", STRONGROOM_PASSPHRASE=PASSPHRASE, STRONGROOM_LOG="DEBUG",
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
                "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "TMPDIR"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    os.chmod(root / "run", 0o700)  # Qt refuses a runtime folder others can enter
    return env


def log_file(env: dict[str, str], name: str) -> Path:
    """Where a desktop session keeps a program's stderr (the app writes no log file of
    its own; its log lines go to stderr): ~/.xsession-errors and the like."""
    return Path(env["HOME"]) / name


def run_window(env: dict[str, str], spec: dict[str, object]) -> dict[str, object]:
    with log_file(env, ".xsession-errors").open("ab") as err:
        done = subprocess.run([sys.executable, str(DRIVER), json.dumps(spec)], env=env,
                              stdout=subprocess.PIPE, stderr=err, timeout=600, check=False)
    report: dict[str, object] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert done.returncode == 0 and "error" not in report, report
    return report


def run_cli(env: dict[str, str], *args: str) -> str:
    """``strongroom ARGS`` through the launcher; stdout (what the person asked to
    see) is returned, stderr goes to the session log like a terminal's scrollback."""
    log = log_file(env, ".local/state/strongroom-cli.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as err:
        done = subprocess.run([sys.executable, "-m", "strongroom", *args], env=env,
                              stdout=subprocess.PIPE, stderr=err, timeout=600, check=False)
    assert done.returncode == 0, (args, done.returncode, log.read_text(errors="replace")[-2000:])
    return done.stdout.decode()


QT_PROBE = """
import json, sys
from PySide6.QtCore import QSettings, QStandardPaths as P
from strongroom.desktop.app import application
app = application([sys.argv[0]])
L = P.StandardLocation
names = ["AppConfigLocation", "AppDataLocation", "AppLocalDataLocation", "CacheLocation",
         "ConfigLocation", "GenericCacheLocation", "GenericConfigLocation",
         "GenericDataLocation", "RuntimeLocation", "TempLocation", "StateLocation",
         "GenericStateLocation", "DocumentsLocation", "DownloadLocation"]
out = {n: P.writableLocation(getattr(L, n)) for n in names if hasattr(L, n)}
out["QSettings (the app's)"] = QSettings().fileName()
out["QSettings (Qt's file dialog)"] = QSettings(QSettings.Scope.UserScope,
                                               "QtProject").fileName()
print(json.dumps(out))
"""


def qt_locations(env: dict[str, str]) -> dict[str, Path]:
    """Where Qt writes for this environment, as Qt itself reports it."""
    done = subprocess.run([sys.executable, "-c", QT_PROBE], env=env, capture_output=True,
                          timeout=120, check=True)
    return {name: Path(p) for name, p in json.loads(done.stdout).items() if p}


def snapshot(dirs: list[Path], exclude: Path) -> set[Path]:
    """Files now in the shared temp folders, but for other programs' known folders."""
    found: set[Path] = set()
    for top in dirs:
        for dirpath, subdirs, files in os.walk(top):
            here = Path(dirpath)
            subdirs[:] = [d for d in subdirs if not (here == top and d.startswith(NOISE))
                          and here / d != exclude]
            found.update(here / f for f in files)
    return found


def report(title: str, result: Scan, places: dict[str, Path], root: Path) -> str:
    lines = [f"{title}: {result.files} files, {result.bytes:,} bytes, {result.folders} folders, "
             f"{result.others} sockets/links (names only), {len(result.unreadable)} unreadable"]
    for name, place in sorted(places.items(), key=lambda kv: str(kv[1])):
        n, b = result.per_location.get(name, (0, 0))
        where = place.relative_to(root) if place.is_relative_to(root) else place
        lines.append(f"  {str(where):<44} {n:>2} files {b:>8,} bytes  {name}"
                     + ("" if place.exists() else " (not written)"))
    return "\n".join(lines)


@pytest.mark.gui
@pytest.mark.model
def test_no_canary_at_rest_after_window_and_cli_runs(tmp_path: Path, model_path: Path) -> None:
    started = time.monotonic()
    root = tmp_path / "root"
    env = hermetic_env(root)
    home = Path(env["HOME"])
    docs = {run: write_documents(tmp_path / f"inbox-{run}", c, n)
            for n, (run, c) in enumerate(RUNS.items(), 1)}
    model = ["--model", str(model_path)]
    before = snapshot(SHARED_TEMP, tmp_path)
    canaries_all = [c for run in RUNS.values() for c in run.all()]
    with Watch(root, canaries_all) as watch:  # also files that live only a while
        # -- the window: drop three, pick the named one in Add Files…, read, search ----
        gui, cg = docs["gui"], RUNS["gui"]
        shown = run_window(env, {"drop": [str(gui[k]) for k in ("field", "summary", "body")],
                                 "pick": [str(gui["name"])], "search": cg.body.lower()[:-2],
                                 "launcher_args": model})
        assert shown["dialogs"] == ["recovery code", "file dialog"]
        assert {r["name"]: r["stage"] for r in shown["rows"]} == {  # type: ignore[union-attr]
            p.name: "done" for p in gui.values()}
        seen = json.dumps(shown["shown"], ensure_ascii=False)
        assert all(c in seen for c in cg.all()), "the detail pane showed every canary"
        assert shown["found"] == [gui["body"].name]

        # -- the command line: process, list, show, search ---------------------------
        cc = RUNS["cli"]
        run_cli(env, "process", *model, *map(str, docs["cli"].values()))
        listed = json.loads(run_cli(env, "list", "--json"))
        assert {d["name"] for d in listed} >= {p.name for p in docs["cli"].values()}
        ids = {d["name"]: d["id"] for d in listed}
        assert cc.body in json.loads(run_cli(env, "show", "--json",
                                             str(ids[docs["cli"]["body"].name])))["text"]
        assert cc.name in run_cli(env, "show", str(ids[docs["cli"]["name"].name]))
        found = json.loads(run_cli(env, "search", "--json", cc.body.lower()))
        assert [d["name"] for d in found] == [docs["cli"]["body"].name]
    after = snapshot(SHARED_TEMP, tmp_path)
    print(f"\nwhile running: {watch.versions} file versions of {len(watch.seen)} files read, "
          f"{len(watch.gone())} of them gone by the end: {[p.name for p in watch.gone()]}")
    assert watch.hits == []

    # -- where things were written: all inside the root ------------------------------
    data_dir = home / ".local/share/Strongroom"
    named = {"data folder": data_dir, "temp (TMPDIR)": root / "tmp",
             "runtime (XDG_RUNTIME_DIR)": root / "run",
             "recent files (GTK)": home / ".local/share/recently-used.xbel",
             "recent files (KDE)": home / ".local/share/RecentDocuments",
             "window log": log_file(env, ".xsession-errors"),
             "CLI log": log_file(env, ".local/state/strongroom-cli.log"),
             **qt_locations(env)}
    outside = {name: p for name, p in named.items() if not p.is_relative_to(root)}
    assert outside == {}, "every location the app or Qt writes to must be inside the root"
    by_path: dict[Path, list[str]] = {}
    for name, path in named.items():
        by_path.setdefault(path, []).append(name)
    places = {" = ".join(names): path for path, names in by_path.items()}

    result = scan_tree([root], canaries_all, locations=places)
    print("\n" + report("scanned under the root", result, places, root))
    assert result.hits == []
    assert result.unreadable == []
    counts = {path: result.per_location[label] for label, path in places.items()}
    assert counts[data_dir][0] == 2  # vault.db and vault.keys.json
    assert counts[named["QSettings (Qt's file dialog)"]][0] == 1  # the picker's state
    assert counts[named["window log"]][1] > 0 and counts[named["CLI log"]][1] > 0

    new = sorted(after - before)  # others' files too: only this run's canaries count
    big = [p for p in new if p.exists() and p.stat().st_size > SHARED_SCAN_LIMIT]
    elsewhere = scan_tree([p for p in new if p not in big], canaries_all)
    print(f"new files in {', '.join(map(str, SHARED_TEMP))} during the runs: {len(new)}, "
          f"{elsewhere.files} still there scanned ({elsewhere.bytes:,} bytes), {len(big)} "
          f"over {SHARED_SCAN_LIMIT >> 20} MiB skipped")
    assert elsewhere.hits == []

    # -- the vault did store every canary where the test says ------------------------
    with Vault.open(data_dir, passphrase=PASSPHRASE) as vault:
        stored = {d.name: vault.get(d.id) for d in vault.list_documents()}
    for run, c in RUNS.items():
        d = docs[run]
        assert c.body in stored[d["body"].name].text
        assert c.name in stored[d["name"].name].name
        assert c.name not in stored[d["name"].name].text
        assert stored[d["field"].name].fields["merchant"].value == f"{c.field} LTD"
        assert c.summary in stored[d["summary"].name].summary
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("vault.db", "vault.keys.json"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600

    # -- controls: the same scan finds what is there -----------------------------------
    export = home / "Documents" / "fields.json"
    export.parent.mkdir()
    run_cli(env, "export", "--format", "json", "--out", str(export))
    found_in_export = scan_tree([root], canaries_all)
    assert found_in_export.hit_paths() == {export}
    assert {h.canary for h in found_in_export.hits} == {
        c for run in RUNS.values() for c in (run.name, run.field, run.summary)}

    control = tmp_path / "control"
    control.mkdir()
    forms = written_forms(cc.name)
    for form, data in forms.items():
        (control / form).write_bytes(b"padding " + data + b" padding")
    (control / f"named {cc.field}.txt").write_bytes(b"")
    qt_written = settings_written_by_qt(env, docs["cli"]["name"])
    caught = scan_tree([control, qt_written.parent], canaries_all)
    assert caught.hit_paths() == {*(control / f for f in forms),
                                  control / f"named {cc.field}.txt", qt_written}
    print(f"controls: found in the export, in {len(forms)} encodings, in a file name and in "
          f"Qt's own QSettings file; run time {time.monotonic() - started:.1f} s")


SETTINGS_WRITER = """
import sys
from PySide6.QtCore import QSettings, QUrl
from strongroom.desktop.app import application
app = application([sys.argv[0]])
settings = QSettings()
settings.setValue("recentFiles", [QUrl.fromLocalFile(sys.argv[1])])
settings.setValue("lastFile", sys.argv[1])
settings.sync()
print(settings.fileName())
"""


def settings_written_by_qt(env: dict[str, str], path: Path) -> Path:
    """The app's QSettings file after Qt stored ``path`` in it (a file URL in a
    QVariant list, and as a string): what remembering a recent file would write."""
    done = subprocess.run([sys.executable, "-c", SETTINGS_WRITER, str(path)], env=env,
                          capture_output=True, timeout=120, check=True, text=True)
    return Path(done.stdout.strip())


def test_the_watch_sees_a_file_that_comes_and_goes(tmp_path: Path) -> None:
    """Control for the watch: a temp copy deleted again is still found."""
    canary = RUNS["cli"].body
    with Watch(tmp_path, [canary]) as watch:
        temp = tmp_path / "tmp1234.part"
        temp.write_bytes(b"..." + canary.encode("utf-16-le") + b"...")
        time.sleep(0.2)
        temp.unlink()
    assert [(h.path, h.where) for h in watch.hits] == [(temp, "content")]
    assert watch.gone() == [temp]
