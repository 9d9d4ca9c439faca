;; engine_gas.wat — functions with hand-computed wasmvm gas for tests/test_gas_inject.c
;; (115 per operator, 1610 for loop/end/if/else/br/br_if/br_table/call/call_indirect/return,
;; charged before each of those for the operators since the previous one).
(module
  (memory (export "memory") 1)
  ;; i32.const, i32.const, i32.add, end: 3 * 115 + 1610 = 1955.
  (func (export "straight") (result i32) (i32.add (i32.const 1) (i32.const 2)))
  ;; Counts down n: 5290 + 3910 * n (see test_gas_inject.c).
  (func (export "countdown") (param i32) (result i32)
    (local i32)
    block
      loop
        local.get 0
        i32.eqz
        br_if 1
        local.get 0
        i32.const 1
        i32.sub
        local.set 0
        br 0
      end
    end
    local.get 1)
  (func $seven (result i32) (i32.const 7))
  ;; call (1610) + callee (1725) + end (1610) = 4945.
  (func (export "caller") (result i32) (call $seven))
  ;; br_table: target 0 → 3910, target 1 and default → 3680.
  (func (export "table") (param i32) (result i32)
    block
      block
        local.get 0
        br_table 0 1
      end
      i32.const 10
      i32.const 1
      i32.add
      return
    end
    i32.const 20)
  ;; if/else: 1725 (local.get, if) + 1725 (const, else | const, end) + 1610 (end) = 5060.
  (func (export "choose") (param i32) (result i32)
    local.get 0
    if (result i32)
      i32.const 1
    else
      i32.const 2
    end)
  (func (export "spin") (loop $l (br $l)))
  (func $deep (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "deep") (param i32) (result i32) (call $deep (local.get 0)))
)
