;; engine_bad_data.wat — a data segment past the end of memory: instantiation traps (OOB).
(module
  (memory (export "memory") 1)
  (data (i32.const 65530) "0123456789")
  (func (export "f") (result i32) (i32.const 1)))
