;; Rejected: interface_version_7 is a CosmWasm 0.16-era marker, only interface_version_8 works.
;; wat2wasm-flags:
(module
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (local.get 0))
  (func (export "deallocate") (param i32))
  (func (export "interface_version_7"))
)
