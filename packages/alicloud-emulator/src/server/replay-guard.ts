import { wireErrors } from './wire-errors.js';

/** How far a request's timestamp may be from the emulator's clock, either way (the real services: 15 min). */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Parses the ISO 8601 UTC timestamp of `x-acs-date` or v1 `Timestamp` (`2026-01-02T03:04:05Z`). */
export function parseIsoTimestamp(value: string): number {
  const ms = ISO_TIMESTAMP.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw wireErrors.timestampFormat(value);
  return ms;
}

/** Parses the RFC 1123 `Date` header the EventBridge SDK sends (`Mon, 23 Nov 2026 09:00:00 GMT`). */
export function parseHttpDate(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw wireErrors.timestampFormat(value);
  return ms;
}

export interface ReplayGuardOptions {
  /** How long a used nonce is remembered at least; defaults to the clock-skew window. */
  windowMs?: number;
  /**
   * Bound on remembered nonces per generation (two generations are kept). Past it the older generation is
   * dropped early: memory stays bounded, at the price of a shorter replay memory under extreme load.
   */
  maxNoncesPerGeneration?: number;
}

/**
 * Refuses stale requests and replays. Timestamps further than 15 minutes from now are expired; a nonce
 * may be used once per AccessKey. Nonces live in two generations that rotate every window, so each is
 * remembered for between one and two windows: longer than a timestamp stays acceptable.
 */
export class ReplayGuard {
  private readonly windowMs: number;
  private readonly maxPerGeneration: number;
  private current = new Set<string>();
  private previous = new Set<string>();
  private generationStartedAt: number | undefined;

  constructor(options: ReplayGuardOptions = {}) {
    this.windowMs = options.windowMs ?? MAX_CLOCK_SKEW_MS;
    this.maxPerGeneration = options.maxNoncesPerGeneration ?? 250_000;
  }

  checkTimestamp(sentAtMs: number, nowMs: number): void {
    if (Math.abs(nowMs - sentAtMs) > MAX_CLOCK_SKEW_MS) throw wireErrors.timestampExpired();
  }

  /** Records the nonce, or throws SignatureNonceUsed when this AccessKey already used it. */
  claimNonce(accessKeyId: string, nonce: string, nowMs: number): void {
    this.rotate(nowMs);
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.current.has(key) || this.previous.has(key)) throw wireErrors.nonceUsed();
    this.current.add(key);
  }

  clear(): void {
    this.current = new Set();
    this.previous = new Set();
    this.generationStartedAt = undefined;
  }

  private rotate(nowMs: number): void {
    if (this.generationStartedAt === undefined) this.generationStartedAt = nowMs;
    if (nowMs - this.generationStartedAt >= this.windowMs || this.current.size >= this.maxPerGeneration) {
      this.previous = this.current;
      this.current = new Set();
      this.generationStartedAt = nowMs;
    }
  }
}
