;; Sieve of Eratosthenes in linear memory: counts the primes below n (n <= 1048576).
;;   ember run examples/sieve.wat --invoke count_primes 1000000   => 78498
(module
  (memory 16)
  (func (export "count_primes") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (if (i32.gt_u (local.get $n) (i32.const 1048576)) (then (unreachable)))
    ;; memory[i] = 1 means "i is composite"; start from all zeros.
    (memory.fill (i32.const 0) (i32.const 0) (local.get $n))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $marked
              ;; i*i may overflow for large i; i >= 65536 means i*i >= n anyway.
              (br_if $marked (i32.ge_u (local.get $i) (i32.const 65536)))
              (loop $mark
                (br_if $marked (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $mark)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $count)))
