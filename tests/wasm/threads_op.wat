;; Rejected: a shared memory and an atomic load (threads).
;; wat2wasm-flags: --enable-threads
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (local.get 0))
  (func (param i32) (result i32) (i32.atomic.load (local.get 0)))
)
