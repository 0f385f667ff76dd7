"""Compile the PII detector's modules (``agents.pii.COMPILED_MODULES``) with mypyc into C extensions beside them.

Python imports ``agents/pii/names.cpython-311-x86_64-linux-gnu.so`` in preference to ``agents/pii/names.py``; the
.py stays the source and the fallback where nothing was built (``REX_PII_PURE_PYTHON=1`` also forces it). The
modules are compiled as one group, so calls between them are C calls; the group's shared code is
``agents/pii/_native__mypyc.*.so``.

    .venv/bin/python scripts/build_pii.py                 # build, or nothing when the sources did not change
    .venv/bin/python scripts/build_pii.py --only names,phones,known   # a subset (measurements)
    .venv/bin/python scripts/build_pii.py --clean         # remove the extensions: pure Python again

Idempotent: a stamp (``build/pii/stamp``) holds a hash of the compiled sources, the module list and the versions
of Python and mypy; when it matches and every extension is there, nothing is done (about 0.05 s). The first line
also goes to ``agents/pii/.compiled-from``: at import, ``agents.pii`` ignores extensions older than their sources
(an edit after the build) and says so. Exits non-zero when the build fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import sysconfig
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "agents" / "pii"
BUILD = ROOT / "build" / "pii"
STAMP = BUILD / "stamp"
GROUP = "agents.pii._native"
BUILT_FROM = PACKAGE / ".compiled-from"


def _suffix() -> str:
    return str(sysconfig.get_config_var("EXT_SUFFIX"))


def _extensions() -> list[Path]:
    return sorted(PACKAGE.glob(f"*{_suffix()}"))


def _fingerprint(modules: list[str]) -> str:
    import mypy.version

    from agents.pii import sources_digest

    return f"{sources_digest(modules)} {','.join(modules)}\n{sys.version.split()[0]} mypy {mypy.version.__version__}\n"


def clean() -> None:
    for path in _extensions():
        path.unlink()
    for stamp in (STAMP, BUILT_FROM):
        if stamp.exists():
            stamp.unlink()


def build(modules: list[str], force: bool = False) -> bool:
    """Compile ``modules``; False when they were already built from the same sources."""
    fingerprint = _fingerprint(modules)
    wanted = [PACKAGE / f"{name}{_suffix()}" for name in modules]
    if not force and STAMP.exists() and STAMP.read_text() == fingerprint and all(p.exists() for p in wanted):
        return False
    clean()  # no extension of an earlier module list may stay behind
    from mypyc.build import mypycify
    from setuptools import setup

    BUILD.mkdir(parents=True, exist_ok=True)
    cwd = os.getcwd()
    os.chdir(ROOT)  # mypyc names the modules after the paths, relative to the repository's root
    try:
        extensions = mypycify(
            ["--ignore-missing-imports", *(f"agents/pii/{name}.py" for name in modules)],
            opt_level="3", group_name=GROUP, target_dir=str(BUILD / "c"),
        )
        setup(name="rex-pii-native", ext_modules=extensions, packages=[], py_modules=[],
              script_args=["--quiet", "build_ext", "--inplace", "--build-temp", str(BUILD / "temp"),
                           "--build-lib", str(BUILD / "lib")])
    finally:
        os.chdir(cwd)
    missing = [p.name for p in wanted if not p.exists()]
    if missing:
        raise SystemExit(f"build_pii: mypyc did not produce {', '.join(missing)}")
    STAMP.write_text(fingerprint)
    BUILT_FROM.write_text(fingerprint.split("\n")[0] + "\n")  # what agents/pii checks at import
    return True


def main() -> int:
    sys.path.insert(0, str(ROOT))
    # Importing agents.pii before a rebuild warns that the extensions are stale: that is what is being fixed.
    warnings.filterwarnings("ignore", message="agents/pii: the compiled extensions", category=RuntimeWarning)
    from agents.pii import COMPILED_MODULES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated modules of agents/pii to compile (default: all of "
                                       "agents.pii.COMPILED_MODULES)")
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp matches")
    parser.add_argument("--clean", action="store_true", help="remove the compiled extensions and stop")
    args = parser.parse_args()
    if args.clean:
        clean()
        print("build_pii: extensions removed; agents.pii runs from its Python sources")
        return 0
    modules = sorted(args.only.split(",")) if args.only else sorted(COMPILED_MODULES)
    unknown = sorted(set(modules) - set(COMPILED_MODULES))
    if unknown:
        parser.error(f"not compiled modules of agents.pii: {', '.join(unknown)}")
    built = build(modules, force=args.force)
    print(f"build_pii: {'compiled' if built else 'up to date:'} {len(modules)} modules of agents/pii")
    return 0


if __name__ == "__main__":
    sys.exit(main())
