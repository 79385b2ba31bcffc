#!/usr/bin/env python3
"""The package as a Python user gets it: pip install, then the tests.

  pip_install.py SOURCE_ROOT

In a temporary directory outside the source tree:
 1. a venv (--system-site-packages: Debian's meson-python is a system
    package) from the first Python that has meson-python and venv: this
    one, or Debian's /usr/bin/python3;
 2. pip install --no-build-isolation SOURCE_ROOT/bindings/python into it,
    which compiles the library and the module (nothing else built first);
 3. checks the installed package: imported from the venv, __version__ ==
    version() == the distribution's version == meson.build's, metadata
    (license, summary, description = bindings/python/README.md,
    classifiers, Requires-Python), type stubs;
 4. runs tests/python against it (no PYTHONPATH, cwd outside the tree) and
    the README's Python example from that directory;
 5. builds a wheel (python3 -m build --wheel --no-isolation when Debian's
    python3-build is there, else pip wheel; the same meson build directory,
    so nothing is compiled again), installs it into a second venv with only
    that venv's bin/ on PATH (no compiler) and prices with it.
Exit 77 (skipped) when no Python has meson-python and venv.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def run(cmd, cwd, env, what):
    print("$ " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=cwd, env=env)
    if r.returncode != 0:
        sys.exit("pip_install: %s failed (exit %d)" % (what, r.returncode))


def has_modules(python, modules):
    code = "import " + ", ".join(modules)
    try:
        return subprocess.run([python, "-c", code], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


def main(root):
    root = os.path.abspath(root)
    package = os.path.join(root, "bindings", "python")
    candidates = []
    for p in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(p) and os.path.realpath(p) not in map(os.path.realpath, candidates):
            candidates.append(p)
    python = next((p for p in candidates if has_modules(p, ["mesonpy", "venv", "ensurepip"])),
                  None)
    if python is None:
        print("SKIP: no Python with meson-python, venv and ensurepip among %s "
              "(Debian: apt-get install python3-mesonpy python3-venv)" % ", ".join(candidates))
        return SKIP
    print("building with %s" % python)

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    work = tempfile.mkdtemp(prefix="b2bcore-pip-")
    # meson-python 0.12 writes its native file into the package's folder
    native = os.path.join(package, ".mesonpy-native-file.ini")
    native_before = os.path.exists(native)
    ok = False
    try:
        venv = os.path.join(work, "venv")
        vpy = os.path.join(venv, "bin", "python")
        builddir = os.path.join(work, "meson-build")
        run([python, "-m", "venv", "--system-site-packages", venv], work, env, "python3 -m venv")
        run([vpy, "-m", "pip", "install", "--no-index", "--no-build-isolation",
             "--config-settings", "builddir=" + builddir, package], work, env, "pip install")

        with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
            version = re.search(r"\bversion\s*:\s*'([^']+)'", f.read()).group(1)
        check = r"""
import importlib.metadata as md, os, sys
import b2bcore
venv, version, readme = sys.argv[1:4]
assert os.path.realpath(b2bcore.__file__).startswith(os.path.realpath(venv) + os.sep), b2bcore.__file__
assert b2bcore.__version__ == b2bcore.version() == md.version("b2bcore") == version, (
    b2bcore.__version__, b2bcore.version(), md.version("b2bcore"), version)
m = md.metadata("b2bcore")
assert m["License"] == "MIT", m["License"]
assert m["Requires-Python"] == ">=3.10", m["Requires-Python"]
assert m["Summary"].startswith("Exact B2B pricing"), m["Summary"]
assert "License :: OSI Approved :: MIT License" in m.get_all("Classifier"), m.get_all("Classifier")
assert m["Description-Content-Type"] == "text/markdown", m["Description-Content-Type"]
with open(readme, encoding="utf-8") as f:
    assert m.get_payload().strip() == f.read().strip(), "description is not bindings/python/README.md"
