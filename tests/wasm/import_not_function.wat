;; Rejected: a supported import name used for a global, and an imported memory.
;; wat2wasm-flags:
(module
  (import "env" "db_read" (global i32))
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
)
