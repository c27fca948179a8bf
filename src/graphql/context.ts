// What every resolver receives: per-request loaders and the shared domain services. Resolvers read these,
// never module singletons, so each test and each server instance is independent.
import {
  StatusReader,
  type BatchObserver,
  type StatusCaller,
  type Loaders,
  type StatusHistory,
  type StatusPubSub,
  type StatusService,
  type StatusWatcher,
} from '../status/index.js';

export interface GraphQLServices {
  readonly status: StatusService;
  readonly watcher: StatusWatcher;
  readonly pubsub: StatusPubSub;
  /** Status history; absent: history answers HISTORY_UNAVAILABLE. */
  readonly history?: StatusHistory;
}

export interface GraphQLContext {
  /**
   * How this operation reads statuses (status/status-reader.ts): at once from the cache, else batched — renewed per
   * event in a subscription.
   */
  readonly reader: StatusReader;
  /** The reader's loaders, for the reads that batch by themselves (the org-wide summary). */
  readonly loaders: Loaders;
  /** The domain's services; `status` is the operation's caller's view of it (the reader's `service`). */
  readonly services: GraphQLServices;
  /** Correlates log lines of one operation. */
  readonly requestId: string;
  /** Who sent the operation, as history names a mutation's caller: an API key's name or a token subject's hash. */
  readonly caller?: string;
  /**
   * A subscription's context lives as long as the subscription (hours); its loaders must not, or every event would
   * be answered from the first event's data. The subscription resolvers call this once per event.
   */
  renewLoaders(): void;
}

/**
 * The operation's caller, as its status reads see it (StatusService.forCaller): its signal (read only when a read goes
 * to AWS) and the query deadline.
 */
export type OperationCaller = StatusCaller;

export function createGraphQLContext(services: GraphQLServices, requestId: string, onBatch?: BatchObserver, caller?: OperationCaller): GraphQLContext {
  return new RequestContext(services, requestId, onBatch, caller);
}

/**
 * A class, with `reader`, `loaders` and `services` getters on its prototype, because Apollo Server hands resolvers a
 * copy of the context made with Object.assign: a getter of the object's own would run at the copy (making every
 * loader for every request) and be frozen into the copy as a plain value. Own fields are copied as they are; the
 * getters stay lazy on the copy. Nothing per caller is made before a resolver needs it: a warm request, answered
 * from the cache, makes no view of the status service (and so never reads its caller's signal).
 */
class RequestContext implements GraphQLContext {
  /** Made on first use: an operation that reads no status (a mutation's input error) makes none. */
  private currentReader: StatusReader | undefined = undefined;
  /** The services with the caller's view of `status`, made on first use. */
  private callerServices: GraphQLServices | undefined = undefined;

  constructor(
    private readonly sharedServices: GraphQLServices,
    readonly requestId: string,
    private readonly onBatch: BatchObserver | undefined,
    private readonly operationCaller: OperationCaller | undefined,
  ) {}

  get reader(): StatusReader {
    return (this.currentReader ??= new StatusReader(this.sharedServices.status, this.onBatch, this.operationCaller));
  }

  get services(): GraphQLServices {
    return (this.callerServices ??= this.operationCaller ? { ...this.sharedServices, status: this.reader.service } : this.sharedServices);
  }

  get loaders(): Loaders {
    return this.reader.loaders;
  }

  renewLoaders(): void {
    this.currentReader = undefined;
  }
}
