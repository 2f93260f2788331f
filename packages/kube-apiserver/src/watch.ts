/**
 * WATCH: a chunked stream of `{"type":..,"object":..}` lines. Without a resourceVersion (or "0") it
 * starts with synthetic ADDED events for what exists; from resourceVersion N it replays the retained
 * history after N, or sends an ERROR event with a 410 Expired Status and closes when N is too old.
 * Selector transitions become ADDED/DELETED; BOOKMARKs only with allowWatchBookmarks=true.
 *
 * A watch ends cleanly (the chunked response is finished) after the client's timeoutSeconds or, without
 * one, after the server default: a random time between defaultTimeoutMs and twice that, as the real
 * server spreads its --min-request-timeout. With the watchDropAfterMs fault on, every open watch is cut
 * that long after it started (the connection is destroyed with no final event, as a dropped connection);
 * changing the fault reschedules the cut of watches already open.
 */
import type { ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { ApiError } from './errors.js';
import type { FaultInjector } from './faults/fault-injector.js';
import { matches, parseFilter, type ObjectFilter } from './list-query.js';
import { present } from './presentation.js';
import { apiVersionOf, type ResourceType } from './resource-type.js';
import type { StoreEvent } from './store.js';
import type { TableConverter } from './table.js';
import type { KubeObject } from './types.js';

export interface WatchSettings {
  /** How often to send a BOOKMARK when the client allows them. */
  bookmarkIntervalMs: number;
  /** The shortest server-side lifetime of a watch the client gave no timeoutSeconds. */
  defaultTimeoutMs: number;
  /** Random source in [0, 1) that spreads the default lifetime. */
  random: () => number;
  faults: FaultInjector;
}

/** setTimeout's largest delay (about 24.8 days); longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An open watch: when it started, and its pending cut when watchDropAfterMs is on. */
interface OpenWatch {
  startedAt: number;
  drop?: NodeJS.Timeout;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What one store event means for a watcher with this filter, or undefined to skip it. */
function translate(
  type: ResourceType,
  filter: ObjectFilter,
  event: StoreEvent,
): { type: EventType; object: KubeObject } | undefined {
  if (event.storageKey !== type.storageKey) return undefined;
  const now = event.type !== 'DELETED' && matches(type, filter, event.object);
  const before = event.previous !== undefined && matches(type, filter, event.previous);
  if (event.type === 'DELETED') return before ? { type: 'DELETED', object: event.object } : undefined;
  if (event.type === 'ADDED') return now ? { type: 'ADDED', object: event.object } : undefined;
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (before) return { type: 'DELETED', object: event.object };
  return undefined;
}

export class WatchStreams {
  private readonly open = new Map<ServerResponse, OpenWatch>();
  private readonly unsubscribeFaults: () => void;

  constructor(
    private readonly ctx: ServerContext,
    private readonly settings: WatchSettings,
  ) {
    this.unsubscribeFaults = settings.faults.onChange(() => {
      for (const [res, watch] of this.open) this.scheduleDrop(res, watch);
    });
  }

  closeAll(): void {
    this.unsubscribeFaults();
    for (const [res, watch] of this.open) {
      clearTimeout(watch.drop);
      res.end();
    }
    this.open.clear();
  }

  /** (Re)schedules the cut of one watch for the current watchDropAfterMs; none when it is 0. */
  private scheduleDrop(res: ServerResponse, watch: OpenWatch): void {
    clearTimeout(watch.drop);
    watch.drop = undefined;
    const after = this.settings.faults.settings.watchDropAfterMs;
    if (after <= 0) return;
    const wait = Math.max(0, watch.startedAt + after - Date.now());
    watch.drop = setTimeout(() => res.destroy(), wait);
  }

  /** How long this watch may stay open: the client's timeoutSeconds, or the spread server default. */
  private lifetimeMs(params: URLSearchParams): number {
    const timeout = Number(params.get('timeoutSeconds') ?? '0');
    const ms =
      Number.isFinite(timeout) && timeout > 0
        ? timeout * 1000
        : this.settings.defaultTimeoutMs * (1 + this.settings.random());
    return Math.min(ms, MAX_TIMER_MS);
  }

  serve(
    type: ResourceType,
    namespace: string | undefined,
    params: URLSearchParams,
    res: ServerResponse,
    table: TableConverter | undefined,
  ): void {
    const filter = parseFilter(type, namespace, params);
    const version = params.get('resourceVersion') ?? '';
    const startedAt = Date.now();
    const bookmarks = params.get('allowWatchBookmarks') === 'true';
    const initialEvents = params.get('sendInitialEvents') === 'true';
    let replay: StoreEvent[] | undefined = [];
    if (version !== '' && version !== '0') {
      const from = Number(version);
      if (!Number.isInteger(from) || from < 0) {
        throw new ApiError(400, 'BadRequest', `invalid resource version: "${version}"`);
      }
      replay = this.ctx.store.eventsAfter(from);
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let headersSent = false;
    const send = (eventType: string, object: unknown): void => {
      // Ended (its lifetime ran out) but not yet finished: a BOOKMARK or event due meanwhile is dropped.
      if (res.writableEnded || res.destroyed) return;
      res.write(`${JSON.stringify({ type: eventType, object })}\n`);
    };
    const sendObject = (eventType: EventType, object: KubeObject): void => {
      const shown = present(type, object);
      if (!table) return send(eventType, shown);
      send(
        eventType,
        table.table([shown], { resourceVersion: object.metadata.resourceVersion }, !headersSent),
      );
      headersSent = true;
    };
    const bookmark = (annotations?: Record<string, string>): void => {
      const metadata: Record<string, unknown> = { resourceVersion: String(this.ctx.store.currentRevision()) };
      if (annotations) metadata.annotations = annotations;
      send('BOOKMARK', { kind: type.kind, apiVersion: apiVersionOf(type), metadata });
    };
    if (replay === undefined) {
      const status = new ApiError(
        410,
        'Expired',
        `too old resource version: ${version} (${this.ctx.store.oldestValidRevision() + 1})`,
      ).toStatus();
      send('ERROR', status);
      res.end();
      return;
    }
    if (version === '' || version === '0') {
      for (const [, object] of this.ctx.store.scan(type.storageKey, namespace)) {
        if (matches(type, filter, object)) sendObject('ADDED', object);
      }
      if (initialEvents && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
    for (const event of replay) {
      const out = translate(type, filter, event);
      if (out) sendObject(out.type, out.object);
    }
    const watch: OpenWatch = { startedAt };
    this.open.set(res, watch);
    this.scheduleDrop(res, watch);
    const unsubscribe = this.ctx.store.subscribe((event) => {
      const out = translate(type, filter, event);
      if (out) sendObject(out.type, out.object);
    });
    const timers: NodeJS.Timeout[] = [];
    if (bookmarks) timers.push(setInterval(() => bookmark(), this.settings.bookmarkIntervalMs));
    timers.push(setTimeout(() => res.end(), this.lifetimeMs(params)));
    const cleanup = (): void => {
      unsubscribe();
      timers.forEach((t) => clearTimeout(t));
      clearTimeout(watch.drop);
      this.open.delete(res);
    };
    res.on('close', cleanup);
    res.on('finish', cleanup);
  }
}
