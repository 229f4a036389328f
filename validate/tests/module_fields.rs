//! Every field of `CompiledModule` is filled from the module's sections.

use ember_bytecode::module::*;
use ember_bytecode::types::*;
use ember_validate::Translator;

#[test]
fn every_section_is_recorded() {
    let wasm = wat::parse_str(
        r#"(module
          (type $v (func))
          (type $ii (func (param i32) (result i32)))
          (import "env" "f" (func $imp (type $ii)))
          (import "env" "t" (table 1 10 externref))
          (import "env" "m" (memory 1 2))
          (import "env" "g" (global $gi i32))
          (table $t 3 funcref)
          (global $g1 (mut i64) (i64.const -5))
          (global $g2 f32 (f32.const 1.5))
          (global $g3 funcref (ref.func $a))
          (global $g4 i32 (global.get $gi))
          (export "a" (func $a))
          (export "tab" (table $t))
          (export "g1" (global $g1))
          (start $a)
          (elem (table $t) (i32.const 1) func $a $imp)
          (elem $p funcref (ref.null func) (ref.func $a))
          (elem declare func $a)
          (data (i32.const 8) "hi")
          (data $d "xyz")
          (func $a (type $v))
          (func $b (type $ii) (local i64 f64) local.get 0))"#,
    )
    .expect("valid wat");
    let m = Translator::new().translate(&wasm).expect("translates");

    assert_eq!(m.types.len(), 2);
    assert_eq!(m.types[1], FuncType::new([ValType::I32], [ValType::I32]));
    assert_eq!(m.imports.len(), 4);
    assert_eq!(m.imports[0].module, "env");
    assert_eq!(m.imports[0].name, "f");
    assert_eq!(m.imports[0].ty, ImportType::Func(1));
    assert_eq!(
        m.imports[1].ty,
        ImportType::Table(TableType {
            element: RefType::ExternRef,
            limits: Limits {
                min: 1,
                max: Some(10)
            }
        })
    );
    assert_eq!(
        m.imports[3].ty,
        ImportType::Global(GlobalType {
            content: ValType::I32,
            mutable: false
        })
    );
    assert_eq!(
        (
            m.num_imported_funcs,
            m.num_imported_tables,
            m.num_imported_memories,
            m.num_imported_globals
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(m.funcs, vec![1, 0, 1]);
    assert_eq!(m.tables.len(), 2);
    assert_eq!(m.tables[1].element, RefType::FuncRef);
    assert_eq!(
        m.memories,
        vec![MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2)
            }
        },]
    );
    assert_eq!(m.globals.len(), 5);
    assert_eq!(
        m.globals[1],
        GlobalType {
            content: ValType::I64,
            mutable: true
        }
    );
    assert_eq!(
        m.global_inits,
        vec![
            ConstExpr::I64(-5),
            ConstExpr::F32(1.5f32.to_bits()),
            ConstExpr::RefFunc(1),
            ConstExpr::GlobalGet(0)
        ]
    );
    assert_eq!(
        m.exports[0],
        Export {
            name: "a".into(),
            kind: ExternKind::Func,
            index: 1
        }
    );
    assert_eq!(m.exports[1].kind, ExternKind::Table);
    assert_eq!(m.exports[1].index, 1);
    assert_eq!(m.exports[2].kind, ExternKind::Global);
    assert_eq!(m.start, Some(1));
    assert_eq!(m.elems.len(), 3);
    assert_eq!(
        m.elems[0].mode,
        ElemMode::Active {
            table: 1,
            offset: ConstExpr::I32(1)
        }
    );
    assert_eq!(
        &*m.elems[0].items,
        &[ConstExpr::RefFunc(1), ConstExpr::RefFunc(0)]
    );
    assert_eq!(m.elems[1].mode, ElemMode::Passive);
    assert_eq!(
        &*m.elems[1].items,
        &[ConstExpr::RefNull(RefType::FuncRef), ConstExpr::RefFunc(1)]
    );
    assert_eq!(m.elems[2].mode, ElemMode::Declared);
    assert_eq!(m.datas.len(), 2);
    assert_eq!(
        m.datas[0].mode,
        DataMode::Active {
            memory: 0,
            offset: ConstExpr::I32(8)
        }
    );
    assert_eq!(&*m.datas[0].bytes, b"hi");
    assert_eq!(m.datas[1].mode, DataMode::Passive);
    assert_eq!(&*m.datas[1].bytes, b"xyz");

    assert_eq!(m.bodies.len(), 2);
    let b = m.bodies[1];
    // Its two locals are never read, so no call needs to zero them.
    assert_eq!((b.num_params, b.zeroed_locals, b.num_results), (1, 0, 1));
    assert!(b.frame_size >= 3);
    assert_eq!(b.code_start, m.bodies[0].code_start + m.bodies[0].code_len);
    assert_eq!(m.code.len() as u32, b.code_start + b.code_len);
    assert!(m.wasm_code_size > 0 && (m.wasm_code_size as usize) < wasm.len());
    assert_eq!(m.func_type(2), Some(&m.types[1]));
}

#[test]
fn errors_name_the_function_and_offset() {
    let wasm =
        wat::parse_str(r#"(module (func) (func (result i32) i64.const 1))"#).expect("assembles");
    let e = Translator::new()
        .translate(&wasm)
        .expect_err("type mismatch");
    assert_eq!(e.func_index, Some(1));
    assert!(e.offset > 0 && e.offset < wasm.len(), "{e}");
    assert!(e.message.contains("type mismatch"), "{e}");
    // Not in a body: no function index.
    let e = Translator::new()
        .translate(b"\0asm\x02\0\0\0")
        .expect_err("bad version");
    assert_eq!(e.func_index, None);
}

/// Constant expressions are decoded from their bytes (`convert::const_expr`): every form, with
/// multi-byte immediates.
#[test]
fn every_constant_expression_form_is_decoded() {
    // Function 200 (two bytes of LEB128) exists: 201 functions in all.
    let funcs = "(func) ".repeat(200);
    let wasm = wat::parse_str(format!(
        r#"(module
          (import "env" "g" (global $gi i64))
          (global i32 (i32.const -1000000))
          (global i64 (i64.const -9223372036854775808))
          (global i64 (global.get $gi))
          (global f32 (f32.const -0.1))
          (global f64 (f64.const 3.141592653589793))
          (global externref (ref.null extern))
          (global funcref (ref.null func))
          (global funcref (ref.func 200))
          (func $f) (elem declare func 200)
          {funcs})"#
    ))
    .expect("valid wat");
    let m = Translator::new().translate(&wasm).expect("translates");
    assert_eq!(
        m.global_inits,
        vec![
            ConstExpr::I32(-1_000_000),
            ConstExpr::I64(i64::MIN),
            ConstExpr::GlobalGet(0),
            ConstExpr::F32((-0.1f32).to_bits()),
            ConstExpr::F64(core::f64::consts::PI.to_bits()),
            ConstExpr::RefNull(RefType::ExternRef),
            ConstExpr::RefNull(RefType::FuncRef),
            ConstExpr::RefFunc(200),
        ]
    );
}
