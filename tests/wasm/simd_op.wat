;; Rejected: SIMD (v128 locals and v128.const, i8x16.add).
;; wat2wasm-flags:
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (local.get 0))
  (func (local v128) (local.set 0 (i8x16.add (v128.const i32x4 1 2 3 4) (local.get 0))))
)
