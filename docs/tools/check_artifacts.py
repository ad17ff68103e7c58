#!/usr/bin/env python3
"""Checks what a deploy put in a Maven repository directory, the way Maven Central would, and more.

  python3 docs/tools/check_artifacts.py target/staging-repo

For every dev.flags artifact deployed there:
- a pom with name, description, url, licenses, scm (url, connection) and developers, itself or
  through its parent (Central accepts inherited values);
- a jar artifact comes with its -sources.jar and -javadoc.jar; every jar holds META-INF/LICENSE
  (the project's LICENSE, byte for byte) and META-INF/NOTICE;
- the main jar's manifest names an Automatic-Module-Name under dev.flags, unique across the jars;
- flags-bom manages exactly the deployed jar artifacts (so a new module is not forgotten in the BOM,
  and nothing unpublished, like a test kit, is deployed);
- nothing else is deployed: flags-parent, flags-bom and the modules the BOM lists, no others.
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
NS = {"m": "http://maven.apache.org/POM/4.0.0"}
MODULE_NAME = re.compile(r"dev\.flags(\.[a-z][a-z0-9_]*)+")
problems = []


def problem(msg):
    problems.append(msg)


def newest(version_dir, artifact, suffix):
    """The file of a (possibly timestamped SNAPSHOT) deployed artifact, or None."""
    candidates = sorted(version_dir.glob(f"{artifact}-*{suffix}"))
    exact = [c for c in candidates if re.fullmatch(
        re.escape(artifact) + r"-[^/]*?" + re.escape(suffix), c.name)]
    return exact[-1] if exact else None


def pom_value(pom_root, path):
    el = pom_root.find(path, NS)
    return el.text.strip() if el is not None and el.text and el.text.strip() else None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    repo = pathlib.Path(sys.argv[1])
    base = repo / "dev" / "flags"
    if not base.is_dir():
        sys.exit(f"check_artifacts: nothing under {base}: was anything deployed there?")
    license_text = (ROOT / "LICENSE").read_bytes()

    poms, jars = {}, {}
    for artifact_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        artifact = artifact_dir.name
        versions = [v for v in artifact_dir.iterdir() if v.is_dir()]
        if len(versions) != 1:
            problem(f"{artifact}: expected one version, found {[v.name for v in versions]}")
            continue
        vdir = versions[0]
        pom = newest(vdir, artifact, ".pom")
        if pom is None:
            problem(f"{artifact}: no pom")
            continue
        poms[artifact] = ET.parse(pom).getroot()
        jar = newest(vdir, artifact, ".jar")
        if jar is not None and not jar.name.endswith(("-sources.jar", "-javadoc.jar", "-tests.jar")):
            jars[artifact] = vdir

    # Required metadata, inherited from the parent where the pom has none.
    for artifact, root in poms.items():
        parent_id = pom_value(root, "m:parent/m:artifactId")
        parent = poms.get(parent_id) if parent_id else None
        if parent_id and parent is None:
            problem(f"{artifact}: its parent {parent_id} is not deployed")
        for what, path in [("name", "m:name"), ("description", "m:description"), ("url", "m:url"),
                           ("licence", "m:licenses/m:license/m:name"),
                           ("licence URL", "m:licenses/m:license/m:url"),
                           ("SCM URL", "m:scm/m:url"), ("SCM connection", "m:scm/m:connection"),
                           ("developer", "m:developers/m:developer/m:name")]:
            own = pom_value(root, path)
            inherited = pom_value(parent, path) if parent is not None and what != "name" and what != "description" else None
            if own is None and inherited is None:
                problem(f"{artifact}: the pom has no {what}")

    # Jars: sources, javadoc, licence and notice, module name.
    names = {}
    for artifact, vdir in jars.items():
        main_jar = newest(vdir, artifact, ".jar")
        files = [main_jar]
        for classifier in ("sources", "javadoc"):
            f = newest(vdir, artifact, f"-{classifier}.jar")
            if f is None:
                problem(f"{artifact}: no -{classifier}.jar")
            else:
                files.append(f)
        tests = newest(vdir, artifact, "-tests.jar")
        if tests is not None:
            files.append(tests)
        for f in files:
            with zipfile.ZipFile(f) as z:
                entries = set(z.namelist())
                if "META-INF/LICENSE" not in entries:
                    problem(f"{f.name}: no META-INF/LICENSE")
                elif z.read("META-INF/LICENSE") != license_text:
                    problem(f"{f.name}: META-INF/LICENSE is not the project's LICENSE")
                if "META-INF/NOTICE" not in entries:
                    problem(f"{f.name}: no META-INF/NOTICE")
                if f.name.endswith("-javadoc.jar") and "index.html" not in entries:
                    problem(f"{f.name}: no index.html")
        with zipfile.ZipFile(main_jar) as z:
            manifest = z.read("META-INF/MANIFEST.MF").decode()
        m = re.search(r"^Automatic-Module-Name: (\S+)", manifest, re.M)
        name = m.group(1) if m else None
        if name is None or not MODULE_NAME.fullmatch(name):
            problem(f"{artifact}: Automatic-Module-Name is {name!r}: set <automatic.module.name> "
                    "(its root package, e.g. dev.flags.core) in its pom")
        elif name in names:
            problem(f"{artifact}: Automatic-Module-Name {name} is also {names[name]}'s")
        else:
            names[name] = artifact

    # The BOM manages exactly the published jars; nothing else is deployed.
    bom = poms.get("flags-bom")
    if bom is None:
        problem("flags-bom is not deployed")
    else:
        managed = {d.findtext("m:artifactId", namespaces=NS)
                   for d in bom.findall("m:dependencyManagement/m:dependencies/m:dependency", NS)}
        for artifact in sorted(set(jars) - managed):
            problem(f"{artifact} is deployed but flags-bom does not list it: add it to flags-bom, or "
                    "set <flags.publish.skip>true</flags.publish.skip> in its pom if it is not to be published")
        for artifact in sorted(managed - set(jars)):
            problem(f"flags-bom lists {artifact}, which was not deployed with a jar")
    for artifact in sorted(set(poms) - set(jars) - {"flags-parent", "flags-bom"}):
        problem(f"{artifact} is deployed without a jar: is it meant to be published?")

    for p in problems:
        print("check_artifacts: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"check_artifacts: OK: {', '.join(sorted(jars))} (+ flags-parent, flags-bom) in {repo}: "
          "metadata, sources and javadoc jars, LICENSE and NOTICE in every jar, module names "
          f"{', '.join(sorted(names))}; the BOM lists exactly these")


if __name__ == "__main__":
    main()
