/**
 * @module store/migrations/005-llmops
 * LLMOps: the answer log (one row per answer, with its tokens, cost and prompt version), feedback on
 * those answers, the prompt registry (prompts, immutable numbered versions, labels and their history)
 * and prompt experiments.
 */

/**
 * `answers.id` is the answer's trace id. Conversation ids carry no foreign key: the record of what was
 * answered (and what it cost) outlives a deleted conversation. Prompt versions are never updated, so
 * there is no update path; labels move and every move is kept in `prompt_label_history`.
 */
export const MIGRATION_005 = `
CREATE TABLE answers (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id          text NOT NULL,
  conversation_id  uuid,
  question         text NOT NULL,
  answer           text NOT NULL,
  citations        jsonb NOT NULL DEFAULT '[]',
  mode             text NOT NULL CHECK (mode IN ('generative', 'extractive')),
  model            text,
  prompt_name      text,
  prompt_version   integer,
  experiment_id    uuid,
  experiment_arm   text,
  input_tokens     integer NOT NULL DEFAULT 0,
  output_tokens    integer NOT NULL DEFAULT 0,
  cost_usd         double precision NOT NULL DEFAULT 0,
  priced           boolean NOT NULL DEFAULT true,
  latency_ms       double precision NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX answers_tenant_time ON answers (tenant_id, created_at);
CREATE INDEX answers_experiment ON answers (experiment_id, experiment_arm) WHERE experiment_id IS NOT NULL;

-- One rating per answer: a second rating of the same answer replaces the first.
CREATE TABLE feedback (
  answer_id   text PRIMARY KEY REFERENCES answers(id) ON DELETE CASCADE,
  tenant_id   text NOT NULL,
  user_id     text NOT NULL,
  rating      text NOT NULL CHECK (rating IN ('up', 'down')),
  comment     text,
  category    text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_tenant_time ON feedback (tenant_id, created_at DESC);

CREATE TABLE prompts (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name         text NOT NULL,
  description  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE prompt_versions (
  tenant_id   text NOT NULL,
  name        text NOT NULL,
  version     integer NOT NULL CHECK (version >= 1),
  template    text NOT NULL,
  variables   jsonb NOT NULL DEFAULT '[]',
  note        text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name, version),
  FOREIGN KEY (tenant_id, name) REFERENCES prompts (tenant_id, name) ON DELETE CASCADE
);

CREATE TABLE prompt_labels (
  tenant_id   text NOT NULL,
  name        text NOT NULL,
  label       text NOT NULL,
  version     integer NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name, label),
  FOREIGN KEY (tenant_id, name, version) REFERENCES prompt_versions (tenant_id, name, version)
);

CREATE TABLE prompt_label_history (
  id                bigserial PRIMARY KEY,
  tenant_id         text NOT NULL,
  name              text NOT NULL,
  label             text NOT NULL,
  version           integer NOT NULL,
  previous_version  integer,
  actor             text NOT NULL,
  at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX prompt_label_history_label ON prompt_label_history (tenant_id, name, label, id DESC);

-- At most one running experiment per prompt and tenant, so an answer's arm is never ambiguous.
CREATE TABLE experiments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name         text NOT NULL,
  prompt_name  text NOT NULL,
  arms         jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  stopped_at   timestamptz
);
CREATE UNIQUE INDEX experiments_one_running ON experiments (tenant_id, prompt_name) WHERE status = 'running';
`;
