;; Hostile: {"boom":{}} loads beyond the end of memory (an out-of-bounds trap).
;; Used by tests/test_hostile.c; assembled into build/tests/wasm/ by tests/wasm-check.mk.
;; wat2wasm-flags:
(module
  (import "env" "db_read" (func $db_read (param i32) (result i32)))
  (import "env" "db_write" (func $db_write (param i32 i32)))
  (memory (export "memory") 1)
  ;; Layout: regions at 128.., JSON results at 256.., key "k" and value "x" at 700; heap from 4096.
  (data (i32.const 128) "\00\01\00\00\3e\00\00\00\3e\00\00\00")
  (data (i32.const 160) "\00\02\00\00\11\00\00\00\11\00\00\00")
  (data (i32.const 176) "\58\02\00\00\15\00\00\00\15\00\00\00")
  (data (i32.const 192) "\bc\02\00\00\01\00\00\00\01\00\00\00")
  (data (i32.const 208) "\bd\02\00\00\01\00\00\00\01\00\00\00")
  (data (i32.const 256) "{\"ok\":{\"messages\":[],\"attributes\":[],\"events\":[],\"data\":null}}")
  (data (i32.const 512) "{\"ok\":\"bnVsbA==\"}")
  (data (i32.const 600) "{\"ok\":\"InRvdWNoZWQi\"}")
  (data (i32.const 700) "kx")
  (global $heap (mut i32) (i32.const 4096))
  ;; allocate(n): a Region {offset, capacity n, length 0} followed by its n bytes (bump heap).
  (func (export "allocate") (param $n i32) (result i32)
    (local $r i32) (local $end i32)
    (local.set $r (global.get $heap))
    (local.set $end (i32.and (i32.add (i32.add (local.get $r) (i32.const 19)) (local.get $n))
                             (i32.const -8)))
    (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
      (then (drop (memory.grow (i32.sub (i32.add (i32.shr_u (local.get $end) (i32.const 16))
                                                 (i32.const 1)) (memory.size))))))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 12)))
    (i32.store offset=4 (local.get $r) (local.get $n))
    (i32.store offset=8 (local.get $r) (i32.const 0))
    (global.set $heap (local.get $end))
    (local.get $r))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "instantiate") (param i32 i32 i32) (result i32) (i32.const 128))
  ;; query: "null" while key "k" is absent, "touched" once a (committed) execute wrote it.
  (func (export "query") (param i32 i32) (result i32)
    (if (result i32) (call $db_read (i32.const 192))
      (then (i32.const 176)) (else (i32.const 160))))
  ;; The first byte of the msg's first key: 'b' ({"boom":…}) misbehaves, anything else is benign.
  (func $msg_tag (param $msg i32) (result i32)
    (i32.load8_u offset=2 (i32.load (local.get $msg))))
  (func (export "execute") (param $env i32) (param $info i32) (param $msg i32) (result i32)
    (if (i32.ne (call $msg_tag (local.get $msg)) (i32.const 98)) (then (return (i32.const 128))))
    (call $db_write (i32.const 192) (i32.const 208)) ;; a write that must be rolled back
    (i32.load (i32.const 0x7ffffff0))
  )
)
