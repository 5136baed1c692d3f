"""Checks a Tiltfile and reports what it declares, as JSON on stdout.

Usage: python3 tiltfile_checker.py <Tiltfile>

1. Parses the file with Python's ast (Starlark's syntax is a subset of Python's) and rejects
   the constructs Starlark does not have: class, while, try, import, with, raise, assert,
   global/nonlocal, del, yield, async/await, f-strings, set literals, the walrus operator,
   decorators, `is`, chained comparisons.
2. If nothing was rejected, evaluates it with stand-ins for the Tilt builtins it may call
   (bound by keyword exactly as Tilt's API names its parameters, so a misspelt argument fails),
   recording the calls: docker_build, k8s_resource, local_resource, k8s_yaml/kustomize, local.
   Nothing is built, deployed or run.

Output: {"violations": [{"line": n, "message": "..."}], "calls": {...}}. Exit status 0 even
when violations are found: the caller decides.
"""

import ast
import builtins
import json
import sys

REJECTED = {
    ast.ClassDef: "class definitions",
    ast.While: "while loops",
    ast.Try: "try statements",
    ast.Import: "import statements",
    ast.ImportFrom: "import statements",
    ast.With: "with statements",
    ast.AsyncWith: "async with",
    ast.AsyncFor: "async for",
    ast.AsyncFunctionDef: "async functions",
    ast.Await: "await",
    ast.Raise: "raise (use fail())",
    ast.Assert: "assert",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.Delete: "del",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.JoinedStr: "f-strings (use % or .format())",
    ast.Set: "set literals",
    ast.SetComp: "set comprehensions",
    ast.NamedExpr: "the walrus operator",
}
if hasattr(ast, "TryStar"):
    REJECTED[ast.TryStar] = "try statements"


def violations_of(tree):
    found = []

    def report(node, message):
        found.append({"line": getattr(node, "lineno", 0), "message": message})

    for node in ast.walk(tree):
        for kind, what in REJECTED.items():
            if isinstance(node, kind):
                report(node, "Starlark has no " + what)
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            report(node, "Starlark has no decorators")
        if isinstance(node, ast.Compare):
            if len(node.ops) > 1:
                report(node, "Starlark has no chained comparisons")
            if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
                report(node, "Starlark has no `is` operator")
    return found


def as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def port_forward_of(spec):
    """'8080' / 8080 / '9000:8080' / 'host:9000:8080' -> {local, container, host}."""
    if isinstance(spec, dict) and spec.get("kind") == "port_forward":
        return spec
    parts = str(spec).split(":")
    if not all(p.isdigit() for p in parts[-2:]) or len(parts) > 3:
        return {"kind": "port_forward", "invalid": str(spec)}
    container = int(parts[-1])
    local = int(parts[-2]) if len(parts) >= 2 else container
    host = parts[0] if len(parts) == 3 else None
    return {"kind": "port_forward", "local": local, "container": container, "host": host}


