;; Differential fuzzing (session 2): wasmi 2.0.0 grows the imported memory during the call to
;; "3" below (to 2 pages); Ember and wabt's spectest-interp leave it at 1 page. The divisor of the
;; `i32.rem_u` that feeds `memory.grow` is wasm-smith's `select(1, x, i32.eqz x)` guard, the
;; pattern of wasmi's first known miscompilation (tests/regress/wasmi_select_eqz_div.wast).
;; The `env` module stands in for the differential harness's host (same hash in `f_i32`).
(module $env
  (memory (export "mem") 1 4)
  (table (export "tab") 4 100 funcref)
  (table (export "tab_ext") 2 20 externref)
  (func (export "f0"))
  (func (export "f_i32") (param i32) (result i32)
    (i32.wrap_i64 (i64.mul (i64.xor (i64.const 0xcbf29ce484222325) (i64.extend_i32_u (local.get 0)))
                           (i64.const 0x100000001b3))))
  (func (export "trap") (param i32)
    (if (i32.eq (i32.and (local.get 0) (i32.const 3)) (i32.const 3)) (then unreachable)))
  (func (export "size") (result i32) memory.size))
(register "env" $env)
(module
  (type (;0;) (func))
  (type (;1;) (func (param i32) (result i32)))
  (type (;2;) (func (param i64 f64 f32) (result f64)))
  (type (;3;) (func (param i32 i64) (result i32 i64 f32)))
  (type (;4;) (func (param funcref externref) (result externref i32)))
  (type (;5;) (func (param i32)))
  (import "env" "f0" (func (;0;) (type 0)))
  (import "env" "f_i32" (func (;1;) (type 1)))
  (import "env" "trap" (func (;2;) (type 5)))
  (import "env" "mem" (memory (;0;) 1 4))
  (import "env" "tab" (table (;0;) 4 100 funcref))
  (import "env" "tab_ext" (table (;1;) 2 20 externref))
  (func (;3;) (type 5) (param i32)
    (local externref i64 i32 externref i32 i32 i32 i32 i64)
    global.get 2
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    block  ;; label = @1
      loop  ;; label = @2
        global.get 2
        i32.eqz
        if  ;; label = @3
          unreachable
        end
        global.get 2
        i32.const 1
        i32.sub
        global.set 2
        table.size 0
        local.set 5
        block  ;; label = @3
          block  ;; label = @4
            memory.size
            i32.const 65536
            i32.mul
            i32.const 44179
            local.get 5
            i32.add
            i32.le_u
            br_if 0 (;@4;)
            local.get 5
            i32.const 0
            i32.le_s
            br_if 0 (;@4;)
            local.get 5
            i32.load16_u offset=44175 align=1
            local.set 6
            br 1 (;@3;)
          end
          i32.const 0
          local.set 6
        end
        local.get 6
        call 1
        i32.const 67108863
        local.tee 0
        data.drop 0
        local.set 7
        i32.const 1
        local.get 7
        local.get 7
        i32.eqz
        select
        i32.rem_u
        i32.eqz
        local.get 1
        local.set 1
        memory.grow
        local.set 8
        block  ;; label = @3
          block  ;; label = @4
            memory.size
            i32.const 65536
            i32.mul
            i32.const 11254
            local.get 8
            i32.add
            i32.le_u
            br_if 0 (;@4;)
            local.get 8
            i32.const 0
            i32.le_s
            br_if 0 (;@4;)
            local.get 8
            i64.load8_s offset=11246
            local.set 9
            br 1 (;@3;)
          end
          i64.const 0
          local.set 9
        end
        local.get 9
        i32.wrap_i64
        memory.size
        table.size 2
        global.get 0
        i32.xor
        global.set 0
        global.get 0
        i32.xor
        global.set 0
        global.get 0
        i32.xor
        global.set 0
      end
    end)
  (func (;4;) (type 3) (param i32 i64) (result i32 i64 f32)
    (local i32 i64 i32 i64)
    global.get 2
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 2
    i32.const 1
    i32.sub
    global.set 2
    ref.null func
    call 0
    ref.null func
    memory.size
    loop (param i32)  ;; label = @1
      global.get 2
      i32.eqz
      if  ;; label = @2
        unreachable
      end
      global.get 2
      i32.const 1
      i32.sub
      global.set 2
      local.set 2
      block  ;; label = @2
        block  ;; label = @3
          memory.size
          i32.const 65536
          i32.mul
          i32.const 57193
          local.get 2
          i32.add
          i32.le_u
          br_if 0 (;@3;)
          local.get 2
          i32.const 0
          i32.le_s
          br_if 0 (;@3;)
          local.get 2
          i64.load8_s offset=57185
          local.set 3
          br 1 (;@2;)
        end
        i64.const 0
        local.set 3
      end
      local.get 3
      i32.wrap_i64
      local.set 4
      block  ;; label = @2
        block  ;; label = @3
          memory.size
          i32.const 65536
          i32.mul
          i32.const 39358
          local.get 4
          i32.add
          i32.le_u
          br_if 0 (;@3;)
          local.get 4
          i32.const 0
          i32.le_s
          br_if 0 (;@3;)
          local.get 4
          i64.load offset=39350 align=2
          local.set 5
          br 1 (;@2;)
        end
        i64.const 0
        local.set 5
      end
      local.get 5
      i64.popcnt
      memory.size
      call 3
      i64.clz
      table.size 2
      br 0 (;@1;)
      local.set 1
      ref.null func
      block (result funcref)  ;; label = @2
        i32.const 268435456
        br 1 (;@1;)
        ref.null extern
        local.get 1
        block  ;; label = @3
          i64.const -1125899906842624
          global.get 1
          i64.xor
          global.set 1
        end
        global.get 1
        i64.xor
        global.set 1
        drop
        ref.null func
      end
      drop
      drop
    end
    drop
    drop
    i32.const 131072
    i64.const 7410953856802997375
    f32.const 0x1.3341cep-35 (;=3.49311e-11;))
  (table (;2;) 2 406 externref)
  (global (;0;) (mut i32) (i32.const 0))
  (global (;1;) (mut i64) (i64.const 0))
  (global (;2;) (mut i32) (i32.const 766))
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (func 2))
  (export "3" (func 3))
  (export "4" (func 4))
  (export "5" (table 0))
  (export "6" (table 1))
  (export "7" (table 2))
  (export "8" (memory 0))
  (export "9" (global 0))
  (export "E\e9\9b\bb8" (global 1))
  (data (;0;) "\e7")
  (data (;1;) (i32.const 0) "\7f")
  (data (;2;) "R\b2"))
(assert_return (invoke "1" (i32.const 698026599)) (i32.const 832641830))
(invoke "3" (i32.const 170377569))
(assert_return (invoke $env "size") (i32.const 1))
