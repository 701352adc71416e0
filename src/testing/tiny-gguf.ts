/**
 * @module testing/tiny-gguf
 * Writes a tiny, valid GGUF v3 file: a llama-architecture model with random weights and a small
 * SentencePiece-style vocabulary, so the local chat runtime can be tested for real (load, chat
 * template, sampling, grammar, stop sequences, errors) without a 250 MB download. The weights are
 * seeded, so greedy generation is deterministic; the output rows of the special and byte tokens are
 * zero, so greedy decoding never picks end-of-generation (every reply runs to `maxTokens`) and writes
 * printable text only.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from './seeded-random.ts';

/** Shape of the generated model; the defaults load in milliseconds. */
export interface TinyGgufOptions {
  readonly layers?: number;
  readonly hidden?: number;
  readonly heads?: number;
  readonly feedForward?: number;
  readonly contextLength?: number;
  readonly seed?: number;
  /** A Jinja chat template stored as `tokenizer.chat_template`; none by default. */
  readonly chatTemplate?: string;
}

const ALIGNMENT = 32;
/** GGUF metadata value types. */
const TYPE = { uint32: 4, int32: 5, float32: 6, string: 8, array: 9 } as const;
/** Normal and byte tokens, in `tokenizer.ggml.token_type` terms. */
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;
/** Whole-word pieces so text tokenizes into fewer, more readable tokens than byte fallback alone. */
const WORDS = [
  'the',
  'a',
  'is',
  'of',
  'and',
  'to',
  'in',
  'it',
  'yes',
  'no',
  'answer',
  'question',
  'model',
  'return',
  'days',
  'order',
  'true',
  'false',
  'hello',
  'world',
];

/** The vocabulary: `<unk>`, `<s>`, `</s>`, 256 byte tokens, printable characters, then words. */
export function tinyVocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.byte);
  }
  for (let code = 33; code < 127; code++) {
    tokens.push(String.fromCharCode(code));
    types.push(TOKEN_TYPE.normal);
  }
  tokens.push('▁');
  types.push(TOKEN_TYPE.normal);
  for (const piece of WORDS.flatMap((word) => [`▁${word}`, word])) {
    if (tokens.includes(piece)) continue;
    tokens.push(piece);
    types.push(TOKEN_TYPE.normal);
  }
  // SentencePiece prefers higher scores; longer pieces score higher so words beat characters.
  const scores = tokens.map((token, index) => (types[index] === TOKEN_TYPE.normal ? token.length : 0));
  return { tokens, scores, types };
}

