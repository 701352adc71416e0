/**
 * @module status-report
 * What `groundwork status` reports, read with only the database open: the models are named from the
 * configuration, never loaded, so the command costs one database open (the embedded engine's start-up
 * is most of it) instead of building the whole product.
 */
import type { Config } from './config/config.ts';
import { DocumentService, type KnowledgeCounts } from './ingest/documents.ts';
import { embedderName, resolveEmbedder } from './models/embedders.ts';
import { chooseModel } from './models/model-choice.ts';
import { HealthService } from './observability/health.ts';
import { openDatabase } from './store/open.ts';

/** The status of one tenant's knowledge base and of the engine serving it. */
export interface StatusReport extends KnowledgeCounts {
  readonly tenant: string;
  readonly database: string;
  readonly engine: string;
  readonly sizeBytes: number;
  readonly embedder: string;
  readonly answers: string;
  readonly retrieval: 'hybrid' | 'lexical';
  /** Server processes sharing a Postgres server (absent for the embedded database, which has one owner). */
  readonly processes?: string;
  readonly notes: string;
}

/** Reads the status; the database is opened (and migrated, as any command does) and closed again. */
export async function readStatusReport(config: Config, tenantId: string): Promise<StatusReport> {
  // Model configuration errors surface before the database is opened, as they do for every command.
  const embedderChoice = chooseModel(config.embedder, 'embedding', config.modelsDir);
  const llmChoice = chooseModel(config.llm.model, 'chat', config.modelsDir);
  const embedder = resolveEmbedder(embedderChoice.spec, {
    modelsDir: config.modelsDir,
    hosted: { settings: config.embedding },
  });
  const llm = llmChoice.spec.trim();
  const notes = [embedderChoice.note, llmChoice.note].filter((note): note is string => !!note);
  const { breakStaleLock, ...server } = config.database;
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    server,
    breakStaleLock,
  });
  try {
    const health = new HealthService(db);
    const counts = await new DocumentService(db).counts(tenantId);
    const facts = await health.facts();
    const processes =
      facts.dialect === 'postgres'
        ? (await health.processes())
            .map((instance) => `${instance.role}@${instance.hostname}:${instance.pid} (v${instance.version})`)
            .join(', ') || 'none running'
        : undefined;
    return {
      tenant: tenantId,
      database: facts.dialect === 'pglite' ? `embedded (${config.dataDir})` : 'postgres server',
      engine: `Postgres ${facts.serverVersion}, pgvector ${facts.pgvectorVersion}`,
      sizeBytes: facts.sizeBytes,
      embedder: embedder
        ? `${embedderName(embedder)} (${embedder.dimensions} dimensions)`
        : 'none (lexical retrieval only)',
      answers: llm && llm !== 'none' ? `generative (${llm})` : 'extractive (set GROUNDWORK_LLM to generate)',
      retrieval: embedder ? 'hybrid' : 'lexical',
      ...counts,
      ...(processes === undefined ? {} : { processes }),
      notes: notes.join('; ') || 'none',
    };
  } finally {
    await db.close();
  }
}
