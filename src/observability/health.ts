/**
 * @module observability/health
 * The database as readiness probes, `groundwork status` and start-up checks see it: which engine it
 * is, whether it answers, how big it is, which server processes share it, whether a table is there.
 */
import { INSTANCE_FRESH_SECONDS } from '../os/instance-registry.ts';
import type { Database } from '../spec/database.ts';
import { pingDatabase, tableExists } from '../store/health.ts';
import { type InstanceRow, liveInstances } from '../store/instances.ts';

/** Engine facts of the open database. */
export interface DatabaseFacts {
  readonly dialect: Database['dialect'];
  readonly serverVersion: string;
  readonly pgvectorVersion: string;
  /** Size on disk, in bytes. */
  readonly sizeBytes: number;
}

/** Health and facts of the open database. */
export class HealthService {
  constructor(private readonly db: Database) {}

  /** `pglite` (embedded, one owning process) or `postgres` (a server shared by processes). */
  get dialect(): Database['dialect'] {
    return this.db.dialect;
  }

  /** Resolves when the database answers; rejects (`database_unavailable`) when it does not. */
  ready(): Promise<void> {
    return pingDatabase(this.db);
  }

  /** Engine, versions and size on disk. */
  async facts(): Promise<DatabaseFacts> {
    return {
      dialect: this.db.dialect,
      serverVersion: this.db.capabilities.serverVersion,
      pgvectorVersion: this.db.capabilities.pgvectorVersion,
      sizeBytes: await this.db.sizeBytes(),
    };
  }

  /** Server processes with a fresh heartbeat (none with the embedded database, which has one owner). */
  async processes(): Promise<InstanceRow[]> {
    if (this.db.dialect !== 'postgres') return [];
    return liveInstances(this.db, INSTANCE_FRESH_SECONDS);
  }

  /** Whether a table of that name exists (apps check for their own tables this way). */
  hasTable(name: string): Promise<boolean> {
    return tableExists(this.db, name);
  }
}
