;; engine_bad_signature.wat — env.db_read with the wrong signature: load must fail.
(module
  (import "env" "db_read" (func (param i64) (result i32)))
  (memory (export "memory") 1))
