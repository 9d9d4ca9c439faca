;; Rejected by Ballast's no-float rule: a float global, float locals, float const.
;; wat2wasm-flags:
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (local.get 0))
  (global $g f32 (f32.const 1.5))
  (func (local f32 i32 f64) (local.set 0 (global.get $g)))
)
