// type-graphql's PubSub, over our StatusPubSub: buildSchema requires one for any @Subscription, and topic-based
// subscriptions (should we add any) then travel the same way as status changes — Redis included.
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { PubSub } from 'type-graphql';
import type { StatusPubSub } from '../status/index.js';

/** Messages one topic subscriber may have waiting before the oldest are dropped. @default 10_000 */
const TOPIC_BUFFER = 10_000;

export function typeGraphQLPubSub(pubsub: StatusPubSub): PubSub {
  return {
    publish(routingKey, ...args) {
      void pubsub.publish(routingKey, args[0]);
    },
    subscribe(routingKey, dynamicId) {
      const topic = dynamicId === undefined ? routingKey : `${routingKey}:${String(dynamicId)}`;
      return new Repeater<unknown>(async (push, stop) => {
        const unsubscribe = await pubsub.subscribe(topic, (message) => void push(message).catch(() => undefined));
        await stop;
        await unsubscribe();
      }, new SlidingBuffer(TOPIC_BUFFER));
    },
  };
}
