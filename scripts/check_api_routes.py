#!/usr/bin/env python3
"""Checks that openapi.yaml and the server's code name the same routes.

    scripts/check_api_routes.py [openapi.yaml] [Sources/Server]

Reads every `router.get("/path")`, `group.post("/path")`, ... in the Swift sources (a path
parameter `:kind` becomes `{kind}`) and every operation under `paths` in the spec, and fails
with the difference, in both directions. Exits 0 when they match, 1 when they differ, 2 when it
cannot run.
"""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")

try:
    import yaml
except ImportError:
    print("check_api_routes: PyYAML is missing, installing it with pip", file=sys.stderr)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "pyyaml"]
    if subprocess.run(pip).returncode != 0:
        subprocess.run(pip + ["--break-system-packages"], check=True)
    import yaml

# `router.get("/t/:kind")`, `group.post("/v1/events")`, also `.on("/x", method: .get)`, on a
# receiver named like a router or a group, or a variable that holds one (`let dashboard =
# router.group()`); `context.parameters.get("kind")` is not a route.
ROUTE = re.compile(r"\b(\w+)\s*\.\s*(" + "|".join(METHODS) + r')\s*\(\s*"([^"]*)"')
ON_ROUTE = re.compile(r'\b(\w+)\s*\.\s*on\s*\(\s*"([^"]*)"\s*,\s*method:\s*\.(\w+)')
ROUTER_NAME = re.compile(r"(?i)^\w*(router|group)$")
GROUP_VARIABLE = re.compile(r"\b(?:let|var)\s+(\w+)\s*=\s*\w+\s*\.\s*group\s*\(")
# A group with a path prefix would need joining; none exists today, so refuse rather than guess.
PREFIXED_GROUP = re.compile(r'\.\s*group\s*\(\s*"([^"]+)"')


def swift_path(path):
    path = "/" + path.strip("/") if path not in ("", "/") else "/"
    return re.sub(r":(\w+)", r"{\1}", path)


def swift_lines(sources):
    for folder, _, files in sorted(os.walk(sources)):
        for name in sorted(files):
            if name.endswith(".swift"):
                file = os.path.join(folder, name)
                with open(file, encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        yield file, number, line


def code_routes(sources):
    receivers = {name for _, _, line in swift_lines(sources) for name in GROUP_VARIABLE.findall(line.split("//", 1)[0])}
    routes = {}
    for file, number, line in swift_lines(sources):
        code = line.split("//", 1)[0]
        where = f"{os.path.relpath(file, ROOT)}:{number}"
        for prefix in PREFIXED_GROUP.findall(code):
            raise SystemExit(f"check_api_routes: {where} groups routes under {prefix!r}; teach this script to join prefixes")
        found = [(r, m, p) for r, m, p in ROUTE.findall(code)] + [(r, m, p) for r, p, m in ON_ROUTE.findall(code)]
        for receiver, method, path in found:
            if ROUTER_NAME.match(receiver) or receiver in receivers:
                routes.setdefault((method.upper(), swift_path(path)), where)
    return routes


def spec_routes(spec_file):
    with open(spec_file, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    routes = set()
    for path, item in (spec.get("paths") or {}).items():
        for method in item or {}:
            if method in METHODS:
                routes.add((method.upper(), path))
    return routes


def main():
    spec_file = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "openapi.yaml")
    sources = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "Sources", "Server")
    if not os.path.isfile(spec_file) or not os.path.isdir(sources):
        print(f"check_api_routes: need {spec_file} and {sources}", file=sys.stderr)
        return 2
    in_code = code_routes(sources)
    in_spec = spec_routes(spec_file)
    if not in_code:
        print(f"check_api_routes: found no routes in {sources}", file=sys.stderr)
        return 2
    missing = sorted(set(in_code) - in_spec)
    extra = sorted(in_spec - set(in_code))
    for method, path in missing:
        print(f"  in the code, not in {os.path.basename(spec_file)}: {method} {path} ({in_code[(method, path)]})")
    for method, path in extra:
        print(f"  in {os.path.basename(spec_file)}, not in the code: {method} {path}")
    if missing or extra:
        print(f"check_api_routes: {len(missing) + len(extra)} route(s) differ")
        return 1
    print(f"check_api_routes: the code and {os.path.basename(spec_file)} name the same {len(in_code)} routes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
