import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaOf } from './document.ts';
import { jsonSchemaToTs } from './json-schema-to-ts.ts';

const ts = (schema: z.ZodType, io: 'input' | 'output' = 'output') => jsonSchemaToTs(schemaOf(schema, io));

describe('jsonSchemaToTs', () => {
  it('writes objects with required, optional and quoted properties', () => {
    const type = ts(
      z.object({ id: z.number().int(), note: z.string().optional(), 'self-harm': z.boolean() }),
    );
    expect(type).toBe(
      "{\n  readonly id: number;\n  readonly note?: string;\n  readonly 'self-harm': boolean;\n}",
    );
  });

  it('keeps nullables, enums, literals and unions precise, parenthesised where it matters', () => {
    expect(ts(z.enum(['a', "it's"]).nullable())).toBe("'a' | 'it\\'s' | null");
    expect(ts(z.array(z.union([z.string(), z.number()])))).toBe('readonly (string | number)[]');
    expect(ts(z.array(z.array(z.string())).nullable())).toBe('(readonly (readonly string[])[]) | null');
    expect(ts(z.literal('list'))).toBe("'list'");
    expect(ts(z.tuple([z.string(), z.number()]))).toBe('readonly [string, number]');
  });

  it('writes records and loose objects with an index signature', () => {
    expect(ts(z.record(z.string(), z.number()))).toBe('{\n  readonly [key: string]: number;\n}');
    expect(ts(z.looseObject({ a: z.string() }))).toBe(
      '{\n  readonly a: string;\n  readonly [key: string]: unknown;\n}',
    );
  });

  it('reads the input side of a schema: defaulted fields are optional', () => {
    expect(ts(z.object({ limit: z.number().default(10) }), 'input')).toBe('{\n  readonly limit?: number;\n}');
    expect(ts(z.object({ limit: z.number().default(10) }), 'output')).toBe('{\n  readonly limit: number;\n}');
  });

  it('follows references and leaves recursion open instead of expanding forever', () => {
    interface Node {
      name: string;
      children: Node[];
    }
    const node: z.ZodType<Node> = z.object({
      name: z.string(),
      get children() {
        return z.array(node);
      },
    });
    const type = ts(node);
    expect(type).toContain('readonly name: string;');
    expect(type).toContain('readonly children: readonly');
    expect(type.length).toBeLessThan(400);
  });

  it('writes unknown for what it cannot describe, never a wrong type', () => {
    expect(jsonSchemaToTs({ not: { type: 'string' } })).toBe('unknown');
    expect(jsonSchemaToTs({ anyOf: [{ type: 'string' }, {}] })).toBe('unknown');
  });
});
