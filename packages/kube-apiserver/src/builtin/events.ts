/**
 * Events, served as core/v1 and as events.k8s.io/v1 from one store (kept in the core shape), so that
 * `kubectl describe`, which reads core Events, shows events written through events.k8s.io/v1.
 */
import { fieldError } from '../errors.js';
import type { ResourceType } from '../resource-type.js';
import type { FieldError } from '../schema/contract.js';
import { ageOf } from '../time-format.js';
import type { KubeObject } from '../types.js';
import { NAME_COLUMN, builtinType, pick, pickString, requireMicroTime, requireTime } from './define.js';

const EVENT_STORAGE_KEY = '/events';

/** events.k8s.io/v1 field → core/v1 field. Fields with the same name in both are copied as they are. */
const RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SHARED = [
  'metadata',
  'eventTime',
  'series',
  'action',
  'reason',
  'type',
  'related',
  'reportingInstance',
];

function convert(object: KubeObject, apiVersion: string, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: object.metadata };
  for (const field of SHARED) if (object[field] !== undefined) out[field] = object[field];
  for (const [from, to] of pairs) if (object[from] !== undefined) out[to] = object[from];
  return out;
}

const toCore = (o: KubeObject): KubeObject => convert(o, 'v1', RENAMES);
const fromCore = (o: KubeObject): KubeObject =>
  convert(
    o,
    'events.k8s.io/v1',
    RENAMES.map(([a, b]) => [b, a]),
  );

/** Field-selector labels of core Events (events.k8s.io's `regarding.*` map onto `involvedObject.*`). */
function eventFieldLabel(object: KubeObject, label: string): string | undefined {
  const name = label.replace(/^regarding\./, 'involvedObject.');
  const m = /^involvedObject\.(kind|namespace|name|uid|apiVersion|resourceVersion|fieldPath)$/.exec(name);
  if (m?.[1]) return pickString(object, 'involvedObject', m[1]) ?? '';
  switch (name) {
    case 'reason':
    case 'type':
    case 'reportingComponent':
      return pickString(object, name) ?? '';
    case 'reportingController':
      return pickString(object, 'reportingComponent') ?? '';
    case 'source':
      return pickString(object, 'source', 'component') ?? '';
    default:
      return undefined;
  }
}

function decodeCoreTimes(
  kind: string,
  version: string,
  object: KubeObject,
  firstField: string,
  lastField: string,
): void {
  requireMicroTime(kind, version, object.eventTime);
  requireMicroTime(kind, version, pick(object, 'series', 'lastObservedTime'));
  requireTime(kind, version, object[firstField]);
  requireTime(kind, version, object[lastField]);
}

function lastSeen(o: KubeObject): string {
  const ts = pick(o, 'series', 'lastObservedTime') ?? o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp;
  return ageOf(ts);
}

export const coreEventType: ResourceType = builtinType({
  group: '',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  storageKey: EVENT_STORAGE_KEY,
  hooks: {
    knownFields: [
      'apiVersion',
      'kind',
      'metadata',
      'involvedObject',
      'reason',
      'message',
      'source',
      'firstTimestamp',
      'lastTimestamp',
      'count',
      'type',
      'eventTime',
      'series',
      'action',
      'related',
      'reportingComponent',
      'reportingInstance',
    ],
    decode(object) {
      decodeCoreTimes('Event', 'v1', object, 'firstTimestamp', 'lastTimestamp');
    },
    validate(object) {
      const errors: FieldError[] = [];
      const ns = pickString(object, 'involvedObject', 'namespace');
      if (ns && ns !== object.metadata.namespace) {
        errors.push(
          fieldError(
            'FieldValueInvalid',
            'involvedObject.namespace',
            'does not match event.namespace',
            JSON.stringify(ns),
          ),
        );
      }
      return errors;
    },
    fieldLabel: eventFieldLabel,
    table: {
      columns: [
        {
          name: 'Last Seen',
          type: 'string',
          description: 'When the event was last seen',
          jsonPath: '.lastTimestamp',
        },
        { name: 'Type', type: 'string', description: 'Normal or Warning', jsonPath: '.type' },
        { name: 'Reason', type: 'string', description: 'Why the event happened', jsonPath: '.reason' },
        {
          name: 'Object',
          type: 'string',
          description: 'The object the event is about',
          jsonPath: '.involvedObject',
        },
        {
          name: 'Message',
          type: 'string',
          description: 'A human-readable description',
          jsonPath: '.message',
        },
        { ...NAME_COLUMN, priority: 1 },
      ],
      cells: (o) => [
        lastSeen(o),
        o.type ?? '',
        o.reason ?? '',
        `${(pickString(o, 'involvedObject', 'kind') ?? '').toLowerCase()}/${pickString(o, 'involvedObject', 'name') ?? ''}`,
        o.message ?? '',
        o.metadata.name,
      ],
    },
  },
});

const REQUIRED_V1 = ['reportingController', 'reportingInstance', 'action', 'reason'];

export const eventsV1Type: ResourceType = builtinType({
  group: 'events.k8s.io',
  version: 'v1',
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  storageKey: EVENT_STORAGE_KEY,
  hooks: {
    knownFields: [
      'apiVersion',
      'kind',
      'metadata',
      'eventTime',
      'series',
      'reportingController',
      'reportingInstance',
      'action',
      'reason',
      'regarding',
      'related',
      'note',
      'type',
      'deprecatedSource',
      'deprecatedFirstTimestamp',
      'deprecatedLastTimestamp',
      'deprecatedCount',
    ],
    decode(object) {
      decodeCoreTimes('Event', 'v1', object, 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp');
    },
    validate(object) {
      // Runs on the stored (core) shape: map the names back for the messages.
      const v1 = fromCore(object);
      const errors: FieldError[] = [];
      if (!v1.eventTime) errors.push(fieldError('FieldValueRequired', 'eventTime', ''));
      for (const field of REQUIRED_V1) {
        if (!v1[field]) errors.push(fieldError('FieldValueRequired', field, ''));
      }
      if (v1.type !== 'Normal' && v1.type !== 'Warning') {
        errors.push(
          fieldError(
            'FieldValueNotSupported',
            'type',
            'supported values: "Normal", "Warning"',
            JSON.stringify(v1.type ?? ''),
          ),
        );
      }
      const ns = pickString(v1, 'regarding', 'namespace');
      if (ns && ns !== v1.metadata.namespace) {
        errors.push(
          fieldError(
            'FieldValueInvalid',
            'regarding.namespace',
            'does not match event.namespace',
            JSON.stringify(ns),
          ),
        );
      }
      return errors;
    },
    fieldLabel: eventFieldLabel,
    toStorage: toCore,
    fromStorage: fromCore,
    table: coreEventType.hooks.table,
  },
});
