"""Run by test_engines_steps.py in a process of its own: the peak memory a DuckDB file's
steps, pages and a summary add (``steps``), or what reading the file into pandas adds
(``control``, which shows the measure sees a load). Prints {"grew": bytes}."""
import json, sys

path, mode = sys.argv[1], sys.argv[2]


def peak() -> int:
    # The kernel's high-water mark of this process's own memory map (VmHWM), not ru_maxrss:
    # ru_maxrss survives exec, so a child of a big pytest process starts at the parent's peak
    # and sees no growth at all (the control read 0 in a full run).
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


from dtale_lite import create_app
from dtale_lite.backends.files import file_source
from dtale_lite.server.registry import Registry

registry = Registry()
client = create_app(registry, key="k").test_client()
client.environ_base["HTTP_X_DTALE_LITE_KEY"] = "k"
registry.add(file_source(path, memory_limit="64MB", threads=1), "big")
assert client.get("/api/frames/big/rows?limit=100").get_json()["ok"]
before = peak()
if mode == "steps":
    for step in ({"op": "add_column", "name": "x", "kind": "arithmetic", "left": "f",
                  "operator": "*", "right": 2},
                 {"op": "fill_missing", "column": "s", "value": "none"},
                 {"op": "add_column", "name": "c", "kind": "condition", "filter": "g < 10"},
                 {"op": "drop_duplicates", "columns": ["g"]}):
        body = client.post("/api/frames/big/steps", json=step).get_json()
        assert body["ok"], body
    for query in ("limit=100", "limit=100&offset=900"):
        assert client.get(f"/api/frames/big/rows?{query}").get_json()["total"] == 1000
    body = client.post("/api/frames/big/summarize", json={
        "kind": "groupby", "by": ["c"], "aggregations": {"x": ["sum", "count"]}}).get_json()
    assert body["ok"], body
else:  # the control: what loading the file into Python costs
    frame = registry.get("big").source.backend.cursor().execute(
        "SELECT * FROM read_parquet($f)", {"f": path}).df()
print(json.dumps({"grew": peak() - before}))
