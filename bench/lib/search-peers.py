"""SQLite FTS5 (Python's sqlite3) and, when importable, LanceDB (PyPI) as peers for bench/search-engines.ts:
the same chunks (their analysed terms, joined by spaces, and their vectors) and the same queries, run for
the top 10 as an unrestricted caller. Latency and size only: the engines' BM25 parameters differ.

    python bench/lib/search-peers.py DIR PASSES   (DIR holds corpus.jsonl and queries.jsonl)

corpus.jsonl rows: {"id": int, "terms": "a b c", "vector": [float, ...]}; queries.jsonl rows:
{"terms": ["a", "b"], "vector": [float, ...]}. Prints one JSON object: engine -> mode -> {p50, p95}.
"""

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def measure(run, queries, passes):
    for query in queries[:20]:
        run(query)
    p50s, p95s = [], []
    for _ in range(passes):
        times = []
        for query in queries:
            at = time.perf_counter()
            run(query)
            times.append((time.perf_counter() - at) * 1000)
        p50s.append(percentile(times, 50))
        p95s.append(percentile(times, 95))
    return {"p50": round(statistics.median(p50s), 3), "p95": round(statistics.median(p95s), 3)}


def fts_match(terms):
    unique = sorted(set(terms))
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in unique)


def sqlite_peer(directory, rows, queries, passes):
    path = os.path.join(directory, "fts.sqlite")
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE chunks USING fts5(terms, tokenize = 'unicode61')")
    started = time.perf_counter()
    db.executemany("INSERT INTO chunks (rowid, terms) VALUES (?, ?)", ((row["id"], row["terms"]) for row in rows))
    db.commit()
    build = time.perf_counter() - started

    def run(query):
        if not query["terms"]:
            return []
        return db.execute(
            "SELECT rowid FROM chunks WHERE chunks MATCH ? ORDER BY bm25(chunks) LIMIT 10", (fts_match(query["terms"]),)
        ).fetchall()

    result = {"lexical": measure(run, queries, passes), "buildSeconds": round(build, 2)}
    db.close()
    result["indexBytes"] = os.path.getsize(path)
    return result


def lance_peer(directory, rows, queries, passes):
    try:
        import lancedb
        import pyarrow as pa
    except ImportError as error:
        return {"skipped": str(error)}
    dimensions = len(rows[0]["vector"])
    db = lancedb.connect(os.path.join(directory, "lance"))
    schema = pa.schema(
        [
            pa.field("id", pa.int64()),
            pa.field("terms", pa.string()),
            pa.field("vector", pa.list_(pa.float32(), dimensions)),
        ]
    )
    started = time.perf_counter()
    table = db.create_table("chunks", data=rows, schema=schema)
    table.create_fts_index("terms", use_tantivy=False, base_tokenizer="whitespace", stem=False, remove_stop_words=False, lower_case=False)
    if len(rows) >= 10000:
        table.create_index(metric="cosine", index_type="IVF_HNSW_SQ", vector_column_name="vector")
    build = time.perf_counter() - started

    def lexical(query):
        if not query["terms"]:
            return []
        return table.search(" ".join(query["terms"]), query_type="fts").limit(10).select(["id"]).to_list()

    def vector(query):
        return table.search(query["vector"]).metric("cosine").limit(10).select(["id"]).to_list()

    def hybrid(query):
        if not query["terms"]:
            return vector(query)
        return (
            table.search(query_type="hybrid")
            .vector(query["vector"])
            .text(" ".join(query["terms"]))
            .limit(10)
            .select(["id"])
            .to_list()
        )

    return {
        "lexical": measure(lexical, queries, passes),
        "vector": measure(vector, queries, passes),
        "hybrid": measure(hybrid, queries, passes),
        "buildSeconds": round(build, 2),
        "version": lancedb.__version__,
    }


def main():
    directory, passes = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(directory, "corpus.jsonl")) as corpus:
        rows = [json.loads(line) for line in corpus]
    with open(os.path.join(directory, "queries.jsonl")) as lines:
        queries = [json.loads(line) for line in lines]
    work = tempfile.mkdtemp(prefix="peers-", dir=directory)
    report = {"sqliteFts5": sqlite_peer(work, rows, queries, passes)}
    report["sqliteFts5"]["version"] = sqlite3.sqlite_version
    try:
        report["lancedb"] = lance_peer(work, rows, queries, passes)
    except Exception as error:  # a peer that fails is reported, not fatal
        report["lancedb"] = {"failed": repr(error)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
