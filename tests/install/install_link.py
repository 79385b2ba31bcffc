#!/usr/bin/env python3
"""Install the library and build an out-of-tree program against it.

`meson install --destdir` into a temporary directory, then, as an
integrator would, compile examples/quote_minimal.c (copied out of the
tree) with `pkg-config --cflags --libs libb2bcore` pointed at the staged
files (PKG_CONFIG_LIBDIR + PKG_CONFIG_SYSROOT_DIR):

  shared   linked with the .so; run with LD_LIBRARY_PATH on the staged lib
           dir, and ldd must resolve libb2bcore.so.0 there;
  static   `pkg-config --static`, libb2bcore.a taken in place of the .so
           (-Wl,-Bstatic); ldd must not list libb2bcore;
  full     `pkg-config --static` with -static: the whole program static,
           which proves the .pc's Libs/Libs.private are complete (skipped in
           a sanitized build, which cannot link -static, or without libc.a).

Each program must print the golden quote of the sample book. The staged
tree must hold the headers, both libraries, the .pc and the b2b program
(and b2b.1 once src/cli/b2b.1 exists), and the staged b2b must print the
golden quote too.

usage: install_link.py --meson M --builddir B --srcdir S --libdir L
         --includedir I --bindir B --mandir M --version V [--sanitize LIST]
         -- CC [CC ARGS...]          (the directories absolute, as configured)
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HEADERS = ['alloc.h', 'book.h', 'common.h', 'csv.h', 'ctx.h', 'currency.h', 'date.h',
           'error.h', 'json.h', 'money.h', 'order.h', 'price.h', 'quote.h', 'quote_doc.h',
           'version.h']

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def run(cmd, env=None, cwd=None):
    r = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, timeout=300)
    return r.returncode, r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace')


def main():
    ap = argparse.ArgumentParser()
    for a in ('--meson', '--builddir', '--srcdir', '--libdir', '--includedir', '--bindir',
              '--mandir', '--version'):
        ap.add_argument(a, required=True)
    ap.add_argument('--sanitize', default='none')
    ap.add_argument('cc', nargs='+')
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='b2b-install-')
    try:
        test(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        for p in problems:
            print('FAIL: ' + p)
        sys.exit(1)
    print('ok')


def test(args, tmp):
    dest = os.path.join(tmp, 'stage')
    # Only what a C integrator installs: the Python package has its own path.
    rc, out, err = run([args.meson, 'install', '-C', args.builddir, '--no-rebuild',
                        '--destdir', dest, '--tags', 'runtime,devel,man'])
    if not check(rc == 0, 'meson install: exit %d\n%s%s' % (rc, out, err)):
        return
    # the install directories, absolute, as staged under DESTDIR
    libdir, inc, bindir, mandir = (dest + d for d in (args.libdir, args.includedir,
                                                      args.bindir, args.mandir))

    # --- the staged files ---
    want = [os.path.join(inc, 'b2b.h')] + [os.path.join(inc, 'b2b', h) for h in HEADERS]
    want += [os.path.join(libdir, f) for f in
             ('libb2bcore.so', 'libb2bcore.so.0', 'libb2bcore.a', 'pkgconfig/libb2bcore.pc')]
    want.append(os.path.join(bindir, 'b2b'))
    if os.path.exists(os.path.join(args.srcdir, 'src', 'cli', 'b2b.1')):
        want.append(os.path.join(mandir, 'man1', 'b2b.1'))
    for f in want:
        check(os.path.exists(f), 'not installed: ' + os.path.relpath(f, dest))
    if problems:
        return

    env = dict(os.environ)
    env['PKG_CONFIG_LIBDIR'] = os.path.join(libdir, 'pkgconfig')   # no system .pc files
    env.pop('PKG_CONFIG_PATH', None)
    env['PKG_CONFIG_SYSROOT_DIR'] = dest

    def pkg(*opts):
        rc, out, err = run(['pkg-config'] + list(opts) + ['libb2bcore'], env=env)
        check(rc == 0, 'pkg-config %s: %s' % (' '.join(opts), err))
        return shlex.split(out)

    # --- the .pc: version, flags, nothing private to add ---
    check(pkg('--modversion') == [args.version],
          'pkg-config --modversion: %r, not %s' % (pkg('--modversion'), args.version))
    cflags, libs, slibs = pkg('--cflags'), pkg('--libs'), pkg('--static', '--libs')
    check(cflags == ['-I' + inc], 'pkg-config --cflags: %r' % cflags)
    check(libs == ['-L' + libdir, '-lb2bcore'], 'pkg-config --libs: %r' % libs)
    # The library needs libc alone (and the compiler's own runtime for
    # 128-bit division), so --static adds nothing.
    check(slibs == libs, 'pkg-config --static --libs: %r' % slibs)
    with open(os.path.join(libdir, 'pkgconfig', 'libb2bcore.pc')) as f:
        pc = f.read()
    check('Requires' not in pc, 'the .pc requires another package:\n' + pc)

    # --- the out-of-tree program ---
    app = os.path.join(tmp, 'app')
    os.mkdir(app)
    shutil.copy(os.path.join(args.srcdir, 'examples', 'quote_minimal.c'), app)
    with open(os.path.join(args.srcdir, 'examples', 'data', 'quote_response.json'), 'rb') as f:
        golden = f.read()
    book = os.path.join(args.srcdir, 'examples', 'data', 'book')
    request = os.path.join(args.srcdir, 'examples', 'data', 'quote_request.json')
    san = ['-fsanitize=' + args.sanitize] if args.sanitize not in ('', 'none') else []
    cc = args.cc + ['-std=c11', '-Wall', '-Werror'] + san

    def build(name, flags):
        exe = os.path.join(app, name)
        rc, out, err = run(cc + ['quote_minimal.c', '-o', exe] + flags, cwd=app)
        check(rc == 0, '%s: compile/link failed (%s): %s' % (name, ' '.join(flags), err))
        return exe if rc == 0 else None

    def quote(name, exe, run_env):
        r = subprocess.run([exe, book, request], env=run_env, capture_output=True, timeout=120)
        check(r.returncode == 0 and r.stdout == golden,
              '%s: exit %d, %s\n%s' % (name, r.returncode,
                                       'golden quote' if r.stdout == golden else 'wrong output',
                                       r.stderr.decode('utf-8', 'replace')))

    def ldd(exe, run_env):
        rc, out, err = run(['ldd', exe], env=run_env)
        return out + err

    run_env = dict(os.environ)
    run_env['LD_LIBRARY_PATH'] = libdir
    exe = build('app-shared', cflags + libs)
    if exe:
        deps = ldd(exe, run_env)
        line = [l for l in deps.splitlines() if 'libb2bcore' in l]
        check(len(line) == 1 and ('=> ' + os.path.join(libdir, 'libb2bcore.so.0')) in line[0],
              'app-shared does not use the staged libb2bcore.so.0:\n' + deps)
        quote('app-shared', exe, run_env)
        print('shared: %s' % ' '.join(cflags + libs))
        print('  ' + (line[0].strip() if line else '?'))

    static_libs = []
    for t in slibs:
        static_libs += ['-Wl,-Bstatic', t, '-Wl,-Bdynamic'] if t == '-lb2bcore' else [t]
    exe = build('app-static', pkg('--static', '--cflags') + static_libs)
    if exe:
        deps = ldd(exe, dict(os.environ))
        check('libb2bcore' not in deps, 'app-static still needs libb2bcore.so:\n' + deps)
        quote('app-static', exe, dict(os.environ))
        print('static: %s' % ' '.join(pkg('--static', '--cflags') + static_libs))

    libc_a = run(args.cc + ['-print-file-name=libc.a'])[1].strip()
    if san:
        print('full static: skipped (sanitized build)')
    elif not os.path.isabs(libc_a):
        print('full static: skipped (no libc.a)')
    else:
        exe = build('app-full-static', ['-static'] + pkg('--static', '--cflags') + slibs)
        if exe:
            deps = ldd(exe, dict(os.environ))
            check('not a dynamic executable' in deps or 'statically linked' in deps,
                  'app-full-static is dynamic:\n' + deps)
            quote('app-full-static', exe, dict(os.environ))
            print('full static: -static %s' % ' '.join(slibs))

    # --- the staged b2b program ---
    b2b = os.path.join(bindir, 'b2b')
    r = subprocess.run([b2b, 'quote', '--book', book, request], capture_output=True,
                       timeout=120, env=run_env)
    check(r.returncode == 0 and r.stdout == golden,
          'staged b2b quote: exit %d\n%s' % (r.returncode, r.stderr.decode('utf-8', 'replace')))


if __name__ == '__main__':
    main()
