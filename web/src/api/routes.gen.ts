/**
 * Every route a full server can mount (`groundwork support` adds the support app), with the least
 * role that may call it: generated from the routes’ own declarations (src/server/openapi/web-routes.ts).
 * Do not edit; regenerate.
 */

/** The least role that may call each route, keyed `method path` as the OpenAPI document writes it. */
export const API_ROUTES = {
  'delete /v1/admin/privacy/customers/{id}': 'admin',
  'delete /v1/documents/{id}': 'admin',
  'delete /v1/jobs/{id}': 'admin',
  'delete /v1/sessions': 'operator',
  'delete /v1/sessions/{id}': 'operator',
  'delete /v1/sources/{id}': 'admin',
  'delete /v1/support/lockouts/{id}': 'operator',
  'get /healthz': 'public',
  'get /metrics': 'admin',
  'get /openapi.json': 'public',
  'get /readyz': 'public',
  'get /v1/admin/guardrails': 'admin',
  'get /v1/admin/keys': 'admin',
  'get /v1/admin/privacy/customers/{id}/export': 'admin',
  'get /v1/conversations/{id}/messages': 'customer',
  'get /v1/documents': 'admin',
  'get /v1/documents/{id}': 'admin',
  'get /v1/documents/{id}/original': 'admin',
  'get /v1/experiments': 'admin',
  'get /v1/experiments/{id}': 'admin',
  'get /v1/experiments/{id}/results': 'admin',
  'get /v1/feedback': 'operator',
  'get /v1/feedback/export': 'operator',
  'get /v1/inbox': 'operator',
  'get /v1/inbox/{id}': 'operator',
  'get /v1/inbox/events': 'operator',
  'get /v1/inbox/summary': 'operator',
  'get /v1/jobs': 'operator',
  'get /v1/jobs/{id}': 'operator',
  'get /v1/jobs/{id}/events': 'operator',
  'get /v1/me': 'customer',
  'get /v1/models': 'customer',
  'get /v1/prompts': 'admin',
  'get /v1/prompts/{name}': 'admin',
  'get /v1/prompts/{name}/versions/{version}': 'admin',
  'get /v1/sources': 'admin',
  'get /v1/sources/{id}': 'admin',
  'get /v1/support/approvals': 'operator',
  'get /v1/support/lockouts': 'operator',
  'get /v1/traces': 'operator',
  'get /v1/traces/{id}': 'operator',
  'get /v1/usage': 'admin',
  'patch /v1/sources/{id}': 'admin',
  'post /v1/admin/keys': 'admin',
  'post /v1/admin/keys/{id}/quota': 'admin',
  'post /v1/admin/keys/{id}/revoke': 'admin',
  'post /v1/admin/keys/{id}/rotate': 'admin',
  'post /v1/ask': 'customer',
  'post /v1/chat': 'customer',
  'post /v1/chat/completions': 'customer',
  'post /v1/documents': 'admin',
  'post /v1/experiments': 'admin',
  'post /v1/experiments/{id}/stop': 'admin',
  'post /v1/feedback': 'customer',
  'post /v1/inbox/{id}/claim': 'operator',
  'post /v1/inbox/{id}/close': 'operator',
  'post /v1/inbox/{id}/handback': 'operator',
  'post /v1/inbox/{id}/reply': 'operator',
  'post /v1/ingest': 'admin',
  'post /v1/prompts': 'admin',
  'post /v1/prompts/{name}/promote': 'admin',
  'post /v1/prompts/{name}/render': 'admin',
  'post /v1/prompts/{name}/rollback': 'admin',
  'post /v1/search': 'customer',
  'post /v1/sessions': 'customer',
  'post /v1/sources': 'admin',
  'post /v1/sources/{id}/events': 'customer',
  'post /v1/sources/{id}/sync': 'admin',
  'post /v1/support/approvals/{runId}/approve': 'operator',
  'post /v1/support/approvals/{runId}/reject': 'operator',
  'post /v1/support/messages': 'customer',
  'put /v1/admin/guardrails': 'admin',
} as const;

/** A route, `method path`. */
export type ApiRoute = keyof typeof API_ROUTES;

