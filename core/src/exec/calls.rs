//! Calls and returns: frame push/pop, cross-instance switches, host calls.

use super::stack::Frame;
use super::{Executor, Flow, PendingHost, Stop};
use crate::error::{Trap, TrapCode};
use crate::store::{Caller, FuncEntity};
use crate::value::Val;
use ember_bytecode::Slot;
use ember_bytecode::module::{FuncBody, UNTRANSLATED};

impl<T> Executor<'_, T> {
    /// `call func base` with module-level `func`; resumes the caller at `ret_pc`.
    #[inline]
    pub(super) fn call_func(&mut self, func: u32, base: Slot, ret_pc: usize) -> Flow {
        // Fast path: a function defined by the current module.
        if let Some(body) = self.module.body(func) {
            if body.code_start == UNTRANSLATED {
                self.pending_translate = Some((self.module.clone(), func));
                return Err(Stop::Translate);
            }
            return self.enter(&body, base, ret_pc);
        }
        let f = self.func_index(func)?;
        self.call_store_func(f, base, ret_pc)
    }

    /// `call_indirect ty table index base`.
    pub(super) fn call_indirect_func(
        &mut self,
        ty: u32,
        table: u32,
        index: Slot,
        base: Slot,
        ret_pc: usize,
    ) -> Flow {
        let idx = self.u32(index);
        let raw = *self
            .table(table)?
            .elems
            .get(idx as usize)
            .ok_or(TrapCode::UndefinedElement)?;
        let f = raw.checked_sub(1).ok_or(TrapCode::UninitializedElement)? as u32;
        let inst = &self.store.inner.instances[self.instance as usize];
        let expected = *inst.types.get(ty as usize).ok_or(Stop::BadCode)?;
        let entity = self
            .store
            .inner
            .funcs
            .get(f as usize)
            .ok_or(Stop::BadCode)?;
        if entity.ty() != expected {
            return Err(TrapCode::BadSignature.into());
        }
        self.call_store_func(f, base, ret_pc)
    }

    /// Calls store function `f` (wasm of any instance, or host).
    fn call_store_func(&mut self, f: u32, base: Slot, ret_pc: usize) -> Flow {
        match *self
            .store
            .inner
            .funcs
            .get(f as usize)
            .ok_or(Stop::BadCode)?
        {
            FuncEntity::Wasm {
                instance, index, ..
            } => {
                let module = if instance == self.instance {
                    &self.module
                } else {
                    let inst = self.store.inner.instances.get(instance as usize);
                    &inst.ok_or(Stop::BadCode)?.module.inner
                };
                let body = module.body(index).ok_or(Stop::BadCode)?;
                if body.code_start == UNTRANSLATED {
                    self.pending_translate = Some((module.clone(), index));
                    return Err(Stop::Translate);
                }
                if instance == self.instance {
                    return self.enter(&body, base, ret_pc);
                }
                let caller = self.instance;
                self.enter(&body, base, ret_pc)?;
                // `enter` saved `caller` in the frame; now make the callee's instance current.
                debug_assert_eq!(self.stack.frames.last().map(|f| f.instance), Some(caller));
                self.switch_instance(instance);
                Err(Stop::Reload)
            }
            FuncEntity::Host { ty, host } => {
                // Performed by `run`, outside the dispatch loop's (large) native frame, so
                // host→wasm re-entry uses little native stack per level.
                self.pending_host = Some(PendingHost { ty, host, base });
                self.pc = ret_pc;
                Err(Stop::HostCall)
            }
        }
    }

    /// Pushes the caller's frame and enters `body` with its frame at `fp + base`.
    #[inline]
    fn enter(&mut self, body: &FuncBody, base: Slot, ret_pc: usize) -> Flow {
        if self.stack.frames.len() + 1 >= self.max_depth {
            return Err(TrapCode::StackOverflow.into());
        }
        let fp = self.fp + usize::from(base);
        self.stack
            .ensure(fp + usize::from(body.frame_size), self.max_slots)?;
        self.stack.push_frame(Frame {
            pc: ret_pc,
            fp: self.fp,
            instance: self.instance,
        })?;
        self.zero_locals(fp, body);
        self.fp = fp;
        self.pc = body.code_start as usize;
        Ok(())
    }

    /// Returns from the current function (its results are already in slots `0..`).
    #[inline]
    pub(super) fn do_return(&mut self) -> Flow {
        if self.stack.frames.len() <= self.entry_depth {
            return Err(Stop::Done);
        }
        let Some(f) = self.stack.frames.pop() else {
            return Err(Stop::Done);
        };
        self.pc = f.pc;
        self.fp = f.fp;
        if f.instance != self.instance {
            self.switch_instance(f.instance);
            return Err(Stop::Reload);
        }
        Ok(())
    }

    /// Performs the host call a handler requested with [`Stop::HostCall`].
    #[inline(never)]
    pub(super) fn call_pending_host(&mut self) -> Flow {
        let Some(PendingHost { ty, host, base }) = self.pending_host.take() else {
            return Err(Stop::BadCode);
        };
        self.call_host(ty, host, base)
    }

    /// Calls host function `host` of interned type `ty` with arguments in `base..` of the
    /// current frame, writing its results there.
    fn call_host(&mut self, ty: u32, host: u32, base: Slot) -> Flow {
        let start = self.fp + usize::from(base);
        let ft = self
            .store
            .inner
            .types
            .types
            .get(ty as usize)
            .ok_or(Stop::BadCode)?;
        let (np, nr) = (ft.params().len(), ft.results().len());
        self.stack.ensure(start + np.max(nr), self.max_slots)?;
        let mut args = core::mem::take(&mut self.stack.host_args);
        let mut results = core::mem::take(&mut self.stack.host_results);
        args.clear();
        results.clear();
        let values = &self.stack.values;
        args.extend(
            ft.params()
                .iter()
                .enumerate()
                .map(|(k, &t)| Val::from_raw(values[start + k], t, &self.store.inner)),
        );
        results.extend(ft.results().iter().map(|&t| Val::default_for(t)));
        let f = self
            .store
            .host_funcs
            .get(host as usize)
            .ok_or(Stop::BadCode)?
            .clone();

        // Lend the stack to the store so a nested call continues above our frames.
        self.stack.top = start + np.max(nr);
        self.stack.nesting += 1;
        self.store.inner.stack = Some(core::mem::take(&mut self.stack));
        let r = f(
            Caller::new(&mut *self.store, Some(self.instance)),
            &args,
            &mut results,
        );
        let Some(stack) = self.store.inner.stack.take() else {
            return self.host_failed(Trap::host("executor stack lost during host call"));
        };
        self.stack = stack;
        self.stack.top = self.entry_top;
        self.stack.nesting -= 1;

        let out = match r {
            Ok(()) => self.write_host_results(ty, start, &results),
            Err(e) => Err(e),
        };
        self.stack.host_args = args;
        self.stack.host_results = results;
        match out {
            Ok(()) => Ok(()),
            Err(e) => self.host_failed(e),
        }
    }

    fn write_host_results(&mut self, ty: u32, start: usize, results: &[Val]) -> Result<(), Trap> {
        let id = self.store.inner.id;
        let ft = self.store.inner.types.get(ty);
        for (k, (v, &t)) in results.iter().zip(ft.results()).enumerate() {
            if v.ty() != t {
                return Err(Trap::host(
                    "host function returned a value of the wrong type",
                ));
            }
            let raw = v.to_raw(id).ok_or_else(|| {
                Trap::host("host function returned a reference from another store")
            })?;
            self.stack.values[start + k] = raw;
        }
        Ok(())
    }

    fn host_failed(&mut self, e: Trap) -> Flow {
        self.host_trap = Some(e);
        Err(Stop::Host)
    }

    /// Store function index of module function `func` of the current instance.
    #[inline]
    pub(super) fn func_index(&self, func: u32) -> Result<u32, Stop> {
        self.store.inner.instances[self.instance as usize]
            .funcs
            .get(func as usize)
            .copied()
            .ok_or(Stop::BadCode)
    }

    /// Store global index of module global `global` of the current instance. (The compact
    /// loop runs `global.get`/`global.set` itself: its slow path has no use for this.)
    #[cfg(not(ember_compact_loop))]
    #[inline]
    pub(super) fn global_index(&self, global: u32) -> Result<usize, Stop> {
        let g = self.store.inner.instances[self.instance as usize]
            .globals
            .get(global as usize)
            .copied()
            .ok_or(Stop::BadCode)?;
        if (g as usize) < self.store.inner.globals.len() {
            Ok(g as usize)
        } else {
            Err(Stop::BadCode)
        }
    }
}
