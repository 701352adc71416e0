import { describe, expect, it } from 'vitest';
import { loadCapabilities } from '../../web/src/api/capabilities.ts';

/** A fetch that answers `/openapi.json` with a document of these `paths`. */
function serving(paths: Record<string, Record<string, unknown>>): typeof fetch {
  return (async () => Response.json({ openapi: '3.1.0', paths })) as typeof fetch;
}

describe('capabilities', () => {
  it('finds the support app only when the document lists its routes', async () => {
    const plain = await loadCapabilities(serving({ '/v1/chat': { post: {} } }));
    expect(plain).toMatchObject({ support: false, supportApprovals: false });
    const support = await loadCapabilities(
      serving({
        '/v1/support/messages': { post: {} },
        '/v1/support/approvals': { get: {} },
        '/v1/support/approvals/{runId}/approve': { post: {} },
      }),
    );
    expect(support).toMatchObject({ support: true, supportApprovals: true });
    // Messages without the approvals API: the chat uses the app, and no approvals page is offered.
    const messagesOnly = await loadCapabilities(serving({ '/v1/support/messages': { post: {} } }));
    expect(messagesOnly).toMatchObject({ support: true, supportApprovals: false });
  });
});
