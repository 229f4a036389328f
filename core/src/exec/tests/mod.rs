//! Executor unit tests: modules are assembled by hand (bytecode via the generated `encode`s) and
//! instantiated by pushing entities into a `Store` directly.

mod calls;
mod control;
mod fast;
mod float;
mod fused;
mod int;
mod memory;
mod table;

use super::invoke;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Trap, TrapCode};
use crate::module::{Module, ModuleInner};
use crate::store::{
    Caller, FuncEntity, GlobalEntity, InstanceEntity, MemoryEntity, Store, TableEntity,
};
use crate::value::Val;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use ember_bytecode::module::{CompiledModule, DataMode, DataSegment, FuncBody};
use ember_bytecode::types::{
    FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType,
};
use ember_bytecode::*;

pub(super) use ValType::{F32, F64, I32, I64};

/// A forward-referencable position in the code.
#[derive(Clone, Copy)]
pub(super) struct Label(usize);

/// A tiny assembler for one module's code.
#[derive(Default)]
pub(super) struct Asm {
    pub(super) code: Vec<u8>,
    labels: Vec<Option<usize>>,
    /// (instruction start, offset field position, label)
    fixups: Vec<(usize, usize, Label)>,
}

impl Asm {
    pub(super) fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }
    pub(super) fn bind(&mut self, l: Label) {
        self.labels[l.0] = Some(self.code.len());
    }
    /// Emits an instruction.
    pub(super) fn op(&mut self, i: Instr) -> &mut Self {
        i.encode(&mut self.code);
        self
    }
    /// Emits a branch instruction whose last fixed field is its offset, targeting `l`.
    pub(super) fn br(&mut self, i: Instr, l: Label) -> &mut Self {
        let at = self.code.len();
        i.encode(&mut self.code);
        self.fixups.push((at, self.code.len() - 4, l));
        self
    }
    /// Emits `br_table index` to `targets` (default last).
    pub(super) fn br_table(&mut self, index: Slot, targets: &[Label]) -> &mut Self {
        let at = self.code.len();
        BrTable {
            index,
            count: targets.len() as u32,
        }
        .encode(&mut self.code);
        for &t in targets {
            self.fixups.push((at, self.code.len(), t));
            self.code.extend_from_slice(&0i32.to_le_bytes());
        }
        self
    }
    /// Appends a tail of slots (for `copy_many` / `return_many`).
    pub(super) fn slots(&mut self, s: &[Slot]) -> &mut Self {
        for x in s {
            self.code.extend_from_slice(&x.to_le_bytes());
        }
        self
    }
    fn finish(&mut self) {
        for &(at, pos, l) in &self.fixups {
            let target = self.labels[l.0].expect("unbound label");
            let off = target as i64 - at as i64;
            self.code[pos..pos + 4].copy_from_slice(&(off as i32).to_le_bytes());
        }
        self.fixups.clear();
    }
}

/// A module under construction plus what its instance needs.
pub(super) struct Builder {
    pub(super) cm: CompiledModule,
    pub(super) asm: Asm,
    /// Store function index per imported function.
    imports: Vec<u32>,
    memory: Option<(u32, Option<u32>)>,
    tables: Vec<(RefType, Vec<u64>, Option<u32>)>,
    globals: Vec<u64>,
    /// Element segments as module function indices (`None` = null).
    elems: Vec<Vec<Option<u32>>>,
    pub(super) store: Store<()>,
}

impl Builder {
    pub(super) fn new() -> Self {
        Self::with_config(Config::default())
    }
    pub(super) fn with_config(config: Config) -> Self {
        Builder {
            cm: CompiledModule::default(),
            asm: Asm::default(),
            imports: Vec::new(),
            memory: None,
            tables: Vec::new(),
            globals: Vec::new(),
            elems: Vec::new(),
            store: Store::new(&Engine::new(&config), ()),
        }
    }
    /// Continues with an existing store (for multi-instance tests).
    pub(super) fn in_store(store: Store<()>) -> Self {
        let mut b = Self::new();
        b.store = store;
        b
    }

    pub(super) fn ty(&mut self, params: &[ValType], results: &[ValType]) -> u32 {
        self.cm.types.push(FuncType::new(
            params.iter().copied(),
            results.iter().copied(),
        ));
        self.cm.types.len() as u32 - 1
    }

