import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../retrieval/lexical/analyzer.ts';
import { createHashEmbedder } from '../../testing/hash-embedder.ts';
import { calibrateThreshold } from './calibration.ts';
import { type LabelledUtterance, trainIntentRouter } from './router.ts';

const TRAIN: LabelledUtterance[] = [
  { text: 'where is my order', intent: 'order_status' },
  { text: 'track my parcel delivery', intent: 'order_status' },
  { text: 'has my order shipped', intent: 'order_status' },
  { text: 'i want to return my router', intent: 'return_request' },
  { text: 'refund my order please', intent: 'return_request' },
  { text: 'send the camera back for a refund', intent: 'return_request' },
  { text: 'tell me a joke', intent: 'out_of_scope' },
  { text: 'what is the weather', intent: 'out_of_scope' },
];

describe('intent router', () => {
  it('routes by nearest centroid over an embedder', async () => {
    const embedder = createHashEmbedder({ dimensions: 256 });
    const router = await trainIntentRouter(TRAIN, { embedder: { model: embedder, dimensions: 256 } });
    expect((await router.classify('where is my parcel')).intent).toBe('order_status');
    expect((await router.classify('i want a refund for the router')).intent).toBe('return_request');
    expect(router.representation).toBe('embedding:test:hash-256');
  });

  it('falls back to TF-IDF over analyzer terms', async () => {
    const router = await trainIntentRouter(TRAIN, { analyzer: createAnalyzer() });
    expect(router.representation).toMatch(/^tfidf:/);
    const prediction = await router.classify('Returning the routers, refund please');
    expect(prediction.intent).toBe('return_request');
    expect(prediction.nearest).toBe('return_request');
    expect(prediction.margin).toBeGreaterThan(0);
  });

  it('counts words the training never saw against the TF-IDF similarity', async () => {
    const router = await trainIntentRouter(TRAIN, { analyzer: createAnalyzer() });
    const known = await router.classify('track my parcel');
    // The same known words among unknown ones: the router understands less of it, and says so.
    const diluted = await router.classify('track my parcel of lasagna recipes from grandmother');
    expect(diluted.nearest).toBe('order_status');
    expect(diluted.score).toBeLessThan(known.score * 0.75);
    expect((await router.classify('lasagna recipes')).score).toBe(0);
  });

  it('calls an utterance out of scope under the calibrated threshold or when that class wins', async () => {
    const router = await trainIntentRouter(TRAIN, { analyzer: createAnalyzer() });
    const threshold = await router.calibrate([
      { text: 'where is my delivery', intent: 'order_status' },
      { text: 'refund the camera', intent: 'return_request' },
      { text: 'play some music', intent: 'out_of_scope' },
    ]);
    expect(threshold).toBeGreaterThan(0);
    const unrelated = await router.classify('play some music');
    expect(unrelated.outOfScope).toBe(true);
    expect(unrelated.intent).toBe('out_of_scope');
    expect((await router.classify('tell me a joke')).intent).toBe('out_of_scope');
  });

  it('refuses to train without examples or a representation', async () => {
    await expect(trainIntentRouter([], { analyzer: createAnalyzer() })).rejects.toThrow(/examples/);
    await expect(trainIntentRouter(TRAIN, {})).rejects.toThrow(/embedder or a lexical analyzer/);
  });
});

describe('calibrateThreshold', () => {
  it('picks the threshold that separates in-scope from out-of-scope scores', () => {
    const threshold = calibrateThreshold(
      [
        { score: 0.9, nearest: 'a', label: 'a' },
        { score: 0.7, nearest: 'b', label: 'b' },
        { score: 0.4, nearest: 'a', label: 'oos' },
        { score: 0.3, nearest: 'b', label: 'oos' },
      ],
      'oos',
    );
    expect(threshold).toBeGreaterThan(0.4);
    expect(threshold).toBeLessThanOrEqual(0.7);
  });

  it('keeps almost every correct prediction when there are no out-of-scope examples', () => {
    const predictions = Array.from({ length: 100 }, (_, index) => ({
      score: index / 100,
      nearest: 'a',
      label: 'a',
    }));
    expect(calibrateThreshold(predictions, 'oos')).toBe(0.02);
  });
});
