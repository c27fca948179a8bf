// Where the pages find the API: the same origin that served them, so a page never needs another host.
/** The GraphQL path on the server (HTTP and WebSocket). */
export const GRAPHQL_PATH = '/graphql';

export function graphqlHttpUrl(location: Location = window.location): string {
  return new URL(GRAPHQL_PATH, location.href).href;
}

export function graphqlWsUrl(location: Location = window.location): string {
  const url = new URL(GRAPHQL_PATH, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