/** The JSON body of each route’s success response, as the route’s schema declares it. */
export interface ApiResponses {
  'delete /v1/admin/privacy/customers/{id}': {
    readonly tenantId: string;
    readonly customerHash: string;
    readonly erasedAt: string;
    readonly removed: {
      readonly [key: string]: number;
    };
    readonly total: number;
    readonly audit: {
      readonly action: string;
      readonly actor: string;
      readonly target: string;
    };
  };
  'delete /v1/jobs/{id}': {
    readonly job: {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    };
  };
  'delete /v1/sessions': {
    readonly keyId: string;
    readonly revoked: number;
  };
  'delete /v1/sessions/{id}': {
    readonly session: {
      readonly id: string;
      readonly tenantId: string;
      readonly customerId: string | null;
      readonly customerEmail: string | null;
      readonly verifiedBy: 'issuer' | 'order-and-email' | null;
      readonly issuedBy: string;
      readonly issuedByKey: string | null;
      readonly createdAt: string;
      readonly expiresAt: string;
      readonly revokedAt: string | null;
    };
  };
  'delete /v1/sources/{id}': {
    readonly deleted: true;
    readonly job: {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    } | null;
  };
  'delete /v1/support/lockouts/{id}': {
    readonly lockout: {
      readonly id: string;
      readonly tenantId: string;
      readonly dimension: 'conversation' | 'session' | 'key' | 'customer';
      readonly subject: string;
      readonly failures: number;
      readonly state: 'locked' | 'waiting' | 'counting' | 'released';
      readonly lastFailureAt: string | null;
      readonly lockedAt: string | null;
      readonly lockedUntil: string | null;
      readonly retryAt: string | null;
    };
  };
  'get /healthz': {
    readonly status: 'ok';
  };
  'get /readyz': {
    readonly status: 'ready';
    readonly database: 'pglite' | 'postgres';
  };
  'get /v1/admin/guardrails': {
    readonly tenantId: string;
    readonly defaults: {
      readonly moderation: {
        readonly hate: 'block' | 'escalate' | 'log';
        readonly harassment: 'block' | 'escalate' | 'log';
        readonly sexual: 'block' | 'escalate' | 'log';
        readonly 'sexual-minors': 'block' | 'escalate' | 'log';
        readonly 'self-harm': 'block' | 'escalate' | 'log';
        readonly violence: 'block' | 'escalate' | 'log';
        readonly illegal: 'block' | 'escalate' | 'log';
        readonly weapons: 'block' | 'escalate' | 'log';
      };
      readonly stereotyping: 'block' | 'escalate' | 'log';
    };
    readonly overrides: {
      readonly moderation?: {
        readonly hate?: 'block' | 'escalate' | 'log';
        readonly harassment?: 'block' | 'escalate' | 'log';
        readonly sexual?: 'block' | 'escalate' | 'log';
        readonly 'sexual-minors'?: 'block' | 'escalate' | 'log';
        readonly 'self-harm'?: 'block' | 'escalate' | 'log';
        readonly violence?: 'block' | 'escalate' | 'log';
        readonly illegal?: 'block' | 'escalate' | 'log';
        readonly weapons?: 'block' | 'escalate' | 'log';
      };
      readonly stereotyping?: 'block' | 'escalate' | 'log';
    };
    readonly effective: {
      readonly moderation: {
        readonly hate: 'block' | 'escalate' | 'log';
        readonly harassment: 'block' | 'escalate' | 'log';
        readonly sexual: 'block' | 'escalate' | 'log';
        readonly 'sexual-minors': 'block' | 'escalate' | 'log';
        readonly 'self-harm': 'block' | 'escalate' | 'log';
        readonly violence: 'block' | 'escalate' | 'log';
        readonly illegal: 'block' | 'escalate' | 'log';
        readonly weapons: 'block' | 'escalate' | 'log';
      };
      readonly stereotyping: 'block' | 'escalate' | 'log';
    };
    readonly updatedAt: string | null;
    readonly updatedBy: string | null;
  };
  'get /v1/admin/keys': {
    readonly keys: readonly {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly role: 'customer' | 'operator' | 'admin';
      readonly principals: readonly string[];
      readonly prefix: string;
      readonly createdAt: string;
      readonly lastUsedAt: string | null;
      readonly expiresAt: string | null;
      readonly revokedAt: string | null;
      readonly rotatedFrom: string | null;
      readonly platform: boolean;
      readonly quota: {
        readonly period: 'day' | 'month';
        readonly requests?: number;
        readonly tokens?: number;
      } | null;
      readonly usage: {
        readonly requests: number;
        readonly tokens: number;
        readonly periodStart: string;
        readonly resetsAt: string;
      } | null;
    }[];
  };
  'get /v1/admin/privacy/customers/{id}/export': {
    readonly tenantId: string;
    readonly customerId: string;
    readonly exportedAt: string;
    readonly tables: {
      readonly [key: string]: readonly unknown[];
    };
    readonly counts: {
      readonly [key: string]: number;
    };
  };
  'get /v1/conversations/{id}/messages': {
    readonly conversationId: string;
    readonly withPerson: boolean;
    readonly messages: readonly {
      readonly ordinal: number;
      readonly role: 'user' | 'assistant' | 'operator' | 'system';
      readonly content: string;
      readonly createdAt: string;
    }[];
  };
  'get /v1/documents': {
    readonly documents: readonly {
      readonly id: number;
      readonly uri: string;
      readonly title: string | null;
      readonly mediaType: string | null;
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly acl: readonly string[];
      readonly pageCount: number | null;
      readonly chunkCount: number;
      readonly createdAt: string;
      readonly updatedAt: string;
      readonly tokenCount: number;
      readonly byteSize: number | null;
    }[];
  };
  'get /v1/documents/{id}': {
    readonly document: {
      readonly id: number;
      readonly uri: string;
      readonly title: string | null;
      readonly mediaType: string | null;
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly acl: readonly string[];
      readonly pageCount: number | null;
      readonly chunkCount: number;
      readonly createdAt: string;
      readonly updatedAt: string;
    };
    readonly chunks: readonly {
      readonly id: number;
      readonly ordinal: number;
      readonly text: string;
      readonly headingPath: readonly string[];
      readonly page: number | null;
      readonly tokenCount: number;
    }[];
  };
  'get /v1/experiments': {
    readonly experiments: readonly {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly promptName: string;
      readonly arms: readonly {
        readonly name: string;
        readonly version: number;
        readonly weight: number;
      }[];
      readonly status: 'running' | 'stopped';
      readonly createdAt: string;
      readonly stoppedAt: string | null;
    }[];
  };
  'get /v1/experiments/{id}': {
    readonly experiment: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly promptName: string;
      readonly arms: readonly {
        readonly name: string;
        readonly version: number;
        readonly weight: number;
      }[];
      readonly status: 'running' | 'stopped';
      readonly createdAt: string;
      readonly stoppedAt: string | null;
    };
  };
  'get /v1/experiments/{id}/results': {
    readonly experiment: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly promptName: string;
      readonly arms: readonly {
        readonly name: string;
        readonly version: number;
        readonly weight: number;
      }[];
      readonly status: 'running' | 'stopped';
      readonly createdAt: string;
      readonly stoppedAt: string | null;
    };
    readonly arms: readonly {
      readonly arm: string;
      readonly version: number;
      readonly weight: number;
      readonly answers: number;
      readonly users: number;
      readonly rated: number;
      readonly positive: number;
      readonly grounded: number;
      readonly positiveRate: number | null;
      readonly feedbackRate: number | null;
      readonly groundedRate: number | null;
      readonly latencyP50Ms: number | null;
      readonly latencyMeanMs: number | null;
      readonly tokensPerAnswer: number | null;
      readonly costUsd: number;
    }[];
    readonly comparisons: readonly {
      readonly arm: string;
      readonly control: string;
      readonly positiveRate: {
        readonly rateA: number | null;
        readonly rateB: number | null;
        readonly difference: number | null;
        readonly z: number | null;
        readonly pValue: number | null;
        readonly assumptionsMet: boolean;
      };
      readonly feedbackRate: {
        readonly rateA: number | null;
        readonly rateB: number | null;
        readonly difference: number | null;
        readonly z: number | null;
        readonly pValue: number | null;
        readonly assumptionsMet: boolean;
      };
      readonly groundedRate: {
        readonly rateA: number | null;
        readonly rateB: number | null;
        readonly difference: number | null;
        readonly z: number | null;
        readonly pValue: number | null;
        readonly assumptionsMet: boolean;
      };
      readonly latency: {
        readonly meanA: number | null;
        readonly meanB: number | null;
        readonly difference: number | null;
        readonly t: number | null;
        readonly degreesOfFreedom: number | null;
        readonly pValue: number | null;
      };
    }[];
    readonly notes: readonly string[];
  };
  'get /v1/feedback': {
    readonly feedback: readonly {
      readonly traceId: string;
      readonly userId: string;
      readonly rating: 'up' | 'down';
      readonly comment: string | null;
      readonly category: string | null;
      readonly createdAt: string;
      readonly answer: {
        readonly id: string;
        readonly tenantId: string;
        readonly userId: string;
        readonly conversationId: string | null;
        readonly question: string;
        readonly answer: string;
        readonly citations: readonly {
          readonly n: number;
          readonly documentId: number;
          readonly chunkId: number;
          readonly title: string | null;
          readonly source: string;
          readonly page: number | null;
          readonly headingPath: readonly string[];
          readonly snippet: string;
          readonly score: number;
        }[];
        readonly mode: 'generative' | 'extractive';
        readonly model: string | null;
        readonly promptName: string | null;
        readonly promptVersion: number | null;
        readonly experimentId: string | null;
        readonly experimentArm: string | null;
        readonly inputTokens: number;
        readonly outputTokens: number;
        readonly costUsd: number;
        readonly priced: boolean;
        readonly latencyMs: number;
        readonly createdAt: string;
        readonly withheldCitations: number;
      };
    }[];
  };
  'get /v1/inbox': {
    readonly escalations: readonly {
      readonly id: string;
      readonly tenantId: string;
      readonly conversationId: string;
      readonly customerId: string | null;
      readonly trigger: 'customer-request' | 'repeated-failure' | 'sensitive-request' | 'low-confidence' | 'agent-decision';
      readonly reason: string;
      readonly notes: readonly {
        readonly agent: string;
        readonly text: string;
      }[];
      readonly customerContext: {
        readonly [key: string]: unknown;
      };
      readonly status: 'waiting' | 'claimed' | 'returned' | 'closed';
      readonly claimedBy: string | null;
      readonly createdAt: string;
      readonly claimedAt: string | null;
      readonly returnedAt: string | null;
      readonly closedAt: string | null;
      readonly waitingSeconds: number;
    }[];
  };
  'get /v1/inbox/{id}': {
    readonly escalation: {
      readonly id: string;
      readonly tenantId: string;
      readonly conversationId: string;
      readonly customerId: string | null;
      readonly trigger: 'customer-request' | 'repeated-failure' | 'sensitive-request' | 'low-confidence' | 'agent-decision';
      readonly reason: string;
      readonly notes: readonly {
        readonly agent: string;
        readonly text: string;
      }[];
      readonly customerContext: {
        readonly [key: string]: unknown;
      };
      readonly status: 'waiting' | 'claimed' | 'returned' | 'closed';
      readonly claimedBy: string | null;
      readonly createdAt: string;
      readonly claimedAt: string | null;
      readonly returnedAt: string | null;
      readonly closedAt: string | null;
      readonly waitingSeconds: number;
    };
    readonly messages: readonly {
      readonly ordinal: number;
      readonly role: 'user' | 'assistant' | 'operator' | 'system' | 'tool';
      readonly content: string;
      readonly createdAt: string;
      readonly author: string | null;
      readonly details: {
        readonly [key: string]: unknown;
      } | null;
    }[];
    readonly customerMemories: readonly {
      readonly kind: 'fact' | 'preference' | 'issue';
      readonly text: string;
      readonly resolution: string | null;
    }[];
    readonly unanswered: readonly number[];
  };
  'get /v1/inbox/summary': {
    readonly waiting: number;
    readonly claimed: number;
    readonly returned: number;
    readonly closed: number;
  };
  'get /v1/jobs': {
    readonly jobs: readonly {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    }[];
  };
  'get /v1/jobs/{id}': {
    readonly job: {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    };
    readonly items: readonly {
      readonly ordinal: number;
      readonly uri: string;
      readonly status: 'pending' | 'done' | 'updated' | 'unchanged' | 'failed' | 'removed';
      readonly code: string | null;
      readonly reason: string | null;
      readonly documents: number;
      readonly chunks: number;
      readonly bytes: number | null;
      readonly durationMs: number | null;
      readonly attempts: number;
      readonly nextRetryAt: string | null;
    }[];
  };
  'get /v1/me': {
    readonly tenantId: string;
    readonly role: 'customer' | 'operator' | 'admin';
    readonly keyId: string | null;
    readonly keyPrefix: string | null;
    readonly keyName: string | null;
    readonly expiresAt: string | null;
    readonly authenticated: boolean;
  };
  'get /v1/models': {
    readonly object: 'list';
    readonly data: readonly {
      readonly id: string;
      readonly object: 'model';
      readonly created: number;
      readonly owned_by: string;
    }[];
  };
  'get /v1/prompts': {
    readonly prompts: readonly {
      readonly name: string;
      readonly description: string | null;
      readonly latestVersion: number;
      readonly labels: {
        readonly [key: string]: number;
      };
    }[];
  };
  'get /v1/prompts/{name}': {
    readonly prompt: {
      readonly name: string;
      readonly description: string | null;
      readonly latestVersion: number;
      readonly labels: {
        readonly [key: string]: number;
      };
      readonly versions: readonly {
        readonly name: string;
        readonly version: number;
        readonly template: string;
        readonly variables: readonly {
          readonly name: string;
          readonly type: 'string' | 'number' | 'boolean';
          readonly description?: string;
        }[];
        readonly note: string | null;
        readonly generation: {
          readonly temperature?: number;
          readonly topP?: number;
          readonly maxOutputTokens?: number;
          readonly stopSequences?: readonly string[];
        };
        readonly createdBy: string;
        readonly createdAt: string;
      }[];
    };
  };
  'get /v1/prompts/{name}/versions/{version}': {
    readonly version: {
      readonly name: string;
      readonly version: number;
      readonly template: string;
      readonly variables: readonly {
        readonly name: string;
        readonly type: 'string' | 'number' | 'boolean';
        readonly description?: string;
      }[];
      readonly note: string | null;
      readonly generation: {
        readonly temperature?: number;
        readonly topP?: number;
        readonly maxOutputTokens?: number;
        readonly stopSequences?: readonly string[];
      };
      readonly createdBy: string;
      readonly createdAt: string;
    };
  };
  'get /v1/sources': {
    readonly sources: readonly {
      readonly id: string;
      readonly name: string;
      readonly kind: 'folder' | 'urls' | 's3';
      readonly config: {
        readonly [key: string]: unknown;
      };
      readonly hasCredentials: boolean;
      readonly acl: readonly string[];
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly syncEvery: string | null;
      readonly nextSyncAt: string | null;
      readonly lastSync: {
        readonly at: string;
        readonly status: string;
        readonly code: string | null;
        readonly error: string | null;
        readonly jobId: string | null;
      } | null;
      readonly createdAt: string;
      readonly updatedAt: string;
    }[];
  };
  'get /v1/sources/{id}': {
    readonly source: {
      readonly id: string;
      readonly name: string;
      readonly kind: 'folder' | 'urls' | 's3';
      readonly config: {
        readonly [key: string]: unknown;
      };
      readonly hasCredentials: boolean;
      readonly acl: readonly string[];
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly syncEvery: string | null;
      readonly nextSyncAt: string | null;
      readonly lastSync: {
        readonly at: string;
        readonly status: string;
        readonly code: string | null;
        readonly error: string | null;
        readonly jobId: string | null;
      } | null;
      readonly createdAt: string;
      readonly updatedAt: string;
    };
  };
  'get /v1/support/approvals': {
    readonly approvals: readonly {
      readonly runId: string;
      readonly conversationId: string;
      readonly waitingSince: string;
      readonly customer: {
        readonly id: string;
        readonly name: string | null;
        readonly email: string | null;
      } | null;
      readonly calls: readonly {
        readonly toolCallId: string;
        readonly toolName: string;
        readonly input: unknown;
        readonly agent: string;
        readonly refund?: {
          readonly orderNumber: string;
          readonly amount: number;
        };
      }[];
    }[];
  };
  'get /v1/support/lockouts': {
    readonly lockouts: readonly {
      readonly id: string;
      readonly tenantId: string;
      readonly dimension: 'conversation' | 'session' | 'key' | 'customer';
      readonly subject: string;
      readonly failures: number;
      readonly state: 'locked' | 'waiting' | 'counting' | 'released';
      readonly lastFailureAt: string | null;
      readonly lockedAt: string | null;
      readonly lockedUntil: string | null;
      readonly retryAt: string | null;
    }[];
  };
  'get /v1/traces': {
    readonly traces: readonly {
      readonly traceId: string;
      readonly name: string | null;
      readonly route: string | null;
      readonly principal: string | null;
      readonly status: 'ok' | 'error';
      readonly errorCode: string | null;
      readonly startedAt: string;
      readonly durationMs: number;
      readonly inputTokens: number;
      readonly outputTokens: number;
      readonly costUsd: number;
      readonly unpricedModelCalls: number;
    }[];
    readonly nextCursor: string | null;
  };
  'get /v1/traces/{id}': {
    readonly trace: {
      readonly traceId: string;
      readonly name: string | null;
      readonly route: string | null;
      readonly principal: string | null;
      readonly status: 'ok' | 'error';
      readonly errorCode: string | null;
      readonly startedAt: string;
      readonly durationMs: number;
      readonly inputTokens: number;
      readonly outputTokens: number;
      readonly costUsd: number;
      readonly unpricedModelCalls: number;
    };
    readonly spans: readonly {
      readonly spanId: string;
      readonly parentSpanId: string | null;
      readonly name: string;
      readonly kind: string;
      readonly status: 'ok' | 'error' | 'unset';
      readonly startedAt: string;
      readonly durationMs: number;
      readonly attributes: {
        readonly [key: string]: unknown;
      };
      readonly events: readonly unknown[];
      readonly costUsd: number | null;
      readonly children: readonly unknown[];
    }[];
  };
  'get /v1/usage': {
    readonly from: string;
    readonly to: string;
    readonly groupBy: readonly ('tenant' | 'user' | 'conversation' | 'model' | 'promptVersion')[];
    readonly rows: readonly {
      readonly answers: number;
      readonly inputTokens: number;
      readonly outputTokens: number;
      readonly costUsd: number;
      readonly unpricedAnswers: number;
      readonly tenant?: string;
      readonly user?: string;
      readonly conversation?: string | null;
      readonly model?: string | null;
      readonly promptName?: string | null;
      readonly promptVersion?: number | null;
    }[];
    readonly total: {
      readonly answers: number;
      readonly inputTokens: number;
      readonly outputTokens: number;
      readonly costUsd: number;
      readonly unpricedAnswers: number;
    };
    readonly bucket?: 'hour' | 'day';
    readonly series?: readonly {
      readonly from: string;
      readonly to: string;
      readonly rows: readonly {
        readonly answers: number;
        readonly inputTokens: number;
        readonly outputTokens: number;
        readonly costUsd: number;
        readonly unpricedAnswers: number;
        readonly tenant?: string;
        readonly user?: string;
        readonly conversation?: string | null;
        readonly model?: string | null;
        readonly promptName?: string | null;
        readonly promptVersion?: number | null;
      }[];
      readonly total: {
        readonly answers: number;
        readonly inputTokens: number;
        readonly outputTokens: number;
        readonly costUsd: number;
        readonly unpricedAnswers: number;
      };
    }[];
  };
  'patch /v1/sources/{id}': {
    readonly source: {
      readonly id: string;
      readonly name: string;
      readonly kind: 'folder' | 'urls' | 's3';
      readonly config: {
        readonly [key: string]: unknown;
      };
      readonly hasCredentials: boolean;
      readonly acl: readonly string[];
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly syncEvery: string | null;
      readonly nextSyncAt: string | null;
      readonly lastSync: {
        readonly at: string;
        readonly status: string;
        readonly code: string | null;
        readonly error: string | null;
        readonly jobId: string | null;
      } | null;
      readonly createdAt: string;
      readonly updatedAt: string;
    };
  };
  'post /v1/admin/keys': {
    readonly key: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly role: 'customer' | 'operator' | 'admin';
      readonly principals: readonly string[];
      readonly prefix: string;
      readonly createdAt: string;
      readonly lastUsedAt: string | null;
      readonly expiresAt: string | null;
      readonly revokedAt: string | null;
      readonly rotatedFrom: string | null;
      readonly platform: boolean;
      readonly quota: {
        readonly period: 'day' | 'month';
        readonly requests?: number;
        readonly tokens?: number;
      } | null;
      readonly usage: {
        readonly requests: number;
        readonly tokens: number;
        readonly periodStart: string;
        readonly resetsAt: string;
      } | null;
    };
    readonly secret: string;
  };
  'post /v1/admin/keys/{id}/quota': {
    readonly key: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly role: 'customer' | 'operator' | 'admin';
      readonly principals: readonly string[];
      readonly prefix: string;
      readonly createdAt: string;
      readonly lastUsedAt: string | null;
      readonly expiresAt: string | null;
      readonly revokedAt: string | null;
      readonly rotatedFrom: string | null;
      readonly platform: boolean;
      readonly quota: {
        readonly period: 'day' | 'month';
        readonly requests?: number;
        readonly tokens?: number;
      } | null;
      readonly usage: {
        readonly requests: number;
        readonly tokens: number;
        readonly periodStart: string;
        readonly resetsAt: string;
      } | null;
    };
  };
  'post /v1/admin/keys/{id}/revoke': {
    readonly key: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly role: 'customer' | 'operator' | 'admin';
      readonly principals: readonly string[];
      readonly prefix: string;
      readonly createdAt: string;
      readonly lastUsedAt: string | null;
      readonly expiresAt: string | null;
      readonly revokedAt: string | null;
      readonly rotatedFrom: string | null;
      readonly platform: boolean;
      readonly quota: {
        readonly period: 'day' | 'month';
        readonly requests?: number;
        readonly tokens?: number;
      } | null;
      readonly usage: {
        readonly requests: number;
        readonly tokens: number;
        readonly periodStart: string;
        readonly resetsAt: string;
      } | null;
    };
  };
  'post /v1/admin/keys/{id}/rotate': {
    readonly key: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly role: 'customer' | 'operator' | 'admin';
      readonly principals: readonly string[];
      readonly prefix: string;
      readonly createdAt: string;
      readonly lastUsedAt: string | null;
      readonly expiresAt: string | null;
      readonly revokedAt: string | null;
      readonly rotatedFrom: string | null;
      readonly platform: boolean;
      readonly quota: {
        readonly period: 'day' | 'month';
        readonly requests?: number;
        readonly tokens?: number;
      } | null;
      readonly usage: {
        readonly requests: number;
        readonly tokens: number;
        readonly periodStart: string;
        readonly resetsAt: string;
      } | null;
    };
    readonly secret: string;
  };
  'post /v1/ask': {
    readonly answer: string;
    readonly citations: readonly {
      readonly n: number;
      readonly documentId: number;
      readonly chunkId: number;
      readonly title: string | null;
      readonly source: string;
      readonly page: number | null;
      readonly headingPath: readonly string[];
      readonly snippet: string;
      readonly score: number;
    }[];
    readonly mode: 'generative' | 'extractive';
    readonly model: string | null;
    readonly usage: {
      readonly inputTokens: number;
      readonly outputTokens: number;
    };
    readonly usageByModel?: readonly {
      readonly model: string;
      readonly inputTokens: number;
      readonly outputTokens: number;
    }[];
    readonly timings: {
      readonly retrieveMs: number;
      readonly generateMs: number;
      readonly totalMs: number;
    };
    readonly traceId: string;
    readonly removedCitations: number;
    readonly notes: readonly string[];
    readonly promptVersion?: {
      readonly name: string;
      readonly version: number;
      readonly experiment?: {
        readonly id: string;
        readonly arm: string;
      };
    };
    readonly cached?: boolean;
  };
  'post /v1/chat': {
    readonly answer: string;
    readonly citations: readonly {
      readonly n: number;
      readonly documentId: number;
      readonly chunkId: number;
      readonly title: string | null;
      readonly source: string;
      readonly page: number | null;
      readonly headingPath: readonly string[];
      readonly snippet: string;
      readonly score: number;
    }[];
    readonly mode: 'generative' | 'extractive';
    readonly model: string | null;
    readonly usage: {
      readonly inputTokens: number;
      readonly outputTokens: number;
    };
    readonly usageByModel?: readonly {
      readonly model: string;
      readonly inputTokens: number;
      readonly outputTokens: number;
    }[];
    readonly timings: {
      readonly retrieveMs: number;
      readonly generateMs: number;
      readonly totalMs: number;
    };
    readonly traceId: string;
    readonly removedCitations: number;
    readonly notes: readonly string[];
    readonly promptVersion?: {
      readonly name: string;
      readonly version: number;
      readonly experiment?: {
        readonly id: string;
        readonly arm: string;
      };
    };
    readonly cached?: boolean;
    readonly conversationId: string;
  };
  'post /v1/chat/completions': {
    readonly id: string;
    readonly object: 'chat.completion';
    readonly created: number;
    readonly model: string;
    readonly choices: readonly {
      readonly index: number;
      readonly message: {
        readonly role: 'assistant';
        readonly content: string;
        readonly refusal: null;
      };
      readonly logprobs: null;
      readonly finish_reason: 'stop';
    }[];
    readonly usage: {
      readonly prompt_tokens: number;
      readonly completion_tokens: number;
      readonly total_tokens: number;
    };
    readonly citations: readonly {
      readonly n: number;
      readonly documentId: number;
      readonly chunkId: number;
      readonly title: string | null;
      readonly source: string;
      readonly page: number | null;
      readonly headingPath: readonly string[];
      readonly snippet: string;
      readonly score: number;
    }[];
    readonly mode: 'generative' | 'extractive';
    readonly answer_model: string | null;
    readonly notes: readonly string[];
  };
  'post /v1/documents': {
    readonly job: {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    };
  };
  'post /v1/experiments': {
    readonly experiment: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly promptName: string;
      readonly arms: readonly {
        readonly name: string;
        readonly version: number;
        readonly weight: number;
      }[];
      readonly status: 'running' | 'stopped';
      readonly createdAt: string;
      readonly stoppedAt: string | null;
    };
  };
  'post /v1/experiments/{id}/stop': {
    readonly experiment: {
      readonly id: string;
      readonly tenantId: string;
      readonly name: string;
      readonly promptName: string;
      readonly arms: readonly {
        readonly name: string;
        readonly version: number;
        readonly weight: number;
      }[];
      readonly status: 'running' | 'stopped';
      readonly createdAt: string;
      readonly stoppedAt: string | null;
    };
  };
  'post /v1/feedback': {
    readonly feedback: {
      readonly traceId: string;
      readonly userId: string;
      readonly rating: 'up' | 'down';
      readonly comment: string | null;
      readonly category: string | null;
      readonly createdAt: string;
    };
  };
  'post /v1/inbox/{id}/claim': {
    readonly escalation: {
      readonly id: string;
      readonly tenantId: string;
      readonly conversationId: string;
      readonly customerId: string | null;
      readonly trigger: 'customer-request' | 'repeated-failure' | 'sensitive-request' | 'low-confidence' | 'agent-decision';
      readonly reason: string;
      readonly notes: readonly {
        readonly agent: string;
        readonly text: string;
      }[];
      readonly customerContext: {
        readonly [key: string]: unknown;
      };
      readonly status: 'waiting' | 'claimed' | 'returned' | 'closed';
      readonly claimedBy: string | null;
      readonly createdAt: string;
      readonly claimedAt: string | null;
      readonly returnedAt: string | null;
      readonly closedAt: string | null;
      readonly waitingSeconds: number;
    };
  };
  'post /v1/inbox/{id}/close': {
    readonly escalation: {
      readonly id: string;
      readonly tenantId: string;
      readonly conversationId: string;
      readonly customerId: string | null;
      readonly trigger: 'customer-request' | 'repeated-failure' | 'sensitive-request' | 'low-confidence' | 'agent-decision';
      readonly reason: string;
      readonly notes: readonly {
        readonly agent: string;
        readonly text: string;
      }[];
      readonly customerContext: {
        readonly [key: string]: unknown;
      };
      readonly status: 'waiting' | 'claimed' | 'returned' | 'closed';
      readonly claimedBy: string | null;
      readonly createdAt: string;
      readonly claimedAt: string | null;
      readonly returnedAt: string | null;
      readonly closedAt: string | null;
      readonly waitingSeconds: number;
    };
  };
  'post /v1/inbox/{id}/handback': {
    readonly escalation: {
      readonly id: string;
      readonly tenantId: string;
      readonly conversationId: string;
      readonly customerId: string | null;
      readonly trigger: 'customer-request' | 'repeated-failure' | 'sensitive-request' | 'low-confidence' | 'agent-decision';
      readonly reason: string;
      readonly notes: readonly {
        readonly agent: string;
        readonly text: string;
      }[];
      readonly customerContext: {
        readonly [key: string]: unknown;
      };
      readonly status: 'waiting' | 'claimed' | 'returned' | 'closed';
      readonly claimedBy: string | null;
      readonly createdAt: string;
      readonly claimedAt: string | null;
      readonly returnedAt: string | null;
      readonly closedAt: string | null;
      readonly waitingSeconds: number;
    };
  };
  'post /v1/inbox/{id}/reply': {
    readonly message: {
      readonly ordinal: number;
      readonly role: 'user' | 'assistant' | 'operator' | 'system' | 'tool';
      readonly content: string;
      readonly createdAt: string;
      readonly author: string | null;
      readonly details: {
        readonly [key: string]: unknown;
      } | null;
    };
  };
  'post /v1/ingest': {
    readonly job: {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    };
  };
  'post /v1/prompts': {
    readonly version: {
      readonly name: string;
      readonly version: number;
      readonly template: string;
      readonly variables: readonly {
        readonly name: string;
        readonly type: 'string' | 'number' | 'boolean';
        readonly description?: string;
      }[];
      readonly note: string | null;
      readonly generation: {
        readonly temperature?: number;
        readonly topP?: number;
        readonly maxOutputTokens?: number;
        readonly stopSequences?: readonly string[];
      };
      readonly createdBy: string;
      readonly createdAt: string;
    };
  };
  'post /v1/prompts/{name}/promote': {
    readonly label: string;
    readonly version: number;
    readonly previousVersion: number | null;
  };
  'post /v1/prompts/{name}/render': {
    readonly name: string;
    readonly version: number;
    readonly text: string;
  };
  'post /v1/prompts/{name}/rollback': {
    readonly label: string;
    readonly version: number;
    readonly previousVersion: number | null;
  };
  'post /v1/search': {
    readonly mode: 'lexical' | 'vector' | 'hybrid';
    readonly chunks: readonly {
      readonly chunkId: number;
      readonly documentId: number;
      readonly documentUri: string;
      readonly originUri: string;
      readonly title: string | null;
      readonly ordinal: number;
      readonly headingPath: readonly string[];
      readonly page: number | null;
      readonly text: string;
      readonly snippet: string;
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly scores: {
        readonly lexical?: number;
        readonly lexicalRank?: number;
        readonly vector?: number;
        readonly vectorRank?: number;
        readonly fused: number;
      };
    }[];
    readonly timings: {
      readonly embedMs: number;
      readonly lexicalMs: number;
      readonly vectorMs: number;
      readonly totalMs: number;
    };
  };
  'post /v1/sessions': {
    readonly token: string;
    readonly sessionId: string;
    readonly expiresAt: string;
    readonly customer?: {
      readonly customerId: string;
      readonly email: string | null;
    };
  };
  'post /v1/sources': {
    readonly source: {
      readonly id: string;
      readonly name: string;
      readonly kind: 'folder' | 'urls' | 's3';
      readonly config: {
        readonly [key: string]: unknown;
      };
      readonly hasCredentials: boolean;
      readonly acl: readonly string[];
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly syncEvery: string | null;
      readonly nextSyncAt: string | null;
      readonly lastSync: {
        readonly at: string;
        readonly status: string;
        readonly code: string | null;
        readonly error: string | null;
        readonly jobId: string | null;
      } | null;
      readonly createdAt: string;
      readonly updatedAt: string;
    };
    readonly webhookSecret: string;
  };
  'post /v1/sources/{id}/events': {
    readonly source: {
      readonly id: string;
      readonly name: string;
      readonly kind: 'folder' | 'urls' | 's3';
      readonly config: {
        readonly [key: string]: unknown;
      };
      readonly hasCredentials: boolean;
      readonly acl: readonly string[];
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly syncEvery: string | null;
      readonly nextSyncAt: string | null;
      readonly lastSync: {
        readonly at: string;
        readonly status: string;
        readonly code: string | null;
        readonly error: string | null;
        readonly jobId: string | null;
      } | null;
      readonly createdAt: string;
      readonly updatedAt: string;
    };
    readonly job: {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    } | null;
  };
  'post /v1/sources/{id}/sync': {
    readonly source: {
      readonly id: string;
      readonly name: string;
      readonly kind: 'folder' | 'urls' | 's3';
      readonly config: {
        readonly [key: string]: unknown;
      };
      readonly hasCredentials: boolean;
      readonly acl: readonly string[];
      readonly metadata: {
        readonly [key: string]: unknown;
      };
      readonly syncEvery: string | null;
      readonly nextSyncAt: string | null;
      readonly lastSync: {
        readonly at: string;
        readonly status: string;
        readonly code: string | null;
        readonly error: string | null;
        readonly jobId: string | null;
      } | null;
      readonly createdAt: string;
      readonly updatedAt: string;
    };
    readonly job: {
      readonly id: string;
      readonly tenantId: string;
      readonly status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
      readonly request: unknown;
      readonly total: number;
      readonly processed: number;
      readonly succeeded: number;
      readonly skipped: number;
      readonly failed: number;
      readonly removed: number;
      readonly chunks: number;
      readonly error: string | null;
      readonly attempts: number;
      readonly claimEpoch: number;
      readonly workerLosses: number;
      readonly nextAttemptAt: string | null;
      readonly createdAt: string;
      readonly startedAt: string | null;
      readonly finishedAt: string | null;
    } | null;
  };
  'post /v1/support/approvals/{runId}/approve': {
    readonly conversationId: string;
    readonly reply: string;
    readonly mode: 'agents' | 'routed' | 'human';
    readonly agent: string;
    readonly route: readonly string[];
    readonly toolCalls: readonly {
      readonly name: string;
      readonly input: unknown;
      readonly output?: unknown;
      readonly error?: string;
    }[];
    readonly citations: readonly {
      readonly n: number;
      readonly title: string | null;
      readonly source: string;
      readonly page: number | null;
    }[];
    readonly escalated: boolean;
    readonly refused: boolean;
    readonly pendingApproval?: {
      readonly runId?: string;
      readonly calls: readonly {
        readonly name: string;
        readonly input: unknown;
        readonly output?: unknown;
        readonly error?: string;
      }[];
    };
    readonly pendingAction?: {
      readonly toolName: string;
      readonly description: string;
    };
    readonly replyOrdinal?: number;
  };
  'post /v1/support/approvals/{runId}/reject': {
    readonly conversationId: string;
    readonly reply: string;
    readonly mode: 'agents' | 'routed' | 'human';
    readonly agent: string;
    readonly route: readonly string[];
    readonly toolCalls: readonly {
      readonly name: string;
      readonly input: unknown;
      readonly output?: unknown;
      readonly error?: string;
    }[];
    readonly citations: readonly {
      readonly n: number;
      readonly title: string | null;
      readonly source: string;
      readonly page: number | null;
    }[];
    readonly escalated: boolean;
    readonly refused: boolean;
    readonly pendingApproval?: {
      readonly runId?: string;
      readonly calls: readonly {
        readonly name: string;
        readonly input: unknown;
        readonly output?: unknown;
        readonly error?: string;
      }[];
    };
    readonly pendingAction?: {
      readonly toolName: string;
      readonly description: string;
    };
    readonly replyOrdinal?: number;
  };
  'post /v1/support/messages': {
    readonly conversationId: string;
    readonly reply: string;
    readonly mode: 'agents' | 'routed' | 'human';
    readonly agent: string;
    readonly route: readonly string[];
    readonly toolCalls: readonly {
      readonly name: string;
      readonly input: unknown;
      readonly output?: unknown;
      readonly error?: string;
    }[];
    readonly citations: readonly {
      readonly n: number;
      readonly title: string | null;
      readonly source: string;
      readonly page: number | null;
    }[];
    readonly escalated: boolean;
    readonly refused: boolean;
    readonly pendingApproval?: {
      readonly runId?: string;
      readonly calls: readonly {
        readonly name: string;
        readonly input: unknown;
        readonly output?: unknown;
        readonly error?: string;
      }[];
    };
    readonly pendingAction?: {
      readonly toolName: string;
      readonly description: string;
    };
    readonly replyOrdinal?: number;
  };
  'put /v1/admin/guardrails': {
    readonly tenantId: string;
    readonly defaults: {
      readonly moderation: {
        readonly hate: 'block' | 'escalate' | 'log';
        readonly harassment: 'block' | 'escalate' | 'log';
        readonly sexual: 'block' | 'escalate' | 'log';
        readonly 'sexual-minors': 'block' | 'escalate' | 'log';
        readonly 'self-harm': 'block' | 'escalate' | 'log';
        readonly violence: 'block' | 'escalate' | 'log';
        readonly illegal: 'block' | 'escalate' | 'log';
        readonly weapons: 'block' | 'escalate' | 'log';
      };
      readonly stereotyping: 'block' | 'escalate' | 'log';
    };
    readonly overrides: {
      readonly moderation?: {
        readonly hate?: 'block' | 'escalate' | 'log';
        readonly harassment?: 'block' | 'escalate' | 'log';
        readonly sexual?: 'block' | 'escalate' | 'log';
        readonly 'sexual-minors'?: 'block' | 'escalate' | 'log';
        readonly 'self-harm'?: 'block' | 'escalate' | 'log';
        readonly violence?: 'block' | 'escalate' | 'log';
        readonly illegal?: 'block' | 'escalate' | 'log';
        readonly weapons?: 'block' | 'escalate' | 'log';
      };
      readonly stereotyping?: 'block' | 'escalate' | 'log';
    };
    readonly effective: {
      readonly moderation: {
        readonly hate: 'block' | 'escalate' | 'log';
        readonly harassment: 'block' | 'escalate' | 'log';
        readonly sexual: 'block' | 'escalate' | 'log';
        readonly 'sexual-minors': 'block' | 'escalate' | 'log';
        readonly 'self-harm': 'block' | 'escalate' | 'log';
        readonly violence: 'block' | 'escalate' | 'log';
        readonly illegal: 'block' | 'escalate' | 'log';
        readonly weapons: 'block' | 'escalate' | 'log';
      };
      readonly stereotyping: 'block' | 'escalate' | 'log';
    };
    readonly updatedAt: string | null;
    readonly updatedBy: string | null;
  };
}

