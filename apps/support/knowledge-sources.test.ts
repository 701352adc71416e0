import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORT_APP_DIR, supportKnowledgeFiles } from './knowledge-sources.ts';

describe('supportKnowledgeFiles', () => {
  it('lists every manual once, the PDF instead of its Markdown twin', async () => {
    const { files, replaced } = await supportKnowledgeFiles();
    const relative = files.map((file) => path.relative(SUPPORT_APP_DIR, file));
    expect(relative.filter((file) => file.endsWith('.pdf'))).toEqual([
      'knowledge-pdf/halo-c4x-camera.pdf',
      'knowledge-pdf/lumen-t2-thermostat.pdf',
      'knowledge-pdf/nova-r7-router.pdf',
    ]);
    expect(replaced.map((file) => path.relative(SUPPORT_APP_DIR, file))).toEqual([
      'knowledge/manuals/halo-c4x-camera.md',
      'knowledge/manuals/lumen-t2-thermostat.md',
      'knowledge/manuals/nova-r7-router.md',
    ]);
    const manuals = relative.filter((file) => file.startsWith('knowledge/manuals/') || file.endsWith('.pdf'));
    const products = manuals.map((file) => path.basename(file).replace(/\.(md|pdf)$/, ''));
    expect(new Set(products).size).toBe(6);
    expect(products).toHaveLength(6);
    // The rest of the help centre is all there.
    for (const file of [
      'knowledge/faq/faq.md',
      'knowledge/policies/returns.md',
      'knowledge/catalogue/products.md',
    ])
      expect(relative).toContain(file);
    expect(relative.some((file) => file.endsWith('.ts'))).toBe(false);
    for (const file of files) await expect(readFile(file)).resolves.toBeDefined();
  });
});