    /// Imports a host function; returns its module function index.
    pub(super) fn host(
        &mut self,
        ty: u32,
        f: impl Fn(Caller<'_, ()>, &[Val], &mut [Val]) -> Result<(), Trap> + 'static,
    ) -> u32 {
        let ft = self.cm.types[ty as usize].clone();
        let id = self.store.inner.types.intern(&ft);
        self.store.host_funcs.push(Rc::new(f));
        let host = self.store.host_funcs.len() as u32 - 1;
        self.store
            .inner
            .funcs
            .push(FuncEntity::Host { ty: id, host });
        let sf = self.store.inner.funcs.len() as u32 - 1;
        self.import_func(ty, sf)
    }

    /// Imports store function `sf`; returns its module function index.
    pub(super) fn import_func(&mut self, ty: u32, sf: u32) -> u32 {
        assert!(self.cm.bodies.is_empty(), "imports first");
        self.cm.funcs.push(ty);
        self.cm.num_imported_funcs += 1;
        self.imports.push(sf);
        self.cm.funcs.len() as u32 - 1
    }

    /// Defines a function whose code `f` emits; returns its module function index.
    pub(super) fn func(
        &mut self,
        ty: u32,
        locals: u16,
        frame: u16,
        f: impl FnOnce(&mut Asm),
    ) -> u32 {
        let start = self.asm.code.len();
        f(&mut self.asm);
        let ft = &self.cm.types[ty as usize];
        self.cm.bodies.push(FuncBody {
            code_start: start as u32,
            code_len: (self.asm.code.len() - start) as u32,
            frame_size: frame,
            num_params: ft.params().len() as u16,
            zeroed_locals: locals,
            num_results: ft.results().len() as u16,
        });
        self.cm.funcs.push(ty);
        self.cm.funcs.len() as u32 - 1
    }

    pub(super) fn memory(&mut self, min: u32, max: Option<u32>) {
        self.memory = Some((min, max));
    }
    pub(super) fn table(&mut self, elems: Vec<u64>, max: Option<u32>) -> u32 {
        self.tables.push((RefType::FuncRef, elems, max));
        self.tables.len() as u32 - 1
    }
    pub(super) fn global(&mut self, value: u64) -> u32 {
        self.globals.push(value);
        self.globals.len() as u32 - 1
    }
    pub(super) fn data(&mut self, bytes: &[u8]) -> u32 {
        self.cm.datas.push(DataSegment {
            mode: DataMode::Passive,
            bytes: bytes.into(),
        });
        self.cm.datas.len() as u32 - 1
    }
    pub(super) fn elem(&mut self, items: Vec<Option<u32>>) -> u32 {
        self.elems.push(items);
        self.elems.len() as u32 - 1
    }

    /// Verifies and instantiates: returns the store and the instance index. The executor
    /// runs bytecode without bounds checks, so hand-written code must pass the verifier as
    /// translated and precompiled code does.
    pub(super) fn build(self) -> Inst {
        match self.try_build() {
            Ok(inst) => inst,
            Err(e) => panic!("hand-written bytecode fails verification: {e}"),
        }
    }

    /// Fills in the module's declarations (imports, memory, tables, globals, element segments)
    /// from what the test set up, so the verifier sees the module the instance gets.
    fn describe(&mut self) {
        use ember_bytecode::module::{ConstExpr, ElemMode, ElemSegment, Import, ImportType};
        let cm = &mut self.cm;
        cm.imports = (0..cm.num_imported_funcs)
            .map(|k| Import {
                module: "test".into(),
                name: alloc::format!("f{k}"),
                ty: ImportType::Func(cm.funcs[k as usize]),
            })
            .collect();
        cm.memories = self
            .memory
            .iter()
            .map(|&(min, max)| MemoryType {
                limits: Limits { min, max },
            })
            .collect();
        cm.tables = self
            .tables
            .iter()
            .map(|(element, elems, max)| TableType {
                element: *element,
                limits: Limits {
                    min: elems.len() as u32,
                    max: *max,
                },
            })
            .collect();
        cm.globals = self
            .globals
            .iter()
            .map(|_| GlobalType {
                content: I64,
                mutable: true,
            })
            .collect();
        cm.global_inits = self
            .globals
            .iter()
            .map(|&v| ConstExpr::I64(v as i64))
            .collect();
        let funcref = |items: &[Option<u32>]| -> Box<[ConstExpr]> {
            items
                .iter()
                .map(|i| i.map_or(ConstExpr::RefNull(RefType::FuncRef), ConstExpr::RefFunc))
                .collect()
        };
        cm.elems = self
            .elems
            .iter()
            .map(|items| ElemSegment {
                mode: ElemMode::Passive,
                ty: RefType::FuncRef,
                items: funcref(items),
            })
            .collect();
        // Every function may be the target of `ref.func`.
        let all: Vec<Option<u32>> = (0..cm.funcs.len() as u32).map(Some).collect();
        cm.elems.push(ElemSegment {
            mode: ElemMode::Declared,
            ty: RefType::FuncRef,
            items: funcref(&all),
        });
    }

    /// Like [`Builder::build`], but returns the verifier's error.
    pub(super) fn try_build(mut self) -> Result<Inst, ember_bytecode::verify::VerifyError> {
        self.asm.finish();
        self.cm.code = core::mem::take(&mut self.asm.code).into();
        self.describe();
        ember_bytecode::verify::verify_module(&self.cm)?;
        let mut store = self.store;
        let inner = &mut store.inner;
        let inst = inner.instances.len() as u32;
        let types: Vec<u32> = self
            .cm
            .types
            .iter()
            .map(|t| inner.types.intern(t))
            .collect();
        let mut funcs = self.imports.clone();
        for (k, _) in self.cm.bodies.iter().enumerate() {
            let index = self.cm.num_imported_funcs + k as u32;
            let ty = types[self.cm.funcs[index as usize] as usize];
            inner.funcs.push(FuncEntity::Wasm {
                ty,
                instance: inst,
                index,
            });
            funcs.push(inner.funcs.len() as u32 - 1);
        }
        let mut memories = Vec::new();
        if let Some((min, max)) = self.memory {
            inner.memories.push(MemoryEntity {
                data: vec![0; min as usize * 65536],
                ty: MemoryType {
                    limits: Limits { min, max },
                },
            });
            memories.push(inner.memories.len() as u32 - 1);
        }
        let mut tables = Vec::new();
        for (element, elems, max) in self.tables {
            let min = elems.len() as u32;
            inner.tables.push(TableEntity {
                elems,
                ty: TableType {
                    element,
                    limits: Limits { min, max },
                },
            });
            tables.push(inner.tables.len() as u32 - 1);
        }
        let mut globals = Vec::new();
        for value in self.globals {
            inner.globals.push(GlobalEntity {
                value,
                ty: GlobalType {
                    content: I64,
                    mutable: true,
                },
            });
            globals.push(inner.globals.len() as u32 - 1);
        }
        let elems = self
            .elems
            .iter()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i.map_or(0, |f| u64::from(funcs[f as usize]) + 1))
                    .collect::<Box<[u64]>>()
            })
            .collect();
        let data_dropped = vec![false; self.cm.datas.len()];
        let module = Module {
            inner: Rc::new(ModuleInner::new(&inner.engine.clone(), self.cm, None)),
        };
        inner.instances.push(InstanceEntity {
            module,
            funcs,
            tables,
            memories,
            globals,
            types,
            data_dropped,
            elems,
        });
        Ok(Inst { store, inst })
    }
}