pkg = os.path.dirname(b2bcore.__file__)
for stub in ("__init__.pyi", "py.typed"):
    assert os.path.isfile(os.path.join(pkg, stub)), stub
print("installed: b2bcore %s at %s" % (b2bcore.__version__, pkg))
"""
        run([vpy, "-c", check, venv, version, os.path.join(package, "README.md")],
            work, env, "checking the installed package")

        tests = os.path.join(root, "tests", "python")
        tenv = dict(env, B2B_EXAMPLES_DIR=os.path.join(root, "examples"))
        run([vpy, "-m", "unittest", "discover", "-s", tests, "-t", tests], work, tenv,
            "tests/python against the installed package")

        with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
            text = f.read()
        start = text.index("<!-- python-example -->")
        block = text[text.index("```python", start) + len("```python"):]
        block = block[:block.index("```")]
        # the sample's paths are relative to the clone; here, from elsewhere
        block = block.replace('"examples/', '"' + os.path.join(root, "examples") + "/")
        example = os.path.join(work, "readme_example.py")
        with open(example, "w", encoding="utf-8") as f:
            f.write(block)
        out = subprocess.run([vpy, example], cwd=work, env=env, capture_output=True, text=True)
        print(out.stdout + out.stderr, end="")
        if out.returncode != 0 or "3901.76 2" not in out.stdout:
            sys.exit("pip_install: the README's Python example failed from %s" % work)

        dist = os.path.join(work, "dist")
        if has_modules(vpy, ["build"]):
            run([vpy, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist,
                 "--config-setting", "builddir=" + builddir, package], work, env,
                "python3 -m build --wheel")
        else:
            print("(python3-build not installed: the wheel is made with pip wheel)")
            run([vpy, "-m", "pip", "wheel", "--no-index", "--no-build-isolation", "--no-deps",
                 "--config-settings", "builddir=" + builddir, "--wheel-dir", dist, package],
                work, env, "pip wheel")
        wheels = glob.glob(os.path.join(dist, "b2bcore-%s-*.whl" % version))
        if len(wheels) != 1:
            sys.exit("pip_install: expected one wheel b2bcore-%s-*.whl in %s, found %s"
                     % (version, dist, os.listdir(dist)))
        print("wheel: %s (%d bytes)" % (os.path.basename(wheels[0]), os.path.getsize(wheels[0])))

        venv2 = os.path.join(work, "venv2")
        run([python, "-m", "venv", "--system-site-packages", venv2], work, env, "python3 -m venv")
        bin2 = os.path.join(venv2, "bin")
        nocc = dict(env, PATH=bin2, CC="/nonexistent/cc")
        for cc in ("cc", "gcc", "clang"):
            if shutil.which(cc, path=bin2):
                sys.exit("pip_install: %s is on the PATH of the compiler-free install" % cc)
        elsewhere = os.path.join(work, "elsewhere")
        os.mkdir(elsewhere)
        run([os.path.join(bin2, "python"), "-m", "pip", "install", "--no-index", wheels[0]],
            elsewhere, nocc, "pip install of the wheel without a compiler")
        price = ("import b2bcore, sys; b = b2bcore.Book.load(sys.argv[1]); "
                 "r = b.price('C-KRONE', 'NUT-M10-934', '150', '2026-06-15'); "
                 "assert str(r.unit_price) == '6.6867', r.unit_price; "
                 "print('wheel installed without a compiler: b2bcore', b2bcore.__version__, "
                 "'unit price', r.unit_price)")
        run([os.path.join(bin2, "python"), "-c", price,
             os.path.join(root, "examples", "data", "book")], elsewhere, nocc,
            "the wheel's package")
        ok = True
    finally:
        if not native_before and os.path.exists(native):
            os.remove(native)
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("pip_install: kept %s" % work)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pip_install.py SOURCE_ROOT")
    sys.exit(main(sys.argv[1]))
