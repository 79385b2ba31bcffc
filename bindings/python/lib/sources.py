#!/usr/bin/env python3
"""What the pip build of b2bcore reads from the project around it.

bindings/python is a meson-python project of its own, so that
``pip install ./bindings/python`` works from a clean clone; it compiles the
C library from ../../src itself. The version and the library's sources
stay defined in one place, the project's meson files:

  sources.py version        the version of the project() call of meson.build
  sources.py layers         the layers of src/meson.build, bottom up
  sources.py sources LAYER  the library sources of one layer: src/LAYER/*.c,
                            absolute paths
  sources.py check FILE...  (a test of the project's build) exit 1 unless
                            FILE... (src/meson.build's list) are exactly
                            the sources that the pip build compiles
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def version():
    m = re.search(r"\bproject\s*\((.*?)\)", read("meson.build"), re.S)
    v = m and re.search(r"\bversion\s*:\s*'([^']+)'", m.group(1))
    if not v:
        sys.exit("sources.py: no version: '...' in the project() call of %s"
                 % os.path.join(ROOT, "meson.build"))
    return v.group(1)


def layers():
    m = re.search(r"^b2b_layer_order\s*=\s*\[([^\]]*)\]", read("src/meson.build"), re.M)
    if not m:
        sys.exit("sources.py: no b2b_layer_order = [...] in %s"
                 % os.path.join(ROOT, "src", "meson.build"))
    return re.findall(r"'([^']+)'", m.group(1))


def sources(layer):
    d = os.path.join(ROOT, "src", layer)
    return sorted("src/%s/%s" % (layer, f) for f in os.listdir(d) if f.endswith(".c"))


def main(argv):
    if argv[:1] == ["version"] and len(argv) == 1:
        print(version())
    elif argv[:1] == ["layers"] and len(argv) == 1:
        print("\n".join(layers()))
    elif argv[:1] == ["sources"] and len(argv) == 2:
        print("\n".join(os.path.join(ROOT, s) for s in sources(argv[1])))
    elif argv[:1] == ["check"]:
        listed = {os.path.relpath(os.path.abspath(f), ROOT) for f in argv[1:]}
        globbed = {s for layer in layers() for s in sources(layer)}
        for s in sorted(globbed - listed):
            print("%s: compiled by the pip build (bindings/python) but not listed in "
                  "src/meson.build; list it there or move it out of the layer's folder" % s)
        for s in sorted(listed - globbed):
            print("%s: listed in src/meson.build but not found by the pip build "
                  "(bindings/python/lib/sources.py)" % s)
        if listed != globbed:
            return 1
        print("the pip build compiles the %d sources of src/meson.build" % len(listed))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
