#!/usr/bin/env python3
"""The manual page b2b.1 against the program's own help.

usage: manpage.py B2B MANPAGE README

Checks that every command `b2b help` lists has its entry in the page and in
README's "The b2b command"; that the options named in `b2b --help` and in
every `b2b COMMAND --help` are the options the page names, no more and no
fewer; that the page has its sections and the three exit statuses; and,
where groff is installed, that it renders without a warning.
Standard library only.
"""
import os
import re
import shutil
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-h)(?![\w-])")


def run(b2b, *args):
    p = subprocess.run([b2b, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0 or p.stderr:
        sys.exit(f"b2b {' '.join(args)}: exit {p.returncode}\n{p.stderr.decode()}")
    return p.stdout.decode()


def roff_text(roff):
    """The words of the page: macro names dropped, escapes resolved."""
    out = []
    for line in roff.splitlines():
        if line.startswith('.\\"'):
            continue
        if line.startswith("."):
            parts = line.split(None, 1)
            line = parts[1] if len(parts) > 1 else ""
            # alternating-font macros join their arguments
            line = line.replace('" "', " ").replace('"', "")
        line = re.sub(r"\\f[BIRP]", "", line)
        line = line.replace("\\-", "-").replace("\\e", "\\").replace("\\(em", "-")
        out.append(line)
    return "\n".join(out)


def main():
    b2b, manpage, readme = (os.path.abspath(a) for a in sys.argv[1:4])
    with open(manpage, encoding="utf-8") as f:
        roff = f.read()
    text = roff_text(roff)
    problems = []

    top = run(b2b, "--help")
    block = top.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    commands = sorted({line.split()[0] for line in block.splitlines()
                       if line.startswith("  ") and not line.startswith("   ")})
    if len(commands) < 8:
        problems.append(f"b2b --help lists only {commands}")
    with open(readme, encoding="utf-8") as f:
        rd = f.read()
    rd_section = rd.split("## The `b2b` command", 1)[1].split("\n## ", 1)[0]
    cmds = roff.split(".SH COMMANDS", 1)[-1].split(".SH ", 1)[0]
    entries = {roff_text(m).split()[0] for m in re.findall(r"^\.TP\n(.*)$", cmds, re.M)}
    for c in commands:
        if c not in entries:
            problems.append(f"command {c!r}: no entry in the page's COMMANDS")
        if re.search(r"\bb2b %s\b" % c, text) is None:
            problems.append(f"command {c!r}: not in the page's SYNOPSIS")
        if c not in ("help", "version") and re.search(r"^b2b %s\b" % c, rd_section, re.M) is None:
            problems.append(f"command {c!r}: not in README \"The b2b command\"")

    helps = {"b2b": top}
    for c in commands:
        helps[c] = run(b2b, c, "--help")
    in_help = {}
    for c, h in helps.items():
        for o in OPTION.findall(h):
            in_help.setdefault(o, set()).add(c)
    in_page = set(OPTION.findall(text))
    for o in sorted(set(in_help) - in_page):
        problems.append(f"option {o} ({', '.join(sorted(in_help[o]))} --help): not in the page")
    for o in sorted(in_page - set(in_help)):
        problems.append(f"option {o}: in the page, in no --help")

    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS",
                    "EXIT STATUS", "FILES", "EXAMPLES", "SEE ALSO"):
        if not re.search(r'^\.SH "?%s"?$' % section, roff, re.M):
            problems.append(f"section {section} missing")
    status = roff.split(".SH EXIT STATUS", 1)[-1].split(".SH ", 1)[0]
    for code in "012":
        if not re.search(r"^\.TP\n\.B %s$" % code, status, re.M):
            problems.append(f"exit status {code}: no entry")

    groff = shutil.which("groff")
    if groff:
        p = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", manpage],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0 or p.stderr:
            problems.append("groff: " + p.stderr.decode("utf-8", "replace"))
    else:
        print("groff not installed: rendering not checked")

    for p in problems:
        print(p)
    print(f"{len(commands)} commands, {len(in_help)} options checked; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
