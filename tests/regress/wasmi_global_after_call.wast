;; Differential fuzzing (session 2): after the call to "4" below, wasmi 2.0.0 leaves global
;; "12" at -536870906; Ember and wabt's spectest-interp agree on -506. Not yet reduced or
;; classified (the module has wasm-smith's `select(1, x, i32.eqz x)` division guards, the
;; pattern of wasmi's first known miscompilation). The `env` module stands in for the
;; differential harness's host (same hashes in `f_i32` and `f_mix`).
(module $env
  (memory (export "mem") 1 4)
  (table (export "tab") 4 100 funcref)
  (table (export "tab_ext") 2 20 externref)
  (global (export "g_i64") (mut i64) (i64.const -7))
  (func (export "f0"))
  (func $mixin (param $h i64) (param $bits i64) (result i64)
    (i64.mul (i64.xor (local.get $h) (local.get $bits)) (i64.const 0x100000001b3)))
  (func (export "f_i32") (param i32) (result i32)
    (i32.wrap_i64 (call $mixin (i64.const 0xcbf29ce484222325) (i64.extend_i32_u (local.get 0)))))
  (func (export "f_mix") (param i64 f64 f32) (result f64)
    (local $h i64)
    (local.set $h (call $mixin (i64.const 0xcbf29ce484222325) (local.get 0)))
    (local.set $h (call $mixin (local.get $h)
      (if (result i64) (f64.ne (local.get 1) (local.get 1)) (then (i64.const 0x20000000000)) (else (i64.reinterpret_f64 (local.get 1))))))
    (local.set $h (call $mixin (local.get $h)
      (if (result i64) (f32.ne (local.get 2) (local.get 2)) (then (i64.const 0x10000000000)) (else (i64.extend_i32_u (i32.reinterpret_f32 (local.get 2)))))))
    (f64.convert_i64_s (local.get $h)))
  (func (export "trap") (param i32)
    (if (i32.eq (i32.and (local.get 0) (i32.const 3)) (i32.const 3)) (then unreachable))))
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
  (import "env" "f_mix" (func (;2;) (type 2)))
  (import "env" "trap" (func (;3;) (type 5)))
  (import "env" "g_i64" (global (;0;) (mut i64)))
  (import "env" "tab" (table (;0;) 4 100 funcref))
  (import "env" "tab_ext" (table (;1;) 2 20 externref))
  (func (;4;) (type 3) (param i32 i64) (result i32 i64 f32)
    (local funcref externref i32 i32)
    global.get 4
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    global.get 0
    ref.null func
    elem.drop 1
    ref.null extern
    local.tee 3
    elem.drop 0
    call 7
    local.tee 3
    call 7
    data.drop 1
    i32.const 536870911
    i32.const 1048576
    local.set 4
    i32.const 1
    local.get 4
    local.get 4
    i32.eqz
    select
    local.set 4
    local.set 5
    block  ;; label = @1
      block  ;; label = @2
        local.get 5
        local.get 4
        local.set 4
        local.tee 5
        i32.const -2147483648
        i32.ne
        br_if 0 (;@2;)
        local.get 4
        i32.const -1
        i32.ne
        br_if 0 (;@2;)
        i32.const 1
        local.set 4
        br 1 (;@1;)
      end
    end
    local.get 5
    local.get 4
    i32.div_s
    i64.extend_i32_u
    i64.extend32_s
    global.get 0
    table.size 2
    data.drop 0
    ref.null extern
    drop
    drop
    drop
    global.get 1
    i64.xor
    global.set 1
    drop
    drop
    global.get 1
    i64.xor
    global.set 1
    i32.const -32769
    i64.const -9007199254740992
    f32.const -nan:0x7f7fff (;=-nan;))
  (func (;5;) (type 3) (param i32 i64) (result i32 i64 f32)
    (local i32 i64 i64)
    global.get 4
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    i32.const 524287
    i32.popcnt
    i32.popcnt
    local.tee 0
    i32.const -1357635875
    i32.eqz
    i32.gt_s
    i64.extend_i32_u
    i64.extend32_s
    i64.clz
    i64.eqz
    local.get 1
    local.set 1
    i32.const -64
    i32.eq
    global.get 0
    i64.popcnt
    i64.extend8_s
    i64.extend16_s
    local.get 1
    i64.and
    call 4
    call 7
    data.drop 0
    i32.const 7
    local.get 0
    i32.and
    call 1
    i32.eqz
    nop
    nop
    global.get 0
    global.get 0
    i64.lt_s
    loop  ;; label = @1
      global.get 4
      i32.eqz
      if  ;; label = @2
        unreachable
      end
      global.get 4
      i32.const 1
      i32.sub
      global.set 4
      block (result funcref)  ;; label = @2
        i64.const -128
        i64.ctz
        local.get 1
        i64.sub
        i64.popcnt
        data.drop 2
        ref.null func
        loop (result i32)  ;; label = @3
          global.get 4
          i32.eqz
          if  ;; label = @4
            unreachable
          end
          global.get 4
          i32.const 1
          i32.sub
          global.set 4
          call 0
          global.get 0
          i64.const 908
          i64.shr_u
          call 0
          data.drop 0
          i64.popcnt
          call 7
          call 7
          i32.const -1899545918
          i32.popcnt
          ref.null func
          ref.null func
          call 0
          br 1 (;@2;)
          ref.null extern
          call 7
          table.size 0
          i64.const 2277500549003653345
          table.size 2
          br 0 (;@3;)
          local.get 0
          local.set 2
          i32.const 1
          local.get 2
          local.get 2
          i32.eqz
          select
          i32.div_u
          i32.const 4095
          i32.ne
          i64.extend_i32_s
          local.tee 1
          local.set 3
          i64.const 1
          local.get 3
          local.get 3
          i64.eqz
          select
          local.set 3
          local.set 4
          block  ;; label = @4
            block  ;; label = @5
              local.get 4
              local.get 3
              local.set 3
              local.tee 4
              i64.const -9223372036854775808
              i64.ne
              br_if 0 (;@5;)
              local.get 3
              i64.const -1
              i64.ne
              br_if 0 (;@5;)
              i64.const 1
              local.set 3
              br 1 (;@4;)
            end
          end
          local.get 4
          local.get 3
          i64.div_s
          i64.popcnt
          call 7
          elem.drop 1
          call 0
          table.size 1
          br_if 0 (;@3;)
          ref.null extern
          i64.const -3342499851376333802
          i64.clz
          loop (result i32)  ;; label = @4
            global.get 4
            i32.eqz
            if  ;; label = @5
              unreachable
            end
            global.get 4
            i32.const 1
            i32.sub
            global.set 4
            block  ;; label = @5
              i32.const 993582261
              elem.drop 0
              loop (result externref)  ;; label = @6
                global.get 4
                i32.eqz
                if  ;; label = @7
                  unreachable
                end
                global.get 4
                i32.const 1
                i32.sub
                global.set 4
                ref.null func
                br 0 (;@6;)
                call 7
                table.size 0
                global.get 0
                global.get 0
                i64.eq
                i32.gt_s
                i32.const -2097152
                local.get 1
                local.set 1
                elem.drop 0
                i32.eq
                br 0 (;@6;)
                br_table 4 (;@2;) 4 (;@2;)
                i64.const 72057594037927935
                local.get 1
                i64.extend32_s
                global.get 1
                i64.xor
                global.set 1
                global.get 1
                i64.xor
                global.set 1
                ref.null extern
              end
              drop
              global.get 2
              i32.xor
              global.set 2
            end
            i32.const -2097152
          end
          global.get 2
          i32.xor
          global.set 2
          global.get 1
          i64.xor
          global.set 1
          drop
          global.get 1
          i64.xor
          global.set 1
          global.get 2
          i32.xor
          global.set 2
          drop
          drop
          global.get 2
          i32.xor
          global.set 2
          global.get 1
          i64.xor
          global.set 1
          i32.const 2139095039
        end
        global.get 2
        i32.xor
        global.set 2
        drop
        global.get 1
        i64.xor
        global.set 1
        ref.null func
      end
      drop
    end
    global.get 2
    i32.xor
    global.set 2
    global.get 2
    i32.xor
    global.set 2)
  (func (;6;) (type 2) (param i64 f64 f32) (result f64)
    (local i64 i64)
    global.get 4
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    i32.const 1768651215
    elem.drop 1
    i32.extend8_s
    if  ;; label = @1
      ref.null extern
      global.get 0
      i64.eqz
      br_if 0 (;@1;)
      i64.const -1025
      i64.extend8_s
      global.get 0
      i64.popcnt
      i64.ne
      i32.const -268435456
      i32.rotl
      i64.extend_i32_s
      i32.const 13482047
      i32.extend8_s
      i64.const -9150891544520768763
      i64.popcnt
      call 7
      call 5
      i64.const -1605738456824726846
      block (result i32)  ;; label = @2
        i64.const 288230376151711743
        i64.eqz
      end
      i32.eqz
      ref.null extern
      br 0 (;@1;)
      ref.null extern
      ref.is_null
      i64.const 512
      loop (param i32 i64) (result i32 i64 f32)  ;; label = @2
        global.get 4
        i32.eqz
        if  ;; label = @3
          unreachable
        end
        global.get 4
        i32.const 1
        i32.sub
        global.set 4
        global.set 0
        i32.const -866660520
        global.get 0
        global.get 0
        i64.xor
        global.set 0
        i32.ctz
        nop
        call 1
        i32.rotr
        i64.extend_i32_u
        i32.const -17
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.and
        i32.const -17
        i32.eq
        i64.extend_i32_u
        i32.const -1473847422
        ref.null func
        local.get 0
        i64.extend8_s
        elem.drop 1
        global.get 0
        local.set 3
        i64.const 1
        local.get 3
        local.get 3
        i64.eqz
        select
        local.set 3
        local.set 4
        block  ;; label = @3
          block  ;; label = @4
            local.get 4
            local.get 3
            local.set 3
            local.tee 4
            i64.const -9223372036854775808
            i64.ne
            br_if 0 (;@4;)
            local.get 3
            i64.const -1
            i64.ne
            br_if 0 (;@4;)
            i64.const 1
            local.set 3
            br 1 (;@3;)
          end
        end
        local.get 4
        local.get 3
        i64.rem_s
        i32.wrap_i64
        i64.extend_i32_s
        i64.popcnt
        i64.eqz
        i32.popcnt
        i64.extend_i32_u
        ref.null func
        table.size 2
        loop (param i32)  ;; label = @3
          global.get 4
          i32.eqz
          if  ;; label = @4
            unreachable
          end
          global.get 4
          i32.const 1
          i32.sub
          global.set 4
          i32.clz
          loop  ;; label = @4
            global.get 4
            i32.eqz
            if  ;; label = @5
              unreachable
            end
            global.get 4
            i32.const 1
            i32.sub
            global.set 4
            local.get 1
            i32.const -1275068416
            br_if 0 (;@4;)
            data.drop 1
            call 0
            elem.drop 1
            local.set 1
            block  ;; label = @5
              block  ;; label = @6
                br 1 (;@5;)
                data.drop 1
                br 2 (;@4;)
                local.get 2
                global.get 0
                global.set 0
                i64.const 4
                nop
                loop (result i32)  ;; label = @7
                  global.get 4
                  i32.eqz
                  if  ;; label = @8
                    unreachable
                  end
                  global.get 4
                  i32.const 1
                  i32.sub
                  global.set 4
                  call 0
                  loop  ;; label = @8
                    global.get 4
                    i32.eqz
                    if  ;; label = @9
                      unreachable
                    end
                    global.get 4
                    i32.const 1
                    i32.sub
                    global.set 4
                    table.size 2
                    i32.extend16_s
                    i64.extend_i32_s
                    call 0
                    global.get 1
                    i64.xor
                    global.set 1
                  end
                  i32.const -1230768813
                end
                global.get 2
                i32.xor
                global.set 2
                global.get 1
                i64.xor
                global.set 1
                i32.reinterpret_f32
                global.get 3
                i32.xor
                global.set 3
              end
            end
          end
          global.get 2
          i32.xor
          global.set 2
        end
        drop
        global.get 1
        i64.xor
        global.set 1
        drop
        global.get 2
        i32.xor
        global.set 2
        global.get 1
        i64.xor
        global.set 1
        global.get 1
        i64.xor
        global.set 1
        i32.const 134217727
        i64.const 2129719938141650984
        f32.const 0x1.7a11a6p+32 (;=6.34294e+09;)
      end
      i32.reinterpret_f32
      global.get 3
      i32.xor
      global.set 3
      global.get 1
      i64.xor
      global.set 1
      global.get 2
      i32.xor
      global.set 2
      drop
      global.get 2
      i32.xor
      global.set 2
      global.get 1
      i64.xor
      global.set 1
      i32.reinterpret_f32
      global.get 3
      i32.xor
      global.set 3
      global.get 1
      i64.xor
      global.set 1
      global.get 2
      i32.xor
      global.set 2
      global.get 1
      i64.xor
      global.set 1
      drop
    end
    f64.const -nan:0xffff7ffffffff (;=-nan;))
  (func (;7;) (type 0)
    (local externref externref externref externref externref externref externref externref externref i64 externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref externref)
    global.get 4
    i32.eqz
    if  ;; label = @1
      unreachable
    end
    global.get 4
    i32.const 1
    i32.sub
    global.set 4
    global.get 0
    data.drop 2
    i64.const -2438260092184711281
    table.size 1
    i32.ctz
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    i32.popcnt
    local.get 15
    table.size 2
    if  ;; label = @1
    end
    ref.is_null
    if  ;; label = @1
      global.get 0
      local.set 9
      global.get 0
      i32.wrap_i64
      if  ;; label = @2
        data.drop 1
        block  ;; label = @3
          br 0 (;@3;)
          global.get 0
          loop (result funcref)  ;; label = @4
            global.get 4
            i32.eqz
            if  ;; label = @5
              unreachable
            end
            global.get 4
            i32.const 1
            i32.sub
            global.set 4
            data.drop 0
            local.get 23
            global.get 0
            loop (result externref)  ;; label = @5
              global.get 4
              i32.eqz
              if  ;; label = @6
                unreachable
              end
              global.get 4
              i32.const 1
              i32.sub
              global.set 4
              br 2 (;@3;)
              global.get 0
              i32.wrap_i64
              data.drop 1
              ref.null extern
              ref.is_null
              data.drop 1
              local.get 10
              ref.is_null
              i32.eq
              i32.lt_u
              i64.extend_i32_u
              i64.eqz
              i32.const 1024037392
              i32.lt_s
              i32.extend8_s
              local.get 32
              local.tee 11
              elem.drop 0
              table.size 2
              br 5 (;@0;)
              global.get 0
              br 0 (;@5;)
              local.get 11
              local.tee 19
              global.get 0
              i64.ctz
              i32.const 1957905534
              i32.extend8_s
              br_table 0 (;@5;) 1 (;@4;) 2 (;@3;) 3 (;@2;) 4 (;@1;) 5 (;@0;) 0 (;@5;)
              br 5 (;@0;)
              i32.const 16843009
              i32.clz
              elem.drop 1
              if  ;; label = @6
                elem.drop 0
                elem.drop 1
              else
                call 0
                call 7
                i64.const -3036943032849215616
                i32.wrap_i64
                global.get 2
                i32.xor
                global.set 2
              end
              global.get 1
              i64.xor
              global.set 1
              drop
              global.get 1
              i64.xor
              global.set 1
              global.get 2
              i32.xor
              global.set 2
              drop
              global.get 2
              i32.xor
              global.set 2
              ref.null extern
            end
            drop
            global.get 1
            i64.xor
            global.set 1
            drop
            ref.null func
          end
          drop
          global.get 1
          i64.xor
          global.set 1
        end
      end
    end
    global.get 2
    i32.xor
    global.set 2
    global.get 1
    i64.xor
    global.set 1
    global.get 1
    i64.xor
    global.set 1)
  (table (;2;) 1 907 externref)
  (global (;1;) (mut i64) (i64.const 0))
  (global (;2;) (mut i32) (i32.const 0))
  (global (;3;) (mut i32) (i32.const 0))
  (global (;4;) (mut i32) (i32.const 353))
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (func 2))
  (export "3" (func 3))
  (export "4" (func 4))
  (export "5" (func 5))
  (export "6" (func 6))
  (export "7" (func 7))
  (export "8" (table 0))
  (export "9" (table 1))
  (export "10" (table 2))
  (export "11" (global 0))
  (export "12" (global 1))
  (export "13" (global 2))
  (export "g3" (global 3))
  (elem (;0;) declare externref)
  (elem (;1;) externref)
  (data (;0;) "")
  (data (;1;) "")
  (data (;2;) "\b2"))
(assert_return (invoke "1" (i32.const 401207011)) (i32.const 592357234))
(assert_trap (invoke "3" (i32.const 306106895)) "unreachable")
(assert_return (invoke "4" (i32.const 435902105) (i64.const 5607030678112581386)) (i32.const -32769) (i64.const -9007199254740992) (f32.const nan:arithmetic))
(assert_return (get "12") (i64.const -506))
