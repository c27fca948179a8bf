// Pages of status history: the changes statusgraph recorded, newest first, each with its cursor.
import { Field, ObjectType } from 'type-graphql';
import type { StatusEventPage } from '../../status/index.js';
import { messageOfEvent } from '../../status/index.js';
import { AccountStatusChange } from './account-status-change.type.js';
import { PageInfo } from './organization.type.js';

@ObjectType({ simpleResolvers: true, description: 'One recorded status change, with its cursor.' })
export class StatusChangeEdge {
  @Field(() => String, { description: 'The event\'s cursor: pass it as `after` for older events, or to a subscription to resume.' })
  cursor!: string;

  @Field(() => AccountStatusChange, { description: 'The change.' })
  node!: AccountStatusChange;
}

@ObjectType({ simpleResolvers: true, description: 'A page of recorded status changes, newest first.' })
export class StatusChangeConnection {
  @Field(() => [StatusChangeEdge], { description: 'The changes of this page with their cursors.' })
  edges!: StatusChangeEdge[];

  @Field(() => [AccountStatusChange], { description: 'The changes of this page.' })
  nodes!: AccountStatusChange[];

  @Field(() => PageInfo, { description: 'Paging information: endCursor is the `after` of the next (older) page.' })
  pageInfo!: PageInfo;

  static from(page: StatusEventPage, hasPreviousPage: boolean): StatusChangeConnection {
    const edges = page.events.map((event) =>
      Object.assign(new StatusChangeEdge(), { cursor: event.cursor, node: AccountStatusChange.from(messageOfEvent(event)) }),
    );
    return Object.assign(new StatusChangeConnection(), {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: Object.assign(new PageInfo(), {
        hasNextPage: page.hasMore,
        hasPreviousPage,
        startCursor: edges[0]?.cursor,
        endCursor: edges.at(-1)?.cursor,
      }),
    });
  }
}