/** The JSON request body of each route that reads one, as its schema accepts it. */
export interface ApiRequests {
  'patch /v1/sources/{id}': {
    readonly name?: string;
    readonly acl?: readonly string[];
    readonly metadata?: {
      readonly [key: string]: unknown;
    };
    readonly syncEvery?: string | null;
    readonly path?: string;
    readonly urls?: readonly string[];
    readonly bucket?: string;
    readonly prefix?: string;
    readonly region?: string;
    readonly endpoint?: string | null;
    readonly pathStyle?: boolean;
    readonly credentials?: {
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    };
  };
  'post /v1/admin/keys': {
    readonly name: string;
    readonly role: 'customer' | 'operator' | 'admin';
    readonly principals?: readonly string[];
    readonly expiresInSeconds?: number;
    readonly quota?: {
      readonly period: 'day' | 'month';
      readonly requests?: number;
      readonly tokens?: number;
    };
  };
  'post /v1/admin/keys/{id}/quota': {
    readonly quota: {
      readonly period: 'day' | 'month';
      readonly requests?: number;
      readonly tokens?: number;
    } | null;
  };
  'post /v1/admin/keys/{id}/rotate': {
    readonly graceSeconds?: number;
  };
  'post /v1/ask': {
    readonly question: string;
    readonly filters?: {
      readonly uriPrefix?: string;
      readonly documentIds?: readonly number[];
      readonly metadata?: {
        readonly [key: string]: string | number | boolean;
      };
      readonly mediaTypes?: readonly string[];
    };
    readonly retrievalMode?: 'lexical' | 'vector' | 'hybrid';
    readonly limit?: number;
    readonly stream?: boolean;
    readonly history?: readonly {
      readonly role: 'user' | 'assistant';
      readonly content: string;
    }[];
  };
  'post /v1/chat': {
    readonly question: string;
    readonly filters?: {
      readonly uriPrefix?: string;
      readonly documentIds?: readonly number[];
      readonly metadata?: {
        readonly [key: string]: string | number | boolean;
      };
      readonly mediaTypes?: readonly string[];
    };
    readonly retrievalMode?: 'lexical' | 'vector' | 'hybrid';
    readonly limit?: number;
    readonly stream?: boolean;
    readonly conversationId?: string;
  };
  'post /v1/chat/completions': {
    readonly model: string;
    readonly messages: readonly {
      readonly role: 'system' | 'developer' | 'user' | 'assistant';
      readonly content: string | (readonly {
        readonly type: 'text';
        readonly text: string;
      }[]) | null;
      readonly name?: string;
    }[];
    readonly stream?: boolean;
    readonly stream_options?: {
      readonly include_usage?: boolean;
    } | null;
    readonly temperature?: number | null;
    readonly top_p?: number | null;
    readonly max_tokens?: number | null;
    readonly max_completion_tokens?: number | null;
    readonly n?: 1 | null;
    readonly user?: string;
  };
  'post /v1/experiments': {
    readonly name: string;
    readonly promptName?: string;
    readonly arms: readonly {
      readonly name: string;
      readonly version: number;
      readonly weight?: number;
    }[];
  };
  'post /v1/feedback': {
    readonly traceId: string;
    readonly rating: 'up' | 'down';
    readonly comment?: string;
    readonly category?: string;
  };
  'post /v1/inbox/{id}/close': {
    readonly resolution?: string;
  };
  'post /v1/inbox/{id}/reply': {
    readonly text: string;
  };
  'post /v1/ingest': {
    readonly sources: readonly ({
      readonly kind: 'path';
      readonly path: string;
      readonly redact?: readonly ('email' | 'phone' | 'card' | 'iban' | 'national_id' | 'address' | 'ip' | 'secret')[];
      readonly pii?: 'redact' | 'keep';
    } | {
      readonly kind: 'url';
      readonly url: string;
      readonly redact?: readonly ('email' | 'phone' | 'card' | 'iban' | 'national_id' | 'address' | 'ip' | 'secret')[];
      readonly pii?: 'redact' | 'keep';
    } | {
      readonly kind: 'object';
      readonly sourceId: string;
      readonly key: string;
      readonly redact?: readonly ('email' | 'phone' | 'card' | 'iban' | 'national_id' | 'address' | 'ip' | 'secret')[];
      readonly pii?: 'redact' | 'keep';
    } | {
      readonly kind: 'upload';
      readonly uploadId: string;
      readonly fileName: string;
      readonly redact?: readonly ('email' | 'phone' | 'card' | 'iban' | 'national_id' | 'address' | 'ip' | 'secret')[];
      readonly pii?: 'redact' | 'keep';
    })[];
    readonly remove?: readonly string[];
    readonly sync?: boolean;
    readonly acl?: readonly string[];
    readonly metadata?: {
      readonly [key: string]: unknown;
    };
    readonly records?: {
      readonly idField?: string;
      readonly titleField?: string;
      readonly textFields?: readonly string[];
    };
    readonly ocr?: boolean;
    readonly force?: boolean;
  };
  'post /v1/prompts': {
    readonly name: string;
    readonly template: string;
    readonly variables?: readonly {
      readonly name: string;
      readonly type: 'string' | 'number' | 'boolean';
      readonly description?: string;
    }[];
    readonly description?: string;
    readonly note?: string;
    readonly generation?: {
      readonly temperature?: number;
      readonly topP?: number;
      readonly maxOutputTokens?: number;
      readonly stopSequences?: readonly string[];
    };
  };
  'post /v1/prompts/{name}/promote': {
    readonly version: number;
    readonly label?: string;
  };
  'post /v1/prompts/{name}/render': {
    readonly version?: number;
    readonly label?: string;
    readonly values?: {
      readonly [key: string]: string | number | boolean;
    };
  };
  'post /v1/prompts/{name}/rollback': {
    readonly label?: string;
  };
  'post /v1/search': {
    readonly query: string;
    readonly mode?: 'lexical' | 'vector' | 'hybrid';
    readonly limit?: number;
    readonly filters?: {
      readonly uriPrefix?: string;
      readonly documentIds?: readonly number[];
      readonly metadata?: {
        readonly [key: string]: string | number | boolean;
      };
      readonly mediaTypes?: readonly string[];
    };
  };
  'post /v1/sessions': {
    readonly customerId?: string;
    readonly email?: string;
    readonly ttlSeconds?: number;
  };
  'post /v1/sources': {
    readonly kind: 'folder';
    readonly path: string;
    readonly name: string;
    readonly acl?: readonly string[];
    readonly metadata?: {
      readonly [key: string]: unknown;
    };
    readonly syncEvery?: string;
  } | {
    readonly kind: 'urls';
    readonly urls: readonly string[];
    readonly name: string;
    readonly acl?: readonly string[];
    readonly metadata?: {
      readonly [key: string]: unknown;
    };
    readonly syncEvery?: string;
  } | {
    readonly kind: 's3';
    readonly bucket: string;
    readonly prefix?: string;
    readonly region?: string;
    readonly endpoint?: string;
    readonly pathStyle?: boolean;
    readonly credentials: {
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    };
    readonly name: string;
    readonly acl?: readonly string[];
    readonly metadata?: {
      readonly [key: string]: unknown;
    };
    readonly syncEvery?: string;
  };
  'post /v1/sources/{id}/events': {
    readonly Records: readonly {
      readonly [key: string]: unknown;
    }[];
  };
  'post /v1/support/approvals/{runId}/approve': {
    readonly reason?: string;
  };
  'post /v1/support/approvals/{runId}/reject': {
    readonly reason?: string;
  };
  'post /v1/support/messages': {
    readonly conversationId?: string;
    readonly message: string;
  };
  'put /v1/admin/guardrails': {
    readonly moderation?: {
      readonly hate?: 'block' | 'escalate' | 'log';
      readonly harassment?: 'block' | 'escalate' | 'log';
      readonly sexual?: 'block' | 'escalate' | 'log';
      readonly 'sexual-minors'?: 'block' | 'escalate' | 'log';
      readonly 'self-harm'?: 'block' | 'escalate' | 'log';
      readonly violence?: 'block' | 'escalate' | 'log';
      readonly illegal?: 'block' | 'escalate' | 'log';
      readonly weapons?: 'block' | 'escalate' | 'log';
    };
    readonly stereotyping?: 'block' | 'escalate' | 'log';
  };
}

/** The success response of a route. */
export type ApiResponse<R extends keyof ApiResponses> = ApiResponses[R];

/** The request body of a route. */
export type ApiRequest<R extends keyof ApiRequests> = ApiRequests[R];
