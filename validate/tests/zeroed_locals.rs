//! Which locals a call zeroes (`FuncBody::zeroed_locals`): the translator leaves out the locals
//! after the last one that may be read before it is written (`validate/src/func/init.rs`).

mod common;

use ember_validate::Translator;

/// `zeroed_locals` of the only function: one `i32` parameter (slot 0) and `locals` declared
/// `i32` locals (slots 1..), with `body` as its code.
#[track_caller]
fn zeroed(locals: usize, body: &str) -> u16 {
    let decl = "i32 ".repeat(locals);
    let wat = format!("(module (func (param i32) (result i32) (local {decl})\n{body}))");
    let wasm = wat::parse_str(&wat).expect("valid wat");
    let m = Translator::new().translate(&wasm).expect("translates");
    common::check_module(&m).expect("self-check");
    m.bodies[0].zeroed_locals
}

#[test]
fn straight_line_writes_before_reads_zero_nothing() {
    assert_eq!(
        zeroed(
            3,
            "i32.const 1 local.set 1 local.get 0 local.tee 2 local.get 1 i32.add"
        ),
        0
    );
    // Parameters are never zeroed; locals never read need no zero either.
    assert_eq!(zeroed(3, "local.get 0"), 0);
}

#[test]
fn a_read_before_any_write_zeroes_every_local_up_to_it() {
    // Slot 3 is the third declared local: 3 are zeroed, although slots 1 and 2 are not read.
    assert_eq!(zeroed(4, "local.get 3"), 3);
    assert_eq!(
        zeroed(4, "local.get 1 i32.const 0 local.set 1 drop local.get 1"),
        1
    );
}

#[test]
fn an_if_without_else_does_not_assign() {
    let body = "local.get 0 if i32.const 5 local.set 1 end local.get 1";
    assert_eq!(zeroed(1, body), 1);
}

#[test]
fn both_arms_of_an_if_else_assign() {
    let body =
        "local.get 0 if i32.const 5 local.set 1 else i32.const 6 local.set 1 end local.get 1";
    assert_eq!(zeroed(1, body), 0);
    // Only the `else` arm: the `then` arm's path still reaches the read unassigned.
    let body = "local.get 0 if nop else i32.const 6 local.set 1 end local.get 1";
    assert_eq!(zeroed(1, body), 1);
    // The `then` arm's write does not count inside the `else` arm.
    let body = "local.get 0 if i32.const 5 local.set 1 else local.get 1 drop end i32.const 0";
    assert_eq!(zeroed(1, body), 1);
    // An arm that leaves by a branch does not reach the end: the other arm decides.
    let body = "block local.get 0 if br 1 else i32.const 6 local.set 1 end local.get 1 drop end
                i32.const 0";
    assert_eq!(zeroed(1, body), 0);
}

#[test]
fn a_branch_taken_before_the_write_reaches_the_block_end_unassigned() {
    let body = "block local.get 0 br_if 0 i32.const 5 local.set 1 end local.get 1";
    assert_eq!(zeroed(1, body), 1);
    // Written before the branch: every path to the end has it.
    let body = "block i32.const 5 local.set 1 local.get 0 br_if 0 end local.get 1";
    assert_eq!(zeroed(1, body), 0);
    // `br_table` to the block, before the write.
    let body = "block block local.get 0 br_table 0 1 end i32.const 5 local.set 1 end local.get 1";
    assert_eq!(zeroed(1, body), 1);
    // Each of `br_table`'s targets has the write.
    let body = "block block i32.const 5 local.set 1 local.get 0 br_table 0 1 end end local.get 1";
    assert_eq!(zeroed(1, body), 0);
}

#[test]
fn inside_the_frame_that_wrote_it_a_local_stays_assigned() {
    // The write is in a block that a branch leaves early; the read is later in that block.
    let body = "block i32.const 5 local.set 1 local.get 0 br_if 0 local.get 1 drop end
                i32.const 0";
    assert_eq!(zeroed(1, body), 0);
    // Nested deeper than the write.
    let body = "block i32.const 5 local.set 1 block loop local.get 1 drop end end end i32.const 0";
    assert_eq!(zeroed(1, body), 0);
}

#[test]
fn loops() {
    // Written in the loop, read after it: the loop's end is reached only by falling through.
    let body = "loop i32.const 5 local.set 1 local.get 0 br_if 0 end local.get 1";
    assert_eq!(zeroed(1, body), 0);
    // Read at the head before the write later in the loop (the first iteration reads zero).
    let body = "loop local.get 1 drop i32.const 5 local.set 1 local.get 0 br_if 0 end i32.const 0";
    assert_eq!(zeroed(1, body), 1);
    // Leaving the loop by a branch to an outer block before the write.
    let body = "block loop local.get 0 br_if 1 i32.const 5 local.set 1 br 0 end end local.get 1";
    assert_eq!(zeroed(1, body), 1);
}

#[test]
fn functions_with_more_than_64_slots_zero_all_locals() {
    // 1 parameter + 64 locals: past the analysis's bit set, so every local is zeroed.
    assert_eq!(zeroed(64, "i32.const 1 local.set 1 local.get 1"), 64);
    // 1 + 63 fits.
    assert_eq!(zeroed(63, "i32.const 1 local.set 1 local.get 1"), 0);
}
