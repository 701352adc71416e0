import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentError, type AgentErrorCode } from '../agents/errors.ts';
import { conflict } from '../agents/inbox/guards.ts';
import { toErrorEvent } from '../answer/error-event.ts';
import {
  ConfigError,
  ConflictError,
  DatabaseUnavailableError,
  type ErrorKind,
  ForbiddenError,
  GroundworkError,
  IngestError,
  type IngestErrorCode,
  InvalidRequestError,
  NotFoundError,
  SearchEngineUnavailableError,
  StorageFullError,
  TooLargeError,
  UnsupportedMediaError,
} from '../errors.ts';
import { GuardrailBlockedError } from '../guardrails/blocked-error.ts';
import {
  ModerationModelError,
  type ModerationModelErrorCode,
} from '../guardrails/moderation-models/errors.ts';
import { IngestQueueFullError } from '../ingest/service.ts';
import { SourceFailure } from '../models/acquire/errors.ts';
import { ModelError, type ModelErrorCode } from '../models/errors.ts';
import { BudgetExceededError } from '../observability/budgets.ts';
import { LeaseLostError } from '../store/jobs.ts';
import { statusFor } from './http-error.ts';
import { errorFromEvent } from './openai-error.ts';

const of = (status: number, codes: string[]) => Object.fromEntries(codes.map((code) => [code, status]));

/** Every error code raised in src/ and apps/ and its HTTP status at 761ea85 (status by spelling). */
const STATUS_AT_BASE: Readonly<Record<string, number>> = {
  ...of(400, [
    'corrupt',
    'customer_id_required',
    'customer_mismatch',
    'customer_not_verified',
    'data_dir_unusable',
    'dataset_ingest_failed',
    'dataset_invalid',
    'duplicate_id',
    'embedder_closed',
    'embedding_dimension_mismatch',
    'embedding_failed',
    'empty_file',
    'empty_memory',
    'empty_message',
    'empty_reply',
    'encrypted',
    'experiment_already_running',
    'fetch_failed',
    'import_incomplete',
    'insecure_bind',
    'invalid_agent',
    'invalid_arguments',
    'invalid_arm',
    'invalid_concurrency',
    'invalid_config',
    'invalid_duration',
    'invalid_experiment',
    'invalid_file_name',
    'invalid_generation_settings',
    'invalid_guardrail_settings',
    'invalid_ingest_request',
    'invalid_item',
    'invalid_json',
    'invalid_k',
    'invalid_label',
    'invalid_limit',
    'invalid_messages',
    'invalid_mode',
    'invalid_multipart',
    'invalid_platform_key',
    'invalid_principal',
    'invalid_prompt_name',
    'invalid_query',
    'invalid_question',
    'invalid_quota',
    'invalid_role',
    'invalid_source',
    'invalid_text',
    'invalid_tool',
    'invalid_trace_id',
    'invalid_trigger',
    'invalid_ttl',
    'invalid_variable',
    'invalid_version',
    'limit_exceeded',
    'memory_too_long',
    'message_too_long',
    'model_busy',
    'model_too_large',
    'no_files',
    'no_text',
    'original_not_kept',
    'path_changed',
    'path_not_allowed',
    'prompt_rollback_unavailable',
    'prompt_variable_duplicate',
    'prompt_variable_missing',
    'prompt_variable_type',
    'prompt_variable_unavailable',
    'prompt_variable_undeclared',
    'prompt_variable_unknown',
    'prompt_variable_unused',
    'question_too_long',
    'router_needs_examples',
    'router_needs_vectorizer',
    'source_unavailable',
    'timeout',
    'too_large',
    'too_many_buckets',
    'unknown_model',
    'unknown_scenario',
    'unknown_tool_call',
    'unsupported_run_state',
    'unsupported_type',
    'url_not_allowed',
    'vector_search_unavailable',
  ]),
  ...of(403, ['forbidden_role', 'sessions_cannot_issue']),
  ...of(404, [
    'answer_not_found',
    'conversation_not_found',
    'customer_not_found',
    'dataset_not_found',
    'escalation_not_found',
    'experiment_not_found',
    'job_not_found',
    'key_not_found',
    'lockout_not_found',
    'not_found',
    'prompt_label_not_found',
    'prompt_not_found',
    'prompt_version_not_found',
    'query_not_found',
    'run_not_found',
    'session_not_found',
    'tenant_not_found',
    'trace_not_found',
  ]),
  ...of(409, [
    'already_claimed',
    'conversation_with_person',
    'data_dir_locked',
    'escalation_not_claimed',
    'escalation_not_open',
    'key_revoked',
    'run_not_paused',
  ]),
  ...of(413, ['payload_too_large', 'too_many_files']),
  ...of(415, ['unsupported_media_type']),
  ...of(422, [
    'guardrail_error',
    'guardrail_indirect_injection',
    'guardrail_moderation',
    'guardrail_pii_leak',
    'guardrail_prompt_injection',
    'guardrail_shouting',
    'guardrail_stereotyping',
    'guardrail_stereotyping_escalated',
    'guardrail_unsupported_sentences',
  ]),
  ...of(429, ['budget_exceeded', 'ingest_queue_full']),
  ...of(500, [
    'bad_archive',
    'blob_store_unavailable',
    'checksum_mismatch',
    'data_dir_lock_failed',
    'database_open_failed',
    'download_failed',
    'embedder_crashed',
    'embedder_overloaded',
    'embedder_too_many_values',
    'incomplete_source',
    'invalid_blob_key',
    'lease_lost',
    'model_overloaded',
    'moderation_bad_response',
    'moderation_rate_limited',
    'moderation_request_rejected',
    'moderation_timeout',
    'moderation_unavailable',
  ]),
  ...of(502, ['model_bad_response', 'model_request_rejected', 'model_unavailable']),
  ...of(503, ['database_unavailable', 'model_rate_limited', 'search_engine_unavailable']),
  ...of(504, ['model_timeout', 'request_timeout']),
  ...of(507, ['insufficient_storage']),
  // eval answers (ADR 0045): new codes, raised by the CLI and the harness only.
  ...of(400, [
    'baseline_invalid',
    'invalid_format',
    'invalid_sample',
    'invalid_tolerance',
    'judge_unavailable',
    'labels_invalid',
  ]),
  ...of(502, ['judge_unparseable']),
  ...of(504, ['scorer_timeout']),
  // Codes added since, with the status their kind gives (sources, scenario files, approvals).
  ...of(400, [
    'baseline_needs_full_run',
    'invalid_baseline',
    'invalid_event',
    'invalid_scenarios',
    'invalid_signature',
  ]),
  ...of(404, ['approval_not_found', 'source_not_found']),
  ...of(409, ['source_exists']),
};

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The source files that raise errors (tests and test doubles excluded). */
function sources(folder: string, files: string[] = []): string[] {
  for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__' && entry.name !== 'testing') sources(relative, files);
    } else if (relative.endsWith('.ts') && !relative.endsWith('.test.ts')) files.push(relative);
  }
  return files;
}

