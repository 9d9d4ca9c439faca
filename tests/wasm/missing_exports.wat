;; Rejected: no allocate, deallocate, interface_version_8 or memory export.
;; wat2wasm-flags:
(module
  (memory 1)
  (func (export "instantiate") (param i32 i32 i32) (result i32) (local.get 0))
)
