/**
 * The parts of the yaml library meshlet uses. It is loaded through load-yaml.ts: most rule files
 * are read by the fast reader (fast-yaml.ts) and the library is needed only for other YAML, for the
 * position of a finding, and for meshlet.io annotations.
 */
export { Composer, LineCounter, Parser, parse, parseDocument, isCollection, isScalar, isPair, isMap, isSeq, visit, Scalar } from 'yaml'
