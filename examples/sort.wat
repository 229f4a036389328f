;; Insertion sort of pseudo-random i32s in linear memory.
;;   ember run examples/sort.wat --invoke sort_check 1000   => 1 (sorted)
;;   ember run examples/sort.wat --invoke sum 1000          => sum of the generated values
(module
  (memory 1)

  ;; Fills memory[0 .. 4n) with n values from a linear congruential generator.
  (func $fill (param $n i32)
    (local $i i32) (local $x i32)
    (local.set $x (i32.const 12345))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.shr_u (local.get $x) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func $sort (param $n i32)
    (local $i i32) (local $j i32) (local $key i32)
    (local.set $i (i32.const 1))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $key (i32.load (i32.shl (local.get $i) (i32.const 2))))
        (local.set $j (local.get $i))
        (block $placed
          (loop $shift
            (br_if $placed (i32.eqz (local.get $j)))
            (br_if $placed
              (i32.le_s
                (i32.load (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2)))
                (local.get $key)))
            (i32.store (i32.shl (local.get $j) (i32.const 2))
              (i32.load (i32.shl (i32.sub (local.get $j) (i32.const 1)) (i32.const 2))))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $shift)))
        (i32.store (i32.shl (local.get $j) (i32.const 2)) (local.get $key))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer))))

  ;; Generates n values (n <= 16384), sorts them; returns 1 if the result is sorted.
  (func (export "sort_check") (param $n i32) (result i32)
    (local $i i32)
    (if (i32.gt_u (local.get $n) (i32.const 16384)) (then (unreachable)))
    (call $fill (local.get $n))
    (call $sort (local.get $n))
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.gt_s
              (i32.load (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 2)))
              (i32.load (i32.shl (local.get $i) (i32.const 2))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  ;; Sum (wrapping) of the n generated values.
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (if (i32.gt_u (local.get $n) (i32.const 16384)) (then (unreachable)))
    (call $fill (local.get $n))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s)))
