// What every resolver receives: per-request loaders and the shared domain services. Resolvers read these,
// never module singletons, so each test and each server instance is independent.
import {
  createLoaders,
  type BatchObserver,
  type Loaders,
  type StatusPubSub,
  type StatusService,
  type StatusWatcher,
} from '../status/index.js';

export interface GraphQLServices {
  readonly status: StatusService;
  readonly watcher: StatusWatcher;
  readonly pubsub: StatusPubSub;
}

export interface GraphQLContext {
  /** Loaders of the current operation — or, in a subscription, of the current event. */
  readonly loaders: Loaders;
  readonly services: GraphQLServices;
  /** Correlates log lines of one operation. */
  readonly requestId: string;
  /**
   * A subscription's context lives as long as the subscription (hours); its loaders must not, or every event would
   * be answered from the first event's data. The subscription resolvers call this once per event.
   */
  renewLoaders(): void;
}

export function createGraphQLContext(services: GraphQLServices, requestId: string, onBatch?: BatchObserver): GraphQLContext {
  // Made on first use: an operation that reads no status (a mutation's input error, `__typename`) makes none.
  let loaders: Loaders | undefined;
  return {
    get loaders() {
      return (loaders ??= createLoaders(services.status, onBatch));
    },
    services,
    requestId,
    renewLoaders() {
      loaders = undefined;
    },
  };
}
