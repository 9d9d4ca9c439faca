;; Passes: sign-ext operators and an exported mutable global are in CosmWasm's feature set.
;; wat2wasm-flags:
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (local.get 0))
  (global $g (export "counter") (mut i32) (i32.const 0))
  (func (param i32) (result i32) (i32.extend8_s (local.get 0)) (global.set $g (i32.const 1)))
)
