#!/usr/bin/env python3
"""JUnit's classname by the rule docs/formats.md states, read back with an XML parser.

`closesim check --format junit` is run on one scenario reached by every kind of path a user
types (`.`, `./x`, a bare name, `../x`, an absolute path, a folder with a dot in its name); the
document must parse (xml.etree), and each <testcase>'s classname must be what the documented rule
gives for its file: the folder's components other than "", "." and "..", each '.' in them written
'_', joined with '.'; "closesim" when none is left.

usage: junit_classname.py CLOSESIM SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def documented_classname(file):
    folder = file.rsplit("/", 1)[0] if "/" in file else ""
    parts = [p.replace(".", "_") for p in folder.split("/") if p not in ("", ".", "..")]
    return ".".join(parts) or "closesim"


def main():
    closesim, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    scenario = os.path.join(src, "scenarios", "basics", "graceful_close.scn")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "work", "suite.v1", "linger"))
        os.makedirs(os.path.join(tmp, "other"))
        shutil.copy(scenario, os.path.join(tmp, "work", "top.scn"))
        shutil.copy(scenario, os.path.join(tmp, "work", "suite.v1", "linger", "deep.scn"))
        shutil.copy(scenario, os.path.join(tmp, "other", "far.scn"))
        work = os.path.join(tmp, "work")
        cases = [
            ["."],                               # ./top.scn, ./suite.v1/linger/deep.scn
            ["top.scn"],                         # top level
            ["./top.scn"],
            ["../other/far.scn"],
            [os.path.join(tmp, "other", "far.scn")],  # absolute
            ["suite.v1"],                        # a folder with a dot in its name
        ]
        for args in cases:
            out = subprocess.run([closesim, "check", "--format", "junit"] + args, cwd=work,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                root = ET.fromstring(out.stdout)
            except ET.ParseError as e:
                print(f"FAIL: closesim check --format junit {' '.join(args)}: not XML: {e}")
                failed = 1
                continue
            cases_seen = root.findall("./testsuite/testcase")
            if not cases_seen:
                print(f"FAIL: no <testcase> for {' '.join(args)}")
                failed = 1
            for tc in cases_seen:
                file, got = tc.get("file"), tc.get("classname")
                want = documented_classname(file)
                if got != want or got.startswith(".") or ".." in got or got.endswith("."):
                    print(f"FAIL: file={file!r}: classname {got!r}, the documented rule gives {want!r}")
                    failed = 1
                else:
                    print(f"ok: {file} -> {got}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
