// AccountStatusChange: one event of the accountStatusChanged subscription.
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { upstreamFailure, type StreamMessage, type UpstreamFailure } from '../../status/index.js';
import { CreateAccountState, EnrollmentStatus, RegistrationStatus, StatusSource, toEnum } from '../enums.js';
import { toGraphQLError } from '../errors.js';
import { AccountIdScalar, DateTimeScalar } from '../scalars.js';

@ObjectType({ simpleResolvers: true, description: 'The AWS service, operation and error code behind a failure.' })
export class AwsErrorDetail {
  @Field(() => String, { description: 'AWS service (signing name), e.g. iotfleetwise.' })
  service!: string;

  @Field(() => String, { description: 'The operation that failed, e.g. GetRegisterAccountStatus.' })
  operation!: string;

  @Field(() => String, { description: 'AWS error code, e.g. ThrottlingException.' })
  code!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Why a status could not be read; the subscription goes on and reports recovery as a change.' })
export class StatusError {
  @Field(() => String, { description: 'The API error code (THROTTLED, AWS_ACCESS_DENIED, UPSTREAM_UNAVAILABLE…).' })
  code!: string;

  @Field(() => String, { description: 'What went wrong.' })
  message!: string;

  @Field(() => AwsErrorDetail, { nullable: true, description: 'The AWS call that failed.' })
  aws?: AwsErrorDetail;

  /** The failure as a client sees it: the API's code and message (as the field's error would say), AWS's call and code. */
  static from(failure: UpstreamFailure): StatusError {
    const graphqlError = toGraphQLError(failure);
    return Object.assign(new StatusError(), {
      code: String(graphqlError.extensions.code),
      message: graphqlError.message,
      aws: { service: failure.service, operation: failure.operation, code: failure.code },
    });
  }
}

export enum ObservedBy {
  POLL = 'POLL',
  QUERY = 'QUERY',
  MUTATION = 'MUTATION',
}

registerEnumType(ObservedBy, {
  name: 'ObservedBy',
  description: 'What observed a status change.',
  valuesConfig: {
    POLL: { description: 'A subscription\'s poller.' },
    QUERY: { description: 'A query that read the status from AWS.' },
    MUTATION: { description: 'A mutation\'s own answer (caller and idempotencyKey say whose).' },
  },
});

export enum FilterMembership {
  ENTERED = 'ENTERED',
  LEFT = 'LEFT',
}

registerEnumType(FilterMembership, {
  name: 'FilterMembership',
  description: 'On a subscription with a filter: the account came into the accounts the filter chooses, or went out of them.',
  valuesConfig: {
    ENTERED: {
      description:
        'The account entered the filter (MoveAccount brought it under the OU, or it came to match): this is the first event of this ' +
        'status of it, carrying its current state; changes follow.',
    },
    LEFT: {
      description:
        'The account left the filter (MoveAccount took it out of the OU, or it no longer matches): the last event of this status of ' +
        'it; `current` is the last state sent. `account.organizationalUnit` says where it went.',
    },
  },
});

@ObjectType({ simpleResolvers: true, description: 'A status of one account changed (or, first, its current state).' })
export class AccountStatusChange {
  @Field(() => String, {
    nullable: true,
    description:
      'The cursor of the event in the status history: resume a subscription after it (`after`), or page history with ' +
      'it. On a stream\'s events that are no recorded event of their own (current states, accounts joining, entering or ' +
      'leaving), the newest cursor the subscriber has (at first the newest when the stream started; "0" when nothing was ' +
      'recorded yet): resuming after it misses nothing. Null on `error` events and without history.',
  })
  cursor?: string | null;

