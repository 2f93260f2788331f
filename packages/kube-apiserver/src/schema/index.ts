/**
 * Entry point of the CRD schema machinery: compiles a CustomResourceDefinition's served versions into
 * prune/default/validate functions, as the real apiextensions-apiserver does.
 */
export { compileCrd } from './compile-crd.js';
export type { CompileCrd, CompileResult, CompiledCrd, FieldError, VersionSchema } from './contract.js';
