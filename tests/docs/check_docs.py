#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every `costmodel` command that README.md and docs/*.md show, so the docs cannot drift.

Fenced blocks are read by their info string:

- ```sh / ```shell: each line (backslash continuations joined, `# comments` dropped) that starts
  with `costmodel` is run from the repository root and must exit 0.
- ```console: `$ costmodel ...` lines are commands, the lines after them (up to the next `$` or
  the end) are the output they must print, stdout and stderr together. A line `...` stands for
  any number of lines (an abridged output); `# exit N` after the command expects exit code N.
- ```cpp with a first line `// doc-test: compile-error <text>`: the snippet must fail to compile
  against include/ and the compiler (in the C locale) must say <text>, or one of the texts
  separated by ` || ` (one per compiler); troubleshooting.md shows real errors.
- ```cpp with `// doc-test: compile`: the snippet must compile.

Also runs every example that `costmodel --help` and each subcommand's help print.
Usage: check_docs.py --costmodel BIN --root DIR [--cxx CXX] [--update] FILE.md...
--update rewrites the output of every console block that has no `...` with what the program
prints now (review the diff before committing it); abridged blocks are only checked.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\S*)\s*$")


def blocks(path):
    """Yields (info, first line number, lines) for every fenced block of a Markdown file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        info, start, body = m.group(1), i + 1, []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        yield info, start + 1, body


def joined(lines):
    """Joins backslash continuations; yields (offset, line)."""
    buf, first = "", None
    for n, line in enumerate(lines):
        if first is None:
            first = n
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        yield first, buf + line
        buf, first = "", None
    if buf:
        yield first, buf


class Checker:
    def __init__(self, costmodel, root, cxx, update=False):
        self.update = update
        self.root = root
        self.cxx = cxx
        self.env = dict(os.environ)
        self.env.pop("COSTMODEL_PRESET_PATH", None)
        self.env.pop("COLUMNS", None)  # the docs show output unwrapped (a pipe)
        self.env["LC_ALL"] = "C"
        # Run `costmodel` by name, so its usage lines read "costmodel", as in the docs.
        self.env["PATH"] = os.path.dirname(os.path.abspath(costmodel)) + os.pathsep + self.env["PATH"]
        self.exe = os.path.basename(costmodel)
        self.failures = []
        self.commands = 0

    def fail(self, where, what):
        self.failures.append(f"{where}: {what}")

    def run(self, argv):
        argv = [self.exe] + argv[1:]
        p = subprocess.run(argv, cwd=self.root, env=self.env, capture_output=True, text=True,
                           timeout=120)
        self.commands += 1
        return p.returncode, p.stdout, p.stderr

    def check_command(self, where, line):
        argv = shlex.split(line, comments=True)
        if not argv or argv[0] != "costmodel":
            return
        rc, out, err = self.run(argv)
        if rc != 0:
            self.fail(where, f"`{line.strip()}` exited {rc}\n{err}")

    def check_console(self, where_file, start, body):
        """Checks a console block; returns its body with fresh output when updating."""
        cases, cur = [], None
        for n, line in enumerate(body):
            if line.startswith("$ "):
                cur = [start + n, line[2:], []]
                cases.append(cur)
            elif cur is not None:
                cur[2].append(line)
        for line_no, cmd, expected in cases:
            where = f"{where_file}:{line_no}"
            code = 0
            m = re.search(r"#\s*exit\s+(\d+)\s*$", cmd)
            if m:
                code = int(m.group(1))
            argv = shlex.split(cmd, comments=True)
            if not argv or argv[0] != "costmodel":
                continue
            rc, out, err = self.run(argv)
            if rc != code:
                self.fail(where, f"`{cmd}` exited {rc}, the docs say {code}\n{err}")
                continue
            got = (out + err).rstrip("\n").split("\n")
            while expected and expected[-1] == "":
                expected.pop()
            got = [g.rstrip() for g in got]
            if self.update and "..." not in expected:
                expected[:] = got
                continue
            if not matches([e.rstrip() for e in expected], got):
                self.fail(where, f"`{cmd}` printed something else than the docs show:\n"
                                 + "\n".join(got) + "\n--- the docs show ---\n"
                                 + "\n".join(expected))
        # The block again, each command followed by its (possibly refreshed) output.
        new_body = body[: cases[0][0] - start] if cases else list(body)
        for case in cases:
            new_body.append("$ " + case[1])
            new_body.extend(case[2])
        return new_body

    def check_cpp(self, where, body):
        first = body[0] if body else ""
        m = re.match(r"//\s*doc-test:\s*(compile-error|compile)\s*(.*)$", first)
        if not m or not self.cxx:
            return
        with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
            f.write("\n".join(body) + "\n")
            name = f.name
        try:
            p = subprocess.run([self.cxx, "-std=c++20", "-fsyntax-only", "-I",
                                os.path.join(self.root, "include"), name],
                               capture_output=True, text=True, timeout=300,
                               env=dict(os.environ, LC_ALL="C"))
        finally:
            os.unlink(name)
        self.commands += 1
        if m.group(1) == "compile" and p.returncode != 0:
            self.fail(where, "the snippet does not compile:\n" + p.stderr[:3000])
        elif m.group(1) == "compile-error":
            if p.returncode == 0:
                self.fail(where, "the snippet compiles, the docs say it must not")
            elif not any(t.strip() in p.stderr for t in m.group(2).split(" || ")):
                self.fail(where, f"the compiler did not say '{m.group(2).strip()}':\n"
                                 + p.stderr[:3000])

    def check_file(self, path):
        rel = os.path.relpath(path, self.root)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        replacements = []
        for info, start, body in blocks(path):
            if info in ("sh", "shell", "bash"):
                for off, line in joined(body):
                    self.check_command(f"{rel}:{start + off}", line)
            elif info == "console":
                new_body = self.check_console(rel, start, body)
                if self.update and new_body != body:
                    replacements.append((start - 1, len(body), new_body))
            elif info == "cpp":
                self.check_cpp(f"{rel}:{start}", body)
        if replacements:
            for first, count, new_body in reversed(replacements):
                lines[first:first + count] = new_body
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            print(f"updated {len(replacements)} blocks of {rel}")

    def subcommands(self):
        """The subcommands `costmodel --help` lists."""
        rc, out, _ = self.run(["costmodel", "--help"])
        subs, inside = [], False
        for line in out.split("\n"):
            if line.startswith("Subcommands:"):
                inside = True
            elif inside and line.startswith("  ") and line.strip():
                subs.append(line.split()[0])
            elif inside and not line.strip():
                break
        return subs

    def check_reference(self, path):
        """docs/calculator.md's reference has every subcommand's --help (compared as a console
        block by check_file), so a new command cannot be left out of it."""
        with open(os.path.join(self.root, path), encoding="utf-8") as f:
            text = f.read()
        for sub in self.subcommands():
            if f"$ costmodel {sub} --help\n" not in text:
                self.fail(f"{path}: reference", f"no `costmodel {sub} --help` block")

    def check_help_examples(self):
        for sub in ["", "estimate", "compare", "list", "show", "explain", "trends"]:
            argv = ["costmodel"] + ([sub] if sub else []) + ["--help"]
            rc, out, err = self.run(argv)
            if rc != 0:
                self.fail(f"costmodel {sub} --help", f"exited {rc}")
                continue
            examples = [l.strip() for l in out.split("\n") if l.startswith("  costmodel ")]
            if not examples:
                self.fail(f"costmodel {sub} --help", "shows no example")
            for e in examples:
                self.check_command(f"`costmodel {sub} --help`", e)


def matches(expected, got):
    """Line-by-line equality, where a `...` line in `expected` matches any run of lines."""
    if not expected:
        return not got or got == [""]
    if expected[0] == "...":
        rest = expected[1:]
        return any(matches(rest, got[i:]) for i in range(len(got) + 1))
    return bool(got) and expected[0] == got[0] and matches(expected[1:], got[1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--costmodel", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--cxx", default="")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    c = Checker(a.costmodel, a.root, a.cxx, a.update)
    for f in a.files:
        c.check_file(f)
    c.check_help_examples()
    c.check_reference("docs/calculator.md")
    print(f"{c.commands} commands and snippets checked in {len(a.files)} files")
    if c.failures:
        print("\n\n".join(c.failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
