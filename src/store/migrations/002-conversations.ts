/**
 * @module store/migrations/002-conversations
 * Conversations of `/v1/chat` and the CLI chat: one row per conversation, one per message.
 */

/** Messages carry `tenant_id` too, so every customer row can be filtered by tenant on its own. */
export const MIGRATION_002 = `
CREATE TABLE conversations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  title       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_tenant ON conversations (tenant_id, updated_at DESC);

-- Assistant messages keep how they were answered: citations, mode, model and token usage.
CREATE TABLE conversation_messages (
  conversation_id  uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  ordinal          integer NOT NULL,
  tenant_id        text NOT NULL,
  role             text NOT NULL CHECK (role IN ('user', 'assistant')),
  content          text NOT NULL,
  citations        jsonb NOT NULL DEFAULT '[]',
  mode             text CHECK (mode IN ('generative', 'extractive')),
  model            text,
  usage            jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, ordinal)
);
`;
