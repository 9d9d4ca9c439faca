;; engine_gas_names.wat — a module whose name section gives one of its own (i64) -> () functions
;; the charge function's name, hs_gas_charge (tests/test_gas_inject.c: names_cannot_clash).
;; wat2wasm-flags: --debug-names
(module
  (func $hs_gas_charge (param i64)
    nop)
  (func (export "run") (result i32)
    i64.const 5
    call $hs_gas_charge
    i32.const 7))
