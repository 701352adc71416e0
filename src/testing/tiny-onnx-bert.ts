/**
 * @module testing/tiny-onnx-bert
 * A BERT-shaped ONNX model small enough to write by hand, so the local embedder is tested against a
 * real onnxruntime session whose every output value the test can compute itself. The graph takes the
 * three BERT inputs and returns `last_hidden_state`:
 *
 *   hidden[b, t] = WORD[input_ids[b, t]] + TYPE[token_type_ids[b, t]] + cumsum(mask[b])[t] · POSITION
 *
 * so ids, token types and positions all change the output. The ModelProto is hand-encoded protobuf
 * (ONNX IR 8, opset 13). Beside it go a WordPiece `tokenizer.json` and the config files, in the layout
 * of an installed model (see `models/local/catalog`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalModelSpec } from '../models/local/catalog.ts';
import { MODEL_MANIFEST } from '../models/local/models-dir.ts';

/** The tokenizer's vocabulary; a token's id is its index. */
export const TINY_VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  'the',
  'cat',
  'dog',
  'sat',
  'on',
  'mat',
  'a',
  'bird',
  'flew',
  'red',
  'blue',
  'sky',
  'over',
  'run',
  '##s',
  '.',
] as const;

/** Word embedding of a token id (row of the WORD table). */
export function tinyWordEmbedding(id: number, hidden: number): number[] {
  return Array.from({ length: hidden }, (_, dim) => (((id * 7 + dim * 3) % 11) - 5) / 4);
}

/** Token-type embedding (row of the TYPE table). */
export function tinyTypeEmbedding(type: number, hidden: number): number[] {
  return Array.from({ length: hidden }, (_, dim) => (type === 0 ? 0.1 : -0.2) * (dim + 1));
}

/** The POSITION vector, scaled by the 1-based position of each real token. */
export function tinyPositionVector(hidden: number): number[] {
  return Array.from({ length: hidden }, (_, dim) => 0.05 * (dim % 3) - 0.02);
}

/** Options of the generated model. */
export interface TinyBertOptions {
  /** Hidden size (vector length); default 8. */
  readonly hidden?: number;
  readonly pooling?: 'cls' | 'mean';
  /** Declared in the spec; defaults to `hidden` (set it differently to provoke a mismatch). */
  readonly dimensions?: number;
  readonly maxTokens?: number;
  readonly queryPrefix?: string;
}

/** A catalog-shaped spec for the tiny model. */
export function tinyBertSpec(options: TinyBertOptions = {}): LocalModelSpec {
  const hidden = options.hidden ?? 8;
  return {
    name: 'tiny-bert',
    kind: 'embedding',
    description: 'hand-written test model',
    licence: 'Apache-2.0',
    licenceUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
    upstream: 'none',
    entryFile: 'onnx/model.onnx',
    files: [],
    generated: {},
    sources: [],
    approxRamBytes: 1024 * 1024,
    embedding: {
      dimensions: options.dimensions ?? hidden,
      pooling: options.pooling ?? 'cls',
      normalize: true,
      queryPrefix: options.queryPrefix ?? '',
      maxTokens: options.maxTokens ?? 32,
    },
  };
}

/** Writes the model, tokenizer, configs and manifest into `dir`; returns `dir`. */
export async function writeTinyBertModel(dir: string, options: TinyBertOptions = {}): Promise<string> {
  const hidden = options.hidden ?? 8;
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await writeFile(path.join(dir, 'onnx', 'model.onnx'), tinyBertOnnx(hidden));
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
  await writeFile(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: hidden,
      num_attention_heads: 1,
      num_hidden_layers: 1,
      max_position_embeddings: 512,
      type_vocab_size: 2,
      vocab_size: TINY_VOCAB.length,
      pad_token_id: 0,
    }),
  );
  await writeFile(path.join(dir, MODEL_MANIFEST), JSON.stringify({ name: 'tiny-bert' }));
  return dir;
}

