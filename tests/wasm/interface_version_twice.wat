;; Rejected: two interface_version_* markers; allocate exported as a global.
;; wat2wasm-flags:
(module
  (memory (export "memory") 1)
  (global (export "allocate") i32 (i32.const 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_8"))
  (func (export "interface_version_9"))
)
