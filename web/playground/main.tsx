// The GraphiQL playground served at GET /graphql: queries and mutations over HTTP, subscriptions over graphql-ws
// on the same path, the schema docs, and the repository's example operations as the opening tabs.
// Monaco's workers come from this bundle (setup-workers/vite), not from a CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './playground.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { graphqlHttpUrl, graphqlWsUrl } from '../shared/endpoint.js';
import { exampleTabs } from './example-tabs.js';

const fetcher = createGraphiQLFetcher({
  url: graphqlHttpUrl(),
  // One graphql-ws connection per subscription, opened with the Headers tab as its connection_init payload: a
  // server that requires `Authorization: Bearer …` gets it on subscriptions too.
  subscriptionUrl: graphqlWsUrl(),
  // Apollo Server answers plain JSON; multipart incremental delivery would only add a negotiation round.
  enableIncrementalDelivery: false,
});

const container = document.getElementById('graphiql');
if (container === null) throw new Error('playground.html has no #graphiql element');

createRoot(container).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultTabs={exampleTabs} defaultEditorToolsVisibility="variables" />
  </StrictMode>,
);
