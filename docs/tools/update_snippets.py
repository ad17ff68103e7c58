#!/usr/bin/env python3
"""Rewrites the Markdown blocks marked <!-- snippet: path#tag --> from their sources.

ReadmeSnippetsTest checks that these blocks equal the tagged regions of compiled sources; run this
after changing (or reformatting) such a region: python3 docs/tools/update_snippets.py
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
SNIPPET = re.compile(r"(<!-- snippet: ([^\s#]+)(?:#(\S+))? -->\s*```\w*\n)(.*?)(```)", re.S)


def tagged(path, tag):
    lines = path.read_text().split("\n")
    start = next(i for i, l in enumerate(lines) if f"tag::{tag}[]" in l) + 1
    end = next(i for i, l in enumerate(lines) if f"end::{tag}[]" in l)
    region = lines[start:end]
    indent = min((len(l) - len(l.lstrip()) for l in region if l.strip()), default=0)
    return "".join((l[indent:] if len(l) >= indent else l.strip()) + "\n" for l in region)


def update(md):
    text = md.read_text()

    def repl(m):
        source = ROOT / m.group(2)
        body = source.read_text() if m.group(3) is None else tagged(source, m.group(3))
        return m.group(1) + body + m.group(5)

    new = SNIPPET.sub(repl, text)
    if new != text:
        md.write_text(new)
        print("updated", md.relative_to(ROOT))


for md in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
    update(md)
