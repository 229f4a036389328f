//! The executor: interprets bytecode with an explicit frame stack.
//!
//! [`invoke`] runs a store function. Wasm functions run in [`Executor::run`], a loop over
//! [`ember_bytecode::dispatch`]; the [`Visit`](ember_bytecode::Visit) implementation (one method
//! per instruction of the ISA table, in `visit.rs`) makes a missing handler a compile error.
//! Calls between wasm functions push a [`Frame`](stack::Frame) record and never recurse natively.

mod calls;
#[cfg(ember_compact_loop)]
mod compact;
mod fast;
mod float;
mod memory;
mod numeric;
#[cfg(feature = "op-stats")]
pub mod op_stats;
mod stack;
mod table;
#[cfg(ember_tail_dispatch)]
mod threaded;
mod visit;

#[cfg(test)]
mod tests;

pub(crate) use stack::Stack;
#[cfg(ember_tail_dispatch)]
pub(crate) use threaded::{GAP, effect, write_handler};

/// Bytes in front of each instruction in the code the executor runs: none for the portable
/// loop, which runs the stored bytecode. (Tail dispatch keeps each instruction's handler
/// there: see `threaded.rs` and `ModuleInner::view`.)
#[cfg(not(ember_tail_dispatch))]
pub(crate) const GAP: usize = 0;

use crate::error::{Trap, TrapCode};
use crate::module::ModuleInner;
use crate::store::{Caller, FuncEntity, Store};
use crate::value::Val;
use alloc::rc::Rc;
use ember_bytecode::Slot;
use ember_bytecode::module::FuncBody;
use ember_bytecode::msg;

/// Why the run loop must leave its inner dispatch loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// A spec trap.
    Trap(TrapCode),
    /// A host function failed; the trap is in `Executor::host_trap`.
    Host,
    /// The current instance changed: reload the code slice.
    Reload,
    /// A host function must be called (see `Executor::pending_host`).
    HostCall,
    /// The entry function returned.
    Done,
    /// The bytecode could not be decoded (a translator bug).
    BadCode,
    /// The fast loop leaves the instruction at `pc` to the executor (never leaves
    /// `dispatch_loop`).
    Slow,
    /// The call at `pc` needs `Executor::pending_translate` translated first.
    Translate,
}

impl Stop {
    /// The variant's name (as `Debug` writes the variants without a field).
    fn name(self) -> &'static str {
        match self {
            Stop::Trap(_) => "Trap",
            Stop::Host => "Host",
            Stop::Reload => "Reload",
            Stop::HostCall => "HostCall",
            Stop::Done => "Done",
            Stop::BadCode => "BadCode",
            Stop::Slow => "Slow",
            Stop::Translate => "Translate",
        }
    }
}

impl From<TrapCode> for Stop {
    #[inline]
    fn from(c: TrapCode) -> Stop {
        Stop::Trap(c)
    }
}

/// A host call requested by a `call`/`call_indirect` handler, performed by `Executor::run`.
#[derive(Debug, Clone, Copy)]
pub(super) struct PendingHost {
    ty: u32,
    host: u32,
    base: Slot,
}

/// What every instruction handler returns.
pub(super) type Flow = Result<(), Stop>;

/// Runs store function `func` with `args`, writing `results`. The caller has checked the arity
/// and types of `args` and the length of `results`.
// Called by `Func::call` (being written on the runtime branch).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn invoke<T>(
    store: &mut Store<T>,
    func: u32,
    args: &[Val],
    results: &mut [Val],
) -> Result<(), Trap> {
    let entity = *store
        .inner
        .funcs
        .get(func as usize)
        .ok_or_else(|| Trap::host("invalid function index"))?;
    match entity {
        FuncEntity::Host { ty, host } => {
            if let Some(ft) = store.inner.types.types.get(ty as usize) {
                for (r, &t) in results.iter_mut().zip(ft.results()) {
                    *r = Val::default_for(t);
                }
            }
            let f = store
                .host_funcs
                .get(host as usize)
                .ok_or_else(|| Trap::host("invalid host function index"))?
                .clone();
            f(Caller::new(store, None), args, results)
        }
        FuncEntity::Wasm {
            ty,
            instance,
            index,
        } => {
            let stack = store.inner.stack.take().unwrap_or_default();
            let mut ex = Executor::new(store, stack, instance);
            let r = ex.call_entry(ty, index, args, results);
            let Executor { store, stack, .. } = ex;
            store.inner.stack = Some(stack);
            r
        }
    }
}

