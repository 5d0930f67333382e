"""Turns two schema sources into standalone JSON Schema files that kubeconform reads offline.

  k8s SRC DEST   SRC is a kubernetes-validate schema directory whose files refer to a shared
                 _definitions.json; each DEST file gets the definitions it needs inlined under
                 $defs, so that it resolves on its own.
  crds DEST CRD.yaml...
                 each served version of each CustomResourceDefinition becomes
                 DEST/<group>/<kind>_<version>.json; objects that declare their properties and do
                 not preserve unknown fields refuse extra ones, as the API server would prune them.
"""
import json
import os
import sys

SHARED_PREFIX = "/api/_definitions.json#/$defs/"
# Inside _definitions.json the definitions refer to each other locally.
LOCAL_PREFIX = "#/$defs/"


def referenced(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            for prefix in (SHARED_PREFIX, LOCAL_PREFIX):
                if ref.startswith(prefix):
                    found.add(ref[len(prefix):])
        for value in node.values():
            referenced(value, found)
    elif isinstance(node, list):
        for value in node:
            referenced(value, found)


def relocate(node):
    if isinstance(node, dict):
        return {k: ("#/$defs/" + v[len(SHARED_PREFIX):]
                    if k == "$ref" and isinstance(v, str) and v.startswith(SHARED_PREFIX)
                    else relocate(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [relocate(v) for v in node]
    return node


def closure(start, defs):
    todo, seen = list(start), set()
    while todo:
        name = todo.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        more = set()
        referenced(defs[name], more)
        todo.extend(more - seen)
    return seen


def kubernetes(src, dest):
    with open(os.path.join(src, "_definitions.json"), encoding="utf-8") as f:
        defs = json.load(f)["$defs"]
    os.makedirs(dest, exist_ok=True)
    written = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".json") or name.startswith("_") or name == "all.json":
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            schema = json.load(f)
        needed = set()
        referenced(schema, needed)
        out = relocate(schema)
        # A relative $id would make the validator resolve "#/$defs/..." against a URL that does
        # not exist; without it the file is its own base.
        out.pop("$id", None)
        out["$defs"] = {n: relocate(defs[n]) for n in sorted(closure(needed, defs))}
        with open(os.path.join(dest, name), "w", encoding="utf-8") as f:
            json.dump(out, f, separators=(",", ":"))
        written += 1
    print(f"{written} Kubernetes schemas in {dest}")


def close_objects(node):
    if isinstance(node, dict):
        if (node.get("type") == "object" and "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")):
            node["additionalProperties"] = False
        for value in node.values():
            close_objects(value)
    elif isinstance(node, list):
        for value in node:
            close_objects(value)


def crds(dest, files):
    import yaml  # only this mode needs it

    written = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if not doc or doc.get("kind") != "CustomResourceDefinition":
                    continue
                spec = doc["spec"]
                group, kind = spec["group"], spec["names"]["kind"].lower()
                for version in spec["versions"]:
                    schema = (version.get("schema") or {}).get("openAPIV3Schema")
                    if not version.get("served", True) or schema is None:
                        continue
                    close_objects(schema)
                    # metadata is the API server's, not the CRD's, to describe
                    schema.setdefault("properties", {})["metadata"] = {"type": "object"}
                    os.makedirs(os.path.join(dest, group), exist_ok=True)
                    target = os.path.join(dest, group, f"{kind}_{version['name']}.json")
                    with open(target, "w", encoding="utf-8") as out:
                        json.dump(schema, out, separators=(",", ":"))
                    written += 1
    if written == 0:
        sys.exit(f"no CustomResourceDefinition found in {files}")
    print(f"{written} CRD schemas in {dest}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "k8s":
        kubernetes(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "crds":
        crds(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