/** Builds the file's bytes. */
export function buildTinyGguf(options: TinyGgufOptions = {}): Buffer {
  const layers = options.layers ?? 2;
  const hidden = options.hidden ?? 64;
  const heads = options.heads ?? 4;
  const feedForward = options.feedForward ?? 128;
  const vocab = tinyVocabulary();
  const vocabSize = vocab.tokens.length;
  const random = seededRandom(options.seed ?? 42);

  const metadata: [string, Value][] = [
    ['general.architecture', str('llama')],
    ['general.name', str('tiny-random-llama')],
    ['general.alignment', u32(ALIGNMENT)],
    ['llama.context_length', u32(options.contextLength ?? 2048)],
    ['llama.embedding_length', u32(hidden)],
    ['llama.block_count', u32(layers)],
    ['llama.feed_forward_length', u32(feedForward)],
    ['llama.attention.head_count', u32(heads)],
    ['llama.attention.head_count_kv', u32(heads)],
    ['llama.attention.layer_norm_rms_epsilon', f32(1e-5)],
    ['llama.rope.dimension_count', u32(hidden / heads)],
    ['llama.vocab_size', u32(vocabSize)],
    ['tokenizer.ggml.model', str('llama')],
    ['tokenizer.ggml.tokens', { type: 'array', items: TYPE.string, values: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'array', items: TYPE.float32, values: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'array', items: TYPE.int32, values: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
  ];
  if (options.chatTemplate) metadata.push(['tokenizer.chat_template', str(options.chatTemplate)]);

  const tensors: { name: string; dims: number[]; data: Float32Array }[] = [];
  const matrix = (name: string, columns: number, rows: number, scale = 1 / Math.sqrt(columns)) => {
    const data = new Float32Array(columns * rows);
    for (let index = 0; index < data.length; index++) data[index] = (random() * 2 - 1) * scale * Math.sqrt(3);
    tensors.push({ name, dims: [columns, rows], data });
    return data;
  };
  const ones = (name: string) =>
    tensors.push({ name, dims: [hidden], data: new Float32Array(hidden).fill(1) });
  matrix('token_embd.weight', hidden, vocabSize, 1);
  ones('output_norm.weight');
  const output = matrix('output.weight', hidden, vocabSize, 1);
  // Zero logits for <unk>, <s>, </s> and the byte tokens: the largest random logit is positive, so
  // greedy decoding never ends early and never emits half a UTF-8 character.
  output.fill(0, 0, (3 + 256) * hidden);
  for (let layer = 0; layer < layers; layer++) {
    const block = `blk.${layer}`;
    ones(`${block}.attn_norm.weight`);
    matrix(`${block}.attn_q.weight`, hidden, hidden);
    matrix(`${block}.attn_k.weight`, hidden, hidden);
    matrix(`${block}.attn_v.weight`, hidden, hidden);
    matrix(`${block}.attn_output.weight`, hidden, hidden);
    ones(`${block}.ffn_norm.weight`);
    matrix(`${block}.ffn_gate.weight`, hidden, feedForward);
    matrix(`${block}.ffn_up.weight`, hidden, feedForward);
    matrix(`${block}.ffn_down.weight`, feedForward, hidden);
  }

  const writer = new Writer();
  writer.raw(Buffer.from('GGUF', 'latin1'));
  writer.u32(3);
  writer.u64(tensors.length);
  writer.u64(metadata.length);
  for (const [key, value] of metadata) {
    writer.string(key);
    writer.value(value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    writer.string(tensor.name);
    writer.u32(tensor.dims.length);
    for (const dim of tensor.dims) writer.u64(dim);
    writer.u32(0); // GGML_TYPE_F32
    writer.u64(offset);
    offset = align(offset + tensor.data.byteLength);
  }
  writer.pad();
  for (const tensor of tensors) {
    writer.raw(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    writer.pad();
  }
  return writer.toBuffer();
}

/** Writes the model into `dir` (created if needed) and returns the file's path. */
export async function writeTinyGguf(
  dir: string,
  options: TinyGgufOptions & { fileName?: string } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, options.fileName ?? 'tiny-llama.gguf');
  await writeFile(file, buildTinyGguf(options));
  return file;
}

type Value =
  | { type: 'uint32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; items: number; values: readonly (string | number)[] };

const str = (value: string): Value => ({ type: 'string', value });
const u32 = (value: number): Value => ({ type: 'uint32', value });
const f32 = (value: number): Value => ({ type: 'float32', value });
const align = (offset: number) => Math.ceil(offset / ALIGNMENT) * ALIGNMENT;

/** Little-endian GGUF serialisation. */
class Writer {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  raw(bytes: Buffer) {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  private number(bytes: number, write: (buffer: Buffer) => void) {
    const buffer = Buffer.alloc(bytes);
    write(buffer);
    this.raw(buffer);
  }
  u32(value: number) {
    this.number(4, (buffer) => buffer.writeUInt32LE(value));
  }
  i32(value: number) {
    this.number(4, (buffer) => buffer.writeInt32LE(value));
  }
  f32(value: number) {
    this.number(4, (buffer) => buffer.writeFloatLE(value));
  }
  u64(value: number) {
    this.number(8, (buffer) => buffer.writeBigUInt64LE(BigInt(value)));
  }
  string(value: string) {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.raw(bytes);
  }
  value(value: Value) {
    switch (value.type) {
      case 'uint32':
        this.u32(TYPE.uint32);
        return this.u32(value.value);
      case 'float32':
        this.u32(TYPE.float32);
        return this.f32(value.value);
      case 'bool':
        this.u32(7);
        return this.raw(Buffer.from([value.value ? 1 : 0]));
      case 'string':
        this.u32(TYPE.string);
        return this.string(value.value);
      case 'array':
        this.u32(TYPE.array);
        this.u32(value.items);
        this.u64(value.values.length);
        for (const item of value.values) {
          if (value.items === TYPE.string) this.string(String(item));
          else if (value.items === TYPE.float32) this.f32(Number(item));
          else this.i32(Number(item));
        }
    }
  }
  pad() {
    const padding = align(this.length) - this.length;
    if (padding > 0) this.raw(Buffer.alloc(padding));
  }
  toBuffer() {
    return Buffer.concat(this.chunks, this.length);
  }
}