/// Interpreter state for one invocation. The hot registers (`pc`, `fp`, `mem`) are fields of
/// this local value; `run` keeps the code slice in a local.
pub(super) struct Executor<'s, T> {
    pub(super) store: &'s mut Store<T>,
    pub(super) stack: Stack,
    /// Absolute offset of the next instruction in the current module's code.
    pub(super) pc: usize,
    /// Base of the current frame in `stack.values`.
    pub(super) fp: usize,
    /// Current instance (store index).
    pub(super) instance: u32,
    /// Current instance's module.
    pub(super) module: Rc<ModuleInner>,
    /// Store index of the current instance's memory 0 (`usize::MAX` if none).
    pub(super) mem: usize,
    /// `stack.frames.len()` when this invocation started: returning at this depth finishes it.
    pub(super) entry_depth: usize,
    /// `stack.top` when this invocation started (restored at the end).
    pub(super) entry_top: usize,
    pub(super) max_slots: usize,
    pub(super) max_depth: usize,
    /// `Config::max_host_reentry`.
    pub(super) max_reentry: usize,
    /// The error of a failed host function.
    pub(super) host_trap: Option<Trap>,
    /// A host call to perform outside the dispatch loop.
    pub(super) pending_host: Option<PendingHost>,
    /// A function to translate before the call at `pc` can run (lazy compilation).
    pub(super) pending_translate: Option<(Rc<ModuleInner>, u32)>,
}

impl<'s, T> Executor<'s, T> {
    fn new(store: &'s mut Store<T>, stack: Stack, instance: u32) -> Self {
        let config = store.inner.engine.config();
        let (max_slots, max_depth, max_reentry) = (
            config.max_stack_slots,
            config.max_call_depth,
            config.max_host_reentry,
        );
        let module = store.inner.instances[instance as usize]
            .module
            .inner
            .clone();
        let entry_depth = stack.frames.len();
        let entry_top = stack.top;
        let mut ex = Executor {
            store,
            stack,
            pc: 0,
            fp: entry_top,
            instance,
            module,
            mem: usize::MAX,
            entry_depth,
            entry_top,
            max_slots,
            max_depth,
            max_reentry,
            host_trap: None,
            pending_host: None,
            pending_translate: None,
        };
        ex.mem = ex.memory_of(instance);
        ex
    }

    /// Calls wasm function `index` (module-level) of the current instance from the host.
    fn call_entry(
        &mut self,
        ty: u32,
        index: u32,
        args: &[Val],
        results: &mut [Val],
    ) -> Result<(), Trap> {
        let r = self.enter_and_run(index, args);
        // Unwind whatever this invocation left (on a trap) and restore the lender's view.
        self.stack.frames.truncate(self.entry_depth);
        self.stack.top = self.entry_top;
        match r {
            Ok(()) => {}
            Err(Stop::Trap(c)) => return Err(Trap::new(c)),
            Err(Stop::Host) => {
                return Err(self
                    .host_trap
                    .take()
                    .unwrap_or_else(|| Trap::host("host function failed")));
            }
            Err(e) => return Err(Trap::host(msg!("internal executor error: ", e.name()))),
        }
        let ft = self
            .store
            .inner
            .types
            .types
            .get(ty as usize)
            .ok_or_else(|| Trap::host("invalid function type"))?;
        for (k, (r, &t)) in results.iter_mut().zip(ft.results()).enumerate() {
            let raw = self
                .stack
                .values
                .get(self.entry_top + k)
                .copied()
                .unwrap_or(0);
            *r = Val::from_raw(raw, t, &self.store.inner);
        }
        Ok(())
    }

    fn enter_and_run(&mut self, index: u32, args: &[Val]) -> Flow {
        self.pending_translate = Some((self.module.clone(), index));
        self.translate_pending()?;
        let body = self.module.body(index).ok_or(Stop::BadCode)?;
        let fp = self.entry_top;
        let need = usize::from(body.frame_size)
            .max(args.len())
            .max(usize::from(body.num_results));
        if self.entry_depth >= self.max_depth || self.stack.nesting > self.max_reentry {
            return Err(TrapCode::StackOverflow.into());
        }
        self.stack.ensure(fp + need, self.max_slots)?;
        let id = self.store.inner.id;
        for (k, a) in args.iter().enumerate() {
            self.stack.values[fp + k] = a.to_raw(id).unwrap_or(0);
        }
        self.zero_locals(fp, &body);
        self.fp = fp;
        self.pc = body.code_start as usize;
        self.run()
    }

    /// Zeroes the declared locals of a frame at `fp`.
    #[inline]
    pub(super) fn zero_locals(&mut self, fp: usize, body: &FuncBody) {
        let start = fp + usize::from(body.num_params);
        let end = start + usize::from(body.zeroed_locals);
        if let Some(locals) = self.stack.values.get_mut(start..end) {
            // Most functions have a few locals: avoid a `memset` call for them.
            match locals {
                [] => {}
                [a] => *a = 0,
                [a, b] => (*a, *b) = (0, 0),
                [a, b, c] => (*a, *b, *c) = (0, 0, 0),
                [a, b, c, d] => (*a, *b, *c, *d) = (0, 0, 0, 0),
                _ => locals.fill(0),
            }
        }
    }

