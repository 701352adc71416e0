/**
 * @module app
 * The composition root: the one place that turns configuration into adapters and services. Everything
 * else receives what it needs from here.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { InboxService } from './agents/inbox/inbox.ts';
import { McpToolbox } from './agents/mcp/toolbox.ts';
import { CustomerMemory } from './agents/memory/customer.ts';
import { ConversationMemory } from './agents/memory/window.ts';
import { cacheAnswers } from './answer/answer-cache.ts';
import { createAnswerer } from './answer/answerer.ts';
import { ChatService } from './answer/chat.ts';
import { openBlobStore } from './blobs/open-blob-store.ts';
import type { Config } from './config/config.ts';
import type { LlmTask } from './config/llm-config.ts';
import { FeedbackService } from './feedback/feedback-service.ts';
import { createAnswerGuard } from './guardrails/answer-guard.ts';
import { createGuardrailPipeline } from './guardrails/create-guardrails.ts';
import { escalateToInbox } from './guardrails/escalate-to-inbox.ts';
import { defaultGuardrailActions, GuardrailSettingsService } from './guardrails/guardrail-settings.ts';
import { resolveModerationModel } from './guardrails/moderation-models/resolve.ts';
import type { GuardrailPipeline } from './guardrails/pipeline.ts';
import { CredentialWatch } from './identity/credential-watch.ts';
import { ApiKeyService } from './identity/keys.ts';
import { clusterSessionSecret, resolveSessionSecret, secretFingerprint } from './identity/session-secret.ts';
import { SessionService } from './identity/sessions.ts';
import { TenantService } from './identity/tenants.ts';
import { type BackfillProgress, backfillVectors } from './ingest/backfill-vectors.ts';
import { createStructuredChunker, DEFAULT_CHUNKING } from './ingest/chunking/structured-chunker.ts';
import { DocumentService } from './ingest/documents.ts';
import { isComplete, previousEmbedderToServe } from './ingest/embedder-switch.ts';
import type { IngestContext } from './ingest/ingest-file.ts';
import { createParserRegistry } from './ingest/parsers/index.ts';
import { pipelineHash } from './ingest/pipeline-hash.ts';
import { DEFAULT_PIPELINE_REF } from './ingest/prepare/default-pipeline.ts';
import { IngestionService } from './ingest/service.ts';
import { parseUrlAllowList } from './ingest/sources/url-allow-list.ts';
import { systemResolver } from './ingest/sources/url-policy.ts';
import { UploadService } from './ingest/uploads.ts';
import { embedderName, isHostedEmbedderSpec, resolveEmbedder } from './models/embedders.ts';
import { probeHostedEmbedder } from './models/embedding/probe-hosted-embedder.ts';
import { resolveLanguageModel } from './models/language-models.ts';
import { answerBudgetsFor, chooseModel, GIVEN_MODEL, isLocal } from './models/model-choice.ts';
import { redactingLanguageModel } from './models/redacting-language-model.ts';
import { type NamedLanguageModel, resolveTaskModels, type TaskModels } from './models/task-models.ts';
import { AnswerLog } from './observability/answer-log.ts';
import { recordAnswers } from './observability/answer-recorder.ts';
import { BudgetGuard } from './observability/budgets.ts';
import { HealthService } from './observability/health.ts';
import { logger } from './observability/logger.ts';
import { createObservability, type Observability } from './observability/observability.ts';
import { createPriceList, type PriceList } from './observability/prices.ts';
import { UsageService } from './observability/usage-service.ts';
import { disagreeingInstances, disagreementMessage, InstanceRegistry } from './os/instance-registry.ts';
import { startPeriodic } from './os/periodic.ts';
import { defaultPrivacySections, PrivacyService } from './privacy/privacy-service.ts';
import { ExperimentService } from './prompts/experiments.ts';
import { PromptRegistry } from './prompts/registry.ts';
import { createRegistryPromptSource } from './prompts/registry-prompt-source.ts';
import { createAnalyzer } from './retrieval/lexical/analyzer.ts';
import { Retriever } from './retrieval/retriever.ts';
import { createRetrievalBackends } from './retrieval/search-engine/factory.ts';
import { PostgresRateLimiter } from './server/postgres-rate-limiter.ts';
import { MemoryRateLimiter, type RateLimiter } from './server/rate-limit.ts';
import { createSourceObjectReader } from './sources/object-reader.ts';
import { createSecretBox } from './sources/secret-box.ts';
import { SourceService } from './sources/service.ts';
import type { AgentRunStore } from './spec/agents.ts';
import type { Answerer } from './spec/answer.ts';
import type { EmbedderInfo } from './spec/embedding.ts';
import { PostgresAgentRunStore } from './store/agent-runs.ts';
import { prepareDataDir } from './store/data-dir.ts';
import type { Database } from './store/database.ts';
import { ensureEmbeddingModel, ensureTenant } from './store/documents.ts';
import { requeueInterruptedJobs } from './store/jobs.ts';
import { openDatabase } from './store/open.ts';
import { createTokenCounter } from './text/tokens.ts';
import { VERSION } from './version.ts';

/** How often uploads nothing needs and refilled rate-limit buckets are deleted. */
const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

