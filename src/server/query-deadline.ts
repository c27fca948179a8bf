// The query deadline (STATUSGRAPH_QUERY_DEADLINE_MS, default in config/settings/server.ts): when it passes, the
// operation's signal aborts — its AWS calls stop retrying (aws/call.ts) — and each field still pending answers what
// its call was retrying (THROTTLED) or else DEADLINE_EXCEEDED, while the response goes out with everything else it
// has, before a browser or a load balancer gives up on it (with every FleetWise call throttled, a 50-account query used
// to take 41 s). Applied to the built schema by wrapping the resolvers that may return a promise; a field answered at
// once (the warm path) pays one type check. Mutations are not cut short (an abandoned createAccount would be
// ambiguous), and subscription events are not queries.
import { GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../graphql/errors.js';

/** What a request's context carries for the deadline. */
export interface DeadlineContext {
  /** When the operation started (performance.now()). */
  readonly startedAt: number;
  /** Aborts the operation's signal: its status reads stop retrying AWS and fail with their own error. */
  readonly cancel?: (reason: Error) => void;
}

/** One request's deadline: the fields still pending, each failed at once if nothing else settles it. */
interface Deadline {
  readonly pending: Set<(error: GraphQLError) => void>;
}

/** Wraps, in place, the resolvers of every object type but the Mutation and Subscription roots. */
export function applyQueryDeadline(schema: GraphQLSchema, deadlineMs: number): void {
  const deadlines = new WeakMap<object, Deadline>();
  const deadlineOf = (context: DeadlineContext): Deadline => {
    let deadline = deadlines.get(context);
    if (!deadline) {
      const created: Deadline = { pending: new Set() };
      const remaining = Math.max(0, context.startedAt + deadlineMs - performance.now());
      // unref: a deadline alone never keeps the process up. A field that settles leaves `pending` at once, so the
      // timer holds nothing of an answered request.
      setTimeout(() => {
        const exceeded = deadlineExceeded(deadlineMs);
        // The cancelled calls settle their fields within the same turn of the event loop (the SDK rejects its
        // backoff wait and queued attempts at once); a field with nothing to cancel answers DEADLINE_EXCEEDED after.
        context.cancel?.(exceeded);
        setImmediate(() => {
          for (const fail of created.pending) fail(exceeded);
          created.pending.clear();
        });
      }, remaining).unref();
      deadline = created;
      deadlines.set(context, deadline);
    }
    return deadline;
  };
  const skipped = new Set([schema.getMutationType(), schema.getSubscriptionType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || skipped.has(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve) field.resolve = withDeadline(field.resolve, deadlineOf);
    }
  }
}

function withDeadline(resolve: GraphQLFieldResolver<unknown, unknown>, deadlineOf: (context: DeadlineContext) => Deadline): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context: unknown, info) => {
    const result = resolve(source, args, context, info);
    if (!(result instanceof Promise) || info.operation.operation !== 'query' || !hasStart(context)) return result;
    const { pending } = deadlineOf(context);
    return new Promise((resolveField, rejectField) => {
      pending.add(rejectField);
      result.then(
        (value) => {
          pending.delete(rejectField);
          resolveField(value);
        },
        (error: unknown) => {
          pending.delete(rejectField);
          rejectField(error);
        },
      );
    });
  };
}

function hasStart(context: unknown): context is DeadlineContext {
  return typeof (context as Partial<DeadlineContext> | undefined)?.startedAt === 'number';
}

function deadlineExceeded(deadlineMs: number): GraphQLError {
  return new GraphQLError(
    `Not answered within the query deadline of ${deadlineMs / 1000} s: AWS had not answered yet; the rest of the response stands. Try again later.`,
    { extensions: { code: ErrorCode.DEADLINE_EXCEEDED } },
  );
}
