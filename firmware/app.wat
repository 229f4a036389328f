;; The program every firmware build runs: recursion, a memory-heavy sort and hash, a host
;; function, and a trap.
(module
  (import "env" "print" (func $print (param i32)))
  (memory (export "memory") 1)

  ;; Recursive Fibonacci.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; Fills n u32s with an LCG, insertion-sorts them, checks the order, prints and returns an
  ;; FNV-1a hash of the sorted bytes (-1 if the order is wrong).
  (func (export "sort_hash") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $x i32) (local $seed i32) (local $h i32) (local $v i32)
    (local.set $seed (i32.const 12345))
    (loop $fill
      (local.set $seed (i32.add (i32.mul (local.get $seed) (i32.const 1103515245)) (i32.const 12345)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.shr_u (local.get $seed) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $i (i32.const 1))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.load (i32.shl (local.get $i) (i32.const 2))))
        (local.set $j (local.get $i))
        (block $placed
          (loop $shift
            (br_if $placed (i32.eqz (local.get $j)))
            (local.set $v (i32.load (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2))))
            (br_if $placed (i32.le_u (local.get $v) (local.get $x)))
            (i32.store (i32.shl (local.get $j) (i32.const 2)) (local.get $v))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $shift)))
        (i32.store (i32.shl (local.get $j) (i32.const 2)) (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $h (i32.const 0x811c9dc5))
    (local.set $i (i32.const 0))
    (block $bad
      (loop $hash
        (if (local.get $i)
          (then
            (if (i32.gt_u (i32.load (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 2)))
                          (i32.load (i32.shl (local.get $i) (i32.const 2))))
              (then (local.set $h (i32.const -1)) (br $bad)))))
        (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load (i32.shl (local.get $i) (i32.const 2))))
                               (i32.const 16777619)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $hash (i32.lt_u (local.get $i) (local.get $n)))))
    (call $print (local.get $h))
    (local.get $h))

  ;; Divides by its argument: traps (integer divide by zero) when it is 0.
  (func (export "divide") (param $d i32) (result i32)
    (i32.div_u (i32.const 1000) (local.get $d))))