/// An instantiated test module.
pub(super) struct Inst {
    pub(super) store: Store<()>,
    pub(super) inst: u32,
}

impl Inst {
    /// Store function index of module function `f`.
    pub(super) fn sf(&self, f: u32) -> u32 {
        self.store.inner.instances[self.inst as usize].funcs[f as usize]
    }
    /// Calls module function `f`.
    pub(super) fn call(&mut self, f: u32, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let sf = self.sf(f);
        call_store(&mut self.store, sf, args)
    }
    /// Calls module function `f`, expecting a trap with `code`.
    pub(super) fn trap(&mut self, f: u32, args: &[Val]) -> TrapCode {
        match self.call(f, args) {
            Ok(v) => panic!("expected a trap, got {v:?}"),
            Err(t) => t.code(),
        }
    }
    /// Memory 0 of the instance.
    pub(super) fn mem(&self) -> &[u8] {
        let m = self.store.inner.instances[self.inst as usize].memories[0];
        &self.store.inner.memories[m as usize].data
    }
    pub(super) fn mem_mut(&mut self) -> &mut Vec<u8> {
        let m = self.store.inner.instances[self.inst as usize].memories[0];
        &mut self.store.inner.memories[m as usize].data
    }
}

/// Calls store function `sf` with `args`, results typed by its signature.
pub(super) fn call_store<T>(store: &mut Store<T>, sf: u32, args: &[Val]) -> Result<Vec<Val>, Trap> {
    let ty = store.inner.funcs[sf as usize].ty();
    let n = store.inner.types.get(ty).results().len();
    let mut results = vec![Val::I32(0); n];
    invoke(store, sf, args, &mut results)?;
    Ok(results)
}

/// One function `(params) -> result` running `instr` (which reads slots 0.., writes slot `dst`),
/// then returning slot `dst`.
pub(super) fn one(params: &[ValType], result: ValType, dst: Slot, instr: Instr) -> Inst {
    let mut b = Builder::new();
    let ty = b.ty(params, &[result]);
    b.func(ty, 0, 8, |a| {
        a.op(instr).op(Instr::ReturnSlot(ReturnSlot { src: dst }));
    });
    b.build()
}

/// Evaluates a binary instruction `dst=2 lhs=0 rhs=1`.
pub(super) fn bin(instr: Instr, ty: ValType, res: ValType, a: Val, b: Val) -> Result<Val, Trap> {
    let mut i = one(&[ty, ty], res, 2, instr);
    let f = i.store.inner.instances[0].funcs.len() as u32 - 1;
    i.call(f, &[a, b]).map(|v| v[0])
}

/// Evaluates a unary instruction `dst=1 src=0`.
pub(super) fn un(instr: Instr, ty: ValType, res: ValType, a: Val) -> Result<Val, Trap> {
    let mut i = one(&[ty], res, 1, instr);
    let f = i.store.inner.instances[0].funcs.len() as u32 - 1;
    i.call(f, &[a]).map(|v| v[0])
}