    /// The interpreter loop: runs until the entry function returns or a trap.
    fn run(&mut self) -> Flow {
        loop {
            let module = self.module.clone();
            loop {
                // The module's code is borrowed only while dispatching: host functions and
                // lazy translation run after the borrow ends.
                let stop = match module.view() {
                    Some(view) => self.dispatch_loop(view.code(), view.bodies()),
                    None => Stop::BadCode,
                };
                match stop {
                    Stop::HostCall => self.call_pending_host()?,
                    Stop::Translate => self.translate_pending()?,
                    Stop::Reload => break,
                    Stop::Done => return Ok(()),
                    e => return Err(e),
                }
            }
        }
    }

    /// Translates the function a call is waiting for (the call then runs again).
    fn translate_pending(&mut self) -> Flow {
        let Some((module, func)) = self.pending_translate.take() else {
            return Err(Stop::BadCode);
        };
        module.translate(func).map_err(|e| {
            self.host_trap = Some(Trap::host(msg!(
                "function ",
                func,
                " failed to compile: ",
                e
            )));
            Stop::Host
        })
    }

    /// Dispatches instructions of `code` (the current module's) until one stops the loop.
    /// Not inlined: its native frame (large in debug builds) is gone while a host function runs.
    #[inline(never)]
    fn dispatch_loop(&mut self, code: &[u8], bodies: &[FuncBody]) -> Stop {
        loop {
            if self.pc >= code.len() || self.fp > self.stack.values.len() {
                return Stop::BadCode;
            }
            let stop = {
                let store = &mut self.store.inner;
                let mem = match store.memories.get_mut(self.mem) {
                    Some(m) => &mut m.data[..],
                    None => &mut [][..],
                };
                let global_map = match store.instances.get(self.instance as usize) {
                    Some(i) => &i.globals[..],
                    None => &[][..],
                };
                let mut ctx = fast::Ctx {
                    fp: self.fp,
                    frames: &mut self.stack.frames,
                    #[cfg(ember_tail_dispatch)]
                    frames_ptr: core::ptr::null_mut(),
                    #[cfg(ember_tail_dispatch)]
                    top: core::ptr::null_mut(),
                    #[cfg(ember_tail_dispatch)]
                    limit: core::ptr::null_mut(),
                    #[cfg(ember_tail_dispatch)]
                    entry_top: core::ptr::null_mut(),
                    bodies,
                    num_imported_funcs: self.module.compiled.num_imported_funcs,
                    instance: self.instance,
                    entry_depth: self.entry_depth,
                    max_depth: self.max_depth,
                    globals: &mut store.globals,
                    global_map,
                    code,
                    values_ptr: core::ptr::null_mut(),
                    values_len: 0,
                    stop_pc: 0,
                    mem_len: 0,
                    mem_limit: [-1, -2, -4, -8],
                };
                let (stop, pc) = fast::run(self.pc, &mut self.stack.values, mem, &mut ctx);
                (self.pc, self.fp) = (pc, ctx.fp);
                stop
            };
            if stop != Stop::Slow {
                return stop;
            }
            // One instruction the fast loop does not handle.
            let pc = self.pc;
            match ember_bytecode::dispatch(self, code, pc + GAP) {
                Ok(Ok(())) => {}
                Ok(Err(stop)) => return stop,
                Err(_) => return Stop::BadCode,
            }
        }
    }

    /// Store index of memory 0 of `instance` (`usize::MAX` if it has none).
    pub(super) fn memory_of(&self, instance: u32) -> usize {
        self.store.inner.instances[instance as usize]
            .memories
            .first()
            .map_or(usize::MAX, |&m| m as usize)
    }

    /// Makes `instance` current (after a call or return across instances).
    pub(super) fn switch_instance(&mut self, instance: u32) {
        self.instance = instance;
        self.module = self.store.inner.instances[instance as usize]
            .module
            .inner
            .clone();
        self.mem = self.memory_of(instance);
    }

    // ---- slot access ----

    #[inline(always)]
    pub(super) fn get(&self, s: Slot) -> u64 {
        self.stack.values[self.fp + usize::from(s)]
    }
    #[inline(always)]
    pub(super) fn set(&mut self, s: Slot, v: u64) {
        self.stack.values[self.fp + usize::from(s)] = v;
    }
    #[inline(always)]
    pub(super) fn u32(&self, s: Slot) -> u32 {
        self.get(s) as u32
    }
    #[inline(always)]
    pub(super) fn u64(&self, s: Slot) -> u64 {
        self.get(s)
    }
    #[inline(always)]
    pub(super) fn set_u32(&mut self, s: Slot, v: u32) {
        self.set(s, u64::from(v));
    }
    #[inline(always)]
    pub(super) fn set_u64(&mut self, s: Slot, v: u64) {
        self.set(s, v);
    }
}