def evaluate(source, filename):
    calls = {
        "docker_build": [],
        "k8s_resource": [],
        "local_resource": [],
        "k8s_yaml": [],
        "local": [],
    }

    class Fail(Exception):
        pass

    def docker_build(ref, context, build_args=None, dockerfile="Dockerfile", dockerfile_contents="",
                     live_update=None, match_in_env_vars=False, ignore=None, only=None, entrypoint=None,
                     target="", ssh="", network="", secret="", extra_tag="", container_args=None,
                     cache_from=None, pull=False, platform="", env_vars=None, extra_hosts=None):
        calls["docker_build"].append({
            "ref": ref,
            "context": context,
            "dockerfile": dockerfile,
            "build_args": dict(build_args or {}),
            "only": as_list(only),
            "ignore": as_list(ignore),
            "entrypoint": entrypoint if isinstance(entrypoint, str) else as_list(entrypoint),
            "target": target,
            "live_update": as_list(live_update),
        })

    def k8s_resource(workload="", new_name="", port_forwards=None, extra_pod_selectors=None,
                     trigger_mode=None, resource_deps=None, objects=None, auto_init=True,
                     pod_readiness="", links=None, labels=None, discovery_strategy=""):
        calls["k8s_resource"].append({
            "workload": workload,
            "new_name": new_name,
            "port_forwards": [port_forward_of(p) for p in as_list(port_forwards)],
            "resource_deps": as_list(resource_deps),
            "objects": as_list(objects),
            "labels": as_list(labels),
            "links": [str(l) for l in as_list(links)],
        })

    def local_resource(name, cmd="", deps=None, trigger_mode=None, resource_deps=None, ignore=None,
                       auto_init=True, serve_cmd="", cmd_bat="", serve_cmd_bat="", allow_parallel=False,
                       links=None, tags=None, env=None, serve_env=None, readiness_probe=None, dir="",
                       serve_dir="", labels=None):
        calls["local_resource"].append({
            "name": name,
            "cmd": cmd,
            "serve_cmd": serve_cmd,
            "deps": as_list(deps),
            "ignore": as_list(ignore),
            "resource_deps": as_list(resource_deps),
            "labels": as_list(labels),
            "trigger_mode": trigger_mode,
            "auto_init": auto_init,
        })

    def k8s_yaml(yaml, allow_duplicates=False):
        calls["k8s_yaml"].append(yaml)

    def kustomize(pathToDir, kustomize_bin=None, flags=None):
        return {"kind": "kustomize", "path": pathToDir, "flags": as_list(flags)}

    def local(command, quiet=False, command_bat="", echo_off=False, env=None, dir="", stdin=None):
        calls["local"].append({"command": command, "dir": dir})
        return ""

    def sync(local_path, remote_path):
        return {"kind": "sync", "local_path": local_path, "remote_path": remote_path}

    def run(cmd, trigger=None, echo_off=False):
        return {"kind": "run", "cmd": cmd, "trigger": as_list(trigger)}

    def fall_back_on(files):
        return {"kind": "fall_back_on", "files": as_list(files)}

    def restart_container():
        return {"kind": "restart_container"}

    def port_forward(local_port, container_port=None, name="", link_path="", host=""):
        container = container_port if container_port is not None else local_port
        return {"kind": "port_forward", "local": local_port, "container": container, "host": host or None}

    def link(url, name=""):
        return url

    def fail(msg):
        raise Fail(str(msg))

    def no_op(*args, **kwargs):
        return None

    # Only the builtins Starlark also has (print goes to stderr: stdout carries the JSON).
    starlark_builtins = {
        name: getattr(builtins, name)
        for name in ["len", "str", "int", "float", "bool", "list", "dict", "tuple", "range", "enumerate",
                     "zip", "sorted", "reversed", "min", "max", "any", "all", "abs", "repr",
                     "hasattr", "getattr"]
    }
    starlark_builtins["print"] = lambda *args: builtins.print(*args, file=sys.stderr)
    env = {
        "__builtins__": starlark_builtins,
        "docker_build": docker_build,
        "k8s_resource": k8s_resource,
        "local_resource": local_resource,
        "k8s_yaml": k8s_yaml,
        "kustomize": kustomize,
        "local": local,
        "sync": sync,
        "run": run,
        "fall_back_on": fall_back_on,
        "restart_container": restart_container,
        "port_forward": port_forward,
        "link": link,
        "fail": fail,
        "update_settings": no_op,
        "watch_file": no_op,
        "allow_k8s_contexts": no_op,
        "TRIGGER_MODE_AUTO": "auto",
        "TRIGGER_MODE_MANUAL": "manual",
    }
    exec(compile(source, filename, "exec"), env)
    return calls


def main():
    if len(sys.argv) != 2:
        print("usage: tiltfile_checker.py <Tiltfile>", file=sys.stderr)
        return 2
    filename = sys.argv[1]
    with open(filename, encoding="utf-8") as f:
        source = f.read()
    result = {"violations": [], "calls": None}
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as e:
        result["violations"].append({"line": e.lineno or 0, "message": "syntax error: " + str(e.msg)})
        print(json.dumps(result))
        return 0
    result["violations"] = violations_of(tree)
    if not result["violations"]:
        try:
            result["calls"] = evaluate(source, filename)
        except Exception as e:  # the caller reports it as a violation
            line = 0
            tb = e.__traceback__
            while tb is not None:
                if tb.tb_frame.f_code.co_filename == filename:
                    line = tb.tb_lineno
                tb = tb.tb_next
            result["violations"].append({"line": line, "message": "evaluation failed: %s: %s" % (type(e).__name__, e)})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
