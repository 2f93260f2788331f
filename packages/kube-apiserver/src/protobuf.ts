/**
 * Decodes the Kubernetes protobuf encoding for the request bodies kubectl sends that way: its typed
 * clients (`kubectl create secret|configmap|namespace|serviceaccount|role|...`, `create token`,
 * `auth can-i`, `auth whoami`) post `application/vnd.kubernetes.protobuf`. The envelope is the 4-byte
 * magic `k8s\0` and a runtime.Unknown {typeMeta, raw}; `raw` is the object in the field numbering of
 * k8s.io/api's generated.proto (protobuf-kinds.ts). Only the kinds kubectl creates are known. Go's
 * generated code writes every non-pointer field, so a zero value there is treated as unset, as the JSON
 * encoding would omit it; pointer fields (`optBool`, `optInt64`) keep their zero values.
 */
import { unsupportedMediaType, badRequest } from './errors.js';
import { PROTOBUF_KINDS, type Message } from './protobuf-kinds.js';
import { str, type JsonObject } from './types.js';

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw badRequest('protobuf: truncated varint');
      const byte = this.buf[this.pos++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw badRequest('protobuf: truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wireType}`);
  }
}

function decodeEntry(buf: Buffer, valueAsBase64: boolean): [string, string] {
  const r = new Reader(buf);
  let key = '';
  let value = '';
  while (!r.done()) {
    const tag = Number(r.varint());
    if (tag >> 3 === 1 && (tag & 7) === 2) key = r.bytes().toString('utf8');
    else if (tag >> 3 === 2 && (tag & 7) === 2) {
      const bytes = r.bytes();
      value = valueAsBase64 ? bytes.toString('base64') : bytes.toString('utf8');
    } else r.skip(tag & 7);
  }
  return [key, value];
}

function decodeTime(buf: Buffer): string | undefined {
  const r = new Reader(buf);
  let seconds = 0n;
  while (!r.done()) {
    const tag = Number(r.varint());
    if (tag >> 3 === 1 && (tag & 7) === 0) seconds = r.varint();
    else r.skip(tag & 7);
  }
  return seconds === 0n
    ? undefined
    : new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeMessage(buf: Buffer, message: Message): JsonObject {
  const r = new Reader(buf);
  const out: JsonObject = {};
  while (!r.done()) {
    const tag = Number(r.varint());
    const field = message[tag >> 3];
    if (!field) {
      r.skip(tag & 7);
      continue;
    }
    switch (field.type) {
      case 'string': {
        const s = r.bytes().toString('utf8');
        if (s) out[field.name] = s;
        break;
      }
      case 'bytes':
        out[field.name] = r.bytes().toString('base64');
        break;
      case 'int64': {
        const n = BigInt.asIntN(64, r.varint());
        if (n !== 0n) out[field.name] = Number(n);
        break;
      }
      case 'bool':
        if (r.varint() !== 0n) out[field.name] = true;
        break;
      case 'optBool':
        out[field.name] = r.varint() !== 0n;
        break;
      case 'optInt64':
        out[field.name] = Number(BigInt.asIntN(64, r.varint()));
        break;
      case 'time': {
        const t = decodeTime(r.bytes());
        if (t) out[field.name] = t;
        break;
      }
      case 'strings':
        ((out[field.name] ??= []) as string[]).push(r.bytes().toString('utf8'));
        break;
      case 'stringMap':
      case 'bytesMap': {
        const [k, v] = decodeEntry(r.bytes(), field.type === 'bytesMap');
        ((out[field.name] ??= {}) as Record<string, string>)[k] = v;
        break;
      }
      case 'message':
        out[field.name] = decodeMessage(r.bytes(), field.message);
        break;
      case 'messages':
        ((out[field.name] ??= []) as JsonObject[]).push(decodeMessage(r.bytes(), field.message));
        break;
    }
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a `application/vnd.kubernetes.protobuf` body into the object's JSON form. */
export function decodeKubernetesProtobuf(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest('protobuf: missing the k8s envelope magic');
  const envelope = decodeMessage(body.subarray(4), {
    1: {
      name: 'typeMeta',
      type: 'message',
      message: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
    },
    2: { name: 'raw', type: 'bytes' },
  });
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const key = `${typeMeta.apiVersion ?? ''}/${typeMeta.kind ?? ''}`;
  const message = PROTOBUF_KINDS[key];
  if (!message) {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf only for ${Object.keys(PROTOBUF_KINDS).join(', ')}; got ${key})`,
    );
  }
  const object = decodeMessage(Buffer.from(str(envelope.raw), 'base64'), message);
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...object };
}
