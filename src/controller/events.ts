import type { EventsV1Api, EventsV1Event } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { scrubText } from '../observability/logger.js';
import { isNotFound, mergePatch, microTime } from './kube-clients.js';
import { systemTimers, type Timers } from './timing.js';

/**
 * Records events.k8s.io/v1 Events about CrossAccountDelegations (`kubectl describe` and `kubectl
 * events` show them).
 *
 * - Repeats of the same event (same object, type, reason, action and note) within the series window
 *   do not create new objects: the first Event gets a `series` whose count and lastObservedTime are
 *   patched, as client-go's events v1 recorder does.
 * - Notes pass through a scrubber that censors anything secret-looking (and any value the caller
 *   registers as secret) before it can reach the API; a censored note is logged as a warning.
 * - A series is forgotten once its window has passed with no repeat, on a timer (every delegation's
 *   creation starts one, and a quiet operator records nothing that would prune it otherwise).
 * - Recording is best effort: failures are logged, never thrown, so an Event can't fail a reconcile.
 *   Writes are serialized per recorder, which keeps series counts exact.
 */

export const REPORTING_CONTROLLER = 'ram-delegation.dev/operator';
/** The API server rejects notes longer than this many bytes. */
const MAX_NOTE_BYTES = 1024;

/** The object an Event is about. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
}

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** CamelCase, machine-readable, e.g. `DriftCorrected`. */
  reason: string;
  /** What the operator did or failed to do, e.g. `Reconcile`, `Revoke`. */
  action: string;
  /** Human-readable; scrubbed of secrets and cut to 1 KiB. */
  note: string;
}

export interface EventRecorderOptions {
  api: EventsV1Api;
  /** Which replica reported it, e.g. the leader-election identity (at most 128 characters). */
  reportingInstance: string;
  clock?: () => Date;
  /** Runs the pruning of past series (default: the system's; the timer never keeps the process alive). */
  timers?: Timers;
  /** Repeats within this window join a series (default 6 minutes, like client-go). */
  seriesWindowMs?: number;
  /** Values that must never appear in a note (e.g. secrets the current pass handled). */
  knownSecrets?: () => Iterable<string>;
  logger?: Logger;
  /** Once aborted (this replica lost its leadership), nothing more is recorded. */
  signal?: AbortSignal;
}

interface SeriesEntry {
  eventName: string;
  namespace: string;
  count: number;
  lastSeen: number;
}

export class EventRecorder {
  /** By key, in the order they were last seen (an extended series moves to the end). */
  private readonly series = new Map<string, SeriesEntry>();
  private readonly clock: () => Date;
  private readonly timers: Timers;
  private pruneTimer: unknown;
  private readonly windowMs: number;
  private tail: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.windowMs = options.seriesWindowMs ?? 6 * 60_000;
    this.timers = options.timers ?? systemTimers;
  }

  /** How many series are remembered (their repeats would be counted, not created). */
  get seriesCount(): number {
    return this.series.size;
  }

  /** Records an Event; resolves when it was written (or the attempt failed and was logged). */
  record(subject: EventSubject, input: EventInput): Promise<void> {
    if (this.options.signal?.aborted) return Promise.resolve();
    const run = this.tail.then(() => this.write(subject, input));
    this.tail = run;
    return run;
  }

  private async write(subject: EventSubject, input: EventInput): Promise<void> {
    const note = this.safeNote(input.note, subject);
    const now = this.clock();
    this.prune(now.getTime());
    const seriesKey = JSON.stringify([
      subject.namespace,
      subject.name,
      subject.uid ?? '',
      input.type,
      input.reason,
      input.action,
      note,
    ]);
    try {
      const entry = this.series.get(seriesKey);
      if (entry && (await this.extendSeries(entry, now))) {
        this.remember(seriesKey, entry);
        return;
      }
      const eventName = await this.create(subject, input, note, now);
      this.remember(seriesKey, {
        eventName,
        namespace: subject.namespace,
        count: 1,
        lastSeen: now.getTime(),
      });
      this.schedulePrune();
    } catch (error) {
      this.options.logger?.warn(
        { err: error, reason: input.reason, object: `${subject.namespace}/${subject.name}` },
        'could not record event',
      );
    }
  }

  /** Bumps an existing series; resolves false when its Event is gone and a new one is needed. */
  private async extendSeries(entry: SeriesEntry, now: Date): Promise<boolean> {
    const count = entry.count + 1;
    try {
      await this.options.api.patchNamespacedEvent(
        {
          name: entry.eventName,
          namespace: entry.namespace,
          body: { series: { count, lastObservedTime: microTime(now) } },
        },
        mergePatch(),
      );
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    entry.count = count;
    entry.lastSeen = now.getTime();
    return true;
  }

  private async create(subject: EventSubject, input: EventInput, note: string, now: Date): Promise<string> {
    const eventName = `${subject.name}.${this.uniqueSuffix(now)}`;
    const body: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: eventName, namespace: subject.namespace },
      eventTime: microTime(now),
      type: input.type,
      reason: input.reason,
      action: input.action,
      note,
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: this.options.reportingInstance.slice(0, 128),
      regarding: {
        apiVersion: subject.apiVersion,
        kind: subject.kind,
        name: subject.name,
        namespace: subject.namespace,
        uid: subject.uid,
        resourceVersion: subject.resourceVersion,
      },
    };
    await this.options.api.createNamespacedEvent({ namespace: subject.namespace, body });
    return eventName;
  }

  /** Nanoseconds since the epoch in hex, made unique within this recorder (client-go's naming). */
  private uniqueSuffix(now: Date): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return (BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence)).toString(16);
  }

  private safeNote(note: string, subject: EventSubject): string {
    const scrubbed = scrubText(note, this.options.knownSecrets?.() ?? []);
    if (scrubbed !== note) {
      this.options.logger?.warn(
        { object: `${subject.namespace}/${subject.name}` },
        'event note contained secret-looking values; they were censored',
      );
    }
    return truncateUtf8(scrubbed, MAX_NOTE_BYTES);
  }

  /** Stores a series as the most recently seen (the map stays in the order series were last seen). */
  private remember(key: string, entry: SeriesEntry): void {
    this.series.delete(key);
    this.series.set(key, entry);
  }

  /** Forgets the series whose window has passed: the oldest first, so it stops at the first that has not. */
  private prune(nowMs: number): void {
    for (const [key, entry] of this.series) {
      if (nowMs - entry.lastSeen < this.windowMs) return;
      this.series.delete(key);
    }
  }

  /** Arms the prune timer for when the oldest series' window ends, unless it is armed. */
  private schedulePrune(): void {
    const oldest = this.series.values().next().value;
    if (this.pruneTimer !== undefined || !oldest) return;
    const delay = Math.max(1_000, oldest.lastSeen + this.windowMs - this.clock().getTime());
    this.pruneTimer = this.timers.setTimeout(() => {
      this.pruneTimer = undefined;
      this.prune(this.clock().getTime());
      this.schedulePrune();
    }, delay);
    (this.pruneTimer as { unref?: () => void }).unref?.();
  }
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let result = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes - 3) break;
    result += char;
    bytes += size;
  }
  return `${result}...`;
}