/** How each error class is built from a code, as its raise sites build it. */
const BY_CLASS: Record<string, (code: string) => GroundworkError> = {
  InvalidRequestError: (code) => new InvalidRequestError(code, 'm'),
  NotFoundError: (code) => new NotFoundError(code, 'm'),
  ConflictError: (code) => new ConflictError(code, 'm'),
  ForbiddenError: (code) => new ForbiddenError(code, 'm'),
  TooLargeError: (code) => new TooLargeError(code, 'm'),
  UnsupportedMediaError: (code) => new UnsupportedMediaError(code, 'm'),
  AgentError: (code) => new AgentError(code as AgentErrorCode, 'm'),
  IngestError: (code) => new IngestError(code as IngestErrorCode, 'm'),
  ModerationModelError: (code) =>
    new ModerationModelError(code as ModerationModelErrorCode, 'm', { details: {}, retryable: false }),
  ModelError: (code) =>
    new ModelError(code as ModelErrorCode, 'm', {
      details: { provider: 'p', model: 'm', attempts: 1, tried: [] },
      retryable: false,
    }),
  SourceFailure: (code) => new SourceFailure({ code, url: 'https://x', reason: 'r' }),
};

/** `new GroundworkError({ … })` as written: its code, category and kind literals. */
function fromLiteral(literal: string): GroundworkError {
  const field = (name: string) => new RegExp(`\\b${name}: '([a-z_-]+)'`).exec(literal)?.[1];
  return new GroundworkError({
    code: field('code') as string,
    message: 'm',
    category: field('category') as 'user' | 'system' | undefined,
    kind: field('kind') as ErrorKind | undefined,
  });
}

