// What every resolver receives: per-request loaders and the shared domain services. Resolvers read these,
// never module singletons, so each test and each server instance is independent.
import type { Loaders, StatusService } from '../status/index.js';

export interface GraphQLContext {
  readonly loaders: Loaders;
  readonly services: { readonly status: StatusService };
  /** Correlates log lines of one operation. */
  readonly requestId: string;
}
