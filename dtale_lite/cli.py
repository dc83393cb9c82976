"""``dtale-lite FILE [FILE ...]``: serve data files in the viewer until Ctrl-C."""
from __future__ import annotations

import argparse
import sys
import time

from .loaders import LoadError, demo_frames, load_file, name_for


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dtale-lite",
        description="Open CSV, TSV, Parquet, JSON, Feather/Arrow and Excel files in the "
                    "dtale_lite viewer.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="data files to open")
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
            print(f"loading {path} ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            frames[name] = load_file(path)
            print(f"loaded {path}: {len(frames[name]):,} rows x {frames[name].shape[1]:,} "
                  f"columns in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    except LoadError as exc:
        print(f"dtale-lite: {exc}", file=sys.stderr)
        return 1

    import dtale_lite

    try:
        shown = [dtale_lite.show(frame, name=name, host=args.host, port=args.port,
                                 reaper_timeout=args.reaper_timeout)
                 for name, frame in frames.items()]
    except (OSError, ValueError) as exc:
        print(f"dtale-lite: cannot start the server: {exc}", file=sys.stderr)
        return 1
    home = f"{shown[0].base_url}/?key={shown[0].key}"
    for inst in shown:
        print(f"{inst.name}: {len(inst.data):,} rows  {inst.url}")
    print(f"all frames: {home}\nPress Ctrl-C to stop.", flush=True)
    if not args.no_browser:
        import webbrowser

        webbrowser.open(shown[0].url if len(shown) == 1 else home)
    return _wait(dtale_lite)


def _wait(dtale_lite) -> int:
    viewer = dtale_lite._viewer()
    try:
        # Wake up periodically: the server may stop on its own (reaper, POST /shutdown).
        while viewer.server is not None and viewer.server.running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nstopping", file=sys.stderr)
    finally:
        dtale_lite.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
