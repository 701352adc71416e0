/**
 * Integration test against the real bge-small-en-v1.5 and all-MiniLM-L6-v2 when they are installed in
 * GROUNDWORK_TEST_MODELS_DIR (src/testing/real-models.ts); skipped otherwise. The reference values come
 * from scripts/embedding-reference.py (Python onnxruntime + Hugging Face tokenizers on the same files).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { missingModelReason, realModelDir } from '../../testing/real-models.ts';
import { findLocalModel } from './catalog.ts';
import { createLocalEmbedder, type LocalEmbedder } from './onnx-embedder.ts';

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Vitamin D deficiency is associated with an increased risk of fractures.',
  'Represent this sentence for searching relevant passages: what causes bone loss?',
  // Longer than both models' limits: truncation must keep the final [SEP] as Hugging Face tokenizers do.
  'Bone density was measured in older adults over five years of follow-up. '.repeat(60),
];
/** First 8 values of each sentence's normalised embedding, from scripts/embedding-reference.py. */
const REFERENCE: Record<string, number[][]> = {
  'bge-small-en-v1.5': [
    [-0.104062, -0.01369, -0.009502, 0.107154, 0.010601, 0.006988, 0.018265, 0.031091],
    [-0.038102, -0.001613, 0.03455, 0.005067, 0.038297, -0.007661, 0.017173, 0.086405],
    [-0.021453, 0.016259, 0.001198, 0.003975, -0.019973, 0.036727, 0.003974, 0.091773],
    [-0.066997, 0.010475, -0.005786, -0.05616, 0.002852, 0.042525, 0.024025, 0.039108],
  ],
  'all-MiniLM-L6-v2': [
    [0.043934, 0.058934, 0.048178, 0.077548, 0.026744, -0.03763, -0.002605, -0.059943],
    [-0.037885, -0.000894, 0.034605, 0.027296, 0.035565, -0.004194, -0.032385, 0.096254],
    [0.010629, 0.121037, 0.080461, 0.080672, 0.015117, 0.04929, 0.051731, 0.086739],
    [0.027397, 0.030612, 0.034849, 0.054845, -0.032419, 0.012031, -0.104602, 0.030892],
  ],
};

const open: LocalEmbedder[] = [];
afterAll(async () => {
  await Promise.all(open.map((embedder) => embedder.close()));
});

const dot = (left: number[], right: number[]) =>
  left.reduce((sum, value, index) => sum + value * right[index]!, 0);

for (const name of Object.keys(REFERENCE)) {
  const spec = findLocalModel(name)!;
  const modelDir = realModelDir(name);
  if (!modelDir) console.warn(`Skipping: ${missingModelReason(name)}`);
  describe.skipIf(!modelDir)(`local embedder with the real ${name}`, () => {
    const embedder = () => {
      const created = createLocalEmbedder({ modelDir: modelDir!, spec, batchSize: 2 });
      open.push(created);
      return created;
    };
    const shared = modelDir ? embedder() : undefined;
    const embed = async (values: string[]) => (await shared!.model.doEmbed({ values })).embeddings;

    it('matches the Python reference to 1e-4, with unit-norm 384-dimensional vectors', async () => {
      const vectors = await embed(SENTENCES);
      for (const [index, vector] of vectors.entries()) {
        expect(vector).toHaveLength(384);
        expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
        for (const [dim, expected] of REFERENCE[name]![index]!.entries())
          expect(Math.abs(vector[dim]! - expected)).toBeLessThan(1e-4);
      }
    });

    it('scores a relevant passage above an irrelevant one for a query', async () => {
      const [query, relevant, irrelevant] = await embed([
        `${spec.embedding!.queryPrefix}how long can I return a thermostat?`,
        'Smart thermostats can be returned within 30 days of delivery for a full refund.',
        'The mesh router blinks red when it has lost its internet connection.',
      ]);
      expect(dot(query!, relevant!)).toBeGreaterThan(dot(query!, irrelevant!) + 0.05);
    });

    it('leaves the event loop free while a batch runs', async () => {
      // In-process, one batch of 8 such passages blocks the loop for seconds (ADR 0009).
      const passage = 'Bone density was measured in older adults over five years of follow-up. '.repeat(15);
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      await embed(Array.from({ length: 8 }, (_, index) => `${index}. ${passage}`));
      histogram.disable();
      // Generous: the machine running the tests may be busy, and the worker's threads compete for it.
      expect(histogram.max / 1e6).toBeLessThan(250);
    });
  });
}
