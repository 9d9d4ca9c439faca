;; engine_imports.wat — host imports for tests/test_engine.c: env functions with wasmvm's
;; signatures, an allocator the host calls re-entrantly, and a call that aborts via the host.
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (import "env" "debug" (func $debug (param i32)))
  (import "env" "abort" (func $abort (param i32)))
  (import "env" "secp256k1_recover_pubkey" (func $recover (param i32 i32 i32) (result i64)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  ;; Bump allocator: returns a 12-byte Region {offset, capacity, length} followed by its data.
  (func (export "allocate") (param $size i32) (result i32)
    (local $r i32)
    (local.set $r (global.get $heap))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 12)))
    (i32.store offset=4 (local.get $r) (local.get $size))
    (i32.store offset=8 (local.get $r) (i32.const 0))
    (global.set $heap (i32.add (global.get $heap) (i32.add (local.get $size) (i32.const 12))))
    (local.get $r))
  (func (export "deallocate") (param i32))
  (func (export "read") (param i32) (result i32) (call $db_read (local.get 0)))
  (func (export "log") (param i32) (call $debug (local.get 0)))
  (func (export "fail") (param i32) (result i32) (call $abort (local.get 0)) (i32.const 7))
  (func (export "recover") (result i64) (call $recover (i32.const 1) (i32.const 2) (i32.const 3)))
)
