// The watcher as a status stream sees it, for unit tests of streams: a topic per status, and a watch whose current
// reading never comes (a resumed stream reads none; a test publishes what it wants the stream to see).
import { watchKey, type StatusChangeMessage, type StatusWatcher, type WatchTarget } from '../../src/status/index.js';

export const silentWatcher = {
  accountsJoinedTopic: 'accounts-joined',
  creationsFollowedTopic: 'creations-followed',
  creationsFollowed: async () => [],
  topicOf: (target: WatchTarget) => `status:${watchKey(target)}`,
  watch: (target: WatchTarget) => ({ key: watchKey(target), current: () => new Promise<StatusChangeMessage>(() => undefined), release: () => undefined }),
} as unknown as StatusWatcher;