  @Field(() => ObservedBy, { nullable: true, description: 'What observed the change (history and replayed events).' })
  observedBy?: ObservedBy | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'On recorded events (history, replayed and live changes): true for the first reading statusgraph recorded of ' +
      'this status (nothing to compare with: not a change), false for a change. Null on current-state and error events.',
  })
  firstReading?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a mutation: the caller (API key name, or a hash of the token subject). Never an email or a secret.',
  })
  caller?: string | null;

  @Field(() => String, { nullable: true, description: 'For a createAccount: its idempotencyKey.' })
  idempotencyKey?: string | null;

  @Field(() => String, { nullable: true, description: 'The status before, as AWS wrote it.' })
  previousRaw?: string | null;

  @Field(() => String, { nullable: true, description: 'The status now, as AWS wrote it.' })
  currentRaw?: string | null;

  @Field(() => AccountIdScalar, { description: 'The account whose status changed.' })
  accountId!: string;

  @Field(() => StatusSource, { description: 'Which status changed.' })
  source!: StatusSource;

  @Field(() => String, { nullable: true, description: 'The region, for FLEETWISE_REGISTRATION.' })
  region?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The status before (an enum value of the source, e.g. REGISTRATION_PENDING); null on the first event or when there was none.',
  })
  previous?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The status now; null when there is none (never registered; no creation request) or when `error` is set.',
  })
  current?: string | null;

  @Field(() => DateTimeScalar, { description: 'When statusgraph saw the change.' })
  changedAt!: Date;

  @Field(() => StatusError, { nullable: true, description: 'Set when the status could not be read this time.' })
  error?: StatusError;

  @Field(() => FilterMembership, {
    nullable: true,
    description:
      'On a subscription with a filter (and no accountIds), which follows accounts as they move: ENTERED on the first event of an ' +
      'account that came into the filter, LEFT on the last event of one that went out; null otherwise.',
  })
  membership?: FilterMembership | null;

  static from(message: StreamMessage): AccountStatusChange {
    const { target } = message;
    if (target.kind === 'request' && !message.accountId) throw new Error('a creation request that names no account is no account status change');
    const source =
      target.kind === 'fleetwise'
        ? StatusSource.FLEETWISE_REGISTRATION
        : target.kind === 'enrollment'
          ? StatusSource.COMPUTE_OPTIMIZER_ENROLLMENT
          : StatusSource.CREATION_REQUEST;
    // Members set one by one on the instance (no spread object to copy from): a replay sends thousands a second.
    const change = new AccountStatusChange();
    change.cursor = message.cursor ?? null;
    change.observedBy = message.observedBy ? OBSERVED_BY[message.observedBy] : null;
    // A recorded event carries `previous` unless it is the first reading (history-stream.ts messageOfEvent).
    change.firstReading = message.observedBy ? message.previous === undefined : null;
    change.caller = message.caller ?? null;
    change.idempotencyKey = message.idempotencyKey ?? null;
    change.previousRaw = message.previous ?? null;
    change.currentRaw = message.failure ? null : (message.current ?? null);
    change.accountId = target.kind === 'request' ? message.accountId! : target.accountId;
    change.source = source;
    change.region = target.kind === 'fleetwise' ? target.region : undefined;
    change.previous = displayStatus(source, message.previous);
    change.current = message.failure ? null : displayStatus(source, message.current);
    change.changedAt = new Date(message.changedAt);
    change.error = message.failure ? StatusError.from(upstreamFailure(message.failure)) : undefined;
    change.membership = message.membership === 'entered' ? FilterMembership.ENTERED : message.membership === 'left' ? FilterMembership.LEFT : null;
    return change;
  }
}

const OBSERVED_BY: Readonly<Record<NonNullable<StreamMessage['observedBy']>, ObservedBy>> = {
  poll: ObservedBy.POLL,
  query: ObservedBy.QUERY,
  mutation: ObservedBy.MUTATION,
};

/** The API's enum name for a raw AWS status (Active → ACTIVE); an unknown value stays as AWS wrote it. */
function displayStatus(source: StatusSource, raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const known =
    source === StatusSource.FLEETWISE_REGISTRATION
      ? toEnum(RegistrationStatus, raw)
      : source === StatusSource.COMPUTE_OPTIMIZER_ENROLLMENT
        ? toEnum(EnrollmentStatus, raw)
        : toEnum(CreateAccountState, raw);
  return known === 'UNKNOWN' ? raw : known;
}
