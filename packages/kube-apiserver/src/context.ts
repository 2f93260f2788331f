/** The server's shared state, passed to every handler (no module-level singletons). */
import type { ResourceRegistry } from './registry.js';
import type { CompileCrd } from './schema/contract.js';
import type { ObjectStore } from './store.js';

export interface ServerContext {
  store: ObjectStore;
  registry: ResourceRegistry;
  compileCrd: CompileCrd;
  /** Wall clock, injectable for tests. */
  now(): Date;
}
