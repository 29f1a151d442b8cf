"""The command line, on the same core as the window.

    strongroom extract PATH... --json   read and understand, store nothing
    strongroom process PATH...          ... and keep in the vault
    strongroom list [--json]
    strongroom show ID [--json]
    strongroom search QUERY [--type T] [--from DATE] [--to DATE] [--json]
    strongroom bench                    speed and memory against raw llama.cpp
    strongroom bench --search           search latency on a 10,000-document vault
    strongroom bench --scale            understanding's time over 1k-100k-line documents
    strongroom eval DATASET [--json]    accuracy on a labelled set (see measure/evaluate.py)
    strongroom export --format csv|json --out FILE [--type T] [--from D] [--to D] [--force]
    strongroom backup FILE [--force]    the vault, encrypted, in one file
    strongroom restore FILE [--replace] [--recovery-code]
                                        a backup back into the data folder
    strongroom passphrase               set or change the vault's passphrase
    strongroom recovery-code            make a new recovery code (the old one stops working)
    ... --recovery-code                 open the vault with its recovery code

Errors print one line to stderr and exit 1; a batch where some documents
failed prints each failure and exits 2.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .compose import Setup
from .errors import PassphraseRequired, UserError
from .jobs import JobResult, Processor
from .shown import shown
from .vault.unlock import ENV_PASSPHRASE, ENV_RECOVERY

if TYPE_CHECKING:
    from .understanding.pipeline import Understander

ENV_NEW_PASSPHRASE = "STRONGROOM_NEW_PASSPHRASE"  # noqa: S105 - a variable name
ENV_PDF_PASSWORD = "STRONGROOM_PDF_PASSWORD"  # noqa: S105 - a variable name


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="where the vault and model live (default: the user data dir)")
    common.add_argument("--model", type=Path, default=argparse.SUPPRESS,
                        help="a local GGUF file to use instead of the bundled Gemma 3 270M")
    common.add_argument("--recovery-code", action="store_true", default=argparse.SUPPRESS,
                        help=f"open the vault with its recovery code (asked, or ${ENV_RECOVERY})")
    common.add_argument("--backend", choices=["auto", "llama.cpp"],
                        default=argparse.SUPPRESS, help="inference backend (default: auto)")

    parser = argparse.ArgumentParser(
        prog="strongroom", parents=[common],
        description="Private, offline document assistant. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"strongroom {__version__}")
    sub = parser.add_subparsers(dest="command")
    pdf_password = argparse.ArgumentParser(add_help=False)
    pdf_password.add_argument(
        "--pdf-password", action="store_true",
        help=f"ask once for the password of password-protected PDFs (or ${ENV_PDF_PASSWORD})")
    p = sub.add_parser("extract", parents=[common, pdf_password],
                       help="understand documents, store nothing")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="one JSON object per document")
    p = sub.add_parser("process", parents=[common, pdf_password],
                       help="understand documents into the vault")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("list", parents=[common], help="documents in the vault")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("show", parents=[common], help="one document from the vault")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("search", parents=[common], help="find documents in the vault")
    p.add_argument("query", nargs="*", help="words to find (none: filters only)")
    p.add_argument("--type", dest="doc_type", default=None, metavar="T",
                   help="only this document type (receipt, invoice, ...)")
    p.add_argument("--from", dest="date_from", default=None, metavar="DATE",
                   help="documents dated on or after DATE (YYYY[-MM[-DD]])")
    p.add_argument("--to", dest="date_to", default=None, metavar="DATE",
                   help="documents dated on or before DATE (YYYY[-MM[-DD]])")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("bench", parents=[common], help="measure speed and memory")
    p.add_argument("--samples", type=Path, default=None,
                   help="folder of documents (default: the bundled samples)")
    p.add_argument("--search", action="store_true",
                   help="instead: search latency on a synthetic 10,000-document vault "
                   "(in a temp dir; no model needed)")
    p.add_argument("--scale", action="store_true",
                   help="instead: understanding without the model (type, fields, checks) "
                   "over generated 1,000 to 100,000-line documents")
    p.add_argument("--sizes", type=int, nargs="+", default=None, metavar="LINES",
                   help="with --scale: the document sizes in lines (default 1000 10000 100000)")
    p = sub.add_parser("eval", parents=[common], help="measure extraction on a labelled set")
    p.add_argument("dataset", type=Path, help='JSON lines {"id", "text"|"path", "gold": {...}}')
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--group-by", metavar="FIELD", default=None,
                   help="cross-validate with folds that never share this gold field's value, or "
                   "the row's source (--group-by source)")
    p.add_argument("--folds", type=int, default=5, metavar="K",
                   help="number of folds; 0: one per group (leave-one-source-out)")
    p.add_argument("--no-model", action="store_true",
                   help="types from the file, fields by code only (fast)")
    p.add_argument("--chooser", choices=["rules", "ranker"], default="ranker",
                   help="ranker (default, what the app uses): the shipped weights; rules: the "
                   "hand-written chooser (the ranker refitted per fold: python -m lab.crossval)")
    _add_file_commands(sub, common)
    _add_key_commands(sub, common)
    return parser


# -- shared set-up (built by compose.Setup) --------------------------------------
def data_dir(args: argparse.Namespace) -> Path:
    """The data folder, made private; loose modes are reported on stderr."""
    return Setup.from_args(args).data_dir()


def understander(args: argparse.Namespace) -> Understander:
    """What ``extract`` and ``process`` run on (a seam: tests swap the model out)."""
    return Setup.from_args(args).understander()


def _ask_secret(env_name: str, prompt: str, *, repeat: str | None = None,
                mismatch: str = "") -> str | None:
    """A secret from ``$env_name``, else from a terminal prompt (asked twice when
    ``repeat`` is given; ``mismatch`` is the error then); None with neither."""
    env = os.environ.get(env_name)
    if env:
        return env
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt)
    if repeat is not None and getpass.getpass(repeat) != first:
        raise UserError(mismatch)
    return first


def _ask_passphrase(confirm: bool) -> str | None:
    return _ask_secret(ENV_PASSPHRASE, "Vault passphrase: ",
                       repeat="Repeat the passphrase: " if confirm else None,
                       mismatch="The passphrases do not match. Nothing was created.")


def _pdf_password(args: argparse.Namespace) -> str | None:
    """The password to try on password-protected PDFs: ``$STRONGROOM_PDF_PASSWORD``,
    else asked at the terminal (never echoed) with ``--pdf-password``; else None."""
    if os.environ.get(ENV_PDF_PASSWORD):
        return os.environ[ENV_PDF_PASSWORD]
    if not getattr(args, "pdf_password", False):
        return None
    password = _ask_secret(ENV_PDF_PASSWORD, "Password for protected PDFs: ")
    if password is None:
        raise UserError(f"--pdf-password asks at a terminal; without one, set {ENV_PDF_PASSWORD}.")
    return password


def open_vault(args: argparse.Namespace, *, create: bool) -> Any:
    """The vault in the data folder: created when there is none and ``create``,
    else unlocked by the one unlock policy (``vault.unlock``), asking at the
    terminal when it needs a secret and there is one."""
    return _open(args, create=create)[0]


def _open(args: argparse.Namespace, *, create: bool) -> tuple[Any, str | None]:
    """The vault, and the passphrase that opened it if one did (the proof
    ``change_passphrase`` and ``new_recovery_code`` ask for)."""
    from .vault import Vault, creating, unlock

    ddir = data_dir(args)
    method = Vault.unlock_method(ddir)
    if method is None and not create:
        raise UserError(f"There is no vault in {ddir} yet. Add documents with "
                        "`strongroom process PATH` first.")
    if method is None:
        if creating.unfinished(ddir) is not None:
            print("strongroom: creating the vault was interrupted last time, before it held any "
                  "document; starting afresh.", file=sys.stderr)
        usable, why = Vault.keychain_usable()
        passphrase = None
        if not usable:
            print(f"strongroom: {why} The passphrase is never stored: if it is lost, only "
                  "the recovery code shown next opens the vault.", file=sys.stderr)
            passphrase = _ask_passphrase(confirm=True)
            if passphrase is None:
                raise PassphraseRequired(f"Set {ENV_PASSPHRASE} or run in a terminal "
                                         "to choose a passphrase.")
        vault = Vault.create(ddir, passphrase=passphrase)
        show_recovery_code(vault.take_recovery_code(), new_vault=True)
        return vault, passphrase
    typed: list[str] = []

    def ask(prompt: unlock.Prompt) -> Any:
        if not sys.stdin.isatty():
            return None
        if prompt.reason:
            print(f"strongroom: {prompt.reason}", file=sys.stderr)
        secret = getpass.getpass("Vault passphrase: " if prompt.method == "passphrase"
                                 else "Recovery code: ")
        vault = prompt.open(secret)
        typed.append(secret)
        return vault

    vault = unlock.unlock(ddir, ask, recovery_only=bool(getattr(args, "recovery_code", False)),
                          cannot_ask=_how_to_give)
    if vault.key_method != "passphrase":
        return vault, None
    return vault, typed[0] if typed else os.environ.get(ENV_PASSPHRASE)


def _how_to_give(method: str) -> str:
    return f"set {ENV_PASSPHRASE if method == 'passphrase' else ENV_RECOVERY} or run in a terminal"


# -- output --------------------------------------------------------------------
def result_json(r: JobResult) -> dict[str, Any]:
    ex = r.extraction
    out: dict[str, Any] = {
        "path": shown(r.path),
        "ok": r.ok,
        "error": r.error,
        "doc_type": ex.doc_type if ex else None,
        "type_confidence": ex.type_confidence if ex else None,
        "summary": ex.summary if ex else None,
        "fields": ex.fields_json() if ex else {},
        "warnings": list(r.document.warnings) if r.document else [],
    }
    if r.doc_id is not None:
        out["id"] = r.doc_id
        out["duplicate"] = r.duplicate
    if r.parent_id is not None:
        out["parent_id"] = r.parent_id  # the e-mail this attachment came in
    return out


def _print_result(r: JobResult, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result_json(r), ensure_ascii=False), flush=True)
    elif not r.ok:
        print(f"✗ {shown(r.path)}: {r.error}", flush=True)
    elif r.duplicate:
        print(f"= {shown(r.path)}: already in the vault as #{r.doc_id}", flush=True)
    else:
        ex = r.extraction
        assert ex is not None
        where = f" → #{r.doc_id}" if r.doc_id is not None else ""
        print(f"✓ {shown(r.path)}{where} [{ex.doc_type}] {ex.summary}", flush=True)
        for warning in r.document.warnings if r.document else ():
            print(f"    ! {warning}", flush=True)
        for name, fv in ex.fields.items():
            if fv.value is not None:
                print(f"    {name}: {fv.normalized}", flush=True)


# -- commands ------------------------------------------------------------------
def cmd_extract(args: argparse.Namespace, *, store: Any = None) -> int:
    password = _pdf_password(args)
    proc = Processor(understander(args), store=store)
    failed = 0
    for r in proc.run_all(args.paths, pdf_password=password):
        failed += not r.ok
        _print_result(r, args.json)
    return 2 if failed else 0


def cmd_process(args: argparse.Namespace) -> int:
    with open_vault(args, create=True) as vault:
        return cmd_extract(args, store=vault)


def cmd_list(args: argparse.Namespace) -> int:
    with open_vault(args, create=False) as vault:
        rows = vault.list_documents()
    _print_rows(rows, args.json)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with open_vault(args, create=False) as vault:
        rows = vault.search(" ".join(args.query), doc_type=args.doc_type,
                            date_from=args.date_from, date_to=args.date_to)
    _print_rows(rows, args.json)
    if not rows and not args.json:
        print("strongroom: no documents match.", file=sys.stderr)
    return 0


def _print_rows(rows: list[Any], as_json: bool) -> None:
    """``list`` and ``search`` output: a JSON array, or one line per document."""
    if as_json:
        print(json.dumps([{"id": r.id, "name": shown(r.name), "doc_type": r.doc_type,
                           "date": r.doc_date, "added_at": r.added_at, "summary": r.summary}
                          for r in rows], ensure_ascii=False))
        return
    for r in rows:
        print(f"{r.id:>5}  {r.doc_type:<14} {r.doc_date or '':<10}  {shown(r.name)}")


def cmd_show(args: argparse.Namespace) -> int:
    with open_vault(args, create=False) as vault:
        doc = vault.get(args.id)
    fields = {name: fv.to_json() for name, fv in doc.fields.items()}
    if args.json:
        print(json.dumps({"id": doc.id, "name": shown(doc.name), "doc_type": doc.doc_type,
                          "type_confidence": doc.type_confidence, "summary": doc.summary,
                          "summary_source": doc.summary_source,
                          "added_at": doc.added_at, "parent_id": doc.parent_id,
                          "warnings": list(doc.warnings), "fields": fields, "text": doc.text},
                         ensure_ascii=False))
        return 0
    came_in = "" if doc.parent_id is None else f" (attached to #{doc.parent_id})"
    print(f"#{doc.id} {shown(doc.name)} [{doc.doc_type}]{came_in}\n{doc.summary}\n")
    for warning in doc.warnings:
        print(f"! {warning}\n")
    for name, fv in doc.fields.items():
        value = fv.normalized if fv.value is not None else "—"
        print(f"  {name:<18} {value}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.search:
        from .measure.search_bench import run_search_bench

        return run_search_bench()
    if args.scale:
        from .measure.scale_bench import SIZES, run_scale_bench

        run_scale_bench(args.sizes or SIZES)
        return 0
    from .measure.bench import run_bench

    setup = Setup.from_args(args)
    return run_bench(setup.model_file(), setup.backend, args.samples)


def cmd_eval(args: argparse.Namespace) -> int:
    from .measure.evaluate import Options, format_report, load_rows, run_eval
    from .understanding.chooser import RuleChooser

    if not args.dataset.is_file():
        raise UserError(f"There is no file {args.dataset}.")
    rows = load_rows(args.dataset)
    load = None if args.no_model else Setup.from_args(args).load_backend
    make_chooser: Any = RuleChooser
    if args.chooser == "ranker":
        from .understanding import ranker

        make_chooser = lambda: ranker.RankerChooser(  # noqa: E731
            ranker.load(), lm=ranker.load_lm(), temperatures=ranker.load_temperatures())
    from .understanding import router

    report = run_eval(rows, make_chooser, load, Options(group_by=args.group_by, folds=args.folds,
                                                         chooser_name=args.chooser,
                                                         router=router.load()))
    print(json.dumps(report, ensure_ascii=False) if args.json else format_report(report))
    return 0


COMMANDS = {"extract": cmd_extract, "process": cmd_process, "list": cmd_list,
            "search": cmd_search,
            "show": cmd_show, "bench": cmd_bench, "eval": cmd_eval}


# -- export, backup, restore (issue 13) ------------------------------------------
def _add_file_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common],
                       help="write the documents' fields to an UNENCRYPTED CSV or JSON file")
    p.add_argument("--format", dest="fmt", choices=["csv", "json"], required=True)
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument("--type", dest="doc_type", default=None, metavar="T")
    p.add_argument("--from", dest="date_from", default=None, metavar="DATE")
    p.add_argument("--to", dest="date_to", default=None, metavar="DATE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = sub.add_parser("backup", parents=[common], help="the vault, encrypted, in one file")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = sub.add_parser("restore", parents=[common], help="restore the vault from a backup")
    p.add_argument("file", type=Path)
    p.add_argument("--replace", action="store_true",
                   help="replace the vault in the data folder (its documents are lost)")


def cmd_export(args: argparse.Namespace) -> int:
    from .export import WARNING, Filters, export

    with open_vault(args, create=False) as vault:
        count = export(vault, args.out, args.fmt,
                       Filters(args.doc_type, args.date_from, args.date_to), force=args.force)
    print(f"strongroom: warning: {WARNING.format(path=shown(args.out))}", file=sys.stderr)
    print(f"Exported {count} document{'s' if count != 1 else ''} to {shown(args.out)}.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .vault import backup

    with open_vault(args, create=False) as vault:
        info = backup.write_backup(vault, args.file, force=args.force)
    print(f"Backed up the vault to {shown(args.file)} ({info.size / 1e6:.1f} MB, encrypted). "
          f"{backup.describe_methods(info)}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .vault import backup, keys

    ddir = data_dir(args)
    info = backup.inspect(args.file)  # not a backup, damaged header: before any question
    backup.check_can_replace(ddir, args.replace)
    passphrase = recovery_code = None
    if getattr(args, "recovery_code", False):  # the vault's code when the backup was made
        if keys.RECOVERY not in info.methods:
            raise UserError(f"The backup {args.file} has no recovery code (its vault was made "
                            "before Strongroom had them): restore it with its passphrase or "
                            "keychain entry. Nothing was changed.")
        recovery_code = _ask_recovery_code()
    elif keys.PASSPHRASE in info.methods:
        passphrase = _ask_passphrase(confirm=False)
        if passphrase is None:
            raise PassphraseRequired(f"This backup opens with its vault's passphrase: set "
                                     f"{ENV_PASSPHRASE} or run in a terminal (or use "
                                     "--recovery-code).")
    backup.restore(args.file, ddir, passphrase=passphrase, replace=args.replace,
                   recovery_code=recovery_code)
    print(f"Restored the vault in {shown(ddir)} from {shown(args.file)} "
          f"(backed up {info.created}).")
    if recovery_code is not None:
        print("It opens with that recovery code; `strongroom passphrase --recovery-code` sets "
              "a new passphrase.")
    return 0


COMMANDS.update(export=cmd_export, backup=cmd_backup, restore=cmd_restore)


# -- passphrase and recovery code (issue 13) --------------------------------------
def _add_key_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    sub.add_parser("passphrase", parents=[common],
                   help=f"set or change the vault's passphrase (new one asked, or "
                   f"${ENV_NEW_PASSPHRASE}); with --recovery-code: reset a forgotten one")
    sub.add_parser("recovery-code", parents=[common],
                   help="make a new recovery code for the vault; the old one stops working")


def show_recovery_code(code: str | None, *, new_vault: bool) -> None:
    """The code, once, on stderr (stdout may be a pipe into a file or a log)."""
    if code is None:
        return
    made = "A new vault was created. Its" if new_vault else "The vault's new"
    print(f"strongroom: {made} RECOVERY CODE is shown only this once:\n\n    {code}\n\n"
          "strongroom: WRITE IT DOWN and keep it apart from this computer. It opens the vault "
          "if the passphrase is forgotten or the keychain entry is lost; anyone who has it "
          "can open the vault.", file=sys.stderr, flush=True)


def _ask_recovery_code() -> str:
    code = _ask_secret(ENV_RECOVERY, "Recovery code: ")
    if code is None:
        raise PassphraseRequired(f"Set {ENV_RECOVERY} or run in a terminal to enter the "
                                 "recovery code.")
    return code


def _ask_new_passphrase() -> str:
    new = _ask_secret(ENV_NEW_PASSPHRASE, "New passphrase: ",
                      repeat="Repeat the new passphrase: ",
                      mismatch="The passphrases do not match. Nothing was changed.")
    if new is None:
        raise PassphraseRequired(f"Set {ENV_NEW_PASSPHRASE} or run in a terminal to choose "
                                 "the new passphrase.")
    return new


def _open_for_keys(args: argparse.Namespace) -> tuple[Any, str | None]:
    """The vault, and the passphrase that opened it (the proof ``change_passphrase``
    and ``new_recovery_code`` ask for)."""
    from .vault import Vault

    ddir = data_dir(args)
    if Vault.unlock_method(ddir) is None:
        raise UserError(f"There is no vault in {ddir} yet.")
    return _open(args, create=False)


def cmd_passphrase(args: argparse.Namespace) -> int:
    vault, current = _open_for_keys(args)
    with vault:
        had = "passphrase" in vault.key_methods()
        vault.change_passphrase(_ask_new_passphrase(), current=current)
    print("The passphrase was changed." if had else "The vault now also opens with a "
          "passphrase.", file=sys.stderr)
    return 0


def cmd_recovery_code(args: argparse.Namespace) -> int:
    vault, current = _open_for_keys(args)
    with vault:
        had = "recovery" in vault.key_methods()
        code = vault.new_recovery_code(current=current)
    show_recovery_code(code, new_vault=False)
    if had:
        print("strongroom: the previous recovery code no longer opens the vault.",
              file=sys.stderr)
    return 0


COMMANDS.update({"passphrase": cmd_passphrase, "recovery-code": cmd_recovery_code})


def run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:  # the words may name a path the person gave: shown() it
        print(f"strongroom: {shown(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("strongroom: cancelled", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(args)
