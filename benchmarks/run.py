"""Run every benchmark: ``make bench``. Each module prints its own table."""

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

for name in ("bench_core", "bench_widgets", "bench_explorers", "bench_going_further"):
    if (Path(__file__).resolve().parent / f"{name}.py").exists():
        print(f"\n=== {name} ===")
        importlib.import_module(name).main()
