// The timeline of one account, beside the table when its row is opened: every change statusgraph recorded for it,
// newest first, with what observed it (a poll, a query, a mutation and its caller); live while it stays open.
import { useEffect, useRef, useState } from 'react';
import { followTimeline, type TimelineEntry, type TimelineState } from './account-timeline.js';
import type { BoardStore, Row } from './board-store.js';
import { lookOf, SOURCE_TITLES } from './status-labels.js';

const OBSERVERS: Record<string, string> = { POLL: 'poll', QUERY: 'query', MUTATION: 'mutation' };

export function AccountTimeline({ store, row, onClose }: { store: BoardStore; row: Row; onClose(): void }) {
  const [state, setState] = useState<TimelineState>({ phase: 'loading' });
  const follower = useRef<{ older(): void; stop(): void } | null>(null);
  useEffect(() => {
    const followed = followTimeline(store, row.id, setState);
    follower.current = followed;
    return () => followed.stop();
  }, [store, row.id]);

  return (
    <aside className="timeline" aria-label="Account history" data-testid="timeline" data-account-id={row.id}>
      <header>
        <h2>
          History of {row.name ?? row.id} <span className="id">{row.id}</span>
        </h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close the history">
          ✕
        </button>
      </header>
      {state.phase === 'loading' && <p className="empty">Reading the history…</p>}
      {state.phase === 'failed' && (
        <p className="problem" role="alert">
          {state.problem}
        </p>
      )}
      {state.phase === 'ready' && (
        <>
          {state.entries.length === 0 && <p className="empty">No change recorded for this account.</p>}
          <ol className="timeline-entries">
            {state.entries.map((entry) => (
              <TimelineItem key={entry.cursor} entry={entry} />
            ))}
          </ol>
          {state.hasOlder && (
            <button type="button" className="older" onClick={() => follower.current?.older()}>
              Older changes
            </button>
          )}
        </>
      )}
    </aside>
  );
}

function TimelineItem({ entry }: { entry: TimelineEntry }) {
  const title = entry.region ? `${SOURCE_TITLES[entry.source]} (${entry.region})` : SOURCE_TITLES[entry.source];
  const current = lookOf(entry.source, entry.current);
  return (
    <li className={`timeline-entry tone-${current.tone}`} data-cursor={entry.cursor} data-source={entry.source} data-value={entry.current ?? 'NONE'}>
      <time dateTime={entry.changedAt}>{new Date(entry.changedAt).toLocaleString()}</time>
      <span className="what">{title}</span>
      <span className="change">
        {entry.firstReading ? 'first read as ' : `${lookOf(entry.source, entry.previous).label} → `}
        <span className="label">{current.label}</span>
      </span>
      <span className="who">
        by {OBSERVERS[entry.observedBy ?? ''] ?? 'statusgraph'}
        {entry.caller ? ` (${entry.caller})` : ''}
      </span>
    </li>
  );
}
