;; Differential fuzzing (seed 159 of tests/tests/differential.rs, shrunk with `wasm-tools shrink`):
;; wasmi 2.0.0 traps with "integer divide by zero" here, but the divisor is
;; `select(1, x, i32.eqz x)` = 1 (x is an untouched local, 0), so no trap is the right answer.
;; Ember gets it right; this keeps it that way. The differential check treats this wasmi trap
;; in `disallow_traps` modules as inconclusive (tests/differential/mod.rs, known_wasmi_bug).
(module $env
  (global (export "g_ref") (mut funcref) (ref.null func)))
(register "env" $env)

(module
  (type (;0;) (func (param i64 f64 f32) (result f64)))
  (import "env" "g_ref" (global (;0;) (mut funcref)))
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 1)
  (export "f" (func 0))
  (func (;0;) (type 0) (param i64 f64 f32) (result f64)
    (local i64 i32 f64 i32 i32 i32 i32 i32)
    i32.const 0
    if ;; label = @1
      unreachable
    end
    global.get 4
    global.set 4
    block ;; label = @1
      block ;; label = @2
        local.get 4
        br_if 0 (;@2;)
        local.get 4
        br_if 0 (;@2;)
        nop
        br 1 (;@1;)
      end
    end
    local.get 5
    ref.null extern
    global.get 0
    f32.const 0x1.e1e3dp-40 (;=0.0000000000017120168;)
    i64.const 0
    i32.const 1
    local.set 6
    block ;; label = @1
      block ;; label = @2
        i32.const 0
        local.get 6
        i32.add
        br_if 0 (;@2;)
        i32.const 0
        br_if 0 (;@2;)
        br 1 (;@1;)
      end
      i32.const 0
      local.set 7
    end
    local.get 7
    i32.const 1
    local.get 8
    local.get 8
    i32.eqz
    select
    i32.div_u
    local.set 9
    block ;; label = @1
      block ;; label = @2
        local.get 9
        br_if 0 (;@2;)
        i32.const 0
        br_if 0 (;@2;)
        br 1 (;@1;)
      end
    end
    local.get 10
    i32.const 0
    block (result i64) ;; label = @1
      i64.const 1
    end
    global.get 1
    i64.xor
    global.set 1
    i32.const 1
    i32.xor
    global.set 2
    global.get 2
    i32.xor
    global.set 2
    global.get 1
    i64.xor
    global.set 1
    i32.reinterpret_f32
    i32.const 1
    i32.xor
    global.set 3
    drop
    drop
  )
)

(assert_return (invoke "f" (i64.const 0) (f64.const 0) (f32.const 0)) (f64.const 0))