/** The tokenizer.json (Hugging Face tokenizers format) of a lower-casing WordPiece BERT tokenizer. */
export function tinyTokenizerJson(): unknown {
  const id = (token: string) => TINY_VOCAB.indexOf(token as (typeof TINY_VOCAB)[number]);
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({
    id: id(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special,
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [cls, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        cls,
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((token, index) => [token, index])),
    },
  };
}

// --- ONNX protobuf, hand-encoded -------------------------------------------------------------------

const FLOAT = 1;
const INT64 = 7;

/** The serialized ModelProto. */
export function tinyBertOnnx(hidden: number): Uint8Array {
  const vocab = TINY_VOCAB.length;
  const floats = (rows: number[][]) => rows.flat();
  const graph = message([
    node(['word', 'input_ids'], ['word_out'], 'Gather'),
    node(['type', 'token_type_ids'], ['type_out'], 'Gather'),
    node(['word_out', 'type_out'], ['embedded'], 'Add'),
    node(['attention_mask', 'axis1'], ['positions'], 'CumSum'),
    node(['positions'], ['positions_f'], 'Cast', [intAttribute('to', FLOAT)]),
    node(['positions_f', 'axis2'], ['positions_3d'], 'Unsqueeze'),
    node(['positions_3d', 'position'], ['position_out'], 'Mul'),
    node(['embedded', 'position_out'], ['last_hidden_state'], 'Add'),
    bytesField(2, text('tiny_bert')),
    bytesField(
      5,
      floatTensor('word', [vocab, hidden], floats(TINY_VOCAB.map((_, id) => tinyWordEmbedding(id, hidden)))),
    ),
    bytesField(
      5,
      floatTensor('type', [2, hidden], floats([0, 1].map((type) => tinyTypeEmbedding(type, hidden)))),
    ),
    bytesField(5, floatTensor('position', [hidden], tinyPositionVector(hidden))),
    bytesField(5, int64Tensor('axis1', [], [1])),
    bytesField(5, int64Tensor('axis2', [1], [2])),
    bytesField(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    bytesField(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    bytesField(11, valueInfo('token_type_ids', INT64, ['batch', 'sequence'])),
    bytesField(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', hidden])),
  ]);
  return message([
    varintField(1, 8), // ir_version
    bytesField(2, text('groundwork-tests')), // producer_name
    bytesField(7, graph),
    bytesField(8, message([bytesField(1, text('')), varintField(2, 13)])), // opset_import
  ]);
}

function node(
  inputs: string[],
  outputs: string[],
  opType: string,
  attributes: Uint8Array[] = [],
): Uint8Array {
  return bytesField(
    1,
    message([
      ...inputs.map((input) => bytesField(1, text(input))),
      ...outputs.map((output) => bytesField(2, text(output))),
      bytesField(3, text(`${opType}_${outputs[0]}`)),
      bytesField(4, text(opType)),
      ...attributes.map((attribute) => bytesField(5, attribute)),
    ]),
  );
}

function intAttribute(name: string, value: number): Uint8Array {
  return message([bytesField(1, text(name)), varintField(3, value), varintField(20, 2 /* INT */)]);
}

function floatTensor(name: string, dims: number[], values: number[]): Uint8Array {
  const raw = new Uint8Array(new Float32Array(values).buffer);
  return message([
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, FLOAT),
    bytesField(8, text(name)),
    bytesField(9, raw),
  ]);
}

function int64Tensor(name: string, dims: number[], values: number[]): Uint8Array {
  const raw = new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
  return message([
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, INT64),
    bytesField(8, text(name)),
    bytesField(9, raw),
  ]);
}

function valueInfo(name: string, elemType: number, shape: (string | number)[]): Uint8Array {
  const dims = shape.map((dim) =>
    bytesField(1, typeof dim === 'number' ? varintField(1, dim) : bytesField(2, text(dim))),
  );
  const tensorType = message([varintField(1, elemType), bytesField(2, message(dims))]);
  return message([bytesField(1, text(name)), bytesField(2, bytesField(1, tensorType))]);
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(field << 3), ...varint(value)]);
}

function bytesField(field: number, payload: Uint8Array): Uint8Array {
  return message([Uint8Array.from([...varint((field << 3) | 2), ...varint(payload.length)]), payload]);
}

function message(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
