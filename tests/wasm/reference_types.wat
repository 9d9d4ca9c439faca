;; Rejected: reference-types operators and an externref param.
;; wat2wasm-flags:
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (local.get 0))
  (table $t 1 1 funcref)
  (func $r (param externref) (result i32) (ref.is_null (local.get 0)))
  (elem declare func $r)
  (func (result funcref) (ref.func $r))
)