/** The running product. */
export interface Groundwork {
  readonly config: Config;
  readonly db: Database;
  readonly ingestion: IngestionService;
  /** Server-side sources (folders, URL lists, buckets) and their syncs; the server runs their schedule. */
  readonly sources: SourceService;
  /** The documents of each tenant: listed, read with their chunks, deleted (HTTP and CLI alike). */
  readonly documents: DocumentService;
  /** Tenants: created on first use, looked up, counted. */
  readonly tenants: TenantService;
  /** Tokens and cost from the answer log (flushed before each report). */
  readonly usage: UsageService;
  /** The database as probes and `status` see it: engine, readiness, size, processes sharing it. */
  readonly health: HealthService;
  /** Uploaded originals in the blob store: stored by the upload route, read by the worker, collected. */
  readonly uploads: UploadService;
  readonly retriever: Retriever;
  /** Grounded answers: generated when a language model is configured, extractive otherwise. */
  readonly answerer: Answerer;
  /** Conversations: answers with stored history. */
  readonly chat: ChatService;
  /** Guardrails by stage (input, passage, tool-result, output); the answerer runs them already. */
  readonly guardrails: GuardrailPipeline;
  /**
   * The moderation guardrails alone (no injection check), for apps that refuse injection attempts
   * their own way, such as the support app: each tenant's category actions, escalations to the inbox.
   */
  readonly moderation: GuardrailPipeline;
  /** Each tenant's moderation and stereotyping actions (defaults from the config, overrides stored). */
  readonly guardrailSettings: GuardrailSettingsService;
  /** API keys, and through `keys.audit` the audit log. */
  readonly keys: ApiKeyService;
  /** Ends open streams whose key is revoked or expires (checked in-process and against the database). */
  readonly credentials: CredentialWatch;
  /**
   * Request rate limits per key and tenant: in Postgres when the database is a server (shared by every
   * API process), in memory with the embedded database (one process).
   */
  readonly rateLimiter: RateLimiter;
  /** Signed customer sessions for chat widgets (revocable; bound to a customer once verified). */
  readonly sessions: SessionService;
  /** Data-subject rights: export and erase one customer's data (apps register their own tables). */
  readonly privacy: PrivacyService;
  /** Metrics, the trace store and OTLP export of this app. */
  readonly observability: Observability;
  /** Prompts, their versions and labels; the answerer renders the `production` label. */
  readonly prompts: PromptRegistry;
  /** Prompt experiments: traffic split between prompt versions, with per-arm results. */
  readonly experiments: ExperimentService;
  /** Ratings of answers, tied to the answer log. */
  readonly feedback: FeedbackService;
  /** Token prices (defaults merged with the config's `prices`). */
  readonly prices: PriceList;
  /** Per-tenant monthly budgets, checked against the answer log. */
  readonly budgets: BudgetGuard;
  /** The answer log's batched writer; readers of the log flush it first. */
  readonly answerLog: AnswerLog;
  /** Where agent runs are kept, so runs paused for approval survive a restart (agent runners use it). */
  readonly agentRuns: AgentRunStore;
  /** Agent services: the operator inbox of escalated conversations. */
  readonly inbox: InboxService;
  /** Agent services: the conversation window (short-term) and per-customer memories (long-term). */
  readonly memory: { readonly conversations: ConversationMemory; readonly customers: CustomerMemory };
  /** Agent services: tools of the configured MCP servers (connected on first `tools()`). */
  readonly mcp: McpToolbox;
  /** `provider:model` that writes answers, or null when answers are extractive. */
  readonly languageModelName: string | null;
  /** The model behind `languageModelName` (agent runners use it), or null. */
  readonly languageModel: LanguageModelV3 | null;
  /** The model of each sub-task (`llm.tasks`): its own, or the answering model. */
  readonly taskModels: TaskModels;
  /** One line each on how the models in use were chosen when that took a fallback (start-up banner). */
  readonly modelNotes: readonly string[];
  /** Embeds stored chunks that lack a vector for the current embedder (after switching embedders). */
  backfillVectors(onProgress?: (progress: BackfillProgress) => void, signal?: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

/**
 * The product as HTTP routes and CLI commands see it: its services, not its database. Tables are
 * owned by the services (and `src/store`); tests may still reach `Groundwork['db']`.
 */
export type GroundworkServices = Omit<Groundwork, 'db'>;

/** Options that only tests and tools set. */
export interface CreateOptions {
  /** Use this database instead of opening one from the config. */
  readonly db?: Database;
  readonly fetch?: typeof fetch;
  /**
   * The language model that writes answers, with its `provider:model` name, instead of the one the
   * config names (tests pass scripted models here). Without either, answers are extractive.
   */
  readonly languageModel?: { readonly model: LanguageModelV3; readonly name: string };
  /** Models of sub-tasks (`llm.tasks`) instead of the configured ones (tests pass scripted models). */
  readonly taskModels?: Partial<Record<LlmTask, NamedLanguageModel>>;
  /** Load local models now and fall back to the next best mode when one cannot load (servers). */
  readonly warmUp?: boolean;
  /**
   * A server process: on a Postgres server it registers with its role and refuses to start when
   * live processes sign sessions with another secret. Without it (CLI commands) it only warns.
   */
  readonly instance?: { readonly role: string };
}

/** Builds the product from its configuration. */
export async function createGroundwork(config: Config, options: CreateOptions = {}): Promise<Groundwork> {
  // Model configuration errors surface before any database is opened or written.
  const embedderChoice = chooseModel(config.embedder, 'embedding', config.modelsDir);
  const llmChoice = options.languageModel
    ? GIVEN_MODEL
    : chooseModel(config.llm.model, 'chat', config.modelsDir);
  const modelNotes = [embedderChoice.note, llmChoice.note].filter((note): note is string => !!note);
  const moderation = config.guardrails.enabled && config.guardrails.moderation.enabled;
  const moderationModel = resolveModerationModel(
    moderation ? config.guardrails.moderation.classifier : undefined,
    { fetch: options.fetch },
  );
  const embedderOptions = {
    modelsDir: config.modelsDir,
    hosted: { settings: config.embedding, fetch: options.fetch, redact: config.guardrails.redactForModel },
  };
  let embedder = resolveEmbedder(embedderChoice.spec, embedderOptions);
  // A model handed in (tests, embedding applications) is the caller's to classify; an explicit
  // `redactForModel: true` still wraps it, so the setting means the same whatever built the model.
  let languageModel =
    (options.languageModel && config.guardrails.redactForModel === true
      ? { ...options.languageModel, model: redactingLanguageModel(options.languageModel.model) }
      : options.languageModel) ??
    resolveLanguageModel(
      { ...config.llm, model: llmChoice.spec },
      {
        fetch: options.fetch,
        env: { ...process.env, GROUNDWORK_MODELS_DIR: config.modelsDir },
        redact: config.guardrails.redactForModel,
      },
    );
  if (options.warmUp) {
    // A local model that cannot load (corrupt file, too little memory) must not keep the server down:
    // it runs in the next best mode and says why.
    if (embedder && isLocal(embedderChoice)) {
      const failure = await warmUpEmbedder(embedder);
      if (failure) {
        modelNotes.push(`${embedderChoice.spec} failed to load, so retrieval is lexical only: ${failure}`);
        embedder = undefined;
      }
    }
    if (embedder && isHostedEmbedderSpec(embedderChoice.spec)) {
      const note = await probeHostedEmbedder(embedder, embedderChoice.spec);
      if (note) modelNotes.push(note);
    }
    if (languageModel && isLocal(llmChoice)) {
      const failure = await warmUpLanguageModel(languageModel.model);
      if (failure) {
        modelNotes.push(`${llmChoice.spec} failed to load, so answers are extractive: ${failure}`);
        languageModel = undefined;
      }
    }
  }
  const taskModels = resolveTaskModels(
    { ...config.llm, model: options.languageModel ? 'none' : llmChoice.spec },
    languageModel,
    options.taskModels,
    {
      fetch: options.fetch,
      env: { ...process.env, GROUNDWORK_MODELS_DIR: config.modelsDir },
      redact: config.guardrails.redactForModel,
    },
  );
  // A data directory that cannot be used fails here with one line saying what to do, before anything
  // (the embedded database, uploaded files in the default blob store) is written into it.
  const usesDataDir = !config.databaseUrl || config.blobStore === undefined;
  if (!options.db && usesDataDir && !config.dataDir.startsWith('memory://')) {
    prepareDataDir(config.dataDir, { embedded: !config.databaseUrl });
  }
  // A configured secret is checked before the database opens, so a bad one fails before any write.
  const configuredSecret =
    config.sessions.secret === undefined
      ? undefined
      : resolveSessionSecret({ configured: config.sessions.secret, dataDir: config.dataDir });
  // A misconfigured blob store (bad URL, missing credentials) fails here, before the database opens.
  const blobs = openBlobStore(config.blobStore, { dataDir: config.dataDir, fetch: options.fetch });
  const { breakStaleLock, ...server } = config.database;
  const db =
    options.db ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      server,
      breakStaleLock,
    }));
  logger.level = config.observability.logLevel;
  let observability: Observability | undefined;
  let registry: InstanceRegistry | undefined;
  try {
    if (db.dialect === 'pglite') {
      // One process owns the embedded database, so a job left running was interrupted: resume it now.
      await requeueInterruptedJobs(db);
    }
    await ensureTenant(db, config.defaultTenant);
    // Several processes share a Postgres server, so they share its secret; the embedded one has one.
    const sessionSecret =
      configuredSecret ??
      (db.dialect === 'postgres'
        ? await clusterSessionSecret(db, config.dataDir)
        : resolveSessionSecret({ dataDir: config.dataDir }));
    if (db.dialect === 'postgres') {
      const fingerprint = secretFingerprint(sessionSecret);
      if (options.instance) {
        registry = new InstanceRegistry(db, {
          ...options.instance,
          version: VERSION,
          secretFingerprint: fingerprint,
        });
        await registry.join((error) => logger.warn({ err: error }, 'Instance heartbeat failed.'));
      } else {
        const others = await disagreeingInstances(db, fingerprint);
        if (others.length > 0) logger.warn(disagreementMessage(others));
      }
    }
    const modelId = embedder
      ? await ensureEmbeddingModel(db, embedderName(embedder), embedder.dimensions)
      : undefined;
    const embedderWithId = embedder && modelId !== undefined ? { ...embedder, modelId } : undefined;
    // After a switch of embedders, search stays on the previous model until the new one's vectors
    // are complete (ingest/embedder-switch.ts); the backfill moves it over.
    const previousEmbedder = embedderWithId
      ? await previousEmbedderToServe(db, embedderWithId, (name) => resolveEmbedder(name, embedderOptions))
      : undefined;
    if (previousEmbedder && embedderWithId) {
      modelNotes.push(
        `Vector search uses ${embedderName(previousEmbedder)} until every chunk has a ${embedderName(embedderWithId)} vector (computed in the background).`,
      );
    }
    const analyzer = createAnalyzer();
    const tokenCounter = createTokenCounter();
    const chunking = { ...DEFAULT_CHUNKING, ...config.chunking };
    const parser = createParserRegistry({
      maxInputBytes: config.limits.maxFileBytes,
      maxPages: config.limits.maxPages,
      maxUnzippedBytes: config.limits.maxUnzippedBytes,
      timeoutMs: config.limits.parseTimeoutMs,
      memoryLimitMb: config.limits.parserMemoryMb,
      ...(config.limits.parserWorkers ? { poolSize: config.limits.parserWorkers } : {}),
    });
    const chunker = createStructuredChunker(tokenCounter);
    const context: IngestContext = {
      db,
      parser,
      // Large files are parsed, chunked and analysed in worker threads (ADR 0057); a worker builds the
      // same chunker and analyzer from DEFAULT_PIPELINE_REF.
      preparer: {
        prepare: ({ spec, ...file }) =>
          parser.prepare(file, { spec, pipeline: { chunker, analyzer }, pipelineRef: DEFAULT_PIPELINE_REF }),
      },
      chunker,
      chunking,
      analyzer,
      embedder: embedderWithId,
      pipelineHash: pipelineHash({
        chunking,
        analyzer: analyzer.name,
        embedder: embedder ? embedderName(embedder) : undefined,
      }),
    };
    const prices = createPriceList(config.prices);
    observability = createObservability({
      db,
      settings: config.observability,
      // Cost of each model call in the metrics, priced like the answer log.
      priceOf: (model, inputTokens, outputTokens) =>
        prices.priceOf(model) ? prices.cost(model, { inputTokens, outputTokens }).costUsd : undefined,
      defaultTenant: config.defaultTenant,
      logger,
    });
    const traced = observability;
    const uploads = new UploadService(db, blobs.store);
    // Source credentials are sealed with GROUNDWORK_SECRET_KEY, or a key derived from the session secret.
    const secretBox = createSecretBox({
      secretKey: process.env.GROUNDWORK_SECRET_KEY || undefined,
      fallback: sessionSecret,
    });
    const allowedUrls = parseUrlAllowList(config.ingest.allowedUrlHosts).allowList;
    const protectedPaths = [config.dataDir, config.modelsDir].filter(
      (folder) => !folder.startsWith('memory://'),
    );
    const bucketReach = { allowList: allowedUrls, resolveHost: systemResolver, fetch: options.fetch };
    const ingestion = new IngestionService({
      context,
      uploads,
      sourceObjects: createSourceObjectReader(db, secretBox, bucketReach),
      traceJob: (job, run) =>
        traced.runRoot('ingest.job', job.tenantId, { 'groundwork.job.id': job.id }, run),
      limits: config.limits,
      allowedRoots: config.allowedRoots,
      protectedPaths,
      allowedUrls,
      concurrency: config.ingestConcurrency,
      fetch: options.fetch,
      // Leases, retries and fairness (ADRs 0034, 0069).
      staleAfterMs: config.ingest.leaseMs,
      heartbeatMs: config.ingest.heartbeatMs,
      retry: {
        maxItemAttempts: config.ingest.maxItemAttempts,
        baseDelayMs: config.ingest.retryBaseMs,
        maxDelayMs: config.ingest.retryMaxMs,
      },
      maxWorkerLosses: config.ingest.maxWorkerLosses,
      tenantConcurrency: config.ingest.tenantConcurrency,
      jobSlots: config.ingest.jobSlots,
      tenantQueue: {
        maxJobs: config.ingest.tenantMaxQueuedJobs,
        maxItems: config.ingest.tenantMaxQueuedItems,
        retryAfterSeconds: 10,
      },
    });
    const sources = new SourceService({
      db,
      ingestion,
      box: secretBox,
      paths: { roots: config.allowedRoots, protectedPaths },
      ...bucketReach,
    });
    const retriever = new Retriever({
      db,
      analyzer,
      embedder: previousEmbedder ?? embedderWithId,
      settings: config.retrieval,
      logger,
      ...createRetrievalBackends(db, config.retrieval, { logger }),
    });
    const prompts = new PromptRegistry(db);
    const answerLog = new AnswerLog(db, {
      onLost: (reason, count) => traced.metrics.answerLogFailures.inc({ reason }, count),
    });
    const experiments = new ExperimentService(db, prompts, { answers: answerLog });
    const customerMemory = new CustomerMemory({ db, analyzer, embedder: embedderWithId });
    const inbox = new InboxService(db, {
      customerMemory,
      onEscalated: (escalation) => traced.metrics.escalations.inc({ trigger: escalation.trigger }),
    });
    const guardrailSettings = new GuardrailSettingsService(db, defaultGuardrailActions(config.guardrails), {
      cacheMs: config.guardrails.settingsCacheSeconds * 1000,
    });
    const guardrails = createGuardrailPipeline(
      config.guardrails,
      { analyzer, model: taskModels.moderation?.model, moderationModel, actions: guardrailSettings },
      // An escalation in a conversation parks it in the operator inbox (guardrails/escalate-to-inbox.ts).
      { onEscalate: escalateToInbox(inbox, logger) },
    );
    const moderationOnly = createGuardrailPipeline(
      { ...config.guardrails, injection: { ...config.guardrails.injection, enabled: false } },
      { analyzer, model: taskModels.moderation?.model, moderationModel, actions: guardrailSettings },
      { onEscalate: escalateToInbox(inbox, logger) },
    );
    const promptSource = createRegistryPromptSource(prompts, experiments);
    const generated = createAnswerer({
      prompts: promptSource,
      retriever,
      tokenCounter,
      analyzer,
      model: languageModel,
      condenseModel: taskModels.condense,
      // Personal data is kept from hosted models at the model itself (resolveLanguageModel's `redact`),
      // so every caller (answers, chat, agents, condensing) is covered, not only the question.
      guard: createAnswerGuard(guardrails),
      ...config.answer,
      // A local chat model gets the budgets its description says it handles well.
      ...answerBudgetsFor(llmChoice, config.answer),
    });
    // Stateless questions are answered from the cache when nothing that shapes the answer changed.
    const grounded = cacheAnswers(generated, {
      db,
      config: config.cache.answers,
      modelName: languageModel?.name ?? null,
      prompts: promptSource,
      defaultLimit: config.answer.retrievalLimit,
      onLookup: (result) => traced.metrics.cacheRequests.inc({ cache: 'answers', result }),
    });
    // Every answer, whichever door it came through, lands in the answer log with its cost.
    const answerer = recordAnswers(grounded, {
      log: answerLog,
      prices,
      languageModelName: languageModel?.name ?? null,
    });
    const mcp = new McpToolbox(config.mcpServers);
    const credentials = new CredentialWatch(db);
    const sessions = new SessionService(db, {
      secret: sessionSecret,
      settings: config.sessions,
      onRevoked: () => void credentials.recheck(),
    });
    const stopPurgingSessions = sessions.startPurging({
      onError: (error) => logger.warn({ err: error }, 'Deleting expired customer sessions failed.'),
    });
    const rateLimiter =
      db.dialect === 'postgres'
        ? new PostgresRateLimiter(db, config.rateLimits)
        : new MemoryRateLimiter(config.rateLimits);
    const stopMaintenance = startPeriodic(
      async () => {
        await uploads.collectGarbage();
        if (rateLimiter instanceof PostgresRateLimiter) await rateLimiter.prune();
      },
      {
        intervalMs: MAINTENANCE_INTERVAL_MS,
        onError: (error) =>
          logger.warn({ err: error }, 'Collecting unneeded uploads or rate buckets failed.'),
      },
    );
    return {
      config,
      db,
      ingestion,
      sources,
      documents: new DocumentService(db),
      tenants: new TenantService(db),
      usage: new UsageService(db.read, () => answerLog.flush()),
      health: new HealthService(db),
      uploads,
      retriever,
      answerer,
      chat: new ChatService(db, answerer),
      guardrails,
      moderation: moderationOnly,
      guardrailSettings,
      keys: new ApiKeyService(db, {
        onRevoked: () => void credentials.recheck(),
        answers: answerLog,
      }),
      credentials,
      rateLimiter,
      sessions,
      privacy: new PrivacyService(db, {
        sections: defaultPrivacySections(),
        answers: answerLog,
        traces: traced,
      }),
      observability,
      prompts,
      experiments,
      feedback: new FeedbackService(db, {
        onRated: (rating) => traced.metrics.feedback.inc({ rating }),
        answers: answerLog,
      }),
      prices,
      budgets: new BudgetGuard(db, config.budgets, { answers: answerLog }),
      agentRuns: new PostgresAgentRunStore(db),
      inbox,
      memory: {
        conversations: new ConversationMemory({
          db,
          tokens: tokenCounter,
          analyzer,
          model: taskModels.summarise?.model,
        }),
        customers: customerMemory,
      },
      mcp,
      languageModelName: languageModel?.name ?? null,
      languageModel: languageModel?.model ?? null,
      taskModels,
      modelNotes,
      backfillVectors: async (onProgress, signal) => {
        if (!embedderWithId) return 0;
        const embedded = await backfillVectors({ db, embedder: embedderWithId, onProgress, signal });
        if (retriever.embedder !== embedderWithId && (await isComplete(db, embedderWithId))) {
          retriever.useEmbedder(embedderWithId);
        }
        return embedded;
      },
      answerLog,
      close: async () => {
        await registry?.leave();
        credentials.close();
        await stopPurgingSessions();
        await stopMaintenance();
        await mcp.close();
        await sources.stop();
        await ingestion.stop();
        await answerLog.flush();
        await parser.close();
        await traced.close();
        if (!options.db) await db.close();
        blobs.close();
      },
    };
  } catch (error) {
    await observability?.close();
    await registry?.leave();
    if (!options.db) await db.close();
    blobs.close();
    throw error;
  }
}

async function warmUpEmbedder(embedder: EmbedderInfo): Promise<string | undefined> {
  try {
    await embedder.model.doEmbed({ values: ['warm-up'] });
    return undefined;
  } catch (error) {
    await (embedder as { close?: () => Promise<void> }).close?.();
    return (error as Error).message;
  }
}

async function warmUpLanguageModel(model: LanguageModelV3): Promise<string | undefined> {
  try {
    await model.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      maxOutputTokens: 1,
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
