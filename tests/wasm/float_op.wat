;; Rejected by Ballast's no-float rule: f64 params, result and operators.
;; wat2wasm-flags:
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (local.get 0))
  (func (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
)
