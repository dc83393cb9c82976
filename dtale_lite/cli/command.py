"""``dtale-lite FILE [FILE ...]``: serve data files in the viewer until Ctrl-C."""
from __future__ import annotations

import argparse
import sys
import time

from ..frames.errors import DtaleLiteError
from ..backends.files import file_source, is_in_place
from ..frames.loaders import LoadError, demo_frames, load_file, name_for
from ..app.viewer import default_viewer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dtale-lite",
        description="Open CSV, TSV, Parquet, JSON, Feather/Arrow and Excel files in the "
                    "dtale_lite viewer. Parquet and CSV files (also a directory or a quoted "
                    "glob of Parquet files) open in place through DuckDB, whatever their "
                    "size; the other formats are read into pandas.")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="data files, directories of Parquet files, or quoted globs")
    parser.add_argument("--engine", choices=("auto", "pandas"), default="auto",
                        help="auto (default): Parquet/CSV through DuckDB in place, the rest "
                             "into pandas; pandas: read every file into pandas")
    parser.add_argument("--memory-limit", default=None, metavar="SIZE",
                        help="DuckDB's memory limit for files opened in place, e.g. 1GB "
                             "(default: a quarter of the files' size, between 128 MiB and "
                             "1 GiB, at most a quarter of the memory available)")
    parser.add_argument("--threads", type=int, default=None, metavar="N",
                        help="DuckDB's threads for files opened in place (default: one per "
                             "core, fewer for a small memory limit or a small file)")
    parser.add_argument("--temp-dir", default=None, metavar="DIR",
                        help="where DuckDB spills large sorts (default: a new temporary "
                             "directory, removed on exit)")
    parser.add_argument("--demo", action="store_true",
                        help="open built-in demo datasets: gapminder, tips, ... (with plotly "
                             "installed) and a synthetic 1,000,000-row frame")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    parser.add_argument("--name", default=None,
                        help="frame name (one FILE only; default: the file's name)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--reaper-timeout", type=float, default=None, metavar="SECONDS",
                        help="stop after this many seconds without a request (default: never)")
    parser.add_argument("--max-upload-mb", type=float, default=None, metavar="MB",
                        help="the largest file the grid's Load data may upload (default 100)")
    parser.add_argument("--allow-url-loads", action="store_true",
                        help="let the grid's Load data fetch http(s) URLs from this server")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.files and not args.demo:
        parser.print_usage(sys.stderr)
        print("dtale-lite: give at least one FILE, or --demo", file=sys.stderr)
        return 2
    if args.name and len(args.files) != 1:
        print("dtale-lite: --name needs exactly one FILE", file=sys.stderr)
        return 2
    try:
        frames = {}
        if args.demo:
            frames.update(demo_frames())
        for path in args.files:
            name = base = args.name or name_for(path)
            n = 1
            while name in frames:  # data.csv and data.parquet both become "data": keep both
                n += 1
                name = f"{base}_{n}"
            started = time.perf_counter()
            if args.engine == "auto" and is_in_place(path):
                print(f"opening {path} in place (DuckDB) ...", file=sys.stderr, flush=True)
                frames[name] = file_source(path, memory_limit=args.memory_limit,
                                           temp_directory=args.temp_dir, threads=args.threads)
                verb, note = "opened", _duckdb_settings(frames[name])
            else:
                print(f"loading {path} ...", file=sys.stderr, flush=True)
                frames[name] = load_file(path)
                verb, note = "loaded", ""
            rows, width = _shape(frames[name])
            print(f"{verb} {path}: {rows:,} rows x {width:,} columns in "
                  f"{time.perf_counter() - started:.1f} s{note}", file=sys.stderr, flush=True)
    except (LoadError, DtaleLiteError, ImportError) as exc:
        print(f"dtale-lite: {exc}", file=sys.stderr)
        _close_all(frames)
        return 1
    except Exception as exc:  # noqa: BLE001 - DuckDB's own errors (a corrupt file) name the file
        print(f"dtale-lite: could not open {path}: {exc}", file=sys.stderr)
        _close_all(frames)
        return 1

    viewer = default_viewer()
    try:
        max_upload = None if args.max_upload_mb is None else int(args.max_upload_mb * 2**20)
        shown = [viewer.show(frame, name=name, host=args.host, port=args.port,
                             reaper_timeout=args.reaper_timeout, max_upload_bytes=max_upload,
                             allow_url_loads=args.allow_url_loads)
                 for name, frame in frames.items()]
    except (OSError, ValueError) as exc:
        print(f"dtale-lite: cannot start the server: {exc}", file=sys.stderr)
        return 1
    home = f"{shown[0].base_url}/?key={shown[0].key}"
    for inst, frame in zip(shown, frames.values()):
        print(f"{inst.name}: {_shape(frame)[0]:,} rows  {inst.url}")
    print(f"all frames: {home}\nPress Ctrl-C to stop.", flush=True)
    if not args.no_browser:
        import webbrowser

        webbrowser.open(shown[0].url if len(shown) == 1 else home)
    return _wait(viewer)


def _shape(frame) -> tuple[int, int]:
    if hasattr(frame, "shape"):
        return frame.shape
    return frame.count().rows, len(frame.columns())  # a file opened in place


def _duckdb_settings(source) -> str:
    """What DuckDB was given (chosen from the file and the machine unless set), to print."""
    settings = source.backend.settings
    threads = settings["threads"]
    return (f" (DuckDB: memory limit {settings['memory_limit']}, {threads} "
            f"thread{'' if threads == 1 else 's'})")


def _close_all(frames) -> None:
    for frame in frames.values():
        close = getattr(frame, "close", None)
        if close is not None:
            close()


def _wait(viewer) -> int:
    try:
        # Wake up periodically: the server may stop on its own (reaper, POST /shutdown).
        while viewer.server is not None and viewer.server.running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nstopping", file=sys.stderr)
    finally:
        viewer.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
