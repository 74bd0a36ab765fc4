"""The pinned files are generated from pyproject.toml (`make lock`); these tests
fail when someone edits one without the other."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins(path):
    out, editable = {}, []
    for line in (ROOT / path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-e"):
            editable.append(line)
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"{path}: {line} is not pinned with =="
        out[canonicalize_name(req.name)] = spec.version
    return out, editable


def declared(*extras):
    reqs = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        reqs += PYPROJECT["project"]["optional-dependencies"][extra]
    return [Requirement(r) for r in reqs]


def test_binder_pins_satisfy_pyproject_and_install_klbook():
    binder, editable = pins("binder/requirements.txt")
    assert editable == ["-e ."]
    for req in declared("book"):
        assert canonicalize_name(req.name) in binder, f"{req.name} missing from binder/requirements.txt"
        assert req.specifier.contains(binder[canonicalize_name(req.name)]), f"{req} vs {binder[canonicalize_name(req.name)]}"


def test_test_pins_extend_binder_pins_exactly():
    binder, _ = pins("binder/requirements.txt")
    full, _ = pins("requirements-test.txt")
    assert {k: full.get(k) for k in binder} == binder
    for req in declared("book", "test"):
        assert req.specifier.contains(full[canonicalize_name(req.name)]), str(req)


def test_jupyter_book_is_held_below_2():
    binder, _ = pins("binder/requirements.txt")
    assert binder["jupyter-book"].startswith("1.")
    (spec,) = [r for r in declared("book") if r.name == "jupyter-book"]
    assert not spec.specifier.contains("2.0.0")


def test_binder_installs_what_a_reader_needs_and_nothing_else():
    binder, _ = pins("binder/requirements.txt")
    for needed in ("ipywidgets", "ipykernel", "jupyterlab", "numpy", "scipy", "matplotlib"):
        assert needed in binder, f"binder/requirements.txt lacks {needed}"
    files = sorted(p.name for p in (ROOT / "binder").iterdir())
    assert set(files) <= {"requirements.txt", "runtime.txt", "postBuild", "start", "apt.txt"}, files


def test_runtime_is_python_311_which_the_package_supports():
    """binder/runtime.txt names the Python that make test uses (3.11), and
    pyproject's requires-python admits it."""
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    requires = PYPROJECT["project"]["requires-python"]
    assert Requirement(f"python{requires}").specifier.contains("3.11"), requires
