import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsV1Event } from '@kubernetes/client-node';
import { API_GROUP_VERSION, KIND } from '../../../src/api/constants.js';
import { EventRecorder, REPORTING_CONTROLLER, type EventSubject } from '../../../src/controller/events.js';
import { createLogger } from '../../../src/observability/logger.js';
import { ManualTimers } from '../../unit/controller/manual-timers.js';
import { createDelegation, startKube, type KubeFixture } from './kube-fixture.js';

const run = promisify(execFile);

describe('event recorder against the API server', () => {
  let kube: KubeFixture;
  let subject: EventSubject;
  beforeAll(async () => {
    kube = await startKube();
    const created = await createDelegation(kube, 'evented');
    subject = {
      apiVersion: API_GROUP_VERSION,
      kind: KIND,
      name: 'evented',
      namespace: 'default',
      uid: created.metadata?.uid,
    };
  });
  afterAll(async () => {
    await kube?.stop();
  });

  async function eventsFor(name: string): Promise<EventsV1Event[]> {
    const list = await kube.events.listNamespacedEvent({ namespace: 'default' });
    return list.items.filter((event) => event.regarding?.name === name);
  }

  it('writes an events.k8s.io/v1 Event about the delegation', async () => {
    let now = new Date('2026-05-06T07:08:09.123Z');
    const recorder = new EventRecorder({
      api: kube.events,
      reportingInstance: 'replica-a',
      clock: () => now,
    });
    await recorder.record(subject, {
      type: 'Warning',
      reason: 'DriftCorrected',
      action: 'Reconcile',
      note: 'policy AliyunECSFullAccess was attached out of band; detached',
    });
    const [event, ...rest] = await eventsFor('evented');
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'DriftCorrected',
      action: 'Reconcile',
      note: 'policy AliyunECSFullAccess was attached out of band; detached',
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: 'replica-a',
      regarding: { kind: KIND, name: 'evented', namespace: 'default', uid: subject.uid },
    });
    expect(String(event!.eventTime)).toBe('2026-05-06T07:08:09.123000Z');

    // Repeats within the window become a series on the same Event.
    now = new Date('2026-05-06T07:09:00.000Z');
    await recorder.record(subject, {
      type: 'Warning',
      reason: 'DriftCorrected',
      action: 'Reconcile',
      note: 'policy AliyunECSFullAccess was attached out of band; detached',
    });
    now = new Date('2026-05-06T07:10:00.000Z');
    await recorder.record(subject, {
      type: 'Warning',
      reason: 'DriftCorrected',
      action: 'Reconcile',
      note: 'policy AliyunECSFullAccess was attached out of band; detached',
    });
    const series = await eventsFor('evented');
    expect(series).toHaveLength(1);
    expect(series[0]!.series?.count).toBe(3);
    expect(String(series[0]!.series?.lastObservedTime)).toBe('2026-05-06T07:10:00.000000Z');

    // A different note, or the same one after the window, is a new Event.
    await recorder.record(subject, {
      type: 'Normal',
      reason: 'Reconciled',
      action: 'Reconcile',
      note: 'in sync',
    });
    now = new Date('2026-05-06T08:00:00.000Z');
    await recorder.record(subject, {
      type: 'Warning',
      reason: 'DriftCorrected',
      action: 'Reconcile',
      note: 'policy AliyunECSFullAccess was attached out of band; detached',
    });
    expect(await eventsFor('evented')).toHaveLength(3);

    // kubectl reads core/v1 Events; the series and the note show up in `kubectl describe`.
    const { stdout } = await run('kubectl', [
      '--kubeconfig',
      kube.kubeconfigPath,
      'describe',
      'cad',
      'evented',
      '-n',
      'default',
    ]);
    expect(stdout).toMatch(/Warning\s+DriftCorrected/);
    expect(stdout).toContain('policy AliyunECSFullAccess was attached out of band; detached');
  });

  it('forgets a series once its window passes, with no further event to prune it', async () => {
    const timers = new ManualTimers();
    const start = Date.parse('2026-05-06T09:00:00.000Z');
    const recorder = new EventRecorder({
      api: kube.events,
      reportingInstance: 'replica-a',
      clock: () => new Date(start + timers.now()),
      timers,
      seriesWindowMs: 60_000,
    });
    const created = { type: 'Normal', reason: 'Created', action: 'Reconcile' } as const;
    await recorder.record(subject, { ...created, note: 'first' });
    timers.advance(20_000);
    await recorder.record(subject, { ...created, note: 'second' });
    expect(recorder.seriesCount).toBe(2);
    expect(timers.delays).toEqual([40_000]);
    timers.advance(40_000);
    expect(recorder.seriesCount).toBe(1);
    expect(timers.delays).toEqual([20_000]);
    timers.advance(20_000);
    expect(recorder.seriesCount).toBe(0);
    expect(timers.delays).toEqual([]);
  });

  it('never writes secret values into a note', async () => {
    const secret = 'Q7xv2LmN8pRt4WzY6bHc1dFg3jKs5A';
    const recorder = new EventRecorder({
      api: kube.events,
      reportingInstance: 'replica-a',
      knownSecrets: () => ['hunter2-password'],
    });
    const other: EventSubject = { ...subject, name: 'scrubbed' };
    await recorder.record(other, {
      type: 'Warning',
      reason: 'CredentialsNotFound',
      action: 'Reconcile',
      note: `bad key accessKeySecret=${secret}; password hunter2-password; ${secret}`,
    });
    const [event] = await eventsFor('scrubbed');
    expect(event!.note).not.toContain(secret);
    expect(event!.note).not.toContain('hunter2-password');
    expect(event!.note).toContain('[REDACTED]');
  });

  it('cuts long notes to the 1 KiB the API allows and never throws', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const recorder = new EventRecorder({ api: kube.events, reportingInstance: 'replica-a', logger });
    const other: EventSubject = { ...subject, name: 'long-note' };
    await recorder.record(other, {
      type: 'Normal',
      reason: 'Reconciled',
      action: 'Reconcile',
      note: 'é'.repeat(2_000),
    });
    const [event] = await eventsFor('long-note');
    expect(Buffer.byteLength(event!.note!, 'utf8')).toBeLessThanOrEqual(1024);
    // An invalid event (namespace does not match) is logged and swallowed, not thrown.
    await expect(
      recorder.record(
        { ...subject, namespace: 'no such namespace!' },
        { type: 'Normal', reason: 'X', action: 'Y', note: 'z' },
      ),
    ).resolves.toBeUndefined();
    expect(lines.join('')).toContain('could not record event');
  });
});
