;; engine_bad_import.wat — imports a function the host does not provide: load must fail.
(module
  (import "env" "memcpy" (func (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1))
