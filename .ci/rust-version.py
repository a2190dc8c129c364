#!/usr/bin/env python3
"""Checks that Cargo.toml's rust-version is the true minimum: no locked
dependency needs a newer Rust. (Our own code is held to it by clippy's
`incompatible_msrv` lint, which `.ci/run` runs with -D warnings.)"""
import json
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split("."))


meta = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--locked", "--format-version", "1"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
ours = next(p for p in meta["packages"] if p["source"] is None)
declared = ours.get("rust_version")
if not declared:
    sys.exit("Cargo.toml declares no rust-version")
needs = [
    (version(p["rust_version"]), p["name"], p["version"])
    for p in meta["packages"]
    if p["source"] is not None and p.get("rust_version")
]
highest = max(needs)
if highest[0] > version(declared):
    sys.exit(
        f"rust-version = {declared}, but {highest[1]} {highest[2]} needs Rust "
        f"{'.'.join(map(str, highest[0]))}: raise rust-version in Cargo.toml"
    )
print(
    f"rust-version {declared}: every locked dependency builds with it "
    f"(the most demanding, {highest[1]} {highest[2]}, needs {'.'.join(map(str, highest[0]))})"
)
