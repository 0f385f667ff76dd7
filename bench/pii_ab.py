"""A/B timing of the PII detector between two checkouts, in CPU time, for "Speed pass 2" in docs/performance.md.

Two modes:

- ``detect``: ``detect()`` over the whole tune corpus of ``bench/pii.py`` (4,000 documents, each with its
  record's known values and region), names stage on and off, best of ``--passes`` passes after one warm-up
  pass, with the code of ``--root`` (this checkout by default). Run it for the old and the new checkout in
  turn, as separate processes, several times alternating, and compare the figures of each pair.
  ``--cold`` empties the caches this speed pass added (run decisions of the names stage, phrases per known
  value) before every pass, so only the reuse within one pass over the corpus counts; without it the figure is
  the steady state that ``bench/pii.py`` measures.
- ``stages``: the names stage (``find_names``) and the record's known values (``_find_known``, phrases
  included) of this checkout against those of ``--base`` (read from its files), in one process, alternating
  pass by pass; prints each one's best and the median ratio of the pairs.

Only CPU time (``time.process_time``) is used: the machine is shared, and wall time would mostly measure the
other processes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _setup(root: Path) -> None:
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(HERE / "bench"))  # the corpus generator of this checkout, for both sides
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")
    import django

    django.setup()


def _empty_new_caches() -> None:
    from agents.pii import names, phrases

    for module, name in ((names, "_run_names"), (phrases, "_value_entries")):
        cache = getattr(module, name, None)
        if cache is not None:
            cache.cache_clear()


def _best(fn: Callable[[], None], passes: int, before: Callable[[], None] | None = None) -> float:
    best = float("inf")
    for _ in range(passes):
        if before is not None:
            before()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def detect_mode(args: argparse.Namespace) -> None:
    root = Path(args.root).resolve()
    _setup(root)
    from pii_corpus import generate

    from agents import pii

    docs = generate(4000, 20240315)
    mb = sum(len(d["text"].encode()) for d in docs) / 1e6
    texts = [(d["text"], d["known"], d["region"]) for d in docs]

    def run(names: bool) -> Callable[[], None]:
        def go() -> None:
            for text, known, region in texts:
                pii.detect(text, known_values=known, region=region, names=names)
        return go

    run(True)()  # warm-up: gazetteer, metadata, regexes
    before = _empty_new_caches if args.cold else None
    on = _best(run(True), args.passes, before)
    off = _best(run(False), args.passes, before)
    print(f"{root} {'cold' if args.cold else 'steady'}: names on {on * 1000:.0f} ms ({mb / on:.2f} MB/s), "
          f"names off {off * 1000:.0f} ms ({mb / off:.2f} MB/s); load average {os.getloadavg()[0]:.1f}")


def _load(name: str, path: Path, replace: tuple[tuple[str, str], ...] = ()) -> types.ModuleType:
    source = path.read_text()
    for old, new in replace:
        source = source.replace(old, new)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    exec(compile(source, str(path), "exec"), module.__dict__)  # the other checkout's own module, read-only
    return module


def stages_mode(args: argparse.Namespace) -> None:
    _setup(HERE)
    from pii_corpus import generate

    from agents.pii import known, names

    base = Path(args.base).resolve() / "agents" / "pii"
    _load("base_phrases", base / "phrases.py")  # what the base's known.py imports, under another name
    old_known = _load("base_known", base / "known.py",
                      (("from agents.pii.phrases import", "from base_phrases import"),))
    old_names = _load("base_names", base / "names.py")
    docs = generate(4000, 20240315)
    texts = [d["text"] for d in docs]
    records = [(d["text"], known._normalise_known(d["known"])) for d in docs if d["known"]]
    runs: dict[str, Callable[[], None]] = {
        "names, base": lambda: [old_names.find_names(t) for t in texts],  # type: ignore[func-returns-value]
        "names, this": lambda: [names.find_names(t) for t in texts],
        "known, base": lambda: [old_known._find_known(t, i) for t, i in records],
        "known, this": lambda: [known._find_known(t, i) for t, i in records],
    }
    for fn in runs.values():
        fn()
    before = _empty_new_caches if args.cold else None
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.passes):
        for name, fn in runs.items():
            seconds[name].append(_best(fn, 1, before))
    for name, values in seconds.items():
        print(f"{name:12} best {min(values) * 1000:6.1f} ms   passes " + " ".join(f"{v * 1000:.0f}" for v in values))
    for stage in ("names", "known"):
        ratios = [a / b for a, b in zip(seconds[f"{stage}, base"], seconds[f"{stage}, this"], strict=True)]
        print(f"{stage}: base/this {statistics.median(ratios):.2f}x (median of {len(ratios)} pairs)")
    print(f"{'cold' if args.cold else 'steady'}; load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("detect", "stages"))
    parser.add_argument("--root", default=str(HERE), help="checkout whose agents/pii detect mode times")
    parser.add_argument("--base", default="/work/main", help="checkout stages mode compares with")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="empty the new caches before every pass")
    args = parser.parse_args()
    detect_mode(args) if args.mode == "detect" else stages_mode(args)


if __name__ == "__main__":
    main()