/** Every raise site with a literal code: `new X('code'` and `new X({ … code: 'code' … })`. */
function raiseSites(): { site: string; code: string; error: GroundworkError }[] {
  const sites: { site: string; code: string; error: GroundworkError }[] = [];
  for (const file of [...sources('src'), ...sources('apps')]) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/new (\w+)\(\s*'([a-z_]+)'/g)) {
      const build = BY_CLASS[match[1] as string];
      if (build)
        sites.push({
          site: `${file}: ${match[1]}`,
          code: match[2] as string,
          error: build(match[2] as string),
        });
    }
    for (const match of text.matchAll(/new (GroundworkError|SourceFailure)\(\{([^;]*?)\}\)/gs)) {
      const code = /\bcode: '([a-z_]+)'/.exec(match[2] as string)?.[1];
      if (!code) continue;
      const error =
        match[1] === 'SourceFailure' ? BY_CLASS.SourceFailure!(code) : fromLiteral(match[2] as string);
      sites.push({ site: `${file}: ${match[1]}`, code, error });
    }
  }
  return sites;
}

describe('HTTP status of every error: a lookup on its kind, as it was by spelling', () => {
  it('answers every raise site in src/ and apps/ with the status it had', () => {
    const sites = raiseSites();
    expect(sites.length).toBeGreaterThan(150);
    const changed = sites
      .filter(({ code, error }) => statusFor(error) !== STATUS_AT_BASE[code])
      .map(({ site, code, error }) => `${site} ${code}: ${statusFor(error)}, was ${STATUS_AT_BASE[code]}`);
    expect(changed).toEqual([]);
  });

  it('keeps the status of errors raised through helpers and fixed-code classes', () => {
    const budget = new BudgetExceededError({
      tenantId: 't',
      budget: { monthlyUsd: 1 },
      spentUsd: 2,
      spentTokens: 0,
      resetsAt: new Date(0),
    } as never);
    const errors: GroundworkError[] = [
      conflict('already_claimed', 'm'),
      conflict('escalation_not_open', 'm'),
      conflict('escalation_not_claimed', 'm'),
      budget,
      new IngestQueueFullError({}, 10),
      new DatabaseUnavailableError('pool_timeout'),
      new SearchEngineUnavailableError('timeout'),
      new StorageFullError(),
      new LeaseLostError('j'),
      new ConfigError('m'),
      ...(['run_not_paused', 'unsupported_run_state', 'unknown_tool_call'] as const).map(
        (code) => new AgentError(code, 'm'),
      ),
      ...(
        [
          'model_timeout',
          'model_rate_limited',
          'model_unavailable',
          'model_bad_response',
          'model_request_rejected',
        ] as const
      ).map((code) => BY_CLASS.ModelError!(code)),
      ...[
        'guardrail_prompt_injection',
        'guardrail_indirect_injection',
        'guardrail_stereotyping',
        'guardrail_moderation',
        'guardrail_pii_leak',
        'guardrail_error',
      ].map(
        (code) =>
          new GuardrailBlockedError({
            code,
            reason: 'r',
            guardrail: 'g',
            stage: 'input',
            action: 'block',
          } as never),
      ),
    ];
    for (const error of errors)
      expect(`${error.code} ${statusFor(error)}`).toBe(`${error.code} ${STATUS_AT_BASE[error.code]}`);
    // `forbidden_role` and `sessions_cannot_issue` (server/routes/sessions.ts) are 403 by kind.
    expect(statusFor(new GroundworkError({ code: 'forbidden_role', message: 'm', kind: 'forbidden' }))).toBe(
      STATUS_AT_BASE.forbidden_role,
    );
  });

  it('answers a stream that failed on a moderation outage with a 5xx, not 400 (chat completions)', () => {
    const outage = new ModerationModelError('moderation_timeout', 'The moderation API timed out.', {
      details: {},
      retryable: true,
    });
    expect(statusFor(outage)).toBe(500);
    expect(statusFor(errorFromEvent(toErrorEvent(outage)))).toBe(statusFor(outage));
    const refusal = new GuardrailBlockedError({
      code: 'guardrail_prompt_injection',
      reason: 'r',
      guardrail: 'g',
      stage: 'input',
      action: 'block',
    } as never);
    expect(statusFor(errorFromEvent(toErrorEvent(refusal)))).toBe(422);
  });

  it('takes the status from the kind, whatever the code is called', () => {
    expect(statusFor(new InvalidRequestError('page_not_found_marker', 'a malformed marker'))).toBe(400);
    expect(
      statusFor(
        new GroundworkError({ code: 'guardrail_settings_unreadable', message: 'm', category: 'system' }),
      ),
    ).toBe(500);
    expect(statusFor(new NotFoundError('widget_missing', 'm'))).toBe(404);
  });
});
