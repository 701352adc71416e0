"""tantivy (PyPI) as a peer for bench/lexical-engines.ts: indexes the already analysed terms of each chunk
with a whitespace tokenizer, then runs each query (a list of analysed terms, OR-ed) for the top 10.
tantivy's BM25 uses k1=1.2, b=0.75 and cannot be changed from Python, so rankings differ slightly;
this measures latency and size, not quality.

    python bench/lib/tantivy-peer.py DIR PASSES   (DIR holds corpus.jsonl and queries.jsonl)
"""

import json
import os
import statistics
import sys
import tempfile
import time

import tantivy


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def main():
    directory, passes = sys.argv[1], int(sys.argv[2])
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True)
    builder.add_text_field("terms", stored=False, tokenizer_name="whitespace", index_option="freq")
    schema = builder.build()
    index_dir = tempfile.mkdtemp(prefix="tantivy-", dir=directory)
    index = tantivy.Index(schema, path=index_dir)
    started = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    with open(os.path.join(directory, "corpus.jsonl")) as corpus:
        for line in corpus:
            row = json.loads(line)
            writer.add_document(tantivy.Document(id=row["id"], terms=row["terms"]))
    writer.commit()
    writer.wait_merging_threads()
    build_seconds = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()
    queries = []
    with open(os.path.join(directory, "queries.jsonl")) as lines:
        for line in lines:
            terms = json.loads(line)
            clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "terms", term)) for term in terms]
            queries.append(tantivy.Query.boolean_query(clauses) if clauses else None)
    for query in queries[:20]:
        if query is not None:
            searcher.search(query, 10)
    p50s, p95s = [], []
    for _ in range(passes):
        times = []
        for query in queries:
            at = time.perf_counter()
            if query is not None:
                searcher.search(query, 10).hits
            times.append((time.perf_counter() - at) * 1000)
        p50s.append(percentile(times, 50))
        p95s.append(percentile(times, 95))
    size = sum(os.path.getsize(os.path.join(index_dir, name)) for name in os.listdir(index_dir))
    print(
        json.dumps(
            {
                "p50": round(statistics.median(p50s), 3),
                "p95": round(statistics.median(p95s), 3),
                "buildSeconds": round(build_seconds, 2),
                "indexBytes": size,
            }
        )
    )


main()
