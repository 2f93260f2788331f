import { httpStatusOf } from './kube-clients.js';

/**
 * Repeats a Kubernetes read that failed transiently (a 5xx, a 429, or no answer at all), a few times
 * with a short growing delay, before the failure fails the pass. A read is always safe to repeat, and
 * a pass that fails costs a full retry with per-key backoff: one flaky GET among the several a pass
 * makes would otherwise push revocations behind exponential delays. Writes are not repeated here.
 */
export async function readWithRetry<T>(
  read: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const status = httpStatusOf(error);
      const transient = status === undefined || status === 429 || status >= 500;
      if (!transient || attempt >= READ_ATTEMPTS) throw error;
      await sleep(status === 429 ? 1_000 : 100 * 2 ** (attempt - 1));
    }
  }
}

const READ_ATTEMPTS = 3;
